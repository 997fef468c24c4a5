"""Every setting of the policy in the service: the rows a member sees in their region, the
UK's Microsoft row switched on its own, Global Privacy Control recorded once, and the
objection workflow (file, review, uphold or reject) down to the snapshot built for the
purpose."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from consentgate.ledger import init_ledger
from consentgate.ledger.objections import one_month_after
from consentgate.ledger.store import Ledger
from consentgate.policy import load_policy
from consentgate.service.app import create_app
from consentgate.service.config import ServiceConfig
from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
from tests.conftest import tiny_tables, write_source
from tests.service.conftest import admin_headers, bearer
from tests.service.live import ADMIN_KEY, TOKEN_SECRET

UTC = dt.UTC
POLICY = load_policy()
GENAI, MICROSOFT, ADS, OTHER_AI = POLICY.setting_keys()


class Clock:
    """A settable clock: the service and the ledger read the time from it."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _tables() -> dict:
    tables = tiny_tables()
    adult = dict(birth_date=dt.date(1980, 5, 5), joined_at=dt.datetime(2012, 1, 1, tzinfo=UTC),
                 deleted_at=None, language="en")
    tables["members"] += [dict(member_id="gb_adult", country="GB", **adult),
                          dict(member_id="us_adult", country="US", **adult),
                          dict(member_id="fr_other", country="FR", **adult)]
    for mid in ("fr_adult", "fr_other", "gb_adult"):
        tables["records"].append(dict(
            record_id=f"{mid}-post", member_id=mid, kind="post", visibility="public",
            group_id=None, created_at=dt.datetime(2025, 12, 1, tzinfo=UTC), deleted_at=None,
            text="Notes from the platform team"))
    return tables


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 3, 10, 9, 0, tzinfo=UTC))


@pytest.fixture
def setup(tmp_path: Path, clock: Clock) -> Iterator[tuple[TestClient, ServiceConfig, Path]]:
    source = write_source(tmp_path / "platform", _tables())
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    init_ledger(db)
    config = ServiceConfig(db=db, policy=POLICY, token_secret=TOKEN_SECRET,
                           admin_key=ADMIN_KEY, source=source, demo=True, clock=clock)
    app = create_app(config, Ledger(db, clock=clock))
    with TestClient(app) as client:
        yield client, config, source
    app.state.service.close()


def _keys(client: TestClient, config: ServiceConfig, member: str) -> list[str]:
    answer = client.get("/api/v1/me/settings", headers=bearer(config, member))
    assert answer.status_code == 200, answer.text
    return [s["setting"] for s in answer.json()["settings"]]


def _events(config: ServiceConfig, member: str) -> list:
    with Ledger(config.db) as ledger:
        return ledger.history(member)


def test_each_region_sees_its_rows(setup) -> None:  # type: ignore[no-untyped-def]
    client, config, _ = setup
    assert _keys(client, config, "gb_adult") == [GENAI, MICROSOFT, ADS, OTHER_AI]
    assert _keys(client, config, "fr_adult") == [GENAI, OTHER_AI]
    assert _keys(client, config, "us_adult") == [GENAI, ADS]
    assert _keys(client, config, "unknown_member") == [GENAI]  # region unknown: primary only
    rows = client.get("/api/v1/me/settings", headers=bearer(config, "gb_adult")).json()
    by_key = {r["setting"]: r for r in rows["settings"]}
    assert by_key[MICROSOFT]["recipient"] == "Microsoft"
    assert by_key[OTHER_AI]["mechanism"] == "objection"
    assert by_key[ADS]["purpose"] == "marketing.advertising.third_party.targeted"
    assert all(r["value"] is True and r["is_default"] for r in rows["settings"])


def test_uk_member_refuses_microsoft_only(setup) -> None:  # type: ignore[no-untyped-def]
    client, config, _ = setup
    headers = bearer(config, "gb_adult")
    put = client.put(f"/api/v1/me/settings/{MICROSOFT}", json={"value": False}, headers=headers)
    assert put.status_code == 200, put.text
    body = put.json()
    assert body["state"]["setting"] == MICROSOFT and body["state"]["value"] is False
    assert client.get(f"/api/v1/me/settings/{GENAI}", headers=headers).json()["value"] is True
    assert client.get(f"/api/v1/me/settings/{MICROSOFT}",
                      headers=headers).json()["value"] is False
    receipt = client.get(body["receipt_url"], headers=headers).json()
    purpose = receipt["processing"][0]["purposes"][0]
    assert purpose["setting"] == MICROSOFT and purpose["recipient"] == "Microsoft"
    assert "Microsoft" in purpose["setting_name"]
    kantara = client.get(body["receipt_url"] + "?format=kantara", headers=headers).json()
    assert kantara["services"][0]["purposes"][0]["thirdPartyDisclosure"] is True
    # history of the primary setting is unchanged
    assert client.get("/api/v1/me/history", headers=headers).json()["events"] == []


def test_rows_outside_the_region_and_objections_cannot_be_switched(setup) -> None:  # type: ignore[no-untyped-def]
    client, config, _ = setup
    fr = bearer(config, "fr_adult")
    refused = client.put(f"/api/v1/me/settings/{MICROSOFT}", json={"value": False}, headers=fr)
    assert refused.status_code == 422 and "region" in refused.json()["detail"]
    assert client.get(f"/api/v1/me/settings/{ADS}", headers=fr).status_code == 404
    objection = client.put(f"/api/v1/me/settings/{OTHER_AI}", json={"value": False},
                           headers=fr)
    assert objection.status_code == 422 and "objects" in objection.json()["detail"]
    assert client.put("/api/v1/me/settings/no_such_row", json={"value": False},
                      headers=fr).status_code == 404
    assert _events(config, "fr_adult") == []


# -- Global Privacy Control ----------------------------------------------------------------
def test_gpc_records_exactly_one_opt_out(setup) -> None:  # type: ignore[no-untyped-def]
    client, config, _ = setup
    headers = {**bearer(config, "us_adult"), "Sec-GPC": "1"}
    for _ in range(3):
        assert client.get("/api/v1/me/settings", headers=headers).status_code == 200
    events = _events(config, "us_adult")
    assert [(e.setting, e.value, e.source) for e in events] == [(ADS, False, "gpc")]
    rows = {r["setting"]: r for r in client.get("/api/v1/me/settings",
                                                 headers=headers).json()["settings"]}
    assert rows[ADS]["value"] is False and rows[GENAI]["value"] is True
    # the member may still choose: turning it on again is recorded, GPC does not undo it
    client.put(f"/api/v1/me/settings/{ADS}", json={"value": True}, headers=headers)
    client.get("/api/v1/me/settings", headers=headers)
    assert [(e.value, e.source) for e in _events(config, "us_adult")] == [
        (True, "api"), (False, "gpc")]


def test_gpc_once_under_concurrent_requests_and_in_a_fresh_service(setup, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client, config, _source = setup
    headers = {**bearer(config, "us_adult"), "Sec-GPC": "1"}
    answers: list[int] = []

    def ask() -> None:
        answers.append(client.get(f"/api/v1/me/settings/{GENAI}", headers=headers).status_code)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [200] * 8
    # a second service process on the same ledger (its own cache is empty) adds nothing
    other = create_app(config)
    with TestClient(other) as second:
        assert second.get("/api/v1/me/settings", headers=headers).status_code == 200
    other.state.service.close()
    assert len([e for e in _events(config, "us_adult") if e.source == "gpc"]) == 1


def test_gpc_only_where_the_policy_says(setup) -> None:  # type: ignore[no-untyped-def]
    client, config, _ = setup
    for member in ("gb_adult", "fr_adult", "unknown_member"):  # ads row in GB, but no GPC rule
        client.get("/api/v1/me/settings", headers={**bearer(config, member), "Sec-GPC": "1"})
        assert _events(config, member) == []
    # "Sec-GPC: 0" or any other value is no signal
    client.get("/api/v1/me/settings", headers={**bearer(config, "us_adult"), "Sec-GPC": "0"})
    assert _events(config, "us_adult") == []


def test_gpc_on_the_primary_fast_path_is_still_recorded(setup) -> None:  # type: ignore[no-untyped-def]
    client, config, _ = setup
    headers = {**bearer(config, "us_adult"), "Sec-GPC": "1"}
    put = client.put(f"/api/v1/me/settings/{GENAI}", json={"value": False}, headers=headers)
    assert put.status_code == 200
    assert sorted((e.setting, e.source) for e in _events(config, "us_adult")) == sorted([
        (ADS, "gpc"), (GENAI, "api")])


def _sign_in(client: TestClient, member: str, lang: str = "en") -> str:
    page = client.get(f"/demo?lang={lang}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/demo/signin", data={"member_id": member, "csrf_token": csrf, "lang": lang})
    return csrf


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_gpc_on_the_pages_says_so(setup) -> None:  # type: ignore[no-untyped-def]
    client, config, _ = setup
    _sign_in(client, "us_adult")
    page = client.get("/settings/data-privacy", headers={"Sec-GPC": "1"})
    assert "Global Privacy Control" in page.text and "Data sharing" in page.text
    row = client.get("/settings/data-privacy/data-sharing", headers={"Sec-GPC": "1"})
    assert row.status_code == 200
    assert 'class="alert alert-info gpc-note"' in row.text
    assert 'aria-checked="false"' in row.text
    assert len(_events(config, "us_adult")) == 1


# -- objections ----------------------------------------------------------------------------
def test_objection_filed_once_answered_once(setup, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    client, config, _ = setup
    fr = bearer(config, "fr_adult")
    filed = client.post("/api/v1/me/objections", headers=fr, json={
        "setting": OTHER_AI, "text": "I do not want my feed profiled.\nPlease stop."})
    assert filed.status_code == 201, filed.text
    objection = filed.json()["objection"]
    assert objection["status"] == "pending" and not filed.json()["already_pending"]
    filed_at = dt.datetime.fromisoformat(objection["filed_at"])
    assert filed_at == clock.now
    assert dt.datetime.fromisoformat(objection["answer_due_by"]) == dt.datetime(
        2026, 4, 10, 9, 0, tzinfo=UTC)
    again = client.post("/api/v1/me/objections", headers=fr,
                        json={"setting": OTHER_AI, "text": "again"})
    assert again.status_code == 200 and again.json()["already_pending"]
    assert again.json()["objection"]["objection_id"] == objection["objection_id"]
    receipt = client.get(objection["receipt_url"], headers=fr).json()
    assert receipt["event"][0]["event_state"] == "objection_pending"
    assert receipt["event"][0]["right"] == "GDPR Art. 21(1)"
    # another member cannot read it
    assert client.get(objection["receipt_url"],
                      headers=bearer(config, "fr_other")).status_code == 404
    assert _events(config, "fr_adult") == []  # nothing in the log while pending

    queue = client.get("/api/v1/admin/objections", headers=admin_headers()).json()
    assert [o["objection_id"] for o in queue["objections"]] == [objection["objection_id"]]
    assert queue["objections"][0]["member_id"] == "fr_adult"
    assert client.get("/api/v1/admin/objections").status_code == 401

    clock.now += dt.timedelta(days=9)
    decided = client.post(f"/api/v1/admin/objections/{objection['objection_id']}/decision",
                          headers=admin_headers(),
                          json={"decision": "uphold", "reason": "Your situation outweighs ours."})
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "upheld"
    events = _events(config, "fr_adult")
    assert [(e.setting, e.value, e.source) for e in events] == [(OTHER_AI, False, "objection")]
    assert events[0].effective_at == filed_at  # effective from the filing, not the answer
    assert events[0].recorded_at == clock.now
    assert decided.json()["event_receipt_id"] == events[0].receipt_id

    twice = client.post(f"/api/v1/admin/objections/{objection['objection_id']}/decision",
                        headers=admin_headers(), json={"decision": "reject", "reason": "no"})
    assert twice.status_code == 409
    assert len(_events(config, "fr_adult")) == 1
    mine = client.get("/api/v1/me/objections", headers=fr).json()["objections"]
    assert mine[0]["status"] == "upheld" and mine[0]["reason"] == "Your situation outweighs ours."
    refiled = client.post("/api/v1/me/objections", headers=fr,
                          json={"setting": OTHER_AI, "text": "once more"})
    assert refiled.status_code == 409
    rows = {r["setting"]: r for r in client.get("/api/v1/me/settings",
                                                 headers=fr).json()["settings"]}
    assert rows[OTHER_AI]["value"] is False


def test_objection_rejected_records_no_event(setup) -> None:  # type: ignore[no-untyped-def]
    client, config, _ = setup
    other = bearer(config, "fr_other")
    oid = client.post("/api/v1/me/objections", headers=other, json={
        "setting": OTHER_AI, "text": "no reason"}).json()["objection"]["objection_id"]
    answer = client.post(f"/api/v1/admin/objections/{oid}/decision", headers=admin_headers(),
                         json={"decision": "reject", "reason": "Safety models must see all."})
    assert answer.json()["status"] == "rejected"
    assert _events(config, "fr_other") == []
    _sign_in(client, "fr_other")
    assert "Objection rejected" in client.get("/settings/data-privacy").text
    # a rejected objection may be followed by a new one, with new grounds
    assert client.post("/api/v1/me/objections", headers=other, json={
        "setting": OTHER_AI, "text": "new grounds"}).status_code == 201
    statuses = [o["status"] for o in client.get(
        "/api/v1/admin/objections?status=all", headers=admin_headers()).json()["objections"]]
    assert sorted(statuses) == ["pending", "rejected"]


def test_bad_objections_are_refused(setup) -> None:  # type: ignore[no-untyped-def]
    client, config, _ = setup
    fr, us = bearer(config, "fr_adult"), bearer(config, "us_adult")
    for body, status in (
        ({"setting": GENAI, "text": "x"}, 422),  # a switch, not an objection
        ({"setting": "nope", "text": "x"}, 422),
        ({"setting": OTHER_AI, "text": ""}, 422),
        ({"setting": OTHER_AI, "text": "   "}, 422),
        ({"setting": OTHER_AI, "text": "a\x00b"}, 422),
        ({"setting": OTHER_AI, "text": "x" * 5001}, 422),
        ({"setting": OTHER_AI, "text": "x", "extra": 1}, 422),
    ):
        answer = client.post("/api/v1/me/objections", headers=fr, json=body)
        assert answer.status_code == status, (body, answer.text)
    assert client.post("/api/v1/me/objections", headers=us,
                       json={"setting": OTHER_AI, "text": "x"}).status_code == 422  # not in US
    missing = client.post("/api/v1/admin/objections/00000000-0000-4000-8000-000000000000"
                          "/decision", headers=admin_headers(),
                          json={"decision": "uphold", "reason": "x"})
    assert missing.status_code == 404
    assert client.get("/api/v1/admin/objections", headers=admin_headers()).json() == {
        "objections": []}


def test_answered_objections_cannot_be_rewritten_in_the_database(setup) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    client, config, _ = setup
    oid = client.post("/api/v1/me/objections", headers=bearer(config, "fr_adult"), json={
        "setting": OTHER_AI, "text": "x"}).json()["objection"]["objection_id"]
    client.post(f"/api/v1/admin/objections/{oid}/decision", headers=admin_headers(),
                json={"decision": "reject", "reason": "r"})
    engine = sa.create_engine(config.db)
    with engine.begin() as conn, pytest.raises(sa.exc.DatabaseError, match="answered once"):
        conn.execute(sa.text("UPDATE ledger_objections SET status = 'upheld'"))
    with engine.begin() as conn, pytest.raises(sa.exc.DatabaseError, match="never deleted"):
        conn.execute(sa.text("DELETE FROM ledger_objections"))
    engine.dispose()


def test_the_deadline_is_one_calendar_month() -> None:
    assert one_month_after(dt.datetime(2026, 1, 31, 12, tzinfo=UTC)) == dt.datetime(
        2026, 2, 28, 12, tzinfo=UTC)
    assert one_month_after(dt.datetime(2028, 1, 31, tzinfo=UTC)).day == 29  # leap year
    assert one_month_after(dt.datetime(2026, 12, 15, tzinfo=UTC)) == dt.datetime(
        2027, 1, 15, tzinfo=UTC)


def test_objection_pages_member_and_admin(setup) -> None:  # type: ignore[no-untyped-def]
    client, _config, _ = setup
    _sign_in(client, "fr_adult", "fr")
    overview = client.get("/settings/data-privacy")
    assert "Autres usages de l&#39;IA" in overview.text and "Aucune opposition" in overview.text
    page = client.get("/settings/data-privacy/other-ai-uses")
    assert 'name="text"' in page.text and "RGPD art. 21" in page.text
    posted = client.post("/settings/data-privacy/other-ai-uses", data={
        "text": "Mon fil ne doit pas être profilé.", "csrf_token": _csrf(page.text)})
    assert posted.status_code == 200 and "Votre opposition est enregistrée" in posted.text
    assert 'data-status="pending"' in posted.text
    no_csrf = client.post("/settings/data-privacy/other-ai-uses", data={"text": "x"})
    assert no_csrf.status_code == 403

    admin = TestClient(client.app)
    queue = admin.get("/admin/objections")
    assert 'name="admin_key"' in queue.text and "data-objection" not in queue.text
    wrong = admin.post("/admin/signin", data={"admin_key": "nope",
                                              "csrf_token": _csrf(queue.text)})
    assert "not accepted" in wrong.text
    signed = admin.post("/admin/signin", data={"admin_key": ADMIN_KEY,
                                               "csrf_token": _csrf(queue.text)})
    assert "Mon fil ne doit pas être profilé." in signed.text
    oid = re.search(r'data-objection="([^"]+)"', signed.text).group(1)
    decided = admin.post(f"/admin/objections/{oid}", data={
        "decision": "uphold", "reason": "Accepté.", "csrf_token": _csrf(signed.text)})
    assert "Objection upheld" in decided.text
    assert "data-objection" not in decided.text  # the pending queue is empty now
    member_view = client.get("/settings/data-privacy/other-ai-uses")
    assert 'data-status="upheld"' in member_view.text and "Accepté." in member_view.text
    assert "Opposition acceptée" in client.get("/settings/data-privacy").text
    receipt = client.get(f"/settings/objections/{oid}/receipt").json()
    assert receipt["event"][0]["event_state"] == "objection_upheld"


def test_upheld_objection_excludes_from_its_time_in_the_snapshot(setup, tmp_path, clock,  # type: ignore[no-untyped-def]
                                                                 monkeypatch) -> None:
    """End to end: the ledger the service wrote is the build's consent source. The member
    whose objection was upheld is out of the purpose's snapshots from the filing instant
    on, in before; the one whose objection was rejected stays in."""
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "33" * 32)
    client, config, source = setup
    filed_at = clock.now
    ids = {}
    for member in ("fr_adult", "fr_other"):
        ids[member] = client.post("/api/v1/me/objections", headers=bearer(config, member),
                                  json={"setting": OTHER_AI, "text": "grounds"}
                                  ).json()["objection"]["objection_id"]
    clock.now += dt.timedelta(days=3)
    for member, decision in (("fr_adult", "uphold"), ("fr_other", "reject")):
        client.post(f"/api/v1/admin/objections/{ids[member]}/decision",
                    headers=admin_headers(), json={"decision": decision, "reason": "r"})
    clock.now += dt.timedelta(days=1)

    def members_in(as_of: dt.datetime, name: str) -> set[str]:
        out = tmp_path / name
        build_snapshot(BuildOptions(source, POLICY, as_of, out, purpose=OTHER_AI,
                                    consent=config.db))
        result = verify_snapshot(out, source, POLICY, consent=config.db)
        assert result.ok, result.violations
        return set(pq.read_table(out / "lineage").column("member_id").to_pylist())

    tick = dt.timedelta(microseconds=1)
    before = members_in(filed_at - tick, "before")
    at = members_in(filed_at, "at")
    after = members_in(clock.now, "after")
    assert {"fr_adult", "fr_other", "gb_adult"} <= before
    assert "fr_adult" not in at and "fr_adult" not in after  # an event at exactly T counts
    assert {"fr_other", "gb_adult"} <= after
    # the snapshot built before the filing: its withdrawal list at T2 names the member's
    # records (and only theirs), for teams holding copies of it
    from consentgate.snapshot.purge import list_withdrawals

    lineage = pq.read_table(tmp_path / "before" / "lineage").to_pylist()
    theirs = {r["record_uid"] for r in lineage if r["member_id"] == "fr_adult"}
    assert theirs
    listed = list_withdrawals(tmp_path / "before", source, clock.now, tmp_path / "w.parquet",
                              policy=POLICY, consent=config.db)
    rows = pq.read_table(tmp_path / "w.parquet").to_pylist()
    assert {r["record_uid"] for r in rows} == theirs and listed.rows == len(theirs)
    assert {r["reason"] for r in rows} == {"opted_out"}
    # the primary purpose is untouched by an objection to another one
    genai = tmp_path / "genai"
    build_snapshot(BuildOptions(source, POLICY, clock.now, genai, consent=config.db))
    assert "fr_adult" in set(pq.read_table(genai / "lineage").column("member_id").to_pylist())


def test_the_service_decides_with_the_notice_rule(tmp_path: Path, clock: Clock) -> None:
    """The service's view of a member is a build's: a member of a notice region told too
    late, or never, is out with not_notified; told in time, in; the US has no notice rule."""
    from consentgate.eligibility.reasons import Reason
    from consentgate.service.core import SettingsService

    tables = _tables()
    told = dt.datetime(2025, 9, 18, tzinfo=UTC)
    tables["notifications"] = [
        dict(member_id="fr_adult", setting=GENAI, notified_at=told),
        dict(member_id="fr_other", setting=GENAI, notified_at=clock.now - dt.timedelta(days=3)),
    ]
    source = write_source(tmp_path / "platform", tables)
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    init_ledger(db)
    service = SettingsService(ServiceConfig(db=db, policy=POLICY, token_secret=TOKEN_SECRET,
                                            source=source, clock=clock))
    try:
        reasons = {m: service.directory.decide(m, [], clock.now).reasons
                   for m in ("fr_adult", "fr_other", "gb_adult", "us_adult")}
        assert reasons["fr_adult"] == () and reasons["us_adult"] == ()
        assert reasons["fr_other"] == (Reason.NOT_NOTIFIED,)  # told 3 days before, not 46
        assert reasons["gb_adult"] == (Reason.NOT_NOTIFIED,)  # never told
        assert service.view("gb_adult").profile.reasons == (Reason.NOT_NOTIFIED,)
        # asked again 46 days after that notice, the same member is in
        later = clock.now - dt.timedelta(days=3) + dt.timedelta(days=46)
        assert service.directory.decide("fr_other", [], later).reasons == ()
    finally:
        service.close()
