"""Incremental builds (`build --since`): on random networks that change between T1 and T2,
the snapshot built at T2 from the one at T1 is the full build at T2, file for file; redaction
runs only on new and changed texts; and every reason not to trust the previous snapshot
gives a full build that says why."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import shutil
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from consentgate.cli import app
from consentgate.engine.transforms import record_uid_py
from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
from consentgate.snapshot.manifest import sha256_file
from consentgate.snapshot.steps.redact import StreamRedactor
from consentgate.snapshot.texts import TEXTS_FILE
from tests.conftest import write_source
from tests.engine.networks import networks

POLICY = load_policy("linkedin-2025")
KEY_HEX = "3c" * 32
KEY = bytes.fromhex(KEY_HEX)
UTC = dt.UTC
runner = CliRunner()

TEXTS = ["Bonjour", "mail me: a.b@example.com", "Call +33 6 12 34 56 78 today",
         "IBAN FR76 3000 6000 0112 3456 7890 189", "", None, "Merci !"]


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", KEY_HEX)


def build(src: Path, as_of: dt.datetime, out: Path, policy=POLICY, **kw):
    return build_snapshot(BuildOptions(source=src, policy=policy, as_of=as_of, out=out, **kw))


@contextmanager
def counting_redaction():
    """The texts that reach redaction (the seam: every text the build redacts goes through
    ``StreamRedactor.submit``; an incremental build submits reused rows as nulls)."""
    seen: list[str] = []
    real = StreamRedactor.submit

    def submit(self, batch):
        seen.extend(t for t in batch.column("text").to_pylist() if t is not None)
        return real(self, batch)

    with mock.patch.object(StreamRedactor, "submit", submit):
        yield seen


def content(snapshot: Path) -> dict[str, str]:
    """Every file but the report and the manifest (which name the build), by sha256."""
    return {p.relative_to(snapshot).as_posix(): sha256_file(p)
            for p in sorted(snapshot.rglob("*")) if p.is_file()
            and p.name not in ("report.json", "report.html", "manifest.json")}


def assert_same_as_full(full, inc) -> None:
    """The incremental build is the full build: same files, same id, the same report and
    manifest but for when the build ran and the ``incremental`` entry."""
    assert content(inc.out) == content(full.out)
    assert inc.manifest["snapshot_id"] == full.manifest["snapshot_id"]

    def report(r: dict) -> dict:
        return {k: v for k, v in r.items() if k not in ("built", "incremental")}

    def manifest(m: dict) -> dict:
        out = {k: v for k, v in m.items() if k not in ("built_at", "incremental", "files")}
        out["files"] = [f for f in m["files"] if not f["path"].startswith("report")]
        return out

    assert report(inc.report) == report(full.report)
    assert manifest(inc.manifest) == manifest(full.manifest)
    assert "incremental" not in full.report
    assert inc.report["incremental"] == inc.manifest["incremental"]


def used_texts(snapshot: Path, tables: dict) -> dict[str, str | None]:
    """record_uid → source text, for the records of a snapshot."""
    ids = set(pq.read_table(snapshot / "lineage")["record_id"].to_pylist())
    return {record_uid_py(r["record_id"]): r["text"] for r in tables["records"]
            if r["record_id"] in ids}


def members_of(snapshot: Path) -> set[str]:
    return set(pq.read_table(snapshot / "lineage")["member_id"].to_pylist())


# -- a network that changes between T1 and T2 -----------------------------------------------

def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 3, 1)


def steady_members(t1: dt.datetime, t2: dt.datetime) -> dict[str, list[dict]]:
    """Members who are in at T1 (adult, US, told long ago) with public posts; a teenager who
    turns 18 between T1 and T2; a pupil whose secondary school ends between them."""
    long_ago = dt.datetime(2010, 1, 1, tzinfo=UTC)
    members, records, notices, education = [], [], [], []
    for i in range(5):
        members.append(dict(member_id=f"s{i}", country="US", birth_date=dt.date(1980, 1, i + 1),
                            joined_at=long_ago, deleted_at=None, language="en"))
    members.append(dict(member_id="teen", country="GB",
                        birth_date=_years_before(t2.date(), 18), joined_at=long_ago,
                        deleted_at=None, language="en"))
    members.append(dict(member_id="pupil", country="US", birth_date=None, joined_at=long_ago,
                        deleted_at=None, language="en"))
    education.append(dict(member_id="pupil", school="Lycée", level="secondary",
                          start_date=dt.date(2015, 9, 1), end_date=t2.date()))
    for m in members:
        notices.append(dict(member_id=m["member_id"], setting="data_for_genai_improvement",
                            notified_at=dt.datetime(2024, 1, 1, tzinfo=UTC)))
        for j, text in enumerate(TEXTS):
            records.append(dict(record_id=f"{m['member_id']}-p{j}", member_id=m["member_id"],
                                kind="post", visibility="public", group_id=None,
                                created_at=min(t1, dt.datetime(2024, 9, 1, tzinfo=UTC))
                                - dt.timedelta(days=j),
                                deleted_at=None, text=text))
    return dict(members=members, records=records, notifications=notices, education=education)


def evolve(tables: dict, t1: dt.datetime, t2: dt.datetime, seed: int) -> tuple[dict, dict]:
    """(source at T1, source at T2): the network plus the steady members, then at T2
    opt-outs, re-opt-ins, members deleted, new records, records deleted (soft and hard)
    and records whose text was edited."""
    rng = random.Random(seed)
    base = copy.deepcopy(tables)
    for name, rows in steady_members(t1, t2).items():
        base[name] = base.get(name, []) + rows
    mid = t1 + (t2 - t1) / 2
    # random changes spare the members whose fixed changes a test checks (s0 opts out, s1 is
    # deleted, s2 loses records, s3 edits one, the teenager and the pupil grow up)
    fixed = {"s0", "s1", "s2", "s3", "teen", "pupil"}
    ids = [m["member_id"] for m in base["members"] if m["member_id"] not in fixed]

    def some(n: int) -> list[str]:
        return rng.sample(ids, min(n, len(ids)))

    # a re-opt-in: out before T1, back in between T1 and T2
    back = some(2)
    for m in back:
        base["preference_events"].append(dict(
            member_id=m, setting="data_for_genai_improvement", value=False,
            effective_at=t1 - dt.timedelta(days=2), source="web"))
    t2_tables = copy.deepcopy(base)
    ev = t2_tables["preference_events"]
    for m in back:
        ev.append(dict(member_id=m, setting="data_for_genai_improvement", value=True,
                       effective_at=mid, source="web"))
    for m in ["s0", *some(2)]:  # opt-outs
        ev.append(dict(member_id=m, setting="data_for_genai_improvement", value=False,
                       effective_at=mid, source="api"))
    for m in t2_tables["members"]:  # members deleted
        if m["member_id"] == "s1" or (m["member_id"] in ids and m["member_id"] not in back
                                      and rng.random() < 0.1):
            m["deleted_at"] = mid
    recs = t2_tables["records"]
    kept = []
    for r in recs:
        roll = rng.random() if r["member_id"] not in fixed else 1.0
        if r["record_id"] == "s2-p0" or roll < 0.08:
            continue  # deleted from the source outright
        if r["record_id"] == "s2-p1" or roll < 0.16:
            r = {**r, "deleted_at": mid}
        elif r["record_id"] == "s3-p0" or roll < 0.3:
            r = {**r, "text": f"{r['text'] or ''} — edited, write to x{seed}@example.org"}
        kept.append(r)
    t2_tables["records"] = kept
    for m in dict.fromkeys(["s3", "s4", "teen", "pupil", *some(2)]):  # new records
        for j in range(2):
            recs_text = rng.choice(TEXTS)
            kept.append(dict(record_id=f"{m}-new{j}", member_id=m, kind="post",
                             visibility="public", group_id=None, created_at=mid,
                             deleted_at=None, text=recs_text))
    return base, t2_tables


T2_OFFSETS = [dt.timedelta(days=1), dt.timedelta(days=30), dt.timedelta(days=400)]


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(network=networks(max_members=5, max_records=5), offset=st.sampled_from(T2_OFFSETS),
       seed=st.integers(0, 2**16))
def test_incremental_is_the_full_build(network, offset, seed) -> None:
    tables, t1 = network
    t2 = t1 + offset
    t1_tables, t2_tables = evolve(tables, t1, t2, seed)
    root = Path(tempfile.mkdtemp())
    try:
        src1 = write_source(root / "src1", t1_tables)
        src2 = write_source(root / "src2", t2_tables)
        s1 = build(src1, t1, root / "s1")
        full = build(src2, t2, root / "full")
        with counting_redaction() as redacted:
            inc = build(src2, t2, root / "inc", since=s1.out)
        assert_same_as_full(full, inc)
        entry = inc.report["incremental"]
        assert entry["reused"] is True and entry["refused"] == []
        assert entry["since"]["snapshot_id"] == s1.manifest["snapshot_id"]

        # redaction ran on exactly the new and changed texts
        before, after = used_texts(s1.out, t1_tables), used_texts(full.out, t2_tables)
        fresh = {u: t for u, t in after.items() if u not in before or before[u] != t}
        assert Counter(redacted) == Counter(t for t in fresh.values() if t is not None)
        assert entry["texts"] == {"reused": len(after) - len(fresh), "redacted": len(fresh)}

        # what changed, against the two snapshots' lineage
        ch = entry["changes"]
        assert ch["records"]["added"] == len(after.keys() - before.keys())
        assert ch["records"]["withdrawn"] == len(before.keys() - after.keys())
        assert sum(ch["records"]["withdrawn_by_reason"].values()) == ch["records"]["withdrawn"]
        both = after.keys() & before.keys()
        assert ch["records"]["text_changed"] == sum(before[u] != after[u] for u in both)
        assert ch["records"]["text_unchanged"] == entry["texts"]["reused"]
        m1, m2 = members_of(s1.out), members_of(full.out)
        assert ch["members"]["in"] == len(m2 - m1)
        assert ch["members"]["out"] == len(m1 - m2)
        assert sum(ch["members"]["out_by_reason"].values()) == len(m1 - m2)

        check = verify_snapshot(inc.out, src2, POLICY, key=KEY)
        assert check.ok, check.violations
        # and the next build can start from this one
        again = build(src2, t2, root / "again", since=inc.out)
        assert again.report["incremental"]["texts"]["redacted"] == 0
        assert content(again.out) == content(full.out)
    finally:
        shutil.rmtree(root, ignore_errors=True)


# -- a fixed network: the reasons members and records went, and the refusals --------------

T1 = dt.datetime(2025, 12, 1, tzinfo=UTC)
T2 = dt.datetime(2026, 1, 15, tzinfo=UTC)


def evolved_sources(tmp_path: Path) -> tuple[Path, Path, dict, dict]:
    """The source at T1 and at T2 of the evolving network (folders), and their tables."""
    empty = {"members": [], "education": [], "groups": [], "records": [],
             "preference_events": [], "notifications": []}
    t1_tables, t2_tables = evolve(empty, T1, T2, seed=7)
    return (write_source(tmp_path / "src1", t1_tables), write_source(tmp_path / "src2", t2_tables),
            t1_tables, t2_tables)


@pytest.fixture
def evolved(tmp_path: Path) -> tuple[Path, Path, dict, dict]:
    return evolved_sources(tmp_path)


def test_changes_say_who_and_what_went_and_why(evolved, tmp_path: Path) -> None:
    src1, src2, _t1, _t2 = evolved
    s1 = build(src1, T1, tmp_path / "s1")
    inc = build(src2, T2, tmp_path / "inc", since=s1.out)
    ch = inc.report["incremental"]["changes"]
    # s0 opted out, s1 was deleted; the teenager turned 18, the pupil left school
    assert ch["members"]["out_by_reason"].get("opted_out", 0) >= 1
    assert ch["members"]["out_by_reason"].get("deleted", 0) >= 1
    assert {"teen", "pupil"} <= members_of(inc.out) - members_of(s1.out)
    assert ch["members"]["in"] >= 2
    withdrawn = ch["records"]["withdrawn_by_reason"]
    assert withdrawn.get("not_in_source", 0) >= 1  # s2-p0, deleted outright
    assert withdrawn.get("record_deleted", 0) >= 1  # s2-p1
    assert withdrawn.get("opted_out", 0) >= 1 and withdrawn.get("deleted", 0) >= 1
    assert ch["records"]["text_changed"] >= 1  # s3-p0
    assert inc.report["redactions"] == build(src2, T2, tmp_path / "full").report["redactions"]


def _refused(src1: Path, src2: Path, tmp_path: Path, prev: Path, expect: str, **kw) -> dict:
    full = build(src2, T2, tmp_path / "full", **kw)
    with counting_redaction() as redacted:
        inc = build(src2, T2, tmp_path / "inc", since=prev, **kw)
    assert_same_as_full(full, inc)
    entry = inc.report["incremental"]
    assert entry["reused"] is False and entry["texts"]["reused"] == 0
    assert any(expect in why for why in entry["refused"]), entry["refused"]
    assert len(redacted) == sum(1 for r in pq.read_table(inc.out / "data")["text"].to_pylist()
                                if r is not None)
    assert verify_snapshot(inc.out, src2, POLICY, key=KEY).ok
    return entry


def test_another_policy_is_not_reused(evolved, tmp_path: Path) -> None:
    src1, src2, *_ = evolved
    copy_ = tmp_path / "linkedin-2025.toml"
    copy_.write_text(_shipped_policy_file().read_text() + "\n# the same rules, another file\n")
    other = load_policy(str(copy_))
    assert other.sha256 != POLICY.sha256
    s1 = build(src1, T1, tmp_path / "s1", policy=other)
    _refused(src1, src2, tmp_path, s1.out, "another policy")


def _shipped_policy_file() -> Path:
    import consentgate.policy as policy_pkg

    return Path(policy_pkg.__file__).parent / "policies" / "linkedin-2025.toml"


def test_another_key_is_not_reused(evolved, tmp_path: Path, monkeypatch) -> None:
    src1, src2, *_ = evolved
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "44" * 32)
    s1 = build(src1, T1, tmp_path / "s1")
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", KEY_HEX)
    entry = _refused(src1, src2, tmp_path, s1.out, "another pseudonym key")
    assert entry["changes"]["records"]["text_changed"] is None  # hashes not comparable
    assert entry["changes"]["records"]["withdrawn"] >= 1  # lineage still tells


def test_another_purpose_is_not_reused(evolved, tmp_path: Path) -> None:
    src1, src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1", purpose="microsoft_ai_sharing")
    _refused(src1, src2, tmp_path, s1.out, "purpose microsoft_ai_sharing")


def test_changed_redaction_rules_are_not_reused(evolved, tmp_path: Path) -> None:
    """A rule file that differs (here: as if cues.toml had been edited) invalidates reuse."""
    from consentgate.redaction import fingerprint

    src1, src2, *_ = evolved
    real = fingerprint._files()
    edited = tuple((name, "0" * 64 if name == "data/cues.toml" else sha) for name, sha in real)
    with mock.patch.object(fingerprint, "_files", lambda: edited):
        s1 = build(src1, T1, tmp_path / "s1")
    assert s1.manifest["redaction_rules"]["data_files"]["data/cues.toml"] == "0" * 64
    _refused(src1, src2, tmp_path, s1.out, "rule files changed: data/cues.toml")


def test_rules_fingerprint_covers_every_rule_file() -> None:
    from consentgate.redaction.fingerprint import rules_fingerprint

    fp = rules_fingerprint(POLICY.redaction.classes)
    assert set(fp["data_files"]) == {"data/cues.toml", "data/national_ids.toml",
                                     "data/phones.toml"}
    assert rules_fingerprint(["email"])["sha256"] != fp["sha256"]


def _tamper_text(snapshot: Path) -> None:
    data = snapshot / "data" / "part-00000.parquet"
    table = pq.read_table(data)
    texts = table["text"].to_pylist()
    texts[0] = "planted: not the redacted text"
    import pyarrow as pa

    pq.write_table(table.set_column(table.schema.get_field_index("text"), "text",
                                    pa.array(texts, table.schema.field("text").type)), data)


def test_a_corrupted_previous_snapshot_is_never_trusted(evolved, tmp_path: Path) -> None:
    src1, src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1")
    _tamper_text(s1.out)
    entry = _refused(src1, src2, tmp_path, s1.out, "fails the integrity check")
    assert entry["changes"] is None and "changes_unavailable" in entry


def test_a_manifest_rewritten_to_match_is_caught(evolved, tmp_path: Path) -> None:
    """Tampered data and a manifest whose hashes were updated to match: the snapshot id no
    longer derives from the files."""
    src1, src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1")
    _tamper_text(s1.out)
    manifest = json.loads((s1.out / "manifest.json").read_text())
    for f in manifest["files"]:
        f["sha256"] = sha256_file(s1.out / f["path"])
    (s1.out / "manifest.json").write_text(json.dumps(manifest))
    _refused(src1, src2, tmp_path, s1.out, "does not derive from the files")


def test_a_tampered_text_index_is_never_trusted(evolved, tmp_path: Path) -> None:
    src1, src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1")
    index = s1.out / TEXTS_FILE
    table = pq.read_table(index)
    pq.write_table(table.slice(1), index)  # a row less: no longer lines up with data/
    _refused(src1, src2, tmp_path, s1.out, "fails the integrity check")


def test_an_unreadable_manifest_is_a_full_build(evolved, tmp_path: Path) -> None:
    src1, src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1")
    (s1.out / "manifest.json").write_text("{not json")
    _refused(src1, src2, tmp_path, s1.out, "manifest.json is missing or unreadable")


def test_a_malformed_manifest_is_a_full_build(evolved, tmp_path: Path) -> None:
    src1, src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1")
    manifest = json.loads((s1.out / "manifest.json").read_text())
    manifest["files"][0] = {"path": manifest["files"][0]["path"]}  # its sha256 gone
    (s1.out / "manifest.json").write_text(json.dumps(manifest))
    _refused(src1, src2, tmp_path, s1.out, "a file entry has no path or sha256")


def test_a_snapshot_without_text_index_reuses_nothing(evolved, tmp_path: Path) -> None:
    """A snapshot built before builds kept the index (or by Spark, or a purge): nothing to
    reuse, said so; the changes are still told from its lineage."""
    src1, src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1")
    shutil.rmtree(s1.out / "reuse")
    manifest = json.loads((s1.out / "manifest.json").read_text())
    manifest["files"] = [f for f in manifest["files"] if f["path"] != TEXTS_FILE]
    del manifest["redaction_rules"]
    (s1.out / "manifest.json").write_text(json.dumps(manifest))
    assert verify_snapshot(s1.out, src1, POLICY).ok  # an old-layout snapshot still verifies
    entry = _refused(src1, src2, tmp_path, s1.out, "holds no text index")
    assert entry["changes"]["records"]["withdrawn"] >= 1


def test_since_a_missing_folder_is_an_error(evolved, tmp_path: Path) -> None:
    _src1, src2, *_ = evolved
    with pytest.raises(FileNotFoundError, match="no such snapshot"):
        build(src2, T2, tmp_path / "inc", since=tmp_path / "nope")
    assert not (tmp_path / "inc").exists()


def test_verify_checks_the_text_index(evolved, tmp_path: Path) -> None:
    """A text index whose hashes are not those of the source texts is a violation (with the
    key), even when the manifest was updated to match it."""
    import pyarrow as pa

    src1, _src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1")
    index = s1.out / TEXTS_FILE
    table = pq.read_table(index)
    hashes = table["text_sha256"].to_pylist()
    hashes[0] = "0" * 64
    pq.write_table(table.set_column(1, "text_sha256", pa.array(hashes, pa.string())), index)
    manifest = json.loads((s1.out / "manifest.json").read_text())
    for f in manifest["files"]:
        if f["path"] == TEXTS_FILE:
            f["sha256"] = sha256_file(index)
    (s1.out / "manifest.json").write_text(json.dumps(manifest))
    check = verify_snapshot(s1.out, src1, POLICY, key=KEY)
    assert {v.check for v in check.violations} == {"text_index"}


def test_cli_since(evolved, tmp_path: Path) -> None:
    src1, src2, *_ = evolved
    r = runner.invoke(app, ["build", "--help"])
    assert "--since" in r.output
    s1 = build(src1, T1, tmp_path / "s1")
    r = runner.invoke(app, ["build", "--source", str(src2), "--as-of", "2026-01-15",
                            "--out", str(tmp_path / "inc"), "--since", str(s1.out)])
    assert r.exit_code == 0, r.output
    assert "reused" in r.output and s1.manifest["snapshot_id"] in r.output
    assert r.output.strip().splitlines()[-1] == str(tmp_path / "inc")
    (s1.out / "manifest.json").write_text("{")
    r = runner.invoke(app, ["build", "--source", str(src2), "--as-of", "2026-01-15",
                            "--out", str(tmp_path / "inc2"), "--since", str(s1.out)])
    assert r.exit_code == 0, r.output
    assert "full build" in r.output and "unreadable" in r.output


def test_redaction_workers_give_the_same_incremental_build(evolved, tmp_path: Path) -> None:
    """With redaction in worker processes (as in large builds), per-record counts travel
    back from the workers: the index and the report are the same as without."""
    src1, src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1", redact_workers=2)
    full = build(src2, T2, tmp_path / "full")
    inc = build(src2, T2, tmp_path / "inc", since=s1.out, redact_workers=2)
    assert_same_as_full(full, inc)
    assert inc.report["incremental"]["texts"]["redacted"] > 0


def test_a_purged_snapshot_can_be_the_previous_one(evolved, tmp_path: Path) -> None:
    """A purge keeps the text index less the withdrawn rows: a build --since the purged
    snapshot reuses its texts and is still the full build."""
    from consentgate.snapshot.purge import PurgeOptions, purge_snapshot

    src1, src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1")
    purged = purge_snapshot(PurgeOptions(snapshot=s1.out, source=src2, as_of=T2,
                                         out=tmp_path / "s1-purged"))
    assert purged.withdrawn > 0
    index = pq.read_table(purged.out / TEXTS_FILE)["record_uid"].to_pylist()
    assert index == pq.read_table(purged.out / "data")["record_uid"].to_pylist()
    # (not verified against src2 here: a purge keeps T1's texts, and one of them was edited
    # since, which verify reports as it should)
    full = build(src2, T2, tmp_path / "full")
    with counting_redaction() as redacted:
        inc = build(src2, T2, tmp_path / "inc", since=purged.out)
    assert_same_as_full(full, inc)
    entry = inc.report["incremental"]
    assert entry["reused"] is True and entry["texts"]["reused"] > 0
    assert entry["since"]["snapshot_id"] == purged.manifest["snapshot_id"]
    assert len(redacted) <= entry["texts"]["redacted"]


def test_reuse_that_stops_part_way_still_gives_the_full_build(evolved, tmp_path: Path,
                                                              monkeypatch) -> None:
    """When the merge finds the previous snapshot out of order part way through, the rest
    is redacted again: the same snapshot, and the entry says why reuse stopped."""
    from consentgate.snapshot import reuse
    from consentgate.snapshot.steps import write

    src1, src2, *_ = evolved
    s1 = build(src1, T1, tmp_path / "s1")
    monkeypatch.setattr(write, "STREAM_BATCH_ROWS", 4)  # several batches (and row groups)
    full = build(src2, T2, tmp_path / "full")
    real, calls = reuse.PreviousTexts._lookup, []

    def stops_at_the_third_batch(self, uids, hashes):
        calls.append(len(uids))
        if len(calls) >= 3:
            raise reuse._OutOfStep("the previous snapshot's rows are not in record_uid order")
        return real(self, uids, hashes)

    monkeypatch.setattr(reuse.PreviousTexts, "_lookup", stops_at_the_third_batch)
    inc = build(src2, T2, tmp_path / "inc", since=s1.out)
    assert_same_as_full(full, inc)
    entry = inc.report["incremental"]
    assert entry["reuse_stopped"] == "the previous snapshot's rows are not in record_uid order"
    assert len(calls) == 3  # no lookup after the stop
    rows = inc.manifest["counts"]["records_used"]
    assert 0 < entry["texts"]["reused"] <= 8 < rows
    assert entry["texts"]["reused"] + entry["texts"]["redacted"] == rows
