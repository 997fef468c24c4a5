"""The previous snapshot's texts, merged into an incremental build's stream.

Both sides are in record_uid order: the build streams its used records out of DuckDB
sorted by record_uid, and a snapshot's data/ and text index (``reuse/texts.parquet``) are
written in that order, one index row per data row. So the previous texts are read once,
front to back, beside the build's batches: a merge, whose memory is a batch or two wide,
where a hash join in the engine held every previous text at once (at 16 million source
records that ran past DuckDB's default 512MB).

A text is reused only when its record_uid and the keyed hash of its source text are both
equal to a previous row's, and the previous index row and data row are checked to be the
same record as they are paired. Anything out of order or out of step stops the reuse for
the rest of the build and says why (``stopped``): the records after it are redacted again,
which gives the same snapshot, only slower.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from consentgate.snapshot.manifest import data_files
from consentgate.snapshot.texts import TEXTS_FILE, count_column

__all__ = ["PreviousTexts", "Reuse", "row_groups"]


class Reuse(NamedTuple):
    """For one batch of the build: which rows have a reusable text, that text (null
    elsewhere), and the values redacted in it per class (0 elsewhere)."""

    hit: np.ndarray
    texts: pa.Array
    counts: dict[str, np.ndarray]


class PreviousTexts:
    """``lookup(uids, hashes)`` for consecutive record_uid-sorted batches of the build."""

    def __init__(self, snapshot: Path, classes: list[str] | tuple[str, ...]) -> None:
        self.classes = tuple(classes)
        self.stopped: str | None = None
        self._rows = self._paired(Path(snapshot))
        self._buffer: pa.Table | None = None
        self._done = False
        self._last_uid: str | None = None  # the last uid looked up, and the last read
        self._last_read: str | None = None

    def _paired(self, snapshot: Path) -> Iterator[pa.Table]:
        """The index and data/ read in step, as tables of uid, hash, counts and text."""
        counts = [count_column(c) for c in self.classes]
        index = row_groups([snapshot / TEXTS_FILE], ["record_uid", "text_sha256", *counts])
        data = row_groups(data_files(snapshot), ["record_uid", "text"])
        left: pa.Table | None = None
        right: pa.Table | None = None
        while True:
            if left is None or left.num_rows == 0:
                left = _next_table(index)
            if right is None or right.num_rows == 0:
                right = _next_table(data)
            if left is None or right is None:
                if (left is not None and left.num_rows) or (right is not None and right.num_rows):
                    raise _OutOfStep("the text index and data/ hold different numbers of rows")
                return
            n = min(left.num_rows, right.num_rows)
            a, b = left.slice(0, n), right.slice(0, n)
            left, right = left.slice(n), right.slice(n)
            if not pc.all(pc.equal(a.column("record_uid"), b.column("record_uid"))).as_py():
                raise _OutOfStep("a row of the text index is not the data row beside it")
            yield pa.table({"uid": a.column("record_uid"), "hash": a.column("text_sha256"),
                            **{c: a.column(c) for c in counts}, "text": b.column("text")})

    def _read_more(self) -> None:
        try:
            chunk = next(self._rows)
        except StopIteration:
            self._done = True
            return
        uid = chunk.column("uid")
        if uid.null_count or not _ascending(uid, self._last_read):
            raise _OutOfStep("the previous snapshot's rows are not in record_uid order")
        self._last_read = uid[-1].as_py()
        self._buffer = chunk if self._buffer is None else pa.concat_tables([self._buffer, chunk])

    def lookup(self, uids: pa.Array, hashes: pa.Array) -> Reuse:
        n = len(uids)
        miss = Reuse(np.zeros(n, dtype=bool), pa.nulls(n, pa.string()),
                     {c: np.zeros(n, dtype=np.int32) for c in self.classes})
        if n == 0 or self.stopped is not None:
            return miss
        try:
            return self._lookup(uids, hashes) or miss
        except _OutOfStep as exc:
            self.stopped = str(exc)
            self._buffer = None
            return miss

    def _lookup(self, uids: pa.Array, hashes: pa.Array) -> Reuse | None:
        uids = _plain(uids)
        if uids.null_count or not _ascending(uids, self._last_uid):
            raise _OutOfStep("the build's records did not come in record_uid order")
        last = uids[-1].as_py()
        self._last_uid = last
        while not self._done and (self._buffer is None or self._buffer.num_rows == 0
                                  or self._last_read <= last):
            self._read_more()
        if self._buffer is None or self._buffer.num_rows == 0:
            return None
        # the previous rows up to this batch's last uid; those before its first are records
        # that left the snapshot, and are dropped with the rest of the window
        upto = int(pc.sum(pc.less_equal(self._buffer.column("uid"), last)).as_py() or 0)
        window = self._buffer.slice(0, upto)
        self._buffer = self._buffer.slice(upto)
        if upto == 0:
            return None
        at = pc.index_in(uids, value_set=_plain(window.column("uid")))
        found = pc.is_valid(at)
        then = window.column("hash").take(at)
        now = _plain(hashes)
        same = pc.or_(pc.and_(pc.is_null(then), pc.is_null(now)),
                      pc.fill_null(pc.equal(then, now), False))
        hit = pc.and_(found, same).to_numpy(zero_copy_only=False)
        take = pc.if_else(pa.array(hit), at, pa.scalar(None, at.type))
        texts = _plain(window.column("text").take(take))
        counts = {c: pc.fill_null(_plain(window.column(count_column(c)).take(take)), 0)
                  .to_numpy(zero_copy_only=False).astype(np.int32) for c in self.classes}
        return Reuse(hit, texts.cast(pa.string()), counts)


class _OutOfStep(Exception):
    pass


def row_groups(files: list[Path], columns: list[str]) -> Iterator[pa.Table]:
    """The files' rows, a row group at a time (``iter_batches`` with batches that cut
    across row groups was four times slower and kept hundreds of MB allocated)."""
    for path in files:
        f = pq.ParquetFile(path)
        for i in range(f.num_row_groups):
            yield f.read_row_group(i, columns=columns)


def _next_table(tables: Iterator[pa.Table]) -> pa.Table | None:
    for table in tables:
        if table.num_rows:
            return table
    return None


def _plain(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        return column.combine_chunks()
    return column


def _ascending(uids: pa.Array | pa.ChunkedArray, before: str | None) -> bool:
    """Strictly ascending, and after ``before`` (the last uid of the previous chunk)."""
    uids = _plain(uids)
    if before is not None and not uids[0].as_py() > before:
        return False
    if len(uids) < 2:
        return True
    return bool(pc.all(pc.greater(uids.slice(1), uids.slice(0, len(uids) - 1))).as_py())
