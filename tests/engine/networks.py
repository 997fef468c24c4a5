"""Hypothesis strategies for small random networks whose values cluster on the boundaries of
the time rule, so that disagreements between the engine plan and the reference show up."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

UTC = dt.UTC
ANCHORS = [
    dt.datetime(2024, 9, 18, tzinfo=UTC),
    dt.datetime(2025, 11, 3, tzinfo=UTC),
    dt.datetime(2025, 11, 3, 12, 30, tzinfo=UTC),
    dt.datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC),
]
OFFSETS = [
    dt.timedelta(0),
    dt.timedelta(microseconds=1),
    -dt.timedelta(microseconds=1),
    dt.timedelta(seconds=1),
    -dt.timedelta(days=1),
    dt.timedelta(days=1),
    -dt.timedelta(days=400),
    dt.timedelta(days=30),
]
# "fr" and "FR " are written wrong on purpose: they must stay out (region_unknown)
COUNTRIES = ["FR", "DE", "US", "GB", "CH", "BR", "HK", None, "UK", "XX", "fr", "FR "]
KINDS = [
    "post",
    "article",
    "comment",
    "profile_headline",
    "group_post",
    "group_message",
    "ai_prompt",
    "resume",
    "private_message",
    "inmail",
    "salary",
    "search_query",
    "hologram",
]
VISIBILITIES = ["public", "connections", "group", "private"]

INSTANTS = st.builds(lambda a, o: a + o, st.sampled_from(ANCHORS), st.sampled_from(OFFSETS))
as_of_instants = st.sampled_from(ANCHORS) | INSTANTS


@st.composite
def birth_dates(draw, around: dt.date) -> dt.date | None:
    if draw(st.booleans()):
        return draw(st.sampled_from([None, dt.date(1980, 5, 5), dt.date(2008, 2, 29)]))
    anchor = draw(st.sampled_from([a.date() for a in ANCHORS] + [around]))
    years = draw(st.sampled_from([17, 18, 19]))
    shift = draw(st.sampled_from([-1, 0, 1]))
    try:
        base = anchor.replace(year=anchor.year - years)
    except ValueError:
        base = dt.date(anchor.year - years, 3, 1)
    return base + dt.timedelta(days=shift)


@st.composite
def networks(draw, max_members: int = 6, max_records: int = 5, settled: bool = False):
    """(tables, as_of): times cluster on the anchors and on as_of itself. ``settled``: adult
    members who joined long ago, in FR, GB or US, never deleted, with no school, so that the
    settings and the notices decide (most members of a fully random network are out for
    another reason first)."""
    as_of = draw(as_of_instants)
    near = st.builds(lambda o: as_of + o, st.sampled_from(OFFSETS))
    instants = near | INSTANTS
    days = near.map(lambda t: t.date())
    n = draw(st.integers(1, max_members))
    members, education, events, records, notices = [], [], [], [], []
    # notices cluster on the notice deadline of the shipped policy (46 days before as_of)
    deadline = as_of - dt.timedelta(days=46)
    near_deadline = st.builds(lambda o: deadline + o, st.sampled_from(OFFSETS))
    groups = [
        dict(group_id="g_ok", name="Data people", sensitive=False),
        dict(group_id="g_union", name="Union", sensitive=True),
        dict(group_id="g_unsure", name="Unsure", sensitive=None),  # unknown: sensitive
    ]
    for i in range(n):
        mid = f"m{i}"
        joined = draw(instants)
        if settled:
            members.append(dict(member_id=mid, country=draw(st.sampled_from(["FR", "GB", "US"])),
                                birth_date=dt.date(1980, 5, 5), joined_at=ANCHORS[0]
                                - dt.timedelta(days=3000), deleted_at=None, language="en"))
        members.append(
            dict(
                member_id=mid,
                country=draw(st.sampled_from(COUNTRIES)),
                birth_date=draw(birth_dates(as_of.date())),
                joined_at=None
                if draw(st.integers(0, 19)) == 0
                else joined - dt.timedelta(days=draw(st.sampled_from([0, 3000, 3000]))),
                deleted_at=draw(st.none() | st.none() | instants),
                language=draw(st.sampled_from(["fr", None])),
            )
        )
        if settled:
            members.pop()  # the random draw above keeps the strategy's shape; not used
        for _ in range(0 if settled else draw(st.integers(0, 2))):
            start = draw(days) - dt.timedelta(days=draw(st.sampled_from([0, 1, 700])))
            if draw(st.integers(0, 9)) == 0:
                start = None  # counts as started
            end = draw(st.none() | days)
            education.append(
                dict(
                    member_id=mid,
                    school="School",
                    start_date=start,
                    end_date=end,
                    level=draw(
                        st.sampled_from(["secondary", "higher", "other", None, "Secondary"])
                    ),
                )
            )
        for _ in range(draw(st.integers(0, 3))):
            events.append(
                dict(
                    member_id=mid,
                    setting=draw(
                        st.sampled_from(
                            ["data_for_genai_improvement"] * 4
                            + ["microsoft_ai_sharing"] * 2
                            + ["data_sharing", "erasure"]
                        )
                    ),
                    value=draw(st.booleans()),
                    effective_at=draw(instants),
                    source=draw(st.sampled_from(["web", "api", "gpc"])),
                )
            )
        for _ in range(draw(st.integers(0, 3 if settled else 2))):
            notices.append(
                dict(
                    member_id=mid,
                    setting=draw(st.sampled_from(
                        ["data_for_genai_improvement"] * (2 if settled else 3)
                        + ["microsoft_ai_sharing"] * (3 if settled else 1) + ["data_sharing"]
                    )),
                    notified_at=None
                    if draw(st.integers(0, 14)) == 0
                    else draw(near_deadline | instants),
                )
            )
        for j in range(draw(st.integers(0, max_records))):
            records.append(
                dict(
                    record_id=f"{mid}-r{j}",
                    member_id=mid if draw(st.integers(0, 9)) else "ghost",
                    kind=draw(st.sampled_from(KINDS)),
                    visibility=draw(st.sampled_from(VISIBILITIES)),
                    group_id=draw(
                        st.sampled_from([None, None, "g_ok", "g_union", "g_missing", "g_unsure"])
                    ),
                    created_at=None if draw(st.integers(0, 14)) == 0 else draw(instants),
                    deleted_at=draw(st.none() | instants),
                    text=draw(
                        st.sampled_from(
                            ["Bonjour", "mail me: a.b@example.com", "", "Merci !", None]
                        )
                    ),
                )
            )
    return {
        "members": members,
        "education": education,
        "groups": groups,
        "records": records,
        "preference_events": events,
        "notifications": notices,
    }, as_of
