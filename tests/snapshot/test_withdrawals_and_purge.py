"""Withdrawals reach every snapshot: the takedown list of a snapshot as of T2 is exactly its
records less those a fresh build at T2 holds (checked against the reference evaluator), a
purge publishes the snapshot less them and verifies, and --delete-unused retires the old one
as the registry says."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from consentgate.cli import app
from consentgate.contract import open_source
from consentgate.eligibility.from_source import iter_records, reference_for
from consentgate.engine.transforms import record_uid_py
from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
from consentgate.snapshot.purge import PurgeOptions, list_withdrawals, purge_snapshot
from consentgate.snapshot.verify import DELETION_FILE
from tests.conftest import tiny_tables, ts, write_source
from tests.engine.networks import networks

POLICY = load_policy("linkedin-2025")
runner = CliRunner()
T1 = ts(2026, 1, 15)
T2 = ts(2026, 3, 1)


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "5a" * 32)


def _uids(snapshot: Path) -> set[str]:
    files = sorted((snapshot / "lineage").glob("part-*.parquet"))
    return set(pa.concat_tables([pq.read_table(f) for f in files])["record_uid"].to_pylist())


def _build(source: Path, as_of: dt.datetime, out: Path, consent=None) -> Path:
    build_snapshot(BuildOptions(source=source, policy=POLICY, as_of=as_of, out=out,
                                consent=consent))
    return out


T2_OFFSETS = [dt.timedelta(0), dt.timedelta(microseconds=1), dt.timedelta(days=1),
              dt.timedelta(days=45), dt.timedelta(days=800)]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(network=networks(max_members=6, max_records=6), offset=st.sampled_from(T2_OFFSETS))
def test_withdrawals_are_the_snapshot_less_a_fresh_build(network, offset) -> None:
    tables, t1 = network
    t2 = t1 + offset
    root = Path(tempfile.mkdtemp())
    try:
        src = write_source(root / "src", tables)
        s1 = _build(src, t1, root / "s1")
        fresh = _build(src, t2, root / "fresh")
        out = list_withdrawals(s1, src, t2, root / "w.parquet")
        listed = pq.read_table(out.out).to_pylist()
        got = {r["record_uid"]: r["reason"] for r in listed}
        assert len(got) == len(listed)  # no record listed twice
        assert set(got) == _uids(s1) - _uids(fresh)
        # and each with the reason the reference evaluator gives at T2
        source = open_source(src)
        ref = reference_for(POLICY, source, t2)
        by_uid = {record_uid_py(r.record_id): ref.record(r) for r in iter_records(source)}
        for uid, reason in got.items():
            assert reason == str(by_uid[uid].reason)
        assert out.rows == len(got)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _opted_out_later(tables: dict, member: str, at: dt.datetime) -> dict:
    tables["preference_events"].append(dict(
        member_id=member, setting="data_for_genai_improvement", value=False,
        effective_at=at, source="web"))
    return tables


def test_withdrawal_reasons_and_a_purge_that_verifies(tmp_path: Path) -> None:
    tables = tiny_tables()
    src = write_source(tmp_path / "v1", tables)
    s1 = _build(src, T1, tmp_path / "s1")
    assert {r.split("-")[0] for r in _record_ids(s1)} == {"fr_adult"}

    # after S1: the adult opts out; at T2 the source also no longer holds one record
    later = _opted_out_later(tiny_tables(), "fr_adult", ts(2026, 2, 1))
    src2 = write_source(tmp_path / "v2", later)
    res = list_withdrawals(s1, src2, T2, tmp_path / "w.parquet")
    reasons = {r["reason"] for r in pq.read_table(res.out).to_pylist()}
    assert reasons == {"opted_out"} and res.rows == len(_uids(s1))

    # a record removed from the source is withdrawn as not_in_source; a deleted member as
    # deleted; an erasure as erasure
    gone = tiny_tables()
    gone["records"] = [r for r in gone["records"] if r["record_id"] != "fr_adult-h"]
    gone["preference_events"].append(dict(member_id="fr_adult", setting="erasure", value=True,
                                          effective_at=ts(2026, 2, 2), source="web"))
    src3 = write_source(tmp_path / "v3", gone)
    listed = {r["record_uid"]: r["reason"]
              for r in pq.read_table(list_withdrawals(s1, src3, T2, tmp_path / "w3.parquet")
                                     .out).to_pylist()}
    assert listed[record_uid_py("fr_adult-h")] == "not_in_source"
    assert listed[record_uid_py("fr_adult-p")] == "erasure"

    # one record deleted after S1 (record_deleted), the rest still allowed: only it is listed
    one = tiny_tables()
    for r in one["records"]:
        if r["record_id"] == "fr_adult-p":
            r["deleted_at"] = ts(2026, 2, 1)
    listed = pq.read_table(list_withdrawals(
        s1, write_source(tmp_path / "v4", one), T2, tmp_path / "w4.parquet").out).to_pylist()
    assert listed == [{"record_uid": record_uid_py("fr_adult-p"), "reason": "record_deleted"}]

    # the account deleted after S1: every record of the member, as deleted
    closed = tiny_tables()
    closed["members"][0]["deleted_at"] = ts(2026, 2, 1)
    listed = pq.read_table(list_withdrawals(
        s1, write_source(tmp_path / "v5", closed), T2, tmp_path / "w5.parquet").out).to_pylist()
    assert {r["reason"] for r in listed} == {"deleted"} and len(listed) == len(_uids(s1))
    # ... but not as of an instant before the deletion
    assert list_withdrawals(s1, tmp_path / "v5", ts(2026, 1, 31),
                            tmp_path / "w6.parquet").rows == 0

    # purge: the new snapshot holds nothing of the withdrawn member, says what it supersedes
    # and verifies against the source at T2, at both instants
    purged = purge_snapshot(PurgeOptions(snapshot=s1, source=src2, as_of=T2,
                                         out=tmp_path / "s1p"))
    m = purged.manifest
    assert m["supersedes"] == json.loads((s1 / "manifest.json").read_text())["snapshot_id"]
    assert m["purged_at"] == "2026-03-01T00:00:00Z" and m["purge"]["withdrawn"] == res.rows
    assert m["as_of"] == "2026-01-15T00:00:00Z" and m["counts"]["records_used"] == 0
    check = verify_snapshot(purged.out, src2, POLICY)
    assert check.ok, check.violations
    assert any("as of 2026-01-15" in c and "2026-03-01" in c for c in check.checks)


def _record_ids(snapshot: Path) -> list[str]:
    files = sorted((snapshot / "lineage").glob("part-*.parquet"))
    return pa.concat_tables([pq.read_table(f) for f in files])["record_id"].to_pylist()


def test_verify_of_a_purge_catches_a_withdrawn_record_put_back(tmp_path: Path) -> None:
    """The purged snapshot's records must be allowed at T2 too: verifying it as if it were
    S1 would pass, so a purged manifest cannot be swapped for S1's data unnoticed."""
    net = tmp_path / "net"
    from consentgate.synth import generate

    generate(net, members=80, seed=5)
    s1 = _build(net, T1, tmp_path / "s1")
    member = pq.read_table(s1 / "usage" / "members.parquet")["member_id"][0].as_py()
    events = pq.read_table(net / "preference_events.parquet").to_pylist()
    events.append(dict(member_id=member, setting="data_for_genai_improvement", value=False,
                       effective_at=ts(2026, 2, 1), source="web"))
    pq.write_table(pa.Table.from_pylist(events, schema=pq.read_schema(
        net / "preference_events.parquet")), net / "preference_events.parquet")
    purged = purge_snapshot(PurgeOptions(snapshot=s1, source=net, as_of=T2,
                                         out=tmp_path / "s2"))
    assert purged.by_reason.get("opted_out", 0) >= 1
    assert verify_snapshot(purged.out, net, POLICY).ok
    # put S1's data and lineage back under the purged manifest: every put-back record of the
    # member is must_be_out (and the hashes differ)
    bad = tmp_path / "bad"
    shutil.copytree(purged.out, bad)
    for folder in ("data", "lineage"):
        shutil.copy(s1 / folder / "part-00000.parquet", bad / folder / "part-00000.parquet")
    res = verify_snapshot(bad, net, POLICY)
    assert res.counts["must_be_out"] >= 1 and res.counts["hash"] >= 2
    assert any(v.check == "must_be_out" and "opted_out" in v.message for v in res.violations)


def test_a_purge_of_a_purge_keeps_every_instant(tmp_path: Path) -> None:
    later = _opted_out_later(tiny_tables(), "fr_adult", ts(2026, 4, 1))
    src = write_source(tmp_path / "src", later)
    s1 = _build(src, T1, tmp_path / "s1")
    s2 = purge_snapshot(PurgeOptions(snapshot=s1, source=src, as_of=T2, out=tmp_path / "s2"))
    assert s2.withdrawn == 0
    s3 = purge_snapshot(PurgeOptions(snapshot=s2.out, source=src, as_of=ts(2026, 5, 1),
                                     out=tmp_path / "s3"))
    assert s3.manifest["purge"]["instants"] == ["2026-03-01T00:00:00Z", "2026-05-01T00:00:00Z"]
    assert s3.manifest["supersedes"] == s2.manifest["snapshot_id"]
    assert s3.manifest["counts"]["records_used"] == 0
    assert verify_snapshot(s3.out, src, POLICY).ok
    with pytest.raises(Exception, match="before the snapshot's last purge"):
        purge_snapshot(PurgeOptions(snapshot=s3.out, source=src, as_of=ts(2026, 4, 2),
                                    out=tmp_path / "s4"))
    assert not (tmp_path / "s4").exists()


def _registry_run(registry: str, snapshot: Path) -> str:
    from consentgate.registry import Registry

    with Registry(registry) as reg:
        reg.register_snapshot(snapshot)
        run = reg.start_run([snapshot], "writer", "1")
        reg.finish_run(run.run_id)
        return run.run_id


def test_delete_unused_deletes_an_unused_snapshot_and_only_the_data_of_a_used_one(
    tmp_path: Path,
) -> None:
    from consentgate.registry import Registry

    later = _opted_out_later(tiny_tables(), "fr_adult", ts(2026, 2, 1))
    src = write_source(tmp_path / "src", later)
    registry = f"sqlite:///{tmp_path / 'reg.db'}"

    unused = _build(src, T1, tmp_path / "unused")
    used = _build(src, ts(2026, 1, 16), tmp_path / "used")
    _registry_run(registry, used)
    # a snapshot the registry does not know: it cannot say no run used it, so nothing happens
    r = runner.invoke(app, ["purge", str(unused), "--source", str(src), "--as-of", "2026-03-01",
                            "--out", str(tmp_path / "unused2"), "--registry", registry,
                            "--delete-unused"])
    assert r.exit_code == 2 and "is not in the registry" in r.output, r.output
    assert (unused / "manifest.json").is_file() and not (tmp_path / "unused2").exists()
    with Registry(registry) as reg:
        reg.register_snapshot(unused)

    r = runner.invoke(app, ["purge", str(unused), "--source", str(src), "--as-of", "2026-03-01",
                            "--out", str(tmp_path / "unused2"), "--registry", registry,
                            "--delete-unused"])
    assert r.exit_code == 0, r.output
    assert not unused.exists() and "deleted" in r.output

    r = runner.invoke(app, ["purge", str(used), "--source", str(src), "--as-of", "2026-03-01",
                            "--out", str(tmp_path / "used2"), "--registry", registry,
                            "--delete-unused"])
    assert r.exit_code == 0, r.output
    assert not list((used / "data").glob("*.parquet"))
    for kept in ("manifest.json", "report.json", "report.html", "lineage/part-00000.parquet",
                 "usage/members.parquet", DELETION_FILE):
        assert (used / kept).is_file(), kept
    with Registry(registry, read_only=True) as reg:
        states = {s.location.name: s.state for s in reg.snapshots()}
    assert states == {"unused": "deleted", "unused2": "published", "used": "data_deleted",
                      "used2": "published"}
    # the audit copy still verifies what it can: no unlisted file, lineage as decided at T1
    check = verify_snapshot(used, src, POLICY)
    assert check.ok, check.violations
    assert any("data deleted" in c for c in check.checks)
    # and a purge of it is refused: nothing to withdraw from
    r = runner.invoke(app, ["purge", str(used), "--source", str(src), "--as-of", "2026-03-02",
                            "--out", str(tmp_path / "again")])
    assert r.exit_code == 2 and "data was deleted" in r.output


def test_bad_input_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    src = write_source(tmp_path / "src", tiny_tables())
    s1 = _build(src, T1, tmp_path / "s1")
    (tmp_path / "exists.parquet").write_bytes(b"x")
    cases = [
        (["withdrawals", str(tmp_path / "nope"), "--as-of", "2026-03-01",
          "--out", str(tmp_path / "w.parquet")], "not a snapshot"),
        (["withdrawals", str(s1), "--as-of", "2025-12-01", "--out", str(tmp_path / "w.parquet")],
         "before the snapshot's own as-of"),
        (["withdrawals", str(s1), "--as-of", "2026-03-01", "--out",
          str(tmp_path / "exists.parquet")], "already exists"),
        (["withdrawals", str(s1), "--as-of", "2026-03-01", "--out", str(tmp_path / "w.parquet"),
          "--consent", "mysql://x/y"], "unsupported database"),
        (["purge", str(s1), "--as-of", "2026-03-01", "--out", str(tmp_path / "p"),
          "--delete-unused"], "needs --registry"),
        (["purge", str(s1), "--as-of", "2026-03-01", "--out", str(s1)], "already exists"),
    ]
    for args, message in cases:
        r = runner.invoke(app, [*args[:2], "--source", str(src), *args[2:]])
        assert r.exit_code == 2, (args, r.output)
        assert message in r.output, (args, r.output)
        assert "Traceback" not in r.output
    assert not (tmp_path / "w.parquet").exists() and not (tmp_path / "p").exists()
    assert (tmp_path / "exists.parquet").read_bytes() == b"x"
    assert not list(tmp_path.glob(".*partial*"))


def test_a_changed_snapshot_is_neither_listed_nor_purged(tmp_path: Path) -> None:
    """A lineage file with a record taken out would hide it from the withdrawal list; a data
    file with a record planted would carry it into the purged snapshot. Both are refused
    until the published files are restored."""
    src = write_source(tmp_path / "src", tiny_tables())
    s1 = _build(src, T1, tmp_path / "s1")
    lineage = sorted((s1 / "lineage").glob("part-*.parquet"))[0]
    original = lineage.read_bytes()
    table = pq.read_table(lineage)
    pq.write_table(table.slice(1), lineage)
    withdrawals = ["withdrawals", str(s1), "--source", str(src), "--as-of", "2026-03-01",
                   "--out", str(tmp_path / "w.parquet")]
    purge = ["purge", str(s1), "--source", str(src), "--as-of", "2026-03-01",
             "--out", str(tmp_path / "p")]
    for args in (withdrawals, purge):
        r = runner.invoke(app, args)
        assert r.exit_code == 2, r.output
        assert "differ from its manifest" in r.output and "lineage/part-" in r.output
    lineage.write_bytes(original)
    extra = s1 / "data" / "part-99999.parquet"
    shutil.copyfile(sorted((s1 / "data").glob("part-*.parquet"))[0], extra)
    r = runner.invoke(app, purge)
    assert r.exit_code == 2 and "not in the manifest" in r.output, r.output
    # the withdrawal list reads the lineage only: still given
    assert runner.invoke(app, withdrawals).exit_code == 0
    extra.unlink()
    assert runner.invoke(app, purge).exit_code == 0
    assert pq.read_table(tmp_path / "w.parquet").column_names == ["record_uid", "reason"]


def test_a_snapshot_built_from_a_ledger_is_decided_again_from_that_ledger(tmp_path: Path) -> None:
    """Without the ledger, an opt-out recorded only there would be missed, and the withdrawal
    list would silently leave the member's records in; another ledger is refused too."""
    from consentgate.ledger import Ledger, NewEvent, init_ledger

    def event(member: str, value: bool, at: dt.datetime | None = None) -> NewEvent:
        return NewEvent(member_id=member, setting="data_for_genai_improvement", value=value,
                        source="web", policy_id="linkedin-2025", policy_version="1",
                        effective_at=at)

    src = write_source(tmp_path / "src", tiny_tables())
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    init_ledger(url)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    init_ledger(other)
    with Ledger(other) as o:
        o.record_change(event("x", True))
    with Ledger(url) as ledger:
        ledger.import_events([event("fr_adult", True, ts(2025, 12, 1))])
    s1 = _build(src, T1, tmp_path / "s1", consent=url)
    with Ledger(url) as ledger:  # the opt-out is only in the ledger
        ledger.import_events([event("fr_adult", False, ts(2026, 2, 1))])
    base = ["withdrawals", str(s1), "--source", str(src), "--as-of", "2026-03-01"]
    r = runner.invoke(app, [*base, "--out", str(tmp_path / "a.parquet")])
    assert r.exit_code == 2 and "built with consent from a ledger" in r.output, r.output
    r = runner.invoke(app, [*base, "--out", str(tmp_path / "b.parquet"), "--consent", other])
    assert r.exit_code == 2 and "is not the ledger" in r.output, r.output
    r = runner.invoke(app, ["purge", str(s1), "--source", str(src), "--as-of", "2026-03-01",
                            "--out", str(tmp_path / "p")])
    assert r.exit_code == 2 and "built with consent from a ledger" in r.output, r.output
    assert not any((tmp_path / n).exists() for n in ("a.parquet", "b.parquet", "p"))
    r = runner.invoke(app, [*base, "--out", str(tmp_path / "c.parquet"), "--consent", url])
    assert r.exit_code == 0, r.output
    listed = pq.read_table(tmp_path / "c.parquet").to_pylist()
    assert {row["reason"] for row in listed} == {"opted_out"}
    theirs = {record_uid_py(r) for r in _record_ids(s1) if r.startswith("fr_adult-")}
    assert theirs and {row["record_uid"] for row in listed} == theirs
