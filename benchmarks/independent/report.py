"""The independent benchmark's figures as text tables and as the docs/benchmarks.md section."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from consentgate.redaction import CLASSES


def pct(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{100 * x:.{digits}f}%"


def rate(run: dict[str, Any]) -> tuple[float, float]:
    """docs/s and MB/s of a worker's first pass."""
    s = max(run["first_pass_s"], 1e-9)
    return run["docs"] / s, run["bytes"] / 1e6 / s


def class_rows(cg: Any, pr: Any) -> list[list[str]]:
    rows = []
    for cls in CLASSES:
        a, b = cg.classes.get(cls), pr.classes.get(cls)
        if a is None or not a.planted:
            continue
        rows.append([cls, f"{a.planted:,}", pct(a.recall), pct(b.recall), pct(a.redacted_rate),
                     pct(b.redacted_rate), pct(a.precision), pct(b.precision)])
    ta, tb = cg.total, pr.total
    rows.append(["**all**", f"{ta.planted:,}", pct(ta.recall), pct(tb.recall),
                 pct(ta.redacted_rate), pct(tb.redacted_rate), pct(ta.precision),
                 pct(tb.precision)])
    return rows


CLASS_HEAD = ["class", "planted", "recall consentgate", "recall Presidio",
              "redacted (any class) consentgate", "redacted (any class) Presidio",
              "precision consentgate", "precision Presidio"]


def md_table(head: list[str], rows: list[list[str]], right_from: int = 1) -> str:
    align = ["---" if i < right_from else "---:" for i in range(len(head))]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def text_table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join(fmt.format(*r) for r in [head, *rows])


def speed_rows(runs: dict[str, dict[str, Any]]) -> list[list[str]]:
    rows = []
    for split, r in runs.items():
        cg_docs, cg_mb = rate(r["cg_run"])
        pr_docs, pr_mb = rate(r["pr_run"])
        passes = ", ".join(f"{s:.2f}" for s in r["cg_run"].get("first_pass_all_s", []))
        rows.append([split, f"{r['cg_run']['docs']:,}", f"{cg_docs:,.0f}", f"{cg_mb:.2f}",
                     passes, f"{pr_docs:,.0f}", f"{pr_mb:.3f}",
                     f"{r['pr_run']['first_pass_s']:.1f}",
                     f"{cg_docs / max(pr_docs, 1e-9):,.1f}×"])
    return rows


SPEED_HEAD = ["split", "texts", "consentgate docs/s", "consentgate MB/s",
              "consentgate passes (s, in order)", "Presidio docs/s", "Presidio MB/s",
              "Presidio pass (s)", "ratio"]


def neutral_rows(runs: dict[str, dict[str, Any]]) -> list[list[str]]:
    rows = []
    for split, r in runs.items():
        cg, pr = r["cg"], r["pr"]
        # two decimals: the neutral target is 0.5%, and 0.54% must not read as 0.5%
        rows.append([split, f"{cg.neutral:,}",
                     f"{cg.neutral_changed:,} ({pct(cg.neutral_changed_rate, 2)})",
                     f"{pr.neutral_changed:,} ({pct(pr.neutral_changed_rate, 2)})"])
    return rows


NEUTRAL_HEAD = ["split", "neutral lines", "changed by consentgate", "changed by Presidio"]


def country_rows(cg: Any, pr: Any) -> list[list[str]]:
    rows = []
    by_cg, by_pr = cg.groups.get("country", {}), pr.groups.get("country", {})
    for country in sorted(k for k in by_cg if k):
        cells = [country]
        for cls in CLASSES:
            a, b = by_cg[country].get(cls), by_pr.get(country, {}).get(cls)
            cells.append("–" if a is None else f"{pct(a.recall)} / {pct(b.recall if b else None)}")
        rows.append(cells)
    return rows


def group_rows(cg: Any, pr: Any, group: str) -> list[list[str]]:
    rows = []
    for key in sorted(k for k in cg.groups.get(group, {}) if k):
        a = cg.groups[group][key]
        b = pr.groups.get(group, {}).get(key, {})
        planted = sum(s.planted for s in a.values())
        fa = sum(s.found for s in a.values())
        fb = sum(s.found for s in b.values())
        rows.append([key, f"{planted:,}", pct(fa / planted if planted else None),
                     pct(fb / planted if planted else None)])
    return rows


def corpus_rows(sizes: dict[str, dict[str, Any]]) -> list[list[str]]:
    rows = []
    for split, s in sizes.items():
        rows.append([split, f"{s['entries']:,}", f"{s['labelled']:,}", f"{s['neutral']:,}",
                     ", ".join(f"{c} {n:,}" for c, n in s["per_class"].items())])
    return rows


CORPUS_HEAD = ["split", "entries", "labelled values", "neutral lines", "values per class"]


def _family(source: str) -> str:
    unchecked = " (no stdnum module: not validated)" if "no stdnum module" in source else ""
    source = source.replace(" (no stdnum module)", "")
    if re.match(r"faker:[a-z]{2,3}_[A-Z]{2}\.", source):
        return "Faker, the locale's provider" + unchecked
    if source.startswith("faker:credit_card_number"):
        return "Faker credit_card_number"
    if source in ("faker:numerify", "faker:bothify"):
        return "Faker numerify/bothify pattern" + unchecked
    return source + unchecked


def drops_rows(drops: dict[str, Any]) -> list[list[str]]:
    """Drawn and kept per class and kind of source (the countries added up)."""
    drawn: Counter = Counter()
    kept: Counter = Counter()
    for row in drops.get("rows", []):
        key = (row["class"], _family(row["source"]))
        drawn[key] += row["drawn"]
        kept[key] += row["kept"]
    return [[cls, fam, f"{n:,}", f"{kept[(cls, fam)]:,}", pct(1 - kept[(cls, fam)] / n)]
            for (cls, fam), n in sorted(drawn.items())]


DROPS_HEAD = ["class", "values from", "drawn", "kept (valid)", "dropped"]
