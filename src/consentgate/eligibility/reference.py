"""The reference evaluator: the rules of docs/design.md in plain Python, one member and one
record at a time. It is the specification: slow on purpose, written to be read, and what the
engine plan and ``verify`` are checked against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from consentgate.contract.schema import ERASURE_SETTING
from consentgate.eligibility.reasons import MEMBER_REASONS, RECORD_REASONS, Reason
from consentgate.policy.model import Policy, Region, Setting

UTC = dt.UTC


# -- the data, one row at a time -----------------------------------------------------------
@dataclass(frozen=True)
class Member:
    member_id: str
    country: str | None
    birth_date: dt.date | None
    joined_at: dt.datetime | None  # None breaks the contract: read as "not joined"
    deleted_at: dt.datetime | None = None
    language: str | None = None


@dataclass(frozen=True)
class Education:
    member_id: str
    school: str
    level: str | None
    start_date: dt.date | None  # None: started at a time nobody recorded
    end_date: dt.date | None = None


@dataclass(frozen=True)
class Group:
    group_id: str
    name: str
    sensitive: bool | None  # None: nobody knows, so it is treated as sensitive


@dataclass(frozen=True)
class PreferenceEvent:
    member_id: str
    setting: str
    value: bool | None
    effective_at: dt.datetime | None
    source: str = "web"


@dataclass(frozen=True)
class Notification:
    """The platform told the member about ``setting`` (its notice) at ``notified_at``."""

    member_id: str
    setting: str
    notified_at: dt.datetime | None  # None: no readable time, so no proof of notice


@dataclass(frozen=True)
class Record:
    record_id: str
    member_id: str
    kind: str
    visibility: str
    group_id: str | None
    created_at: dt.datetime | None  # None or a None text: record_incomplete
    deleted_at: dt.datetime | None
    text: str | None


# -- decisions ------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberDecision:
    member_id: str
    reasons: tuple[Reason, ...]  # every reason that applies, in precedence order; empty: used
    region: str | None
    setting: bool | None  # the setting in force at T (None when unreadable or conflicting)
    setting_source: str  # "event" or "default" or "none"
    details: tuple[str, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def reason(self) -> Reason:
        return self.reasons[0] if self.reasons else Reason.USED


@dataclass(frozen=True)
class RecordDecision:
    record_id: str
    member_id: str
    kind: str
    reasons: tuple[Reason, ...]
    category: str | None
    details: tuple[str, ...] = ()

    @property
    def used(self) -> bool:
        return not self.reasons

    @property
    def reason(self) -> Reason:
        return self.reasons[0] if self.reasons else Reason.USED


# -- time helpers -----------------------------------------------------------------------------
def as_utc(value: dt.datetime) -> dt.datetime:
    """Timestamps are UTC by contract: a naive one is read as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def nth_birthday(birth: dt.date, years: int) -> dt.date:
    """The date a person born on ``birth`` turns ``years``. Someone born on 29 February
    comes of age on 1 March in a common year: the later date, so the rule fails closed."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return dt.date(birth.year + years, 3, 1)


def education_active(row: Education, day: dt.date) -> bool:
    """Active on ``day``; a row with no start date counts as started (fail closed)."""
    started = row.start_date is None or row.start_date <= day
    return started and (row.end_date is None or row.end_date > day)


# Levels that are certainly not secondary school; any other value, null included, is read
# as secondary (fail closed: the member is treated as a minor while the row is active).
NOT_SECONDARY = ("higher", "other")


def is_secondary(row: Education) -> bool:
    return row.level not in NOT_SECONDARY


def erasure_at(events: Iterable[PreferenceEvent], as_of: dt.datetime) -> bool:
    """An erasure request in force at T: an ``erasure`` event with value true (or an
    unreadable one: fail closed) effective at or before T. Nothing undoes it."""
    for e in events:
        if e.setting != ERASURE_SETTING or e.value is False:
            continue
        if e.effective_at is None or as_utc(e.effective_at) <= as_of:
            return True
    return False


# -- the rules ----------------------------------------------------------------------------------
def setting_at(
    policy: Policy, events: Iterable[PreferenceEvent], as_of: dt.datetime,
    purpose: str | None = None,
) -> tuple[bool | None, str, Reason | None]:
    """(value, source, problem) of the setting ``purpose`` (the primary one for None): the
    last event with effective_at <= T decides; an event at exactly T counts. Ties that
    disagree, or an unreadable event, fail closed."""
    return setting_of_key_at(policy.setting_for(purpose).key, events, as_of)


def setting_of_key_at(
    key: str, events: Iterable[PreferenceEvent], as_of: dt.datetime
) -> tuple[bool | None, str, Reason | None]:
    """``setting_at`` for the setting ``key``, with no policy (the ledger holds settings of
    several policies)."""
    relevant = [e for e in events if e.setting == key]
    if any(e.effective_at is None for e in relevant):
        return None, "event", Reason.CONSENT_UNREADABLE
    past = [e for e in relevant if as_utc(e.effective_at) <= as_of]  # type: ignore[arg-type]
    if not past:
        return None, "none", None
    latest = max(as_utc(e.effective_at) for e in past)  # type: ignore[arg-type]
    values = {e.value for e in past if as_utc(e.effective_at) == latest}  # type: ignore[arg-type]
    if None in values:
        return None, "event", Reason.CONSENT_UNREADABLE
    if len(values) > 1:
        return None, "event", Reason.CONSENT_CONFLICT
    return values.pop(), "event", None


def notified_in_time(
    setting: Setting, notifications: Iterable[Notification], as_of: dt.datetime
) -> bool:
    """Told of the setting at least ``notice_days`` before T: a notice at exactly
    T - notice_days counts, one a microsecond later does not; none, or one with no time,
    is no notice (fail closed)."""
    assert setting.notice_days is not None
    deadline = as_utc(as_of) - dt.timedelta(days=setting.notice_days)
    return any(
        n.setting == setting.key and n.notified_at is not None
        and as_utc(n.notified_at) <= deadline
        for n in notifications
    )


def decide_member(
    policy: Policy,
    member: Member,
    education: Iterable[Education],
    events: Iterable[PreferenceEvent],
    as_of: dt.datetime,
    purpose: str | None = None,
    notifications: Iterable[Notification] | None = None,
) -> MemberDecision:
    """The member's decision for the setting ``purpose`` (the primary one for None).
    ``notifications=None`` skips the notice rule: for callers that ask about a member (age,
    region: the settings service) rather than decide a build. The ``ReferenceEvaluator``
    (builds' checks, ``verify``) always passes the member's notices, an empty list for none."""
    as_of = as_utc(as_of)
    setting = policy.setting_for(purpose)
    day = as_of.date()
    found: set[Reason] = set()
    details: list[str] = []

    events = list(events)
    education = list(education)
    if member.joined_at is None:
        found.add(Reason.NOT_JOINED)
        details.append("no joining time in the source")
    elif as_utc(member.joined_at) > as_of:
        found.add(Reason.NOT_JOINED)
    if member.deleted_at is not None and as_utc(member.deleted_at) <= as_of:
        found.add(Reason.DELETED)
    if erasure_at(events, as_of):
        found.add(Reason.ERASURE)

    region: Region | None = policy.region_for(member.country)
    if region is None:
        found.add(Reason.REGION_UNKNOWN)
        hint = ""
        if member.country is not None:
            fixed = member.country.strip().upper()
            if fixed != member.country and policy.region_for(fixed) is not None:
                hint = f" (written {member.country!r}: the source must give {fixed!r})"
        details.append(f"country {member.country!r} is in no region of the policy{hint}")
    elif region.training_start > day:
        found.add(Reason.REGION_NOT_STARTED)
        details.append(f"region {region.id} starts on {region.training_start.isoformat()}")
    if region is not None and not policy.shown_in(setting, region):
        found.add(Reason.NOT_OFFERED)
        details.append(f"{setting.key} is not offered in region {region.id}")
    if (
        notifications is not None
        and region is not None
        and policy.notice_required(setting, region)
        and not notified_in_time(setting, notifications, as_of)
    ):
        found.add(Reason.NOT_NOTIFIED)
        details.append(f"not told of {setting.key} {setting.notice_days} days before T")

    if member.birth_date is not None:
        adult_on = nth_birthday(member.birth_date, policy.minors.adult_age)
        if adult_on > day:
            found.add(Reason.MINOR_AGE)
            details.append(f"turns {policy.minors.adult_age} on {adult_on.isoformat()}")
    if policy.minors.secondary_school_means_minor:
        active = [e for e in education if is_secondary(e) and education_active(e, day)]
        if active:
            found.add(Reason.MINOR_SECONDARY_SCHOOL)
            level = "" if active[0].level == "secondary" else f" (level {active[0].level!r})"
            details.append(f"in secondary school at {active[0].school}{level}")
    if policy.minors.unknown_age == "exclude" and member.birth_date is None and not education:
        found.add(Reason.AGE_UNKNOWN)

    value, source, problem = setting_at(policy, events, as_of, setting.key)
    if problem is not None:
        found.add(problem)
    else:
        if value is None:
            value = policy.region_default(region, setting) if region is not None else setting.default
            source = "default"
        if not value:
            found.add(Reason.OPTED_OUT)

    reasons = tuple(r for r in MEMBER_REASONS if r in found)
    return MemberDecision(
        member_id=member.member_id,
        reasons=reasons,
        region=region.id if region else None,
        setting=value if problem is None else None,
        setting_source=source,
        details=tuple(details),
    )


def decide_record(
    policy: Policy,
    record: Record,
    member: MemberDecision | None,
    groups: Mapping[str, Group],
    as_of: dt.datetime,
) -> RecordDecision:
    """A record is used iff its member is eligible and the record passes every record rule.
    All reasons that apply are listed; the member's reasons come first."""
    as_of = as_utc(as_of)
    found: set[Reason] = set()
    details: list[str] = []
    rule = policy.kinds.get(record.kind)

    if record.created_at is None or record.text is None:
        found.add(Reason.RECORD_INCOMPLETE)
    elif as_utc(record.created_at) > as_of:
        found.add(Reason.CREATED_AFTER_AS_OF)
    if record.deleted_at is not None and as_utc(record.deleted_at) <= as_of:
        found.add(Reason.RECORD_DELETED)
    if rule is None:
        found.add(Reason.KIND_UNKNOWN)
    elif not rule.used:
        found.add(Reason.KIND_NEVER_USED)
        if rule.note:
            details.append(rule.note)
    elif record.visibility not in rule.visibility:
        found.add(Reason.VISIBILITY)
        details.append(f"{record.visibility!r} is not allowed for {record.kind}")

    # Any record that names a group, and every group kind, passes the group rule.
    if policy.groups.exclude_sensitive and (
        record.group_id is not None or (rule is not None and rule.group)
    ):
        group = groups.get(record.group_id) if record.group_id is not None else None
        if group is None:
            if policy.groups.missing_group_is_sensitive:
                found.add(Reason.GROUP_UNKNOWN)
        elif group.sensitive is None:
            found.add(Reason.GROUP_UNKNOWN)
            details.append(f"group {group.name!r} has no sensitive flag (treated as sensitive)")
        elif group.sensitive:
            found.add(Reason.SENSITIVE_GROUP)
            details.append(f"group {group.name!r} is sensitive")

    cutoff = policy.lookback.cutoff(as_of.date())
    if (
        cutoff is not None
        and record.created_at is not None
        and as_utc(record.created_at).date() < cutoff
    ):
        found.add(Reason.BEFORE_LOOKBACK)

    member_reasons = (Reason.MEMBER_UNKNOWN,) if member is None else member.reasons
    record_reasons = tuple(r for r in RECORD_REASONS if r in found)
    return RecordDecision(
        record_id=record.record_id,
        member_id=record.member_id,
        kind=record.kind,
        reasons=member_reasons + record_reasons,
        category=rule.category if rule is not None else None,
        details=tuple(details),
    )


@dataclass
class ReferenceEvaluator:
    """The rules applied to whole tables held in memory (members, education, groups and
    events are small next to records, which are streamed by the callers)."""

    policy: Policy
    as_of: dt.datetime
    members: dict[str, Member]
    education: dict[str, list[Education]] = field(default_factory=dict)
    events: dict[str, list[PreferenceEvent]] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    notifications: dict[str, list[Notification]] = field(default_factory=dict)
    purpose: str | None = None  # the setting decided; None: the policy's primary one
    _decisions: dict[str, MemberDecision] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.as_of = as_utc(self.as_of)
        self.policy.setting_for(self.purpose)  # an unknown purpose fails here, not later

    def member(self, member_id: str) -> MemberDecision | None:
        if member_id not in self._decisions:
            m = self.members.get(member_id)
            if m is None:
                return None
            self._decisions[member_id] = decide_member(
                self.policy,
                m,
                self.education.get(member_id, ()),
                self.events.get(member_id, ()),
                self.as_of,
                self.purpose,
                self.notifications.get(member_id, ()),
            )
        return self._decisions[member_id]

    def record(self, record: Record) -> RecordDecision:
        return decide_record(
            self.policy, record, self.member(record.member_id), self.groups, self.as_of
        )
