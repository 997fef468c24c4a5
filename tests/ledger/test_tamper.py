"""Tampering with the database behind the ledger's back is found by verify, which says where.

Each test first lifts the database's own append-only guard (as someone with enough rights
could), then edits, deletes, moves or inserts rows directly."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, text
from typer.testing import CliRunner

from consentgate.cli.ledger_cmd import app
from consentgate.ledger import Ledger, verify_ledger
from consentgate.ledger.chain import StoredEvent, event_hash
from consentgate.ledger.models import events_table
from tests.ledger.conftest import fill


def lift_guard(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("DROP TRIGGER ledger_events_append_only ON ledger_events"))
    else:
        conn.execute(text("DROP TRIGGER ledger_events_no_update"))
        conn.execute(text("DROP TRIGGER ledger_events_no_delete"))


def tamper(ledger: Ledger, *statements: str, **params: object) -> None:
    with ledger.engine.begin() as conn:
        lift_guard(conn)
        for statement in statements:
            conn.execute(text(statement), params)


def kinds(ledger: Ledger) -> list[tuple[int | None, str]]:
    return [(p.seq, p.kind) for p in verify_ledger(ledger).problems]


def test_an_intact_ledger_verifies(ledger: Ledger) -> None:
    fill(ledger)
    report = verify_ledger(ledger)
    assert report.ok and report.events == 6 and report.head_seq == 6


def test_an_edited_event_is_found(ledger: Ledger) -> None:
    events = fill(ledger)
    tamper(ledger, "UPDATE ledger_events SET value = NOT value WHERE seq = 3")
    report = verify_ledger(ledger)
    assert not report.ok
    assert kinds(ledger) == [(3, "edited")]
    assert f"event #3 (receipt {events[2].receipt_id}) was changed" in report.problems[0].message


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(ledger: Ledger) -> None:
    events = fill(ledger)
    forged = StoredEvent(**{**events[2].__dict__, "value": not events[2].value, "hash": ""})
    tamper(ledger, "UPDATE ledger_events SET value = :v, hash = :h WHERE seq = 3",
           v=forged.value, h=event_hash(forged.content()))
    assert kinds(ledger) == [(4, "broken_link")]
    assert "does not follow event #3" in verify_ledger(ledger).problems[0].message


def test_a_deleted_event_is_found(ledger: Ledger) -> None:
    fill(ledger)
    tamper(ledger, "DELETE FROM ledger_events WHERE seq = 4")
    report = verify_ledger(ledger)
    assert kinds(ledger) == [(5, "missing"), (5, "broken_link")]
    assert "event #4 missing before event #5" in report.problems[0].message


def test_events_deleted_from_the_end_are_found_through_the_head(ledger: Ledger) -> None:
    fill(ledger)
    tamper(ledger, "DELETE FROM ledger_events WHERE seq >= 5")
    report = verify_ledger(ledger)
    assert kinds(ledger) == [(None, "head_mismatch")]
    assert "chain ends at #4" in report.problems[0].message
    assert "deleted from the end" in report.problems[0].message


def test_reordered_events_are_found(ledger: Ledger) -> None:
    fill(ledger)
    tamper(
        ledger,
        "UPDATE ledger_events SET seq = 1000 WHERE seq = 2",
        "UPDATE ledger_events SET seq = 2 WHERE seq = 5",
        "UPDATE ledger_events SET seq = 5 WHERE seq = 1000",
    )
    found = kinds(ledger)
    assert (2, "edited") in found and (5, "edited") in found
    assert (2, "broken_link") in found and (3, "broken_link") in found


def test_an_inserted_event_is_found(ledger: Ledger) -> None:
    events = fill(ledger)
    last = events[-1]
    tamper(
        ledger,
        "INSERT INTO ledger_events (seq, receipt_id, member_id, setting, value, effective_at, "
        "recorded_at, source, policy_id, policy_version, notice_version, language, "
        "jurisdiction, prev_hash, hash) SELECT 7, 'forged-receipt', member_id, setting, "
        "NOT value, effective_at, recorded_at, source, policy_id, policy_version, "
        "notice_version, language, jurisdiction, hash, :fake FROM ledger_events WHERE seq = 6",
        fake="f" * 64,
    )
    report = verify_ledger(ledger)
    assert kinds(ledger) == [(7, "edited"), (7, "out_of_order"), (None, "head_mismatch")]
    assert "event #7 (receipt forged-receipt) was changed" in report.problems[0].message
    assert "event #7 was added behind the ledger's back" in report.problems[-1].message
    assert last.hash in {e.prev_hash for e in ledger.iter_events()}


def test_a_well_forged_insert_is_still_caught_by_the_head(ledger: Ledger) -> None:
    events = fill(ledger)
    last = events[-1]
    forged = StoredEvent(**{
        **last.__dict__, "seq": 7, "receipt_id": "forged-receipt", "value": not last.value,
        "recorded_at": last.recorded_at + dt.timedelta(seconds=1),
        "effective_at": last.effective_at + dt.timedelta(seconds=1),
        "prev_hash": last.hash, "hash": "",
    })
    row = {**forged.__dict__, "hash": event_hash(forged.content())}
    with ledger.engine.begin() as conn:
        conn.execute(events_table.insert(), [row])
    assert kinds(ledger) == [(None, "head_mismatch")]


def test_verify_on_the_command_line_fails_and_says_where(db_url: str) -> None:
    with Ledger(db_url) as ledger:
        fill(ledger)
        tamper(ledger, "UPDATE ledger_events SET member_id = 'someone-else' WHERE seq = 2")
    runner = CliRunner()
    result = runner.invoke(app, ["verify", "--db", db_url])
    assert result.exit_code == 1
    assert "TAMPERED" in result.output and "event #2" in result.output
    as_json = runner.invoke(app, ["verify", "--db", db_url, "--json"])
    assert as_json.exit_code == 1 and '"kind": "edited"' in as_json.output
