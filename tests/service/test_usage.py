""""Was my data used?" on the settings page and in the API, the access report and the
erasure request, on real snapshots, a real registry and the real ledger (usage_world.py):

- OPTED was in S1 (15 January 2026), which trained assistant-writer 1.0 on 20 January (and a
  summariser run that failed), turned the setting off on 2 February, so S2 (1 March) does
  not hold them;
- BOTH is in S1 and S2 (S2 trained assistant-writer 2.0);
- MINOR is treated as a minor; NEWCOMER joined after S2.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from consentgate.ledger import Ledger
from consentgate.service.app import create_app
from consentgate.service.auth import mint_member_token
from consentgate.service.config import ServiceConfig
from tests.service.conftest import SETTING_PAGE, bearer
from tests.service.live import ADMIN_KEY, TOKEN_SECRET
from tests.service.test_pages import csrf_of, demo_sign_in, text_of
from tests.service.usage_world import OFF_AT, World, shared_registry

USAGE = "/api/v1/me/usage"
REPORT = "/api/v1/me/access-report"
ERASURE = "/api/v1/me/erasure"
PAGE_REPORT = f"{SETTING_PAGE}/access-report"
PAGE_ERASURE = f"{SETTING_PAGE}/erasure"
MEMBER_ID = re.compile(r"m\d{8}")


@pytest.fixture
def usage_config(world: World, tmp_path: Path, policy) -> ServiceConfig:  # type: ignore[no-untyped-def]
    db, registry = world.copy_into(tmp_path / "state")
    return ServiceConfig(db=db, policy=policy, token_secret=TOKEN_SECRET, admin_key=ADMIN_KEY,
                         source=world.network, demo=True, registry=registry)


@pytest.fixture
def uclient(usage_config: ServiceConfig) -> Iterator[TestClient]:
    app = create_app(usage_config)
    with TestClient(app) as client:
        yield client
    app.state.service.close()


def usage_section(page: str) -> str:
    start = page.index('id="usage"')
    return text_of(page[start:page.index('class="card history"', start)])


# -- the answer, in the API -------------------------------------------------------------------
def test_an_opted_out_member_sees_s1_its_model_and_that_s2_left_them_out(
    uclient: TestClient, usage_config: ServiceConfig, world: World
) -> None:
    me = bearer(usage_config, world.opted)
    answer = uclient.get(USAGE, headers=me)
    assert answer.status_code == 200
    body = answer.json()
    assert body["used"] is True and body["complete"] is True
    assert [s["snapshot_id"] for s in body["snapshots"]] == [world.s1_id]
    held = body["snapshots"][0]
    assert held["records"] == sum(held["records_by_kind"].values()) > 0
    assert held["used_by_runs"] == [world.r1]  # not the failed run
    assert {r["run_id"] for r in body["runs"]} == {world.r1, world.r_failed}
    assert [(m["name"], m["version"], m["state"]) for m in body["models"]] == [
        ("assistant-writer", "1.0", "trained")]
    assert body["not_included"] == [{"snapshot_id": world.s2_id, "as_of": "2026-03-01T00:00:00Z",
                                     "state": "published", "reason": "opted_out"}]
    assert body["opted_out_at"] == OFF_AT.isoformat().replace("+00:00", "Z")
    assert body["first_snapshot_after_opt_out"] == {
        "snapshot_id": world.s2_id, "as_of": "2026-03-01T00:00:00Z", "includes_you": False}
    assert body["why_not_used"] is None and body["erasure"]["requested"] is False
    assert [e["event"] for e in body["history"]] == ["turned_off"]
    assert body["setting_value"] is False
    summary = " ".join(body["summary"])
    for words in ("one training dataset, dated January 15, 2026",
                  "assistant-writer 1.0 (trained January 20, 2026)",
                  "Since you turned the setting off on February 2, 2026, no new dataset",
                  "the first one prepared after that is dated March 1, 2026",
                  "Models trained before that stay as they were."):
        assert words in summary, words
    assert "summariser" not in summary and "2.0" not in summary

    french = " ".join(uclient.get(f"{USAGE}?lang=fr", headers=me).json()["summary"])
    for words in ("un jeu de données d'entraînement, daté du 15 janvier 2026",
                  "assistant-writer 1.0 (entraîné le 20 janvier 2026)",
                  "désactivé la préférence le 2 février 2026",
                  "le premier préparé ensuite est daté du 1er mars 2026"):
        assert words in french, words


def test_a_member_in_both_datasets_gets_both_models_in_the_plural(
    uclient: TestClient, usage_config: ServiceConfig, world: World
) -> None:
    me = bearer(usage_config, world.both)
    body = uclient.get(USAGE, headers=me).json()
    assert [s["snapshot_id"] for s in body["snapshots"]] == [world.s1_id, world.s2_id]
    assert [(m["name"], m["version"]) for m in body["models"]] == [
        ("assistant-writer", "1.0"), ("assistant-writer", "2.0")]
    assert body["not_included"] == [] and body["opted_out_at"] is None
    summary = " ".join(body["summary"])
    assert "2 training datasets, dated between January 15, 2026 and March 1, 2026" in summary
    assert "2 of them were used to train assistant-writer 1.0" in summary
    french = " ".join(uclient.get(f"{USAGE}?lang=fr", headers=me).json()["summary"])
    assert "2 jeux de données d'entraînement, datés du 15 janvier 2026 au 1er mars 2026" in french
    assert "2 d'entre eux ont servi à entraîner" in french


def test_a_minor_is_told_why_they_were_never_used(
    uclient: TestClient, usage_config: ServiceConfig, world: World
) -> None:
    body = uclient.get(USAGE, headers=bearer(usage_config, world.minor)).json()
    assert body["used"] is False and body["snapshots"] == [] and body["models"] == []
    assert body["why_not_used"] in ("minor_age", "minor_secondary_school")
    assert {n["reason"] for n in body["not_included"]} == {body["why_not_used"]}
    assert len(body["not_included"]) == 2
    summary = " ".join(body["summary"])
    assert "None of our training datasets includes your data" in summary
    assert "under 18" in summary


def test_a_newcomer_is_not_yet_in_any_dataset(
    uclient: TestClient, usage_config: ServiceConfig, world: World
) -> None:
    body = uclient.get(USAGE, headers=bearer(usage_config, world.newcomer)).json()
    assert body["used"] is False and body["why_not_used"] == "not_joined"
    summary = " ".join(body["summary"])
    assert "Your data is not yet in any training dataset" in summary
    assert "from before you joined" in summary


def test_a_member_unknown_to_the_registry_and_the_platform(
    uclient: TestClient, usage_config: ServiceConfig
) -> None:
    body = uclient.get(USAGE, headers=bearer(usage_config, "someone-new")).json()
    assert body["used"] is False and body["why_not_used"] == "not_yet_in_any_dataset"
    assert {n["reason"] for n in body["not_included"]} == {"not_included"}
    assert "not yet in any training dataset" in " ".join(body["summary"])


def test_without_a_registry_the_page_says_so_and_the_api_answers_503(
    config: ServiceConfig, client: TestClient
) -> None:
    assert config.registry is None
    answer = client.get(USAGE, headers=bearer(config, "fr_adult"))
    assert answer.status_code == 503 and "registry" in answer.json()["detail"]
    demo_sign_in(client, "fr_adult", "en")
    page = client.get(SETTING_PAGE)
    assert page.status_code == 200
    section = usage_section(page.text)
    assert "Your data and AI training" in section
    assert "is not available here" in section
    client.get(f"{SETTING_PAGE}?lang=fr")
    assert "ne sont pas disponibles ici" in usage_section(client.get(SETTING_PAGE).text)
    # the access report still comes, saying the usage part is not available
    report = client.get(PAGE_REPORT)
    assert report.status_code == 200 and report.json()["usage_available"] is False


def test_an_unreadable_registry_is_no_error_page(
    usage_config: ServiceConfig, tmp_path: Path
) -> None:
    usage_config.registry = str(tmp_path / "no-such-registry.db")
    with TestClient(create_app(usage_config)) as client:
        answer = client.get(USAGE, headers=bearer(usage_config, "fr_adult"))
        assert answer.status_code == 503 and answer.headers["Retry-After"]
        demo_sign_in(client, "fr_adult")
        page = client.get(SETTING_PAGE)
        assert page.status_code == 200
        assert "cannot be read right now" in usage_section(page.text)
    assert not (tmp_path / "no-such-registry.db").exists()  # read-only: nothing created


def test_the_registry_may_live_in_the_ledgers_database(
    world: World, tmp_path: Path, policy  # type: ignore[no-untyped-def]
) -> None:
    db, _ = world.copy_into(tmp_path / "state")
    shared_registry(world, db)
    config = ServiceConfig(db=db, policy=policy, token_secret=TOKEN_SECRET, source=world.network,
                           registry=db)
    with TestClient(create_app(config)) as client:
        body = client.get(USAGE, headers=bearer(config, world.opted)).json()
        assert [s["snapshot_id"] for s in body["snapshots"]] == [world.s1_id]
        assert body["opted_out_at"] is not None
        # writes to the shared database still work while the registry is open for reading
        erased = client.post(ERASURE, headers=bearer(config, world.opted))
        assert erased.status_code == 201
        assert client.get(USAGE, headers=bearer(config, world.opted)).json()["erasure"][
            "requested"] is True


# -- the page ---------------------------------------------------------------------------------
def test_the_section_on_the_setting_page_in_english_and_french(
    uclient: TestClient, world: World
) -> None:
    demo_sign_in(uclient, world.opted, "en")
    privacy = uclient.get("/settings/data-privacy").text
    assert "Your data and AI training" in text_of(privacy) and f"{SETTING_PAGE}#usage" in privacy
    section = usage_section(uclient.get(SETTING_PAGE).text)
    for words in ("Your data was included in one training dataset, dated January 15, 2026.",
                  "It was used to train assistant-writer 1.0 (trained January 20, 2026).",
                  "Since you turned the setting off on February 2, 2026",
                  "Training datasets that do not include your data",
                  "the setting was off", world.s1_id, world.s2_id,
                  "Download your access report (JSON)", "Ask for my data to be erased"):
        assert words in section, words
    section = usage_section(uclient.get(f"{SETTING_PAGE}?lang=fr").text)
    for words in ("Vos données et l'entraînement de l'IA",
                  "Vos données ont été incluses dans un jeu de données d'entraînement, daté du "
                  "15 janvier 2026.",
                  "Il a servi à entraîner assistant-writer 1.0 (entraîné le 20 janvier 2026).",
                  "Depuis que vous avez désactivé la préférence le 2 février 2026",
                  "la préférence était désactivée",
                  "Télécharger votre rapport d'accès (JSON)"):
        assert words in section, words


def test_the_minor_and_the_newcomer_on_the_page(uclient: TestClient, world: World) -> None:
    demo_sign_in(uclient, world.minor, "en")
    section = usage_section(uclient.get(SETTING_PAGE).text)
    assert "None of our training datasets includes your data" in section
    assert "treated as a minor" in section
    uclient.cookies.clear()
    demo_sign_in(uclient, world.newcomer, "fr")
    section = usage_section(uclient.get(SETTING_PAGE).text)
    assert "ne figurent encore dans aucun jeu de données d'entraînement" in section
    assert "avant votre inscription" in section


# -- the access report ------------------------------------------------------------------------
def check_report(report: dict, world: World, member: str) -> None:
    assert report["format"] == "consentgate-access-report/1"
    assert report["data_subject"]["member_id"] == member
    assert report["controller"]["name"] and report["controller"]["url"]
    processing = report["processing"]
    assert processing["purpose_type"] == "train_ai_system"
    assert processing["legal_basis"] == "legitimate_interests"
    by_policy = {c["kind"]: c for c in report["categories_of_data"]["by_policy"]}
    assert by_policy["post"]["category"] == "user.content.public.member_generated"
    assert by_policy["private_message"]["used"] is False
    found = report["categories_of_data"]["found_in_your_datasets"]
    assert found and set(found) <= {c["category"] for c in by_policy.values() if c["used"]}
    (dataset,) = report["datasets"]
    assert dataset["snapshot_id"] == world.s1_id and dataset["as_of"] == "2026-01-15T00:00:00Z"
    assert sum(dataset["records_by_kind"].values()) == dataset["records"]
    assert set(dataset["categories"]) == set(found)
    assert [(m["name"], m["version"], m["trained_at"]) for m in report["models"]] == [
        ("assistant-writer", "1.0", "2026-01-20T00:00:00Z")]
    assert {r["run_id"] for r in report["training_runs"]} == {world.r1, world.r_failed}
    assert report["datasets_without_your_data"] == [
        {"snapshot_id": world.s2_id, "as_of": "2026-03-01T00:00:00Z", "reason": "opted_out"}]
    (event,) = report["setting"]["history"]
    assert event["event"] == "turned_off" and event["receipt_id"]
    assert {r["right"] for r in report["rights"]} >= {"access", "object", "erasure",
                                                      "complaint"}
    generated = dt.datetime.fromisoformat(report["generated_at"].replace("Z", "+00:00"))
    assert abs(dt.datetime.now(dt.UTC) - generated) < dt.timedelta(minutes=5)


def test_the_access_report_from_the_api_and_the_page(
    uclient: TestClient, usage_config: ServiceConfig, world: World
) -> None:
    answer = uclient.get(REPORT, headers=bearer(usage_config, world.opted))
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    check_report(json.loads(answer.content), world, world.opted)
    demo_sign_in(uclient, world.opted, "fr")
    page = uclient.get(PAGE_REPORT)
    assert page.headers["content-disposition"].startswith("attachment")
    report = page.json()
    check_report(report, world, world.opted)
    assert report["language"] == "fr" and "15 janvier 2026" in " ".join(report["summary"])


# -- erasure ----------------------------------------------------------------------------------
def test_erasure_through_the_api_is_recorded_once_with_a_receipt(
    uclient: TestClient, usage_config: ServiceConfig, world: World
) -> None:
    me = bearer(usage_config, world.both)
    first = uclient.post(ERASURE, headers=me, json={"language": "fr"})
    assert first.status_code == 201
    body = first.json()
    assert body["already_requested"] is False and body["event"]["setting"] == "erasure"
    receipt = uclient.get(body["receipt_url"], headers=me).json()
    assert receipt["record_id"] == body["receipt_id"]
    assert receipt["event"][0]["event_state"] == "erasure_requested"
    again = uclient.post(ERASURE, headers=me)
    assert again.status_code == 200
    assert again.json()["already_requested"] is True
    assert again.json()["receipt_id"] == body["receipt_id"]
    with Ledger(usage_config.db) as ledger:
        erasures = [e for e in ledger.history(world.both) if e.setting == "erasure"]
    assert [(e.value, e.source, e.language) for e in erasures] == [(True, "api", "fr")]
    usage = uclient.get(USAGE, headers=me).json()
    assert usage["erasure"]["requested"] is True
    assert usage["erasure"]["receipt_id"] == body["receipt_id"]
    assert [e["event"] for e in usage["history"]] == ["erasure_requested"]
    assert "No dataset prepared after that includes your data" in " ".join(usage["summary"])
    history = uclient.get("/api/v1/me/history", headers=me).json()["events"]
    assert [e["setting"] for e in history] == ["erasure"]


def test_erasure_on_the_page_needs_confirmation_and_csrf(
    uclient: TestClient, usage_config: ServiceConfig, world: World
) -> None:
    demo_sign_in(uclient, world.both, "en")
    setting = uclient.get(SETTING_PAGE).text
    assert PAGE_ERASURE in setting
    confirm = uclient.get(PAGE_ERASURE)
    assert confirm.status_code == 200
    words = text_of(confirm.text)
    assert "cannot be undone" in words and "stay as they are" in words
    for data in ({"confirm": "yes"}, {"confirm": "yes", "csrf_token": "guess"}):
        assert uclient.post(PAGE_ERASURE, data=data).status_code == 403
    cross = uclient.post(PAGE_ERASURE, data={"confirm": "yes", "csrf_token": csrf_of(confirm.text)},
                         headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    no_confirm = uclient.post(PAGE_ERASURE, data={"csrf_token": csrf_of(confirm.text)})
    assert no_confirm.status_code == 422
    with Ledger(usage_config.db) as ledger:
        assert not [e for e in ledger.history(world.both) if e.setting == "erasure"]

    done = uclient.post(PAGE_ERASURE, data={"confirm": "yes", "csrf_token": csrf_of(confirm.text)})
    assert done.status_code == 200 and done.url.path == SETTING_PAGE
    section = usage_section(done.text)
    assert "Your erasure request is recorded." in section
    assert "No dataset prepared after that includes your data" in section
    with Ledger(usage_config.db) as ledger:
        (event,) = [e for e in ledger.history(world.both) if e.setting == "erasure"]
    assert (event.value, event.source, event.language) == (True, "web", "en")
    assert f"/settings/receipts/{event.receipt_id}" in done.text
    history = text_of(done.text[done.text.index('class="card history"'):])
    assert "Erasure requested" in history
    receipt = uclient.get(f"/settings/receipts/{event.receipt_id}").json()
    assert receipt["event"][0]["event_state"] == "erasure_requested"

    # a second request is harmless: already recorded, nothing new
    again_page = uclient.get(PAGE_ERASURE)
    assert "already recorded" in text_of(again_page.text)
    again = uclient.post(PAGE_ERASURE, data={"confirm": "yes",
                                             "csrf_token": csrf_of(again_page.text)})
    assert "already recorded" in usage_section(again.text)
    with Ledger(usage_config.db) as ledger:
        assert len([e for e in ledger.history(world.both) if e.setting == "erasure"]) == 1


# -- only one's own ---------------------------------------------------------------------------
def test_a_member_never_sees_another_members_usage_report_or_erasure(
    uclient: TestClient, usage_config: ServiceConfig, world: World
) -> None:
    alice, bob = world.newcomer, world.opted  # bob was in S1 and opted out
    a = bearer(usage_config, alice)
    bob_receipt = uclient.post(ERASURE, headers=bearer(usage_config, bob)).json()["receipt_id"]
    answers = [
        uclient.get(USAGE, headers=a),
        uclient.get(f"{USAGE}?member_id={bob}&member={bob}&sub={bob}", headers=a),
        uclient.get(REPORT, headers=a),
        uclient.get(f"{REPORT}?member_id={bob}", headers=a),
        uclient.get(f"/api/v1/me/receipts/{bob_receipt}", headers=a),
    ]
    for answer in answers[:4]:
        assert answer.status_code == 200
        assert answer.json().get("used", False) is False
    assert answers[4].status_code == 404
    # a body naming bob is refused, and the erasure is alice's own
    assert uclient.post(ERASURE, headers=a, json={"member_id": bob}).status_code == 422
    # a token for bob signed with another key does not pass
    forged = mint_member_token(ServiceConfig(db="x", policy=usage_config.policy,
                                             token_secret="another-secret-" + "x" * 32), bob)
    assert uclient.get(USAGE, headers={"Authorization": f"Bearer {forged}"}).status_code == 401

    demo_sign_in(uclient, alice, "en")
    answers += [
        uclient.get(SETTING_PAGE),
        uclient.get(f"{SETTING_PAGE}?member_id={bob}"),
        uclient.get(f"{PAGE_REPORT}?member_id={bob}"),
        uclient.get(f"{PAGE_ERASURE}?member={bob}"),
        uclient.get(f"/settings/receipts/{bob_receipt}"),
    ]
    assert answers[-1].status_code == 404
    assert "Your data is not yet in any training dataset" in usage_section(answers[5].text)
    for answer in answers:
        text = answer.text
        assert bob not in text and bob_receipt not in text
        assert set(MEMBER_ID.findall(text)) <= {alice}, MEMBER_ID.findall(text)
        # bob's dataset (S1) is named to alice only as one that does not hold her
    report = uclient.get(PAGE_REPORT).json()
    assert report["data_subject"]["member_id"] == alice and report["datasets"] == []
    with Ledger(usage_config.db) as ledger:
        assert [e.member_id for e in ledger.history(bob) if e.setting == "erasure"] == [bob]
        assert not ledger.history(alice)


def test_logs_hold_no_personal_data(
    uclient: TestClient, usage_config: ServiceConfig, world: World,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    member = world.opted
    me = bearer(usage_config, member)
    uclient.get(USAGE, headers=me)
    uclient.get(REPORT, headers=me)
    receipt = uclient.post(ERASURE, headers=me).json()["receipt_id"]
    demo_sign_in(uclient, member)
    uclient.get(SETTING_PAGE)
    uclient.get(PAGE_REPORT)
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records
                       if not r.name.startswith(("httpx", "httpcore")))
    assert "GET /api/v1/me/usage 200" in logged and "POST /api/v1/me/erasure 201" in logged
    for secret in (member, receipt, world.s1_id, str(world.root)):
        assert secret not in logged


def test_dates_in_words_write_the_first_of_the_month_as_french_does() -> None:
    from consentgate.service.usage import day

    assert day(dt.date(2026, 3, 1), "fr") == "1er mars 2026"
    assert day(dt.date(2026, 3, 2), "fr") == "2 mars 2026"
    assert day(dt.date(2026, 3, 11), "fr") == "11 mars 2026"
    assert day(dt.date(2026, 3, 1), "en") == "March 1, 2026"
    # an instant late on the last day in UTC is that day, not the next
    assert day(dt.datetime(2026, 2, 28, 23, 59, tzinfo=dt.UTC), "fr") == "28 février 2026"


def test_a_dataset_that_cannot_be_checked_is_not_passed_over(
    world: World, tmp_path: Path, policy  # type: ignore[no-untyped-def]
) -> None:
    """S2, the first dataset after the opt-out, has moved away: the page and the API must
    not say that none was prepared since, and say the answer is incomplete."""
    import sqlite3

    db, registry = world.copy_into(tmp_path / "state")
    con = sqlite3.connect(registry)
    with con:
        con.execute("UPDATE registry_snapshots SET location = ? WHERE snapshot_id = ?",
                    (str(tmp_path / "moved-away"), world.s2_id))
    con.close()
    config = ServiceConfig(db=db, policy=policy, token_secret=TOKEN_SECRET, admin_key=ADMIN_KEY,
                           source=world.network, demo=True, registry=registry)
    app = create_app(config)
    try:
        with TestClient(app) as client:
            me = bearer(config, world.opted)
            body = client.get(USAGE, headers=me).json()
            assert body["complete"] is False
            assert body["first_snapshot_after_opt_out"] == {
                "snapshot_id": world.s2_id, "as_of": "2026-03-01T00:00:00Z",
                "includes_you": None}
            summary = " ".join(body["summary"] + body.get("warnings", []))
            assert "none has been prepared since" not in summary
            assert ("The first dataset prepared after that, dated March 1, 2026, could not be "
                    "checked just now.") in summary
            french = client.get(f"{USAGE}?lang=fr", headers=me).json()
            assert ("Le premier jeu de données préparé ensuite, daté du 1er mars 2026, n'a pas "
                    "pu être vérifié") in " ".join(french["summary"])
    finally:
        app.state.service.close()
