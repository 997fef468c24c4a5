"""`build --since` on Spark (local mode): the engine joins the previous snapshot's texts in,
the UDF skips them, and the result holds the rows, texts and counts of a full build at T2;
Spark builds keep the text index, so either engine can start from the other's snapshot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - make test installs a JVM
    pytest.skip("Spark needs a Java runtime (make test installs one)", allow_module_level=True)

from consentgate.policy import load_policy
from consentgate.snapshot import verify_snapshot
from consentgate.snapshot.texts import TEXTS_FILE
from tests.engine.compare import assert_same_snapshot
from tests.snapshot.test_incremental import (
    KEY_HEX,
    POLICY,
    T1,
    T2,
    _shipped_policy_file,
    assert_same_as_full,
    build,
    evolved_sources,
)

pytestmark = pytest.mark.spark


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", KEY_HEX)


@pytest.fixture
def evolved(tmp_path: Path):
    return evolved_sources(tmp_path)


def index_rows(snapshot: Path) -> list[dict]:
    return pq.read_table(snapshot / TEXTS_FILE).to_pylist()


def test_spark_incremental_is_the_full_build(evolved, tmp_path: Path) -> None:
    src1, src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1", engine="spark")
    inc = build(src2, T2, tmp_path / "inc", since=s1.out, engine="spark")
    full = build(src2, T2, tmp_path / "full")  # DuckDB, from scratch
    duck_inc = build(src2, T2, tmp_path / "duck-inc", since=build(
        src1, T1, tmp_path / "duck-s1").out)

    assert assert_same_snapshot(full.out, inc.out, full.report, inc.report) > 20
    # the text index of a Spark build holds what DuckDB's holds, row for row, in order
    assert index_rows(inc.out) == index_rows(full.out)
    assert index_rows(s1.out) == index_rows(tmp_path / "duck-s1")
    entry, duck = inc.report["incremental"], duck_inc.report["incremental"]
    assert entry["reused"] is True and entry["refused"] == []
    assert entry["texts"] == duck["texts"]
    assert entry["texts"]["reused"] > 0 and entry["texts"]["redacted"] > 0
    assert entry["changes"] == duck["changes"]
    assert entry["changes"]["records"]["text_changed"] >= 1
    assert inc.manifest["incremental"] == entry
    assert verify_snapshot(inc.out, src2, POLICY).ok
    assert verify_snapshot(s1.out, src1, POLICY).ok


def test_duckdb_builds_since_a_spark_snapshot(evolved, tmp_path: Path) -> None:
    """A Spark snapshot's data/ comes in several parts; the merge reads them in order, and
    the DuckDB build is the full build file for file."""
    src1, src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1", engine="spark")
    inc = build(src2, T2, tmp_path / "inc", since=s1.out)
    full = build(src2, T2, tmp_path / "full")
    assert_same_as_full(full, inc)
    assert inc.report["incremental"]["texts"]["reused"] > 0
    assert "reuse_stopped" not in inc.report["incremental"]


def test_a_spark_build_reuses_nothing_from_another_policy(evolved, tmp_path: Path) -> None:
    src1, src2, *_ = evolved
    copy_ = tmp_path / "linkedin-2025.toml"
    copy_.write_text(_shipped_policy_file().read_text() + "\n# the same rules, another file\n")
    s1 = build(src1, T1, tmp_path / "s1", policy=load_policy(str(copy_)))
    inc = build(src2, T2, tmp_path / "inc", since=s1.out, engine="spark")
    entry = inc.report["incremental"]
    assert entry["reused"] is False and entry["texts"]["reused"] == 0
    assert any("another policy" in r for r in entry["refused"])
    full = build(src2, T2, tmp_path / "full")
    assert_same_snapshot(full.out, inc.out, full.report, inc.report)
