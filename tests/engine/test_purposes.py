"""The engine plan decides each purpose and the notice rule exactly as the reference
evaluator, on hand-made members at the boundaries (DuckDB here; a Spark build of two
purposes in test_spark_purposes.py)."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest

from consentgate.contract import open_source
from consentgate.eligibility.from_source import reference_for
from consentgate.engine import bind_inputs, connect, member_decisions
from consentgate.policy import load_policy
from tests.conftest import write_source

UTC = dt.UTC
POLICY = load_policy("linkedin-2025")
T = dt.datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
DEADLINE = T - dt.timedelta(days=46)
US = dt.timedelta(microseconds=1)
GENAI, MICROSOFT, ADS, OTHER_AI = POLICY.setting_keys()


def boundary_tables() -> tuple[dict, dict[str, dict[str, str]]]:
    """Members named after their case, and the reason each must get for each purpose."""
    members, events, notices, expected = [], [], [], {}

    def add(mid: str, country: str, told: dict, off: tuple[str, ...] = (),
            want: dict | None = None) -> None:
        members.append(dict(member_id=mid, country=country, birth_date=dt.date(1980, 1, 1),
                            joined_at=dt.datetime(2010, 1, 1, tzinfo=UTC), deleted_at=None,
                            language="en"))
        for setting, at in told.items():
            notices.append(dict(member_id=mid, setting=setting, notified_at=at))
        for setting in off:
            events.append(dict(member_id=mid, setting=setting, value=False,
                               effective_at=T - dt.timedelta(days=2), source="web"))
        expected[mid] = want or {}

    both = {GENAI: DEADLINE, MICROSOFT: DEADLINE}
    add("fr_at_deadline", "FR", {GENAI: DEADLINE},
        want={GENAI: "used", MICROSOFT: "not_offered", ADS: "not_offered"})
    add("fr_deadline_plus_1us", "FR", {GENAI: DEADLINE + US},
        want={GENAI: "not_notified"})
    add("fr_never", "FR", {}, want={GENAI: "not_notified"})
    add("fr_told_after_t", "FR", {GENAI: T + US}, want={GENAI: "not_notified"})
    add("fr_told_no_time", "FR", {GENAI: None}, want={GENAI: "not_notified"})
    add("gb_genai_on_microsoft_off", "GB", both, off=(MICROSOFT,),
        want={GENAI: "used", MICROSOFT: "opted_out", ADS: "used"})
    add("gb_genai_off_microsoft_on", "GB", both, off=(GENAI,),
        want={GENAI: "opted_out", MICROSOFT: "used", ADS: "used"})
    add("gb_told_of_genai_only", "GB", {GENAI: DEADLINE},
        want={GENAI: "used", MICROSOFT: "not_notified"})
    add("us_never_told", "US", {}, off=(ADS,),
        want={GENAI: "used", MICROSOFT: "not_offered", ADS: "opted_out"})
    tables = {"members": members, "education": [], "groups": [], "records": [],
              "preference_events": events, "notifications": notices}
    return tables, expected


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    tables, _ = boundary_tables()
    return open_source(write_source(tmp_path_factory.mktemp("purposes") / "src", tables))


@pytest.fixture(scope="module")
def duck(tmp_path_factory):
    engine = connect("duckdb", tmp_path_factory.mktemp("duck"))
    yield engine
    engine.close()


@pytest.mark.parametrize("purpose", [GENAI, MICROSOFT, ADS])
def test_engine_and_reference_agree_at_the_boundaries(duck, source, purpose) -> None:
    _, expected = boundary_tables()
    got = {r["member_id"]: r["member_reason"]
           for r in member_decisions(bind_inputs(duck, source), POLICY, T, purpose)
           .to_pyarrow().to_pylist()}
    ref = reference_for(POLICY, source, T, purpose=purpose)
    want = {m: str(ref.member(m).reason) for m in ref.members}
    assert got == want
    for mid, reasons in expected.items():
        if purpose in reasons:
            assert want[mid] == reasons[purpose], (mid, purpose)


def test_a_source_without_notifications_told_nobody(duck, tmp_path: Path) -> None:
    tables, _ = boundary_tables()
    del tables["notifications"]
    src = open_source(write_source(tmp_path / "src", tables))
    assert not src.has_table("notifications") and src.count("notifications") == 0
    got = {r["member_id"]: r["member_reason"]
           for r in member_decisions(bind_inputs(duck, src), POLICY, T).to_pyarrow().to_pylist()}
    assert got["fr_at_deadline"] == "not_notified"
    assert got["us_never_told"] == "used"
    ref = reference_for(POLICY, src, T)
    assert got == {m: str(ref.member(m).reason) for m in ref.members}


def test_events_without_a_setting_column_are_the_primary_setting(duck) -> None:
    """Preference events written before several settings existed have no setting column:
    they are read as the primary setting's (docs/design.md, data contract)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = Path(tempfile.mkdtemp())
    try:
        tables, _ = boundary_tables()
        write_source(root, {k: v for k, v in tables.items() if k != "preference_events"})
        old = pa.table({"member_id": ["us_never_told"], "value": [False],
                        "effective_at": pa.array([T - dt.timedelta(days=1)],
                                                 pa.timestamp("us", tz="UTC")),
                        "source": ["web"]})
        pq.write_table(old, root / "preference_events.parquet")
        src = open_source(root)
        assert src.read_table("preference_events")["setting"].to_pylist() == [GENAI]
        got = {r["member_id"]: r["member_reason"]
               for r in member_decisions(bind_inputs(duck, src), POLICY, T)
               .to_pyarrow().to_pylist()}
        assert got["us_never_told"] == "opted_out"
        assert str(reference_for(POLICY, src, T).member("us_never_told").reason) == "opted_out"
    finally:
        shutil.rmtree(root, ignore_errors=True)
