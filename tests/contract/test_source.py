from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import tiny_tables, write_source

from consentgate.contract import TABLES, ContractError, open_source


def test_parquet_folder_is_read_with_utc_timestamps(tiny_source: Path) -> None:
    src = open_source(tiny_source)
    members = src.read_table("members")
    assert members.schema.field("joined_at").type == pa.timestamp("us", tz="UTC")
    assert src.count("records") == 30
    assert set(src.fingerprints()) == {
        "members",
        "education",
        "groups",
        "records",
        "preference_events",
        "notifications",
    }


def test_table_as_folder_of_parts_and_naive_timestamps(tmp_path: Path) -> None:
    tables = tiny_tables()
    root = write_source(tmp_path / "src", {k: v for k, v in tables.items() if k != "records"})
    (root / "records").mkdir()
    recs = tables["records"]
    naive = pa.schema(
        [
            pa.field("created_at", pa.timestamp("ns")) if f.name == "created_at" else f
            for f in TABLES["records"].arrow_schema()
        ]
    )
    for i, chunk in enumerate((recs[:10], recs[10:])):
        rows = [dict(r, created_at=r["created_at"].replace(tzinfo=None)) for r in chunk]
        pq.write_table(pa.Table.from_pylist(rows, schema=naive), root / "records" / f"p{i}.parquet")
    src = open_source(root)
    got = src.read_table("records").to_pylist()
    assert len(got) == len(recs)
    first = next(r for r in got if r["record_id"] == recs[0]["record_id"])
    assert first["created_at"] == recs[0]["created_at"]  # naive read as UTC


def test_duckdb_file_source(tmp_path: Path, tiny_source: Path) -> None:
    db = tmp_path / "net.duckdb"
    con = duckdb.connect(str(db))
    for name in ("members", "education", "groups", "records", "preference_events"):
        con.execute(
            f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{tiny_source}/{name}.parquet')"
        )
    con.close()
    src = open_source(db)
    assert src.kind == "duckdb"
    assert src.count("members") == 6
    assert "database" in src.fingerprints()


def test_missing_table_is_named(tmp_path: Path) -> None:
    tables = tiny_tables()
    del tables["groups"]
    root = write_source(tmp_path / "s", tables)
    with pytest.raises(ContractError, match="missing table 'groups'"):
        open_source(root)


def test_missing_column_is_named(tmp_path: Path) -> None:
    root = write_source(tmp_path / "s", tiny_tables())
    t = pq.read_table(root / "records.parquet").drop_columns(["visibility"])
    pq.write_table(t, root / "records.parquet")
    with pytest.raises(ContractError, match=r"records.* missing column 'visibility'"):
        open_source(root)


def test_wrong_type_is_named(tmp_path: Path) -> None:
    root = write_source(tmp_path / "s", tiny_tables())
    t = pq.read_table(root / "members.parquet")
    t = t.set_column(
        t.schema.get_field_index("birth_date"),
        "birth_date",
        pa.array([str(x) for x in t["birth_date"].to_pylist()]),
    )
    pq.write_table(t, root / "members.parquet")
    with pytest.raises(ContractError, match=r"members\.birth_date has type VARCHAR, expected date"):
        open_source(root)


def test_not_a_source(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match="no such source"):
        open_source(tmp_path / "nope")
    f = tmp_path / "x.csv"
    f.write_text("a,b")
    with pytest.raises(ContractError, match="DuckDB database"):
        open_source(f)


def test_consent_only_source(tmp_path: Path) -> None:
    root = write_source(tmp_path / "c", {"preference_events": tiny_tables()["preference_events"]})
    src = open_source(root, tables=["preference_events"])
    assert src.count("preference_events") == 2
    with pytest.raises(ContractError, match="missing table 'members'"):
        open_source(root)


def test_all_null_nullable_column_accepted(tmp_path: Path) -> None:
    tables = tiny_tables()
    root = write_source(tmp_path / "s", tables)
    t = pq.read_table(root / "members.parquet")
    t = t.set_column(
        t.schema.get_field_index("deleted_at"), "deleted_at", pa.nulls(t.num_rows, pa.null())
    )
    pq.write_table(t, root / "members.parquet")
    src = open_source(root)
    assert src.read_table("members")["deleted_at"].null_count == t.num_rows
    assert isinstance(src.read_table("members")["joined_at"][0].as_py(), dt.datetime)
