"""Inputs that lie: null flags, empty and duplicate keys, badly written country codes,
missing texts. Each used to give a silent wrong snapshot (or a crash); each must now fail
closed with a reason, or stop the build with a clear error and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from consentgate.cli import app
from consentgate.contract import ContractError
from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
from consentgate.synth import generate
from tests.conftest import EDGE_AS_OF, edge_tables, tiny_tables, ts, write_source

POLICY = load_policy("linkedin-2025")
T = ts(2026, 1, 15)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "3c" * 32)


@pytest.fixture(scope="module")
def net(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("net") / "net"
    generate(out, members=150, seed=11)
    return out


def _rewrite(src: Path, dest: Path, table: str, change) -> Path:
    """A copy of a generated source with one table changed (``change`` maps rows)."""
    import shutil

    shutil.copytree(src, dest)
    path = next(dest.glob(f"{table}.parquet"), None) or sorted((dest / table).glob("*.parquet"))
    files = [path] if isinstance(path, Path) else path
    for f in files:
        t = pq.read_table(f)
        rows = change(t.to_pylist())
        schema = pa.schema([fld.with_nullable(True) for fld in t.schema])
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), f)
    return dest


def _lineage(snapshot: Path) -> list[dict]:
    return pq.read_table(snapshot / "lineage" / "part-00000.parquet").to_pylist()


def test_groups_of_unknown_sensitivity_are_sensitive(net: Path, tmp_path: Path) -> None:
    def unknown(rows):
        for r in rows:
            r["sensitive"] = None
        return rows

    src = _rewrite(net, tmp_path / "src", "groups", unknown)
    res = build_snapshot(BuildOptions(source=src, policy=POLICY, as_of=T, out=tmp_path / "s"))
    groups = {r["group_id"] for r in pq.read_table(src / "groups.parquet").to_pylist()}
    records = pq.read_table(src / "records").to_pylist()
    in_groups = {r["record_id"] for r in records if r["group_id"] in groups}
    used = {r["record_id"] for r in _lineage(res.out)}
    assert in_groups and not (used & in_groups)
    assert res.report["records"]["by_reason"]["group_unknown"] >= len(in_groups) // 2
    checks = {f["check"]: f for f in res.report["data_quality"]}
    assert checks["group_sensitivity_unknown"]["rows"] == len(groups)
    assert verify_snapshot(res.out, src, POLICY).ok


@pytest.mark.parametrize(
    ("table", "mutate", "expected"),
    [
        ("records", lambda rows: [{**rows[0], "record_id": ""}, *rows[1:]],
         "records.record_id: 1 row(s) with an empty record_id"),
        ("records", lambda rows: [{**rows[0], "record_id": None}, *rows[1:]],
         "records.record_id: 1 row(s) with no record_id (null)"),
        ("records", lambda rows: [*rows, rows[0]], "records.record_id: 1 duplicate row(s)"),
        ("members", lambda rows: [*rows, {**rows[0], "deleted_at": rows[0]["joined_at"]}],
         "members.member_id: 1 duplicate row(s)"),
        ("groups", lambda rows: [*rows, {**rows[0], "sensitive": not rows[0]["sensitive"]}],
         "groups.group_id: 1 duplicate row(s)"),
    ],
)
def test_unusable_keys_stop_the_build_and_nothing_is_written(
    tmp_path: Path, table, mutate, expected
) -> None:
    tables = tiny_tables()
    tables[table] = mutate(tables[table])
    src = write_source(tmp_path / "src", tables)
    out = tmp_path / "snap"
    with pytest.raises(ContractError, match="nothing was built") as info:
        build_snapshot(BuildOptions(source=src, policy=POLICY, as_of=T, out=out))
    assert expected in str(info.value)
    assert list(tmp_path.iterdir()) == [tmp_path / "src"]  # no snapshot, no staging left
    r = runner.invoke(app, ["build", "--source", str(src), "--as-of", "2026-01-15",
                            "--out", str(out)])
    assert r.exit_code == 2 and expected in r.output and "Traceback" not in r.output
    assert not out.exists()


def test_null_texts_are_left_out_and_said_so(tmp_path: Path) -> None:
    tables = tiny_tables()
    for r in tables["records"]:
        if r["record_id"] == "fr_adult-p":
            r["text"] = None
    src = write_source(tmp_path / "src", tables)
    res = build_snapshot(BuildOptions(source=src, policy=POLICY, as_of=T, out=tmp_path / "s"))
    data = pq.read_table(tmp_path / "s" / "data").to_pylist()
    assert data and all(r["text"] is not None for r in data)
    assert "fr_adult-p" not in {r["record_id"] for r in _lineage(res.out)}
    assert res.report["records"]["by_reason"]["record_incomplete"] == 1
    assert verify_snapshot(res.out, src, POLICY).ok


def test_badly_written_country_codes_warn_with_counts_and_fail_closed(
    net: Path, tmp_path: Path
) -> None:
    changed = {"n": 0}

    def lower(rows):
        for i, r in enumerate(rows):
            if r["country"] == "FR":
                r["country"] = "fr" if i % 2 else "FR "
                changed["n"] += 1
        return rows

    src = _rewrite(net, tmp_path / "src", "members", lower)
    assert changed["n"] > 2
    r = runner.invoke(app, ["build", "--source", str(src), "--as-of", "2026-01-15",
                            "--out", str(tmp_path / "s")])
    assert r.exit_code == 0, r.output
    assert f"members.country: {changed['n']} row(s) have a country code in another case" in r.output
    report = json.loads((tmp_path / "s" / "report.json").read_text())
    finding = next(f for f in report["data_quality"] if f["check"] == "country_not_normalised")
    assert finding["rows"] == changed["n"] and set(finding["examples"]) == {"FR ", "fr"}
    html = (tmp_path / "s" / "report.html").read_text()
    assert "Data quality" in html and "members.country" in html
    # still fail closed: none of those members is used
    members = {m["member_id"] for m in pq.read_table(src / "members.parquet").to_pylist()
               if m["country"] in ("fr", "FR ")}
    assert not members & {m["member_id"] for m in _lineage(tmp_path / "s")}


def test_the_edge_network_builds_and_verifies(tmp_path: Path) -> None:
    """Null joined_at (verify used to crash), null start dates and levels, erasures, null
    texts and times, groups of unknown sensitivity: the build and the independent verify
    agree on all of them."""
    src = write_source(tmp_path / "src", edge_tables())
    res = build_snapshot(BuildOptions(source=src, policy=POLICY, as_of=EDGE_AS_OF,
                                      out=tmp_path / "s"))
    check = verify_snapshot(res.out, src, POLICY)
    assert check.ok, check.violations
    by_reason = res.report["members"]["by_reason"]
    assert by_reason["erasure"] == 3 and by_reason["not_joined"] == 1
    r = runner.invoke(app, ["verify", str(res.out), "--source", str(src)])
    assert r.exit_code == 0 and "Traceback" not in r.output
    r = runner.invoke(app, ["explain", "--source", str(src), "--member", "null_join",
                            "--as-of", "2026-01-15"])
    assert r.exit_code == 0 and "joined (unknown)" in r.output and "not_joined" in r.output


def test_report_header_says_engine_consent_and_build_time(tmp_path: Path) -> None:
    from consentgate.ledger import Ledger, NewEvent, init_ledger

    src = write_source(tmp_path / "src", tiny_tables())
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    init_ledger(url)
    with Ledger(url) as ledger:
        ledger.import_events([NewEvent(member_id="fr_optout", setting="data_for_genai_improvement",
                                       value=False, source="web", policy_id="linkedin-2025",
                                       policy_version="1.0.0", effective_at=ts(2025, 10, 1))])
        head = ledger.head()
    res = build_snapshot(BuildOptions(source=src, policy=POLICY, as_of=T, out=tmp_path / "s",
                                      consent=url))
    consent = res.manifest["inputs"]["consent"]
    assert consent["head_seq"] == head.seq == 1 and consent["head_hash"] == head.hash
    assert res.report["consent"]["head_seq"] == 1
    assert res.report["built"]["engine"] == "duckdb" and res.report["built"]["at"]
    assert res.report["regions"]["eu_eea"]
    html = (tmp_path / "s" / "report.html").read_text()
    assert "head event #1" in html and "engine duckdb" in html
    assert "Colours:" in html and "in (used for training)" in html and "out (left out)" in html
    assert "eu_eea — " in html  # region names next to their ids


def test_report_escapes_values_from_the_source(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["records"][0]["kind"] = "<script>alert(1)</script>"
    src = write_source(tmp_path / "src", tables)
    build_snapshot(BuildOptions(source=src, policy=POLICY, as_of=T, out=tmp_path / "s"))
    html = (tmp_path / "s" / "report.html").read_text()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_verify_lists_every_violation_behind_a_hash_mismatch(tmp_path: Path) -> None:
    src = write_source(tmp_path / "src", tiny_tables())
    snap = tmp_path / "s"
    build_snapshot(BuildOptions(source=src, policy=POLICY, as_of=T, out=snap))
    data = snap / "data" / "part-00000.parquet"
    table = pq.read_table(data)
    texts = table["text"].to_pylist()
    texts[0] = texts[0] + " écrivez à paul.durand@example.org"
    pq.write_table(table.set_column(table.schema.get_field_index("text"), "text",
                                    pa.array(texts)), data)
    res = verify_snapshot(snap, src, POLICY)
    assert res.counts["hash"] == 1
    assert res.counts["unredacted"] == 1 and res.counts["text"] == 1
    r = runner.invoke(app, ["verify", str(snap), "--source", str(src), "--key-file",
                            str(_key_file(tmp_path))])
    assert r.exit_code == 1
    assert "[unredacted]" in r.output and "[hash]" in r.output
    assert "pseudonyms: one per member, none a member id, each derived with key" in r.output
    assert "records: 30 source records re-decided" in r.output


def _key_file(tmp_path: Path) -> Path:
    f = tmp_path / "key"
    f.write_text("3c" * 32 + "\n")
    return f


def test_unknown_age_exclude_is_a_policy_option(tmp_path: Path) -> None:
    from consentgate.policy import parse_policy
    from consentgate.policy.loader import resolve

    text = resolve("linkedin-2025").read_text().replace('unknown_age = "allow"',
                                                        'unknown_age = "exclude"')
    assert 'unknown_age = "exclude"' in text
    strict = parse_policy(text.encode())
    src = write_source(tmp_path / "src", edge_tables())
    default = build_snapshot(BuildOptions(source=src, policy=POLICY, as_of=EDGE_AS_OF,
                                          out=tmp_path / "a"))
    excluded = build_snapshot(BuildOptions(source=src, policy=strict, as_of=EDGE_AS_OF,
                                           out=tmp_path / "b"))
    assert "age_unknown" not in default.report["members"]["by_reason"]
    assert excluded.report["members"]["by_reason"]["age_unknown"] == 1
    assert "no_age" in {r["member_id"] for r in _lineage(default.out)}
    assert "no_age" not in {r["member_id"] for r in _lineage(excluded.out)}
    from consentgate.policy.diff import diff_policies

    change = next(c for c in diff_policies(strict, POLICY) if c.subject == "minors.unknown_age")
    assert change.widens is True
