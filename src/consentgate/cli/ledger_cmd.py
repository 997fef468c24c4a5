"""`consentgate ledger …`: create, check, export, import, inspect the consent ledger, and
record erasure requests. The ledger itself (SQLAlchemy, Alembic) is loaded when a command
runs; user errors are one ``error:`` line and exit code 2 (``cli.common.clear_errors``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from consentgate.cli.common import clear_errors, parse_as_of

app = typer.Typer(
    help="The consent ledger: a transparency log (RFC 9162 Merkle tree, signed tree heads) "
    "of preference events and erasure requests.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[
    str,
    typer.Option("--db", help="SQLite file path, or a URL (sqlite:///…, postgresql://…)."),
]
PolicyOption = Annotated[
    str, typer.Option("--policy", help="Shipped policy name or policy file.")
]


def _as_of(text: str):  # type: ignore[no-untyped-def]
    with clear_errors():
        return parse_as_of(text)


@app.command()
def init(
    db: DbOption,
    key_file: Annotated[Path | None, typer.Option(
        "--key-file", help="The log's Ed25519 signing key (PEM), made there if the file does "
        "not exist; the first tree head is signed with it.")] = None,
) -> None:
    """Create the ledger (or upgrade it to this version's schema). Safe to run twice."""
    with clear_errors():
        from consentgate.ledger import init_ledger
        from consentgate.ledger.db import normalise_url, redact_url

        init_ledger(db)
        typer.echo(f"ledger ready: {redact_url(normalise_url(db))}")
        if key_file is not None:
            from consentgate.ledger.signing import load_signing_key, new_key_file
            from consentgate.ledger.store import Ledger

            made = not key_file.exists()
            key = new_key_file(key_file) if made else load_signing_key(key_file)
            with Ledger(db) as ledger:
                head = ledger.sign_head(key)
            typer.echo(f"{'new ' if made else ''}signing key {key.key_id} ({key_file}); "
                       f"tree head of {head.tree_size} events signed")


@app.command()
def verify(
    db: DbOption,
    since: Annotated[list[Path] | None, typer.Option(
        "--since", help="A signed tree head kept from earlier (JSON, or a JSON-lines file "
        "of heads): the log must still extend it (consistency proof). Repeatable.")] = None,
    public_key: Annotated[list[Path] | None, typer.Option(
        "--public-key", help="A public key you trust (PEM), repeatable; default: the keys "
        "the ledger itself holds, which proves less.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check the whole log in one consistent read: every event against its leaf hash, the
    tree, the head, every signed tree head; with --since, that the log still extends a head
    kept from earlier. Exit 1 and say where if anything was changed, removed or replaced."""
    with clear_errors():
        from consentgate.cli.log_cmd import read_heads, trusted_keys
        from consentgate.ledger.store import Ledger
        from consentgate.ledger.verify import verify_ledger

        kept = [h for path in since or [] for h in read_heads(path)]
        keys = trusted_keys(public_key)
        with Ledger(db, read_only=True) as ledger:
            report = verify_ledger(ledger, since=kept, trusted_keys=keys)
    if as_json:
        typer.echo(json.dumps({
            "ok": report.ok,
            "events": report.events,
            "log_id": report.log_id,
            "tree_size": report.head_seq,
            "root_hash": report.head_hash,
            "head_seq": report.head_seq,
            "head_hash": report.head_hash,
            "signed_heads": report.signed_heads,
            "keys": report.keys,
            "since": [h.as_json() for h in kept],
            "problems": [p.__dict__ for p in report.problems],
            "truncated": report.truncated,
        }, indent=2))
    elif report.ok:
        typer.echo(f"ok: {report.events} events, tree intact, root {report.head_hash}")
        typer.echo(f"ok: {report.signed_heads} signed tree head(s) checked with "
                   f"{'the keys you gave' if report.keys == 'pinned' else 'the ledger own keys'}")
        for head in kept:
            typer.echo(f"ok: the log extends the kept head of {head.tree_size} events "
                       "(consistency proof)")
        if report.keys != "pinned":
            typer.echo("note: keys read from the ledger itself prove nothing against whoever "
                       "can write it: pass --public-key", err=True)
    else:
        typer.echo(f"TAMPERED: {len(report.problems)} problem(s) in {report.events} events",
                   err=True)
        for problem in report.problems:
            typer.echo(f"  - {problem.message}", err=True)
        if report.truncated:
            typer.echo("  … more problems not shown", err=True)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def export(
    db: DbOption,
    as_of: Annotated[str, typer.Option("--as-of", help="Events effective at or before this "
                                       "instant (ISO 8601; naive means UTC).")],
    out: Annotated[Path, typer.Option("--out", help="Parquet file to write.")],
) -> None:
    """Write the events up to --as-of in the preference_events contract (Parquet), with the
    ledger head hash in the file's metadata."""
    instant = _as_of(as_of)
    with clear_errors():
        from consentgate.ledger.exchange import export_parquet
        from consentgate.ledger.store import Ledger

        with Ledger(db, read_only=True) as ledger:
            result = export_parquet(ledger, instant, out)
    typer.echo(f"{result.rows} events to {result.path}")
    typer.echo(f"head #{result.head_seq} {result.head_hash}")


@app.command("import")
def import_(
    db: DbOption,
    file: Annotated[Path, typer.Argument(help="preference_events Parquet file, or a source "
                                         "folder / DuckDB file holding that table.")],
    policy: PolicyOption = "linkedin-2025",
) -> None:
    """Import preference events (all or nothing; events already present are skipped)."""
    with clear_errors():
        from consentgate.ledger.exchange import import_file
        from consentgate.ledger.store import Ledger
        from consentgate.policy import load_policy

        rules = load_policy(policy)
        with Ledger(db) as ledger:
            result = import_file(ledger, file, rules)
            head = ledger.head()
    typer.echo(f"{len(result.added)} events added, {result.skipped} already in the ledger")
    typer.echo(f"head #{head.seq} {head.hash}")


@app.command()
def show(
    db: DbOption,
    member: Annotated[str, typer.Option("--member", help="Member id.")],
    policy: PolicyOption = "linkedin-2025",
    source: Annotated[Path | None, typer.Option(
        "--source", help="Platform data (folder or DuckDB file): checks that the member "
        "exists and uses their region's default.")] = None,
) -> None:
    """A member's current setting and every change, with receipt ids. Exit 1 when the
    ledger holds no event for the member and --source does not know them either."""
    with clear_errors():
        from consentgate.contract.schema import ERASURE_SETTING
        from consentgate.ledger.chain import format_time
        from consentgate.ledger.store import Ledger
        from consentgate.policy import load_policy

        rules = load_policy(policy)
        key = rules.setting.key
        default, known = rules.setting.default, None
        if source is not None:
            default, known = _member_default(source, member, rules)
        with Ledger(db, read_only=True) as ledger:
            state = ledger.state(member, key, default)
            history = ledger.history(member)
    value = {True: "on", False: "off", None: "conflicting events (treated as off)"}[state.value]
    origin = " (default)" if state.from_default else ""
    typer.echo(f"{key}: {value}{origin}")
    erased = [e for e in history if e.setting == ERASURE_SETTING]
    if erased:
        typer.echo(f"erasure requested: {format_time(erased[-1].effective_at)} "
                   f"(receipt {erased[-1].receipt_id}): never used from then on")
    if not history:
        typer.echo("no events")
    for e in history:
        what = ("erasure requested" if e.setting == ERASURE_SETTING
                else f"{e.setting}={'on' if e.value else 'off'}")
        typer.echo(f"#{e.seq}  {format_time(e.effective_at)}  {what}  source={e.source}  "
                   f"receipt={e.receipt_id}")
    if history or known:
        return
    if known is False:
        typer.echo(f"warning: no member {member!r} in {source} and no event in the ledger: "
                   "check the member id", err=True)
    else:
        typer.echo(f"warning: the ledger holds no event for {member!r}; it cannot tell "
                   "whether this member exists (give --source to check): check the member id",
                   err=True)
    raise typer.Exit(1)


def _member_default(source: Path, member: str, rules) -> tuple[bool, bool]:  # type: ignore[no-untyped-def]
    """(the setting's default for the member's region, whether the source knows them)."""
    from consentgate.contract.source import open_source

    src = open_source(source, tables=("members",))
    quoted = "'" + member.replace("'", "''") + "'"
    rows = src.read_table("members", where=f"member_id = {quoted}").to_pylist()
    if not rows:
        return rules.setting.default, False
    region = rules.region_for(rows[0]["country"])
    return (rules.region_default(region) if region else rules.setting.default), True


@app.command()
def erase(
    db: DbOption,
    member: Annotated[str, typer.Option("--member", help="Member id.")],
    policy: PolicyOption = "linkedin-2025",
    source: Annotated[str, typer.Option(
        "--source", help="Where the request came from (web, api, admin, …).")] = "admin",
) -> None:
    """Record a member's erasure request (GDPR Art. 17) with a receipt: from now on no
    snapshot includes them, and withdrawal lists name their records with reason erasure.
    It cannot be undone. Prints the receipt id on the last line."""
    with clear_errors():
        from consentgate.ledger.chain import format_time
        from consentgate.ledger.store import Ledger
        from consentgate.policy import load_policy

        rules = load_policy(policy)
        with Ledger(db) as ledger:
            event, already = ledger.request_erasure(member, rules, source=source)
    if already:
        typer.echo(f"erasure of {member} was already requested: event #{event.seq} at "
                   f"{format_time(event.effective_at)}; nothing new recorded")
    else:
        typer.echo(f"erasure of {member} recorded: event #{event.seq} at "
                   f"{format_time(event.effective_at)}")
    typer.echo(event.receipt_id)


def _register_log_commands() -> None:
    from consentgate.cli.log_cmd import register

    register(app)


_register_log_commands()
