"""The per-member usage index every snapshot carries: ``usage/members.parquet``.

One row per (member, kind) of the records in the snapshot's data — how many, their category,
the first and last creation time — sorted by member_id then kind, in small row groups with
min/max statistics on member_id, so that "was this member used?" reads one row group of a
snapshot's footer-selected range instead of the whole snapshot. Restricted, like lineage/:
it names member ids.

This module holds only the layout (pyarrow); the build writes the index with
``write_usage_index`` and the registry reads it (``consentgate.registry.usage``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from consentgate.snapshot.manifest import data_files, lineage_files

USAGE_FILE = "usage/members.parquet"
USAGE_ROW_GROUP_ROWS = 8_192
USAGE_SCHEMA = pa.schema([
    ("member_id", pa.string()),
    ("kind", pa.string()),
    ("category", pa.string()),
    ("records", pa.int64()),
    ("first_created_at", pa.timestamp("us", tz="UTC")),
    ("last_created_at", pa.timestamp("us", tz="UTC")),
])


def write_usage_index(
    root: Path, out: Path | None = None, *, memory_limit: str | None = None
) -> Path:
    """The usage index of the snapshot (or staging folder) ``root``, from its
    data/part-*.parquet and lineage/part-*.parquet; written to ``root/usage/members.parquet``
    unless ``out`` is given.

    Data and lineage are written row for row in record_uid order, so the two are read side
    by side (a positional join, no hash join of millions of ids); that they line up is
    checked first, and when they do not (files from elsewhere), they are joined on
    record_uid instead. DuckDB writes the file itself (sorted, row groups of
    USAGE_ROW_GROUP_ROWS, min/max statistics): the index never sits in Python's memory."""
    import duckdb

    data = [str(p) for p in data_files(root)]
    lineage = [str(p) for p in lineage_files(root)]
    target = out if out is not None else root / USAGE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    spill = target.parent / f".spill-{target.name}"
    partial = target.parent / f".{target.name}.partial"
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone='UTC'")
        con.execute("SET enable_progress_bar=false")
        spill.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory='{_sql(spill)}'")
        if memory_limit:
            con.execute(f"SET memory_limit='{_sql(memory_limit)}'")
        d, lf = _files_sql(data), _files_sql(lineage)
        misaligned = con.sql(
            f"SELECT count(*) FROM (SELECT record_uid FROM read_parquet({lf})) l "
            f"POSITIONAL JOIN (SELECT record_uid AS d_uid FROM read_parquet({d})) d "
            "WHERE l.record_uid IS DISTINCT FROM d.d_uid"
        ).fetchone()[0]
        if misaligned:
            rows = (f"read_parquet({d}) AS d JOIN read_parquet({lf}) AS l USING (record_uid)")
        else:
            rows = (f"(SELECT member_id FROM read_parquet({lf})) AS l POSITIONAL JOIN "
                    f"(SELECT kind, category, created_at FROM read_parquet({d})) AS d")
        con.execute(
            f"""
            COPY (
                SELECT l.member_id, d.kind, any_value(d.category) AS category,
                       count(*)::BIGINT AS records,
                       min(d.created_at)::TIMESTAMPTZ AS first_created_at,
                       max(d.created_at)::TIMESTAMPTZ AS last_created_at
                FROM {rows}
                GROUP BY l.member_id, d.kind
                ORDER BY l.member_id, d.kind
            ) TO '{_sql(partial)}'
            (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {USAGE_ROW_GROUP_ROWS})
            """
        )
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    got = pq.read_schema(partial)
    if not got.equals(USAGE_SCHEMA, check_metadata=False):
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"usage index written with schema {got}, expected {USAGE_SCHEMA}")
    partial.replace(target)
    return target


def _sql(value: object) -> str:
    return str(value).replace("'", "''")


def _files_sql(files: list[str]) -> str:
    return "[" + ", ".join(f"'{_sql(f)}'" for f in files) + "]"
