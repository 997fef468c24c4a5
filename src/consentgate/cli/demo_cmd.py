"""`consentgate demo`: the embedded synthetic network used by the demo, tests and benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from consentgate.cli.common import clear_errors, console

app = typer.Typer(
    help="Synthetic professional network for demos, tests and benchmarks.", no_args_is_help=True
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
    table = Table(title=f"Generated network in {out}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in stats.counts.items():
        table.add_row(name, f"{n:,}")
    console.print(table)
    console.print(f"{sum(stats.counts.values()):,} rows in {stats.seconds:.1f}s")
    print(out)
