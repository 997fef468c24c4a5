"""Feed the reference evaluator from a checked source, table by table, as Python rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from consentgate.contract.source import Source
from consentgate.eligibility.reference import (
    Education,
    Group,
    Member,
    Notification,
    PreferenceEvent,
    Record,
    ReferenceEvaluator,
)
from consentgate.policy.model import Policy


def _sql_list(ids: list[str]) -> str:
    return ", ".join("'" + i.replace("'", "''") + "'" for i in ids)


def _rows(source: Source, table: str, where: str | None) -> Iterator[dict]:
    for batch in source.iter_batches(table, where=where):
        yield from batch.to_pylist()


def reference_for(
    policy: Policy,
    source: Source,
    as_of: dt.datetime,
    consent: Source | None = None,
    member_ids: list[str] | None = None,
    purpose: str | None = None,
) -> ReferenceEvaluator:
    """Load members, education, groups, preference events (from ``consent`` when given) and
    notifications into a reference evaluator for the setting ``purpose`` (the primary one
    for None), optionally for a few members only."""
    where = f"member_id IN ({_sql_list(member_ids)})" if member_ids is not None else None
    members = {r["member_id"]: Member(**r) for r in _rows(source, "members", where)}
    education: dict[str, list[Education]] = {}
    for r in _rows(source, "education", where):
        education.setdefault(r["member_id"], []).append(Education(**r))
    events: dict[str, list[PreferenceEvent]] = {}
    for r in _rows(consent or source, "preference_events", where):
        events.setdefault(r["member_id"], []).append(PreferenceEvent(**r))
    groups = {r["group_id"]: Group(**r) for r in _rows(source, "groups", None)}
    notifications: dict[str, list[Notification]] = {}
    for r in _rows(source, "notifications", where):
        notifications.setdefault(r["member_id"], []).append(Notification(**r))
    return ReferenceEvaluator(policy, as_of, members, education, events, groups,
                              notifications, purpose)


def iter_records(source: Source, where: str | None = None) -> Iterator[Record]:
    for r in _rows(source, "records", where):
        yield Record(**r)


def records_of(source: Source, member_id: str) -> list[Record]:
    return list(iter_records(source, f"member_id = {_sql_list([member_id])}"))
