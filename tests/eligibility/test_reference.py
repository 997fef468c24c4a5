"""The reference evaluator is the specification: every rule and every boundary of the time
rule (DESIGN.md, "The time rule") is pinned here."""

from __future__ import annotations

import datetime as dt

import pytest

from consentgate.eligibility import (
    Education,
    Group,
    Member,
    Notification,
    PreferenceEvent,
    Reason,
    Record,
    decide_member,
    decide_record,
)
from consentgate.eligibility.reference import nth_birthday
from consentgate.policy import load_policy, parse_policy
from consentgate.policy.loader import resolve

UTC = dt.UTC
POLICY = load_policy("linkedin-2025")
EU_START = dt.datetime(2025, 11, 3, tzinfo=UTC)
T = dt.datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def member(**kw) -> Member:
    base = dict(
        member_id="m1",
        country="FR",
        birth_date=dt.date(1990, 5, 17),
        joined_at=dt.datetime(2010, 1, 1, tzinfo=UTC),
        deleted_at=None,
        language="fr",
    )
    base.update(kw)
    return Member(**base)


def event(
    value: bool, at: dt.datetime, setting: str = "data_for_genai_improvement", source: str = "web"
) -> PreferenceEvent:
    return PreferenceEvent("m1", setting, value, at, source)


def school(start: dt.date, end: dt.date | None, level: str = "secondary") -> Education:
    return Education("m1", "Lycée Victor Hugo", level, start, end)


# LinkedIn announced the change on 2025-09-18 (46 days before EU_START): in these tests every
# member was told that day, unless a test gives its own notices (see the notice tests)
ANNOUNCED = dt.datetime(2025, 9, 18, tzinfo=UTC)
TOLD = (Notification("m1", "data_for_genai_improvement", ANNOUNCED),)


def decide(m: Member | None = None, edu=(), events=(), as_of: dt.datetime = T, policy=POLICY,
           notices=TOLD, purpose: str | None = None):
    return decide_member(policy, m or member(), list(edu), list(events), as_of, purpose,
                         list(notices))


def record(**kw) -> Record:
    base = dict(
        record_id="r1",
        member_id="m1",
        kind="post",
        visibility="public",
        group_id=None,
        created_at=dt.datetime(2024, 6, 1, tzinfo=UTC),
        deleted_at=None,
        text="hello",
    )
    base.update(kw)
    return Record(**base)


GROUPS = {
    "g_ok": Group("g_ok", "Data engineers", False),
    "g_union": Group("g_union", "Syndicat CGT Informatique", True),
}


def rdecide(r: Record, as_of: dt.datetime = T, m=None, policy=POLICY):
    md = m if m is not None else decide(as_of=as_of, policy=policy)
    return decide_record(policy, r, md, GROUPS, as_of)


# -- members: joined, deleted ------------------------------------------------------------------
def test_adult_in_started_region_with_default_on_is_eligible() -> None:
    d = decide()
    assert d.eligible and d.reason == Reason.USED
    assert d.region == "eu_eea" and d.setting is True and d.setting_source == "default"


def test_joined_exactly_at_t_counts_one_microsecond_later_does_not() -> None:
    assert decide(member(joined_at=T)).eligible
    late = decide(member(joined_at=T + dt.timedelta(microseconds=1)))
    assert late.reasons == (Reason.NOT_JOINED,)


def test_deleted_at_t_is_out_deleted_after_t_is_in() -> None:
    assert decide(member(deleted_at=T)).reasons == (Reason.DELETED,)
    assert decide(member(deleted_at=T + dt.timedelta(seconds=1))).eligible


def test_naive_timestamps_are_utc() -> None:
    naive = decide(member(joined_at=T.replace(tzinfo=None)), as_of=T)
    assert naive.eligible
    paris = dt.timezone(dt.timedelta(hours=1))
    # 12:30 in Paris is 11:30 UTC, before T
    assert decide(member(joined_at=dt.datetime(2026, 1, 15, 12, 30, tzinfo=paris))).eligible


# -- regions -------------------------------------------------------------------------------------
@pytest.mark.parametrize("country", ["FR", "DE", "NO", "IS", "LI", "CH", "GB", "CA", "HK"])
def test_rollout_regions_start_on_2025_11_03_at_midnight_utc(country: str) -> None:
    m = member(country=country)
    assert decide(m, as_of=EU_START).eligible
    before = decide(m, as_of=EU_START - dt.timedelta(microseconds=1))
    # told on 2025-09-18 at 00:00, exactly 46 days before EU_START: a microsecond earlier the
    # notice period has not run either
    assert before.reasons == (Reason.REGION_NOT_STARTED, Reason.NOT_NOTIFIED)


@pytest.mark.parametrize("country", ["US", "BR", "IN", "JP"])
def test_us_and_rest_of_world_start_on_2024_09_18(country: str) -> None:
    start = dt.datetime(2024, 9, 18, tzinfo=UTC)
    assert decide(member(country=country), as_of=start).eligible
    assert decide(member(country=country), as_of=start - dt.timedelta(seconds=1)).reasons == (
        Reason.REGION_NOT_STARTED,
    )


@pytest.mark.parametrize("country", [None, "UK", "XX", "fr", ""])
def test_unknown_country_is_never_used(country: str | None) -> None:
    d = decide(member(country=country))
    assert d.reasons == (Reason.REGION_UNKNOWN,) and d.region is None


def test_unknown_country_with_explicit_opt_in_is_still_out() -> None:
    d = decide(member(country=None), events=[event(True, T - dt.timedelta(days=1))])
    assert Reason.REGION_UNKNOWN in d.reasons and not d.eligible


# -- minors ----------------------------------------------------------------------------------------
def test_eighteenth_birthday_on_t_date_is_adult_day_before_is_minor() -> None:
    t_day = T.date()
    born = t_day.replace(year=t_day.year - 18)
    assert decide(member(birth_date=born)).eligible
    # T late in the day, birthday is tomorrow: still a minor
    d = decide(member(birth_date=born + dt.timedelta(days=1)))
    assert d.reasons == (Reason.MINOR_AGE,)
    # the birthday counts from T's UTC date, even at the very first instant of the day
    midnight = dt.datetime.combine(t_day, dt.time(0), tzinfo=UTC)
    assert decide(member(birth_date=born), as_of=midnight).eligible


def test_born_on_29_february_comes_of_age_on_1_march() -> None:
    assert nth_birthday(dt.date(2008, 2, 29), 18) == dt.date(2026, 3, 1)
    m = member(birth_date=dt.date(2008, 2, 29))
    assert decide(m, as_of=dt.datetime(2026, 2, 28, 23, 59, tzinfo=UTC)).reasons == (
        Reason.MINOR_AGE,
    )
    assert decide(m, as_of=dt.datetime(2026, 3, 1, tzinfo=UTC)).eligible


def test_unknown_birth_date_is_not_a_minor_by_age() -> None:
    assert decide(member(birth_date=None)).eligible


def test_minor_who_explicitly_opted_in_is_still_out() -> None:
    d = decide(
        member(birth_date=dt.date(2010, 3, 1)), events=[event(True, T - dt.timedelta(days=3))]
    )
    assert d.setting is True and d.setting_source == "event"
    assert d.reasons == (Reason.MINOR_AGE,)


def test_secondary_school_active_on_t_date() -> None:
    d = T.date()
    # started on T's date: active
    assert decide(edu=[school(d, None)]).reasons == (Reason.MINOR_SECONDARY_SCHOOL,)
    # starts tomorrow: not yet
    assert decide(edu=[school(d + dt.timedelta(days=1), None)]).eligible
    # ends on T's date: no longer active (end_date > D is required)
    assert decide(edu=[school(dt.date(2022, 9, 1), d)]).eligible
    # ends tomorrow: still active today
    assert decide(edu=[school(dt.date(2022, 9, 1), d + dt.timedelta(days=1))]).reasons == (
        Reason.MINOR_SECONDARY_SCHOOL,
    )


def test_only_secondary_level_means_minor() -> None:
    assert decide(edu=[school(dt.date(2024, 9, 1), None, level="higher")]).eligible
    assert decide(edu=[school(dt.date(2024, 9, 1), None, level="other")]).eligible


def test_adult_by_birth_date_but_in_secondary_school_is_out() -> None:
    d = decide(member(birth_date=dt.date(1980, 1, 1)), edu=[school(dt.date(2025, 9, 1), None)])
    assert d.reasons == (Reason.MINOR_SECONDARY_SCHOOL,)


def test_both_minor_reasons_are_listed_in_precedence_order() -> None:
    d = decide(member(birth_date=dt.date(2010, 1, 1)), edu=[school(dt.date(2025, 9, 1), None)])
    assert d.reasons == (Reason.MINOR_AGE, Reason.MINOR_SECONDARY_SCHOOL)


# -- the setting -----------------------------------------------------------------------------------
def test_event_at_exactly_t_counts() -> None:
    assert decide(events=[event(False, T)]).reasons == (Reason.OPTED_OUT,)
    assert decide(events=[event(False, T + dt.timedelta(microseconds=1))]).eligible


def test_last_event_decides_and_re_opt_in_works() -> None:
    evs = [event(False, T - dt.timedelta(days=30)), event(True, T - dt.timedelta(days=2))]
    assert decide(events=evs).eligible
    evs.append(event(False, T - dt.timedelta(hours=1)))
    assert decide(events=evs).reasons == (Reason.OPTED_OUT,)


def test_opt_out_before_rollout_still_applies_after_it() -> None:
    d = decide(events=[event(False, dt.datetime(2025, 9, 20, tzinfo=UTC))], as_of=EU_START)
    assert d.reasons == (Reason.OPTED_OUT,)


def test_opt_out_is_not_retroactive() -> None:
    evs = [event(False, dt.datetime(2025, 12, 1, tzinfo=UTC))]
    assert decide(events=evs, as_of=dt.datetime(2025, 11, 20, tzinfo=UTC)).eligible
    assert not decide(events=evs, as_of=dt.datetime(2025, 12, 1, tzinfo=UTC)).eligible


def test_disagreeing_events_at_the_same_latest_instant_fail_closed() -> None:
    at = T - dt.timedelta(days=1)
    d = decide(events=[event(True, at), event(False, at)])
    assert d.reasons == (Reason.CONSENT_CONFLICT,) and d.setting is None
    # agreeing duplicates are fine
    assert decide(events=[event(True, at), event(True, at, source="api")]).eligible
    # a later event resolves an earlier conflict
    assert decide(events=[event(True, at), event(False, at), event(True, T)]).eligible


def test_events_of_other_settings_are_ignored() -> None:
    assert decide(events=[event(False, T - dt.timedelta(days=1), setting="data_sharing")]).eligible


def test_unreadable_event_fails_closed() -> None:
    assert decide(
        events=[PreferenceEvent("m1", "data_for_genai_improvement", None, T - dt.timedelta(days=1))]
    ).reasons == (Reason.CONSENT_UNREADABLE,)
    assert decide(
        events=[PreferenceEvent("m1", "data_for_genai_improvement", True, None)]
    ).reasons == (Reason.CONSENT_UNREADABLE,)


def test_region_default_off_is_honoured() -> None:
    text = (
        resolve("linkedin-2025")
        .read_text()
        .replace(
            'countries = ["CH"]\ntraining_start = 2025-11-03',
            'countries = ["CH"]\ntraining_start = 2025-11-03\ndefault = false',
        )
    )
    pol = parse_policy(text.encode())
    assert decide(member(country="CH"), policy=pol).reasons == (Reason.OPTED_OUT,)
    assert decide(
        member(country="CH"), policy=pol, events=[event(True, T - dt.timedelta(days=1))]
    ).eligible
    assert decide(member(country="FR"), policy=pol).eligible


# -- records -----------------------------------------------------------------------------------------
def test_public_post_of_eligible_member_is_used() -> None:
    d = rdecide(record())
    assert d.used and d.category == "user.content.public.member_generated"


def test_record_of_excluded_member_carries_member_reason_first() -> None:
    m = decide(events=[event(False, T - dt.timedelta(days=1))])
    d = rdecide(record(kind="private_message", visibility="private"), m=m)
    assert d.reasons == (Reason.OPTED_OUT, Reason.KIND_NEVER_USED)
    assert decide_record(POLICY, record(), None, GROUPS, T).reasons == (Reason.MEMBER_UNKNOWN,)


def test_created_at_boundary() -> None:
    assert rdecide(record(created_at=T)).used
    assert rdecide(record(created_at=T + dt.timedelta(microseconds=1))).reasons == (
        Reason.CREATED_AFTER_AS_OF,
    )


def test_record_deleted_boundary() -> None:
    assert rdecide(record(deleted_at=T)).reasons == (Reason.RECORD_DELETED,)
    assert rdecide(record(deleted_at=T + dt.timedelta(seconds=1))).used


@pytest.mark.parametrize(
    "kind",
    [
        "private_message",
        "inmail",
        "salary",
        "job_application",
        "login_credential",
        "payment_method",
        "search_query",
    ],
)
def test_never_used_kinds(kind: str) -> None:
    assert rdecide(record(kind=kind, visibility="public")).reasons == (Reason.KIND_NEVER_USED,)


def test_unknown_kind_fails_closed() -> None:
    assert rdecide(record(kind="hologram")).reasons == (Reason.KIND_UNKNOWN,)


@pytest.mark.parametrize(
    ("kind", "visibility", "used"),
    [
        ("post", "public", True),
        ("post", "connections", False),
        ("article", "private", False),
        ("comment", "group", False),
        ("profile_headline", "public", True),
        ("profile_photo", "connections", False),
        ("ai_prompt", "private", True),
        ("ai_output", "connections", True),
        ("resume", "private", True),
        ("screening_answer", "private", True),
        ("feedback", "private", True),
    ],
)
def test_visibility_rules(kind: str, visibility: str, used: bool) -> None:
    d = rdecide(record(kind=kind, visibility=visibility))
    assert d.used is used
    if not used:
        assert d.reasons == (Reason.VISIBILITY,)


def test_group_kinds_need_a_known_non_sensitive_group() -> None:
    assert rdecide(record(kind="group_post", visibility="group", group_id="g_ok")).used
    assert rdecide(record(kind="group_message", visibility="public", group_id="g_ok")).used
    assert rdecide(record(kind="group_comment", visibility="private", group_id="g_ok")).reasons == (
        Reason.VISIBILITY,
    )
    assert rdecide(record(kind="group_post", visibility="group", group_id="g_union")).reasons == (
        Reason.SENSITIVE_GROUP,
    )
    assert rdecide(record(kind="group_post", visibility="group", group_id="g_gone")).reasons == (
        Reason.GROUP_UNKNOWN,
    )
    assert rdecide(record(kind="group_post", visibility="group", group_id=None)).reasons == (
        Reason.GROUP_UNKNOWN,
    )


def test_any_record_naming_a_sensitive_group_is_out() -> None:
    assert rdecide(record(kind="comment", group_id="g_union")).reasons == (Reason.SENSITIVE_GROUP,)
    assert rdecide(record(kind="comment", group_id="g_ok")).used


def test_lookback_limit() -> None:
    text = (
        resolve("linkedin-2025")
        .read_text()
        .replace("# one, for example: since", "since = 2020-01-01\n# since")
    )
    pol = parse_policy(text.encode())
    m = decide(policy=pol)
    assert rdecide(record(created_at=dt.datetime(2020, 1, 1, tzinfo=UTC)), m=m, policy=pol).used
    assert rdecide(
        record(created_at=dt.datetime(2019, 12, 31, 23, 59, tzinfo=UTC)), m=m, policy=pol
    ).reasons == (Reason.BEFORE_LOOKBACK,)


def test_all_record_reasons_listed_in_precedence_order() -> None:
    d = rdecide(
        record(
            kind="post",
            visibility="private",
            group_id="g_union",
            created_at=T + dt.timedelta(days=1),
            deleted_at=T,
        )
    )
    assert d.reasons == (
        Reason.CREATED_AFTER_AS_OF,
        Reason.RECORD_DELETED,
        Reason.VISIBILITY,
        Reason.SENSITIVE_GROUP,
    )
