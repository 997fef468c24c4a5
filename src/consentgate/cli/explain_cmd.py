"""`consentgate explain`: why a member, and each of their records, is in or out at T."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from consentgate.cli.common import UsageError, clear_errors, console, parse_as_of
from consentgate.contract.source import Source, open_source
from consentgate.eligibility.from_source import records_of, reference_for
from consentgate.eligibility.reasons import DESCRIPTIONS
from consentgate.policy import DEFAULT_POLICY, Policy, load_policy


def explain(
    source: Annotated[
        Path, typer.Option(help="Source: a folder of Parquet files or a DuckDB file.")
    ],
    member: Annotated[str, typer.Option(help="The member id to explain.")],
    as_of: Annotated[str, typer.Option(help="The instant T (ISO 8601, UTC when no offset).")],
    policy: Annotated[str, typer.Option(help="Policy name or file.")] = DEFAULT_POLICY,
    consent: Annotated[
        Path | None, typer.Option(help="Another source of preference_events (default: SOURCE).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Explain why a member and each of their records is in or out of a snapshot as of T."""
    with clear_errors():
        t = parse_as_of(as_of)
        pol = load_policy(policy)
        src = open_source(source)
        consent_src = open_source(consent, tables=["preference_events"]) if consent else None
    show_explanation(src, pol, t, member, consent_src, as_json=as_json)


def show_explanation(
    src: Source,
    pol: Policy,
    t: dt.datetime,
    member: str,
    consent_src: Source | None = None,
    as_json: bool = False,
    max_records: int | None = None,
) -> None:
    """Print the explanation of one member (used by `explain` and the demo)."""
    with clear_errors():
        ref = reference_for(pol, src, t, consent_src, member_ids=[member])
        decision = ref.member(member)
        if decision is None:
            raise UsageError(f"no member {member!r} in {src.path}")
        records = records_of(src, member)
    m = ref.members[member]
    events = sorted(
        ref.events.get(member, []), key=lambda e: (e.effective_at is None, e.effective_at)
    )
    record_decisions = [
        (r, ref.record(r)) for r in sorted(records, key=lambda r: (r.created_at, r.record_id))
    ]

    if as_json:
        print(
            json.dumps(
                {
                    "member_id": member,
                    "as_of": t.isoformat(),
                    "policy": {"id": pol.id, "sha256": pol.sha256},
                    "eligible": decision.eligible,
                    "reasons": [str(r) for r in decision.reasons],
                    "details": list(decision.details),
                    "region": decision.region,
                    "setting": decision.setting,
                    "setting_source": decision.setting_source,
                    "records": [
                        {
                            "record_id": r.record_id,
                            "kind": r.kind,
                            "visibility": r.visibility,
                            "created_at": r.created_at.isoformat(),
                            "used": d.used,
                            "reasons": [str(x) for x in d.reasons],
                            "category": d.category,
                        }
                        for r, d in record_decisions
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return

    verdict = "[bold green]IN[/]" if decision.eligible else "[bold red]OUT[/]"
    console.rule(f"member {member} as of {t.isoformat()} — {verdict}")
    console.print(
        f"country {m.country or '(none)'} → region {decision.region or '(none)'}; "
        f"born {m.birth_date or '(unknown)'}; joined {m.joined_at:%Y-%m-%d}"
        + (f"; deleted {m.deleted_at:%Y-%m-%d %H:%M}" if m.deleted_at else "")
        + f"; language {m.language or '(none)'}",
        highlight=False,
    )
    setting = {True: "on", False: "off", None: "unreadable"}[decision.setting]
    console.print(
        f"setting {pol.setting.key} at T: [bold]{setting}[/] (from {decision.setting_source})"
    )
    for reason in decision.reasons:
        console.print(f"  [red]✗ {reason}[/]: {DESCRIPTIONS[reason]}")
    for detail in decision.details:
        console.print(f"    · {detail}", highlight=False)
    if decision.eligible:
        console.print("  [green]✓ eligible[/]: every member rule holds")

    if events:
        history = Table(title="Preference history")
        for col in ("effective at", "setting", "value", "source", "counts at T"):
            history.add_column(col)
        for e in events:
            counts = (
                e.setting == pol.setting.key and e.effective_at is not None and e.effective_at <= t
            )
            history.add_row(
                e.effective_at.isoformat() if e.effective_at else "(missing)",
                e.setting,
                str(e.value),
                e.source,
                "yes" if counts else "no",
            )
        console.print(history)

    table = Table(
        title=f"Records ({sum(d.used for _, d in record_decisions)} of {len(records)} used)"
    )
    for col in ("record", "kind", "visibility", "created", "decision"):
        table.add_column(col)
    shown = record_decisions if max_records is None else record_decisions[:max_records]
    for r, d in shown:
        why = "[green]used[/]" if d.used else "[red]" + ", ".join(map(str, d.reasons)) + "[/]"
        table.add_row(r.record_id, r.kind, r.visibility, f"{r.created_at:%Y-%m-%d}", why)
    if len(shown) < len(record_decisions):
        table.add_row("…", f"{len(record_decisions) - len(shown)} more", "", "", "")
    console.print(table)
