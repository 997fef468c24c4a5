from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from consentgate.contract.schema import TABLES

UTC = dt.UTC


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
    }


def write_source(root: Path, tables: dict[str, list[dict]]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        schema = TABLES[name].arrow_schema()
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), root / f"{name}.parquet")
    return root


@pytest.fixture
def tiny_source(tmp_path: Path) -> Path:
    return write_source(tmp_path / "tiny", tiny_tables())
