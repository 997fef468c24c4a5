"""Step 6, report: report.json for machines and report.html for a privacy officer."""

from __future__ import annotations

from pathlib import Path

from consentgate.snapshot.manifest import write_json
from consentgate.snapshot.report import build_report, write_html_report

__all__ = ["build_report", "write_report"]


def write_report(tmp: Path, report: dict) -> list[Path]:
    """Both forms of the report into the staging folder; returns their paths."""
    write_json(tmp / "report.json", report)
    write_html_report(tmp / "report.html", report)
    return [tmp / "report.json", tmp / "report.html"]
