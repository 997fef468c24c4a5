"""Load benchmark of the settings service: changes per second and latency percentiles with
100 concurrent clients, on SQLite and on PostgreSQL.

Each backend gets a fresh ledger and a real `consentgate serve` (one uvicorn process) on
127.0.0.1; the clients are httpx async connections in this process, each sending
`PUT /api/v1/me/settings/data_for_genai_improvement` for its own members, one request at a
time, until the request budget or the time limit is spent. Afterwards the ledger is verified
and must hold exactly one event per successful change.

    .venv/bin/python benchmarks/service_load.py                 # both backends, writes docs
    .venv/bin/python benchmarks/service_load.py --backends sqlite --requests 1000 --no-write

The table goes to docs/benchmarks.md under "## Settings service" (other sections are kept).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from consentgate.ledger import Ledger, init_ledger, verify_ledger
from consentgate.ledger.pgtemp import ThrowawayPostgres
from consentgate.policy import load_policy
from consentgate.service.auth import mint_member_token
from consentgate.service.config import ServiceConfig
from consentgate.service.live import live_server

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Settings service"
URL = "/api/v1/me/settings/data_for_genai_improvement"
TOKEN_SECRET = "benchmark-token-secret-" + "b" * 32


@dataclass
class Result:
    backend: str
    clients: int
    requests: int
    ok: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    ledger_events: int
    chain_ok: bool

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


@contextmanager
def server(db: str, log: Path) -> Iterator[str]:
    with live_server(db, log, {"CONSENTGATE_TOKEN_SECRET": TOKEN_SECRET}) as live:
        yield live.base_url


async def load(base: str, tokens: list[str], clients: int, budget: int,
               time_limit: float) -> tuple[list[float], int, float]:
    """(latencies of successful changes in ms, errors, wall seconds)."""
    latencies: list[float] = []
    errors = 0
    issued = 0
    # One AsyncClient (one keep-alive connection) per simulated client: a single client with
    # a 100-connection pool spends more CPU finding a connection than the server spends on
    # the request, and this process shares the CPU with the server.
    https = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(clients)]
    try:

        async def client(number: int) -> None:
            nonlocal issued, errors
            http = https[number]
            mine = tokens[number::clients]  # each client changes its own members' settings
            i = 0
            while issued < budget and time.perf_counter() < stop:
                issued += 1
                token = mine[i % len(mine)]
                i += 1
                began = time.perf_counter()
                try:
                    answer = await http.put(URL, json={"value": i % 2 == 0},
                                            headers={"Authorization": f"Bearer {token}"})
                    ok = answer.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append((time.perf_counter() - began) * 1000)
                else:
                    errors += 1

        started = time.perf_counter()
        stop = started + time_limit
        await asyncio.gather(*(client(n) for n in range(clients)))
        return latencies, errors, time.perf_counter() - started
    finally:
        for http in https:
            await http.aclose()


def run_backend(backend: str, db: str, workdir: Path, clients: int, budget: int,
                time_limit: float, members: int) -> Result:
    init_ledger(db)
    signer = ServiceConfig(db=db, policy=load_policy(), token_secret=TOKEN_SECRET)
    tokens = [mint_member_token(signer, f"bench-{i:05d}", dt.timedelta(hours=1))
              for i in range(members)]
    with server(db, workdir / f"{backend}.log") as base:
        asyncio.run(load(base, tokens, clients, min(200, budget), time_limit))  # warm-up
        with Ledger(db) as ledger:
            before = ledger.count()
        latencies, errors, seconds = asyncio.run(load(base, tokens, clients, budget, time_limit))
    with Ledger(db) as ledger:
        report = verify_ledger(ledger)
        recorded = ledger.count() - before
    return Result(backend, clients, len(latencies) + errors, len(latencies), errors, seconds,
                  percentile(latencies, 50), percentile(latencies, 95),
                  percentile(latencies, 99), max(latencies, default=float("nan")),
                  recorded, report.ok)


def postgres_version(pg: ThrowawayPostgres) -> str:
    done = subprocess.run([str(pg.bin / "postgres"), "--version"], capture_output=True,
                          text=True, check=False)
    return done.stdout.strip().removeprefix("postgres (PostgreSQL) ")


def fast_http() -> bool:
    """Whether uvicorn will use uvloop and httptools (``uvicorn[standard]``)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("uvloop", "httptools"))


def markdown(results: list[Result], notes: list[str], command: str) -> str:
    lines = [
        SECTION,
        "",
        f"`{command}`",
        "",
        "| backend | clients | changes | errors | changes/s | p50 ms | p95 ms | p99 ms | "
        "max ms | ledger events | chain |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.backend} | {r.clients} | {r.ok} | {r.errors} | {r.per_second:.0f} | "
            f"{r.p50_ms:.0f} | {r.p95_ms:.0f} | {r.p99_ms:.0f} | {r.max_ms:.0f} | "
            f"{r.ledger_events} | {'ok' if r.chain_ok else 'BROKEN'} |"
        )
    lines += ["", *[f"- {n}" for n in notes], ""]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Replace the "## Settings service" section, keeping every other section."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--requests", type=int, default=3000, help="changes per backend")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per backend")
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()

    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    results: list[Result] = []
    versions = [f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=FULL)"]
    with tempfile.TemporaryDirectory(prefix="consentgate-bench-") as folder:
        workdir = Path(folder)
        for backend in args.backends.split(","):
            print(f"{backend}: {args.requests} changes, {args.clients} clients …", flush=True)
            if backend == "sqlite":
                result = run_backend(backend, f"sqlite:///{workdir / 'ledger.db'}", workdir,
                                     args.clients, args.requests, args.time_limit, args.members)
            elif backend == "postgresql":
                with ThrowawayPostgres(durable=True) as pg:
                    versions.append(f"PostgreSQL {postgres_version(pg)} (default durability, "
                                    "throwaway server on the same machine)")
                    result = run_backend(backend, pg.create_database("bench"), workdir,
                                         args.clients, args.requests, args.time_limit,
                                         args.members)
            else:
                parser.error(f"unknown backend {backend!r}")
            print(f"  {result.per_second:.0f} changes/s, p99 {result.p99_ms:.0f} ms, "
                  f"{result.errors} errors, chain {'ok' if result.chain_ok else 'BROKEN'}")
            results.append(result)

    notes = [
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} CPU cores "
        f"({platform.machine()}, Python {platform.python_version()}); the load generator "
        "shares those cores with the server.",
        "One uvicorn process "
        f"({'uvloop + httptools' if fast_http() else 'asyncio + h11'}); every change is a "
        "JWT check and one serialised append to the hash chain (BEGIN IMMEDIATE on SQLite, "
        "SELECT … FOR UPDATE on the head row on PostgreSQL); latency includes the wait for "
        "the chain's lock behind the other 99 clients.",
        f"Load average before the runs: {load_before} (other work on the machine slows "
        "these figures down).",
        *versions,
        "'ledger events' counts the events the ledger gained during the timed run: it "
        "equals 'changes' when nothing is lost.",
    ]
    command = "python benchmarks/service_load.py " + " ".join(sys.argv[1:])
    section = markdown(results, notes, command.strip())
    print()
    print(section)
    if not args.no_write:
        write_section(args.output, section)
        print(f"written to {args.output}")


if __name__ == "__main__":
    main()
