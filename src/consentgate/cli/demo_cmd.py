"""`consentgate demo`: the embedded synthetic network, and the end-to-end demo run."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from consentgate.cli.common import UsageError, clear_errors, console, parse_as_of, say, warn

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


DEMO_OPT_OUT_AT = "2026-02-01T09:30:00Z"  # the demo member turns the setting off
DEMO_LATER = "2026-03-01T00:00:00Z"  # the second snapshot, and the withdrawals' T2


@app.command()
def run(
    out: Annotated[Path, typer.Option(help="Folder for the demo (network, snapshots, ledger).")],
    members: Annotated[int, typer.Option(min=50, help="Members in the generated network.")] = 2000,
    as_of: Annotated[str, typer.Option(help="The first snapshot's instant T.")] = DEMO_AS_OF,
    later: Annotated[str, typer.Option(help="The second snapshot's instant, after the "
                                       "opt-out.")] = DEMO_LATER,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
) -> None:
    """The whole job on the embedded default: generate a network, validate the policy,
    explain members of different cases, build a snapshot from the consent ledger and
    verify it; register a training run on it; let a member opt out; build a second
    snapshot; answer that member's "was my data used?"; list the first snapshot's
    withdrawals and purge it."""
    from consentgate.cli.policy_cmd import validate
    from consentgate.policy import load_policy
    from consentgate.synth import generate as run_generate

    with clear_errors():
        t1, t2 = parse_as_of(as_of), parse_as_of(later)
        if t2 <= t1:
            raise UsageError("--later must come after --as-of")
        if out.exists() and any(out.iterdir()):
            raise FileExistsError(f"{out} is not empty: choose a new folder for the demo")
        network = out / "network"
        # one database holds the consent ledger and the registry, as a platform may run it
        db = f"sqlite:///{(out / 'consentgate.db').resolve()}"

        console.rule("[bold]1. Generate a synthetic professional network")
        stats = run_generate(network, members=members, seed=seed)
        _print_counts(network, stats.counts)

        console.rule("[bold]2. Validate the policy")
        validate("linkedin-2025")
        policy = load_policy("linkedin-2025")

        console.rule(f"[bold]3. Explain members of different cases, as of {t1:%Y-%m-%d %H:%M} UTC")
        _explain_cases(out, network, policy, t1)

        console.rule("[bold]4. Load the members' choices into the consent ledger")
        log_key = out / "ledger-signing.key"
        _load_ledger(db, network, policy, log_key)

        console.rule("[bold]5. Build the training snapshot from the ledger, and register it")
        key_file = out / "pseudonym.key"
        key_file.write_text(DEMO_KEY_HEX + "\n")
        say(f"pseudonym key: {key_file} — a public demo key, so that every run gives the same "
            "snapshot id; never use it for real data")
        s1 = _build(network, policy, t1, out / "snapshot", db, key_file)

        console.rule("[bold]6. Verify it independently (reference evaluator)")
        _verify(s1, network, policy, db)

        console.rule("[bold]7. A training team records a run on it")
        run_id = _training_run(db, s1)

        console.rule("[bold]8. A member whose data is in it turns the setting off")
        member = _opt_out(db, network, s1, policy, t1, parse_as_of(DEMO_OPT_OUT_AT), log_key,
                          out / "receipt-opt-out.json")

        console.rule(f"[bold]9. A second snapshot, as of {t2:%Y-%m-%d}")
        s2 = _build(network, policy, t2, out / "snapshot-2", db, key_file)

        console.rule(f"[bold]10. Was {member}'s data used?")
        _usage(db, member)

        console.rule("[bold]11. What the first snapshot must give up: its withdrawal list")
        withdrawals = _withdrawals(s1, network, db, t2, out / "withdrawals-snapshot-1.parquet")

        console.rule("[bold]12. Purge the first snapshot: the same, less those records")
        purged = _purge(s1, network, db, t2, out / "snapshot-1-purged", policy)
    console.rule("[bold]Done")
    say(f"snapshot:        {s1}", soft=True)
    say(f"report:          {s1 / 'report.html'}  (open it in a browser)", soft=True)
    say(f"second snapshot: {s2}", soft=True)
    say(f"purged snapshot: {purged} (supersedes the first)", soft=True)
    say(f"withdrawals:     {withdrawals}", soft=True)
    say(f"ledger+registry: {db} (training run {run_id})", soft=True)
    say(f"the member's page: consentgate serve --db {out / 'consentgate.db'} --source "
        f"{network} --registry {out / 'consentgate.db'} --demo", soft=True)
    print(s1)


def _explain_cases(out: Path, network: Path, policy, t1) -> None:  # type: ignore[no-untyped-def]
    from consentgate.cli.explain_cmd import show_explanation
    from consentgate.contract import open_source
    from consentgate.engine import bind_inputs, connect, member_decisions

    source = open_source(network)
    engine = connect("duckdb", out / ".work")
    try:
        decided = member_decisions(bind_inputs(engine, source), policy, t1).to_pyarrow()
    finally:
        engine.close()
        shutil.rmtree(out / ".work", ignore_errors=True)
    first: dict[str, str] = {}
    for row in sorted(decided.to_pylist(), key=lambda r: r["member_id"]):
        first.setdefault(row["member_reason"], row["member_id"])
    for case in DEMO_CASES:
        if case in first:
            show_explanation(source, policy, t1, first[case], max_records=6)


def _load_ledger(db: str, network: Path, policy, log_key: Path) -> None:  # type: ignore[no-untyped-def]
    from consentgate.ledger import Ledger, init_ledger
    from consentgate.ledger.exchange import import_file
    from consentgate.ledger.signing import new_key_file

    init_ledger(db)
    key = new_key_file(log_key)
    with Ledger(db) as ledger:
        result = import_file(ledger, network, policy)
        head = ledger.sign_head(key)
    say(f"{len(result.added):,} preference events recorded, each with a receipt; the log's "
        f"tree of {head.tree_size:,} events, root {head.root_hash[:16]}…, signed with key "
        f"{key.key_id} ({log_key})")


def _build(network: Path, policy, as_of, out: Path, db: str, key_file: Path) -> Path:  # type: ignore[no-untyped-def]
    from consentgate.cli.snapshot_cmd import summary_table
    from consentgate.snapshot import BuildOptions, build_snapshot

    result = build_snapshot(
        BuildOptions(source=network, policy=policy, as_of=as_of, out=out, key_file=key_file,
                     consent=db, registry=db),
        progress=lambda msg: console.print(f"[dim]·[/] {escape(msg)}"),
    )
    for message in result.warnings:
        warn(message)
    console.print(summary_table(result.report))
    say(f"built in {result.seconds:.1f}s, registered in {db}")
    return out


def _verify(snapshot: Path, network: Path, policy, db: str) -> None:  # type: ignore[no-untyped-def]
    from consentgate.snapshot import verify_snapshot

    check = verify_snapshot(snapshot, network, policy, consent=db)
    if not check.ok:
        for v in check.violations:
            say(f"  {v}")
        raise typer.Exit(1)
    console.print(
        f"[green]clean[/]: {check.checked_records:,} source records re-decided, hashes, "
        "alignment and texts checked"
    )


def _training_run(db: str, snapshot: Path) -> str:
    from consentgate.registry import training_run

    with training_run(db, [snapshot], "assistant-writer", "1.0",
                      params={"purpose": "demo"}) as run:
        say(f"run {run.run_id}: model assistant-writer 1.0 trained on {snapshot.name}")
    return run.run_id


def _opt_out(db: str, network: Path, snapshot: Path, policy, t1, when, log_key: Path,  # type: ignore[no-untyped-def]
             receipt_file: Path) -> str:
    """The first member in the snapshot with no event after T1 turns the setting off."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from consentgate.contract import open_source
    from consentgate.ledger import Ledger, NewEvent

    in_snapshot = pq.read_table(snapshot / "usage" / "members.parquet", columns=["member_id"])
    events = open_source(network, tables=["preference_events"]).read_table("preference_events")
    later = set(events.filter(pc.greater(events["effective_at"], t1))["member_id"].to_pylist())
    member = next(m for m in sorted(set(in_snapshot["member_id"].to_pylist())) if m not in later)
    with Ledger(db) as ledger:
        [event] = ledger.append([NewEvent(
            member_id=member, setting=policy.setting.key, value=False, source="web",
            policy_id=policy.policy.id, policy_version=policy.policy.version,
            notice_version=policy.policy.notice_version, language="fr", jurisdiction="FR",
            effective_at=when,
        )])
    say(f"{member} turned \"{policy.setting.name['en']}\" off on {when:%Y-%m-%d %H:%M} UTC "
        f"(ledger event #{event.seq}, receipt {event.receipt_id})")
    _prove_receipt(db, event, policy, log_key, receipt_file)
    return member


def _prove_receipt(db: str, event, policy, log_key: Path, receipt_file: Path) -> None:  # type: ignore[no-untyped-def]
    """The member's receipt carries the proof that the change is in the log: checked here
    as the member would, offline, with the log's public key."""
    import json

    from consentgate.ledger import Ledger
    from consentgate.ledger.proofs import check_receipt, log_proof
    from consentgate.ledger.receipts import receipt_27560
    from consentgate.ledger.signing import load_signing_key

    key = load_signing_key(log_key)
    with Ledger(db) as ledger:
        receipt = receipt_27560(event, policy, log=log_proof(ledger, event, key))
    receipt_file.write_text(json.dumps(receipt, indent=2, ensure_ascii=False) + "\n")
    check = check_receipt(receipt, {key.key_id: key.public})
    if not check.ok:
        raise typer.Exit(1)
    say(f"receipt {receipt_file.name}: leaf {check.leaf_index} of the log's signed tree of "
        f"{check.tree_size:,} events, inclusion proof checked offline with key {key.key_id} "
        f"(consentgate ledger prove {receipt_file})")


def _usage(db: str, member: str) -> None:
    from consentgate.cli.registry_cmd import print_usage
    from consentgate.registry import member_usage

    print_usage(console, member_usage(db, member, db))


def _withdrawals(snapshot: Path, network: Path, db: str, t2, out: Path) -> Path:  # type: ignore[no-untyped-def]
    from consentgate.snapshot.purge import list_withdrawals

    result = list_withdrawals(snapshot, network, t2, out, consent=db)
    reasons = ", ".join(f"{r} {n:,}" for r, n in result.by_reason.items())
    say(f"{result.rows:,} records of {snapshot} would not be in a build as of "
        f"{t2:%Y-%m-%d}: {reasons or 'none'}")
    say(f"takedown list for every team holding a copy: {out}", soft=True)
    return out


def _purge(snapshot: Path, network: Path, db: str, t2, out: Path, policy) -> Path:  # type: ignore[no-untyped-def]
    from consentgate.snapshot import verify_snapshot
    from consentgate.snapshot.purge import PurgeOptions, purge_snapshot

    result = purge_snapshot(PurgeOptions(snapshot=snapshot, source=network, as_of=t2, out=out,
                                         consent=db, registry=db))
    from consentgate.registry import Registry

    m = result.manifest
    with Registry(db, read_only=True) as reg:
        runs = reg.runs_using(m["supersedes"])
        state = reg.snapshot(m["supersedes"]).state
    kept = (f"{len(runs)} training run(s) used it, so `purge --delete-unused` would delete "
            "its data and keep its manifest, report and lineage for audit" if runs
            else "no training run used it, so `purge --delete-unused` would delete it")
    say(f"{m['snapshot_id']}: {m['counts']['records_used']:,} records kept, "
        f"{result.withdrawn:,} withdrawn; supersedes {m['supersedes']} (now {state} in the "
        f"registry; {kept})")
    check = verify_snapshot(out, network, policy, consent=db)
    if not check.ok:
        for v in check.violations:
            say(f"  {v}")
        raise typer.Exit(1)
    console.print("[green]clean[/]: the purged snapshot's records are allowed at both instants")
    return out
