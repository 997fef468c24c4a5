"""`consentgate demo run` (what `make demo` runs) end to end on a small network."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from consentgate.cli import app

runner = CliRunner()


def test_demo_run_generates_explains_builds_and_verifies(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    r = runner.invoke(app, ["demo", "run", "--out", str(out), "--members", "300"])
    assert r.exit_code == 0, r.output
    for step in ("1. Generate", "2. Validate", "3. Explain", "4. Build", "5. Verify"):
        assert step in r.output
    assert "clean:" in r.output
    snapshot = out / "snapshot"
    assert r.output.strip().splitlines()[-1] == str(snapshot)
    manifest = json.loads((snapshot / "manifest.json").read_text())
    assert manifest["counts"]["records_used"] > 0
    assert (snapshot / "report.html").is_file()
    # members of several cases were explained, each with a verdict
    assert r.output.count("as of 2026-01-15") >= 4
    assert "opted_out" in r.output and "minor" in r.output


def test_demo_run_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    r = runner.invoke(app, ["demo", "run", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "not empty" in r.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
