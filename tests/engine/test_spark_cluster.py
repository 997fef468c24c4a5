"""The build on a real Spark standalone cluster: a master and two workers on loopback, started
from the pyspark distribution. Same records and texts as DuckDB; the redaction and the
Parquet writes run in the executors; the pseudonym key is in no plan, query or log."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - make test installs a JVM
    pytest.skip("Spark needs a Java runtime (make test installs one)", allow_module_level=True)

from consentgate.engine.standalone import StandaloneCluster
from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot, manifest_of, verify_snapshot
from consentgate.snapshot.texts import TEXTS_FILE, text_key
from tests.engine.compare import assert_same_snapshot

pytestmark = pytest.mark.spark
POLICY = load_policy("linkedin-2025")
AS_OF = "2026-01-15"
KEY = "5a" * 32


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = StandaloneCluster(tmp_path_factory.mktemp("cluster"), workers=2, worker_cores=1,
                          worker_memory="512m")
    try:
        yield c.start()
    finally:
        c.stop()


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Path:
    from consentgate.synth import generate

    root = tmp_path_factory.mktemp("net") / "net"
    generate(root, members=300, seed=23)
    return root


def driver_env(cluster: StandaloneCluster, root: Path) -> tuple[dict[str, str], Path]:
    """The environment of a driver on this machine: executors sized to the workers, an
    event log to read back (SPARK_CONF_DIR, as an operator would configure it)."""
    conf, events = root / "conf", root / "events"
    conf.mkdir()
    events.mkdir()
    (conf / "spark-defaults.conf").write_text(
        "spark.executor.memory 512m\n"
        "spark.executor.cores 1\n"
        "spark.cores.max 2\n"
        # schedule only once both executors are up, so that both take tasks
        "spark.scheduler.minRegisteredResourcesRatio 1.0\n"
        "spark.scheduler.maxRegisteredResourcesWaitingTime 120s\n"
        "spark.eventLog.compress false\n"
        f"spark.eventLog.enabled true\nspark.eventLog.dir file://{events}\n"
    )
    env = dict(cluster.env(), SPARK_CONF_DIR=str(conf), CONSENTGATE_PSEUDONYM_KEY=KEY)
    env.pop("CONSENTGATE_SPARK_MASTER", None)
    return env, events


def events_of(folder: Path) -> list[dict]:
    """The one application's event log (Spark 4 writes it as rolling files in a folder)."""
    apps = list(folder.iterdir())
    assert len(apps) == 1, apps
    files = sorted(apps[0].glob("events_*"), key=lambda p: int(p.name.split("_")[1]))
    assert files, apps
    return [json.loads(line) for f in files for line in f.read_text().splitlines() if line]


def executor_work(events: list[dict]) -> tuple[set[str], Counter, Counter]:
    """(executors added, successful tasks per executor, records written per executor)."""
    added = {e["Executor ID"] for e in events if e["Event"].endswith("ExecutorAdded")}
    tasks: Counter = Counter()
    written: Counter = Counter()
    for e in events:
        if e["Event"] != "SparkListenerTaskEnd" or e["Task End Reason"]["Reason"] != "Success":
            continue
        executor = e["Task Info"]["Executor ID"]
        tasks[executor] += 1
        out = (e.get("Task Metrics") or {}).get("Output Metrics") or {}
        written[executor] += out.get("Records Written", 0)
    return added, tasks, written


def cli_build(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=900)


def test_build_on_a_standalone_cluster_matches_duckdb(
    cluster: StandaloneCluster, network: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", KEY)
    duck = build_snapshot(BuildOptions(network, POLICY, dt.datetime(2026, 1, 15, tzinfo=dt.UTC),
                                       tmp_path / "duck"))
    env, event_dir = driver_env(cluster, tmp_path)
    out = tmp_path / "cluster"
    p = cli_build(
        [sys.executable, "-m", "consentgate.cli", "build", "--source", str(network),
         "--as-of", AS_OF, "--out", str(out), "--engine", "spark",
         "--spark-master", cluster.master_url, "-q"],
        env,
    )
    assert p.returncode == 0, p.stderr
    manifest, report = manifest_of(out), json.loads((out / "report.json").read_text())
    assert manifest["engine"] == "spark"
    assert manifest["spark_master"] == report["built"]["spark_master"] == cluster.master_url
    assert f"engine spark on {cluster.master_url}" in (out / "report.html").read_text()
    rows = assert_same_snapshot(tmp_path / "duck", out, duck.report, report)
    assert rows > 1000
    assert verify_snapshot(out, network, POLICY).ok

    # The application ran on the cluster's two executors, which wrote the output.
    apps = cluster.state()["completedapps"]
    assert [a["name"] for a in apps] == ["consentgate"]
    events = events_of(event_dir)
    added, tasks, written = executor_work(events)
    assert len(added) == 2 and "driver" not in added
    assert set(tasks) == added  # both executors ran tasks, and only they did
    # data and lineage parts, and the materialised decisions, all written by executors
    assert sum(written.values()) >= 2 * rows
    plans = [e for e in events if e["Event"].endswith("SQLExecutionStart")]
    redacting = [e for e in plans if "cg_redact" in e.get("physicalPlanDescription", "")]
    assert redacting and all("ArrowEvalPython" in e["physicalPlanDescription"]
                             for e in redacting)  # the UDF is evaluated in the plan's tasks

    # the text index, hashed on the executors, is DuckDB's row for row
    assert (pq.read_table(out / TEXTS_FILE).to_pylist()
            == pq.read_table(tmp_path / "duck" / TEXTS_FILE).to_pylist())

    # The key, and the text key derived from it, are in no query, plan or log line of the
    # driver, the executors or the daemons.
    logs = [*event_dir.rglob("events_*"), *cluster.root.rglob("stderr"), *cluster.root.rglob("stdout"),
            *(cluster.root / "logs").iterdir()]
    assert len(logs) > 4
    secrets = [KEY, text_key(bytes.fromhex(KEY))]
    for path in logs:
        logged = path.read_text(errors="replace")
        for secret in secrets:
            assert secret not in logged, path
    for secret in secrets:
        assert secret not in p.stdout + p.stderr


def test_spark_submit_uses_its_own_master(
    cluster: StandaloneCluster, network: Path, tmp_path: Path
) -> None:
    """Under spark-submit, without --spark-master or the variable, the build runs on
    spark-submit's --master (consentgate's CLI as the application script)."""
    from pyspark import find_spark_home

    import consentgate.cli

    env, event_dir = driver_env(cluster, tmp_path)
    env["PYSPARK_DRIVER_PYTHON"] = sys.executable
    script = Path(consentgate.cli.__file__).parent / "__main__.py"
    out = tmp_path / "submitted"
    p = cli_build(
        [os.path.join(find_spark_home._find_spark_home(), "bin", "spark-submit"),
         "--master", cluster.master_url, str(script), "build", "--source", str(network),
         "--as-of", AS_OF, "--out", str(out), "--engine", "spark", "-q"],
        env,
    )
    assert p.returncode == 0, p.stderr
    assert manifest_of(out)["spark_master"] == cluster.master_url
    assert p.stdout.strip().splitlines()[-1] == str(out)
    added, tasks, _ = executor_work(events_of(event_dir))
    assert len(added) == 2 and set(tasks) == added


def test_spark_master_option_needs_the_spark_engine(tmp_path: Path, network: Path) -> None:
    p = cli_build(
        [sys.executable, "-m", "consentgate.cli", "build", "--source", str(network),
         "--as-of", AS_OF, "--out", str(tmp_path / "s"), "--spark-master", "spark://h:7077"],
        dict(os.environ, CONSENTGATE_PSEUDONYM_KEY=KEY),
    )
    assert p.returncode == 2
    assert "--spark-master needs --engine spark" in p.stderr
    assert not (tmp_path / "s").exists()
