"""Group commit: live changes from many concurrent requests appended in one write transaction.

One writer thread drains a queue. While it commits one batch, the changes that arrive wait in
the queue; when the commit returns, the writer takes everything waiting (up to
``max_batch``) as the next batch. Under light load a change is committed on its own as soon
as it arrives; under heavy load one fsync and one chain-head update serve hundreds of changes.
``max_delay_s`` (default 0) makes the writer also wait up to that long for more changes
before it commits a batch smaller than ``max_batch``: fewer, larger commits for a few
milliseconds of latency.

A change is acknowledged (its future resolved with the stored event) only after the batch's
transaction has committed, so an acknowledged change is as durable as the database makes a
commit (SQLite: WAL with ``synchronous=FULL``, see ``consentgate.database.sqlite``;
PostgreSQL: its own ``fsync``/``synchronous_commit`` settings, on by default).

Failure isolation: each change is checked (``check_event``) before it is queued, so a
malformed one is refused at once and never joins a batch. If a batch's transaction still
fails before its commit, the batch is rolled back as a whole (nothing of it is visible) and
its changes are retried one by one, each in its own transaction, so each gets its own answer.
If the commit itself fails, the outcome may be unknown (a PostgreSQL connection lost during
COMMIT): the writer looks for the batch's first receipt; found, the whole batch landed and
every change is acknowledged; not found, the changes are retried one by one; when even that
cannot be read, every change of the batch gets the error and none is retried, so that no
change is ever recorded twice.

Across processes (``consentgate serve --workers N``: one committer per process), appends
are still serialised by the database's lock (``Ledger._write``). On SQLite the committers
of one ledger also queue on an advisory file lock (``<ledger file>.commit-lock``, flock)
before they begin: SQLite's own busy handler waits by sleeping and polling (1, 2, 5, 10 …
ms), which lets a waiting process sleep past the moment the lock is free; the kernel's lock
wakes the next committer as soon as the previous one releases it. The database lock stays
what guarantees one writer at a time; the file lock only orders the committers.

The erasure request keeps its own path (``Ledger.request_erasure``): it is rare and its
once-only check runs inside its transaction. Both paths share the ledger's write lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import queue
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass

from consentgate.ledger.chain import StoredEvent
from consentgate.ledger.errors import EventRejected, LedgerError
from consentgate.ledger.store import Ledger, NewEvent, check_event

log = logging.getLogger(__name__)

DEFAULT_MAX_BATCH = 1000


class CommitterClosed(LedgerError):
    """The committer is shut down (the service is stopping): the change was not recorded."""


@dataclass
class CommitterStats:
    batches: int = 0
    events: int = 0
    largest_batch: int = 0
    retried_batches: int = 0  # batches whose transaction failed and were retried one by one
    failed_events: int = 0
    lock_wait_s: float = 0.0  # waiting for the other processes' committers (SQLite)
    transaction_s: float = 0.0  # in write transactions, commits included


class _AsyncWaiter:
    """Where an ``await``-ing request waits: an asyncio future on its own event loop."""

    __slots__ = ("future", "loop")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.future: asyncio.Future[StoredEvent] = loop.create_future()


_Waiter = Future | _AsyncWaiter
_Item = tuple[NewEvent, _Waiter]
_STOP = object()


class GroupCommitter:
    """Appends live changes (``Ledger.record_change`` semantics) in batched transactions.

    Thread-safe and usable from asyncio: ``submit`` (a ``concurrent.futures.Future``),
    ``record_change`` (blocks), ``await record(event)`` (waits without holding a thread).
    ``start()`` before use; ``close()`` stops taking changes, commits every change already
    queued, then stops the writer.
    """

    def __init__(
        self, ledger: Ledger, *, max_batch: int = DEFAULT_MAX_BATCH, max_delay_s: float = 0.0,
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.ledger = ledger
        self.max_batch = max_batch
        self.max_delay_s = max_delay_s
        self.stats = CommitterStats()
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._state_lock = threading.Lock()
        self._accepting = False
        self._thread: threading.Thread | None = None
        self._lock_path = _commit_lock_path(ledger)
        self._lock_fd: int | None = None

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> GroupCommitter:
        with self._state_lock:
            if self._thread is not None:
                return self
            self._accepting = True
            self._thread = threading.Thread(target=self._run, name="ledger-group-commit",
                                            daemon=True)
            self._thread.start()
        return self

    def close(self, timeout: float | None = None) -> None:
        """Stop accepting changes, commit those already queued, stop the writer."""
        with self._state_lock:
            thread = self._thread
            if not self._accepting:
                return
            self._accepting = False
            # Under the lock: no change can be queued after the stop mark.
            self._queue.put(_STOP)
        if thread is not None:
            thread.join(timeout)
        if self._lock_fd is not None and (thread is None or not thread.is_alive()):
            os.close(self._lock_fd)
            self._lock_fd = None

    @property
    def accepting(self) -> bool:
        """Whether changes are taken (started, and not closing)."""
        return self._accepting

    def __enter__(self) -> GroupCommitter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- submitting ------------------------------------------------------------------------
    def submit(self, event: NewEvent) -> Future[StoredEvent]:
        """Queue a live change; the future gives its stored event once committed (or the
        reason it was not recorded). A malformed change raises EventRejected at once."""
        future: Future[StoredEvent] = Future()
        self._put(event, future)
        return future

    def record_change(self, event: NewEvent, timeout: float | None = None) -> StoredEvent:
        """``Ledger.record_change``, batched with the other threads' changes."""
        return self.submit(event).result(timeout)

    async def record(self, event: NewEvent) -> StoredEvent:
        """Queue a live change and wait for its commit without blocking the event loop."""
        waiter = _AsyncWaiter(asyncio.get_running_loop())
        self._put(event, waiter)
        return await waiter.future

    def _put(self, event: NewEvent, waiter: _Waiter) -> None:
        check_event(event)
        if event.effective_at is not None:
            raise EventRejected("a live change takes effect when it is recorded")
        with self._state_lock:
            if not self._accepting:
                raise CommitterClosed("the ledger's committer is not running (stopping?)")
            self._queue.put((event, waiter))

    # -- the writer ------------------------------------------------------------------------
    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is _STOP:
                break
            batch: list[_Item] = [first]  # type: ignore[list-item]
            stopping = self._fill(batch)
            try:
                self._commit(batch)
            except BaseException as exc:  # never leave a waiter hanging
                log.error("group commit failed unexpectedly: %s", type(exc).__name__)
                self._settle([(w, None, exc) for _, w in batch])

    def _fill(self, batch: list[_Item]) -> bool:
        """Add what is queued (and, with max_delay_s, what arrives soon). True: stop seen."""
        deadline = time.monotonic() + self.max_delay_s if self.max_delay_s > 0 else None
        while len(batch) < self.max_batch:
            try:
                if deadline is None:
                    item = self._queue.get_nowait()
                else:
                    left = deadline - time.monotonic()
                    item = self._queue.get(timeout=left) if left > 0 else self._queue.get_nowait()
            except queue.Empty:
                return False
            if item is _STOP:
                return True
            batch.append(item)  # type: ignore[arg-type]
        return False

    def _commit(self, batch: list[_Item]) -> None:
        events = [event for event, _ in batch]
        try:
            stored = self._append(events)
        except _OutcomeUnknown as unknown:
            self.stats.failed_events += len(batch)
            self._settle([(w, None, unknown.error) for _, w in batch])
            return
        except Exception as exc:
            if len(batch) == 1:
                self.stats.failed_events += 1
                self._settle([(batch[0][1], None, exc)])
                return
            self.stats.retried_batches += 1
            log.warning("a batch of %d changes failed (%s): retrying them one by one",
                        len(batch), type(exc).__name__)
            self._one_by_one(batch)
            return
        self._count(len(batch))
        self._settle([(w, s, None) for (_, w), s in zip(batch, stored, strict=True)])

    def _one_by_one(self, batch: list[_Item]) -> None:
        outcomes: list[tuple[_Waiter, StoredEvent | None, BaseException | None]] = []
        for event, waiter in batch:
            try:
                stored = self._append([event])[0]
            except _OutcomeUnknown as unknown:
                self.stats.failed_events += 1
                outcomes.append((waiter, None, unknown.error))
            except Exception as exc:
                self.stats.failed_events += 1
                outcomes.append((waiter, None, exc))
            else:
                self._count(1)
                outcomes.append((waiter, stored, None))
        self._settle(outcomes)

    def _append(self, events: Sequence[NewEvent]) -> list[StoredEvent]:
        """One write transaction appending ``events``; raises _OutcomeUnknown when the
        commit failed and whether it landed cannot be told."""
        stored: list[StoredEvent] | None = None
        try:
            began = time.perf_counter()
            with self._process_lock():
                locked = time.perf_counter()
                with self.ledger._write() as conn:
                    stored = self.ledger._append_locked(conn, events)
                done = time.perf_counter()
            self.stats.lock_wait_s += locked - began
            self.stats.transaction_s += done - locked
        except Exception as exc:
            if stored is None:  # failed before the commit: rolled back, nothing visible
                raise
            try:
                landed = self.ledger.find(stored[0].receipt_id) is not None
            except Exception:
                raise _OutcomeUnknown(exc) from exc
            if landed:
                return stored
            raise
        return stored

    @contextlib.contextmanager
    def _process_lock(self):  # type: ignore[no-untyped-def]
        """The committers' file lock (SQLite file ledgers; see the module's docstring)."""
        if self._lock_path is None:
            yield
            return
        if self._lock_fd is None:
            try:
                self._lock_fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:  # only an aid: without it SQLite's lock still serialises
                log.warning("no commit lock file (%s): committers poll SQLite's lock",
                            exc.strerror)
                self._lock_path = None
                yield
                return
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _count(self, n: int) -> None:
        self.stats.batches += 1
        self.stats.events += n
        self.stats.largest_batch = max(self.stats.largest_batch, n)

    @staticmethod
    def _settle(
        outcomes: Sequence[tuple[_Waiter, StoredEvent | None, BaseException | None]],
    ) -> None:
        """Resolve the waiters: thread futures directly, asyncio futures with one call per
        event loop (not one wake-up per change)."""
        by_loop: dict[asyncio.AbstractEventLoop, list] = {}
        for waiter, stored, error in outcomes:
            if isinstance(waiter, _AsyncWaiter):
                by_loop.setdefault(waiter.loop, []).append((waiter.future, stored, error))
            else:
                try:
                    if error is not None:
                        waiter.set_exception(error)
                    else:
                        waiter.set_result(stored)
                except InvalidStateError:  # cancelled by its caller (the change is recorded)
                    pass
        for loop, items in by_loop.items():
            # RuntimeError: the loop is closed, nobody is waiting any more
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle_async, items)


def _commit_lock_path(ledger: Ledger) -> str | None:
    url = ledger.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return os.path.expanduser(url.database) + ".commit-lock"


class _OutcomeUnknown(Exception):
    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def _settle_async(
    items: list[tuple[asyncio.Future, StoredEvent | None, BaseException | None]],
) -> None:
    for future, stored, error in items:
        if future.done():  # cancelled: the request went away (the change is recorded)
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(stored)


__all__ = ["CommitterClosed", "CommitterStats", "GroupCommitter"]
