"""The member index gives the answers the source scan gives: same rows, same profiles and
decisions, on a generated network and on the contract's edge cases; a changed source is
indexed anew."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from consentgate.eligibility.reference import PreferenceEvent
from consentgate.service.members import (
    MemberDirectory,
    MemberIndex,
    scan_member,
    scan_notifications,
)
from consentgate.synth import generate
from tests.conftest import EDGE_AS_OF, edge_tables, tiny_tables, write_source

UTC = dt.UTC
KEY = "data_for_genai_improvement"


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("index-net") / "net"
    generate(out, 600, seed=5)
    return out


def compare(directory: MemberDirectory, member_ids: list[str], at: dt.datetime) -> int:
    """Assert index and scan agree for each id; returns how many ids the source knows."""
    assert directory.source is not None
    known = 0
    rng = random.Random(1)
    for member_id in member_ids:
        scanned = scan_member(directory.source, member_id)
        indexed = directory._load(member_id)
        assert indexed == scanned, member_id
        if scanned[0] is not None:
            assert directory._opened().notifications(member_id) == scan_notifications(
                directory.source, member_id)
        known += scanned[0] is not None
        events = [PreferenceEvent(member_id, KEY, rng.random() < 0.5,
                                  at - dt.timedelta(days=rng.randint(1, 400)), "web")]
        for evs in ([], events):
            assert directory.profile(member_id, evs, at) == _scan_profile(
                directory, scanned, member_id, evs, at)
            assert directory.decide(member_id, evs, at) == _scan_decide(
                directory, scanned, evs, at)
    return known


def _scan_profile(directory, scanned, member_id, events, at):  # type: ignore[no-untyped-def]
    """What ``profile`` answered before the index (the scan's rows, the same rules)."""
    from consentgate.eligibility.reference import decide_member
    from consentgate.service.members import MINOR_REASONS, MemberProfile

    member, education = scanned
    if member is None:
        return MemberProfile(member_id, known=False)
    notices = scan_notifications(directory.source, member_id)
    decision = decide_member(directory.policy, member, education, events, at,
                             notifications=notices)
    minor = next((r for r in decision.reasons if r in MINOR_REASONS), None)
    return MemberProfile(member_id, True, member.country, member.language, minor,
                         decision.reasons)


def _scan_decide(directory, scanned, events, at):  # type: ignore[no-untyped-def]
    from consentgate.eligibility.reference import decide_member

    member, education = scanned
    if member is None:
        return None
    notices = scan_notifications(directory.source, member.member_id)
    return decide_member(directory.policy, member, education, events, at,
                         notifications=notices)


def test_index_answers_equal_the_scan_on_a_generated_network(
    network: Path, policy, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    members = pq.read_table(network / "members.parquet", columns=["member_id"])
    ids = members.column("member_id").to_pylist()
    educated = set(pq.read_table(network / "education.parquet", columns=["member_id"])
                   .column("member_id").to_pylist())
    assert educated and len(educated) < len(ids)  # some with education rows, some without
    sample = sorted(set(random.Random(0).sample(ids, 150)) | set(list(educated)[:50]))
    strangers = ["nobody", "", "o'brien", "x' OR '1'='1", "é", ids[0].upper(), ids[0] + " "]
    directory = MemberDirectory(policy, network, index_dir=tmp_path / "cache")
    try:
        directory.prepare()
        at = dt.datetime(2026, 3, 1, tzinfo=UTC)
        assert compare(directory, sample + strangers, at) == len(sample)
    finally:
        directory.close()


def test_index_answers_equal_the_scan_on_edge_cases(policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tables = edge_tables()
    tables["members"] += tiny_tables()["members"]
    tables["education"] += tiny_tables()["education"]
    # a repeated member id: the scan's first row is the one used; several schools, in order
    tables["members"].append({**tables["members"][0], "country": "DE"})
    tables["education"] += [
        dict(member_id="ok", school=f"School {i}", level="higher",
             start_date=dt.date(2000 + i, 9, 1), end_date=None) for i in range(3)]
    source = write_source(tmp_path / "edge", tables)
    directory = MemberDirectory(policy, source, index_dir=tmp_path / "cache")
    try:
        ids = [m["member_id"] for m in tables["members"]]
        assert compare(directory, [*ids, "missing"], EDGE_AS_OF) == len(ids)
        member, education = directory._load("ok")
        assert member is not None and member.country == "FR"
        assert [e.school for e in education] == ["School 0", "School 1", "School 2"]
    finally:
        directory.close()


def test_a_changed_source_is_indexed_anew(policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tables = tiny_tables()
    source = write_source(tmp_path / "src", tables)
    cache = tmp_path / "cache"
    first = MemberDirectory(policy, source, index_dir=cache)
    first.prepare()
    assert first._load("fr_adult")[0].country == "FR"  # type: ignore[union-attr]
    first.close()
    built = sorted(cache.glob("*.sqlite"))
    assert len(built) == 1
    again = MemberDirectory(policy, source, index_dir=cache)  # same content: reused
    again.prepare()
    again.close()
    assert sorted(cache.glob("*.sqlite")) == built
    tables["members"][0]["country"] = "BE"
    write_source(tmp_path / "src", tables)
    changed = MemberDirectory(policy, source, index_dir=cache)
    try:
        assert changed._load("fr_adult")[0].country == "BE"  # type: ignore[union-attr]
        assert len(list(cache.glob("*.sqlite"))) == 2
    finally:
        changed.close()


def test_an_index_file_left_half_written_is_rebuilt(policy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = write_source(tmp_path / "src", tiny_tables())
    cache = tmp_path / "cache"
    directory = MemberDirectory(policy, source, index_dir=cache)
    assert directory.source is not None
    path = cache / f"member-index-{MemberIndex.fingerprint(directory.source)[:32]}.sqlite"
    cache.mkdir()
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # a torn file
    try:
        assert directory._load("de_minor")[0] is not None
    finally:
        directory.close()
