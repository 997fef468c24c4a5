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
    data/part-*.parquet and lineage/part-*.parquet joined on record_uid (so any file layout
    works); written to ``root/usage/members.parquet`` unless ``out`` is given."""
    import duckdb

    data = [str(p) for p in sorted((root / "data").glob("part-*.parquet"))]
    lineage = [str(p) for p in sorted((root / "lineage").glob("part-*.parquet"))]
    target = out if out is not None else root / USAGE_FILE
    spill = target.parent / f".spill-{target.name}"
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone='UTC'")
        con.execute("SET enable_progress_bar=false")
        spill.mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory='{spill}'")
        if memory_limit:
            con.execute(f"SET memory_limit='{memory_limit}'")
        table = con.sql(
            """
            SELECT l.member_id, d.kind, any_value(d.category) AS category,
                   count(*)::BIGINT AS records,
                   min(d.created_at) AS first_created_at, max(d.created_at) AS last_created_at
            FROM read_parquet($d) AS d JOIN read_parquet($l) AS l USING (record_uid)
            GROUP BY l.member_id, d.kind
            ORDER BY l.member_id, d.kind
            """,
            params={"d": data, "l": lineage},
        ).to_arrow_table()
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    pq.write_table(
        table.cast(USAGE_SCHEMA), target, row_group_size=USAGE_ROW_GROUP_ROWS,
        compression="zstd", write_statistics=["member_id", "kind"],
        use_dictionary=["kind", "category"],
    )
    return target
