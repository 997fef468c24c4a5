"""`consentgate demo`: the embedded synthetic network, and the end-to-end demo run."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from consentgate.cli.common import clear_errors, console, parse_as_of, say, warn

app = typer.Typer(
    help="Synthetic professional network for demos, tests and benchmarks.", no_args_is_help=True
)

DEMO_AS_OF = "2026-01-15T00:00:00Z"
# The demo's pseudonym key is public on purpose: the same demo gives the same pseudonyms,
# files and snapshot id on every run and every machine. Never use it for real data.
DEMO_KEY_HEX = hashlib.sha256(b"consentgate demo pseudonym key: public, not secret").hexdigest()
# One member of each case the demo explains, in this order.
DEMO_CASES = (
    "used",
    "opted_out",
    "minor_age",
    "minor_secondary_school",
    "region_not_started",
    "region_unknown",
)


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Folder to write (must not exist or be empty).")],
    members: Annotated[
        int, typer.Option(min=1, help="Number of members (~50 records each).")
    ] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same files.")] = 0,
) -> None:
    """Generate a realistic multilingual network in the data contract's layout."""
    from consentgate.synth import generate as run_generate

    with clear_errors():
        stats = run_generate(out, members=members, seed=seed)
    _print_counts(out, stats.counts)
    print(out)


def _print_counts(out: Path, counts: dict[str, int]) -> None:
    table = Table(title=f"Generated network in {out}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in counts.items():
        table.add_row(name, f"{n:,}")
    console.print(table)


@app.command()
def run(
    out: Annotated[Path, typer.Option(help="Folder for the demo (network, snapshot, key).")],
    members: Annotated[int, typer.Option(min=50, help="Members in the generated network.")] = 2000,
    as_of: Annotated[str, typer.Option(help="The snapshot instant T.")] = DEMO_AS_OF,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
) -> None:
    """The whole job on the embedded default: generate a network, validate the policy,
    explain members of different cases, build a snapshot, verify it."""
    from consentgate.cli.explain_cmd import show_explanation
    from consentgate.cli.policy_cmd import validate
    from consentgate.cli.snapshot_cmd import summary_table
    from consentgate.contract import open_source
    from consentgate.engine import bind_inputs, connect, member_decisions
    from consentgate.policy import load_policy
    from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
    from consentgate.synth import generate as run_generate

    with clear_errors():
        t = parse_as_of(as_of)
        if out.exists() and any(out.iterdir()):
            raise FileExistsError(f"{out} is not empty: choose a new folder for the demo")
        network, snapshot, key_file = out / "network", out / "snapshot", out / "pseudonym.key"

        console.rule("[bold]1. Generate a synthetic professional network")
        stats = run_generate(network, members=members, seed=seed)
        _print_counts(network, stats.counts)

        console.rule("[bold]2. Validate the policy")
        validate("linkedin-2025")
        policy = load_policy("linkedin-2025")

        console.rule(f"[bold]3. Explain members of different cases, as of {t:%Y-%m-%d %H:%M} UTC")
        source = open_source(network)
        engine = connect("duckdb", out / ".work")
        try:
            decided = member_decisions(bind_inputs(engine, source), policy, t).to_pyarrow()
        finally:
            engine.close()
        first: dict[str, str] = {}
        for row in sorted(decided.to_pylist(), key=lambda r: r["member_id"]):
            first.setdefault(row["member_reason"], row["member_id"])
        for case in DEMO_CASES:
            if case in first:
                show_explanation(source, policy, t, first[case], max_records=6)

        console.rule("[bold]4. Build the training snapshot")
        key_file.write_text(DEMO_KEY_HEX + "\n")
        say(f"pseudonym key: {key_file} — a public demo key, so that every run gives the same "
            "snapshot id; never use it for real data")
        result = build_snapshot(
            BuildOptions(source=network, policy=policy, as_of=t, out=snapshot, key_file=key_file),
            progress=lambda msg: console.print(f"[dim]·[/] {escape(msg)}"),
        )
        console.print(summary_table(result.report))
        for message in result.warnings:
            warn(message)
        say(f"built in {result.seconds:.1f}s · snapshot id {result.manifest['snapshot_id']}")

        console.rule("[bold]5. Verify it independently (reference evaluator)")
        check = verify_snapshot(snapshot, network, policy)
    if not check.ok:
        for v in check.violations:
            say(f"  {v}")
        raise typer.Exit(1)
    console.print(
        f"[green]clean[/]: {check.checked_records:,} source records re-decided, hashes, "
        "alignment and texts checked"
    )
    console.rule("[bold]Done")
    say(f"snapshot: {snapshot}")
    say(f"report:   {snapshot / 'report.html'}  (open it in a browser)")
    say(f"manifest: {snapshot / 'manifest.json'}")
    print(snapshot)
