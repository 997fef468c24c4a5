"""Events in and out of the ledger, in the data contract's ``preference_events`` shape.

The snapshot build reads consent with ``read_events`` and records ``head_hash`` in its
manifest. For an as-of instant T the head is the hash of the last event, in chain order,
among those effective at or before T: everything the build read is covered by it, a later
change (effective after T) leaves it alone, and a later back-dated import changes it, as it
changes what the build would read.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy.engine import Connection

from consentgate.contract.schema import TABLES
from consentgate.contract.source import ContractError, open_source
from consentgate.ledger.chain import CHAIN_FORMAT, GENESIS_HASH, StoredEvent, format_time
from consentgate.ledger.errors import EventRejected, LedgerError
from consentgate.ledger.signing import TreeHead
from consentgate.ledger.store import ImportResult, Ledger, NewEvent
from consentgate.policy.model import Policy

if TYPE_CHECKING:
    from consentgate.ledger.verify import VerifyReport

CONTRACT = TABLES["preference_events"]
META_HEAD_HASH = b"consentgate.ledger.head_hash"
META_HEAD_SEQ = b"consentgate.ledger.head_seq"
META_AS_OF = b"consentgate.ledger.as_of"
META_FORMAT = b"consentgate.ledger.chain_format"
META_TREE_SIZE = b"consentgate.ledger.tree_size"
META_ROOT = b"consentgate.ledger.root_hash"
META_LOG_ID = b"consentgate.ledger.log_id"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    head_seq: int
    head_hash: str


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def events_table_as_of(
    ledger: Ledger, as_of: dt.datetime | None, conn: Connection | None = None
) -> pa.Table:
    """Contract columns of every event effective at or before ``as_of`` (all when None),
    in log order, with the head hash and sequence number in the schema metadata, and the
    tree's size and root when it was read. ``conn``: a read transaction (``Ledger.read()``)
    to read in; by default one of its own, so that events and tree are one view."""
    if conn is None:
        with ledger.read() as own:
            return events_table_as_of(ledger, as_of, own)
    until = _utc(as_of) if as_of is not None else None
    columns: dict[str, list] = {name: [] for name in CONTRACT.column_names}
    head_seq, head = 0, GENESIS_HASH
    # Every event is read and the instant compared here, on the integers the hash covers:
    # a filter in SQL would silently pass over a row whose stored value is not an integer.
    for event in ledger.iter_events(conn=conn):
        if until is not None and event.effective_at > until:
            continue
        columns["member_id"].append(event.member_id)
        columns["setting"].append(event.setting)
        columns["value"].append(event.value)
        columns["effective_at"].append(event.effective_at)
        columns["source"].append(event.source)
        head_seq, head = event.seq, event.hash
    tree = ledger.head(conn)
    metadata = {
        META_HEAD_HASH: head.encode(),
        META_HEAD_SEQ: str(head_seq).encode(),
        META_FORMAT: CHAIN_FORMAT.encode(),
        META_TREE_SIZE: str(tree.seq).encode(),
        META_ROOT: tree.hash.encode(),
        META_LOG_ID: tree.log_id.encode(),
    }
    if until is not None:
        metadata[META_AS_OF] = format_time(until).encode()
    schema = CONTRACT.arrow_schema().with_metadata(metadata)
    return pa.Table.from_pydict(columns, schema=schema)


@dataclass(frozen=True)
class VerifiedRead:
    events: pa.Table
    report: VerifyReport
    signed_head: TreeHead | None  # the latest signed head when it was read


def read_verified(
    db_url: str, as_of: dt.datetime | None, pins: dict[int, str] | None = None
) -> VerifiedRead:
    """Verify the ledger and read its events effective at or before ``as_of``, in ONE read
    transaction: what is read is what was verified, however many writes go on meanwhile."""
    from consentgate.ledger.verify import verify_in

    with Ledger(db_url, read_only=True) as ledger, ledger.read() as conn:
        report = verify_in(ledger, conn, pins=pins)
        table = events_table_as_of(ledger, as_of, conn) if report.ok else None
        signed = ledger.latest_tree_head(conn)
    return VerifiedRead(table, report, signed)  # type: ignore[arg-type]


def read_events(db_url: str, as_of: dt.datetime | None) -> pa.Table:
    """The ledger's events effective at or before ``as_of``, as a ``preference_events`` table.

    ``table.schema.metadata[b"consentgate.ledger.head_hash"]`` is the head hash of what was
    read (the same value ``head_hash(db_url, as_of)`` returns, read in the same pass)."""
    with Ledger(db_url, read_only=True) as ledger:
        return events_table_as_of(ledger, as_of)


def head_hash(db_url: str, as_of: dt.datetime | None = None) -> str:
    """The leaf hash of the last event, in log order, effective at or before T (see the
    module's docstring); with no T, the root of the whole log. The root of the empty tree
    for an empty ledger."""
    with Ledger(db_url, read_only=True) as ledger:
        return head_of(ledger, as_of)[1]


def head_of(ledger: Ledger, as_of: dt.datetime | None) -> tuple[int, str]:
    if as_of is None:
        head = ledger.head()
        return head.seq, head.hash
    table = events_table_as_of(ledger, as_of)
    meta = table.schema.metadata
    return int(meta[META_HEAD_SEQ]), meta[META_HEAD_HASH].decode()


def export_parquet(ledger: Ledger, as_of: dt.datetime, out: Path) -> ExportResult:
    """Write the events effective at or before ``as_of`` to ``out`` (atomically)."""
    table = events_table_as_of(ledger, as_of)
    out = Path(out)
    if not out.parent.is_dir():
        raise LedgerError(f"{out.parent}: no such folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    meta = table.schema.metadata
    return ExportResult(
        path=out,
        rows=table.num_rows,
        head_seq=int(meta[META_HEAD_SEQ]),
        head_hash=meta[META_HEAD_HASH].decode(),
    )


def _contract_rows(path: Path) -> Iterator[dict]:
    """Rows of a ``preference_events`` table, checked against the contract: a Parquet file,
    or a source (folder or DuckDB file) holding that table."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".parquet":
        # The contract reader expects a source folder: give it one with this file in it.
        with tempfile.TemporaryDirectory(prefix="consentgate-import-") as folder:
            (Path(folder) / "preference_events.parquet").symlink_to(path.resolve())
            yield from _contract_rows(Path(folder))
        return
    try:
        source = open_source(path, tables=("preference_events",))
        for batch in source.iter_batches("preference_events"):
            yield from batch.to_pylist()
    except ContractError:
        raise
    except Exception as exc:  # DuckDB's own errors: an unreadable file, bad Parquet
        raise ContractError(f"{path}: cannot read preference events: {exc}") from exc


def events_from_rows(rows: Iterator[dict], policy: Policy, origin: str) -> list[NewEvent]:
    events = []
    for number, row in enumerate(rows, start=1):
        missing = [k for k in ("member_id", "setting", "value", "effective_at", "source")
                   if row.get(k) is None]
        if missing:
            raise EventRejected(f"{origin}: row {number}: {', '.join(missing)} missing (null)")
        events.append(
            NewEvent(
                member_id=row["member_id"],
                setting=row["setting"],
                value=bool(row["value"]),
                source=row["source"],
                policy_id=policy.policy.id,
                policy_version=policy.policy.version,
                effective_at=_utc(row["effective_at"]),
            )
        )
    return events


def import_file(ledger: Ledger, path: Path, policy: Policy) -> ImportResult:
    """Import preference events from a file in the contract; events already in the ledger
    are skipped, and the whole file goes in, or nothing does."""
    events = events_from_rows(_contract_rows(Path(path)), policy, str(path))
    try:
        return ledger.import_events(events)
    except EventRejected as exc:
        raise EventRejected(f"{path}: {exc}") from exc


__all__ = [
    "META_AS_OF",
    "META_HEAD_HASH",
    "META_HEAD_SEQ",
    "ExportResult",
    "StoredEvent",
    "events_table_as_of",
    "export_parquet",
    "head_hash",
    "head_of",
    "import_file",
    "read_events",
    "read_verified",
]
