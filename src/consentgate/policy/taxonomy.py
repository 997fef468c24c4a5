"""Check a policy's data categories and data use against fideslang's taxonomy.

The default taxonomy is fideslang's; a policy may declare extensions, each hanging off a
key that exists (in fideslang or in an earlier extension).
"""

from __future__ import annotations

from functools import cache

from fideslang.default_taxonomy import DEFAULT_TAXONOMY
from fideslang.models import DataCategory
from pydantic import ValidationError

from consentgate.policy.model import Policy


@cache
def fideslang_categories() -> frozenset[str]:
    return frozenset(c.fides_key for c in DEFAULT_TAXONOMY.data_category)


@cache
def fideslang_data_uses() -> frozenset[str]:
    return frozenset(u.fides_key for u in DEFAULT_TAXONOMY.data_use)


@cache
def data_use_name(key: str) -> str:
    """fideslang's name of a data use (the key itself when fideslang has none)."""
    for use in DEFAULT_TAXONOMY.data_use:
        if use.fides_key == key:
            return use.name or key
    return key


@cache
def fideslang_data_subjects() -> frozenset[str]:
    return frozenset(s.fides_key for s in DEFAULT_TAXONOMY.data_subject)


def taxonomy_problems(policy: Policy) -> list[tuple[str, str]]:
    """(field path, message) for every taxonomy reference the policy gets wrong."""
    problems: list[tuple[str, str]] = []
    known = set(fideslang_categories())
    for i, ext in enumerate(policy.taxonomy_extensions):
        where = f"taxonomy_extensions.{i}"
        try:
            DataCategory(
                fides_key=ext.fides_key,
                parent_key=ext.parent_key,
                name=ext.name,
                description=ext.description,
            )
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(x) for x in err["loc"]) or "fides_key"
                problems.append((f"{where}.{field}", f"fideslang rejects it: {err['msg']}"))
            continue
        if ext.fides_key in known:
            problems.append((f"{where}.fides_key", f"{ext.fides_key!r} already exists"))
        if ext.parent_key not in known:
            problems.append((f"{where}.parent_key", f"unknown parent {ext.parent_key!r}"))
        known.add(ext.fides_key)
    for kind, rule in policy.kinds.items():
        if rule.category not in known:
            problems.append(
                (
                    f"kinds.{kind}.category",
                    f"{rule.category!r} is neither a fideslang data category nor a declared extension",
                )
            )
    if policy.policy.data_use not in fideslang_data_uses():
        problems.append(
            ("policy.data_use", f"{policy.policy.data_use!r} is not a fideslang data use")
        )
    for i, setting in enumerate(policy.settings):
        if setting.purpose is not None and setting.purpose not in fideslang_data_uses():
            problems.append(
                (f"settings.{i}.purpose", f"{setting.purpose!r} is not a fideslang data use")
            )
    if policy.policy.data_subject not in fideslang_data_subjects():
        problems.append(
            (
                "policy.data_subject",
                f"{policy.policy.data_subject!r} is not a fideslang data subject",
            )
        )
    return problems
