"""`consentgate build` and `consentgate verify`."""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from consentgate.cli.common import (
    UsageError,
    clear_errors,
    console,
    err_console,
    parse_as_of,
    say,
    warn,
)
from consentgate.policy import DEFAULT_POLICY, load_policy


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    return lambda msg: err_console.print(f"[dim]·[/] {escape(msg)}")


class BuildProgress:
    """The build's progress on a terminal (Rich): one line per stage, and in the data stage
    the records done of the total, with the rate.

    It is the build's ``progress``: called with a message when a stage begins, and
    ``records(done, total)`` as records are written. Use it as a context manager.
    """

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            SpinnerColumn(finished_text="[green]✓[/]"),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console,
        )
        self._task = None
        self._started = 0.0
        self.stage: str | None = None
        self.done = 0
        self.total: int | None = None
        self.rate = 0.0  # records per second in the current stage

    def __enter__(self) -> BuildProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self._finish()
        self._progress.stop()

    def __call__(self, message: str) -> None:
        self._finish()
        self.stage, self.done, self.total, self.rate = message, 0, None, 0.0
        self._started = time.perf_counter()
        self._task = self._progress.add_task(message, total=None, rate="")

    def records(self, done: int, total: int | None) -> None:
        self.done, self.total = done, total
        elapsed = time.perf_counter() - self._started
        self.rate = done / elapsed if elapsed > 0 else 0.0
        if self._task is not None:
            self._progress.update(
                self._task, completed=done, total=total, rate=f"{self.rate:,.0f} records/s"
            )

    def _finish(self) -> None:
        if self._task is None:
            return
        task = self._progress.tasks[-1]
        total = task.total if task.total is not None else max(task.completed, 1)
        self._progress.update(self._task, total=total, completed=total)
        self._task = None


def _build_progress(quiet: bool):
    """A Rich progress display when stderr is a terminal; nothing otherwise or with --quiet."""
    if quiet or not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    return BuildProgress(err_console)


def summary_table(report: dict) -> Table:
    table = Table(title="Snapshot")
    table.add_column("")
    table.add_column("used", justify="right", no_wrap=True)
    table.add_column("total", justify="right", no_wrap=True)
    table.add_row("members", f"{report['members']['used']:,}", f"{report['members']['total']:,}")
    table.add_row("records", f"{report['records']['used']:,}", f"{report['records']['total']:,}")
    reasons = Table(title="Records out, by reason")
    reasons.add_column("reason", overflow="fold")
    reasons.add_column("records", justify="right", no_wrap=True)
    for reason, n in report["records"]["by_reason"].items():
        if reason != "used":
            reasons.add_row(escape(reason), f"{n:,}")
    # the id on a line of its own, never folded into a title; the tables side by side when
    # the terminal is wide enough, one under the other otherwise
    outer = Table.grid(padding=(0, 4))
    outer.add_row(Text(f"snapshot {report['snapshot_id']}", overflow="fold"))
    if purpose := report.get("purpose"):
        outer.add_row(Text(f"purpose {purpose['setting']} ({purpose['data_use']}, recipient "
                           f"{purpose.get('recipient') or '—'})", overflow="fold"))
    if console.width >= 100:
        outer.add_row(table, reasons)
    else:
        outer.add_row(table)
        outer.add_row(reasons)
    return outer


def build(
    source: Annotated[
        Path,
        typer.Option(help="Source: a folder of Parquet files or of Delta tables, a DuckDB "
                     "file, or an Iceberg .toml file (docs/lakehouse.md)."),
    ],
    as_of: Annotated[str, typer.Option(help="The instant T (ISO 8601; UTC when no offset).")],
    out: Annotated[Path, typer.Option(help="Snapshot folder to create (must not exist).")],
    policy: Annotated[str, typer.Option(help="Policy name or file.")] = DEFAULT_POLICY,
    purpose: Annotated[
        str | None,
        typer.Option(help="The setting (purpose) to build for, by key, e.g. "
                     "microsoft_ai_sharing (default: the policy's first setting; "
                     "`consentgate policy show` lists them)."),
    ] = None,
    engine: Annotated[str, typer.Option(help="duckdb (embedded) or spark.")] = "duckdb",
    consent: Annotated[
        str | None,
        typer.Option(help="Consent from another source (path) or a ledger (database URL)."),
    ] = None,
    key_file: Annotated[
        Path | None,
        typer.Option(
            help="Pseudonym key file (default: $CONSENTGATE_PSEUDONYM_KEY "
            "or ~/.config/consentgate/pseudonym.key)."
        ),
    ] = None,
    threads: Annotated[
        int | None, typer.Option(help="Engine threads (default: all cores).")
    ] = None,
    memory_limit: Annotated[
        str | None,
        typer.Option(help="DuckDB memory limit, e.g. 2GB (default 512MB; it spills beyond)."),
    ] = None,
    registry: Annotated[
        str | None,
        typer.Option(help="Register the snapshot in this registry (SQLite file or database URL)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Spark: show the JVM's log lines and progress bars.")
    ] = False,
    spark_master: Annotated[
        str | None,
        typer.Option(
            help="Spark master URL, e.g. spark://HOST:7077 (default: "
            "$CONSENTGATE_SPARK_MASTER, else spark-submit's --master, else local mode)."
        ),
    ] = None,
    since: Annotated[
        Path | None,
        typer.Option(
            help="Incremental build from this previous snapshot: the redacted texts of "
            "records whose text has not changed are reused, the rest is built as in a full "
            "build (the result is the same snapshot). If the previous snapshot was built "
            "with another policy, purpose, pseudonym key or redaction rules, has no text "
            "index, or fails its integrity check, nothing is reused and the output says "
            "why (docs/incremental.md)."
        ),
    ] = None,
) -> None:
    """Build one training snapshot as of T. The last line printed is the snapshot folder."""
    from consentgate.snapshot import BuildOptions, build_snapshot

    with clear_errors():
        if spark_master and engine != "spark":
            raise UsageError("--spark-master needs --engine spark")
        opts = BuildOptions(
            source=source,
            policy=load_policy(policy),
            as_of=parse_as_of(as_of),
            out=out,
            engine=engine,
            consent=consent,
            key_file=key_file,
            threads=threads,
            memory_limit=memory_limit,
            registry=registry,
            verbose=verbose,
            spark_master=spark_master,
            purpose=purpose,
            since=since,
        )
        with _build_progress(quiet) as progress:
            result = build_snapshot(opts, progress=progress)
    for message in result.warnings:
        warn(f"{message} — see the report's data quality section")
    if (entry := result.report.get("incremental")) is not None:
        _say_incremental(entry, quiet)
    if not quiet:
        console.print(summary_table(result.report))
        say(f"built in {result.seconds:.1f}s · report: {result.out / 'report.html'}")
        if registry:
            say(f"registered as {result.manifest['snapshot_id']}")
    print(result.out)


def _say_incremental(entry: dict, quiet: bool = False) -> None:
    """What an incremental build reused, and what changed; why it did a full build is a
    warning even with --quiet (a build asked to be incremental that was not is something to
    know)."""
    since = entry["since"].get("snapshot_id") or entry["since"]["path"]
    texts = entry["texts"]
    if entry["reused"]:
        if quiet:
            return
        say(f"incremental since {since}: {texts['reused']:,} texts reused, "
            f"{texts['redacted']:,} redacted", soft=True)
    else:
        warn(f"incremental since {since}: nothing reused, full build: "
             + "; ".join(entry["refused"]))
    changes = entry.get("changes")
    if changes and not quiet:
        m, r = changes["members"], changes["records"]
        why = ", ".join(f"{k} {v:,}" for k, v in m["out_by_reason"].items())
        text = "" if r["text_changed"] is None else f", {r['text_changed']:,} texts changed"
        say(f"  members: {m['in']:,} in, {m['out']:,} out" + (f" ({why})" if why else "")
            + f"; records: {r['added']:,} added, {r['withdrawn']:,} withdrawn{text}")


def verify(
    snapshot: Annotated[Path, typer.Argument(help="The snapshot folder.")],
    source: Annotated[Path, typer.Option(help="The source the snapshot was built from.")],
    consent: Annotated[
        str | None,
        typer.Option(help="The consent the build used, if not SOURCE: a path or a ledger URL."),
    ] = None,
    policy: Annotated[
        str | None,
        typer.Option(help="Policy name or file (default: the one named in the manifest)."),
    ] = None,
    key_file: Annotated[
        Path | None, typer.Option(help="Also check pseudonyms against this key file.")
    ] = None,
) -> None:
    """Check a snapshot independently: hashes, every record re-decided by the reference
    evaluator, data/lineage alignment, unredacted personal data. Exit 0 when clean."""
    from consentgate.snapshot import manifest_of, verify_snapshot
    from consentgate.snapshot.keys import load_key

    with clear_errors():
        if not (snapshot / "manifest.json").is_file():
            raise FileNotFoundError(f"{snapshot} is not a snapshot (no manifest.json)")
        pol = load_policy(policy or manifest_of(snapshot)["policy"]["id"])
        key = load_key(key_file)[0] if key_file else None
        result = verify_snapshot(snapshot, source, pol, consent, key, progress=_progress(False))
    console.print("checks run:")
    for line in result.checks:
        say(f"  · {line}")
    if result.ok:
        console.print(
            f"[green]clean[/]: {result.checked_records:,} source records re-decided, "
            "hashes, alignment and texts checked"
        )
        return
    console.print(
        f"[bold red]{sum(result.counts.values())} violation(s)[/] in {escape(str(snapshot))}:",
        soft_wrap=True,
    )
    for v in result.violations:
        console.print(f"  {escape(str(v))}", highlight=False, soft_wrap=True)
    for check, n in result.truncated.items():
        console.print(f"  … and {n} more {escape(f'[{check}]')}")
    raise typer.Exit(1)
