"""The policy as small lookup tables the engine joins against (regions, kinds, visibilities).

Built from the same ``Policy`` object the reference evaluator reads, so both apply one policy.
"""

from __future__ import annotations

import hashlib

import ibis
import ibis.expr.types as ir

from consentgate.policy.model import Policy, Setting

# Memtables live as long as the process: an engine may run a plan lazily (Spark caches are
# lazy) after the expression that created a memtable is gone, and Ibis drops a memtable's
# view when the memtable is garbage-collected.
_KEEP: dict[tuple[str, str], ir.Table] = {}


def _kept(kind: str, policy: Policy, make) -> ir.Table:
    key = (kind, hashlib.sha256(policy.model_dump_json().encode()).hexdigest())
    # a table per setting: the defaults, where it is offered and where notice is needed
    # differ from one setting to the next
    if key not in _KEEP:
        _KEEP[key] = make()
    return _KEEP[key]


REGION_SCHEMA = {
    "rg_country": "string",
    "region": "string",
    "training_start": "date",
    "region_default": "boolean",
    "offered": "boolean",
    "notice_required": "boolean",
}
KIND_SCHEMA = {"k_kind": "string", "used": "boolean", "category": "string", "is_group": "boolean"}
KIND_VISIBILITY_SCHEMA = {"kv_kind": "string", "kv_visibility": "string"}


def regions_table(policy: Policy, setting: Setting | None = None) -> ir.Table:
    """Every country's region, with ``setting``'s default there (the primary setting's for
    None), whether the setting is offered there, and whether its notice rule applies."""
    chosen = setting or policy.setting
    return _kept(f"regions:{chosen.key}", policy, lambda: _regions(policy, chosen))


def _regions(policy: Policy, setting: Setting) -> ir.Table:
    rows = [
        {
            "rg_country": country,
            "region": region.id,
            "training_start": region.training_start,
            "region_default": policy.region_default(region, setting),
            "offered": policy.shown_in(setting, region),
            "notice_required": policy.notice_required(setting, region),
        }
        for country, region in sorted(policy.country_regions().items())
    ]
    return ibis.memtable(rows, schema=REGION_SCHEMA)


def kinds_table(policy: Policy) -> ir.Table:
    return _kept("kinds", policy, lambda: _kinds(policy))


def _kinds(policy: Policy) -> ir.Table:
    rows = [
        {"k_kind": name, "used": rule.used, "category": rule.category, "is_group": rule.group}
        for name, rule in sorted(policy.kinds.items())
    ]
    return ibis.memtable(rows, schema=KIND_SCHEMA)


def kind_visibility_table(policy: Policy) -> ir.Table:
    return _kept("kind_visibility", policy, lambda: _kind_visibility(policy))


def _kind_visibility(policy: Policy) -> ir.Table:
    rows = [
        {"kv_kind": name, "kv_visibility": vis}
        for name, rule in sorted(policy.kinds.items())
        if rule.used
        for vis in rule.visibility
    ]
    return ibis.memtable(rows, schema=KIND_VISIBILITY_SCHEMA)
