"""The generated folder follows the data contract exactly."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from consentgate.contract.schema import EDUCATION_LEVELS, RECORD_KINDS, TABLES, VISIBILITIES
from consentgate.contract.source import open_source
from consentgate.synth import GenerateStats

from .conftest import MEMBERS, SEED

UTC = dt.UTC


def _files(net: Path, table: str) -> list[Path]:
    if table == "records":
        return sorted((net / "records").glob("part-*.parquet"))
    return [net / f"{table}.parquet"]


def test_open_source_accepts_and_counts_match(network: tuple[Path, GenerateStats]) -> None:
    net, stats = network
    source = open_source(net)
    for table in TABLES:
        assert source.count(table) == stats.counts[table], table
    assert stats.counts["members"] == MEMBERS
    assert sum(stats.records_by_kind.values()) == stats.records


def test_physical_schema_is_the_contract(net: Path) -> None:
    for name, table in TABLES.items():
        files = _files(net, name)
        assert files, name
        for f in files:
            schema = pq.read_schema(f)
            assert schema.names == table.column_names, f
            for col in table.columns:
                field = schema.field(col.name)
                expected = table.arrow_schema().field(col.name).type
                assert field.type == expected, (f, col.name, field.type)
            if name == "records":
                ts_type = schema.field("created_at").type
                assert ts_type == pa.timestamp("us", tz="UTC")


def test_records_are_streamed_in_parts(net: Path) -> None:
    parts = _files(net, "records")
    assert [p.name for p in parts] == [f"part-{i:05d}.parquet" for i in range(len(parts))]


def test_keys_and_values(net: Path) -> None:
    con = open_source(net).connect()
    src = open_source(net)
    r, m, e, g = (src.scan(t) for t in ("records", "members", "education", "groups"))
    q = lambda sql: con.sql(sql).fetchall()  # noqa: E731
    assert q(f"select count(*) - count(distinct record_id) from {r}") == [(0,)]
    assert q(f"select count(*) - count(distinct member_id) from {m}") == [(0,)]
    assert q(f"select count(*) - count(distinct group_id) from {g}") == [(0,)]
    kinds = {k for (k,) in q(f"select distinct kind from {r}")}
    assert kinds == set(RECORD_KINDS)
    assert {v for (v,) in q(f"select distinct visibility from {r}")} <= set(VISIBILITIES)
    assert {v for (v,) in q(f"select distinct level from {e}")} == set(EDUCATION_LEVELS)
    # every record belongs to a member; group kinds name a group, others none
    assert q(f"select count(*) from {r} where member_id not in (select member_id from {m})") == [
        (0,)
    ]
    group_kinds = "('group_post', 'group_comment', 'group_message')"
    assert q(f"select count(*) from {r} where kind in {group_kinds} and group_id is null") == [(0,)]
    assert q(
        f"select count(*) from {r} where kind not in {group_kinds} and group_id is not null"
    ) == [(0,)]
    # times are consistent
    assert q(
        f"select count(*) from {r} where deleted_at is not null and deleted_at <= created_at"
    ) == [(0,)]
    assert q(
        f"select count(*) from {m} where deleted_at is not null and deleted_at <= joined_at"
    ) == [(0,)]
    assert q(
        f"select count(*) from {r} join {m} using (member_id) where created_at < joined_at"
    ) == [(0,)]
    assert q(f"select count(*) from {e} where end_date is not null and end_date <= start_date") == [
        (0,)
    ]
    assert q(f"select count(*) from {r} where text is null or text = ''") == [(0,)]


def test_generator_json(network: tuple[Path, GenerateStats]) -> None:
    net, stats = network
    meta = json.loads((net / "generator.json").read_text())
    assert meta["seed"] == SEED
    assert meta["members"] == MEMBERS
    assert meta["version"]
    assert meta["counts"] == stats.counts
    assert meta["records_by_kind"] == stats.records_by_kind
    assert meta["ground_truth_by_class"] == stats.ground_truth_by_class
    assert set(meta["files"]) >= {"members.parquet", "ground_truth.parquet", "decoys.parquet"}


def test_stats(network: tuple[Path, GenerateStats]) -> None:
    net, stats = network
    assert stats.seconds > 0
    assert stats.records > 40 * MEMBERS  # about 50 records per member
    assert stats.records < 60 * MEMBERS
    on_disk = sum(p.stat().st_size for p in net.rglob("*.parquet"))
    assert stats.bytes_written == on_disk + (net / "generator.json").stat().st_size
    assert stats.to_dict()["records"] == stats.records
    with duckdb.connect() as con:
        n = con.sql(f"select count(*) from read_parquet('{net}/ground_truth.parquet')").fetchone()
    assert n is not None and n[0] == stats.ground_truth
