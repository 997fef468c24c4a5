from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from consentgate.cli import app
from consentgate.contract import open_source
from consentgate.eligibility.from_source import iter_records, reference_for
from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
from consentgate.snapshot.manifest import sha256_file
from tests.conftest import tiny_tables, write_source

POLICY = load_policy("linkedin-2025")
T = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "11" * 32)


def build(source: Path, out: Path, **kw):
    return build_snapshot(BuildOptions(source=source, policy=POLICY, as_of=T, out=out, **kw))


def test_build_keeps_exactly_what_the_reference_allows(tiny_source: Path, tmp_path: Path) -> None:
    res = build(tiny_source, tmp_path / "snap")
    src = open_source(tiny_source)
    ref = reference_for(POLICY, src, T)
    want = {r.record_id for r in iter_records(src) if ref.record(r).used}
    lineage = pq.read_table(tmp_path / "snap" / "lineage").to_pylist()
    assert {r["record_id"] for r in lineage} == want == {"fr_adult-h", "fr_adult-p", "fr_adult-g"}
    data = pq.read_table(tmp_path / "snap" / "data").to_pylist()
    assert [d["record_uid"] for d in data] == sorted(d["record_uid"] for d in data)
    assert set(data[0]) == {
        "record_uid",
        "kind",
        "category",
        "created_at",
        "language",
        "author",
        "text",
    }
    post = next(d for d in data if d["kind"] == "post")
    assert post["text"] == "Écrivez-moi à <EMAIL> ou au <PHONE>"
    assert post["category"] == "user.content.public.member_generated"
    assert post["language"] == "fr"
    assert {d["author"] for d in data} != {"fr_adult"} and len({d["author"] for d in data}) == 1
    # the report counts every member and record, by reason
    report = res.report
    assert report["members"]["total"] == 6 and report["members"]["used"] == 1
    assert report["members"]["by_reason"]["opted_out"] == 1
    assert report["records"]["by_reason"]["kind_never_used"] == 1
    assert report["records"]["by_reason"]["sensitive_group"] == 1
    assert report["records"]["total"] == 30
    assert report["redactions"]["email"] == 1 and report["redactions"]["phone"] == 1
    assert (tmp_path / "snap" / "report.html").read_text().count("<svg") >= 5


def test_manifest_lists_every_file_with_its_hash(tiny_source: Path, tmp_path: Path) -> None:
    res = build(tiny_source, tmp_path / "snap")
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())
    assert manifest == res.manifest
    assert manifest["policy"]["sha256"] == POLICY.sha256
    assert manifest["as_of"] == "2025-12-01T00:00:00Z"
    assert manifest["engine"] == "duckdb"
    assert manifest["counts"]["records_used"] == 3
    assert set(manifest["inputs"]["source"]["fingerprints"]) == {
        "members",
        "education",
        "groups",
        "records",
        "preference_events",
        "notifications",
    }
    assert manifest["purpose"]["setting"] == "data_for_genai_improvement"
    paths = {f["path"] for f in manifest["files"]}
    assert {
        "data/part-00000.parquet",
        "lineage/part-00000.parquet",
        "report.json",
        "report.html",
    } <= paths
    for f in manifest["files"]:
        assert sha256_file(tmp_path / "snap" / f["path"]) == f["sha256"]
    assert "11" * 32 not in json.dumps(manifest)  # the key itself never appears


def test_same_inputs_same_snapshot(tiny_source: Path, tmp_path: Path) -> None:
    """Same records, same bytes in data/, lineage/, usage/ and the dataset card, same id;
    the reports differ only in when and how fast the build ran."""
    ra, rb = build(tiny_source, tmp_path / "a"), build(tiny_source, tmp_path / "b")
    a, b = ra.manifest, rb.manifest
    assert a["snapshot_id"] == b["snapshot_id"]

    def content(m: dict) -> list:
        return [(f["path"], f["sha256"]) for f in m["files"] if not f["path"].startswith("report")]

    assert content(a) == content(b)
    assert {p for p, _ in content(a)} == {
        "data/part-00000.parquet", "lineage/part-00000.parquet", "usage/members.parquet",
        "reuse/texts.parquet", "README.md"}
    assert {k: v for k, v in ra.report.items() if k != "built"} == {
        k: v for k, v in rb.report.items() if k != "built"}


def test_another_key_changes_pseudonyms_not_records(
    tiny_source: Path, tmp_path: Path, monkeypatch
) -> None:
    build(tiny_source, tmp_path / "a")
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "22" * 32)
    build(tiny_source, tmp_path / "b")
    a = pq.read_table(tmp_path / "a" / "data").to_pylist()
    b = pq.read_table(tmp_path / "b" / "data").to_pylist()
    assert [r["record_uid"] for r in a] == [r["record_uid"] for r in b]
    assert a[0]["author"] != b[0]["author"]


def test_refuses_to_overwrite_and_writes_nothing_on_bad_input(
    tiny_source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "snap"
    out.mkdir()
    r = runner.invoke(
        app, ["build", "--source", str(tiny_source), "--as-of", "2025-12-01", "--out", str(out)]
    )
    assert r.exit_code == 2 and "already exists" in r.output
    assert list(out.iterdir()) == []

    cases = [
        (["--as-of", "not-a-date"], "ISO 8601"),
        (["--as-of", "2025-12-01", "--policy", "nope"], "no policy named"),
        (["--as-of", "2025-12-01", "--engine", "oracle"], "unknown engine"),
    ]
    for extra, message in cases:
        target = tmp_path / "new"
        r = runner.invoke(
            app, ["build", "--source", str(tiny_source), "--out", str(target), *extra]
        )
        assert r.exit_code == 2, r.output
        assert message in r.output
        assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap", "tiny"]


def test_missing_column_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    tables = tiny_tables()
    for r in tables["records"]:
        del r["visibility"]
    root = tmp_path / "src"
    root.mkdir()
    import pyarrow as pa

    for name, rows in tables.items():
        pq.write_table(pa.Table.from_pylist(rows), root / f"{name}.parquet")
    r = runner.invoke(
        app,
        ["build", "--source", str(root), "--as-of", "2025-12-01", "--out", str(tmp_path / "snap")],
    )
    assert r.exit_code == 2 and "missing column 'visibility'" in r.output
    assert not (tmp_path / "snap").exists()
    assert not list(tmp_path.glob(".snap*"))


def test_cli_build_prints_the_snapshot_folder_last(tiny_source: Path, tmp_path: Path) -> None:
    out = tmp_path / "snap"
    r = runner.invoke(
        app, ["build", "--source", str(tiny_source), "--as-of", "2025-12-01", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1] == str(out)
    assert "Records out, by reason" in r.output


def test_verify_is_clean_then_catches_tampering(tiny_source: Path, tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    build(tiny_source, snap)
    r = runner.invoke(app, ["verify", str(snap), "--source", str(tiny_source)])
    assert r.exit_code == 0 and "clean" in r.output

    # a file edited after the build: hash mismatch
    bad = tmp_path / "bad"
    shutil.copytree(snap, bad)
    with open(bad / "report.json", "a") as fh:
        fh.write(" ")
    r = runner.invoke(app, ["verify", str(bad), "--source", str(tiny_source)])
    assert r.exit_code == 1 and "[hash] report.json" in r.output


def test_verify_catches_a_record_that_must_be_out(tiny_source: Path, tmp_path: Path) -> None:
    """A snapshot built while a member's opt-out was missing from consent is caught when
    verified against the real consent."""
    tables = tiny_tables()
    no_events = write_source(tmp_path / "consent", {"preference_events": []})
    snap = tmp_path / "snap"
    build_snapshot(
        BuildOptions(source=tiny_source, policy=POLICY, as_of=T, out=snap, consent=str(no_events))
    )
    res = verify_snapshot(snap, tiny_source, POLICY)
    assert not res.ok
    assert {v.subject for v in res.violations if v.check == "must_be_out"} == {
        "fr_optout-h",
        "fr_optout-p",
        "fr_optout-g",
    }
    assert all("opted_out" in v.message for v in res.violations if v.check == "must_be_out")
    # and with the consent the build used, it is clean
    assert verify_snapshot(snap, tiny_source, POLICY, consent=no_events).ok
    assert tables  # the original tables are untouched


def test_verify_catches_missing_record_and_unredacted_text(
    tiny_source: Path, tmp_path: Path
) -> None:
    import pyarrow as pa

    from consentgate.snapshot.manifest import file_entry, write_json

    snap = tmp_path / "snap"
    build(tiny_source, snap)
    data_file = snap / "data" / "part-00000.parquet"
    lineage_file = snap / "lineage" / "part-00000.parquet"
    data = pq.read_table(data_file).to_pylist()
    lineage = pq.read_table(lineage_file).to_pylist()
    # drop the headline and put the raw e-mail back into the post
    drop = next(d["record_uid"] for d in data if d["kind"] == "profile_headline")
    data = [d for d in data if d["record_uid"] != drop]
    lineage = [r for r in lineage if r["record_uid"] != drop]
    for d in data:
        if d["kind"] == "post":
            d["text"] = d["text"].replace("<EMAIL>", "jeanne.martin@example.fr")
    pq.write_table(pa.Table.from_pylist(data, schema=pq.read_schema(data_file)), data_file)
    pq.write_table(pa.Table.from_pylist(lineage, schema=pq.read_schema(lineage_file)), lineage_file)
    manifest = json.loads((snap / "manifest.json").read_text())
    manifest["files"] = [file_entry(snap, snap / f["path"]) for f in manifest["files"]]
    write_json(snap / "manifest.json", manifest)  # a forger who also rewrites the manifest
    res = verify_snapshot(snap, tiny_source, POLICY)
    checks = {(v.check, v.subject) for v in res.violations}
    assert ("must_be_in", "fr_adult-h") in checks
    assert ("text", "fr_adult-p") in checks
    assert any(c == "unredacted" for c, _ in checks)


def _build_caught_in_staging(tmp_path: Path, seed: int) -> tuple[subprocess.Popen, list, dict]:
    """Start a CLI build of a generated network and return once it is staging, still running."""
    from consentgate.synth import generate

    source = tmp_path / "net"
    generate(source, members=5000, seed=seed)
    env = dict(os.environ, CONSENTGATE_PSEUDONYM_KEY="33" * 32)
    cmd = [
        sys.executable,
        "-m",
        "consentgate.cli",
        "build",
        "--source",
        str(source),
        "--as-of",
        "2026-01-15",
        "--out",
        str(tmp_path / "snap"),
        "--quiet",
        "--threads",
        "1",
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(".snap.partial-*/_work")):
        time.sleep(0.01)
    assert list(tmp_path.glob(".snap.partial-*")), "the build never started staging"
    assert proc.poll() is None, "the build finished before it could be interrupted"
    return proc, cmd, env


def test_killed_build_leaves_nothing_and_rerun_succeeds(tmp_path: Path) -> None:
    proc, cmd, env = _build_caught_in_staging(tmp_path, seed=3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    out = tmp_path / "snap"
    assert not out.exists()
    # the rerun cleans the dead build's staging folder and publishes
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == str(out)
    assert not list(tmp_path.glob(".snap.partial-*"))
    assert verify_snapshot(out, tmp_path / "net", POLICY).ok


def test_sigterm_cleans_up_staging(tmp_path: Path) -> None:
    proc, _cmd, _env = _build_caught_in_staging(tmp_path, seed=4)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert not (tmp_path / "snap").exists()
    assert not list(tmp_path.glob(".snap.partial-*"))


def test_loads_with_hugging_face_datasets(tiny_source: Path, tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    build(tiny_source, tmp_path / "snap")
    ds = datasets.load_dataset(
        "parquet",
        data_files=str(tmp_path / "snap" / "data" / "*.parquet"),
        split="train",
        cache_dir=str(tmp_path / "hf-cache"),
    )
    assert ds.num_rows == 3
    assert set(ds.column_names) == {
        "record_uid",
        "kind",
        "category",
        "created_at",
        "language",
        "author",
        "text",
    }
    assert "Écrivez-moi à <EMAIL> ou au <PHONE>" in ds["text"]


def test_duckdb_file_source_builds_the_same_records(tiny_source: Path, tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "net.duckdb"
    con = duckdb.connect(str(db))
    for name in ("members", "education", "groups", "records", "preference_events",
                 "notifications"):
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM '{tiny_source}/{name}.parquet'")
    con.close()
    a = build(tiny_source, tmp_path / "a")
    b = build(db, tmp_path / "b")
    da = pq.read_table(tmp_path / "a" / "data").to_pylist()
    db_ = pq.read_table(tmp_path / "b" / "data").to_pylist()
    assert da == db_
    assert a.manifest["inputs"]["source"]["kind"] == "parquet"
    assert b.manifest["inputs"]["source"]["kind"] == "duckdb"


def test_corrupt_parquet_pages_give_a_clear_error_and_no_snapshot(tmp_path: Path) -> None:
    from consentgate.synth import generate

    source = tmp_path / "net"
    generate(source, members=300, seed=5)
    part = sorted((source / "records").glob("*.parquet"))[0]
    data = bytearray(part.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 400] = b"x" * 400  # data pages, not the footer
    part.write_bytes(bytes(data))
    out = tmp_path / "snap"
    r = runner.invoke(
        app,
        ["build", "--source", str(source), "--as-of", "2026-01-15", "--out", str(out), "--quiet"],
    )
    assert r.exit_code == 2
    assert "could not read the input" in r.output and part.name in r.output
    assert not out.exists() and not list(tmp_path.glob(".snap.partial-*"))


def test_verify_names_a_source_that_changed_since_the_build(
    tiny_source: Path, tmp_path: Path
) -> None:
    import pyarrow as pa

    snap = tmp_path / "snap"
    build(tiny_source, snap)
    groups = pq.read_table(tiny_source / "groups.parquet").to_pylist()
    groups[1]["sensitive"] = False  # the union group is no longer marked sensitive
    pq.write_table(
        pa.Table.from_pylist(groups, schema=pq.read_schema(tiny_source / "groups.parquet")),
        tiny_source / "groups.parquet",
    )
    res = verify_snapshot(snap, tiny_source, POLICY)
    assert [(v.check, "groups" in v.message) for v in res.violations if v.check == "source"] == [
        ("source", True)
    ]
    assert ("must_be_in", "fr_adult-u") in {(v.check, v.subject) for v in res.violations}


def _with_placeholder_already_there(root: Path) -> Path:
    """The tiny network, where the used headline already holds a placeholder."""
    tables = tiny_tables()
    for r in tables["records"]:
        if r["record_id"] == "fr_adult-h":
            r["text"] = "Senior data engineer, <EMAIL> et <PHONE> masqués, ou b.c@example.org"
    return write_source(root, tables)


def test_report_counts_values_redacted_not_placeholders_already_there(tmp_path: Path) -> None:
    source = _with_placeholder_already_there(tmp_path / "src")
    res = build(source, tmp_path / "snap")
    # the post's email and phone, the headline's new email; not the two placeholders it had
    assert res.report["redactions"]["email"] == 2
    assert res.report["redactions"]["phone"] == 1
    assert res.manifest["counts"]["redactions"] == res.report["redactions"]
    texts = pq.read_table(tmp_path / "snap" / "data", columns=["text"]).column("text")
    assert sum(t.as_py().count("<EMAIL>") for t in texts) == 3


def test_redaction_in_worker_processes_counts_the_same(tmp_path: Path) -> None:
    source = _with_placeholder_already_there(tmp_path / "src")
    one = build(source, tmp_path / "one")
    two = build(source, tmp_path / "two", redact_workers=2)
    assert one.report["redactions"] == two.report["redactions"]
    assert (tmp_path / "one" / "data" / "part-00000.parquet").read_bytes() == (
        tmp_path / "two" / "data" / "part-00000.parquet"
    ).read_bytes()


def test_running_out_of_memory_says_so_and_publishes_nothing(tmp_path: Path) -> None:
    from consentgate.synth import generate

    source = tmp_path / "net"
    generate(source, members=300, seed=5)
    out = tmp_path / "snap"
    r = runner.invoke(
        app,
        ["build", "--source", str(source), "--as-of", "2026-01-15", "--out", str(out),
         "--memory-limit", "1MB", "--quiet"],
    )
    assert r.exit_code == 2
    assert "ran out of memory" in r.output and "--memory-limit" in r.output
    assert "could not read the input" not in r.output
    assert not out.exists() and not list(tmp_path.glob(".snap.partial-*"))
