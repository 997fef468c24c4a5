"""What changed between two policies, in the terms a privacy officer reviews."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from consentgate.policy.model import Policy


@dataclass(frozen=True)
class Change:
    area: str  # "setting", "region", "kind", "minors", ...
    subject: str  # what changed, e.g. "kinds.search_query.used"
    before: Any
    after: Any
    widens: bool | None  # True: more data may be used; False: less; None: neutral/unclear

    def describe(self) -> str:
        return f"{self.subject}: {_fmt(self.before)} -> {_fmt(self.after)}"


def _fmt(v: Any) -> str:
    if v is None:
        return "(absent)"
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
    add("setting", "setting.key", a.setting.key, b.setting.key, None)
    add("setting", "setting.default", a.setting.default, b.setting.default, b.setting.default)
    add("setting", "setting.retroactive", a.setting.retroactive, b.setting.retroactive, None)

    ra = {r.id: r for r in a.regions}
    rb = {r.id: r for r in b.regions}
    for rid in sorted(ra.keys() | rb.keys()):
        x, y = ra.get(rid), rb.get(rid)
        if x is None or y is None:
            add("region", f"regions.{rid}", x and x.name, y and y.name, y is not None)
            continue
        add(
            "region",
            f"regions.{rid}.training_start",
            x.training_start,
            y.training_start,
            y.training_start < x.training_start,
        )
        added = set(y.countries) - set(x.countries)
        removed = set(x.countries) - set(y.countries)
        if added:
            add("region", f"regions.{rid}.countries added", None, added, None)
        if removed:
            add("region", f"regions.{rid}.countries removed", removed, None, None)
        add("region", f"regions.{rid}.rest_of_world", x.rest_of_world, y.rest_of_world, None)
        add(
            "region",
            f"regions.{rid}.default",
            a.region_default(x),
            b.region_default(y),
            b.region_default(y),
        )

    for kind in sorted(a.kinds.keys() | b.kinds.keys()):
        x, y = a.kinds.get(kind), b.kinds.get(kind)
        if x is None or y is None:
            add(
                "kind",
                f"kinds.{kind}",
                x and ("used" if x.used else "never used"),
                y and ("used" if y.used else "never used"),
                bool(y and y.used),
            )
            continue
        add("kind", f"kinds.{kind}.used", x.used, y.used, y.used)
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
    add("lookback", "lookback.since", a.lookback.since, b.lookback.since, None)
    add("lookback", "lookback.max_age_days", a.lookback.max_age_days, b.lookback.max_age_days, None)
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
    ea = {e.fides_key for e in a.taxonomy_extensions}
    eb = {e.fides_key for e in b.taxonomy_extensions}
    add("taxonomy", "taxonomy_extensions", ea, eb, None)
    return changes
