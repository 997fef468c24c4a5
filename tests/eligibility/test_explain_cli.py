from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from consentgate.cli import app

runner = CliRunner()


def _explain(source: Path, member: str, as_of: str = "2025-12-01") -> dict:
    r = runner.invoke(
        app, ["explain", "--source", str(source), "--member", member, "--as-of", as_of, "--json"]
    )
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_explain_eligible_member_and_each_record(tiny_source: Path) -> None:
    out = _explain(tiny_source, "fr_adult")
    assert out["eligible"] is True and out["region"] == "eu_eea"
    by_id = {r["record_id"]: r for r in out["records"]}
    assert by_id["fr_adult-h"]["used"] and by_id["fr_adult-p"]["used"]
    assert by_id["fr_adult-g"]["used"]
    assert by_id["fr_adult-dm"]["reasons"] == ["kind_never_used"]
    assert by_id["fr_adult-u"]["reasons"] == ["sensitive_group"]


def test_explain_cases(tiny_source: Path) -> None:
    assert _explain(tiny_source, "fr_optout")["reasons"] == ["opted_out"]
    minor = _explain(tiny_source, "de_minor")
    assert minor["reasons"] == ["minor_age"] and minor["setting"] is True
    assert _explain(tiny_source, "gb_pupil")["reasons"] == ["minor_secondary_school"]
    assert _explain(tiny_source, "nowhere")["reasons"] == ["region_unknown"]
    assert _explain(tiny_source, "us_gone")["reasons"] == ["deleted"]
    # before the EU rollout the French member is out for the region, and told on
    # 2025-09-18, less than the 46 days of notice before
    assert _explain(tiny_source, "fr_adult", "2025-11-02T23:59:59Z")["reasons"] == [
        "region_not_started", "not_notified"
    ]


def test_explain_human_output_and_errors(tiny_source: Path) -> None:
    r = runner.invoke(
        app,
        ["explain", "--source", str(tiny_source), "--member", "fr_optout", "--as-of", "2025-12-01"],
    )
    assert r.exit_code == 0
    assert "OUT" in r.output and "opted_out" in r.output and "Preference history" in r.output
    r = runner.invoke(
        app, ["explain", "--source", str(tiny_source), "--member", "ghost", "--as-of", "2025-12-01"]
    )
    assert r.exit_code == 2 and "no member 'ghost'" in r.output
    r = runner.invoke(
        app,
        ["explain", "--source", str(tiny_source), "--member", "fr_adult", "--as-of", "yesterday"],
    )
    assert r.exit_code == 2 and "ISO 8601" in r.output
