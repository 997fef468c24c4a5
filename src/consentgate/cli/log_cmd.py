"""`consentgate ledger sign | head | prove | key …`: the ledger as a transparency log.

Signed tree heads are what an auditor keeps; ``ledger verify --since HEAD`` proves the log
still extends a kept head; ``ledger prove RECEIPT`` checks a receipt's inclusion proof
offline. Registered on the ``ledger`` command group by ``cli.ledger_cmd``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from consentgate.cli.common import clear_errors, fail

if TYPE_CHECKING:
    from consentgate.ledger.signing import TreeHead

key_app = typer.Typer(help="The log's signing keys: new, rotate, list, public.",
                      no_args_is_help=True, pretty_exceptions_enable=False)

DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file path, or a URL (sqlite:///…, postgresql://…).")
]
KeyFileOption = Annotated[
    Path | None,
    typer.Option("--key-file", help="Ed25519 private key (PEM); default "
                 "$CONSENTGATE_LEDGER_KEY_FILE or the PEM in $CONSENTGATE_LEDGER_KEY."),
]
PublicKeyOption = Annotated[
    list[Path] | None,
    typer.Option("--public-key", help="A public key you trust (PEM), repeatable; default: "
                 "the keys the ledger itself holds, which proves less."),
]


def _key(key_file: Path | None):  # type: ignore[no-untyped-def]
    from consentgate.ledger.signing import signing_key_from_env

    key = signing_key_from_env(key_file)
    if key is None:
        fail("no signing key: give --key-file, or set CONSENTGATE_LEDGER_KEY_FILE")
    return key


def read_heads(path: Path) -> list[TreeHead]:
    """Signed heads from a file: one JSON object, or JSON lines (a witness's file)."""
    from consentgate.ledger.errors import LedgerError
    from consentgate.ledger.signing import TreeHead

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LedgerError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise LedgerError(f"{path} is not a text file of signed tree heads") from exc
    try:
        data = json.loads(text)
        items = data if isinstance(data, list) else [data]
    except ValueError:
        try:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError as exc:
            raise LedgerError(f"{path}: not JSON nor JSON lines ({exc})") from exc
    heads = [TreeHead.from_json(item.get("signed_head", item) if isinstance(item, dict)
                                else item) for item in items]
    if not heads:
        raise LedgerError(f"{path} holds no signed tree head")
    return heads


def trusted_keys(paths: list[Path] | None):  # type: ignore[no-untyped-def]
    from consentgate.ledger.signing import load_public_keys

    return load_public_keys(paths) if paths else None


def register(app: typer.Typer) -> None:
    """Add the log's commands to the ``ledger`` group."""

    @app.command()
    def sign(
        db: DbOption,
        key_file: KeyFileOption = None,
        append_to: Annotated[Path | None, typer.Option(
            "--append-to", help="A file of signed heads (JSON lines) to append the head to, "
            "after checking it is consistent with the file's last one.")] = None,
    ) -> None:
        """Sign the log's current size and root (a signed tree head) and print it."""
        with clear_errors():
            from consentgate.ledger.store import Ledger

            key = _key(key_file)
            with Ledger(db) as ledger:
                head = ledger.sign_head(key)
                if append_to is not None:
                    _append_head(ledger, head, append_to)
        typer.echo(json.dumps(head.as_json(), indent=2))

    @app.command()
    def head(
        db: DbOption,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Print the log's size and root now, and its latest signed tree head."""
        with clear_errors():
            from consentgate.ledger.store import Ledger

            with Ledger(db, read_only=True) as ledger, ledger.read() as conn:
                now = ledger.head(conn)
                signed = ledger.latest_tree_head(conn)
        if as_json:
            typer.echo(json.dumps({"log_id": now.log_id, "tree_size": now.seq,
                                   "root_hash": now.hash,
                                   "signed_head": signed.as_json() if signed else None},
                                  indent=2))
            return
        typer.echo(f"log {now.log_id}: {now.seq} events, root {now.hash}")
        if signed is None:
            typer.echo("no signed tree head yet: `consentgate ledger sign --db …`")
        else:
            info = signed.as_json()
            typer.echo(f"latest signed head: {signed.tree_size} events, root "
                       f"{signed.root_hash}, {info['timestamp']}, key {signed.key_id}")

    @app.command()
    def prove(
        receipt: Annotated[Path, typer.Argument(help="A receipt (JSON) from the service.")],
        public_key: PublicKeyOption = None,
        db: Annotated[str | None, typer.Option(
            "--db", help="Also check that the ledger now still extends the receipt's signed "
            "head (a consistency proof).")] = None,
    ) -> None:
        """Check, offline, that the receipt's event is in the log: its leaf, its inclusion
        proof and the signature of the tree head it leads to. Exit 1 if it does not hold."""
        with clear_errors():
            from consentgate.ledger.errors import LedgerError
            from consentgate.ledger.proofs import check_receipt

            try:
                data: Any = json.loads(receipt.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                raise LedgerError(f"{receipt}: not a readable JSON receipt ({exc})") from exc
            result = check_receipt(data, trusted_keys(public_key))
            extends = _extends(db, data, public_key) if db and result.ok else None
        for line in result.checks:
            typer.echo(f"ok: {line}")
        for line in result.warnings:
            typer.echo(f"warning: {line}", err=True)
        if extends is not None:
            for line in extends:
                typer.echo(f"PROBLEM: {line}" if not line.startswith("ok") else line)
        if not result.ok:
            for line in result.problems:
                typer.echo(f"NOT PROVEN: {line}", err=True)
            raise typer.Exit(1)
        if extends and any(not line.startswith("ok") for line in extends):
            raise typer.Exit(1)
        typer.echo(f"proven: receipt's event is leaf {result.leaf_index} of the log's tree of "
                   f"{result.tree_size} events"
                   + (", signed" if result.signed else ", unsigned"))

    app.add_typer(key_app, name="key")


def _extends(db: str, receipt: dict, public_key: list[Path] | None) -> list[str]:
    from consentgate.ledger.signing import TreeHead
    from consentgate.ledger.store import Ledger
    from consentgate.ledger.verify import verify_ledger

    log = receipt.get("log") or (receipt.get("x-consentgate") or {}).get("log") or {}
    if not log.get("signed_head"):
        return ["the receipt's head is not signed: nothing to check against the ledger"]
    kept = TreeHead.from_json(log["signed_head"])
    with Ledger(db, read_only=True) as ledger:
        report = verify_ledger(ledger, since=kept, trusted_keys=trusted_keys(public_key))
    if report.ok:
        return [f"ok: the ledger ({report.head_seq} events) still extends the receipt's "
                f"signed head ({kept.tree_size} events)"]
    return [str(p) for p in report.problems]


def _append_head(ledger: Any, head: TreeHead, path: Path) -> None:
    """A witness's file: a head is appended only if the log still extends the last one."""
    from consentgate.ledger.errors import LedgerError
    from consentgate.ledger.verify import verify_ledger

    if path.exists() and path.stat().st_size:
        last = read_heads(path)[-1]
        if (last.tree_size, last.root_hash) != (head.tree_size, head.root_hash):
            report = verify_ledger(ledger, since=last)
            if not report.ok:
                raise LedgerError(f"{path}: the log no longer extends the last head kept "
                                  f"there ({last.tree_size} events): "
                                  + "; ".join(str(p) for p in report.problems[:3]))
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(head.as_json(), sort_keys=True) + "\n")


@key_app.command("new")
def key_new(
    key_file: Annotated[Path, typer.Option("--key-file", help="Where to write the new key "
                                           "(never overwritten; readable by you only).")],
) -> None:
    """Make an Ed25519 signing key for the log, and print its id and public key."""
    with clear_errors():
        from consentgate.ledger.signing import new_key_file, public_pem

        key = new_key_file(key_file)
    typer.echo(f"key {key.key_id} written to {key_file}")
    typer.echo(public_pem(key.public), nl=False)


@key_app.command("public")
def key_public(key_file: KeyFileOption = None) -> None:
    """Print the public half (PEM) of the signing key, to publish or pin."""
    with clear_errors():
        from consentgate.ledger.signing import public_pem

        typer.echo(public_pem(_key(key_file).public), nl=False)


@key_app.command("rotate")
def key_rotate(
    db: DbOption,
    key_file: Annotated[Path, typer.Option("--key-file", help="The new key (made if the "
                                           "file does not exist).")],
) -> None:
    """Sign with a new key from now on: older keys are retired but kept, so the heads they
    signed still verify. The current head is signed with the new key at once."""
    with clear_errors():
        from consentgate.ledger.signing import load_signing_key, new_key_file
        from consentgate.ledger.store import Ledger

        key = load_signing_key(key_file) if key_file.exists() else new_key_file(key_file)
        with Ledger(db) as ledger:
            head = ledger.rotate_key(key)
    typer.echo(f"now signing with key {key.key_id}; head of {head.tree_size} events signed")


@key_app.command("list")
def key_list(db: DbOption) -> None:
    """The keys the log has signed with, and when each was added and retired."""
    with clear_errors():
        from consentgate.ledger.chain import format_time, from_us
        from consentgate.ledger.store import Ledger

        with Ledger(db, read_only=True) as ledger:
            keys = ledger.keys()
    if not keys:
        typer.echo("no key yet: `consentgate ledger sign --db … --key-file …` registers one")
    for key_id, info in keys.items():
        retired = info["retired_us"]
        state = (f"retired {format_time(from_us(int(retired)))}" if retired is not None  # type: ignore[arg-type]
                 else "current")
        typer.echo(f"{key_id}  added {format_time(from_us(int(info['added_us'])))}  {state}  "  # type: ignore[arg-type]
                   f"ed25519:{info['public_key']}")
