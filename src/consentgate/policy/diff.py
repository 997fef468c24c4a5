"""What changed between two policies, in the terms a privacy officer reviews.

Every change is marked: ``widens`` True when it can let more data through (even if it also
holds some back), False when it can only hold data back, None when it changes no decision
(a title, a category name). Regions are compared country by country, on the region each ISO
country falls in under each policy, so that a country moved out of a region — into the rest
of the world, say, which started earlier — is seen for what it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from consentgate.policy.model import Policy, Recognizer, Setting


@dataclass(frozen=True)
class Change:
    area: str  # "setting", "region", "kind", "minors", ...
    subject: str  # what changed, e.g. "kinds.search_query.used"
    before: Any
    after: Any
    widens: bool | None  # True: more data may be used; False: less; None: neutral/unclear

    def describe(self) -> str:
        words = ("on", "off") if self.subject.endswith("default") else ("yes", "no")
        return f"{self.subject}: {_fmt(self.before, words)} -> {_fmt(self.after, words)}"


def _bound_widens(before: Any, after: Any, wider: str) -> bool | None:
    """Whether a change of an optional bound lets more through: ``wider`` is "later" when a
    larger value does (max_age_days), "earlier" when a smaller one does (lookback.since).
    No bound at all lets the most through; None: no change."""
    if before == after:
        return None
    if after is None:
        return True
    if before is None:
        return False
    return after > before if wider == "later" else after < before


def _where(policy: Policy, region) -> str:  # type: ignore[no-untyped-def]
    if region is None:
        return "no region (never used)"
    default = "on" if policy.region_default(region) else "off"
    return f"{region.id} (from {region.training_start.isoformat()}, default {default})"


def _country_moves(a: Policy, b: Policy) -> list[Change]:
    """Countries whose region changes from A to B, grouped by (region in A, region in B)."""
    from iso3166 import countries_by_alpha2

    countries = set(countries_by_alpha2) | set(a.country_regions()) | set(b.country_regions())
    moves: dict[tuple[str | None, str | None], list[str]] = {}
    for c in sorted(countries):
        ra, rb = a.region_for(c), b.region_for(c)
        if (ra and ra.id) != (rb and rb.id):
            moves.setdefault((ra and ra.id, rb and rb.id), []).append(c)
    by_id_a = {r.id: r for r in a.regions}
    by_id_b = {r.id: r for r in b.regions}
    out = []
    for (ia, ib), codes in moves.items():
        ra, rb = by_id_a.get(ia) if ia else None, by_id_b.get(ib) if ib else None
        if rb is None:
            widens: bool | None = False
        elif ra is None:
            widens = True
        else:
            earlier = rb.training_start < ra.training_start
            default_on = b.region_default(rb) and not a.region_default(ra)
            later = rb.training_start > ra.training_start
            default_off = a.region_default(ra) and not b.region_default(rb)
            widens = True if (earlier or default_on) else (False if later or default_off else None)
        shown = ", ".join(codes) if len(codes) <= 12 else f"{', '.join(codes[:12])} and {len(codes) - 12} more"
        out.append(Change("region", f"countries {shown}", _where(a, ra), _where(b, rb), widens))
    return out


def _fmt(v: Any, words: tuple[str, str] = ("yes", "no")) -> str:
    if v is None:
        return "(absent)"
    if isinstance(v, bool):
        return words[0] if v else words[1]
    if isinstance(v, list | tuple | set | frozenset):
        return "[" + ", ".join(map(str, sorted(v))) + "]"
    return str(v)


def diff_policies(a: Policy, b: Policy) -> list[Change]:
    changes: list[Change] = []

    def add(area: str, subject: str, before: Any, after: Any, widens: bool | None) -> None:
        if before != after:
            changes.append(Change(area, subject, before, after, widens))

    for field in ("id", "version", "data_use", "legal_basis", "notice_version"):
        add("policy", f"policy.{field}", getattr(a.policy, field), getattr(b.policy, field), None)
    # another primary key reads other events: every opt-out recorded under the old key is
    # ignored by a build that names no purpose
    add("setting", "setting.key", a.setting.key, b.setting.key, True)
    changes.extend(_setting_changes(a, b))

    ra = {r.id: r for r in a.regions}
    rb = {r.id: r for r in b.regions}
    for rid in sorted(ra.keys() | rb.keys()):
        x, y = ra.get(rid), rb.get(rid)
        if x is None or y is None:
            # what a new or removed region does is in the country moves below
            add("region", f"regions.{rid}", x and x.name, y and y.name, None)
            continue
        add(
            "region",
            f"regions.{rid}.training_start",
            x.training_start,
            y.training_start,
            y.training_start < x.training_start,
        )
        add("region", f"regions.{rid}.name", x.name, y.name, None)
        # who moves in or out is listed country by country below
        add("region", f"regions.{rid}.rest_of_world", x.rest_of_world, y.rest_of_world, None)
        add(
            "region",
            f"regions.{rid}.default",
            a.region_default(x),
            b.region_default(y),
            b.region_default(y),
        )

    changes.extend(_country_moves(a, b))

    for kind in sorted(a.kinds.keys() | b.kinds.keys()):
        x, y = a.kinds.get(kind), b.kinds.get(kind)
        if x is None or y is None:
            # a kind the policy no longer names is unknown, so never used (fail closed)
            add(
                "kind",
                f"kinds.{kind}",
                x and ("used" if x.used else "never used"),
                y and ("used" if y.used else "never used"),
                bool(y and y.used) if y is not None else (False if x and x.used else None),
            )
            continue
        add("kind", f"kinds.{kind}.used", x.used, y.used, y.used)
        add("kind", f"kinds.{kind}.note", x.note, y.note, None)
        add("kind", f"kinds.{kind}.category", x.category, y.category, None)
        add(
            "kind",
            f"kinds.{kind}.visibility",
            set(x.visibility),
            set(y.visibility),
            bool(set(y.visibility) - set(x.visibility)),
        )
        add("kind", f"kinds.{kind}.group", x.group, y.group, not y.group)

    add(
        "minors",
        "minors.adult_age",
        a.minors.adult_age,
        b.minors.adult_age,
        b.minors.adult_age < a.minors.adult_age,
    )
    add(
        "minors",
        "minors.secondary_school_means_minor",
        a.minors.secondary_school_means_minor,
        b.minors.secondary_school_means_minor,
        not b.minors.secondary_school_means_minor,
    )
    add(
        "minors",
        "minors.unknown_age",
        a.minors.unknown_age,
        b.minors.unknown_age,
        b.minors.unknown_age == "allow",
    )
    add(
        "groups",
        "groups.exclude_sensitive",
        a.groups.exclude_sensitive,
        b.groups.exclude_sensitive,
        not b.groups.exclude_sensitive,
    )
    add(
        "groups",
        "groups.missing_group_is_sensitive",
        a.groups.missing_group_is_sensitive,
        b.groups.missing_group_is_sensitive,
        not b.groups.missing_group_is_sensitive,
    )
    add("lookback", "lookback.since", a.lookback.since, b.lookback.since,
        _bound_widens(a.lookback.since, b.lookback.since, "earlier"))
    add("lookback", "lookback.max_age_days", a.lookback.max_age_days, b.lookback.max_age_days,
        _bound_widens(a.lookback.max_age_days, b.lookback.max_age_days, "later"))
    add(
        "redaction",
        "redaction.classes",
        set(a.redaction.classes),
        set(b.redaction.classes),
        bool(set(a.redaction.classes) - set(b.redaction.classes)),
    )
    add(
        "redaction",
        "redaction.pseudonymize_author",
        a.redaction.pseudonymize_author,
        b.redaction.pseudonymize_author,
        not b.redaction.pseudonymize_author,
    )
    changes.extend(_recognizer_changes(a, b))
    ea = {e.fides_key for e in a.taxonomy_extensions}
    eb = {e.fides_key for e in b.taxonomy_extensions}
    add("taxonomy", "taxonomy_extensions", ea, eb, None)
    return changes


def _shown(policy: Policy, setting: Setting) -> set[str]:
    return {r.id for r in policy.regions if policy.shown_in(setting, r)}


def _defaults_on(policy: Policy, setting: Setting) -> set[str]:
    return {r.id for r in policy.regions if policy.region_default(r, setting)}


def _noticed(policy: Policy, setting: Setting) -> set[str]:
    return {r.id for r in policy.regions if policy.notice_required(setting, r)}


def _setting_changes(a: Policy, b: Policy) -> list[Change]:
    """Settings matched by key. Widening: a new setting (a new purpose), a purpose or a
    recipient changed or added, a default turned on in a region, a region where it is shown
    added, a shorter notice or one required in fewer regions, GPC no longer an opt-out."""
    out: list[Change] = []

    def add(subject: str, before: Any, after: Any, widens: bool | None) -> None:
        if before != after:
            out.append(Change("setting", subject, before, after, widens))

    sa = {s.key: s for s in a.settings}
    sb = {s.key: s for s in b.settings}
    for key in sorted(sa.keys() | sb.keys()):
        x, y = sa.get(key), sb.get(key)
        subject = f"settings.{key}"
        if x is None or y is None:
            # a new setting is a new purpose: data may now be used for it
            add(subject, x and f"{a.purpose_of(x)} for {x.recipient or '-'}",
                y and f"{b.purpose_of(y)} for {y.recipient or '-'}", y is not None)
            continue
        add(f"{subject}.purpose", a.purpose_of(x), b.purpose_of(y), True)
        add(f"{subject}.recipient", x.recipient, y.recipient, y.recipient is not None)
        add(f"{subject}.mechanism", x.mechanism, y.mechanism, None)
        shown_a, shown_b = _shown(a, x), _shown(b, y)
        add(f"{subject}.regions", shown_a, shown_b, bool(shown_b - shown_a))
        on_a, on_b = _defaults_on(a, x), _defaults_on(b, y)
        add(f"{subject}.default", on_a, on_b, bool(on_b - on_a))
        # a shorter notice, or none, lets members in sooner
        add(f"{subject}.notice_days", x.notice_days, y.notice_days,
            _bound_widens(x.notice_days, y.notice_days, "earlier"))
        n_a, n_b = _noticed(a, x), _noticed(b, y)
        add(f"{subject}.notice_regions", n_a, n_b, bool(n_a - n_b))
        gpc_a = set(x.gpc_regions) if x.gpc_opts_out else set()
        gpc_b = set(y.gpc_regions) if y.gpc_opts_out else set()
        add(f"{subject}.gpc_regions", gpc_a, gpc_b, bool(gpc_a - gpc_b))
        add(f"{subject}.retroactive", x.retroactive, y.retroactive, None)
        for field in ("name", "toggle", "path", "note"):
            add(f"{subject}.{field}", getattr(x, field), getattr(y, field), None)
    return out


def _summary(r: Recognizer) -> str:
    parts = [f"{r.cls} /{r.pattern}/"]
    if r.validator:
        parts.append(f"validator {r.validator}" + (f" ({' '.join(r.regions)})" if r.regions else ""))
    if r.cues and r.cue_required:
        parts.append(f"cue {r.cue_side} {r.cue_window}: {', '.join(r.cues)}")
    return ", ".join(parts)


_SIDES = {"before": {"before"}, "after": {"after"}, "either": {"before", "after"}}


def _recognizer_changes(a: Policy, b: Policy) -> list[Change]:
    """Extra recognizers, matched by name. A recognizer that finds less lets more through:
    one removed, a pattern changed (it may match less), a validator or a cue requirement
    added or changed, fewer phone regions, fewer cue words, a narrower window or side."""
    out: list[Change] = []

    def add(subject: str, before: Any, after: Any, widens: bool | None) -> None:
        if before != after:
            out.append(Change("redaction", subject, before, after, widens))

    ra = {r.name: r for r in a.redaction.recognizers}
    rb = {r.name: r for r in b.redaction.recognizers}
    for name in sorted(ra.keys() | rb.keys()):
        x, y = ra.get(name), rb.get(name)
        subject = f"redaction.recognizers.{name}"
        if x is None or y is None:
            add(subject, x and _summary(x), y and _summary(y), y is None)
            continue
        add(f"{subject}.class", x.cls, y.cls, None)  # still redacted, another placeholder
        add(f"{subject}.pattern", x.pattern, y.pattern, True)
        add(f"{subject}.validator", x.validator, y.validator, y.validator is not None)
        # phone regions: no region means any region, in international form only
        add(f"{subject}.regions", set(x.regions), set(y.regions),
            bool(set(x.regions) - set(y.regions)) or (not x.regions) != (not y.regions))
        # cues only count when required
        cx = set(map(str.casefold, x.cues)) if x.cue_required else None
        cy = set(map(str.casefold, y.cues)) if y.cue_required else None
        add(f"{subject}.cue_required", x.cue_required, y.cue_required, y.cue_required)
        if cx is not None and cy is not None:
            add(f"{subject}.cues", set(x.cues), set(y.cues), bool(cx - cy))
            add(f"{subject}.cue_window", x.cue_window, y.cue_window, y.cue_window < x.cue_window)
            add(f"{subject}.cue_side", x.cue_side, y.cue_side,
                bool(_SIDES[x.cue_side] - _SIDES[y.cue_side]))
        else:
            add(f"{subject}.cues", set(x.cues), set(y.cues), None)
        add(f"{subject}.description", x.description, y.description, None)
    # where two recognizers match the same characters, the first in the file wins
    order_a = [n for n in ra if n in rb]
    order_b = [n for n in rb if n in ra]
    add("redaction.recognizers order", ", ".join(order_a), ", ".join(order_b), None)
    return out
