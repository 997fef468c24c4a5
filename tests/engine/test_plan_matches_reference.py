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
from consentgate.policy import load_policy
from consentgate.policy.model import Lookback, Minors
from tests.conftest import write_source
from tests.engine.networks import networks

POLICY = load_policy("linkedin-2025")
LOOKBACK = POLICY.model_copy(update={"lookback": Lookback(max_age_days=365)})
UNKNOWN_AGE_OUT = POLICY.model_copy(update={"minors": Minors(unknown_age="exclude")})


@pytest.fixture(scope="module")
def duck(tmp_path_factory):
    engine = connect("duckdb", tmp_path_factory.mktemp("duck"))
    yield engine
    engine.close()


PURPOSES = POLICY.setting_keys()


def compare(engine, tables: dict, as_of: dt.datetime, policy, purpose: str | None = None) -> dict:
    """Both evaluators on one network for one purpose; returns the reference's member
    reasons."""
    root = Path(tempfile.mkdtemp())
    try:
        src = open_source(write_source(root / "src", tables))
        inputs = bind_inputs(engine, src)
        md = member_decisions(inputs, policy, as_of, purpose)
        got_members = {r["member_id"]: r for r in md.to_pyarrow().to_pylist()}
        got_records = {
            r["record_id"]: r
            for r in record_decisions(inputs, policy, as_of, md).to_pyarrow().to_pylist()
        }
        ref = reference_for(policy, src, as_of, purpose=purpose)
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
        return {m: str(ref.member(m).reason) for m in ref.members}
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
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(network=networks())
@pytest.mark.parametrize("purpose", PURPOSES[1:])
def test_engine_plan_agrees_with_reference_for_every_purpose(duck, purpose, network) -> None:
    """The other settings (UK-only Microsoft row, ads data sharing) on the same random
    networks, with notices clustered on the notice deadline."""
    compare(duck, *network, POLICY, purpose)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(network=networks(settled=True))
@pytest.mark.parametrize("purpose", PURPOSES)
def test_engine_plan_agrees_where_settings_and_notices_decide(duck, purpose, network) -> None:
    compare(duck, *network, POLICY, purpose)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(network=networks())
def test_engine_plan_agrees_with_reference_with_a_lookback(duck, network) -> None:
    compare(duck, *network, LOOKBACK)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(network=networks())
def test_engine_plan_agrees_with_reference_when_unknown_age_is_excluded(duck, network) -> None:
    compare(duck, *network, UNKNOWN_AGE_OUT)


@pytest.mark.parametrize("policy", [POLICY, UNKNOWN_AGE_OUT], ids=["default", "unknown_age_out"])
def test_edge_network_fails_closed_in_both_evaluators(duck, policy) -> None:
    """Every value the contract forbids or leaves unsure, in an otherwise eligible member:
    both evaluators agree, and each one is out for the expected reason."""
    from tests.conftest import EDGE_AS_OF, EDGE_EXPECTED, EDGE_RECORDS_OUT, edge_tables

    tables = edge_tables()
    compare(duck, tables, EDGE_AS_OF, policy)
    root = Path(tempfile.mkdtemp())
    try:
        src = open_source(write_source(root / "src", tables))
        ref = reference_for(policy, src, EDGE_AS_OF)
        expected = dict(EDGE_EXPECTED)
        if policy.minors.unknown_age == "exclude":
            expected["no_age"] = "age_unknown"
        assert {m: str(ref.member(m).reason) for m in ref.members} == expected
        out = {r.record_id: str(ref.record(r).reason) for r in iter_records(src)
               if r.member_id == "ok" and not ref.record(r).used}
        assert out == EDGE_RECORDS_OUT
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_tiny_network_agrees(duck) -> None:
    from tests.conftest import tiny_tables

    for as_of in (
        dt.datetime(2025, 11, 2, 23, 59, tzinfo=dt.UTC),
        dt.datetime(2025, 11, 3, tzinfo=dt.UTC),
        dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
    ):
        compare(duck, tiny_tables(), as_of, POLICY)
