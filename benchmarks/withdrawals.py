"""Withdrawals and purges at scale: how long a takedown list and a purged snapshot take.

For each size: a generated network (cached), a snapshot S1 built as of 2026-01-15, then a
consent source in which 5% of S1's members turn the setting off on 2026-02-01 and 0.5%
ask for erasure; then, as of 2026-03-01,

- `consentgate withdrawals S1 --consent ... --out list.parquet`
- `consentgate purge S1 --consent ... --out S1-purged`

each in its own process (wall seconds and peak memory of the process tree), and, at the
smallest size, `consentgate verify` of the purged snapshot. Also the build of S1 itself, with
this version's key checks, data-quality findings and usage index.

    python benchmarks/withdrawals.py                       # 20,000 and 320,000 members (1M, 16M records)
    python benchmarks/withdrawals.py --members 2000        # quick

Rewrites the "Withdrawals and purge" section of docs/benchmarks.md and prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
from build import ensure_network, records_info, run_measured
from docs_section import replace_section

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "consentgate.cli"]
T1, T2 = "2026-01-15", "2026-03-01"


def consent_with_opt_outs(net: Path, snapshot: Path, out: Path, seed: int) -> tuple[int, int]:
    """The network's preference events plus opt-outs (5% of S1's members) and erasure
    requests (0.5%), as a consent source folder."""
    members = sorted(set(pq.read_table(snapshot / "usage" / "members.parquet",
                                       columns=["member_id"])["member_id"].to_pylist()))
    rng = random.Random(seed)
    chosen = rng.sample(members, max(1, len(members) // 20))
    erased = chosen[: max(1, len(chosen) // 10)]
    events = pq.read_table(net / "preference_events.parquet")
    import datetime as dt

    off_at = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)
    extra = [dict(member_id=m, setting="data_for_genai_improvement", value=False,
                  effective_at=off_at, source="web") for m in chosen[len(erased):]]
    extra += [dict(member_id=m, setting="erasure", value=True, effective_at=off_at,
                   source="web") for m in erased]
    out.mkdir(parents=True, exist_ok=True)
    added = pa.Table.from_pylist(extra, schema=events.schema)
    pq.write_table(pa.concat_tables([events, added]), out / "preference_events.parquet")
    return len(chosen) - len(erased), len(erased)


def bench_size(members: int, cache: Path, seed: int, verify: bool) -> dict:
    net = ensure_network(cache, members, seed)
    rows, _size = records_info(net)
    work = Path(tempfile.mkdtemp(prefix="cg-withdrawals-", dir=cache))
    env = dict(os.environ, CONSENTGATE_PSEUDONYM_KEY="ab" * 32)
    try:
        s1 = work / "s1"
        build_s, build_mb = run_measured([*CLI, "build", "--source", str(net), "--as-of", T1,
                                          "--out", str(s1), "-q"], env)
        used = json.loads((s1 / "manifest.json").read_text())["counts"]["records_used"]
        consent = work / "consent"
        opted, erased = consent_with_opt_outs(net, s1, consent, seed)
        w_s, w_mb = run_measured([*CLI, "withdrawals", str(s1), "--source", str(net),
                                  "--consent", str(consent), "--as-of", T2,
                                  "--out", str(work / "w.parquet"), "-q"], env)
        withdrawn = pq.ParquetFile(work / "w.parquet").metadata.num_rows
        p_s, p_mb = run_measured([*CLI, "purge", str(s1), "--source", str(net), "--consent",
                                  str(consent), "--as-of", T2, "--out", str(work / "s1p"),
                                  "-q"], env)
        kept = json.loads((work / "s1p" / "manifest.json").read_text())["counts"]["records_used"]
        assert kept + withdrawn == used, (kept, withdrawn, used)
        result = {
            "members": members, "records": rows, "snapshot_records": used,
            "opted_out": opted, "erased": erased, "withdrawn": withdrawn, "kept": kept,
            "build_s": round(build_s, 2), "build_peak_mb": round(build_mb),
            "withdrawals_s": round(w_s, 2), "withdrawals_peak_mb": round(w_mb),
            "purge_s": round(p_s, 2), "purge_peak_mb": round(p_mb),
        }
        if verify:
            v_s, v_mb = run_measured([*CLI, "verify", str(work / "s1p"), "--source", str(net),
                                      "--consent", str(consent)], env)
            result |= {"verify_purged_s": round(v_s, 2), "verify_purged_peak_mb": round(v_mb)}
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render(results: list[dict], command: str) -> str:
    lines = [
        f"`{command}` (2 shared cores; each command in its own process, wall time and peak "
        "memory of the process tree). S1 is built as of 2026-01-15; then 5% of its members "
        "opt out and 0.5% ask for erasure (2026-02-01), and the list and the purge are made "
        "as of 2026-03-01 — so the withdrawn records also include those records and members "
        "the generator deleted in between.",
        "",
        "| source records | S1 records | withdrawn | build S1 | withdrawals | purge | peak memory (build / list / purge) |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['records']:,} | {r['snapshot_records']:,} | {r['withdrawn']:,} "
            f"| {r['build_s']} s | {r['withdrawals_s']} s | {r['purge_s']} s "
            f"| {r['build_peak_mb']} / {r['withdrawals_peak_mb']} / {r['purge_peak_mb']} MB |"
        )
    checked = [r for r in results if "verify_purged_s" in r]
    for r in checked:
        lines += ["", f"`consentgate verify` of the purged snapshot at {r['records']:,} records "
                  f"(every record re-decided at both instants by the reference evaluator): "
                  f"{r['verify_purged_s']} s, peak {r['verify_purged_peak_mb']} MB."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, action="append")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "cg-bench")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    sizes = args.members or [20_000, 320_000]
    args.cache.mkdir(parents=True, exist_ok=True)
    results = []
    for i, n in enumerate(sizes):
        r = bench_size(n, args.cache, args.seed, verify=i == 0)
        print(json.dumps(r), flush=True)
        results.append(r)
    if not args.no_doc:
        command = "python benchmarks/withdrawals.py" + "".join(
            f" --members {n}" for n in (args.members or []))
        replace_section(ROOT / "docs" / "benchmarks.md", "Withdrawals and purge",
                        render(results, command))
    print(json.dumps({"withdrawals": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
