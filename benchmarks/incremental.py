"""Incremental builds: a full build at T2 against `build --since` the snapshot at T1.

A generated network (cached) is the source at T1 (2026-01-15). The source at T2
(2026-02-15) is the same network in which about 1% of the records changed (0.5% with an
edited text, 0.25% deleted from the source, 0.25% new) and about 1% of the members changed
their setting (an event between T1 and T2). Then, each in a fresh process:

  s1    consentgate build --as-of T1                       (the previous snapshot)
  full  consentgate build --as-of T2
  inc   consentgate build --as-of T2 --since s1

full and inc take turns --repeat times (median time, largest peak memory); the script checks
that inc holds the same data/lineage/usage/index files as full, byte for byte.

    python benchmarks/incremental.py                      # 4,000 members, ~200k records
    python benchmarks/incremental.py --members 1000       # quick

Rewrites the "Incremental builds" section of docs/benchmarks.md and prints one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
from build import ensure_network, records_info, run_measured
from docs_section import replace_section

from consentgate.synth.writer import write_table

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "consentgate.cli"]
T1, T2 = "2026-01-15", "2026-02-15"
PART_ROWS = 250_000
BETWEEN = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)
TITLE = "Incremental builds"

# Full and incremental builds taking turns in one process after a warm-up build (imports
# done, redaction patterns compiled, validation caches warm): the steady state, with the
# time of each step (BuildResult.stages).
WARM = """
import datetime as dt, json, os, sys
from pathlib import Path
from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot
src, s1, work, repeat, result = sys.argv[1:6]
memory = sys.argv[6] if len(sys.argv) > 6 and sys.argv[6] else None
policy = load_policy("linkedin-2025")
t2 = dt.datetime(2026, 2, 15, tzinfo=dt.UTC)
def one(name, i, since):
    r = build_snapshot(BuildOptions(source=Path(src), policy=policy, as_of=t2,
                                    out=Path(work) / f"warm-{name}-{i}", since=since,
                                    memory_limit=memory))
    return {"seconds": round(r.seconds, 2), "stages": r.stages}
one("warmup", 0, None)
runs = {"full": [], "inc": []}
for i in range(int(repeat)):
    runs["full"].append(one("full", i, None))
    runs["inc"].append(one("inc", i, Path(s1)))
Path(result).write_text(json.dumps(runs))
"""


def source_at_t2(net: Path, out: Path, seed: int, share: float = 0.01) -> dict:
    """The network with ~``share`` of its records and of its members' settings changed."""
    rng = random.Random(seed)
    shutil.copytree(net, out, ignore=shutil.ignore_patterns("records", "preference_events*"))
    records = pa.concat_tables(pq.read_table(f) for f in sorted((net / "records").glob("*.parquet")))
    n = records.num_rows
    picked = rng.sample(range(n), int(n * share))
    edit, drop, copy_ = (picked[: len(picked) // 2], picked[len(picked) // 2: 3 * len(picked) // 4],
                         picked[3 * len(picked) // 4:])
    # in Arrow, not Python rows: 16M records as dicts would take ~20 GB
    def mask(rows: list[int]) -> pa.Array:
        flags = np.zeros(n, dtype=bool)
        flags[rows] = True
        return pa.array(flags)

    text = records["text"]
    edited = pc.binary_join_element_wise(pc.fill_null(text, ""),
                                         " — edited: reach me at bench@example.org", "")
    records = records.set_column(records.schema.get_field_index("text"),
                                 records.schema.field("text"),
                                 pc.if_else(mask(edit), edited, text))
    new = records.take(pa.array(copy_, pa.int64()))
    new = new.set_column(new.schema.get_field_index("record_id"), new.schema.field("record_id"),
                         pc.binary_join_element_wise(new["record_id"], "-t2", ""))
    for name, value in (("created_at", BETWEEN), ("deleted_at", None)):
        field = new.schema.field(name)
        new = new.set_column(new.schema.get_field_index(name), field,
                             pa.array([value] * new.num_rows, field.type))
    kept = pa.concat_tables([records.filter(pc.invert(mask(drop))), new])
    (out / "records").mkdir()
    # in parts and row groups as the generator writes them (one file of 16M rows in groups
    # of 1M would need more than the build's default 512MB DuckDB memory limit to read)
    for i, start in enumerate(range(0, max(kept.num_rows, 1), PART_ROWS)):
        write_table(kept.slice(start, PART_ROWS), out / "records" / f"part-{i:05d}.parquet")

    events_path = net / "preference_events.parquet"
    events = pq.read_table(events_path) if events_path.exists() else pq.read_table(
        net / "preference_events")
    members = pq.read_table(net / "members.parquet", columns=["member_id"])["member_id"]
    chosen = rng.sample(members.to_pylist(), max(1, int(len(members) * share)))
    extra = [dict(member_id=m, setting="data_for_genai_improvement", value=rng.random() < 0.3,
                  effective_at=BETWEEN, source="web") for m in chosen]
    pq.write_table(pa.concat_tables([events, pa.Table.from_pylist(extra, schema=events.schema)]),
                   out / "preference_events.parquet")
    return {"records_edited": len(edit), "records_deleted": len(drop), "records_new": len(new),
            "members_changed": len(chosen)}


def content(snapshot: Path) -> dict[str, str]:
    from consentgate.snapshot.manifest import sha256_file

    return {p.relative_to(snapshot).as_posix(): sha256_file(p)
            for folder in ("data", "lineage", "usage", "reuse")
            for p in sorted((snapshot / folder).glob("*.parquet"))}


def bench(members: int, cache: Path, seed: int, repeat: int, memory: str | None = None
          ) -> dict:
    net = ensure_network(cache, members, seed)
    rows, _size = records_info(net)
    work = Path(tempfile.mkdtemp(prefix="cg-incremental-", dir=cache))
    env = dict(os.environ, CONSENTGATE_PSEUDONYM_KEY="cd" * 32)
    try:
        src2 = work / "src2"
        changed = source_at_t2(net, src2, seed)
        s1 = work / "s1"
        limit = ["--memory-limit", memory] if memory else []
        s1_s, s1_mb = run_measured([*CLI, "build", "--source", str(net), "--as-of", T1,
                                    "--out", str(s1), "-q", *limit], env)
        times: dict[str, list[float]] = {"full": [], "inc": []}
        inside: dict[str, list[float]] = {"full": [], "inc": []}  # the build's own seconds
        peaks: dict[str, float] = {"full": 0.0, "inc": 0.0}
        for i in range(max(1, repeat)):
            for name in ("full", "inc"):
                out = work / f"{name}-{i}"
                cmd = [*CLI, "build", "--source", str(src2), "--as-of", T2, "--out", str(out),
                       "-q", *limit] + (["--since", str(s1)] if name == "inc" else [])
                seconds, mb = run_measured(cmd, env)
                times[name].append(round(seconds, 2))
                peaks[name] = max(peaks[name], mb)
                built = json.loads((out / "report.json").read_text())["built"]["seconds"]
                inside[name].append(built)
        warm_file = work / "warm.json"
        run_measured([sys.executable, "-c", WARM, str(src2), str(s1), str(work),
                      str(max(1, repeat)), str(warm_file), memory or ""], env)
        warm = json.loads(warm_file.read_text())
        full, inc = work / "full-0", work / "inc-0"
        same = content(full) == content(inc)
        report = json.loads((inc / "report.json").read_text())
        entry = report["incremental"]
        if not (same and entry["reused"]):
            raise SystemExit(f"incremental differs from full (same files: {same}) or reused "
                             f"nothing: {entry['refused']}")
        full_s, inc_s = statistics.median(times["full"]), statistics.median(times["inc"])
        stages = {name: json.loads((work / f"{name}-0" / "manifest.json").read_text())
                  for name in ("full", "inc")}
        return {
            "members": members, "records": rows, "records_used": report["records"]["used"],
            **changed,
            "texts_reused": entry["texts"]["reused"], "texts_redacted": entry["texts"]["redacted"],
            "changes": entry["changes"],
            "s1_s": round(s1_s, 2), "s1_peak_mb": round(s1_mb),
            "full_s": full_s, "full_runs": times["full"], "full_peak_mb": round(peaks["full"]),
            "inc_s": inc_s, "inc_runs": times["inc"], "inc_peak_mb": round(peaks["inc"]),
            "speedup": round(full_s / inc_s, 2) if inc_s else None,
            "full_build_s": statistics.median(inside["full"]), "full_build_runs": inside["full"],
            "inc_build_s": statistics.median(inside["inc"]), "inc_build_runs": inside["inc"],
            "warm": {name: {
                "seconds": statistics.median(r["seconds"] for r in runs),
                "data_s": statistics.median(r["stages"]["data"] for r in runs),
                "runs": [r["seconds"] for r in runs],
                "stages": runs[0]["stages"]} for name, runs in warm.items()},
            "load_average": os.getloadavg()[0],
            "same_files": same,
            "snapshot_id": stages["inc"]["snapshot_id"],
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render(results: list[dict], command: str, repeat: int) -> str:
    lines = [
        f"`{command}` — {dt.date.today().isoformat()}, {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPU(s) (shared), Python "
        f"{platform.python_version()}. The source at T1 (2026-01-15) is a generated network; "
        "at T2 (2026-02-15) about 1% of its records changed (0.5% edited text, 0.25% deleted, "
        "0.25% new) and about 1% of its members changed their setting. *full* is "
        "`consentgate build --as-of T2`, *incremental* the same with `--since` the T1 "
        f"snapshot; each in a fresh process, taking turns, {repeat} run(s) each, median "
        "wall time of the process (every run listed), the build's own time as its report "
        "gives it (`built.seconds`: without interpreter start and imports, before the report "
        "and manifest are written), and the largest peak memory of the process tree. "
        "The incremental snapshot's data, lineage, usage and text-index files were checked "
        "to be byte-identical to the full build's.",
        "",
        "| source records | snapshot records | texts reused | texts redacted | full (process) | "
        "incremental (process) | full (build) | incremental (build) | speed-up (process / "
        "build) | peak memory (full / incremental) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['records']:,} | {r['records_used']:,} | {r['texts_reused']:,} "
            f"| {r['texts_redacted']:,} | {r['full_s']} s ({' / '.join(map(str, r['full_runs']))}) "
            f"| {r['inc_s']} s ({' / '.join(map(str, r['inc_runs']))}) "
            f"| {r['full_build_s']} s ({' / '.join(map(str, r['full_build_runs']))}) "
            f"| {r['inc_build_s']} s ({' / '.join(map(str, r['inc_build_runs']))}) "
            f"| {r['speedup']}× / {round(r['full_build_s'] / r['inc_build_s'], 2)}× "
            f"| {r['full_peak_mb']} / {r['inc_peak_mb']} MB |")
    lines += ["", "The same builds taking turns in one process after a warm-up build (imports "
              "done, redaction patterns compiled, validation caches warm: what a service "
              "building snapshots one after another sees), median of the runs; *data* is the "
              "step that streams, redacts and writes the records:", "",
              "| source records | full | incremental | full: data step | incremental: data "
              "step | incremental: comparing with the previous snapshot |",
              "|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        w = r["warm"]
        lines.append(
            f"| {r['records']:,} | {w['full']['seconds']} s ({' / '.join(map(str, w['full']['runs']))}) "
            f"| {w['inc']['seconds']} s ({' / '.join(map(str, w['inc']['runs']))}) "
            f"| {w['full']['data_s']} s | {w['inc']['data_s']} s "
            f"| {w['inc']['stages'].get('changes', 0)} s |")
    loads = ", ".join(f"{r['load_average']:.1f}" for r in results)
    lines += ["", f"Load average (1 min) when the runs ended: {loads} on "
              f"{os.cpu_count()} cores shared with other work, so the times spread widely.",
              "", "Only redaction is saved: members and records are decided again, pseudonyms "
              "computed and every file written as in a full build, and the previous "
              "snapshot's data and text index are read and merged in; so the gain grows with the "
              "share of the build's time redaction takes, and shrinks as more texts change."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, action="append",
                        help="network size (about 50 records a member; default 4000, ~200k "
                        "records); repeatable")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "cg-bench")
    parser.add_argument("--no-docs", "--no-doc", dest="no_doc", action="store_true",
                        help="do not rewrite docs/benchmarks.md")
    parser.add_argument("--memory-limit", help="DuckDB memory limit of every build (the "
                        "build's default is 512MB)")
    args = parser.parse_args()
    sizes = args.members or [4_000]
    args.cache.mkdir(parents=True, exist_ok=True)
    results = []
    for n in sizes:
        r = bench(n, args.cache, args.seed, args.repeat, args.memory_limit)
        print(json.dumps(r), flush=True)
        results.append(r)
    if not args.no_doc:
        command = "python benchmarks/incremental.py" + "".join(
            f" --members {n}" for n in (args.members or [])) + (
            f" --repeat {args.repeat}" if args.repeat != 2 else "") + (
            f" --memory-limit {args.memory_limit}" if args.memory_limit else "")
        replace_section(ROOT / "docs" / "benchmarks.md", TITLE,
                        render(results, command, args.repeat))
    print(json.dumps({"incremental": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
