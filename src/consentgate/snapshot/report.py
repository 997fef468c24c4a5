"""The build report: who and what is in or out, by reason, region and kind — as JSON for
machines and as one self-contained HTML page (inline SVG charts) for a privacy officer."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

from jinja2 import Environment, select_autoescape

from consentgate.eligibility.reasons import DESCRIPTIONS, PRECEDENCE, Reason
from consentgate.policy.model import Policy
from consentgate.snapshot.manifest import utc_z

USED = str(Reason.USED)
NO_REGION = "(none)"


def _order(reasons) -> list[str]:
    rank = {str(r): i for i, r in enumerate((Reason.USED, *PRECEDENCE))}
    return sorted(reasons, key=lambda r: (rank.get(r, 999), r))


def purpose_entry(policy: Policy, purpose: str | None) -> dict:
    """How the manifest and the report name the setting a snapshot was built for."""
    s = policy.setting_for(purpose)
    return {
        "setting": s.key,
        "data_use": policy.purpose_of(s),
        "recipient": s.recipient,
        "mechanism": s.mechanism,
        "name": s.name["en"],
        "notice_days": s.notice_days,
    }


def purpose_of_manifest(manifest: dict) -> str | None:
    """The setting a snapshot was built for; None (the primary one) for a snapshot built
    before snapshots named their purpose."""
    return (manifest.get("purpose") or {}).get("setting")


def build_report(
    *,
    snapshot_id: str,
    policy: Policy,
    as_of: dt.datetime,
    member_counts: list[dict],
    record_counts: list[dict],
    redactions: dict[str, int],
    engine: str = "duckdb",
    engine_master: str | None = None,
    consent: dict | None = None,
    built_at: dt.datetime | None = None,
    build_seconds: float | None = None,
    data_quality: list[dict] | None = None,
    purge: dict | None = None,
    purpose: dict | None = None,
) -> dict:
    """The report as JSON. ``purge`` (a purged snapshot) names the snapshot it supersedes,
    the instant it was purged at and the records withdrawn by reason."""
    m_reason: Counter[str] = Counter()
    m_region: dict[str, Counter[str]] = defaultdict(Counter)
    for row in member_counts:
        region = row["region"] or NO_REGION
        m_reason[row["member_reason"]] += row["n"]
        m_region[region]["used" if row["member_reason"] == USED else "out"] += row["n"]
    r_reason: Counter[str] = Counter()
    r_region: dict[str, Counter[str]] = defaultdict(Counter)
    r_kind: dict[str, Counter[str]] = defaultdict(Counter)
    rows = []
    for row in record_counts:
        region = row["region"] or NO_REGION
        key = "used" if row["reason"] == USED else "out"
        r_reason[row["reason"]] += row["n"]
        r_region[region][key] += row["n"]
        r_kind[row["kind"]][key] += row["n"]
        rows.append(
            {"reason": row["reason"], "region": region, "kind": row["kind"], "count": row["n"]}
        )
    rows.sort(key=lambda r: (r["reason"], r["region"], r["kind"]))

    def split(c: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
        return {k: {"used": v["used"], "out": v["out"]} for k, v in sorted(c.items())}

    report = {
        "snapshot_id": snapshot_id,
        "as_of": utc_z(as_of),
        "policy": {"id": policy.id, "version": policy.policy.version, "sha256": policy.sha256},
        "built": {
            "at": utc_z(built_at) if built_at is not None else None,
            "seconds": round(build_seconds, 1) if build_seconds is not None else None,
            "engine": engine,
            **({"spark_master": engine_master} if engine_master else {}),
        },
        "purpose": purpose or purpose_entry(policy, None),
        "consent": consent or {"kind": "source", "table": "preference_events"},
        "regions": {r.id: r.name for r in policy.regions},
        "members": {
            "total": sum(m_reason.values()),
            "used": m_reason[USED],
            "by_reason": {r: m_reason[r] for r in _order(m_reason)},
            "by_region": split(m_region),
        },
        "records": {
            "total": sum(r_reason.values()),
            "used": r_reason[USED],
            "by_reason": {r: r_reason[r] for r in _order(r_reason)},
            "by_region": split(r_region),
            "by_kind": split(r_kind),
            "breakdown": rows,
        },
        "redactions": redactions,
        "data_quality": data_quality or [],
        "reasons": {str(r): DESCRIPTIONS[r] for r in (Reason.USED, *PRECEDENCE)},
    }
    if purge is not None:
        report["purge"] = purge
    return report


def _bars(items: dict[str, int], width: int = 520, colour: str = "#0a66c2") -> str:
    """A horizontal bar chart as inline SVG."""
    if not items:
        return "<p class='muted'>nothing</p>"
    top = max(items.values()) or 1
    row_h = 22
    label_w = max(190, 7 * max(len(label) for label in items) + 12)
    h = row_h * len(items) + 4
    parts = [f'<svg width="{width + label_w + 90}" height="{h}" role="img">']
    for i, (label, n) in enumerate(items.items()):
        y = i * row_h + 2
        w = max(1, int(width * n / top)) if n else 0
        fill = "#057642" if label == USED else colour
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{html.escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}" fill="{fill}" rx="2"/>'
            f'<text x="{label_w + w + 6}" y="{y + 15}">{n:,}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _stacked(items: dict[str, dict[str, int]], width: int = 440) -> str:
    """In (green) and out (grey) per row, as inline SVG."""
    if not items:
        return "<p class='muted'>nothing</p>"
    top = max(v["used"] + v["out"] for v in items.values()) or 1
    row_h = 22
    label_w = max(190, 7 * max(len(label) for label in items) + 12)
    h = row_h * len(items) + 4
    parts = [f'<svg width="{width + label_w + 280}" height="{h}" role="img">']
    for i, (label, v) in enumerate(items.items()):
        y = i * row_h + 2
        wu = int(width * v["used"] / top)
        wo = int(width * v["out"] / top)
        total = v["used"] + v["out"]
        pct = 100 * v["used"] / total if total else 0
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{html.escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{wu}" height="{row_h - 6}" fill="#057642"/>'
            f'<rect x="{label_w + wu}" y="{y + 3}" width="{wo}" height="{row_h - 6}" fill="#b0b7bf"/>'
            f'<text x="{label_w + wu + wo + 6}" y="{y + 15}">{v["used"]:,} in / {v["out"]:,} out'
            f" ({pct:.0f}% in)</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _named(by_region: dict[str, dict[str, int]], report: dict) -> dict[str, dict[str, int]]:
    """Region ids with their names, as the charts label them."""
    names = report.get("regions", {})
    return {
        (f"{rid} — {names[rid]}" if rid in names else rid): v for rid, v in by_region.items()
    }


def render_html(report: dict) -> str:
    env = Environment(autoescape=select_autoescape(default=True))
    template = env.from_string(
        resources.files("consentgate.snapshot").joinpath("templates/report.html.j2").read_text()
    )
    return template.render(
        r=report,
        members_chart=_bars(report["members"]["by_reason"]),
        records_chart=_bars(report["records"]["by_reason"]),
        region_chart=_stacked(_named(report["records"]["by_region"], report)),
        member_region_chart=_stacked(_named(report["members"]["by_region"], report)),
        kind_chart=_stacked(report["records"]["by_kind"]),
        redaction_chart=_bars(report["redactions"], colour="#915907"),
    )


def write_html_report(path: Path, report: dict) -> None:
    path.write_text(render_html(report), encoding="utf-8")
