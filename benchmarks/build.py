"""Snapshot build against the raw-copy floor, on generated networks.

For each size: generate a network (cached under --cache), then, each in a fresh process so
that peak memory is its own:
  floor  copy the records table to one Parquet file with the same engine (DuckDB, zstd)
  build  `consentgate build` on DuckDB
and print records/s, MB/s (records input bytes per second), peak RSS and
ratio_vs_floor = floor seconds / build seconds (1.0: as fast as the copy; the aim is >= 0.5).

    python benchmarks/build.py --members 20000 100000     # ~1M and ~5M records
Results are written to the "## Snapshot build" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from docs_section import replace_section  # noqa: E402

FLOOR = textwrap.dedent(
    """
    import duckdb, sys
    src, out, threads = sys.argv[1], sys.argv[2], sys.argv[3]
    con = duckdb.connect()
    con.execute(f"SET threads={threads}")
    con.execute(f"COPY (SELECT * FROM read_parquet('{src}/records/*.parquet')) "
                f"TO '{out}' (FORMAT parquet, COMPRESSION zstd)")
    """
)


def tree_memory_mb(root: int) -> float:
    """Memory of a process and all its descendants now, in MiB: the sum of their PSS
    (shared pages split between the processes sharing them, so forked workers are not
    counted twice), or of their RSS where PSS cannot be read."""
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(name))
    total_kb = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        stack.extend(kids.get(pid, ()))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total_kb += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            try:
                with open(f"/proc/{pid}/statm") as f:
                    total_kb += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
            except (OSError, ValueError, IndexError):
                pass
    return total_kb / 1024


def run_measured(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, peak memory MiB) of a child process and its descendants.

    The peak is sampled every 50 ms from /proc (PSS of the whole process tree: redaction
    workers and Spark's JVM included). ``ru_maxrss`` is not used: a child inherits its
    parent's high-water mark at fork, so it reports the benchmark's own size."""
    import threading

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_memory_mb(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    if os.path.isdir("/proc"):
        sampler.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        stop.set()
        if sampler.is_alive():
            sampler.join()
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{cmd} failed: {proc.stderr.read().decode()[-2000:]}")
    if not peak:  # no /proc: the kernel's figure, an upper bound
        peak = usage.ru_maxrss / 1024
    return wall, peak


def ensure_network(cache: Path, members: int, seed: int = 7) -> Path:
    net = cache / f"net-{members}-{seed}"
    if not (net / "generator.json").exists():
        shutil.rmtree(net, ignore_errors=True)
        from consentgate.synth import generate

        print(f"generating {members:,} members into {net} ...", flush=True)
        generate(net, members=members, seed=seed)
    return net


def records_info(net: Path) -> tuple[int, int]:
    import pyarrow.parquet as pq

    files = sorted((net / "records").glob("*.parquet"))
    rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    size = sum(f.stat().st_size for f in files)
    return rows, size


def round_robin(runs: dict, repeat: int) -> dict:
    """Call each of ``runs`` (name -> function returning a dict with one ``*_s`` time and
    one ``*_peak_rss_mb``) ``repeat`` times, taking turns so that a slow moment on a shared
    machine hits them all alike; per name: the median time, every time, the largest peak."""
    import statistics

    got: dict[str, list[dict]] = {name: [] for name in runs}
    for _ in range(max(1, repeat)):
        for name, fn in runs.items():
            got[name].append(fn())
    out = {}
    for name, results in got.items():
        first = dict(results[0])
        time_key = next(k for k in first if k.endswith("_s"))
        rss_key = next(k for k in first if k.endswith("_peak_rss_mb"))
        times = [r[time_key] for r in results]
        first[time_key] = round(statistics.median(times), 2)
        first[time_key.removesuffix("_s") + "_runs_s"] = times
        first[rss_key] = max(r[rss_key] for r in results)
        out[name] = first
    return out


def floor_run(net: Path, threads: int, work: Path) -> dict:
    """The floor: copy the records table to one zstd Parquet file with DuckDB, in a fresh
    process."""
    seconds, rss = run_measured(
        [sys.executable, "-c", FLOOR, str(net), str(work / "copy.parquet"), str(threads)]
    )
    (work / "copy.parquet").unlink(missing_ok=True)
    return {"floor_s": round(seconds, 2), "floor_peak_rss_mb": round(rss)}


def build_run(
    net: Path, threads: int, work: Path, engine: str = "duckdb", policy: Path | None = None
) -> dict:
    """`consentgate build` in a fresh process: wall seconds, peak RSS, records used."""
    snap = work / f"snap-{engine}"
    env = dict(os.environ, CONSENTGATE_PSEUDONYM_KEY="ab" * 32)
    seconds, rss = run_measured(
        [sys.executable, "-m", "consentgate.cli", "build", "--source", str(net),
         "--as-of", "2026-01-15", "--out", str(snap), "--quiet",
         "--engine", engine, "--threads", str(threads),
         *(["--policy", str(policy)] if policy is not None else [])],
        env=env,
    )
    used = json.loads((snap / "manifest.json").read_text())["counts"]["records_used"]
    shutil.rmtree(snap, ignore_errors=True)
    return {"build_s": round(seconds, 2), "build_peak_rss_mb": round(rss), "records_used": used}


def bench_size(net: Path, threads: int, engine: str = "duckdb", repeat: int = 1) -> dict:
    rows, size = records_info(net)
    work = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    try:
        both = round_robin({
            "floor": lambda: floor_run(net, threads, work),
            "build": lambda: build_run(net, threads, work, engine),
        }, repeat)
        floor, built = both["floor"], both["build"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    build_s = built["build_s"]
    return {
        "records": rows,
        "input_mb": round(size / 1e6, 1),
        "records_used": built["records_used"],
        "engine": engine,
        "threads": threads,
        **floor,
        "build_s": build_s,
        "build_peak_rss_mb": built["build_peak_rss_mb"],
        "records_per_s": round(rows / build_s),
        "mb_per_s": round(size / 1e6 / build_s, 1),
        "ratio_vs_floor": round(floor["floor_s"] / build_s, 3),
    }


def table(results: list[dict]) -> str:
    head = ("| records | input MB | engine | floor s | build s | records/s | MB/s | "
            "peak memory MB (build / floor) | ratio_vs_floor |")
    lines = [head, "|" + "---|" * 9]
    for r in results:
        lines.append(
            f"| {r['records']:,} | {r['input_mb']} | {r['engine']} | {r['floor_s']} | "
            f"{r['build_s']} | {r['records_per_s']:,} | {r['mb_per_s']} | "
            f"{r['build_peak_rss_mb']} / {r['floor_peak_rss_mb']} | {r['ratio_vs_floor']} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, nargs="+", default=[20_000, 100_000])
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "cg-bench-nets")
    ap.add_argument("--no-docs", action="store_true", help="Do not rewrite docs/benchmarks.md.")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of the floor and the build, taking turns; medians reported")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    results = []
    for members in args.members:
        net = ensure_network(args.cache, members)
        res = bench_size(net, args.threads, repeat=args.repeat)
        print(json.dumps(res), flush=True)
        results.append(res)
    text = table(results)
    print(text)
    if not args.no_docs:
        body = (
            f"Command: `python benchmarks/build.py --members {' '.join(map(str, args.members))}`"
            f" ({args.threads} threads, {os.cpu_count()} cores). The floor copies the records "
            "table to one zstd Parquet file with DuckDB in a fresh process; the build is "
            "`consentgate build` (eligibility, selection, redaction, pseudonyms, lineage, report, "
            "manifest) in a fresh process; each runs --repeat times (here "
            f"{args.repeat}), taking turns, and the median time is given. "
            "ratio_vs_floor = floor time / build time. Peak memory: "
            "the largest PSS sum of the process and its descendants, sampled every 50 ms.\n\n"
            + text
        )
        replace_section(ROOT / "docs" / "benchmarks.md", "Snapshot build", body)


if __name__ == "__main__":
    main()
