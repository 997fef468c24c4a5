"""Two purposes on Spark (local mode): the same members in each snapshot as on DuckDB and as
the reference evaluator, for the UK member who allows one purpose and refuses the other."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - make test installs a JVM
    pytest.skip("Spark needs a Java runtime (make test installs one)", allow_module_level=True)

from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
from tests.conftest import write_source
from tests.snapshot.test_build_purposes import GENAI, MICROSOFT, T, tables

pytestmark = pytest.mark.spark
POLICY = load_policy("linkedin-2025")


def test_spark_builds_each_purpose_like_duckdb(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "33" * 32)
    t = tables()
    del t["notifications"][-1]  # fr_adult never told of the Microsoft row (not offered anyway)
    src = write_source(tmp_path / "src", t)
    # the notices as a folder of Parquet files, which Spark reads as stored
    (src / "notifications.parquet").rename(tmp_path / "n.parquet")
    (src / "notifications").mkdir()
    (tmp_path / "n.parquet").rename(src / "notifications" / "part-0.parquet")
    expected = {GENAI: {"gb_no_microsoft", "fr_adult"}, MICROSOFT: {"gb_no_genai"}}
    for purpose, members in expected.items():
        duck = build_snapshot(BuildOptions(src, POLICY, T, tmp_path / f"duck-{purpose}",
                                           purpose=purpose))
        spark = build_snapshot(BuildOptions(src, POLICY, T, tmp_path / f"spark-{purpose}",
                                            engine="spark", purpose=purpose))
        for snap in (f"duck-{purpose}", f"spark-{purpose}"):
            lineage = pq.read_table(tmp_path / snap / "lineage")
            assert set(lineage.column("member_id").to_pylist()) == members, snap
        assert duck.report["members"] == spark.report["members"]
        assert spark.manifest["purpose"]["setting"] == purpose
        assert verify_snapshot(tmp_path / f"spark-{purpose}", src, POLICY).ok
