"""Parquet output with fixed settings, so that the same data gives the same bytes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP_SIZE = 131_072
_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "store_schema": True,
}


def write_table(table: pa.Table, path: Path) -> int:
    """Write one table; returns the file size in bytes."""
    pq.write_table(table, path, row_group_size=ROW_GROUP_SIZE, **_OPTIONS)
    return path.stat().st_size


class StreamWriter:
    """Append tables of one schema to a single Parquet file, one row group per write."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self._writer = pq.ParquetWriter(path, schema, **_OPTIONS)

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self._writer.write_table(table, row_group_size=ROW_GROUP_SIZE)

    def close(self) -> int:
        self._writer.close()
        return self.path.stat().st_size


def write_json(data: dict[str, Any], path: Path) -> int:
    path.write_text(
        json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path.stat().st_size
