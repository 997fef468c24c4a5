"""The `consentgate` command line."""

from __future__ import annotations

import typer

from consentgate import __version__
from consentgate.cli import policy_cmd
from consentgate.cli.demo_cmd import app as demo_app
from consentgate.cli.explain_cmd import explain
from consentgate.cli.ledger_cmd import app as ledger_app
from consentgate.cli.purge_cmd import purge, withdrawals
from consentgate.cli.redaction_cmd import app as redaction_app
from consentgate.cli.redaction_cmd import redact
from consentgate.cli.registry_cmd import registry_app, runs_app, usage
from consentgate.cli.service_cmd import app as service_app
from consentgate.cli.service_cmd import serve
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
app.command()(withdrawals)
app.command()(purge)
app.add_typer(ledger_app, name="ledger", help="The consent ledger: init, verify, sign, head, prove, key, export, import, show, erase.")
app.command()(serve)
app.add_typer(service_app, name="service", help="The settings service: serve, token.")
app.add_typer(
    registry_app, name="registry",
    help="The registry of snapshots, training runs and models: init, register, show, set-state.",
)
app.add_typer(runs_app, name="runs", help="Training runs: start, finish, list.")
app.command()(usage)
app.command()(redact)
app.add_typer(
    redaction_app, name="redaction",
    help="Redaction measured: eval (recall, precision, neutral lines changed on labelled JSONL).",
)


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
