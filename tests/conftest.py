from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from consentgate.contract.schema import TABLES

UTC = dt.UTC


@pytest.fixture(autouse=True, scope="session")
def _member_index_cache(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The settings service's member indexes go to a folder of the test session (servers
    started as subprocesses inherit it), not to the user's cache."""
    import os

    folder = tmp_path_factory.mktemp("member-index-cache")
    before = os.environ.get("CONSENTGATE_CACHE_DIR")
    os.environ["CONSENTGATE_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("CONSENTGATE_CACHE_DIR", None)
    else:
        os.environ["CONSENTGATE_CACHE_DIR"] = before


def ts(*a: int) -> dt.datetime:
    return dt.datetime(*a, tzinfo=UTC)


def tiny_tables() -> dict[str, list[dict]]:
    """A hand-made network with one member per case the rules distinguish."""
    members = [
        dict(
            member_id="fr_adult",
            country="FR",
            birth_date=dt.date(1985, 4, 2),
            joined_at=ts(2012, 3, 4),
            deleted_at=None,
            language="fr",
        ),
        dict(
            member_id="fr_optout",
            country="FR",
            birth_date=dt.date(1979, 1, 9),
            joined_at=ts(2011, 1, 1),
            deleted_at=None,
            language="fr",
        ),
        dict(
            member_id="de_minor",
            country="DE",
            birth_date=dt.date(2009, 6, 1),
            joined_at=ts(2024, 1, 1),
            deleted_at=None,
            language="de",
        ),
        dict(
            member_id="gb_pupil",
            country="GB",
            birth_date=None,
            joined_at=ts(2023, 1, 1),
            deleted_at=None,
            language="en",
        ),
        dict(
            member_id="nowhere",
            country=None,
            birth_date=dt.date(1990, 1, 1),
            joined_at=ts(2015, 1, 1),
            deleted_at=None,
            language="en",
        ),
        dict(
            member_id="us_gone",
            country="US",
            birth_date=dt.date(1970, 1, 1),
            joined_at=ts(2009, 1, 1),
            deleted_at=ts(2025, 6, 1),
            language="en",
        ),
    ]
    education = [
        dict(
            member_id="gb_pupil",
            school="Hampton School",
            level="secondary",
            start_date=dt.date(2022, 9, 1),
            end_date=None,
        ),
        dict(
            member_id="fr_adult",
            school="Université de Lyon",
            level="higher",
            start_date=dt.date(2003, 9, 1),
            end_date=dt.date(2008, 6, 30),
        ),
    ]
    groups = [
        dict(group_id="g1", name="Data Engineering France", sensitive=False),
        dict(group_id="g2", name="Syndicat CFDT Cadres", sensitive=True),
    ]
    records = []
    for m in members:
        mid = m["member_id"]
        records += [
            dict(
                record_id=f"{mid}-h",
                member_id=mid,
                kind="profile_headline",
                visibility="public",
                group_id=None,
                created_at=ts(2016, 1, 1),
                deleted_at=None,
                text="Senior data engineer chez Acme",
            ),
            dict(
                record_id=f"{mid}-p",
                member_id=mid,
                kind="post",
                visibility="public",
                group_id=None,
                created_at=ts(2025, 11, 10),
                deleted_at=None,
                text="Écrivez-moi à jeanne.martin@example.fr ou au 06 12 34 56 78",
            ),
            dict(
                record_id=f"{mid}-dm",
                member_id=mid,
                kind="private_message",
                visibility="private",
                group_id=None,
                created_at=ts(2025, 11, 12),
                deleted_at=None,
                text="On se voit demain ?",
            ),
            dict(
                record_id=f"{mid}-u",
                member_id=mid,
                kind="group_post",
                visibility="group",
                group_id="g2",
                created_at=ts(2025, 11, 12),
                deleted_at=None,
                text="Réunion syndicale jeudi",
            ),
            dict(
                record_id=f"{mid}-g",
                member_id=mid,
                kind="group_comment",
                visibility="group",
                group_id="g1",
                created_at=ts(2025, 11, 13),
                deleted_at=None,
                text="Great talk on DuckDB",
            ),
        ]
    events = [
        dict(
            member_id="fr_optout",
            setting="data_for_genai_improvement",
            value=False,
            effective_at=ts(2025, 10, 1),
            source="web",
        ),
        dict(
            member_id="de_minor",
            setting="data_for_genai_improvement",
            value=True,
            effective_at=ts(2025, 11, 5),
            source="api",
        ),
    ]
    return {
        "members": members,
        "education": education,
        "groups": groups,
        "records": records,
        "preference_events": events,
        "notifications": told_on_announcement(members),
    }


# LinkedIn announced the change on 2025-09-18, 46 days (the shipped policy's notice period)
# before the European rollout of 2025-11-03
ANNOUNCED = ts(2025, 9, 18)


def told_on_announcement(members: list[dict]) -> list[dict]:
    """Every member told of the generative-AI setting on the announcement day."""
    return [dict(member_id=m["member_id"], setting="data_for_genai_improvement",
                 notified_at=ANNOUNCED) for m in members]


def write_source(root: Path, tables: dict[str, list[dict]]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        # every column nullable: tests hand over the nulls a platform's export may hold
        schema = pa.schema([f.with_nullable(True) for f in TABLES[name].arrow_schema()])
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), root / f"{name}.parquet")
    return root


@pytest.fixture
def tiny_source(tmp_path: Path) -> Path:
    return write_source(tmp_path / "tiny", tiny_tables())


EDGE_AS_OF = ts(2026, 1, 15)


def edge_tables() -> dict[str, list[dict]]:
    """One otherwise-eligible member (FR adult, setting on by default as of EDGE_AS_OF) per
    value the contract forbids or leaves unsure, each of which must fail closed; the record
    ids and member ids say which rule each one exercises. ``EDGE_EXPECTED`` lists the
    reason each member and record must get."""
    def member(mid: str, **kw) -> dict:
        row = dict(member_id=mid, country="FR", birth_date=dt.date(1980, 5, 5),
                   joined_at=ts(2015, 1, 1), deleted_at=None, language="fr")
        row.update(kw)
        return row

    members = [
        member("ok"),
        member("null_join", joined_at=None),
        member("lower_fr", country="fr"),
        member("spaced_fr", country="FR "),
        member("school_no_start"),
        member("school_null_level"),
        member("school_odd_level"),
        member("no_age"),
        member("no_birth_with_degree", birth_date=None),
        member("erased"),
        member("erased_no_time"),
        member("erasure_false"),
        member("erased_then_on"),
    ]
    members[7]["birth_date"] = None  # no_age: no birth date, no education row
    education = [
        dict(member_id="school_no_start", school="Lycée", level="secondary",
             start_date=None, end_date=None),
        dict(member_id="school_null_level", school="?", level=None,
             start_date=dt.date(2025, 9, 1), end_date=None),
        dict(member_id="school_odd_level", school="High", level="Secondary",
             start_date=dt.date(2025, 9, 1), end_date=None),
        dict(member_id="no_birth_with_degree", school="Uni", level="higher",
             start_date=dt.date(2000, 9, 1), end_date=dt.date(2004, 6, 30)),
    ]
    groups = [
        dict(group_id="g_ok", name="Data people", sensitive=False),
        dict(group_id="g_unsure", name="Unsure", sensitive=None),
    ]

    def record(rid: str, mid: str = "ok", **kw) -> dict:
        row = dict(record_id=rid, member_id=mid, kind="post", visibility="public",
                   group_id=None, created_at=ts(2025, 12, 1), deleted_at=None,
                   text="Bonjour à tous")
        row.update(kw)
        return row

    records = [m["member_id"] + "-post" for m in members]
    records = [record(rid, rid.removesuffix("-post")) for rid in records]
    records += [
        record("ok-group-ok", kind="group_post", visibility="group", group_id="g_ok"),
        record("ok-group-unsure", kind="group_post", visibility="group", group_id="g_unsure"),
        record("ok-no-text", text=None),
        record("ok-no-time", created_at=None),
    ]
    erasure = dict(setting="erasure", value=True, source="web")
    events = [
        dict(member_id="erased", effective_at=ts(2025, 12, 1), **erasure),
        dict(member_id="erased_no_time", effective_at=None, **erasure),
        dict(member_id="erasure_false", setting="erasure", value=False,
             effective_at=ts(2025, 12, 1), source="web"),
        dict(member_id="erased_then_on", effective_at=ts(2025, 12, 1), **erasure),
        dict(member_id="erased_then_on", setting="data_for_genai_improvement", value=True,
             effective_at=ts(2025, 12, 2), source="web"),
    ]
    return {"members": members, "education": education, "groups": groups,
            "records": records, "preference_events": events,
            "notifications": told_on_announcement(members)}


# member -> reason as of EDGE_AS_OF (policy default; "no_age" is used unless unknown_age is
# "exclude"), and the records of "ok" that are out
EDGE_EXPECTED = {
    "ok": "used",
    "null_join": "not_joined",
    "lower_fr": "region_unknown",
    "spaced_fr": "region_unknown",
    "school_no_start": "minor_secondary_school",
    "school_null_level": "minor_secondary_school",
    "school_odd_level": "minor_secondary_school",
    "no_age": "used",
    "no_birth_with_degree": "used",
    "erased": "erasure",
    "erased_no_time": "erasure",
    "erasure_false": "used",
    "erased_then_on": "erasure",
}
EDGE_RECORDS_OUT = {
    "ok-group-unsure": "group_unknown",
    "ok-no-text": "record_incomplete",
    "ok-no-time": "record_incomplete",
}
