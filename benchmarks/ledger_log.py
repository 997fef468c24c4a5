"""The consent ledger as a transparency log, at size: appends (the Merkle tree's nodes
included), a full verify, signing a tree head, and inclusion and consistency proofs, on
SQLite and on PostgreSQL.

Each backend gets a fresh ledger. Events are appended in batches (as the service's group
commit writes them), then the log is verified in one pass, a head is signed, and proofs are
asked for random leaves and random earlier sizes and checked.

    .venv/bin/python benchmarks/ledger_log.py                      # 200k events, writes docs
    .venv/bin/python benchmarks/ledger_log.py --events 20000 --backends sqlite --no-write
"""

from __future__ import annotations

import argparse
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from consentgate.ledger import Ledger, NewEvent, init_ledger, merkle, verify_ledger
from consentgate.ledger.pgtemp import ThrowawayPostgres
from consentgate.ledger.signing import SigningKey

ROOT = Path(__file__).resolve().parent.parent
SECTION = "Consent ledger: the transparency log"


def change(i: int) -> NewEvent:
    return NewEvent(member_id=f"m{i % 50_000:08d}", setting="data_for_genai_improvement",
                    value=i % 3 != 0, source="web", policy_id="linkedin-2025",
                    policy_version="1.0.0", notice_version="2025-11-03", language="fr",
                    jurisdiction="FR")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def run(url: str, events: int, batch: int, proofs: int) -> dict[str, float]:
    init_ledger(url)
    key = SigningKey(Ed25519PrivateKey.generate())
    out: dict[str, float] = {"events": events}
    with Ledger(url) as ledger:
        start = time.perf_counter()
        for first in range(0, events, batch):
            ledger.append([change(i) for i in range(first, min(events, first + batch))])
        out["append_per_s"] = events / (time.perf_counter() - start)

        start = time.perf_counter()
        head = ledger.sign_head(key)
        out["sign_ms"] = (time.perf_counter() - start) * 1000

        start = time.perf_counter()
        report = verify_ledger(ledger, trusted_keys={key.key_id: key.public})
        out["verify_s"] = time.perf_counter() - start
        assert report.ok, report.problems[:3]

        rng = random.Random(7)
        root = bytes.fromhex(head.root_hash)
        inclusion, consistency = [], []
        for _ in range(proofs):
            seq = rng.randint(1, events)
            t = time.perf_counter()
            with ledger.read() as conn:
                path = ledger.inclusion_proof(seq, head.tree_size, conn)
                leaf = ledger.event(seq, conn)
            inclusion.append((time.perf_counter() - t) * 1000)
            assert leaf is not None
            merkle.verify_inclusion(seq - 1, head.tree_size, bytes.fromhex(leaf.hash),
                                    [bytes.fromhex(h) for h in path], root)
            size = rng.randint(1, events)
            t = time.perf_counter()
            with ledger.read() as conn:
                proof = ledger.consistency_proof(size, head.tree_size, conn)
                old_root = ledger.root_at(size, conn)
            consistency.append((time.perf_counter() - t) * 1000)
            merkle.verify_consistency(size, head.tree_size, bytes.fromhex(old_root), root,
                                      [bytes.fromhex(h) for h in proof])
        out["inclusion_p50_ms"] = statistics.median(inclusion)
        out["inclusion_p99_ms"] = pct(inclusion, 99)
        out["consistency_p50_ms"] = statistics.median(consistency)
        out["consistency_p99_ms"] = pct(consistency, 99)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--proofs", type=int, default=500)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    rows = []
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="cg-log-bench-") as folder:
            if backend == "sqlite":
                figures = run(f"sqlite:///{folder}/ledger.db", args.events, args.batch,
                              args.proofs)
                version = f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=FULL)"
            else:
                with ThrowawayPostgres(durable=True) as pg:
                    figures = run(pg.create_database("bench"), args.events, args.batch,
                                  args.proofs)
                    version = "PostgreSQL (default durability, throwaway server on the same machine)"
        rows.append((backend, figures, version))
        print(backend, {k: round(v, 3) for k, v in figures.items()}, flush=True)
    table = ["| backend | events | appends/s (batches of "
             f"{args.batch}) | verify s | sign ms | inclusion proof p50 / p99 ms | "
             "consistency proof p50 / p99 ms |", "|---|---:|---:|---:|---:|---:|---:|"]
    for backend, f, _ in rows:
        table.append(
            f"| {backend} | {int(f['events']):,} | {f['append_per_s']:,.0f} | "
            f"{f['verify_s']:.1f} | {f['sign_ms']:.1f} | {f['inclusion_p50_ms']:.2f} / "
            f"{f['inclusion_p99_ms']:.2f} | {f['consistency_p50_ms']:.2f} / "
            f"{f['consistency_p99_ms']:.2f} |")
    notes = [
        f"- `python benchmarks/ledger_log.py --events {args.events}`; measured "
        f"{time.strftime('%Y-%m-%d')} on {platform.machine()}, Python "
        f"{platform.python_version()}, 2 shared cores.",
        "- appends include each event's leaf hash and the tree nodes it completes; verify "
        "reads every event and node in one transaction, rebuilds the tree and checks the "
        "signed head; proofs read O(log n) stored nodes and are checked as a member would.",
        *[f"- {v}" for _, _, v in rows],
    ]
    body = "\n".join([*table, "", *notes])
    print(body)
    if not args.no_write:
        sys.path.insert(0, str(Path(__file__).parent))
        from docs_section import replace_section

        replace_section(ROOT / "docs" / "benchmarks.md", SECTION, body)


if __name__ == "__main__":
    main()
