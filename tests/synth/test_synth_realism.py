"""The network exercises every rule of DESIGN.md: regions, minors, schools, deletions,
sensitive and missing groups, preference events and their awkward cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from consentgate.contract.schema import SETTING_KEY
from consentgate.contract.source import open_source
from consentgate.policy import load_policy
from consentgate.synth.lang import LANGUAGES, MODULES
from consentgate.synth.texts import parse

from .conftest import MEMBERS

EU = "timestamptz '2025-11-03 00:00:00+00'"
US = "timestamptz '2024-09-18 00:00:00+00'"


@pytest.fixture(scope="module")
def q(net: Path) -> Callable[[str], list[tuple[Any, ...]]]:
    src = open_source(net)
    con = src.connect()
    for t in ("members", "education", "groups", "records", "preference_events"):
        con.execute(f"CREATE VIEW {t} AS SELECT * FROM {src.scan(t)}")
    return lambda sql: con.sql(sql).fetchall()


def one(q: Callable[[str], list[tuple[Any, ...]]], sql: str) -> Any:
    return q(sql)[0][0]


def test_every_region_and_eu_country(q) -> None:
    countries = {c for (c,) in q("select distinct country from members where country is not null")}
    for region in load_policy().regions:
        if region.rest_of_world:
            assert {"BR", "IN", "JP", "AU", "ZA"} <= countries
        else:
            missing = set(region.countries) - countries
            assert not missing, (region.id, missing)
    # bigger countries at scale
    assert one(q, "select count(*) from members where country = 'FR'") > MEMBERS * 0.04
    assert one(q, "select count(*) from members where country = 'US'") > MEMBERS * 0.12


def test_unknown_and_invalid_countries(q) -> None:
    null = one(q, "select count(*) from members where country is null")
    assert MEMBERS * 0.01 <= null <= MEMBERS * 0.04
    invalid = {
        c
        for (c,) in q("select distinct country from members where country in ('UK','XX','EU','ZZ')")
    }
    assert invalid and invalid <= {"UK", "XX", "EU", "ZZ"}


def test_languages_follow_countries(q) -> None:
    langs = dict(q("select language, count(*) from members where language is not null group by 1"))
    assert set(LANGUAGES) <= set(langs)
    assert one(q, "select count(*) from members where language is null") > 0
    fr = dict(q("select language, count(*) from members where country = 'FR' group by 1"))
    assert fr.get("fr", 0) > 0.7 * sum(fr.values())
    de = dict(q("select language, count(*) from members where country in ('DE','AT') group by 1"))
    assert de.get("de", 0) > 0.7 * sum(de.values())
    assert one(q, "select count(*) from members where country = 'US' and language = 'fr'") == 0


def test_texts_are_in_the_members_language(q) -> None:
    """Private messages and InMails (never switched to English) contain a literal fragment
    of one of their language's templates."""
    for lang in LANGUAGES:
        fragments = [
            text.strip()
            for kind in ("private_message", "inmail")
            for seg in MODULES[lang].TEMPLATES[kind]
            for template in seg
            for is_slot, text in parse(template)
            if not is_slot and len(text.strip()) >= 6
        ]
        rows = q(
            "select text from records join members using (member_id) "
            f"where language = '{lang}' and kind in ('private_message', 'inmail') limit 200"
        )
        assert rows, lang
        for (text,) in rows:
            assert any(f in text for f in fragments), (lang, text)


def test_minors_and_schools(q) -> None:
    minors = one(q, "select count(*) from members where birth_date > date '2007-11-03'")
    assert MEMBERS * 0.02 <= minors <= MEMBERS * 0.06
    ages = q(
        "select min(date_diff('year', birth_date, date '2025-11-03')) from members "
        "where birth_date is not null"
    )
    assert ages[0][0] == 15
    in_school = one(
        q,
        "select count(distinct m.member_id) from members m join education e using (member_id) "
        "where m.birth_date > date '2007-11-03' and e.level = 'secondary' "
        "and e.start_date <= date '2025-11-03' "
        "and (e.end_date is null or e.end_date > date '2025-11-03')",
    )
    assert in_school > 0.5 * minors
    # adults whose secondary school ended recently, and some ending exactly on a rollout day
    assert (
        one(
            q,
            "select count(*) from members m join education e using (member_id) "
            "where m.birth_date <= date '2007-11-03' and e.level = 'secondary' "
            "and e.end_date between date '2024-06-01' and date '2025-11-03'",
        )
        > 0
    )
    assert (
        one(
            q,
            "select count(*) from education where level = 'secondary' "
            "and end_date in (date '2025-11-03', date '2024-09-18')",
        )
        > 0
    )
    # members with no birth date, some of them in school (the only signal)
    assert one(q, "select count(*) from members where birth_date is null") > MEMBERS * 0.04
    assert (
        one(
            q,
            "select count(*) from members m join education e using (member_id) "
            "where m.birth_date is null and e.level = 'secondary' and e.end_date is null",
        )
        > 0
    )
    assert one(q, "select count(*) from education where level = 'higher'") > MEMBERS * 0.4


def test_birthdays_around_rollouts(q) -> None:
    assert one(q, "select count(*) from members where birth_date = date '2007-11-03'") > 0
    assert one(q, "select count(*) from members where birth_date = date '2006-09-18'") > 0
    assert (
        one(q, "select count(*) from members where month(birth_date) = 2 and day(birth_date) = 29")
        > 0
    )


def test_joins_and_deletions(q) -> None:
    lo, hi = q("select min(joined_at), max(joined_at) from members")[0]
    assert lo.year <= 2006 and hi.year == 2026
    assert one(q, f"select count(*) from members where joined_at > {EU}") > MEMBERS * 0.02
    deleted = one(q, "select count(*) from members where deleted_at is not null")
    assert MEMBERS * 0.01 <= deleted <= MEMBERS * 0.06


def test_groups(q) -> None:
    sensitive = one(q, "select count(*) from groups where sensitive")
    assert sensitive >= 5
    assert one(q, "select count(*) from groups where not sensitive") > sensitive
    names = " ".join(n for (n,) in q("select name from groups where sensitive"))
    assert names
    in_sensitive = one(
        q, "select count(*) from records r join groups g using (group_id) where g.sensitive"
    )
    assert in_sensitive > 0
    missing = one(
        q,
        "select count(*) from records where group_id is not null "
        "and group_id not in (select group_id from groups)",
    )
    assert 0 < missing < 0.02 * one(q, "select count(*) from records where group_id is not null")
    vis = dict(q("select visibility, count(*) from records where group_id is not null group by 1"))
    assert set(vis) == {"group", "public"}


def test_record_mix(q) -> None:
    per_member = dict(q("select kind, count(*) from records group by 1"))
    assert per_member["profile_name"] == MEMBERS
    assert per_member["ai_prompt"] == per_member["ai_output"]
    vis = dict(q("select visibility, count(*) from records where kind = 'post' group by 1"))
    assert vis["public"] > 3 * vis["connections"]
    assert set(vis) == {"public", "connections"}
    assert {
        v for (v,) in q("select distinct visibility from records where kind = 'private_message'")
    } == {"private"}
    profile_public = one(
        q, "select avg((visibility = 'public')::int) from records where kind like 'profile_%'"
    )
    assert profile_public > 0.85
    photos = q("select text from records where kind = 'profile_photo' limit 50")
    assert all(t.startswith("https://") for (t,) in photos)
    # AI outputs follow their prompts within seconds
    assert one(q, "select min(created_at) from records where kind = 'ai_prompt'").year >= 2023


def test_record_times(q) -> None:
    total = one(q, "select count(*) from records")
    lo, hi = q("select min(created_at), max(created_at) from records")[0]
    assert lo.year <= 2007
    assert hi <= dt.datetime(2026, 10, 31, 23, 59, 59, tzinfo=dt.UTC)
    after = one(q, f"select count(*) from records where created_at >= {EU}")
    assert after > 0.2 * total
    assert one(q, "select count(*) from records where created_at >= timestamptz '2026-06-01'") > 0
    around = one(
        q,
        f"select count(*) from records where created_at between {EU} - interval 14 day "
        f"and {EU} + interval 14 day",
    )
    assert around > 0.05 * total
    assert one(q, f"select count(*) from records where created_at = {EU}") > 0
    deleted = one(q, "select count(*) from records where deleted_at is not null")
    assert 0.01 * total < deleted < 0.1 * total


def test_preference_events(q) -> None:
    with_events = one(q, "select count(distinct member_id) from preference_events")
    assert 0.15 * MEMBERS <= with_events <= 0.3 * MEMBERS
    settings = dict(q("select setting, count(*) from preference_events group by 1"))
    assert set(settings) == {SETTING_KEY, "data_sharing", "microsoft_ai_sharing"}
    assert settings["data_sharing"] < 0.2 * settings[SETTING_KEY]
    assert settings["microsoft_ai_sharing"] < 0.2 * settings[SETTING_KEY]
    uk_only = one(q, "select count(*) from preference_events join members using (member_id) "
                     "where setting = 'microsoft_ai_sharing' and country is distinct from 'GB'")
    assert uk_only == 0
    sources = {s for (s,) in q("select distinct source from preference_events")}
    assert sources == {"web", "api", "import", "objection_form", "gpc"}
    key = f"setting = '{SETTING_KEY}'"
    assert one(q, f"select count(*) from preference_events where {key} and effective_at = {EU}") > 0
    assert one(q, f"select count(*) from preference_events where {key} and effective_at = {US}") > 0
    before = one(
        q,
        f"select count(*) from preference_events where {key} and not value and effective_at < {EU}",
    )
    after = one(
        q,
        f"select count(*) from preference_events where {key} and not value and effective_at > {EU}",
    )
    assert before > 0 and after > 0
    # re-opt-ins: an opt-in after an opt-out of the same member
    assert (
        one(
            q,
            f"select count(*) from preference_events a join preference_events b using (member_id) "
            f"where a.{key} and b.setting = a.setting and not a.value and b.value "
            "and b.effective_at > a.effective_at",
        )
        > 0
    )
    conflicts = one(
        q,
        "select count(*) from (select member_id, effective_at from preference_events "
        f"where {key} group by 1, 2 having count(distinct value) > 1)",
    )
    assert conflicts > 0
    minors = one(
        q,
        "select count(*) from preference_events p join members m using (member_id) "
        f"where p.{key} and p.value and m.birth_date > date '2007-11-03'",
    )
    assert minors > 0
    assert one(q, "select count(*) from preference_events where source = 'gpc' and value") == 0
    # never before joining, never after deletion
    assert (
        one(
            q,
            "select count(*) from preference_events p join members m using (member_id) "
            "where p.effective_at < m.joined_at "
            "or p.effective_at >= coalesce(m.deleted_at, 'infinity'::timestamptz)",
        )
        == 0
    )
