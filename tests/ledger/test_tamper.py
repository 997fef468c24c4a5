"""Tampering with the database behind the ledger's back is found by verify, which says where.

Each test first lifts the database's own append-only guards (as someone with enough rights
could), then edits, deletes, moves or inserts rows directly. The strongest attacker rewrites
the tree too (every leaf hash, every node, the head's root) and deletes the signed heads:
only a signed head kept from before (by a member, a snapshot, a witness) catches them, through
a consistency proof, as long as they do not hold the signing key."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, text
from typer.testing import CliRunner

from consentgate.cli.ledger_cmd import app
from consentgate.ledger import Ledger, init_ledger, verify_ledger
from consentgate.ledger.chain import StoredEvent, to_us
from consentgate.ledger.merkle import Frontier
from consentgate.ledger.models import events_table
from consentgate.ledger.signing import SigningKey
from tests.ledger.conftest import change, fill

GUARDED = ("ledger_events", "ledger_nodes", "ledger_tree_heads")


def lift_guard(conn: Connection) -> None:
    for table in GUARDED:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"))
        else:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_update"))
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_delete"))


def tamper(ledger: Ledger, *statements: str, **params: object) -> None:
    with ledger.engine.begin() as conn:
        lift_guard(conn)
        for statement in statements:
            conn.execute(text(statement), params)


def rebuild_tree(ledger: Ledger, forget_signed_heads: bool = True) -> None:
    """What a careful attacker does after editing events: recompute every leaf hash, every
    node and the head's root, and delete the signed heads that would give them away."""
    with ledger.engine.begin() as conn:
        lift_guard(conn)
        rows = conn.execute(events_table.select().order_by(events_table.c.seq)).all()
        frontier, nodes = Frontier(), []
        from consentgate.ledger.store import _row_to_event

        for row in rows:
            event = _row_to_event(row)
            leaf = event.computed_hash()
            conn.execute(text("UPDATE ledger_events SET hash = :h WHERE seq = :s"),
                         {"h": leaf, "s": event.seq})
            nodes += frontier.append(bytes.fromhex(leaf))[1:]
        conn.execute(text("DELETE FROM ledger_nodes"))
        for level, idx, digest in nodes:
            conn.execute(text("INSERT INTO ledger_nodes (level, idx, hash) VALUES (:l, :i, :h)"),
                         {"l": level, "i": idx, "h": digest.hex()})
        conn.execute(text("UPDATE ledger_head SET seq = :s, hash = :h, frontier = :f "
                          "WHERE id = 1"),
                     {"s": len(rows), "h": frontier.root().hex(),
                      "f": "".join(h.hex() for h in frontier.hashes())})
        if forget_signed_heads:
            conn.execute(text("DELETE FROM ledger_tree_heads"))


def kinds(ledger: Ledger, **kwargs: object) -> list[tuple[int | None, str]]:
    return [(p.seq, p.kind) for p in verify_ledger(ledger, **kwargs).problems]  # type: ignore[arg-type]


@pytest.fixture
def key() -> SigningKey:
    return SigningKey(Ed25519PrivateKey.generate())


def test_an_intact_ledger_verifies(ledger: Ledger, key: SigningKey) -> None:
    fill(ledger, 3)
    kept = ledger.sign_head(key)
    fill(ledger, 4)
    ledger.sign_head(key)
    report = verify_ledger(ledger, since=kept, trusted_keys={key.key_id: key.public})
    assert report.ok, report.problems
    assert report.events == 7 and report.head_seq == 7 and report.signed_heads == 2


def test_an_edited_event_is_found(ledger: Ledger) -> None:
    events = fill(ledger)
    tamper(ledger, "UPDATE ledger_events SET value = NOT value WHERE seq = 3")
    report = verify_ledger(ledger)
    assert kinds(ledger) == [(3, "edited")]
    assert f"event #3 (receipt {events[2].receipt_id}) was changed" in report.problems[0].message


@pytest.mark.parametrize("spelling", ["20251102T101500.000000", "2025-11-02 10:15:00.000000",
                                      "1762078500000000.5"])
def test_a_re_spelled_instant_is_tampering_not_a_new_time(db_url: str, spelling: str) -> None:
    """The attack that used to pass: another spelling of an instant. Instants are integers
    now, so any other stored value is reported, and a build refuses the ledger."""
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's bigint column cannot hold another spelling")
    with Ledger(db_url) as ledger:
        fill(ledger)
        tamper(ledger, "UPDATE ledger_events SET effective_us = :t WHERE seq = 2", t=spelling)
        problems = verify_ledger(ledger).problems
    assert [(p.seq, p.kind) for p in problems] == [(2, "edited")]
    assert "not integer microseconds" in problems[0].message
    from consentgate.ledger.exchange import read_verified

    read = read_verified(db_url, dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert not read.report.ok and read.events is None


@pytest.mark.parametrize(("column", "stored"), [("value", 2), ("value", "yes"),
                                                ("member_id", b"m1"), ("language", 7)])
def test_a_value_of_another_type_is_tampering(db_url: str, column: str, stored: object) -> None:
    """SQLite keeps any type in any column, and the driver reads 2 or 'yes' as True: the
    stored types are checked, not only the values as read."""
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's typed columns refuse these")
    with Ledger(db_url) as ledger:
        fill(ledger)
        # event #3 holds True: 2 and 'yes' read back as True, so its hash still matches
        tamper(ledger, f"UPDATE ledger_events SET {column} = :v WHERE seq = 3", v=stored)
        assert (3, "edited") in kinds(ledger)


def test_an_edit_with_the_tree_recomputed_is_caught_by_the_signed_heads(
    ledger: Ledger, key: SigningKey
) -> None:
    fill(ledger)
    ledger.sign_head(key)
    tamper(ledger, "UPDATE ledger_events SET value = NOT value WHERE seq = 3")
    rebuild_tree(ledger, forget_signed_heads=False)
    assert kinds(ledger) == [(None, "inconsistent")]  # the log's own signed head disagrees


def test_an_edit_with_the_tree_recomputed_and_the_heads_deleted_needs_a_kept_head(
    ledger: Ledger, key: SigningKey
) -> None:
    fill(ledger)
    kept = ledger.sign_head(key)
    tamper(ledger, "UPDATE ledger_events SET value = NOT value WHERE seq = 3")
    rebuild_tree(ledger)
    fill(ledger, 5)  # the log goes on growing: the proof spans 6 -> 11 events
    # Without an earlier head the rewrite is invisible: every hash adds up.
    assert verify_ledger(ledger).ok
    report = verify_ledger(ledger, since=kept, trusted_keys={key.key_id: key.public})
    assert [p.kind for p in report.problems] == ["inconsistent"]
    assert "history was rewritten" in report.problems[0].message


def test_a_truncated_tail_with_the_head_reset_is_caught_by_a_kept_head(
    ledger: Ledger, key: SigningKey
) -> None:
    fill(ledger)
    kept = ledger.sign_head(key)
    tamper(ledger, "DELETE FROM ledger_events WHERE seq >= 5")
    rebuild_tree(ledger)
    assert verify_ledger(ledger).ok
    report = verify_ledger(ledger, since=kept, trusted_keys={key.key_id: key.public})
    assert [p.kind for p in report.problems] == ["truncated"]
    assert "covers 6 events, the log now holds 4" in report.problems[0].message


def test_a_truncated_tail_with_the_heads_kept_is_caught_by_the_log_itself(
    ledger: Ledger, key: SigningKey
) -> None:
    fill(ledger)
    ledger.sign_head(key)
    tamper(ledger, "DELETE FROM ledger_events WHERE seq >= 5")
    rebuild_tree(ledger, forget_signed_heads=False)
    assert (None, "truncated") in kinds(ledger)


def test_a_replaced_database_is_caught_by_a_kept_head(
    db_url: str, tmp_path: Path, key: SigningKey
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("replaces the SQLite file")
    with Ledger(db_url) as ledger:
        fill(ledger)
        kept = ledger.sign_head(key)
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    init_ledger(other_url)
    forger = SigningKey(Ed25519PrivateKey.generate())
    with Ledger(other_url) as other:
        fill(other, 8)  # a whole other valid ledger, longer, signed by someone else's key
        other.sign_head(forger)
    shutil.copy(tmp_path / "other.db", db_url.removeprefix("sqlite:///"))
    with Ledger(db_url) as ledger:
        assert verify_ledger(ledger).ok  # valid on its own
        found = kinds(ledger, since=kept, trusted_keys={key.key_id: key.public})
    assert {"other_log", "signature", "inconsistent"} <= {k for _, k in found}


def test_a_forged_signed_head_is_refused(ledger: Ledger, key: SigningKey) -> None:
    fill(ledger)
    kept = ledger.sign_head(key)
    forged = dataclasses.replace(kept, tree_size=3, root_hash="ab" * 32)
    report = verify_ledger(ledger, since=forged, trusted_keys={key.key_id: key.public})
    assert "signature" in [p.kind for p in report.problems]


def test_a_deleted_event_is_found(ledger: Ledger) -> None:
    fill(ledger)
    tamper(ledger, "DELETE FROM ledger_events WHERE seq = 4")
    report = verify_ledger(ledger)
    assert (5, "missing") in kinds(ledger)
    assert "event #4 missing before event #5" in report.problems[0].message


def test_events_deleted_from_the_end_are_found_through_the_head(ledger: Ledger) -> None:
    fill(ledger)
    tamper(ledger, "DELETE FROM ledger_events WHERE seq >= 5")
    report = verify_ledger(ledger)
    assert (None, "head_mismatch") in kinds(ledger)
    head_problem = next(p for p in report.problems if p.kind == "head_mismatch")
    assert "deleted from the end" in head_problem.message


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


def test_a_well_forged_insert_is_still_caught_by_the_head(ledger: Ledger) -> None:
    events = fill(ledger)
    last = events[-1]
    forged = StoredEvent(**{
        **last.__dict__, "seq": 7, "receipt_id": "forged-receipt", "value": not last.value,
        "recorded_at": last.recorded_at + dt.timedelta(seconds=1),
        "effective_at": last.effective_at + dt.timedelta(seconds=1), "hash": "",
    })
    forged = dataclasses.replace(forged, hash=forged.computed_hash())
    row = {**{k: v for k, v in forged.__dict__.items()
              if k not in ("effective_at", "recorded_at")},
           "effective_us": to_us(forged.effective_at), "recorded_us": to_us(forged.recorded_at)}
    with ledger.engine.begin() as conn:
        conn.execute(events_table.insert(), [row])
    assert kinds(ledger) == [(None, "head_mismatch")]


def test_an_edited_tree_node_is_found(ledger: Ledger) -> None:
    fill(ledger, 8)
    tamper(ledger, "UPDATE ledger_nodes SET hash = :h WHERE level = 2 AND idx = 1", h="00" * 32)
    assert kinds(ledger) == [(None, "node_mismatch")]


def test_a_tampered_right_edge_in_the_head_is_found_and_not_built_upon(ledger: Ledger) -> None:
    fill(ledger, 5)
    tamper(ledger, "UPDATE ledger_head SET frontier = :f WHERE id = 1", f="ab" * 64)
    assert kinds(ledger) == [(None, "head_mismatch")]
    fresh = Ledger(str(ledger.engine.url))  # no right edge remembered from its own appends
    try:
        fresh.record_change(change("z", True))  # reads the nodes instead: the tree stays right
    finally:
        fresh.close()
    problems = verify_ledger(ledger).problems  # the append wrote the right edge again
    assert problems == [], problems


def test_verify_is_consistent_while_the_ledger_takes_writes(ledger: Ledger) -> None:
    """Events and head are read in one transaction: no false alarm from writes meanwhile."""
    import threading

    stop = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        n = 0
        while not stop.is_set():
            try:
                ledger.append([change(f"w{n % 50}", n % 2 == 0) for _ in range(3)])
            except BaseException as exc:
                errors.append(exc)
                return
            n += 1

    import time

    fill(ledger, 30)
    writers = [threading.Thread(target=write) for _ in range(2)]
    for t in writers:
        t.start()
    reports = []
    try:
        # at least 15 checks, and until the writers have added 30 events meanwhile (a busy
        # machine may starve the writers for a while)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not errors and (
                len(reports) < 15 or reports[-1].events - reports[0].events < 30):
            reports.append(verify_ledger(ledger))
    finally:
        stop.set()
        for t in writers:
            t.join()
    assert not errors
    assert all(r.ok for r in reports), [r.problems[:2] for r in reports if not r.ok]
    assert reports[-1].events - reports[0].events >= 30  # writes really went on meanwhile


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
