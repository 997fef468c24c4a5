"""Group commit: many concurrent changes, batched into few transactions, each acknowledged
once committed; a failing change does not sink its batch; shutdown commits what is queued.
Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import Connection

from consentgate.ledger import EventRejected, Ledger, verify_ledger
from consentgate.ledger.chain import StoredEvent
from consentgate.ledger.group_commit import CommitterClosed, GroupCommitter
from consentgate.ledger.store import NewEvent
from tests.ledger.conftest import KEY, change, past

THREADS = 16
EACH = 40


def test_concurrent_threads_every_acknowledged_change_is_there_once(db_url: str) -> None:
    with Ledger(db_url) as ledger, GroupCommitter(ledger) as committer:
        acknowledged: dict[int, list[StoredEvent]] = {}

        def member(n: int) -> None:
            mine = acknowledged.setdefault(n, [])
            for i in range(EACH):
                mine.append(committer.record_change(change(f"m{n}", i % 2 == 0)))

        threads = [threading.Thread(target=member, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        committer.close()
        stats = committer.stats

        stored = {e.receipt_id: e for e in ledger.iter_events()}
        receipts = Counter(e.receipt_id for events in acknowledged.values() for e in events)
        assert len(receipts) == THREADS * EACH
        assert set(receipts.values()) == {1}
        assert set(receipts) == set(stored)  # nothing acknowledged is missing, nothing extra
        for n, events in acknowledged.items():
            # what the writer answered is what the ledger holds, in each member's order
            assert [stored[e.receipt_id] for e in events] == events
            assert [e.seq for e in events] == sorted(e.seq for e in events)
            assert ledger.state(f"m{n}", KEY, default=True).value is ((EACH - 1) % 2 == 0)
        assert sorted(e.seq for e in stored.values()) == list(range(1, THREADS * EACH + 1))
        report = verify_ledger(ledger)
        assert report.ok, report.problems
        assert stats.events == THREADS * EACH and stats.failed_events == 0
        assert stats.batches <= stats.events


def test_asyncio_callers_wait_without_threads(db_url: str) -> None:
    async def main(committer: GroupCommitter) -> list[StoredEvent]:
        return await asyncio.gather(*(committer.record(change(f"a{i % 50}", i % 3 == 0))
                                      for i in range(300)))

    with Ledger(db_url) as ledger, GroupCommitter(ledger) as committer:
        events = asyncio.run(main(committer))
        assert len({e.receipt_id for e in events}) == 300
        assert all(ledger.find(e.receipt_id) == e for e in events[::17])
        assert ledger.count() == 300
        assert verify_ledger(ledger).ok


def test_a_malformed_change_is_refused_before_it_is_queued(ledger: Ledger) -> None:
    with GroupCommitter(ledger) as committer:
        with pytest.raises(EventRejected, match="setting"):
            committer.submit(NewEvent("m1", "Not A Key", True, "web", "p", "1"))
        with pytest.raises(EventRejected, match="takes effect when it is recorded"):
            committer.submit(past("m1", True, ledger.clock()))
        assert committer.record_change(change("m1", True)).seq == 1


class PoisonLedger(Ledger):
    """Fails any transaction that appends the member ``poison`` (as a database constraint
    would), after the other events of the batch were already inserted."""

    def _append_locked(self, conn: Connection, events: Sequence[NewEvent]) -> list[StoredEvent]:
        stored = super()._append_locked(conn, events)
        if any(e.member_id == "poison" for e in events):
            raise RuntimeError("the database refused an event")
        return stored


def test_a_failing_change_does_not_sink_its_batch(db_url: str) -> None:
    # max_batch=5 with a long max_delay: the writer waits for all five before committing
    with PoisonLedger(db_url) as ledger, \
            GroupCommitter(ledger, max_batch=5, max_delay_s=30) as committer:
        members = ["a", "b", "poison", "c", "d"]
        futures = [committer.submit(change(m, True)) for m in members]
        outcomes: dict[str, object] = {}
        for m, f in zip(members, futures, strict=True):
            try:
                outcomes[m] = f.result(timeout=60)
            except RuntimeError as exc:
                outcomes[m] = exc
        assert isinstance(outcomes.pop("poison"), RuntimeError)
        assert all(isinstance(e, StoredEvent) for e in outcomes.values())
        assert committer.stats.retried_batches == 1
        # the failed batch left nothing behind; each good change is there once, chained
        held = list(ledger.iter_events())
        assert [e.member_id for e in held] == ["a", "b", "c", "d"]
        assert {e.receipt_id for e in held} == {e.receipt_id for e in outcomes.values()}  # type: ignore[attr-defined]
        assert ledger.history("poison") == []
        assert verify_ledger(ledger).ok


class LostAfterCommit(Ledger):
    """The first transaction commits, then its connection 'fails' (as a PostgreSQL
    connection lost during COMMIT would): the caller cannot tell it landed."""

    failed = False

    @contextmanager
    def _write(self):  # type: ignore[no-untyped-def, override]
        with super()._write() as conn:
            yield conn
        if not self.failed:
            self.failed = True
            raise ConnectionError("connection lost during COMMIT")


def test_a_batch_that_committed_before_its_error_is_acknowledged_not_repeated(
    db_url: str,
) -> None:
    with LostAfterCommit(db_url) as ledger, \
            GroupCommitter(ledger, max_batch=3, max_delay_s=30) as committer:
        futures = [committer.submit(change(m, False)) for m in "xyz"]
        events = [f.result(timeout=60) for f in futures]
        assert ledger.failed
        assert [e.seq for e in events] == [1, 2, 3]
        assert ledger.count() == 3  # not retried: no change recorded twice
        assert committer.stats.retried_batches == 0
        assert verify_ledger(ledger).ok


class GatedLedger(Ledger):
    """Every append waits until the test opens the gate."""

    gate = threading.Event()

    def _append_locked(self, conn: Connection, events: Sequence[NewEvent]) -> list[StoredEvent]:
        assert self.gate.wait(60)
        return super()._append_locked(conn, events)


def test_shutdown_commits_every_queued_change_then_refuses_new_ones(db_url: str) -> None:
    GatedLedger.gate = threading.Event()
    with GatedLedger(db_url) as ledger:
        committer = GroupCommitter(ledger, max_batch=16).start()
        futures: list[Future[StoredEvent]] = [
            committer.submit(change(f"q{i % 7}", i % 2 == 0)) for i in range(200)]
        closing = threading.Thread(target=committer.close)
        closing.start()  # close() waits for the queue to drain
        while committer.accepting:
            closing.join(0.01)
        with pytest.raises(CommitterClosed):  # refused as soon as close() has begun
            committer.submit(change("late", True))
        ledger.gate.set()
        closing.join(60)
        assert not closing.is_alive()
        events = [f.result(timeout=0) for f in futures]
        assert [e.seq for e in events] == list(range(1, 201))
        assert ledger.count() == 200
        assert committer.stats.batches >= 200 // 16
        assert verify_ledger(ledger).ok
        with pytest.raises(CommitterClosed):
            committer.submit(change("late", True))
