"""`consentgate build` on a Spark standalone cluster against Spark's own copy floor.

Starts a master and two workers on loopback from the pyspark distribution (as
tests/engine/test_spark_cluster.py does), then, each in a fresh driver process on that
cluster, taking turns:
  floor  Spark reads the network's records table and writes it unchanged (Parquet, zstd)
  build  `consentgate build --engine spark --spark-master spark://127.0.0.1:PORT`
and prints the medians and ratio_vs_floor = floor seconds / build seconds. Both include the
driver's start (JVM, executors). Results go to the "## Spark standalone cluster" section of
docs/benchmarks.md.

    python benchmarks/spark_cluster.py --members 20000     # ~1M records
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from build import ensure_network, records_info, round_robin, run_measured  # noqa: E402
from docs_section import replace_section  # noqa: E402

from consentgate.engine.standalone import StandaloneCluster  # noqa: E402

SECTION = "Spark standalone cluster"
FLOOR = textwrap.dedent(
    """
    import os, sys
    src, out, master, log = sys.argv[1:5]
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(fd, 2)  # the JVM's chatter to a file, not to a pipe nobody reads
    from pyspark.sql import SparkSession
    s = (SparkSession.builder.master(master).appName("copy-floor")
         .config("spark.ui.enabled", "false")
         .config("spark.sql.parquet.compression.codec", "zstd").getOrCreate())
    s.read.parquet(src + "/records").write.parquet(out)
    s.stop()
    """
)


def spark_conf(folder: Path, executor_memory: str) -> Path:
    """spark-defaults.conf for the drivers: executors sized to the workers."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "spark-defaults.conf").write_text(
        f"spark.executor.memory {executor_memory}\nspark.executor.cores 1\n"
        "spark.scheduler.minRegisteredResourcesRatio 1.0\n"
    )
    return folder


def floor_run(net: Path, cluster: StandaloneCluster, env: dict, work: Path) -> dict:
    out = work / "copy"
    seconds, rss = run_measured(
        [sys.executable, "-c", FLOOR, str(net), str(out), cluster.master_url,
         str(work / "floor.log")], env=env,
    )
    shutil.rmtree(out, ignore_errors=True)
    return {"floor_s": round(seconds, 2), "floor_peak_rss_mb": round(rss)}


def build_run(net: Path, cluster: StandaloneCluster, env: dict, work: Path, threads: int) -> dict:
    snap = work / "snap"
    seconds, rss = run_measured(
        [sys.executable, "-m", "consentgate.cli", "build", "--source", str(net),
         "--as-of", "2026-01-15", "--out", str(snap), "--quiet", "--engine", "spark",
         "--spark-master", cluster.master_url, "--threads", str(threads)],
        env=env,
    )
    manifest = json.loads((snap / "manifest.json").read_text())
    assert manifest["spark_master"] == cluster.master_url, manifest["spark_master"]
    shutil.rmtree(snap, ignore_errors=True)
    return {"build_s": round(seconds, 2), "build_peak_rss_mb": round(rss),
            "records_used": manifest["counts"]["records_used"]}


def bench(net: Path, args: argparse.Namespace) -> dict:
    rows, size = records_info(net)
    work = Path(tempfile.mkdtemp(prefix="cg-spark-cluster-"))
    cluster = StandaloneCluster(work / "cluster", workers=args.workers, worker_cores=1,
                                worker_memory=args.worker_memory)
    try:
        cluster.start()
        env = dict(cluster.env(), CONSENTGATE_PSEUDONYM_KEY="ab" * 32,
                   SPARK_CONF_DIR=str(spark_conf(work / "conf", args.worker_memory)))
        env.pop("CONSENTGATE_SPARK_MASTER", None)
        both = round_robin({
            "floor": lambda: floor_run(net, cluster, env, work),
            "build": lambda: build_run(net, cluster, env, work, args.workers),
        }, args.repeat)
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    floor, built = both["floor"], both["build"]
    return {
        "records": rows, "input_mb": round(size / 1e6, 1), "workers": args.workers,
        "worker_memory": args.worker_memory, "records_used": built["records_used"],
        **floor, **{k: v for k, v in built.items() if k != "records_used"},
        "records_per_s": round(rows / built["build_s"]),
        "ratio_vs_floor": round(floor["floor_s"] / built["build_s"], 3),
    }


def table(results: list[dict]) -> str:
    lines = ["| records | input MB | workers | floor s (runs) | build s (runs) | records/s | "
             "driver peak MB (build / floor) | ratio_vs_floor |", "|" + "---|" * 8]
    for r in results:
        lines.append(
            f"| {r['records']:,} | {r['input_mb']} | {r['workers']} × 1 core, "
            f"{r['worker_memory']} | {r['floor_s']} ({', '.join(map(str, r['floor_runs_s']))}) | "
            f"{r['build_s']} ({', '.join(map(str, r['build_runs_s']))}) | "
            f"{r['records_per_s']:,} | {r['build_peak_rss_mb']} / {r['floor_peak_rss_mb']} | "
            f"{r['ratio_vs_floor']} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, nargs="+", default=[20_000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--worker-memory", default="1g")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of the floor and the build, taking turns; medians reported")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "cg-bench-nets")
    ap.add_argument("--no-docs", action="store_true", help="Do not rewrite docs/benchmarks.md.")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    results = []
    load = [os.getloadavg()[0]]
    for members in args.members:
        res = bench(ensure_network(args.cache, members), args)
        load.append(os.getloadavg()[0])
        print(json.dumps(res), flush=True)
        results.append(res)
    text = table(results)
    print(text)
    if not args.no_docs:
        body = (
            f"Command: `python benchmarks/spark_cluster.py --members "
            f"{' '.join(map(str, args.members))} --repeat {args.repeat}` ({os.cpu_count()} "
            f"cores, shared). A standalone master and {args.workers} workers (1 core, "
            f"{args.worker_memory} each) on 127.0.0.1, started from the pyspark distribution. "
            "The floor is Spark reading the records table and writing it unchanged "
            "(Parquet, zstd); the build is `consentgate build --engine spark --spark-master "
            "spark://127.0.0.1:PORT`. Each is a fresh driver process (JVM and executors "
            f"start included), run {args.repeat} time(s) taking turns; seconds are medians. "
            "ratio_vs_floor = floor time / build time. Peak memory is the driver's process "
            "tree only (the executors are the workers' children). 1-minute load average at "
            f"the start and after each size: {', '.join(f'{x:.1f}' for x in load)} (other "
            "work on a shared machine makes these figures noisy).\n\n" + text
        )
        replace_section(ROOT / "docs" / "benchmarks.md", SECTION, body)


if __name__ == "__main__":
    main()
