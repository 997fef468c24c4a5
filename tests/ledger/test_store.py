"""The store: appends, derived state, imports, append-only guarantees. Each test runs on
SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from consentgate.ledger import EventRejected, Ledger, LedgerError, verify_ledger
from consentgate.ledger.db import normalise_url
from consentgate.ledger.merkle import root_of_leaves
from tests.ledger.conftest import KEY, StepClock, change, fill, past

UTC = dt.UTC


def test_changes_are_chained_and_the_state_is_derived(ledger: Ledger) -> None:
    assert ledger.state("m1", KEY, default=True).value is True
    assert ledger.state("m1", KEY, default=True).from_default
    first = ledger.record_change(change("m1", False))
    second = ledger.record_change(change("m1", True))
    third = ledger.record_change(change("m2", False))
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    # each event is a leaf of the log's tree: its hash is its leaf hash, its number its place
    assert [e.leaf_index for e in (first, second, third)] == [0, 1, 2]
    assert all(e.hash == e.computed_hash() for e in (first, second, third))
    assert first.effective_at == first.recorded_at  # a live change counts from when it is recorded
    state = ledger.state("m1", KEY, default=True)
    assert state.value is True and not state.from_default
    assert state.last_event == second
    assert ledger.state("m2", KEY, default=True).value is False
    # the state at an earlier instant comes from the events then
    assert ledger.state("m1", KEY, default=True, at=first.effective_at).value is False
    assert [e.seq for e in ledger.history("m1")] == [2, 1]  # newest first
    assert ledger.find(second.receipt_id) == second
    assert ledger.find("no-such-receipt") is None
    head = ledger.head()
    leaves = [bytes.fromhex(e.hash) for e in (first, second, third)]
    assert (head.seq, head.hash) == (3, root_of_leaves(leaves).hex())
    assert ledger.count() == 3
    assert verify_ledger(ledger).ok


def test_recording_time_never_goes_back(db_url: str) -> None:
    clock = StepClock(dt.datetime(2026, 1, 10, 12, tzinfo=UTC))
    with Ledger(db_url, clock=clock) as ledger:
        a = ledger.record_change(change("m1", False))
        clock.advance(hours=-1)  # the server's clock steps back
        b = ledger.record_change(change("m1", True))
        assert b.recorded_at > a.recorded_at
        assert ledger.state("m1", KEY, default=False).value is True  # the last change wins


def test_live_changes_take_effect_now_and_imports_cannot_be_in_the_future(ledger: Ledger) -> None:
    with pytest.raises(EventRejected, match="takes effect when it is recorded"):
        ledger.record_change(past("m1", False, dt.datetime(2025, 1, 1, tzinfo=UTC)))
    future = dt.datetime.now(UTC) + dt.timedelta(days=1)
    with pytest.raises(EventRejected, match="in the future"):
        ledger.import_events([past("m1", False, future)])
    assert ledger.count() == 0


def test_import_skips_events_already_held_and_is_all_or_nothing(ledger: Ledger) -> None:
    when = dt.datetime(2025, 6, 1, 8, tzinfo=UTC)
    result = ledger.import_events([past("m1", False, when), past("m1", False, when)])
    assert (len(result.added), result.skipped) == (1, 1)
    again = ledger.import_events([past("m1", False, when), past("m2", True, when)])
    assert (len(again.added), again.skipped) == (1, 1)
    with pytest.raises(EventRejected, match="event 2: member_id"):
        ledger.import_events([past("m3", True, when), past("", True, when)])
    assert ledger.count() == 2
    assert verify_ledger(ledger).ok


def test_events_that_disagree_at_the_same_instant_fail_closed(ledger: Ledger) -> None:
    when = dt.datetime(2025, 6, 1, 8, tzinfo=UTC)
    ledger.import_events([past("m1", True, when, "import"), past("m1", False, when, "gpc")])
    state = ledger.state("m1", KEY, default=True)
    assert state.value is None  # not used, as the snapshot build decides
    ledger.record_change(change("m1", True))
    assert ledger.state("m1", KEY, default=True).value is True


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("member_id", "", "non-empty"),
        ("member_id", "a\x00b", "control characters"),
        ("member_id", "\ud800", "not valid Unicode"),
        ("member_id", "x" * 129, "longer than 128"),
        ("setting", "Data For AI", "not allowed"),
        ("source", "web page", "not allowed"),
        ("language", "français", "not allowed"),
    ],
)
def test_bad_events_are_rejected_before_the_database(
    ledger: Ledger, field: str, value: str, message: str
) -> None:
    event = change("m1", True)
    bad = type(event)(**{**event.__dict__, field: value})
    with pytest.raises(EventRejected, match=message):
        ledger.record_change(bad)
    assert ledger.count() == 0


def test_the_database_refuses_to_update_or_delete_events(ledger: Ledger) -> None:
    fill(ledger, 2)
    for statement in ("UPDATE ledger_events SET value = NOT value", "DELETE FROM ledger_events"):
        with pytest.raises(DBAPIError, match="append-only"), ledger.engine.begin() as conn:
            conn.execute(text(statement))
    assert ledger.count() == 2
    assert verify_ledger(ledger).ok


def test_parallel_appends_keep_one_unbroken_chain(ledger: Ledger) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(25):
                ledger.record_change(change(f"t{n}", i % 2 == 0))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = verify_ledger(ledger)
    assert report.ok, report.problems
    assert report.events == 200 and report.head_seq == 200
    for n in range(8):  # each member's last change (i = 24, on) is their state
        assert ledger.state(f"t{n}", KEY, default=False).value is True


def test_an_uninitialised_database_is_refused_with_advice(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LedgerError, match="consentgate ledger init"):
        Ledger(str(tmp_path / "empty.db"))
    with pytest.raises(LedgerError, match=r"no ledger at .*consentgate ledger init"):
        Ledger(str(tmp_path / "missing" / "x.db"))
    with pytest.raises(LedgerError, match="unsupported database"):
        Ledger("mysql://localhost/x")
    # opening is not creating: no file (nor folder) is left behind
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "zero.db").write_bytes(b"")
    with pytest.raises(LedgerError, match="empty file"):
        Ledger(str(tmp_path / "zero.db"), read_only=True)
    (tmp_path / "noise.db").write_bytes(bytes(range(256)) * 16)
    with pytest.raises(LedgerError, match="not a SQLite database"):
        Ledger(str(tmp_path / "noise.db"))
    assert (tmp_path / "zero.db").stat().st_size == 0


def test_urls() -> None:
    assert normalise_url("ledger.db") == "sqlite:///ledger.db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def _erase_at_once(db_url: str, start, receipts) -> None:  # type: ignore[no-untyped-def]
    from consentgate.policy import load_policy

    with Ledger(db_url) as own:  # a process of its own: no lock shared with the others
        start.wait()
        event, already = own.request_erasure("m-erased", load_policy(), source="web")
        receipts.put((event.receipt_id, already))


def test_an_erasure_is_recorded_once_even_by_processes_asking_at_once(
    ledger: Ledger, db_url: str
) -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    start, receipts = ctx.Barrier(6), ctx.Queue()
    workers = [ctx.Process(target=_erase_at_once, args=(db_url, start, receipts))
               for _ in range(6)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert all(w.exitcode == 0 for w in workers)
    answers = [receipts.get(timeout=5) for _ in workers]
    events = [e for e in ledger.history("m-erased") if e.setting == "erasure"]
    assert len(events) == 1
    assert {r for r, _ in answers} == {events[0].receipt_id}
    assert sorted(already for _, already in answers) == [False] + [True] * 5
    assert verify_ledger(ledger).ok
