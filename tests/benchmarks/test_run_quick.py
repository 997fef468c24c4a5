"""benchmarks/run.py in quick mode on a tiny network: the JSON line has its keys and sane
values (no timing is asserted), the markdown and the plot are produced."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import run  # noqa: E402


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> dict:
    cache = tmp_path_factory.mktemp("nets")
    members = [40, 80]
    base = run.B.ensure_network(cache, members[0])
    side = run.side_by_side(base, threads=1, spark=False)
    red = run.redaction_compare(base, 300, run.default_compare_python())
    curve = run.scale_curve(members, cache, threads=1, budget_s=600)
    return {"side": side, "red": red, "curve": curve,
            "summary": run.summary(side, red, curve)}


def test_json_line_has_the_keys_and_sane_values(quick: dict) -> None:
    s = json.loads(json.dumps(quick["summary"]))  # what main() prints, last
    for key in ("ratio_vs_floor", "records_per_s", "peak_rss_mb", "presidio_speedup"):
        assert key in s
    assert s["records"] > 0
    assert 0 < s["ratio_vs_floor"] < 100
    assert s["records_per_s"] > 0
    assert 10 < s["peak_rss_mb"] < 8_000
    assert s["redaction_docs_per_s"] > 0
    if s["presidio_speedup"] is not None:  # the comparison venv exists
        assert s["presidio_speedup"] > 0
        assert s["recall_at_least_presidio"] in (True, False)
    assert len(s["scale_records"]) == 2
    assert s["scale_records"][0] < s["scale_records"][1]
    assert s["scale_stopped"] is None
    assert 0 < s["no_redaction_ratio_vs_floor"] < 100
    assert s["ratio_vs_floor_largest"] == quick["curve"]["points"][-1]["ratio_vs_floor"]
    # the profile build redacts nothing, the real one does, on the same records
    side = quick["side"]
    assert side["duckdb_no_redaction"]["records_used"] == side["duckdb"]["records_used"]


def test_redaction_scores_are_on_the_ground_truth(quick: dict) -> None:
    ours = quick["red"]["tools"]["consentgate"]["scores"]
    planted = sum(v[0] for v in ours.values())
    assert planted > 0
    for planted_n, hit, findings, correct in ours.values():
        assert 0 <= hit <= planted_n
        assert 0 <= correct <= findings
    assert quick["red"]["whole"]["docs"] == quick["side"]["records"]


def test_markdown_and_plot(quick: dict, tmp_path: Path) -> None:
    text = run.markdown(quick["side"], quick["red"], quick["curve"], "run.py", 1)
    assert "### Scale curve" in text and "floor" in text and "![scale curve]" in text
    png = tmp_path / "curve.png"
    if run.plot(quick["curve"], png):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Other\n\nkept\n")
    run.replace_section(doc, run.SECTION, text)
    out = doc.read_text()
    assert "## Other\n\nkept" in out and f"## {run.SECTION}" in out


def test_round_robin_takes_turns_and_reports_medians() -> None:
    calls: list[str] = []
    floor_times = iter([3.0, 1.0, 2.0])
    build_times = iter([5.0, 9.0, 7.0])

    def floor() -> dict:
        calls.append("floor")
        return {"floor_s": next(floor_times), "floor_peak_rss_mb": 100 + len(calls)}

    def build() -> dict:
        calls.append("build")
        return {"build_s": next(build_times), "build_peak_rss_mb": 500 - len(calls),
                "records_used": 7}

    out = run.B.round_robin({"floor": floor, "build": build}, 3)
    assert calls == ["floor", "build"] * 3
    assert out["floor"]["floor_s"] == 2.0 and out["floor"]["floor_runs_s"] == [3.0, 1.0, 2.0]
    assert out["build"]["build_s"] == 7.0 and out["build"]["build_runs_s"] == [5.0, 9.0, 7.0]
    assert out["floor"]["floor_peak_rss_mb"] == 105  # the largest of the three
    assert out["build"]["build_peak_rss_mb"] == 498
    assert out["build"]["records_used"] == 7
