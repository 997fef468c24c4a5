from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from consentgate.cli import app
from consentgate.policy import load_policy, parse_policy
from consentgate.policy.diff import diff_policies
from consentgate.policy.loader import resolve

runner = CliRunner()
SHIPPED = resolve("linkedin-2025").read_text(encoding="utf-8")


def _variant(tmp_path: Path) -> Path:
    text = (
        SHIPPED.replace(
            '[kinds.search_query]\ncategory = "user.behavior.search_history"\nused = false\n'
            'note = "Unsure in the sources (non-GenAI search history); left out. A derived policy '
            'may switch it on."',
            '[kinds.search_query]\ncategory = "user.behavior.search_history"\nused = true\n'
            'visibility = ["private"]',
        )
        .replace(
            'countries = ["HK"]\ntraining_start = 2025-11-03',
            'countries = ["HK"]\ntraining_start = 2026-01-01',
        )
        .replace('version = "1.0.0"', 'version = "1.1.0"')
    )
    f = tmp_path / "derived.toml"
    f.write_text(text, encoding="utf-8")
    return f


def test_diff_lists_what_a_privacy_officer_reviews(tmp_path: Path) -> None:
    a = load_policy("linkedin-2025")
    b = parse_policy(_variant(tmp_path).read_bytes())
    changes = {c.subject: c for c in diff_policies(a, b)}
    assert changes["kinds.search_query.used"].widens is True
    assert changes["regions.hk.training_start"].widens is False
    assert "policy.version" in changes
    assert diff_policies(a, a) == []


def test_cli_policy_show_validate_diff(tmp_path: Path) -> None:
    r = runner.invoke(app, ["policy", "show", "linkedin-2025"])
    assert r.exit_code == 0, r.output
    assert "Data for Generative AI Improvement" in r.output
    r = runner.invoke(app, ["policy", "show", "--json"])
    assert json.loads(r.output)["policy"]["id"] == "linkedin-2025"
    r = runner.invoke(app, ["policy", "validate", str(_variant(tmp_path))])
    assert r.exit_code == 0 and "valid" in r.output
    r = runner.invoke(app, ["policy", "diff", "linkedin-2025", str(_variant(tmp_path))])
    assert r.exit_code == 0
    assert "search_query" in r.output and "more data" in r.output


def test_cli_validate_broken_file_exits_2_with_location(tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(SHIPPED.replace('countries = ["CA"]', 'countries = ["ZZ"]'), encoding="utf-8")
    r = runner.invoke(app, ["policy", "validate", str(f)])
    assert r.exit_code == 2
    assert "bad.toml" in r.output and "regions.3.countries" in r.output and "ZZ" in r.output
