"""`consentgate demo run` (what `make demo` runs) end to end on a small network."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from consentgate.cli import app

runner = CliRunner()


def _ids(out: Path) -> dict[str, str]:
    return {name: json.loads((out / name / "manifest.json").read_text())["snapshot_id"]
            for name in ("snapshot", "snapshot-2", "snapshot-1-purged")}


def test_demo_run_the_whole_story_twice_with_the_same_ids(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    r = runner.invoke(app, ["demo", "run", "--out", str(out), "--members", "300"])
    assert r.exit_code == 0, r.output
    for step in ("1. Generate", "2. Validate", "3. Explain", "4. Load", "5. Build",
                 "6. Verify", "7. A training team", "8. A member", "9. A second snapshot",
                 "10. Was", "11. What the first snapshot", "12. Purge"):
        assert step in r.output, step
    assert r.output.count("clean") >= 2
    snapshot = out / "snapshot"
    assert r.output.strip().splitlines()[-1] == str(snapshot)
    manifest = json.loads((snapshot / "manifest.json").read_text())
    assert manifest["counts"]["records_used"] > 0
    assert manifest["inputs"]["consent"]["kind"] == "ledger"
    assert (snapshot / "report.html").is_file()
    # members of several cases were explained, each with a verdict
    assert r.output.count("as of 2026-01-15") >= 4
    assert "opted_out" in r.output and "minor" in r.output
    # the member who opted out: in the first snapshot, used by the run, not in the second
    flat = " ".join(r.output.split())
    assert "1 training run(s) used them" in flat and "assistant-writer" in flat
    assert "does not hold your records" in flat
    assert (out / "withdrawals-snapshot-1.parquet").is_file()
    purged = json.loads((out / "snapshot-1-purged" / "manifest.json").read_text())
    assert purged["supersedes"] == manifest["snapshot_id"]

    again = tmp_path / "again"
    r = runner.invoke(app, ["demo", "run", "--out", str(again), "--members", "300"])
    assert r.exit_code == 0, r.output
    assert _ids(again) == _ids(out)
    assert (again / "pseudonym.key").read_text() == (out / "pseudonym.key").read_text()


def test_demo_run_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    r = runner.invoke(app, ["demo", "run", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "not empty" in r.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
