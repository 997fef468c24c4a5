"""`consentgate withdrawals` and `consentgate purge`: what a later build would no longer
include of a snapshot, as a takedown list or as a purged snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from consentgate.cli.common import clear_errors, console, parse_as_of, say, warn
from consentgate.policy import load_policy

SnapshotArg = Annotated[
    str, typer.Argument(help="The snapshot: its folder, or its id when --registry is given.")
]
SourceOpt = Annotated[Path, typer.Option(
    help="The platform's data today (a folder of Parquet files or Delta tables, a DuckDB file "
    "or an Iceberg .toml file).")]
AsOfOpt = Annotated[str, typer.Option(help="T2: the instant to decide again at (ISO 8601).")]
ConsentOpt = Annotated[
    str | None,
    typer.Option(help="Consent from another source (path) or a ledger (database URL)."),
]
PolicyOpt = Annotated[
    str | None,
    typer.Option(help="Policy name or file (default: the snapshot's own, unchanged)."),
]
EngineOpt = Annotated[str, typer.Option(help="duckdb (embedded) or spark.")]
RegistryOpt = Annotated[
    str | None, typer.Option(help="The registry (SQLite file or database URL).")
]


def resolve_snapshot(ref: str, registry: str | None) -> Path:
    """A snapshot folder from a folder path, or from an id looked up in the registry."""
    path = Path(ref)
    if path.is_dir() or registry is None:
        return path
    from consentgate.registry import Registry

    with Registry(registry, read_only=True) as reg:
        entry = reg.snapshot(ref)
    return Path(entry.location)


def _reasons(by_reason: dict[str, int], title: str) -> Table:
    table = Table(title=title)
    table.add_column("reason", overflow="fold")
    table.add_column("records", justify="right", no_wrap=True)
    for reason, n in by_reason.items():
        table.add_row(escape(reason), f"{n:,}")
    return table


def withdrawals(
    snapshot: SnapshotArg,
    source: SourceOpt,
    as_of: AsOfOpt,
    out: Annotated[Path, typer.Option(help="The list to write (Parquet; must not exist).")],
    consent: ConsentOpt = None,
    policy: PolicyOpt = None,
    engine: EngineOpt = "duckdb",
    registry: RegistryOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the file.")] = False,
) -> None:
    """List every record of SNAPSHOT that a build at T2 would no longer include
    (record_uid, reason): a takedown list for every team holding a copy of it. The last
    line printed is the list's path."""
    from consentgate.snapshot.purge import list_withdrawals

    with clear_errors():
        folder = resolve_snapshot(snapshot, registry)
        result = list_withdrawals(
            folder, source, parse_as_of(as_of), out,
            policy=load_policy(policy) if policy else None, consent=consent, engine=engine,
        )
    if not quiet:
        say(f"snapshot {result.snapshot_id}", soft=True)
        console.print(_reasons(result.by_reason, "Records withdrawn, by reason"))
        say(f"{result.rows:,} record(s) withdrawn as of {as_of}, in {result.seconds:.1f}s")
    print(result.out)


def purge(
    snapshot: SnapshotArg,
    source: SourceOpt,
    as_of: AsOfOpt,
    out: Annotated[Path, typer.Option(help="The purged snapshot's folder (must not exist).")],
    consent: ConsentOpt = None,
    policy: PolicyOpt = None,
    engine: EngineOpt = "duckdb",
    registry: RegistryOpt = None,
    delete_unused: Annotated[bool, typer.Option(
        "--delete-unused",
        help="Then retire SNAPSHOT: deleted outright if no training run used it; if one "
        "did, its data is deleted and its manifest, report and lineage kept for audit "
        "(needs --registry).")] = False,
    memory_limit: Annotated[
        str | None, typer.Option(help="DuckDB memory limit (default 512MB).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the folder.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Spark: show the JVM's log lines.")
    ] = False,
) -> None:
    """Publish SNAPSHOT less every record a build at T2 would no longer include (atomic,
    like a build). Its manifest names the snapshot it supersedes and T2; the registry marks
    the old one superseded. The last line printed is the new snapshot's folder."""
    from consentgate.snapshot.purge import PurgeOptions, purge_snapshot

    with clear_errors():
        folder = resolve_snapshot(snapshot, registry)
        result = purge_snapshot(PurgeOptions(
            snapshot=folder, source=source, as_of=parse_as_of(as_of), out=out,
            policy=load_policy(policy) if policy else None, consent=consent, engine=engine,
            registry=registry, delete_unused=delete_unused, memory_limit=memory_limit,
            verbose=verbose,
        ))
    if not quiet:
        m = result.manifest
        say(f"purged {m['supersedes']}", soft=True)
        console.print(_reasons(result.by_reason, "Records withdrawn, by reason"))
        say(f"{m['snapshot_id']}: {m['counts']['records_used']:,} records kept, "
            f"{result.withdrawn:,} withdrawn, in {result.seconds:.1f}s")
        if result.retired == "deleted":
            say(f"{folder}: no training run used it, so it was deleted")
        elif result.retired == "data_deleted":
            warn(f"{folder}: a training run used it: its data was deleted, its manifest, "
                 "report and lineage kept for audit")
    print(result.out)
