"""The member's usage answer across many registered snapshots: ``member_usage`` timed for a
few hundred random members against 50 snapshots of ~1M records each.

One real snapshot is built (``consentgate build``) from a generated network of 48,000 members
(~2.4M source records, ~1M of them in the snapshot). It is then copied 50 times, each copy's manifest rewritten with its own
snapshot id and as-of so that it registers as a distinct snapshot: ``manifest.json`` and
the usage index are real copies (distinct files, so each has its own footer and
page-cache entries), while the data, lineage parts and reports are hard links (the lookup
never reads them; this keeps the disk use to one snapshot's). If the build did not write a
usage index (snapshots built before the index existed), it is written once with
``write_usage_index`` and copied with the rest; the output says which.

    python benchmarks/usage_lookup.py                    # 48,000 members, 50 snapshots, 300 lookups
    python benchmarks/usage_lookup.py --members 2000 --snapshots 5 --lookups 50   # quick

Prints the setup, then median / p95 / max milliseconds per member (the first lookup, with no
footer cached, is reported apart), and one JSON line last. The target is under 100 ms per
member across the 50 snapshots.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from consentgate.registry import Registry, member_usage
from consentgate.registry.usage import usage_index_of
from consentgate.snapshot.usage_index import write_usage_index


def _cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "consentgate.cli", *args], check=True,
                   stdout=subprocess.DEVNULL)


def _copy_snapshot(
    src: Path, dest: Path, index: Path, snapshot_id: str, as_of: dt.datetime
) -> None:
    """The usage index and manifest.json copied, everything else hard-linked."""
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        target = dest / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path == index:
            shutil.copyfile(path, target)
        elif rel.name != "manifest.json":
            os.link(path, target)
    manifest = json.loads((src / "manifest.json").read_text())
    manifest["snapshot_id"] = snapshot_id
    manifest["as_of"] = as_of.strftime("%Y-%m-%dT%H:%M:%SZ")
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=48_000)
    parser.add_argument("--snapshots", type=int, default=50)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=None,
                        help="work folder (default: a temporary one, removed at the end)")
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()

    owned = args.work is None
    work = Path(tempfile.mkdtemp(prefix="cg-usage-bench-")) if owned else args.work
    work.mkdir(parents=True, exist_ok=True)
    try:
        network, base = work / "network", work / "base"
        key = work / "key"
        key.write_text("42" * 32 + "\n")
        t0 = time.perf_counter()
        reused = base.exists()
        if not network.exists():
            _cli("demo", "generate", "--members", str(args.members), "--out", str(network),
                 "--seed", "1")
        if not reused:
            _cli("build", "--source", str(network), "--as-of", "2026-01-15", "--out", str(base),
                 "--key-file", str(key), "-q")
        built = "reused from the work folder" if reused else (
            f"built in {time.perf_counter() - t0:.1f} s"
        )
        manifest = json.loads((base / "manifest.json").read_text())
        records = manifest["counts"]["records_used"]
        listed = {f["path"] for f in manifest.get("files", [])}
        index = usage_index_of(base, manifest.get("usage_index"))
        if index is not None and index.relative_to(base).as_posix() in listed:
            index_origin = "written by the build"
        else:
            index = index or write_usage_index(base)
            index_origin = "not written by this build: written with write_usage_index"
        meta = pq.ParquetFile(index).metadata

        registry_path = work / "registry.db"
        registry_path.unlink(missing_ok=True)
        copies = work / "copies"
        shutil.rmtree(copies, ignore_errors=True)
        start = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
        with Registry(registry_path) as registry:
            for i in range(args.snapshots):
                as_of = start + dt.timedelta(days=7 * i)
                folder = copies / f"s{i:03d}"
                _copy_snapshot(base, folder, index, f"snap-bench-{i:03d}", as_of)
                registry.register_snapshot(folder)
                if i % 10 == 0:
                    run = registry.start_run([folder], "assistant", f"{i // 10}")
                    registry.finish_run(run.run_id)

            lineage = pq.read_table(base / "lineage" / "part-00000.parquet", columns=["member_id"])
            present = sorted(set(lineage["member_id"].to_pylist()))
            rng = random.Random(args.seed)
            members = rng.sample(present, min(args.lookups, len(present)))
            # one in ten asks about a member no snapshot holds
            members = [m if i % 10 else f"m-absent-{i}" for i, m in enumerate(members)]

            first_t = time.perf_counter()
            first = member_usage(registry, members[1])  # a present member
            first_s = time.perf_counter() - first_t
            times = []
            read_groups = []
            for member in members:
                t = time.perf_counter()
                answer = member_usage(registry, member)
                times.append(time.perf_counter() - t)
                read_groups.append(answer.row_groups_read)
                assert len(answer.searched) == args.snapshots
        figures = _ms(times)
        result = {
            "snapshots": args.snapshots,
            "records_per_snapshot": records,
            "members_in_network": args.members,
            "usage_index_rows": meta.num_rows,
            "usage_index_row_groups": meta.num_row_groups,
            "usage_index_bytes": index.stat().st_size,
            "usage_index": index_origin,
            "lookups": len(members),
            "first_lookup_ms": round(first_s * 1000, 2),
            **figures,
            "row_groups_read_per_lookup": round(statistics.fmean(read_groups), 1),
            "row_groups_total_per_lookup": first.row_groups_total,
            "target_ms": 100,
            "met": figures["p95_ms"] < 100,
        }
        print(f"network: {args.members:,} members; snapshot ({built}) with {records:,} records")
        print(f"usage index: {meta.num_rows:,} rows in {meta.num_row_groups} row groups, "
              f"{result['usage_index_bytes']:,} bytes ({index_origin})")
        print(f"registered {args.snapshots} snapshots: copies of that one, each manifest "
              "rewritten with its own snapshot id and as-of (usage index copied, the rest "
              "hard-linked)")
        print(f"member_usage for {len(members)} random members (1 in 10 absent), SQLite "
              f"registry, page cache warm: first {result['first_lookup_ms']} ms; "
              f"median {figures['median_ms']} ms, p95 {figures['p95_ms']} ms, max "
              f"{figures['max_ms']} ms; {result['row_groups_read_per_lookup']} of "
              f"{first.row_groups_total} row groups read per lookup")
        if not args.no_doc:
            _write_doc(result, built)
        print(json.dumps(result))
    finally:
        if owned:
            shutil.rmtree(work, ignore_errors=True)


def _write_doc(r: dict, built: str) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from docs_section import replace_section

    body = f"""
`python benchmarks/usage_lookup.py` (2 shared cores): one member's answer (`member_usage`:
the registry, then each snapshot's usage index, reading only the row groups whose member_id
range may hold the member) across **{r['snapshots']} registered snapshots of
{r['records_per_snapshot']:,} records each**. The snapshots are copies of one real build
({built}) with their own ids and as-of times; each copy's usage index is a real file of its
own ({r['usage_index_rows']:,} rows, {r['usage_index_row_groups']} row groups,
{r['usage_index_bytes']:,} bytes), the data files are hard links (never read by a lookup).

| lookups | first (cold footers) | median | p95 | max | row groups read per lookup | target |
|---:|---:|---:|---:|---:|---:|---|
| {r['lookups']} (1 in 10 absent) | {r['first_lookup_ms']} ms | {r['median_ms']} ms | {r['p95_ms']} ms | {r['max_ms']} ms | {r['row_groups_read_per_lookup']} of {r['row_groups_total_per_lookup']} | p95 < {r['target_ms']} ms: {'met' if r['met'] else 'missed'} |
"""
    replace_section(Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md",
                    "Member usage lookup", body)


if __name__ == "__main__":
    main()
