"""The engine plan must decide every member and record exactly as the reference evaluator."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from consentgate.contract import open_source
from consentgate.eligibility.from_source import iter_records, reference_for
from consentgate.engine import bind_inputs, connect, member_decisions, record_decisions
from consentgate.policy import load_policy, parse_policy
from consentgate.policy.loader import resolve
from tests.conftest import write_source
from tests.engine.networks import networks

POLICY = load_policy("linkedin-2025")
LOOKBACK = parse_policy(
    resolve("linkedin-2025")
    .read_text()
    .replace("# one, for example: since", "max_age_days = 365\n# since")
    .encode()
)


@pytest.fixture(scope="module")
def duck(tmp_path_factory):
    engine = connect("duckdb", tmp_path_factory.mktemp("duck"))
    yield engine
    engine.close()


def compare(engine, tables: dict, as_of: dt.datetime, policy) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        src = open_source(write_source(root / "src", tables))
        inputs = bind_inputs(engine, src)
        md = member_decisions(inputs, policy, as_of)
        got_members = {r["member_id"]: r for r in md.to_pyarrow().to_pylist()}
        got_records = {
            r["record_id"]: r
            for r in record_decisions(inputs, policy, as_of, md).to_pyarrow().to_pylist()
        }
        ref = reference_for(policy, src, as_of)
        for mid in ref.members:
            want = ref.member(mid)
            got = got_members[mid]
            assert got["member_reason"] == str(want.reason), (mid, want, got)
            assert got["region"] == want.region
            assert got["setting"] == want.setting, (mid, want, got)
        records = list(iter_records(src))
        assert len(got_records) == len(records)
        for r in records:
            want = ref.record(r)
            got = got_records[r.record_id]
            assert got["reason"] == str(want.reason), (r, want, got)
            assert got["category"] == want.category
    finally:
        shutil.rmtree(root, ignore_errors=True)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(network=networks())
def test_engine_plan_agrees_with_reference_on_random_networks(duck, network) -> None:
    compare(duck, *network, POLICY)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(network=networks())
def test_engine_plan_agrees_with_reference_with_a_lookback(duck, network) -> None:
    compare(duck, *network, LOOKBACK)


def test_tiny_network_agrees(duck) -> None:
    from tests.conftest import tiny_tables

    for as_of in (
        dt.datetime(2025, 11, 2, 23, 59, tzinfo=dt.UTC),
        dt.datetime(2025, 11, 3, tzinfo=dt.UTC),
        dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
    ):
        compare(duck, tiny_tables(), as_of, POLICY)
