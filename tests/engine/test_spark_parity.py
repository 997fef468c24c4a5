"""The same plan on Spark (local mode) gives the same records and texts as on DuckDB."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - make test installs a JVM
    pytest.skip("Spark needs a Java runtime (make test installs one)", allow_module_level=True)

from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
from tests.engine.compare import assert_same_snapshot

pytestmark = pytest.mark.spark
POLICY = load_policy("linkedin-2025")
T = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Path:
    from consentgate.synth import generate

    root = tmp_path_factory.mktemp("spark") / "net"
    generate(root, members=300, seed=11)
    return root


def test_spark_and_duckdb_build_the_same_snapshot(
    network: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "44" * 32)
    duck = build_snapshot(BuildOptions(network, POLICY, T, tmp_path / "duck"))
    spark = build_snapshot(BuildOptions(network, POLICY, T, tmp_path / "spark", engine="spark"))
    n = assert_same_snapshot(tmp_path / "duck", tmp_path / "spark", duck.report, spark.report)
    assert n > 1000
    assert spark.manifest["engine"] == "spark"
    assert spark.manifest["spark_master"] == spark.report["built"]["spark_master"] == "local[2]"
    assert "spark_master" not in duck.manifest
    assert verify_snapshot(tmp_path / "spark", network, POLICY).ok
    assert not list((tmp_path / "spark").rglob("*.crc"))
    assert not list((tmp_path / "spark").rglob("_SUCCESS"))
    assert os.environ.get("SPARK_LOCAL_IP") == "127.0.0.1"


def test_spark_counts_values_redacted_like_duckdb(tmp_path: Path, monkeypatch) -> None:
    """On Spark the counts come from the written placeholders less those the texts already
    held: the same figures as DuckDB's, which counts what its redaction replaced."""
    from tests.snapshot.test_build import _with_placeholder_already_there

    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "44" * 32)
    source = _with_placeholder_already_there(tmp_path / "src")
    t = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    duck = build_snapshot(BuildOptions(source, POLICY, t, tmp_path / "duck"))
    spark = build_snapshot(BuildOptions(source, POLICY, t, tmp_path / "spark", engine="spark"))
    assert duck.report["redactions"]["email"] == 2
    assert spark.report["redactions"] == duck.report["redactions"]


def test_spark_build_is_quiet_by_default(tmp_path: Path) -> None:
    """No JVM start-up chatter, log4j lines or stage progress bars on the user's terminal
    (they go to a log file; --verbose shows them)."""
    import subprocess
    import sys

    from tests.conftest import tiny_tables, write_source

    src = write_source(tmp_path / "src", tiny_tables())
    env = dict(os.environ, CONSENTGATE_PSEUDONYM_KEY="44" * 32)
    p = subprocess.run(
        [sys.executable, "-m", "consentgate.cli", "build", "--source", str(src), "--as-of",
         "2026-01-15", "--out", str(tmp_path / "s"), "--engine", "spark", "-q"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert p.returncode == 0, p.stderr
    for noise in ("WARN", "log4j", "[Stage", "incubator", "NativeCodeLoader"):
        assert noise not in p.stderr, p.stderr
    assert p.stdout.strip().splitlines()[-1] == str(tmp_path / "s")


def test_withdrawals_on_spark_match_duckdb(network: Path, tmp_path: Path, monkeypatch) -> None:
    from consentgate.snapshot.purge import list_withdrawals

    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "44" * 32)
    s1 = tmp_path / "s1"
    build_snapshot(BuildOptions(network, POLICY, T, s1))
    later = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)  # records and members deleted since
    duck = list_withdrawals(s1, network, later, tmp_path / "duck.parquet")
    spark = list_withdrawals(s1, network, later, tmp_path / "spark.parquet", engine="spark")
    assert duck.rows > 0 and duck.by_reason == spark.by_reason
    assert pq.read_table(duck.out).to_pylist() == pq.read_table(spark.out).to_pylist()
