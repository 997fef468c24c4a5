"""The boundaries of the time rule, through the whole build (engine plan, publish, lineage)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
from tests.conftest import write_source

UTC = dt.UTC
T = dt.datetime(2025, 11, 3, tzinfo=UTC)  # the EU rollout instant
D = T.date()
EARLY = dt.datetime(2015, 1, 1, tzinfo=UTC)


def _member(
    mid: str,
    country: str | None = "FR",
    birth: dt.date | None = dt.date(1990, 1, 1),
    joined: dt.datetime = EARLY,
    deleted: dt.datetime | None = None,
) -> dict:
    return dict(
        member_id=mid,
        country=country,
        birth_date=birth,
        joined_at=joined,
        deleted_at=deleted,
        language="fr",
    )


def _event(mid: str, value: bool, at: dt.datetime) -> dict:
    return dict(
        member_id=mid,
        setting="data_for_genai_improvement",
        value=value,
        effective_at=at,
        source="web",
    )


CASES: dict[str, tuple[dict, list[dict], list[dict], bool]] = {
    # name: (member, education rows, events, used?)
    "eu_at_rollout": (_member("eu_at_rollout"), [], [], True),
    "opt_out_exactly_at_t": (
        _member("opt_out_exactly_at_t"),
        [],
        [_event("opt_out_exactly_at_t", False, T)],
        False,
    ),
    "opt_out_just_after_t": (
        _member("opt_out_just_after_t"),
        [],
        [_event("opt_out_just_after_t", False, T + dt.timedelta(microseconds=1))],
        True,
    ),
    "re_opt_in_at_t": (
        _member("re_opt_in_at_t"),
        [],
        [_event("re_opt_in_at_t", False, EARLY), _event("re_opt_in_at_t", True, T)],
        True,
    ),
    "tie_at_t": (
        _member("tie_at_t"),
        [],
        [_event("tie_at_t", False, T), _event("tie_at_t", True, T)],
        False,
    ),
    "turns_18_on_t": (_member("turns_18_on_t", birth=D.replace(year=D.year - 18)), [], [], True),
    "turns_18_day_after": (
        _member("turns_18_day_after", birth=D.replace(year=D.year - 18) + dt.timedelta(days=1)),
        [],
        [],
        False,
    ),
    "minor_opted_in": (
        _member("minor_opted_in", birth=dt.date(2010, 5, 5)),
        [],
        [_event("minor_opted_in", True, EARLY)],
        False,
    ),
    "school_ends_on_t": (
        _member("school_ends_on_t"),
        [
            dict(
                member_id="school_ends_on_t",
                school="Lycée",
                level="secondary",
                start_date=dt.date(2022, 9, 1),
                end_date=D,
            )
        ],
        [],
        True,
    ),
    "school_ends_after_t": (
        _member("school_ends_after_t"),
        [
            dict(
                member_id="school_ends_after_t",
                school="Lycée",
                level="secondary",
                start_date=dt.date(2022, 9, 1),
                end_date=D + dt.timedelta(days=1),
            )
        ],
        [],
        False,
    ),
    "school_starts_on_t": (
        _member("school_starts_on_t"),
        [
            dict(
                member_id="school_starts_on_t",
                school="Lycée",
                level="secondary",
                start_date=D,
                end_date=None,
            )
        ],
        [],
        False,
    ),
    "school_starts_after_t": (
        _member("school_starts_after_t"),
        [
            dict(
                member_id="school_starts_after_t",
                school="Lycée",
                level="secondary",
                start_date=D + dt.timedelta(days=1),
                end_date=None,
            )
        ],
        [],
        True,
    ),
    "joined_at_t": (_member("joined_at_t", joined=T), [], [], True),
    "joined_after_t": (
        _member("joined_after_t", joined=T + dt.timedelta(seconds=1)),
        [],
        [],
        False,
    ),
    "deleted_at_t": (_member("deleted_at_t", deleted=T), [], [], False),
    "no_country": (
        _member("no_country", country=None),
        [],
        [_event("no_country", True, EARLY)],
        False,
    ),
    "us_member": (_member("us_member", country="US"), [], [], True),
    # the notice rule (46 days in the shipped policy): every other member was told exactly
    # 46 days before T
    "told_1us_late": (_member("told_1us_late"), [], [], False),
    "never_told": (_member("never_told"), [], [], False),
    "told_after_t": (_member("told_after_t"), [], [], False),
}
TOLD = T - dt.timedelta(days=46)  # 2025-09-18, the day LinkedIn announced the change
NOTICES = {
    "told_1us_late": [TOLD + dt.timedelta(microseconds=1)],
    "never_told": [],
    "told_after_t": [T + dt.timedelta(microseconds=1)],
}


@pytest.fixture
def boundary_source(tmp_path: Path) -> Path:
    members, education, events, records = [], [], [], []
    for name, (member, edu, evs, _used) in CASES.items():
        members.append(member)
        education += edu
        events += evs
        records.append(
            dict(
                record_id=f"{name}-post",
                member_id=name,
                kind="post",
                visibility="public",
                group_id=None,
                created_at=EARLY,
                deleted_at=None,
                text=f"Post by {name}",
            )
        )
    records += [
        dict(
            record_id="created_at_t",
            member_id="eu_at_rollout",
            kind="post",
            visibility="public",
            group_id=None,
            created_at=T,
            deleted_at=None,
            text="at T",
        ),
        dict(
            record_id="created_after_t",
            member_id="eu_at_rollout",
            kind="post",
            visibility="public",
            group_id=None,
            created_at=T + dt.timedelta(microseconds=1),
            deleted_at=None,
            text="after T",
        ),
        dict(
            record_id="deleted_at_t",
            member_id="eu_at_rollout",
            kind="post",
            visibility="public",
            group_id=None,
            created_at=EARLY,
            deleted_at=T,
            text="gone",
        ),
    ]
    return write_source(
        tmp_path / "src",
        {
            "members": members,
            "education": education,
            "groups": [],
            "records": records,
            "preference_events": events,
            "notifications": [
                dict(member_id=name, setting="data_for_genai_improvement", notified_at=at)
                for name in CASES for at in NOTICES.get(name, [TOLD])
            ],
        },
    )


def test_every_boundary_through_the_build(
    boundary_source: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "55" * 32)
    policy = load_policy("linkedin-2025")
    build_snapshot(BuildOptions(boundary_source, policy, T, tmp_path / "snap"))
    got = {r["record_id"] for r in pq.read_table(tmp_path / "snap" / "lineage").to_pylist()}
    want = {f"{name}-post" for name, case in CASES.items() if case[3]} | {"created_at_t"}
    assert got == want
    assert verify_snapshot(tmp_path / "snap", boundary_source, policy).ok
    # one microsecond before the rollout, no EU member is used; the US member is
    build_snapshot(
        BuildOptions(boundary_source, policy, T - dt.timedelta(microseconds=1), tmp_path / "before")
    )
    before = {r["record_id"] for r in pq.read_table(tmp_path / "before" / "lineage").to_pylist()}
    assert before == {"us_member-post"}
