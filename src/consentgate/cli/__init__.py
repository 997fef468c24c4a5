"""The `consentgate` command line."""

from __future__ import annotations

import typer

from consentgate import __version__
from consentgate.cli import policy_cmd
from consentgate.cli.demo_cmd import app as demo_app
from consentgate.cli.explain_cmd import explain
from consentgate.cli.snapshot_cmd import build, verify

app = typer.Typer(
    name="consentgate",
    help="Member data into AI training snapshots, letting through only what members allow.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(policy_cmd.app, name="policy")
app.add_typer(demo_app, name="demo")
app.command()(explain)
app.command()(build)
app.command()(verify)


def _version(value: bool) -> None:
    if value:
        print(f"consentgate {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """consentgate: policy, eligibility, snapshots, consent ledger."""


def main() -> None:
    app()
