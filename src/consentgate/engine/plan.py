"""The engine plan: the rules of DESIGN.md as Ibis expressions, one plan for DuckDB and Spark.

It must agree with ``consentgate.eligibility.reference`` on every member and record; the
property tests in tests/engine hold the two together. Where the reference evaluator lists
reasons in precedence order, the plan computes one boolean per reason and keeps the first.

All timestamps inside the plan are naive UTC (both sessions run with the UTC time zone).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
from ibis import _

from consentgate.contract.schema import ERASURE_SETTING
from consentgate.eligibility.reasons import MEMBER_REASONS, RECORD_REASONS, Reason
from consentgate.eligibility.reference import NOT_SECONDARY
from consentgate.engine.policy_tables import kind_visibility_table, kinds_table, regions_table
from consentgate.policy.model import Policy


@dataclass(frozen=True)
class Inputs:
    """The contract's tables as Ibis expressions on one backend."""

    members: ir.Table
    education: ir.Table
    groups: ir.Table
    records: ir.Table
    preference_events: ir.Table
    notifications: ir.Table


def _ts(value: dt.datetime) -> ir.TimestampScalar:
    naive = value.astimezone(dt.UTC).replace(tzinfo=None)
    return ibis.literal(naive, type="timestamp")


def _date_key(d: ir.DateValue) -> ir.IntegerValue:
    """yyyymmdd as an integer: comparing keys compares calendar dates field by field, which
    gives the "18th birthday" rule without date arithmetic (29 Feb comes of age on 1 Mar)."""
    return d.year().cast("int64") * 10000 + d.month().cast("int64") * 100 + d.day().cast("int64")


def _first_reason(
    flags: dict[Reason, ir.BooleanValue], order: tuple[Reason, ...], otherwise: ir.Value | str
) -> ir.StringValue:
    branches = [(flags[r].fill_null(False), str(r)) for r in order if r in flags]
    return ibis.cases(*branches, else_=otherwise)


def member_decisions(
    inputs: Inputs, policy: Policy, as_of: dt.datetime, purpose: str | None = None
) -> ir.Table:
    """One row per member: member_id, region, language, setting, reason ('used' if eligible),
    for the setting ``purpose`` (the policy's primary one for None)."""
    t = _ts(as_of)
    day = as_of.astimezone(dt.UTC).date()
    d = ibis.literal(day, type="date")
    chosen = policy.setting_for(purpose)

    ev = inputs.preference_events.filter(_.setting == chosen.key)
    bad_time = (
        ev.filter(_.effective_at.isnull())
        .select(bt_member_id=_.member_id)
        .distinct()
        .mutate(bad_time=ibis.literal(True))
    )
    past = ev.filter(_.effective_at <= t)
    latest = past.group_by("member_id").aggregate(latest_at=_.effective_at.max())
    at_latest = past.join(latest, "member_id").filter(_.effective_at == _.latest_at)
    setting = at_latest.group_by(st_member_id=_.member_id).aggregate(
        n_true=(_.value == True).ifelse(1, 0).sum(),  # noqa: E712 (a column, not a bool)
        n_false=(_.value == False).ifelse(1, 0).sum(),  # noqa: E712
        n_null=_.value.isnull().ifelse(1, 0).sum(),
    )

    # an erasure request in force (an unreadable one counts: fail closed)
    erased = (
        inputs.preference_events.filter(
            (_.setting == ERASURE_SETTING)
            & (_.value.isnull() | (_.value == True))  # noqa: E712 (a column, not a bool)
            & (_.effective_at.isnull() | (_.effective_at <= t))
        )
        .select(er_member_id=_.member_id)
        .distinct()
        .mutate(erased=ibis.literal(True))
    )

    # any level but "higher" or "other" (null included) counts as secondary; no start date
    # counts as started (both fail closed)
    secondary = (
        inputs.education.filter(
            (_.level.isnull() | ~_.level.isin(list(NOT_SECONDARY)))
            & (_.start_date.isnull() | (_.start_date <= d))
            & (_.end_date.isnull() | (_.end_date > d))
        )
        .select(sc_member_id=_.member_id)
        .distinct()
        .mutate(in_secondary=ibis.literal(True))
    )
    schooled = (
        inputs.education.select(ed_member_id=_.member_id)
        .distinct()
        .mutate(has_education=ibis.literal(True))
    )

    m = inputs.members
    regions = regions_table(policy, chosen)
    j = (
        m.left_join(regions, m.country == regions.rg_country)
        .left_join(setting, m.member_id == setting.st_member_id)
        .left_join(bad_time, m.member_id == bad_time.bt_member_id)
        .left_join(secondary, m.member_id == secondary.sc_member_id)
        .left_join(erased, m.member_id == erased.er_member_id)
    )
    if chosen.notice_days is not None:
        # told at least notice_days before T: a notice at exactly T - notice_days counts;
        # one with no time proves nothing (fail closed)
        deadline = _ts(as_of.astimezone(dt.UTC) - dt.timedelta(days=chosen.notice_days))
        notified = (
            inputs.notifications.filter(
                (_.setting == chosen.key) & _.notified_at.notnull() & (_.notified_at <= deadline)
            )
            .select(nt_member_id=_.member_id)
            .distinct()
            .mutate(notified=ibis.literal(True))
        )
        j = j.left_join(notified, j.member_id == notified.nt_member_id)
    if policy.minors.unknown_age == "exclude":
        j = j.left_join(schooled, j.member_id == schooled.ed_member_id)

    has_events = j.st_member_id.notnull()
    unreadable = j.bad_time.fill_null(False) | (j.n_null.fill_null(0) > 0)
    conflict = (j.n_true.fill_null(0) > 0) & (j.n_false.fill_null(0) > 0)
    default = j.region_default.fill_null(chosen.default)
    value = ibis.cases(
        (unreadable | conflict, ibis.null("boolean")),
        (has_events, j.n_true.fill_null(0) > 0),
        else_=default,
    )
    adult_age = policy.minors.adult_age
    flags: dict[Reason, ir.BooleanValue] = {
        Reason.NOT_JOINED: j.joined_at.isnull() | (j.joined_at > t),
        Reason.DELETED: j.deleted_at.notnull() & (j.deleted_at <= t),
        Reason.ERASURE: j.erased.fill_null(False),
        Reason.REGION_UNKNOWN: j.region.isnull(),
        Reason.REGION_NOT_STARTED: j.training_start > d,
        Reason.NOT_OFFERED: j.region.notnull() & ~j.offered.fill_null(False),
        Reason.MINOR_AGE: j.birth_date.notnull()
        & ((_date_key(d) - _date_key(j.birth_date)) < adult_age * 10000),
        Reason.CONSENT_UNREADABLE: unreadable,
        Reason.CONSENT_CONFLICT: conflict & ~unreadable,
        Reason.OPTED_OUT: ~unreadable & ~conflict & ~value.fill_null(True),
    }
    if chosen.notice_days is not None:
        flags[Reason.NOT_NOTIFIED] = j.notice_required.fill_null(False) & ~j.notified.fill_null(
            False
        )
    if policy.minors.secondary_school_means_minor:
        flags[Reason.MINOR_SECONDARY_SCHOOL] = j.in_secondary.fill_null(False)
    if policy.minors.unknown_age == "exclude":
        flags[Reason.AGE_UNKNOWN] = j.birth_date.isnull() & ~j.has_education.fill_null(False)

    return j.select(
        member_id=j.member_id,
        region=j.region,
        language=j.language,
        setting=value,
        member_reason=_first_reason(flags, MEMBER_REASONS, str(Reason.USED)),
    )


def record_decisions(
    inputs: Inputs,
    policy: Policy,
    as_of: dt.datetime,
    members: ir.Table,
    columns: tuple[str, ...] = (),
    member_columns: tuple[str, ...] = (),
) -> ir.Table:
    """One row per record: record_id, member_id, kind, region, language, category, reason,
    plus the record columns named in ``columns`` (e.g. text, created_at) and the columns of
    ``members`` named in ``member_columns`` (e.g. a per-member pseudonym, computed once per
    member instead of once per record)."""
    t = _ts(as_of)
    r = inputs.records
    kinds = kinds_table(policy)
    kv = kind_visibility_table(policy)
    groups = inputs.groups.select(g_group_id=_.group_id, g_sensitive=_.sensitive)
    md = members.select(
        md_member_id=_.member_id,
        region=_.region,
        language=_.language,
        member_reason=_.member_reason,
        **{f"md_{c}": members[c] for c in member_columns},
    )
    j = (
        r.left_join(md, r.member_id == md.md_member_id)
        .left_join(kinds, r.kind == kinds.k_kind)
        .left_join(kv, (r.kind == kv.kv_kind) & (r.visibility == kv.kv_visibility))
        .left_join(groups, r.group_id == groups.g_group_id)
    )

    flags: dict[Reason, ir.BooleanValue] = {
        Reason.MEMBER_UNKNOWN: j.md_member_id.isnull(),
        Reason.RECORD_INCOMPLETE: j.created_at.isnull() | j.text.isnull(),
        Reason.CREATED_AFTER_AS_OF: j.created_at > t,
        Reason.RECORD_DELETED: j.deleted_at.notnull() & (j.deleted_at <= t),
        Reason.KIND_UNKNOWN: j.k_kind.isnull(),
        Reason.KIND_NEVER_USED: j.used == False,  # noqa: E712 (a column, not a bool)
        Reason.VISIBILITY: (j.used == True) & j.kv_kind.isnull(),  # noqa: E712
    }
    if policy.groups.exclude_sensitive:
        applies = j.group_id.notnull() | j.is_group.fill_null(False)
        # a group of unknown sensitivity is treated as sensitive, whatever the policy says
        # of missing groups
        unknown = applies & j.g_group_id.notnull() & j.g_sensitive.isnull()
        if policy.groups.missing_group_is_sensitive:
            unknown = unknown | (applies & j.g_group_id.isnull())
        flags[Reason.GROUP_UNKNOWN] = unknown
        flags[Reason.SENSITIVE_GROUP] = applies & j.g_sensitive.fill_null(False)
    cutoff = policy.lookback.cutoff(as_of.astimezone(dt.UTC).date())
    if cutoff is not None:
        start = dt.datetime(cutoff.year, cutoff.month, cutoff.day)
        flags[Reason.BEFORE_LOOKBACK] = j.created_at < ibis.literal(start, type="timestamp")

    record_reason = _first_reason(flags, RECORD_REASONS, str(Reason.USED))
    # A record of an excluded member is out for the member's reason first.
    member_reason = j.member_reason.fill_null(str(Reason.MEMBER_UNKNOWN))
    reason = (member_reason == str(Reason.USED)).ifelse(record_reason, member_reason)
    return j.select(
        record_id=j.record_id,
        member_id=j.member_id,
        kind=j.kind,
        region=j.region,
        language=j.language,
        category=j.category,
        reason=reason,
        **{c: j[c] for c in columns},
        **{c: j[f"md_{c}"] for c in member_columns},
    )
