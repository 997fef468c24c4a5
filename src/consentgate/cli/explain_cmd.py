"""`consentgate explain`: why a member, and each of their records, is in or out at T."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from consentgate.cli.common import (
    UsageError,
    clear_errors,
    console,
    on_off,
    parse_as_of,
    say,
    yes_no,
)
from consentgate.contract.schema import ERASURE_SETTING
from consentgate.contract.source import Source, open_source
from consentgate.eligibility.from_source import records_of, reference_for
from consentgate.eligibility.reasons import DESCRIPTIONS
from consentgate.policy import DEFAULT_POLICY, Policy, load_policy


def explain(
    source: Annotated[
        Path,
        typer.Option(help="Source: a folder of Parquet files or of Delta tables, a DuckDB "
                     "file, or an Iceberg .toml file (docs/lakehouse.md)."),
    ],
    member: Annotated[str, typer.Option(help="The member id to explain.")],
    as_of: Annotated[str, typer.Option(help="The instant T (ISO 8601, UTC when no offset).")],
    policy: Annotated[str, typer.Option(help="Policy name or file.")] = DEFAULT_POLICY,
    consent: Annotated[
        str | None,
        typer.Option(help="Consent from another source (path) or a ledger (database URL); "
                     "default: SOURCE's preference_events."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    purpose: Annotated[
        str | None,
        typer.Option(help="The setting (purpose) to explain for, by key (default: the "
                     "policy's first setting)."),
    ] = None,
) -> None:
    """Explain why a member and each of their records is in or out of a snapshot as of T."""
    import shutil
    import tempfile

    from consentgate.snapshot.consent import open_consent

    folder = Path(tempfile.mkdtemp(prefix="cg-explain-"))
    try:
        with clear_errors():
            t = parse_as_of(as_of)
            pol = load_policy(policy)
            src = open_source(source)
            pol.setting_for(purpose)  # an unknown purpose: a clear error
            consent_src, _info = open_consent(consent, t, folder / "events")
        show_explanation(src, pol, t, member, consent_src, as_json=as_json, purpose=purpose)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def show_explanation(
    src: Source,
    pol: Policy,
    t: dt.datetime,
    member: str,
    consent_src: Source | None = None,
    as_json: bool = False,
    max_records: int | None = None,
    purpose: str | None = None,
) -> None:
    """Print the explanation of one member (used by `explain` and the demo)."""
    with clear_errors():
        ref = reference_for(pol, src, t, consent_src, member_ids=[member], purpose=purpose)
        decision = ref.member(member)
        if decision is None:
            raise UsageError(f"no member {member!r} in {src.path}")
        records = records_of(src, member)
    m = ref.members[member]
    events = sorted(
        ref.events.get(member, []),
        key=lambda e: (e.effective_at is None, e.effective_at or t),
    )
    record_decisions = [
        (r, ref.record(r))
        for r in sorted(records, key=lambda r: (r.created_at is None, r.created_at or t,
                                                r.record_id))
    ]

    key = pol.setting_for(purpose).key

    def counts_at_t(e) -> bool:  # type: ignore[no-untyped-def]
        return e.effective_at is not None and e.effective_at <= t and (
            e.setting in (key, ERASURE_SETTING)
        )

    if as_json:
        print(
            json.dumps(
                {
                    "member_id": member,
                    "as_of": t.isoformat(),
                    "policy": {"id": pol.id, "sha256": pol.sha256},
                    "purpose": key,
                    "eligible": decision.eligible,
                    "reasons": [str(r) for r in decision.reasons],
                    "details": list(decision.details),
                    "member": {
                        "country": m.country,
                        "region": decision.region,
                        "birth_date": m.birth_date.isoformat() if m.birth_date else None,
                        "joined_at": _iso(m.joined_at),
                        "deleted_at": _iso(m.deleted_at),
                        "language": m.language,
                    },
                    "region": decision.region,
                    "setting": decision.setting,
                    "setting_word": on_off(decision.setting),
                    "setting_source": decision.setting_source,
                    "preference_history": [
                        {
                            "effective_at": _iso(e.effective_at),
                            "setting": e.setting,
                            "value": e.value,
                            "source": e.source,
                            "counts_at_as_of": counts_at_t(e),
                        }
                        for e in events
                    ],
                    "records": [
                        {
                            "record_id": r.record_id,
                            "kind": r.kind,
                            "visibility": r.visibility,
                            "created_at": _iso(r.created_at),
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
    console.rule(f"member {escape(member)} as of {t.isoformat()} — {verdict}")
    joined = f"{m.joined_at:%Y-%m-%d}" if m.joined_at else "(unknown)"
    say(
        f"country {m.country if m.country is not None else '(none)'!s} → region "
        f"{decision.region or '(none)'}; born {m.birth_date or '(unknown)'}; joined {joined}"
        + (f"; deleted {m.deleted_at:%Y-%m-%d %H:%M}" if m.deleted_at else "")
        + f"; language {m.language or '(none)'}"
    )
    console.print(
        f"setting {escape(key)} at T: [bold]{on_off(decision.setting)}[/] "
        f"(from {escape(decision.setting_source)})",
        highlight=False,
    )
    for reason in decision.reasons:
        console.print(f"  [red]✗ {escape(str(reason))}[/]: {escape(DESCRIPTIONS[reason])}",
                      highlight=False)
    for detail in decision.details:
        say(f"    · {detail}")
    if decision.eligible:
        console.print("  [green]✓ eligible[/]: every member rule holds")

    if events:
        history = Table(title="Preference history")
        history.add_column("effective at", overflow="fold")
        history.add_column("setting", overflow="fold")
        history.add_column("value", no_wrap=True)
        history.add_column("source", overflow="fold")
        history.add_column("counts at T", no_wrap=True)
        for e in events:
            value = ("erasure requested" if e.setting == ERASURE_SETTING and e.value is not False
                     else on_off(e.value))
            history.add_row(
                e.effective_at.isoformat() if e.effective_at else "(missing)",
                escape(e.setting or "(none)"),
                value,
                escape(e.source or ""),
                yes_no(counts_at_t(e)),
            )
        console.print(history)

    table = Table(
        title=f"Records ({sum(d.used for _, d in record_decisions)} of {len(records)} used)"
    )
    table.add_column("record", overflow="fold")
    table.add_column("kind", overflow="fold")
    table.add_column("visibility", overflow="fold")
    table.add_column("created", no_wrap=True)
    table.add_column("decision", overflow="fold")
    shown = record_decisions if max_records is None else record_decisions[:max_records]
    for r, d in shown:
        why = ("[green]used[/]" if d.used
               else "[red]" + escape(", ".join(map(str, d.reasons))) + "[/]")
        created = f"{r.created_at:%Y-%m-%d}" if r.created_at else "(unknown)"
        table.add_row(escape(r.record_id), escape(str(r.kind)), escape(str(r.visibility)),
                      created, why)
    if len(shown) < len(record_decisions):
        table.add_row("…", f"{len(record_decisions) - len(shown)} more", "", "", "")
    console.print(table)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
