"""The JSON API: a member's setting, changes, history and receipts; bulk import and export."""

from __future__ import annotations

import io

import pyarrow.parquet as pq
from fastapi.testclient import TestClient

from consentgate.ledger import Ledger
from consentgate.service.config import ServiceConfig
from tests.service.conftest import SETTING_API, admin_headers, bearer


def test_a_member_sees_the_default_then_turns_it_off(
    client: TestClient, config: ServiceConfig
) -> None:
    me = bearer(config, "fr_adult")
    state = client.get(SETTING_API, headers=me).json()
    assert state["value"] is True and state["is_default"] is True
    assert state["never_used"] is False and state["retroactive"] is False
    assert state["language"] == "fr"  # the member's language from the platform data

    answer = client.put(SETTING_API, headers=me, json={"value": False})
    assert answer.status_code == 200
    body = answer.json()
    assert body["state"]["value"] is False and body["state"]["is_default"] is False
    assert body["event"]["source"] == "api"
    assert body["state"]["last_receipt_id"] == body["event"]["receipt_id"]

    history = client.get("/api/v1/me/history", headers=me).json()["events"]
    assert [e["value"] for e in history] == [False]
    receipt = client.get(body["receipt_url"], headers=me).json()
    assert receipt["record_id"] == body["event"]["receipt_id"]
    assert receipt["event"][0]["event_state"] == "opted_out"
    kantara = client.get(body["receipt_url"], params={"format": "kantara"}, headers=me).json()
    assert kantara["version"] == "KI-CR-v1.1.0"


def test_texts_come_in_the_language_asked_for(client: TestClient, config: ServiceConfig) -> None:
    me = bearer(config, "gb_pupil")
    assert client.get(SETTING_API, headers=me).json()["toggle"] == (
        "Use my data for training content creation AI models")
    french = client.get(SETTING_API, headers=me, params={"lang": "fr"}).json()
    assert french["name"] == "Données pour l'amélioration de l'IA générative"
    by_token = client.get(SETTING_API, headers=bearer(config, "gb_pupil", language="fr")).json()
    assert by_token["language"] == "fr"


def test_minors_are_told_their_data_is_never_used(
    client: TestClient, config: ServiceConfig
) -> None:
    pupil = client.get(SETTING_API, headers=bearer(config, "gb_pupil")).json()
    assert pupil["never_used"] is True
    assert pupil["never_used_reason"] == "minor_secondary_school"
    young = client.get(SETTING_API, headers=bearer(config, "de_minor")).json()
    assert young["never_used_reason"] == "minor_age"
    unknown = client.get(SETTING_API, headers=bearer(config, "not-in-the-data")).json()
    assert unknown["never_used"] is False and unknown["value"] is True


def test_malformed_changes_get_a_clear_422(client: TestClient, config: ServiceConfig) -> None:
    me = bearer(config, "fr_adult")
    for body in ({"value": "false"}, {"value": 0}, {}, {"value": False, "member_id": "x"},
                 {"value": False, "language": "de"}, {"value": False, "source": "import"}):
        answer = client.put(SETTING_API, headers=me, json=body)
        assert answer.status_code == 422, body
        assert answer.json()["detail"]
    broken = client.put(SETTING_API, headers={**me, "Content-Type": "application/json"},
                        content=b"{not json")
    assert broken.status_code == 422
    assert client.get(f"/api/v1/me/receipts/{'not-a-uuid'}", headers=me).status_code == 422
    assert client.get("/api/v1/me/history", headers=me).json()["events"] == []


def test_admins_import_and_export_events(client: TestClient, config: ServiceConfig) -> None:
    events = [
        {"member_id": "fr_adult", "setting": "data_for_genai_improvement", "value": False,
         "effective_at": "2025-10-01T00:00:00", "source": "objection_form"},  # naive: UTC
        {"member_id": "fr_optout", "setting": "data_for_genai_improvement", "value": False,
         "effective_at": "2025-10-02T00:00:00+02:00"},
    ]
    answer = client.post("/api/v1/admin/events/import", headers=admin_headers(),
                         json={"events": events})
    assert answer.status_code == 200, answer.text
    assert answer.json()["added"] == 2 and answer.json()["head_seq"] == 2
    again = client.post("/api/v1/admin/events/import", headers=admin_headers(),
                        json={"events": events}).json()
    assert (again["added"], again["skipped"]) == (0, 2)

    exported = client.get("/api/v1/admin/events/export", headers=admin_headers(),
                          params={"as_of": "2025-10-01T12:00:00Z"})
    assert exported.status_code == 200
    body = exported.json()
    assert [e["member_id"] for e in body["events"]] == ["fr_adult"]
    assert exported.headers["X-Ledger-Head-Seq"] == "1" == str(body["head_seq"])
    parquet = client.get("/api/v1/admin/events/export", headers=admin_headers(),
                         params={"format": "parquet"})
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == 2 and table.column_names == [
        "member_id", "setting", "value", "effective_at", "source"]
    assert table.column("effective_at").to_pylist()[1].isoformat() == "2025-10-01T22:00:00+00:00"
    verify = client.get("/api/v1/admin/verify", headers=admin_headers()).json()
    assert verify["ok"] is True and verify["events"] == 2


def test_bad_imports_are_refused_whole(client: TestClient, config: ServiceConfig) -> None:
    good = {"member_id": "a", "setting": "data_for_genai_improvement", "value": True,
            "effective_at": "2025-01-01T00:00:00Z"}
    for bad in ({**good, "member_id": "a\u0000b"}, {**good, "member_id": ""},
                {**good, "effective_at": "9999-12-31T23:00:00-14:00"},
                {**good, "effective_at": "2999-01-01T00:00:00Z"},  # in the future
                {**good, "value": "yes"}, {**good, "setting": "Other Setting"}):
        answer = client.post("/api/v1/admin/events/import", headers=admin_headers(),
                             json={"events": [good, bad]})
        assert answer.status_code == 422, (bad, answer.text)
    with Ledger(config.db) as ledger:
        assert ledger.count() == 0


def test_the_openapi_schema_documents_auth_and_endpoints(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["memberToken"]["bearerFormat"] == "JWT"
    assert schemes["adminKey"]["name"] == "X-Admin-Key"
    paths = set(schema["paths"])
    assert {SETTING_API, "/api/v1/me/history", "/api/v1/me/receipts/{receipt_id}",
            "/api/v1/admin/events/import", "/api/v1/admin/events/export",
            "/api/v1/admin/verify"} <= paths
    assert not any(p.startswith("/settings") for p in paths)  # pages stay out of the API
