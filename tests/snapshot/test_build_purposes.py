"""`consentgate build --purpose KEY`: one snapshot per setting; the manifest and the report
name it, `verify` decides again for it, and bad setting names stop the build."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from consentgate.cli import app
from consentgate.contract import ContractError
from consentgate.policy import load_policy
from consentgate.policy.model import UnknownSetting
from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
from tests.conftest import write_source

UTC = dt.UTC
POLICY = load_policy("linkedin-2025")
T = dt.datetime(2026, 1, 15, tzinfo=UTC)
GENAI, MICROSOFT, ADS, OTHER_AI = POLICY.setting_keys()
TOLD = dt.datetime(2025, 9, 18, tzinfo=UTC)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "22" * 32)


def tables() -> dict:
    """Two UK members told of both rows: one refuses Microsoft's AI training, the other
    LinkedIn's; and a French member, to whom the Microsoft row is not offered."""
    members, records, notices = [], [], []
    for mid, country in (("gb_no_microsoft", "GB"), ("gb_no_genai", "GB"), ("fr_adult", "FR")):
        members.append(dict(member_id=mid, country=country, birth_date=dt.date(1980, 1, 1),
                            joined_at=dt.datetime(2010, 1, 1, tzinfo=UTC), deleted_at=None,
                            language="en"))
        records.append(dict(record_id=f"{mid}-post", member_id=mid, kind="post",
                            visibility="public", group_id=None,
                            created_at=dt.datetime(2025, 12, 1, tzinfo=UTC), deleted_at=None,
                            text="Hello from the data team"))
        for setting in (GENAI, MICROSOFT):
            notices.append(dict(member_id=mid, setting=setting, notified_at=TOLD))
    off = dict(value=False, effective_at=dt.datetime(2026, 1, 2, tzinfo=UTC), source="web")
    events = [dict(member_id="gb_no_microsoft", setting=MICROSOFT, **off),
              dict(member_id="gb_no_genai", setting=GENAI, **off)]
    return {"members": members, "education": [], "groups": [], "records": records,
            "preference_events": events, "notifications": notices}


def _members_in(snap: Path) -> set[str]:
    return set(pq.read_table(snap / "lineage").column("member_id").to_pylist())


def test_one_snapshot_per_purpose(tmp_path: Path) -> None:
    src = write_source(tmp_path / "src", tables())
    genai = build_snapshot(BuildOptions(src, POLICY, T, tmp_path / "genai"))
    microsoft = build_snapshot(BuildOptions(src, POLICY, T, tmp_path / "ms", purpose=MICROSOFT))
    assert _members_in(tmp_path / "genai") == {"gb_no_microsoft", "fr_adult"}
    assert _members_in(tmp_path / "ms") == {"gb_no_genai"}
    assert genai.manifest["purpose"]["setting"] == GENAI  # the default: the first setting
    assert microsoft.manifest["purpose"] == microsoft.report["purpose"] == {
        "setting": MICROSOFT, "data_use": "train_ai_system", "recipient": "Microsoft",
        "mechanism": "consent", "name": POLICY.setting_for(MICROSOFT).name["en"],
        "notice_days": 46,
    }
    assert microsoft.report["members"]["by_reason"]["not_offered"] == 1
    assert genai.manifest["snapshot_id"] != microsoft.manifest["snapshot_id"]
    assert "microsoft_ai_sharing" in (tmp_path / "ms" / "report.html").read_text()
    for snap in ("genai", "ms"):
        res = verify_snapshot(tmp_path / snap, src, POLICY)
        assert res.ok, res
        assert any(line.startswith("purpose: ") for line in res.checks), res.checks


def test_verify_decides_for_the_purpose_the_manifest_names(tmp_path: Path) -> None:
    """A snapshot whose manifest claims another purpose fails: the reference evaluator
    decides for that purpose and finds members in that must be out."""
    src = write_source(tmp_path / "src", tables())
    build_snapshot(BuildOptions(src, POLICY, T, tmp_path / "ms", purpose=MICROSOFT))
    path = tmp_path / "ms" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["purpose"]["setting"] = GENAI
    path.write_text(json.dumps(manifest))
    res = verify_snapshot(tmp_path / "ms", src, POLICY)
    assert not res.ok
    assert {p.check for p in res.violations} >= {"purpose"}  # the report names another
    manifest["purpose"]["setting"] = "nonsense"
    path.write_text(json.dumps(manifest))
    res = verify_snapshot(tmp_path / "ms", src, POLICY)
    assert any(p.check == "purpose" and "does not define" in p.message for p in res.violations)


def test_unknown_purpose_stops_before_anything_is_written(tmp_path: Path) -> None:
    src = write_source(tmp_path / "src", tables())
    with pytest.raises(UnknownSetting):
        build_snapshot(BuildOptions(src, POLICY, T, tmp_path / "x", purpose="ai_training"))
    assert not (tmp_path / "x").exists()
    r = runner.invoke(app, ["build", "--source", str(src), "--as-of", "2026-01-15",
                            "--out", str(tmp_path / "y"), "--purpose", "ai_training"])
    assert r.exit_code == 2 and "no setting 'ai_training'" in r.output
    assert not (tmp_path / "y").exists()


def test_cli_build_names_the_purpose(tmp_path: Path) -> None:
    src = write_source(tmp_path / "src", tables())
    r = runner.invoke(app, ["build", "--source", str(src), "--as-of", "2026-01-15",
                            "--out", str(tmp_path / "ms"), "--purpose", MICROSOFT])
    assert r.exit_code == 0, r.output
    assert f"purpose {MICROSOFT}" in r.output
    assert r.output.strip().splitlines()[-1] == str(tmp_path / "ms")


@pytest.mark.parametrize("table", ["preference_events", "notifications"])
def test_unknown_setting_names_in_the_data_stop_the_build(tmp_path: Path, table: str) -> None:
    t = tables()
    row = dict(t[table][0])
    t[table] += [dict(row, setting="data_for_gen_ai_improvement"),
                 dict(row, setting="data_for_gen_ai_improvement"), dict(row, setting=None)]
    src = write_source(tmp_path / "src", t)
    with pytest.raises(ContractError) as info:
        build_snapshot(BuildOptions(src, POLICY, T, tmp_path / "x"))
    text = str(info.value)
    assert f"{table}.setting: 2 row(s) with setting 'data_for_gen_ai_improvement'" in text
    assert f"{table}.setting: 1 row(s) with setting '(null)'" in text
    assert "data_sharing" in text and "Nothing was built" in text
    assert not (tmp_path / "x").exists()
    # the source is untouched: nothing is lost
    assert pq.read_table(src / f"{table}.parquet").num_rows == len(t[table])


def test_unknown_setting_names_in_another_consent_source_stop_the_build(tmp_path: Path) -> None:
    src = write_source(tmp_path / "src", tables())
    bad = tables()["preference_events"]
    bad[0] = dict(bad[0], setting="microsoft")
    consent = write_source(tmp_path / "consent", {"preference_events": bad})
    with pytest.raises(ContractError, match="1 row\\(s\\) with setting 'microsoft'"):
        build_snapshot(BuildOptions(src, POLICY, T, tmp_path / "x", consent=str(consent)))
    assert not (tmp_path / "x").exists()


def test_a_source_without_notifications_builds_with_a_warning(tmp_path: Path) -> None:
    t = tables()
    del t["notifications"]
    src = write_source(tmp_path / "src", t)
    res = build_snapshot(BuildOptions(src, POLICY, T, tmp_path / "snap"))
    # GB and FR need notice; gb_no_genai is counted under its first reason, opted_out
    assert res.report["members"]["by_reason"] == {"opted_out": 1, "not_notified": 2}
    assert any("no notifications table" in w for w in res.warnings)
    assert [f["check"] for f in res.report["data_quality"]] == ["notifications_missing"]
    assert verify_snapshot(tmp_path / "snap", src, POLICY).ok


def test_explain_for_a_purpose(tmp_path: Path) -> None:
    src = write_source(tmp_path / "src", tables())

    def explain(*extra: str) -> dict:
        r = runner.invoke(app, ["explain", "--source", str(src), "--member", "gb_no_microsoft",
                                "--as-of", "2026-01-15", "--json", *extra])
        assert r.exit_code == 0, r.output
        return json.loads(r.output)

    genai = explain()
    assert genai["purpose"] == GENAI and genai["eligible"] is True
    microsoft = explain("--purpose", MICROSOFT)
    assert microsoft["purpose"] == MICROSOFT and microsoft["reasons"] == ["opted_out"]
    assert [e["counts_at_as_of"] for e in microsoft["preference_history"]] == [True]
    r = runner.invoke(app, ["explain", "--source", str(src), "--member", "gb_no_microsoft",
                            "--as-of", "2026-01-15", "--purpose", "nope"])
    assert r.exit_code == 2 and "no setting 'nope'" in r.output
