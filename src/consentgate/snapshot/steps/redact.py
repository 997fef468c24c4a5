"""Step 4, redact: personal data out of the used texts, batch by batch, in order.

The vectorised row gate runs in the build process; only the rows it lets through (~15%)
travel to the redaction workers, in pieces of REDACT_CHUNK_ROWS, two batches in flight at
a time (memory stays flat). With or without workers the output is the same bytes.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import os
import time
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pyarrow as pa

if TYPE_CHECKING:
    from consentgate.redaction import Redactor

# Redact in worker processes when the source has at least this many records.
PARALLEL_MIN_ROWS = 200_000
REDACT_CHUNK_ROWS = 2_000  # gated rows (~1 in 7 of all) per task sent to a redaction worker


def _redact_piece(
    redactor: Redactor, texts: pa.Array, salary: pa.Array
) -> tuple[list[int], list[str], list[tuple[str, ...]]]:
    """Worker-side: what redaction changes in one piece of gated texts (module level, so
    that it pickles by name; the redactor pickles as its classes and the policy's extra
    recognizers). Only the changed rows travel back, with the classes redacted in each."""
    return redactor.redact_gated_rows(texts, salary)


class Redacted(NamedTuple):
    """One batch out of the redactor: the batch as submitted, its redacted texts, and the
    values redacted in each row, per class (what the build stores per record)."""

    batch: pa.RecordBatch
    texts: pa.Array
    counts: dict[str, np.ndarray]


def redaction_pool(
    classes: list[str] | tuple[str, ...], workers: int | None, threads: int | None, records: int
) -> cf.ProcessPoolExecutor | None:
    """Worker processes for redaction, or None to redact in this process.

    Forked (nothing to re-import, no ``__main__`` guard needed in callers) before the
    engine's threads start; each worker exits when this process goes away."""
    import multiprocessing as mp

    if not classes:
        return None  # nothing to redact
    if workers is None:
        workers = threads or os.cpu_count() or 1
        if records < PARALLEL_MIN_ROWS:
            workers = 1
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        return None
    pool = cf.ProcessPoolExecutor(
        workers, mp_context=mp.get_context("fork"), initializer=_worker_init,
        initargs=(os.getpid(),),
    )
    for _ in range(workers):  # fork them all now
        pool.submit(int)
    return pool


def _worker_init(parent: int) -> None:
    """In a worker: default signal handling, and exit when the parent is gone (a killed
    build must not leave workers behind)."""
    import signal
    import threading

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class StreamRedactor:
    """Batches in, the same batches with their texts redacted out, in the order they came.

    ``submit(batch)`` gates the batch's ``text`` column and hands the rows that may hold
    personal data to the workers (or scans them here without a pool); ``ready()`` yields
    ``(batch, redacted_texts)`` pairs once they are done, keeping at most two batches in
    flight; ``drain()`` yields the rest. ``counts`` holds the values redacted per class.

    Null texts are never gated, so a caller that already has a row's redacted text (an
    incremental build) submits the row with a null text and redaction skips it."""

    def __init__(
        self, classes: tuple[str, ...], pool: cf.ProcessPoolExecutor | None = None,
        redactor: Redactor | None = None,
    ) -> None:
        from consentgate.redaction import Redactor

        self.classes = classes
        self.pool = pool
        self.redactor = redactor if redactor is not None else Redactor(classes=classes)
        self.counts: Counter = Counter()
        self._pending: collections.deque = collections.deque()
        self._in_flight = 2 if pool is not None else 0

    def submit(self, batch: pa.RecordBatch) -> None:
        column = batch.column("text")
        gated, salary = self.redactor.gate(column)
        texts = column.take(gated)
        if self.pool is None:
            pieces = [(0, _redact_piece(self.redactor, texts, salary))]
        else:
            # small compact pieces: both workers stay busy, and a pickled slice would
            # carry the whole array's buffers
            pieces = [
                (i, self.pool.submit(
                    _redact_piece, self.redactor,
                    pa.concat_arrays([texts.slice(i, REDACT_CHUNK_ROWS)]),
                    pa.concat_arrays([salary.slice(i, REDACT_CHUNK_ROWS)])))
                for i in range(0, len(texts), REDACT_CHUNK_ROWS)
            ]
        self._pending.append((batch, gated.to_pylist(), pieces))

    def ready(self) -> Iterator[Redacted]:
        while len(self._pending) > self._in_flight:
            yield self._finish_one()

    def drain(self) -> Iterator[Redacted]:
        while self._pending:
            yield self._finish_one()

    def _finish_one(self) -> Redacted:
        from consentgate.redaction.redactor import apply_changes

        batch, gated, pieces = self._pending.popleft()
        positions: list[int] = []
        values: list[str] = []
        per_row = {c: np.zeros(batch.num_rows, dtype=np.int32) for c in self.classes}
        for offset, piece in pieces:
            rows, texts, found = piece.result() if self.pool is not None else piece
            for i, classes in zip(rows, found, strict=True):
                position = gated[offset + i]
                positions.append(position)
                for cls in classes:
                    per_row.setdefault(cls, np.zeros(batch.num_rows, dtype=np.int32))
                    per_row[cls][position] += 1
                self.counts.update(classes)
            values.extend(texts)
        return Redacted(batch, apply_changes(batch.column("text"), positions, values), per_row)

    def redactions(self) -> dict[str, int]:
        return {c: self.counts.get(c, 0) for c in self.classes}
