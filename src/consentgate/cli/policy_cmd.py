"""`consentgate policy show | validate | diff`: the policy as a privacy officer reads it."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from consentgate.cli.common import clear_errors, console
from consentgate.policy import DEFAULT_POLICY, Policy, load_policy, shipped_policies
from consentgate.policy.diff import diff_policies

app = typer.Typer(help="Read, check and compare policies.", no_args_is_help=True)

PolicyArg = Annotated[
    str, typer.Argument(help="A shipped policy name (e.g. linkedin-2025) or a path to a TOML file.")
]


def render_policy(policy: Policy) -> None:
    info = policy.policy
    console.rule(f"[bold]{info.id}[/] v{info.version}")
    console.print(f"[bold]{info.title}[/]")
    console.print(" ".join(info.description.split()), highlight=False)
    console.print(
        f"purpose (fideslang data use): [cyan]{info.data_use}[/]   legal basis: {info.legal_basis}"
        f"   notice: {info.notice_version}"
    )
    console.print(f"sha256: {policy.sha256}   file: {policy.origin}", style="dim")
    s = policy.setting
    console.print()
    console.print(
        f"[bold]Setting[/] {s.key}: on by default = {s.default}, retroactive = {s.retroactive}"
    )
    for lang in sorted(s.name):
        console.print(
            f'  \\[{lang}] {" → ".join(s.path.get(lang, []))}  ·  "{s.toggle.get(lang, "")}"',
            highlight=False,
        )

    regions = Table(title="Regions (the member's country decides; no known country: never used)")
    for col in ("region", "training from", "default", "countries"):
        regions.add_column(col)
    for r in policy.regions:
        countries = "every other ISO country" if r.rest_of_world else " ".join(r.countries)
        regions.add_row(
            f"{r.id}\n[dim]{r.name}[/]",
            r.training_start.isoformat(),
            "on" if policy.region_default(r) else "off",
            countries,
        )
    console.print(regions)

    kinds = Table(title="Record kinds")
    for col in ("kind", "used", "category (fideslang)", "visibility allowed", "note"):
        kinds.add_column(col)
    for name, rule in sorted(policy.kinds.items(), key=lambda kv: (not kv[1].used, kv[0])):
        used = "[green]used[/]" if rule.used else "[red]never[/]"
        vis = ", ".join(rule.visibility) + (" · non-sensitive group" if rule.group else "")
        kinds.add_row(name, used, rule.category, vis, rule.note or "")
    console.print(kinds)

    m, g, lb = policy.minors, policy.groups, policy.lookback
    console.print(
        f"[bold]Minors[/]: under {m.adult_age} by birth date"
        + (" or currently in secondary school" if m.secondary_school_means_minor else "")
        + " → never used, even if the setting is on"
    )
    console.print(
        f"[bold]Groups[/]: sensitive groups excluded = {g.exclude_sensitive}; "
        f"a group missing from the groups table counts as sensitive = {g.missing_group_is_sensitive}"
    )
    if lb.since or lb.max_age_days:
        console.print(f"[bold]Look-back[/]: since {lb.since} / at most {lb.max_age_days} days")
    else:
        console.print("[bold]Look-back[/]: none")
    console.print(
        f"[bold]Redaction[/]: {', '.join(policy.redaction.classes)}; "
        f"author pseudonymised = {policy.redaction.pseudonymize_author}"
    )
    if policy.taxonomy_extensions:
        console.print(
            "[bold]Taxonomy extensions[/]: "
            + ", ".join(f"{e.fides_key} (< {e.parent_key})" for e in policy.taxonomy_extensions)
        )


@app.command()
def show(
    policy: PolicyArg = DEFAULT_POLICY,
    as_json: Annotated[bool, typer.Option("--json", help="Print the policy as JSON.")] = False,
) -> None:
    """Show a policy: setting, regions, kinds, minors, groups, look-back, redaction."""
    with clear_errors():
        p = load_policy(policy)
    if as_json:
        print(json.dumps(p.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        render_policy(p)


@app.command()
def validate(file: PolicyArg) -> None:
    """Validate a policy file (syntax, fields, fideslang categories). Exit 0 when valid."""
    with clear_errors():
        p = load_policy(file)
    console.print(
        f"[green]valid[/]: {p.id} v{p.policy.version}, {len(p.regions)} regions, "
        f"{len(p.used_kinds())} kinds used, {len(p.never_used_kinds())} never used, "
        f"sha256 {p.sha256}"
    )


@app.command("list")
def list_() -> None:
    """List the policies shipped with consentgate."""
    for name in shipped_policies():
        console.print(name)


@app.command()
def diff(a: PolicyArg, b: PolicyArg) -> None:
    """What changed from policy A to policy B; lines marked + let more data be used."""
    with clear_errors():
        pa_, pb = load_policy(a), load_policy(b)
    changes = diff_policies(pa_, pb)
    if not changes:
        console.print("no difference in rules")
        return
    table = Table(title=f"{pa_.id} v{pa_.policy.version} → {pb.id} v{pb.policy.version}")
    for col in ("", "area", "change"):
        table.add_column(col)
    for c in changes:
        mark = {True: "[red]+ more data[/]", False: "[green]- less data[/]", None: ""}[c.widens]
        table.add_row(mark, c.area, c.describe())
    console.print(table)
