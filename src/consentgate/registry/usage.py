"""The member's answer to "was my data used?": which registered snapshots hold their records,
which training runs (and so which models) used those snapshots, their setting's history, and
the first snapshot built after they turned the setting off (which must not hold them).

Each snapshot carries a per-member usage index (where its manifest's ``usage_index`` says;
the build writes ``usage/members.parquet``, and ``lineage/usage.parquet`` is tried too): one
row per (member, kind) of the records in its data, sorted by ``member_id`` then ``kind``, in
small row groups with min/max statistics on ``member_id``. A lookup reads the Parquet footer
(cached per file, keyed by its size and modification time), keeps the row groups whose
``member_id`` range may hold the member, and reads only those: a few kilobytes per snapshot,
whatever its size. A snapshot without the index (an older format) is searched the slow way,
by joining its lineage (``lineage/part-*.parquet``) with its data.

Snapshots in state ``published``, ``superseded`` or ``data_deleted`` still have their
lineage and are searched; ``deleted`` ones are listed apart, as not searched.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import functools
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy.exc import DBAPIError

from consentgate.contract.schema import ERASURE_SETTING, SETTING_KEY
from consentgate.registry.db import check_sqlite_file, one_line, parse_target
from consentgate.registry.errors import RegistryError
from consentgate.registry.store import SEARCHABLE_STATES, Registry, RunEntry, SnapshotEntry
from consentgate.registry.times import utc_z
from consentgate.snapshot.manifest import data_files, lineage_files
from consentgate.snapshot.usage_index import USAGE_FILE, USAGE_SCHEMA

UTC = dt.UTC
# Where a snapshot keeps its usage index: the manifest's ``usage_index`` says (kept in the
# registry); without it these places are tried in turn (the second is an early layout).
USAGE_FILES = (USAGE_FILE, "lineage/usage.parquet")
USAGE_COLUMNS = tuple(USAGE_SCHEMA.names)
_DICTIONARY = ("member_id", "kind", "category")


# -- reading one usage index ------------------------------------------------------------------
@dataclass(frozen=True)
class IndexLookup:
    """A member's rows in one snapshot's usage index, and what it took to find them."""

    rows: pa.Table  # USAGE_SCHEMA
    row_groups_read: int
    row_groups_total: int
    method: str  # "usage_index" or "lineage_join"


@dataclass(frozen=True)
class _Footer:
    metadata: pq.FileMetaData
    ranges: tuple[tuple[str | None, str | None], ...]  # member_id min/max per row group
    columns: tuple[str, ...]  # the index's columns among USAGE_COLUMNS
    dictionary: tuple[str, ...]  # string columns stored dictionary-encoded: read as such


def _footer_of(metadata: pq.FileMetaData) -> _Footer:
    names = metadata.schema.to_arrow_schema().names
    for required in ("member_id", "records"):
        if required not in names:
            raise RegistryError(f"the usage index has no {required} column")
    column = names.index("member_id")
    ranges = []
    for i in range(metadata.num_row_groups):
        stats = metadata.row_group(i).column(column).statistics
        if stats is None or not stats.has_min_max:
            ranges.append((None, None))  # no statistics: the row group must be read
        else:
            ranges.append((_text(stats.min), _text(stats.max)))
    dictionary = []
    if metadata.num_row_groups:
        first = metadata.row_group(0)
        for name in _DICTIONARY:
            if name in names:
                encodings = first.column(names.index(name)).encodings
                if any("DICTIONARY" in e for e in encodings):
                    dictionary.append(name)
    return _Footer(
        metadata, tuple(ranges), tuple(c for c in USAGE_COLUMNS if c in names), tuple(dictionary)
    )


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


@functools.lru_cache(maxsize=4096)
def _cached_footer(path: str, _mtime_ns: int, _size: int) -> _Footer:
    return _footer_of(pq.read_metadata(path))


def candidate_row_groups(ranges: Iterable[tuple[str | None, str | None]], member_id: str) -> list[int]:
    """Row groups whose member_id range may hold ``member_id`` (or that have no statistics)."""
    return [
        i
        for i, (low, high) in enumerate(ranges)
        if low is None or high is None or low <= member_id <= high
    ]


def lookup_usage(
    source: str | Path | BinaryIO, member_id: str, *, footer: _Footer | None = None
) -> IndexLookup:
    """The member's rows in a usage index file (a path, or a file object, which is only
    read where needed): the footer, then the row groups that may hold them."""
    if footer is None:
        if isinstance(source, str | Path):
            st = os.stat(source)
            footer = _cached_footer(str(source), st.st_mtime_ns, st.st_size)
        else:
            footer = _footer_of(pq.read_metadata(source))
    groups = candidate_row_groups(footer.ranges, member_id)
    total = footer.metadata.num_row_groups
    if not groups:
        return IndexLookup(USAGE_SCHEMA.empty_table(), 0, total, "usage_index")
    # A small read: no pre-buffering and no thread pool (both cost more than they save
    # here), and the string columns stored with a dictionary kept dictionary-encoded until
    # the member's few rows are picked (a third to a half of the decoding time).
    pf = pq.ParquetFile(
        source, metadata=footer.metadata, pre_buffer=False,
        read_dictionary=list(footer.dictionary),
    )
    try:
        table = pf.read_row_groups(groups, columns=list(footer.columns), use_threads=False)
    finally:
        pf.close()
    return IndexLookup(_conform(_rows_of(table, member_id)), len(groups), total, "usage_index")


def _rows_of(table: pa.Table, member_id: str) -> pa.Table:
    """The member's rows. On a dictionary-encoded member_id (as read here) the member is
    looked up once in each chunk's dictionary and its rows found by index; otherwise a
    plain comparison."""
    column = table["member_id"]
    if not pa.types.is_dictionary(column.type):
        return table.filter(pc.equal(column, member_id))
    masks = []
    for chunk in column.chunks:
        position = pc.index(chunk.dictionary, member_id).as_py()
        if position < 0:
            masks.append(pa.array(np.zeros(len(chunk), dtype=bool)))
        else:
            masks.append(pc.equal(chunk.indices, pa.scalar(position, chunk.indices.type)))
    mask = pa.chunked_array(masks, pa.bool_())
    return table.filter(pc.fill_null(mask, False))


def _conform(table: pa.Table) -> pa.Table:
    """The table with USAGE_SCHEMA's columns and types (a column it lacks: nulls)."""
    for f in USAGE_SCHEMA:
        if f.name not in table.column_names:
            table = table.append_column(f.name, pa.nulls(table.num_rows, f.type))
    return table.select(list(USAGE_COLUMNS)).cast(USAGE_SCHEMA)


def _utc(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Data's created_at is the UTC wall clock without a zone: give it one."""
    if pa.types.is_timestamp(column.type) and column.type.tz is None:
        return pc.assume_timezone(column.cast(pa.timestamp("us")), "UTC")
    return column.cast(pa.timestamp("us", tz="UTC"))


def usage_from_lineage(folder: Path, member_id: str | None = None) -> IndexLookup:
    """The usage rows computed from a snapshot's lineage and data (the older format, with
    no usage index): for one member, or for everyone when ``member_id`` is None. Without
    data files (``data_deleted``), kinds are unknown and the rows say only how many
    records there were."""
    files = lineage_files(folder)
    if not files:
        raise RegistryError(f"{folder}: no lineage (lineage/part-*.parquet) to search")
    filters = [("member_id", "==", member_id)] if member_id is not None else None
    lineage = pa.concat_tables(
        [pq.read_table(f, columns=["record_uid", "member_id"], filters=filters) for f in files]
    )
    parts = data_files(folder)
    if lineage.num_rows and parts:
        uid_filter = (
            [("record_uid", "in", lineage["record_uid"].to_pylist())]
            if member_id is not None
            else None
        )
        data = pa.concat_tables(
            [
                pq.read_table(
                    f, columns=["record_uid", "kind", "category", "created_at"], filters=uid_filter
                )
                for f in parts
            ]
        )
        data = data.set_column(
            data.schema.get_field_index("created_at"), "created_at", _utc(data["created_at"])
        )
        joined = lineage.join(data, "record_uid", join_type="inner")
        grouped = joined.group_by(["member_id", "kind"]).aggregate(
            [
                ("category", "min"),
                ("record_uid", "count"),
                ("created_at", "min"),
                ("created_at", "max"),
            ]
        )
        table = pa.table(
            {
                "member_id": grouped["member_id"],
                "kind": grouped["kind"],
                "category": grouped["category_min"],
                "records": grouped["record_uid_count"],
                "first_created_at": grouped["created_at_min"],
                "last_created_at": grouped["created_at_max"],
            }
        )
    elif lineage.num_rows:
        counts = lineage.group_by(["member_id"]).aggregate([("record_uid", "count")])
        n = counts.num_rows
        table = pa.table(
            {
                "member_id": counts["member_id"],
                "kind": pa.nulls(n, pa.string()),
                "category": pa.nulls(n, pa.string()),
                "records": counts["record_uid_count"],
                "first_created_at": pa.nulls(n, pa.timestamp("us", tz="UTC")),
                "last_created_at": pa.nulls(n, pa.timestamp("us", tz="UTC")),
            }
        )
    else:
        table = USAGE_SCHEMA.empty_table()
    table = _conform(table).sort_by([("member_id", "ascending"), ("kind", "ascending")])
    groups = sum(pq.ParquetFile(f).metadata.num_row_groups for f in files)
    return IndexLookup(table, groups, groups, "lineage_join")


def usage_index_of(folder: Path, declared: str | None = None) -> Path | None:
    """The snapshot's usage index file: where its manifest says, else where builds put it;
    None for a snapshot without one (an older format)."""
    for name in ((declared,) if declared else ()) + USAGE_FILES:
        path = folder / name
        if path.is_file():
            return path
    return None


def lookup_snapshot(folder: Path, member_id: str, declared: str | None = None) -> IndexLookup:
    """The member's rows in one snapshot: its usage index, else its lineage joined with
    its data."""
    index = usage_index_of(folder, declared)
    if index is not None:
        return lookup_usage(index, member_id)
    return usage_from_lineage(folder, member_id)


# -- the answer -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SnapshotUsage:
    """One snapshot that holds the member's records."""

    snapshot_id: str
    as_of: dt.datetime
    state: str
    records: int
    records_by_kind: dict[str, int]
    categories: list[str]
    first_created_at: dt.datetime | None
    last_created_at: dt.datetime | None
    superseded_by: str | None
    method: str

    def to_json(self) -> dict[str, Any]:
        return {
            "snapshot_id": self.snapshot_id,
            "as_of": utc_z(self.as_of),
            "state": self.state,
            "records": self.records,
            "records_by_kind": dict(self.records_by_kind),
            "categories": list(self.categories),
            "first_created_at": _time(self.first_created_at),
            "last_created_at": _time(self.last_created_at),
            "superseded_by": self.superseded_by,
            "searched_with": self.method,
        }


@dataclass(frozen=True)
class RunUsage:
    """A training run that used at least one snapshot holding the member's records."""

    run_id: str
    model: str
    model_version: str | None
    state: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    snapshots: list[str]  # the snapshots it used that hold the member's records

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "model": self.model,
            "model_version": self.model_version,
            "state": self.state,
            "started_at": utc_z(self.started_at),
            "finished_at": _time(self.finished_at),
            "snapshots": list(self.snapshots),
        }


@dataclass(frozen=True)
class SettingEvent:
    """One event of the member's history (a change of the setting, or an erasure request)."""

    setting: str
    value: bool | None
    effective_at: dt.datetime | None
    source: str | None
    recorded_at: dt.datetime | None = None
    receipt_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "setting": self.setting,
            "value": self.value,
            "effective_at": _time(self.effective_at),
            "recorded_at": _time(self.recorded_at),
            "source": self.source,
            "receipt_id": self.receipt_id,
        }


@dataclass
class MemberUsage:
    member_id: str
    checked_at: dt.datetime
    registry: str
    snapshots: list[SnapshotUsage]  # exactly the snapshots that hold the member's records
    runs: list[RunUsage]  # the runs that used those snapshots
    searched: list[str]  # ids of the snapshots searched
    deleted_snapshots: list[SnapshotEntry]  # deleted, so not searched
    unreadable: list[dict[str, str]]  # snapshots that should have been searched but could not
    setting: str = SETTING_KEY
    consent_source: str | None = None  # where the history came from; None: no history
    history: list[SettingEvent] | None = None  # oldest first
    setting_now: str | None = None  # "on", "off", "conflict", "default" (no event), None
    opted_out_at: dt.datetime | None = None  # when the opt-out still in force took effect
    first_snapshot_after_opt_out: dict[str, Any] | None = None
    erasure_requested_at: dt.datetime | None = None
    problems: list[str] = field(default_factory=list)
    row_groups_read: int = 0
    row_groups_total: int = 0
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        """Every snapshot that should have been searched was: only then does "not in any
        snapshot" mean not in any."""
        return not self.unreadable

    def to_json(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "checked_at": utc_z(self.checked_at),
            "registry": self.registry,
            "used": bool(self.snapshots),
            "snapshots": [s.to_json() for s in self.snapshots],
            "runs": [r.to_json() for r in self.runs],
            "models": [
                {"name": name, "version": version or None}
                for name, version in sorted(
                    {(r.model, r.model_version or "") for r in self.runs if r.state != "failed"}
                )
            ],
            "searched_snapshots": list(self.searched),
            "deleted_snapshots": [
                {
                    "snapshot_id": s.snapshot_id,
                    "as_of": utc_z(s.as_of),
                    "deleted_at": utc_z(s.state_changed_at),
                    "searched": False,
                }
                for s in self.deleted_snapshots
            ],
            "unreadable_snapshots": list(self.unreadable),
            "complete": self.complete,
            "setting": self.setting,
            "consent_source": self.consent_source,
            "setting_now": self.setting_now,
            "history": [e.to_json() for e in self.history] if self.history is not None else None,
            "opted_out_at": _time(self.opted_out_at),
            "first_snapshot_after_opt_out": self.first_snapshot_after_opt_out,
            "erasure_requested_at": _time(self.erasure_requested_at),
            "problems": list(self.problems),
            "lookup": {
                "row_groups_read": self.row_groups_read,
                "row_groups_total": self.row_groups_total,
                "seconds": round(self.seconds, 6),
            },
        }


def _time(value: dt.datetime | None) -> str | None:
    return utc_z(value) if value is not None else None


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _snapshot_usage(entry: SnapshotEntry, found: IndexLookup) -> SnapshotUsage | None:
    rows = found.rows
    total = pc.sum(rows["records"]).as_py() if rows.num_rows else 0
    if not total:
        return None
    by_kind: dict[str, int] = {}
    for kind, n in zip(rows["kind"].to_pylist(), rows["records"].to_pylist(), strict=True):
        if kind is not None:
            by_kind[kind] = by_kind.get(kind, 0) + (n or 0)
    return SnapshotUsage(
        snapshot_id=entry.snapshot_id,
        as_of=entry.as_of,
        state=entry.state,
        records=total,
        records_by_kind=dict(sorted(by_kind.items())),
        categories=sorted({c for c in rows["category"].to_pylist() if c}),
        first_created_at=_as_datetime(pc.min(rows["first_created_at"]).as_py()),
        last_created_at=_as_datetime(pc.max(rows["last_created_at"]).as_py()),
        superseded_by=entry.superseded_by,
        method=found.method,
    )


def member_usage(
    registry: Registry | str | Path,
    member_id: str,
    consent: str | Path | None = None,
    *,
    setting: str = SETTING_KEY,
    now: dt.datetime | None = None,
) -> MemberUsage:
    """Where the member's records went: the registered snapshots that hold them, the runs
    that used those, the member's setting history and the first snapshot after their
    opt-out.

    ``registry``: an open :class:`Registry` (kept open) or its URL (opened read-only).
    ``consent``: a ledger URL, or a source folder/DuckDB file with ``preference_events``;
    None: the registry's own database when it also holds a ledger, else no history."""
    if not isinstance(member_id, str) or not member_id:
        raise RegistryError("the member id must be a non-empty string")
    if isinstance(registry, Registry):
        return _member_usage(registry, member_id, consent, setting, now)
    with Registry.open_existing(registry) as opened:
        return _member_usage(opened, member_id, consent, setting, now)


def _member_usage(
    registry: Registry,
    member_id: str,
    consent: str | Path | None,
    setting: str,
    now: dt.datetime | None,
) -> MemberUsage:
    started = time.perf_counter()
    checked_at = (now or dt.datetime.now(UTC)).astimezone(UTC)
    entries = registry.snapshots()
    hits: list[SnapshotUsage] = []
    searched: list[str] = []
    unreadable: list[dict[str, str]] = []
    read = total = 0
    searchable = [e for e in entries if e.state in SEARCHABLE_STATES]
    for entry, found in zip(searchable, _lookups(searchable, member_id), strict=True):
        if isinstance(found, BaseException):
            unreadable.append({"snapshot_id": entry.snapshot_id, "reason": _reason(entry, found)})
            continue
        searched.append(entry.snapshot_id)
        read += found.row_groups_read
        total += found.row_groups_total
        usage = _snapshot_usage(entry, found)
        if usage is not None:
            hits.append(usage)
    hit_ids = {h.snapshot_id for h in hits}
    runs = [_run_usage(r, hit_ids) for r in registry.runs_using_any(hit_ids)]
    result = MemberUsage(
        member_id=member_id,
        checked_at=checked_at,
        registry=registry.shown,
        snapshots=hits,
        runs=runs,
        searched=searched,
        deleted_snapshots=[e for e in entries if e.state == "deleted"],
        unreadable=unreadable,
        setting=setting,
        row_groups_read=read,
        row_groups_total=total,
    )
    for item in unreadable:
        result.problems.append(
            f"snapshot {item['snapshot_id']} could not be searched: {item['reason']}"
        )
    _add_history(result, registry, consent, entries, checked_at)
    result.seconds = time.perf_counter() - started
    return result


_POOL: concurrent.futures.ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
LOOKUP_THREADS = min(4, os.cpu_count() or 1)


def _forget_pool() -> None:
    """In a forked child the pool's threads are gone: start a new pool there when needed."""
    global _POOL
    _POOL = None


os.register_at_fork(after_in_child=_forget_pool)


def _lookup_or_error(entry: SnapshotEntry, member_id: str) -> IndexLookup | BaseException:
    try:
        return lookup_snapshot(entry.location, member_id, entry.usage_index)
    except (OSError, RegistryError, pa.ArrowException) as exc:
        return exc


def _lookups(entries: list[SnapshotEntry], member_id: str) -> list[IndexLookup | BaseException]:
    """Each snapshot's lookup, in order; several at once in a thread pool (Parquet decoding
    releases the GIL), one after the other for a few snapshots or a single core."""
    global _POOL
    if len(entries) < 4 or LOOKUP_THREADS < 2:
        return [_lookup_or_error(e, member_id) for e in entries]
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = concurrent.futures.ThreadPoolExecutor(
                LOOKUP_THREADS, thread_name_prefix="consentgate-usage"
            )
    return list(_POOL.map(lambda e: _lookup_or_error(e, member_id), entries))


def _reason(entry: SnapshotEntry, exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"its lineage is missing at {entry.location}"
    return str(exc) or type(exc).__name__


def _run_usage(run: RunEntry, hit_ids: set[str]) -> RunUsage:
    return RunUsage(
        run_id=run.run_id,
        model=run.model,
        model_version=run.model_version,
        state=run.state,
        started_at=run.started_at,
        finished_at=run.finished_at,
        snapshots=[s for s in run.snapshot_ids if s in hit_ids],
    )


# -- the setting's history ------------------------------------------------------------------
def _add_history(
    result: MemberUsage,
    registry: Registry,
    consent: str | Path | None,
    entries: list[SnapshotEntry],
    now: dt.datetime,
) -> None:
    try:
        loaded = _load_history(registry, result.member_id, consent)
    except RegistryError as exc:
        if consent is not None:
            raise
        result.problems.append(
            f"the setting's history could not be read from the ledger in the registry's "
            f"database: {exc}"
        )
        return
    if loaded is None:
        return
    result.consent_source, events = loaded
    events.sort(key=lambda e: (e.effective_at or now, e.recorded_at or now))
    result.history = events
    erasures = [
        e.effective_at for e in events if e.setting == ERASURE_SETTING and e.value is True
    ]
    result.erasure_requested_at = min((e for e in erasures if e is not None), default=None)
    relevant = [
        e for e in events
        if e.setting == result.setting and e.effective_at is not None and e.effective_at <= now
    ]
    if not relevant:
        result.setting_now = "default"
        return
    latest = max(e.effective_at for e in relevant)  # type: ignore[type-var]
    values = {e.value for e in relevant if e.effective_at == latest}
    if len(values) != 1 or None in values:
        result.setting_now = "conflict"
        return
    value = values.pop()
    result.setting_now = "on" if value else "off"
    if value:
        return
    # the opt-out in force began with the first "off" after the last "on"
    last_on = max((e.effective_at for e in relevant if e.value is True), default=None)
    offs = [
        e.effective_at for e in relevant
        if e.value is False and (last_on is None or e.effective_at > last_on)  # type: ignore[operator]
    ]
    result.opted_out_at = min(offs)  # type: ignore[type-var]
    _first_after_opt_out(result, entries)


def _first_after_opt_out(result: MemberUsage, entries: list[SnapshotEntry]) -> None:
    assert result.opted_out_at is not None
    held = {h.snapshot_id: h for h in result.snapshots}
    searched = set(result.searched)
    unreadable = {u["snapshot_id"] for u in result.unreadable}
    # the first one built after the opt-out, whether or not it could be searched: one that
    # could not says nothing about the member (holds_member None), and a later one that
    # could must not stand in for it
    after = [
        e for e in entries
        if e.as_of >= result.opted_out_at and e.snapshot_id in searched | unreadable
    ]
    if after:
        first = min(after, key=lambda e: (e.as_of, e.snapshot_id))
        result.first_snapshot_after_opt_out = {
            "snapshot_id": first.snapshot_id,
            "as_of": utc_z(first.as_of),
            "state": first.state,
            "holds_member": first.snapshot_id in held if first.snapshot_id in searched else None,
        }
    for e in sorted(after, key=lambda e: e.as_of):
        if e.snapshot_id in held:
            result.problems.append(
                f"snapshot {e.snapshot_id} (as of {utc_z(e.as_of)}) holds "
                f"{held[e.snapshot_id].records} of the member's records although it is dated "
                f"after the opt-out of {utc_z(result.opted_out_at)}"
            )


def _load_history(
    registry: Registry, member_id: str, consent: str | Path | None
) -> tuple[str, list[SettingEvent]] | None:
    if consent is None:
        # the registry's own database, when it also holds the ledger
        if not registry.has_ledger():
            return None
        return registry.shown, _ledger_history(registry.target.url, member_id)
    text = str(consent)
    if "://" in text:
        target = parse_target(text)
        if target.path is not None:  # opening a SQLite file that is not there creates it
            check_sqlite_file(target.path, must_exist=True, what="consent ledger")
        return target.shown, _ledger_history(target.url, member_id)
    return text, _source_history(Path(text), member_id)


def _ledger_history(url: str, member_id: str) -> list[SettingEvent]:
    from consentgate.ledger import Ledger, LedgerError

    try:
        with Ledger(url) as ledger:
            stored = ledger.history(member_id)
    except LedgerError as exc:
        raise RegistryError(f"consent ledger: {exc}") from exc
    except DBAPIError as exc:
        raise RegistryError(f"consent ledger: {one_line(exc)}") from exc
    return [
        SettingEvent(
            setting=e.setting,
            value=e.value,
            effective_at=e.effective_at,
            source=e.source,
            recorded_at=e.recorded_at,
            receipt_id=e.receipt_id,
        )
        for e in stored
    ]


def _source_history(path: Path, member_id: str) -> list[SettingEvent]:
    from consentgate.contract.source import ContractError, open_source

    try:
        source = open_source(path, tables=["preference_events"])
        quoted = member_id.replace("'", "''")
        table = source.read_table("preference_events", where=f"member_id = '{quoted}'")
    except ContractError as exc:
        raise RegistryError(f"consent source: {exc}") from exc
    return [
        SettingEvent(
            setting=r["setting"],
            value=r["value"],
            effective_at=_as_datetime(r["effective_at"]),
            source=r["source"],
        )
        for r in table.to_pylist()
    ]


__all__ = [
    "USAGE_FILE",
    "USAGE_FILES",
    "USAGE_SCHEMA",
    "IndexLookup",
    "MemberUsage",
    "RunUsage",
    "SettingEvent",
    "SnapshotUsage",
    "lookup_snapshot",
    "lookup_usage",
    "member_usage",
    "usage_from_lineage",
    "usage_index_of",
]
