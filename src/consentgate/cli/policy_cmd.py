"""`consentgate policy show | validate | diff`: the policy as a privacy officer reads it."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from consentgate.cli.common import clear_errors, console, on_off, say, yes_no
from consentgate.policy import DEFAULT_POLICY, Policy, load_policy, shipped_policies
from consentgate.policy.diff import diff_policies
from consentgate.policy.model import Recognizer

app = typer.Typer(help="Read, check and compare policies.", no_args_is_help=True)

PolicyArg = Annotated[
    str, typer.Argument(help="A shipped policy name (e.g. linkedin-2025) or a path to a TOML file.")
]


def render_policy(policy: Policy) -> None:
    """The policy as a privacy officer reads it. Every value is printed literally (a
    visibility list such as ``[public]`` is text, not a style), and long cells wrap."""
    e = escape
    info = policy.policy
    console.rule(f"[bold]{e(info.id)}[/] v{e(info.version)}")
    console.print(f"[bold]{e(info.title)}[/]")
    say(" ".join(info.description.split()))
    console.print(
        f"purpose (fideslang data use): [cyan]{e(info.data_use)}[/]   "
        f"legal basis: {e(info.legal_basis)}   notice: {e(info.notice_version)}",
        highlight=False,
    )
    say(f"sha256: {policy.sha256}   file: {policy.origin}", style="dim", soft=True)
    for i, s in enumerate(policy.settings):
        console.print()
        shown = "every region" if s.regions is None else ", ".join(s.regions)
        notice = (f"; told {s.notice_days} days ahead"
                  + (f" in {', '.join(s.notice_regions)}" if s.notice_regions else "")
                  if s.notice_days is not None else "")
        gpc = f"; GPC opts out in {', '.join(s.gpc_regions)}" if s.gpc_opts_out else ""
        console.print(
            f"[bold]Setting[/] {e(s.key)}{' (primary)' if i == 0 else ''}: "
            f"{e(policy.purpose_of(s))} for {e(s.recipient or '-')} ({e(s.mechanism)}), shown "
            f"in {e(shown)}; {on_off(s.default)} by default{e(notice)}{e(gpc)}; opting out is "
            + ("retroactive" if s.retroactive else "not retroactive (earlier snapshots stay)"),
            highlight=False,
        )
        for lang in sorted(s.name):
            say(f'  [{lang}] {s.name[lang]}: {" → ".join(s.path.get(lang, []))}  ·  '
                f'"{s.toggle.get(lang, "")}"')
        if s.note:
            say(f"  {s.note}", style="dim")

    regions = Table(title="Regions (the member's country decides; no known country: never used)")
    regions.add_column("region", overflow="fold")
    regions.add_column("training from", no_wrap=True)
    regions.add_column("default", no_wrap=True)
    regions.add_column("countries", overflow="fold")
    for r in policy.regions:
        countries = "every other ISO country" if r.rest_of_world else " ".join(r.countries)
        regions.add_row(
            f"{e(r.id)}\n[dim]{e(r.name)}[/]",
            r.training_start.isoformat(),
            on_off(policy.region_default(r)),
            e(countries),
        )
    console.print(regions)

    kinds = Table(title="Record kinds")
    kinds.add_column("kind", overflow="fold")
    kinds.add_column("used", no_wrap=True)
    kinds.add_column("category (fideslang)", overflow="fold")
    kinds.add_column("visibility allowed", overflow="fold")
    kinds.add_column("note", overflow="fold")
    for name, rule in sorted(policy.kinds.items(), key=lambda kv: (not kv[1].used, kv[0])):
        used = "[green]used[/]" if rule.used else "[red]never[/]"
        vis = ", ".join(rule.visibility) + (" · non-sensitive group" if rule.group else "")
        kinds.add_row(e(name), used, e(rule.category), e(vis), e(rule.note or ""))
    console.print(kinds)

    m, g, lb = policy.minors, policy.groups, policy.lookback
    console.print(
        f"[bold]Minors[/]: under {m.adult_age} by birth date"
        + (" or currently in secondary school" if m.secondary_school_means_minor else "")
        + " → never used, even if the setting is on; no birth date and no school: "
        + ("never used" if m.unknown_age == "exclude" else "used if every other rule holds"),
        highlight=False,
    )
    console.print(
        f"[bold]Groups[/]: sensitive groups excluded: {yes_no(g.exclude_sensitive)}; "
        "a group missing from the groups table counts as sensitive: "
        f"{yes_no(g.missing_group_is_sensitive)}; a group of unknown sensitivity counts as "
        "sensitive: yes",
        highlight=False,
    )
    if lb.since or lb.max_age_days:
        parts = []
        if lb.since:
            parts.append(f"nothing created before {lb.since.isoformat()}")
        if lb.max_age_days:
            parts.append(f"nothing older than {lb.max_age_days} days at T")
        console.print(f"[bold]Look-back[/]: {e('; '.join(parts))}", highlight=False)
    else:
        console.print("[bold]Look-back[/]: none (records of any age)")
    console.print(
        f"[bold]Redaction[/]: {e(', '.join(policy.redaction.classes) or 'none')}; "
        f"author pseudonymised: {yes_no(policy.redaction.pseudonymize_author)}",
        highlight=False,
    )
    if policy.redaction.recognizers:
        console.print(recognizer_table(policy))
    if policy.taxonomy_extensions:
        console.print(
            "[bold]Taxonomy extensions[/]: "
            + e(", ".join(f"{x.fides_key} (< {x.parent_key})" for x in policy.taxonomy_extensions)),
            highlight=False,
        )


def cue_rule(r: Recognizer) -> str:
    """A recognizer's cue rule in words: "required before (30 chars): employee, staff"."""
    if not r.cues:
        return "none"
    side = {"before": "before", "after": "after", "either": "before or after"}[r.cue_side]
    need = "required" if r.cue_required else "not required (listed only)"
    return f"{need}, {side} ({r.cue_window} chars): {', '.join(r.cues)}"


def recognizer_table(policy: Policy) -> Table:
    """The policy's extra recognizers, in file order (the first wins where two overlap)."""
    e = escape
    table = Table(title="Extra recognizers (in file order: the first wins where two overlap)")
    table.add_column("name", overflow="fold")
    table.add_column("class", no_wrap=True)
    table.add_column("pattern", overflow="fold")
    table.add_column("validator", overflow="fold")
    table.add_column("cues", overflow="fold")
    for r in policy.redaction.recognizers:
        validator = r.validator or "none"
        if r.regions:
            validator += f" ({' '.join(r.regions)})"
        name = e(r.name) + (f"\n[dim]{e(r.description)}[/]" if r.description else "")
        table.add_row(
            name, f"{e(r.cls)}\n[dim]{e(f'<{r.cls.upper()}>')}[/]", e(r.pattern), e(validator),
            e(cue_rule(r)),
        )
    return table


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
    extra = len(p.redaction.recognizers)
    console.print(
        f"[green]valid[/]: {escape(p.id)} v{escape(p.policy.version)}, {len(p.regions)} "
        f"regions, {len(p.used_kinds())} kinds used, {len(p.never_used_kinds())} never used, "
        + (f"{extra} extra recognizer{'s' if extra != 1 else ''}, " if extra else "")
        + f"sha256 {p.sha256}",
        highlight=False,
        soft_wrap=True,
    )


@app.command("list")
def list_() -> None:
    """List the policies shipped with consentgate."""
    for name in shipped_policies():
        say(name)


@app.command()
def diff(a: PolicyArg, b: PolicyArg) -> None:
    """What changed from policy A to policy B; lines marked + let more data be used."""
    with clear_errors():
        pa_, pb = load_policy(a), load_policy(b)
    changes = diff_policies(pa_, pb)
    if not changes:
        console.print("no difference in rules")
        return
    table = Table(
        title=escape(f"{pa_.id} v{pa_.policy.version} → {pb.id} v{pb.policy.version}"),
        caption="+ more data: the change can let more data through; - less data: it can only "
        "hold data back",
    )
    table.add_column("", no_wrap=True)
    table.add_column("area", no_wrap=True)
    table.add_column("change", overflow="fold")
    for c in changes:
        mark = {True: "[red]+ more data[/]", False: "[green]- less data[/]", None: ""}[c.widens]
        table.add_row(mark, escape(c.area), escape(c.describe()))
    console.print(table)
