"""The purpose a decision is for, and the notice rule at its boundaries (reference
evaluator). The engine plan is held to the same cases in tests/engine/test_purposes.py."""

from __future__ import annotations

import datetime as dt

import pytest

from consentgate.eligibility import Member, Notification, PreferenceEvent, Reason, decide_member
from consentgate.policy import load_policy
from consentgate.policy.model import UnknownSetting

UTC = dt.UTC
POLICY = load_policy("linkedin-2025")
T = dt.datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
DEADLINE = T - dt.timedelta(days=46)  # the shipped notice period
GENAI, MICROSOFT, ADS, OTHER_AI = POLICY.setting_keys()
US = dt.timedelta(microseconds=1)


def member(country: str = "FR") -> Member:
    return Member("m1", country, dt.date(1980, 1, 1), dt.datetime(2010, 1, 1, tzinfo=UTC))


def told(at: dt.datetime | None, setting: str = GENAI) -> Notification:
    return Notification("m1", setting, at)


def decide(country: str = "FR", events=(), notices=(), purpose: str | None = None,
           as_of: dt.datetime = T):
    return decide_member(POLICY, member(country), [], list(events), as_of, purpose,
                         list(notices))


@pytest.mark.parametrize(
    ("notified_at", "used"),
    [
        (DEADLINE, True),  # exactly notice_days before T counts
        (DEADLINE - US, True),
        (DEADLINE + US, False),  # one microsecond later does not
        (T, False),  # at T: no notice period at all
        (T + dt.timedelta(days=1), False),  # after T
        (None, False),  # no readable time: no proof of notice
    ],
    ids=["at_deadline", "before_deadline", "deadline_plus_1us", "at_T", "after_T", "no_time"],
)
def test_notice_boundaries(notified_at, used) -> None:
    d = decide(notices=[told(notified_at)])
    assert d.eligible is used
    if not used:
        assert d.reasons == (Reason.NOT_NOTIFIED,)


def test_never_notified_is_out_and_the_notice_must_be_for_the_setting() -> None:
    assert decide().reasons == (Reason.NOT_NOTIFIED,)
    assert decide(notices=[told(DEADLINE, MICROSOFT)]).reasons == (Reason.NOT_NOTIFIED,)
    # a later notice does not undo an earlier one that was in time
    assert decide(notices=[told(T + US), told(DEADLINE)]).eligible


def test_notice_counts_in_utc_whatever_the_offset() -> None:
    paris = dt.timezone(dt.timedelta(hours=1))
    assert decide(notices=[told(DEADLINE.astimezone(paris))]).eligible
    naive = (DEADLINE + US).replace(tzinfo=None)  # naive is UTC by contract
    assert not decide(notices=[told(naive)]).eligible


def test_notice_only_where_the_policy_requires_it() -> None:
    # the US got the toggle in 2024 without notice ahead: no notice rule there
    assert decide("US").eligible
    # None: the caller does not apply the notice rule (the settings page asks about age)
    assert decide_member(POLICY, member(), [], [], T, None, None).eligible


def test_opted_out_and_not_notified_are_both_listed() -> None:
    off = PreferenceEvent("m1", GENAI, False, T - dt.timedelta(days=3))
    assert decide(events=[off]).reasons == (Reason.OPTED_OUT, Reason.NOT_NOTIFIED)


def test_uk_member_on_for_one_purpose_and_off_for_the_other() -> None:
    notices = [told(DEADLINE, GENAI), told(DEADLINE, MICROSOFT)]
    refuses_microsoft = [PreferenceEvent("m1", MICROSOFT, False, T - dt.timedelta(days=2))]
    assert decide("GB", refuses_microsoft, notices, GENAI).eligible
    d = decide("GB", refuses_microsoft, notices, MICROSOFT)
    assert d.reasons == (Reason.OPTED_OUT,) and d.setting is False
    refuses_genai = [PreferenceEvent("m1", GENAI, False, T - dt.timedelta(days=2))]
    assert decide("GB", refuses_genai, notices, MICROSOFT).eligible
    assert decide("GB", refuses_genai, notices, GENAI).reasons == (Reason.OPTED_OUT,)


def test_a_setting_not_offered_in_the_region_leaves_the_member_out() -> None:
    assert decide("FR", notices=[told(DEADLINE, MICROSOFT)], purpose=MICROSOFT).reasons == (
        Reason.NOT_OFFERED,
    )
    d = decide("FR", purpose=ADS)  # ads sharing is outside the EU/EEA and CH
    assert d.reasons == (Reason.NOT_OFFERED,)
    assert decide("US", purpose=ADS).eligible  # on by default, no notice rule
    gpc = PreferenceEvent("m1", ADS, False, T - dt.timedelta(days=1), source="gpc")
    assert decide("US", [gpc], purpose=ADS).reasons == (Reason.OPTED_OUT,)
    assert decide("US", [gpc]).eligible  # the GenAI setting is another setting


def test_unknown_purpose_is_a_clear_error() -> None:
    with pytest.raises(UnknownSetting, match="no setting 'ai_training'"):
        decide(purpose="ai_training")
