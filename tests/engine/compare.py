"""Two snapshots hold the same records: the comparison the Spark parity and cluster tests share."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq


def rows(snapshot: Path, folder: str) -> list[dict]:
    return pq.read_table(Path(snapshot) / folder).sort_by("record_uid").to_pylist()


def assert_same_snapshot(a: Path, b: Path, report_a: dict, report_b: dict) -> int:
    """Same data rows (kinds, categories, times, languages, pseudonyms, redacted texts), same
    lineage and the same counts; returns the number of data rows."""
    da, db = rows(a, "data"), rows(b, "data")
    assert [r["record_uid"] for r in da] == [r["record_uid"] for r in db]
    assert da == db
    assert rows(a, "lineage") == rows(b, "lineage")
    for part in ("records", "members", "redactions"):
        assert report_a[part] == report_b[part], part
    return len(da)
