"""Benchmark the synthetic network generator.

    python benchmarks/generator.py                 # 20 000 and 100 000 members (~1M, ~5M records)
    python benchmarks/generator.py --members 5000  # one size
    python benchmarks/generator.py --no-doc        # do not touch docs/benchmarks.md

Each size runs in a fresh Python process so that its peak RSS is its own. Prints records/s,
MB written, wall time and peak RSS, and rewrites the "## Generator" section of
docs/benchmarks.md (other sections are kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Generator"


def run_one(members: int, seed: int, out: Path | None) -> dict[str, Any]:
    """Generate once in this process and measure it."""
    from consentgate.synth import generate

    started = time.perf_counter()
    tmp = None
    if out is None:
        tmp = Path(tempfile.mkdtemp(prefix="cg-gen-bench-"))
        out = tmp / "net"
    try:
        stats = generate(out, members, seed=seed)
        wall = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "members": members,
            "seed": seed,
            "records": stats.records,
            "ground_truth": stats.ground_truth,
            "decoys": stats.decoys,
            "record_files": sum(1 for k in stats.files if k.startswith("records/")),
            "generate_s": round(stats.seconds, 2),
            "wall_s": round(wall, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "records_per_s": round(stats.records / stats.seconds),
            "mb_written": round(stats.bytes_written / 1e6, 1),
            "peak_rss_mb": round(peak_kb / 1024, 1),
        }
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def run_child(members: int, seed: int, out: Path | None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", "--members", str(members), "--seed", str(seed)]
    if out is not None:
        cmd += ["--out", str(out)]
    started = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = round(time.perf_counter() - started, 2)  # imports included
    return result


def machine() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    system = f"{platform.system()} {platform.machine()}"
    return f"{system}, {cpus} CPU(s) available, Python {platform.python_version()}"


def render_section(results: list[dict[str, Any]], command: str) -> str:
    lines = [
        SECTION,
        "",
        f"`{command}` — {dt.date.today().isoformat()}, {machine()}.",
        "",
        "Each size runs in its own process; *generate* is the time inside `generate()`,",
        "*process* adds interpreter start and imports. Peak RSS is the process's maximum",
        "resident set (`resource.getrusage`). Output: Parquet (zstd), records in parts of",
        "about 250k rows, plus ground truth and decoys.",
        "",
        "| members | records | generate (s) | process (s) | CPU (s) | records/s | MB written "
        "| peak RSS (MB) | ground truth | decoys |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['members']:,} | {r['records']:,} | {r['generate_s']} | {r['process_wall_s']} "
            f"| {r['cpu_s']} | {r['records_per_s']:,} | {r['mb_written']} | {r['peak_rss_mb']} "
            f"| {r['ground_truth']:,} | {r['decoys']:,} |"
        )
    return "\n".join(lines) + "\n"


def update_doc(section: str, path: Path = DOC) -> None:
    """Replace the Generator section (up to the next '## ' heading) or append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == SECTION), None)
    if start is None:
        if not text.endswith("\n"):
            text += "\n"
        new = text + "\n" + section
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        tail = "".join(lines[end:])
        new = "".join(lines[:start]) + section + ("\n" + tail if tail else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, action="append", help="members (repeatable)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="keep the output here (one size only)")
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = args.members or [20_000, 100_000]
    if args.child:
        print(json.dumps(run_one(sizes[0], args.seed, args.out)))
        return 0
    if args.out is not None and len(sizes) > 1:
        parser.error("--out needs a single --members")
    results = []
    for n in sizes:
        r = run_child(n, args.seed, args.out)
        results.append(r)
        print(
            f"members={r['members']:,} records={r['records']:,} "
            f"generate={r['generate_s']}s process={r['process_wall_s']}s cpu={r['cpu_s']}s "
            f"records/s={r['records_per_s']:,} written={r['mb_written']} MB "
            f"peak_rss={r['peak_rss_mb']} MB ground_truth={r['ground_truth']:,} "
            f"decoys={r['decoys']:,}",
            flush=True,
        )
    if not args.no_doc:
        command = "python benchmarks/generator.py" + "".join(
            f" --members {n}" for n in (args.members or [])
        )
        update_doc(render_section(results, command))
        print(f"updated {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
