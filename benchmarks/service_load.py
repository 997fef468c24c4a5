"""Open-loop load benchmark of the settings service: acknowledged changes per second at
saturation, latency percentiles at fixed offered rates, no acknowledged change lost (also
across a kill -9 of the server), on SQLite and on PostgreSQL.

The load generator is wrk2 (Gil Tene's fork of wrk, github.com/giltene/wrk2), chosen
because it is the only generator at hand that is open-loop in the sense this benchmark needs:
with ``-R`` it schedules every request at a fixed rate from the start of the run, whatever
the answers, and measures each latency from the request's *intended* send time, so a stall
of the server counts against every request scheduled during it (no coordinated omission).
Its latencies go to an HdrHistogram; its C event loop costs a few microseconds per request,
which matters on a machine where the generator shares two cores with the server. The others
looked at: Debian's wrk, hey, siege, ab and bombardier and npm's autocannon are closed-loop
(a connection sends its next request when the previous answer arrives, so a slow server is
offered less load and its stalls hide); hey's and autocannon's rate limits only cap that
loop. npm's loadtest (``--rps``) sends on a timer but times each request from its actual
send, in a Node process whose own event loop lags under load. Locust's constant-throughput
users are closed-loop per user and cost milliseconds of Python per request. k6's
constant-arrival-rate executor and vegeta are open-loop, but neither is installable here
(no Debian package; k6's npm package is a placeholder; Go modules are out of reach). wrk2 is
not packaged either; it builds from its source with make, a C compiler and libssl-dev
(Debian), in seconds::

    git clone https://github.com/giltene/wrk2 && make -C wrk2   # then --wrk2 wrk2/wrk

Each request (``benchmarks/wrk2_changes.lua``) is one member's change of the setting, PUT
with a valid member JWT, value true/false in turn, members taken in turn from --members
distinct members; the receipt id of every 2xx answer is written down. After the runs every
acknowledged receipt is looked up in the ledger (must be all of them) and the chain is
verified. The recovery run kills the server (SIGKILL to its process group) in the middle of
a load, restarts it on the same ledger, loads it again, and checks the same.

wrk2 keeps --connections connections open (its own limit on requests in flight); the rate is
spread over them. Its first 10 seconds calibrate and are left out of its latency figures, so
a run lasts --duration seconds of which the last duration - 10 are in the percentiles (the
changes/s column counts the whole run). "Saturation" offers more than the server can take
(--saturation-rate): what it acknowledges per second then is its sustained capacity; its
latencies only say how long the queue grew.

    .venv/bin/python benchmarks/service_load.py --wrk2 /path/to/wrk      # both backends, docs
    .venv/bin/python benchmarks/service_load.py --wrk2 wrk --backends sqlite --workers 2 \\
        --rates 1000 --duration 20 --no-write

The table goes to docs/benchmarks.md under "## Settings service" (other sections are kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from consentgate.ledger import Ledger, init_ledger, verify_ledger
from consentgate.ledger.pgtemp import ThrowawayPostgres
from consentgate.policy import load_policy
from consentgate.service.auth import mint_member_token
from consentgate.service.config import ServiceConfig
from consentgate.service.live import LiveServer, live_server

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().parent / "wrk2_changes.lua"
SECTION = "## Settings service"
URL = "/api/v1/me/settings/data_for_genai_improvement"
TOKEN_SECRET = "benchmark-token-secret-" + "b" * 32
CLOCK_TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """One wrk2 run at one offered rate."""

    label: str
    offered: int
    repeat: int = 1
    seconds: float = 0.0
    acknowledged: list[str] = field(default_factory=list)  # receipt ids of 2xx answers
    statuses: dict[int, int] = field(default_factory=dict)  # other answers by status
    socket_errors: int = 0
    percentiles: dict[str, float] = field(default_factory=dict)  # "50" -> ms
    server_cpu_s: float = 0.0
    database_cpu_s: float = 0.0
    generator_cpu_s: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.acknowledged) / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return sum(self.statuses.values()) + self.socket_errors

    def cpu_per_ack_ms(self, seconds: float) -> float:
        return 1000 * seconds / len(self.acknowledged) if self.acknowledged else float("nan")


@dataclass
class Setup:
    backend: str
    workers: int
    runs: list[Run] = field(default_factory=list)
    missing: int = 0  # acknowledged receipts not in the ledger afterwards
    ledger_events: int = 0
    chain_ok: bool = False


@dataclass
class Recovery:
    backend: str
    workers: int
    acknowledged_before: int = 0
    acknowledged_after: int = 0
    missing: int = 0
    unacknowledged_recorded: int = 0  # in flight at the kill: recorded, never answered
    errors_at_kill: int = 0  # wrk2's connect/read errors, retrying while the server was down
    chain_ok: bool = False
    integrity: str = ""


# -- processes and their CPU ----------------------------------------------------------------
def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def _all_pids() -> Iterator[int]:
    for name in os.listdir("/proc"):
        if name.isdigit():
            yield int(name)


def group_cpu(pgid: int) -> float:
    """User + system CPU seconds of the processes in a process group (the server and its
    workers)."""
    total = 0
    for pid in _all_pids():
        fields = _stat(pid)
        if fields is not None and int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICK


def tree_cpu(root: int) -> float:
    """CPU seconds of a process and its children (PostgreSQL's postmaster and backends)."""
    total = 0
    for pid in _all_pids():
        fields = _stat(pid)
        if fields is not None and (pid == root or int(fields[1]) == root):
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICK


# -- wrk2 -------------------------------------------------------------------------------------
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_wrk2(text: str, run: Run) -> None:
    in_distribution = False
    for line in text.splitlines():
        if "Latency Distribution (HdrHistogram - Recorded Latency)" in line:
            in_distribution = True
            continue
        if in_distribution:
            match = re.match(r"\s*([\d.]+)%\s+([\d.]+)(us|ms|s|m|h)\s*$", line)
            if match:
                run.percentiles[match.group(1).rstrip("0").rstrip(".")] = (
                    float(match.group(2)) * _UNITS[match.group(3)])
                continue
            in_distribution = False
        match = re.match(r"\s*\d+ requests in ([\d.]+)(us|ms|s|m|h)", line)
        if match:
            run.seconds = float(match.group(1)) * _UNITS[match.group(2)] / 1000
        match = re.match(r"\s*Socket errors: connect (\d+), read (\d+), write (\d+), "
                         r"timeout (\d+)", line)
        if match:
            # wrk2 counts a request still open at each timeout check: timeouts are not
            # answers lost, read/write/connect errors are
            run.socket_errors += sum(int(match.group(i)) for i in (1, 2, 3))


def read_answers(prefix: Path, run: Run) -> None:
    for path in sorted(prefix.parent.glob(prefix.name + "-*.txt")):
        for line in path.read_text().splitlines():
            if line.startswith("STATUS "):
                status = int(line.split()[1])
                run.statuses[status] = run.statuses.get(status, 0) + 1
            elif line:
                run.acknowledged.append(line)
        path.unlink()


@dataclass
class Load:
    wrk2: str
    tokens: Path
    work: Path
    connections: int
    threads: int

    def command(self, base: str, rate: int, seconds: float, prefix: Path) -> list[str]:
        return [self.wrk2, f"-t{self.threads}", f"-c{self.connections}", f"-d{seconds:g}s",
                f"-R{rate}", "--latency", "--timeout", "60s", "-s", str(SCRIPT),
                base + URL, "--", str(self.tokens), str(prefix)]

    def run(self, server: LiveServer, label: str, rate: int, seconds: float,
            database_pid: int | None) -> Run:
        result = Run(label, rate)
        prefix = self.work / f"answers-{label}"
        assert server.process is not None
        cpu0 = group_cpu(server.process.pid)
        db0 = tree_cpu(database_pid) if database_pid else 0.0
        process = subprocess.Popen(self.command(server.base_url, rate, seconds, prefix),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        output, usage = _wait(process)
        result.server_cpu_s = group_cpu(server.process.pid) - cpu0
        result.database_cpu_s = (tree_cpu(database_pid) - db0) if database_pid else 0.0
        result.generator_cpu_s = usage
        if process.returncode != 0:
            raise RuntimeError(f"wrk2 failed ({process.returncode}):\n{output}")
        parse_wrk2(output, result)
        read_answers(prefix, result)
        return result


def _wait(process: subprocess.Popen) -> tuple[str, float]:
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return output, usage.ru_utime + usage.ru_stime


def find_wrk2(given: str | None) -> str:
    for candidate in (given, os.environ.get("WRK2"), "wrk2",
                      str(ROOT / "benchmarks" / ".wrk2" / "wrk")):
        if candidate and (shutil.which(candidate) or Path(candidate).is_file()):
            path = shutil.which(candidate) or candidate
            probe = subprocess.run([path, "--help"], capture_output=True, text=True)
            if "--rate" in probe.stdout + probe.stderr:  # wrk2, not Debian's wrk
                return path
    sys.exit("wrk2 not found: build it (see this file's docstring) and pass --wrk2 PATH")


# -- the runs -----------------------------------------------------------------------------------
def write_tokens(db: str, path: Path, members: int, prefix: str) -> None:
    signer = ServiceConfig(db=db, policy=load_policy(), token_secret=TOKEN_SECRET)
    with open(path, "w") as out:
        for i in range(members):
            out.write(mint_member_token(signer, f"{prefix}-{i:07d}", dt.timedelta(hours=3)))
            out.write("\n")


@contextmanager
def server(db: str, work: Path, workers: int) -> Iterator[LiveServer]:
    with live_server(db, work / "server.log", {"CONSENTGATE_TOKEN_SECRET": TOKEN_SECRET},
                     workers=workers if workers > 1 else None) as live:
        yield live


def check_ledger(db: str, receipts: list[str]) -> tuple[int, int, bool]:
    """(acknowledged receipts missing from the ledger, events held, chain intact)."""
    with Ledger(db) as ledger:
        held = {e.receipt_id for e in ledger.iter_events()}
        report = verify_ledger(ledger)
    return sum(1 for r in receipts if r not in held), len(held), report.ok


def measure(backend: str, db: str, workers: int, load: Load, rates: list[int],
            saturation: int, seconds: float, database_pid: int | None,
            repeats: int) -> Setup:
    setup = Setup(backend, workers)
    with server(db, load.work, workers) as live:
        load.run(live, "warmup", 300, 4, database_pid)  # imports, caches, connections
        plan = [(rate, n) for rate in rates for n in range(1, repeats + 1)]
        for rate, n in [*plan, (saturation, 1)]:
            label = "saturation" if rate == saturation else f"{rate}-{n}"
            print(f"  {backend}, {workers} worker(s): {rate}/s offered for {seconds:g} s "
                  f"({label}) …", flush=True)
            run = load.run(live, label, rate, seconds, database_pid)
            run.repeat = n
            setup.runs.append(run)
            print(f"    {run.per_second:.0f} acknowledged/s, p50 "
                  f"{run.percentiles.get('50', float('nan')):.1f} ms, p99 "
                  f"{run.percentiles.get('99', float('nan')):.1f} ms, {run.errors} errors, "
                  f"server CPU {run.cpu_per_ack_ms(run.server_cpu_s):.3f} ms/change",
                  flush=True)
            time.sleep(2)  # let the queue of the previous run drain
    receipts = [r for run in setup.runs for r in run.acknowledged]
    setup.missing, setup.ledger_events, setup.chain_ok = check_ledger(db, receipts)
    return setup


def recover(backend: str, db: str, workers: int, load: Load, rate: int,
            database_pid: int | None) -> Recovery:
    """Load at ``rate``, kill -9 the server after 12 s, restart it, load again."""
    result = Recovery(backend, workers)
    prefix = load.work / "answers-kill"
    with server(db, load.work, workers) as live:
        assert live.process is not None
        process = subprocess.Popen(load.command(live.base_url, rate, 60, prefix),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(12)
        live.kill()
        time.sleep(1)
        process.send_signal(signal.SIGINT)  # wrk2 stops, reports and writes its answers
        output, _ = _wait(process)
    before = Run("kill", rate)
    parse_wrk2(output, before)
    read_answers(prefix, before)
    result.acknowledged_before = len(before.acknowledged)
    result.errors_at_kill = before.errors
    with server(db, load.work, workers) as live:
        after = load.run(live, "after-kill", min(rate, 500), 12, database_pid)
    result.acknowledged_after = len(after.acknowledged)
    receipts = before.acknowledged + after.acknowledged
    result.missing, held, result.chain_ok = check_ledger(db, receipts)
    result.unacknowledged_recorded = held - len(set(receipts))
    if db.startswith("sqlite:///"):
        with sqlite3.connect(db.removeprefix("sqlite:///")) as con:
            result.integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    return result


# -- the report -----------------------------------------------------------------------------
def markdown(setups: list[Setup], recoveries: list[Recovery], notes: list[str],
             command: str) -> str:
    lines = [
        SECTION, "", f"`{command}`", "",
        "Each fixed rate was run several times in a row; each cell lists the runs in order "
        "(`a / b / c`).", "",
        "| backend | workers | offered/s | acknowledged/s | p50 ms | p99 ms | p99.9 ms | "
        "max ms | errors | server CPU ms/change | database CPU ms/change |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def cells(runs: list[Run], value, fmt: str) -> str:  # type: ignore[no-untyped-def]
        return " / ".join(format(value(r), fmt) for r in runs)

    def pct(q: str):  # type: ignore[no-untyped-def]
        return lambda run: run.percentiles.get(q, float("nan"))

    for s in setups:
        groups: dict[str, list[Run]] = {}
        for run in s.runs:
            groups.setdefault("saturation" if run.label == "saturation" else str(run.offered),
                              []).append(run)
        for key, runs in groups.items():
            offered = f"{runs[0].offered} (saturation)" if key == "saturation" else key

            database = (cells(runs, lambda r: r.cpu_per_ack_ms(r.database_cpu_s), ".3f")
                        if s.backend == "postgresql" else "–")
            lines.append(
                f"| {s.backend} | {s.workers} | {offered} | "
                f"{cells(runs, lambda r: r.per_second, '.0f')} | "
                f"{cells(runs, pct('50'), '.1f')} | {cells(runs, pct('99'), '.1f')} | "
                f"{cells(runs, pct('99.9'), '.1f')} | {cells(runs, pct('100'), '.0f')} | "
                f"{cells(runs, lambda r: r.errors, 'd')} | "
                f"{cells(runs, lambda r: r.cpu_per_ack_ms(r.server_cpu_s), '.3f')} | "
                f"{database} |")
    lines += ["", "| backend | workers | acknowledged | missing from the ledger | ledger events | "
              "log verifies |", "|---|---:|---:|---:|---:|---|"]
    for s in setups:
        total = sum(len(r.acknowledged) for r in s.runs)
        lines.append(f"| {s.backend} | {s.workers} | {total} | {s.missing} | "
                     f"{s.ledger_events} | {'ok' if s.chain_ok else 'BROKEN'} |")
    if recoveries:
        lines += ["", "Recovery (kill -9 of the server mid-load, restart, load again):", "",
                  "| backend | workers | acknowledged before the kill | after the restart | "
                  "missing | recorded, never acknowledged | wrk2 errors while it was down | log verifies | "
                  "SQLite integrity |", "|---|---:|---:|---:|---:|---:|---:|---|---|"]
        for r in recoveries:
            lines.append(
                f"| {r.backend} | {r.workers} | {r.acknowledged_before} | "
                f"{r.acknowledged_after} | {r.missing} | {r.unacknowledged_recorded} | "
                f"{r.errors_at_kill} | {'ok' if r.chain_ok else 'BROKEN'} | "
                f"{r.integrity or '–'} |")
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


def postgres_version(pg: ThrowawayPostgres) -> str:
    done = subprocess.run([str(pg.bin / "postgres"), "--version"], capture_output=True,
                          text=True, check=False)
    return done.stdout.strip().removeprefix("postgres (PostgreSQL) ")


def postmaster_pid(pg: ThrowawayPostgres) -> int | None:
    try:
        assert pg.dir is not None
        return int((pg.dir / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError, AssertionError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--workers", default="1,2",
                        help="server processes to measure, comma-separated (serve --workers)")
    parser.add_argument("--rates", default="500,1000,2000,3000",
                        help="offered changes/s, comma-separated")
    parser.add_argument("--saturation-rate", type=int, default=6000,
                        help="offered changes/s for the saturation run")
    parser.add_argument("--duration", type=float, default=30.0,
                        help="seconds per run (wrk2 leaves the first 10 out of its latencies)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs at each fixed rate (the saturation run is done once)")
    parser.add_argument("--connections", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2, help="wrk2 threads")
    parser.add_argument("--members", type=int, default=20_000,
                        help="distinct members the changes rotate through")
    parser.add_argument("--kill-rate", type=int, default=1000,
                        help="offered changes/s while the server is killed")
    parser.add_argument("--no-kill", action="store_true", help="skip the recovery run")
    parser.add_argument("--wrk2", help="path to wrk2's wrk (else $WRK2, wrk2 on PATH)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    wrk2 = find_wrk2(args.wrk2)
    rates = [int(r) for r in args.rates.split(",") if r]
    worker_counts = [int(w) for w in args.workers.split(",") if w]

    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    setups: list[Setup] = []
    recoveries: list[Recovery] = []
    versions = [f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=FULL)"]
    with tempfile.TemporaryDirectory(prefix="consentgate-bench-") as folder:
        work = Path(folder)
        tokens = work / "tokens.txt"
        load = Load(wrk2, tokens, work, args.connections, args.threads)
        for backend in args.backends.split(","):
            pg: ThrowawayPostgres | None = None
            if backend == "postgresql":
                pg = ThrowawayPostgres(durable=True).start()
                versions.append(f"PostgreSQL {postgres_version(pg)} (default durability: "
                                "fsync on, synchronous_commit on; throwaway server on the "
                                "same machine)")
            elif backend != "sqlite":
                parser.error(f"unknown backend {backend!r}")
            database_pid = postmaster_pid(pg) if pg else None
            try:
                for n, workers in enumerate(worker_counts):
                    name = f"{backend}-{workers}"
                    db = (f"sqlite:///{work / (name + '.db')}" if pg is None
                          else pg.create_database(name.replace("-", "_")))
                    init_ledger(db)
                    write_tokens(db, tokens, args.members, f"bench-{n}")
                    setups.append(measure(backend, db, workers, load, rates,
                                          args.saturation_rate, args.duration, database_pid,
                                          args.repeat))
                if not args.no_kill:
                    workers = worker_counts[-1]
                    db = (f"sqlite:///{work / 'recovery.db'}" if pg is None
                          else pg.create_database("recovery"))
                    init_ledger(db)
                    write_tokens(db, tokens, args.members, "recovery")
                    print(f"  {backend}: kill -9 mid-load, restart …", flush=True)
                    recoveries.append(recover(backend, db, workers, load, args.kill_rate,
                                              database_pid))
            finally:
                if pg is not None:
                    pg.stop()

    notes = [
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} CPU cores "
        f"({platform.machine()}, Python {platform.python_version()}), on loopback; wrk2 "
        f"({args.threads} threads, {args.connections} connections) and, for PostgreSQL, the "
        "database server share those cores with the service.",
        "Runs at one rate are bimodal on this machine: now and then a whole run has "
        "latencies several times higher than the runs before and after it (p50 ~20–60 ms "
        "instead of ~5 ms at 1,000/s), with less CPU used, not more. The same happens "
        "against the same app with a stub ledger that answers at once (no database, no "
        "committer thread), so it lies between wrk2, the event loop and the kernel of this "
        "shared VM rather than in the ledger; it is more frequent with one wrk2 thread and "
        "256 connections. Hence the repeats, all reported.",
        f"Load average before the runs: {load_before} (the machine is shared: other work on "
        "it slows these figures down and widens their spread).",
        f"Each run lasts {args.duration:g} s; latencies (from the intended send time, "
        "HdrHistogram) cover its last "
        f"{max(args.duration - 10, 0):g} s, acknowledged/s the whole run. "
        f"Changes rotate through {args.members:,} members.",
        "Every change is a JWT check and an append to the log (its leaf and tree nodes; the "
        "tree head signed within an append about once a second) through the group "
        "committer (one write transaction per batch; acknowledged after its commit).",
        "errors: non-2xx answers plus connect/read/write errors (wrk2's timeout counter, "
        "requests still open at a check, is not counted).",
        "server CPU: user + system CPU of the service's processes per acknowledged change; "
        "database CPU: the PostgreSQL server's.",
        *versions,
    ]
    version = subprocess.run([wrk2, "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    notes.insert(1, f"Load generator: {version.strip() or 'wrk2'} (wrk2, built from source).")
    command = "python benchmarks/service_load.py " + " ".join(
        a for a in sys.argv[1:] if not a.startswith("--wrk2") and a != wrk2)
    section = markdown(setups, recoveries, notes, command.strip())
    print()
    print(section)
    if not args.no_write:
        write_section(args.output, section)
        print(f"written to {args.output}")


if __name__ == "__main__":
    main()
