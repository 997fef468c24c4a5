"""consentgate's redaction on data it was not tuned on, side by side with Presidio.

    python benchmarks/redaction_independent.py [--corpus DIR | --out DIR --scale 1.0]
        [--compare-python .venv/compare/bin/python] [--policy linkedin-2025]
        [--show-misses dev [--misses 40]] [--no-docs]

The corpus (benchmarks/independent/build_corpus.py, or dev.jsonl and test.jsonl in DIR):
Faker values in each country's locale, kept only if phonenumbers or python-stdnum says they
are valid, Babel amounts, sentences hand-written per language, neutral lines from gettext
catalogs and installed documentation. Tune on ``dev`` only (its sentences are in
benchmarks/independent/sentences/dev/); ``test`` is for the report, and its texts are never
printed.

Each split is scored for consentgate (the policy's Redactor) and for Presidio's pattern
recognizers (e-mail, phone with every corpus country as a region, IBAN, credit card and its
national-id recognizers; no NLP engine) in the comparison virtualenv, each in a fresh process
timed from its first pass (cold): docs/s and MB/s. Rewrites the "## Redaction on independent
data" section of docs/benchmarks.md (the others are kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import independent.build_corpus as bc  # noqa: E402
import independent.report as rep  # noqa: E402
from docs_section import replace_section  # noqa: E402

from consentgate.redaction import CLASSES  # noqa: E402
from consentgate.redaction.evaluate import Evaluation, read_labelled, score  # noqa: E402

SECTION = "Redaction on independent data"
HERE = ROOT / "benchmarks" / "independent"
GROUPS = ("country", "lang", "cue")
# Presidio entities → our classes. National ids: its recognizers of personal identity, tax
# and social-security numbers; passports, driving licences, vehicles, companies, bank
# routing and post codes are not national ids and are not run.
PRESIDIO_CLASSES = {"EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "IBAN_CODE": "iban",
                    "CREDIT_CARD": "card"}
NATIONAL_ENTITIES = [
    "AU_TFN", "AU_MEDICARE", "CA_SIN", "DE_TAX_ID", "DE_SOCIAL_SECURITY", "DE_ID_CARD",
    "DE_HEALTH_INSURANCE", "ES_NIE", "ES_NIF", "FI_PERSONAL_IDENTITY_CODE", "IN_AADHAAR",
    "IN_PAN", "IN_VOTER", "IT_FISCAL_CODE", "IT_IDENTITY_CARD", "KR_RRN", "KR_FRN", "NG_NIN",
    "PH_TIN", "PH_UMID", "PL_PESEL", "SE_PERSONNUMMER", "SG_NRIC_FIN", "TH_TNIN",
    "TR_NATIONAL_ID", "UK_NINO", "UK_NHS", "US_SSN", "US_ITIN", "ZA_ID_NUMBER",
]


class Hit(NamedTuple):
    cls: str
    start: int
    end: int


def default_compare_python() -> Path:
    return ROOT / ".venv" / "compare" / "bin" / "python"


def ensure_corpus(corpus: Path | None, out: Path | None, scale: float) -> tuple[Path, dict]:
    """The folder with dev.jsonl and test.jsonl (built unless given) and the drop counts."""
    if corpus is not None:
        drops = corpus / "drops.json"
        return corpus, json.loads(drops.read_text()) if drops.exists() else {}
    folder = out or Path(tempfile.mkdtemp(prefix="cg-independent-"))
    splits, drops = bc.build(scale)
    bc.write(folder, splits, drops)
    return folder, {"totals": drops.totals(), "rows": drops.rows()}


def run_worker(cmd: list[str]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:2])} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def per_row(n: int, findings: list[list[Any]], mapping: dict[str, str] | None) -> list[list[Hit]]:
    rows: list[list[Hit]] = [[] for _ in range(n)]
    for f in findings:
        cls = f[1] if mapping is None else mapping.get(f[1])
        if cls:
            rows[f[0]].append(Hit(cls, f[2], f[3]))
    return rows


def run_split(path: Path, compare_python: Path | None, policy: str | None,
              repeat: int = 3) -> dict[str, Any]:
    """Score both tools on one split. consentgate's cold pass takes well under a second, so
    it runs in ``repeat`` fresh processes and the median one counts; Presidio's takes about a
    minute and runs once, between the first half of consentgate's runs and the second: the
    machine's speed drifts over minutes, and this way both tools are timed over the same
    stretch of it."""
    entries = read_labelled(path)
    countries = sorted({e.group("country") for e in entries if e.group("country")})
    cmd = [sys.executable, str(HERE / "consentgate_worker.py"), str(path)]
    cmd += [policy] if policy else []
    repeat = max(1, repeat)
    before = repeat // 2 if compare_python is not None else repeat
    cg_runs = [run_worker(cmd) for _ in range(before)]
    out: dict[str, Any] = {"entries": entries}
    if compare_python is not None:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump({"regions": countries, "entities": NATIONAL_ENTITIES}, fh)
        try:
            pr_run = run_worker([str(compare_python), str(HERE / "presidio_worker.py"),
                                 str(path), fh.name])
        finally:
            os.unlink(fh.name)
        mapping = {**PRESIDIO_CLASSES, **dict.fromkeys(NATIONAL_ENTITIES, "national_id")}
        out["pr_run"] = pr_run
        out["pr"] = score(entries, per_row(len(entries), pr_run["findings"], mapping),
                          CLASSES, GROUPS)
        strong = [f for f in pr_run["findings"] if f[4] >= 0.5]
        out["pr_strong"] = score(entries, per_row(len(entries), strong, mapping), CLASSES, GROUPS)
    cg_runs += [run_worker(cmd) for _ in range(repeat - before)]
    in_order = [r["first_pass_s"] for r in cg_runs]
    cg_runs.sort(key=lambda r: r["first_pass_s"])
    cg_run = cg_runs[len(cg_runs) // 2]
    cg_run["first_pass_all_s"] = in_order
    out["cg_run"] = cg_run
    out["cg"] = score(entries, per_row(len(entries), cg_run["findings"], None),
                      cg_run["classes"], GROUPS, examples=10_000)
    return out


def sizes(entries: list[Any]) -> dict[str, Any]:
    per_class = Counter(s.label for e in entries for s in e.spans)
    per_lang = Counter(e.group("lang") for e in entries if not e.neutral)
    neutral_lang = Counter(e.group("lang") for e in entries if e.neutral)
    return {"entries": len(entries), "labelled": sum(per_class.values()),
            "neutral": sum(e.neutral for e in entries),
            "per_class": {c: per_class[c] for c in CLASSES if per_class[c]},
            "per_lang": dict(sorted(per_lang.items())),
            "neutral_per_lang": dict(sorted(neutral_lang.items()))}


def show_misses(ev: Evaluation, n: int) -> None:
    """dev only: the first n misses and false positives per class."""
    for title, items in (("misses", ev.misses), ("false positives", ev.false_positives)):
        by: dict[str, list] = {}
        for ex in items:
            by.setdefault(ex.label, []).append(ex)
        for cls, exs in sorted(by.items()):
            print(f"\n-- dev {title}, {cls}: {len(exs)} (first {min(n, len(exs))})")
            for ex in exs[:n]:
                how = f" [found as {','.join(ex.found_as)}]" if ex.found_as else ""
                print(f"  {ex.value!r}{how}  {ex.entry}: {ex.text}")


def markdown(runs: dict[str, dict[str, Any]], drops: dict, meta: dict[str, Any]) -> str:
    parts = [
        f"`python benchmarks/redaction_independent.py` — {meta['date']}, {meta['machine']}; "
        f"consentgate {meta['cg_version']} (policy {meta['policy']}), presidio-analyzer "
        f"{meta['pr_version']}.",
        "The corpus (`benchmarks/independent/`) was written for this benchmark without looking "
        "at the redactor: values from Faker in each country's locale (kept only if "
        "phonenumbers or python-stdnum validates them), amounts from Babel, sentences "
        "hand-written per language (31 files, each in two halves: `sentences/dev/` and "
        "`sentences/test/`), neutral lines from the gettext catalogs and documentation "
        "installed on the machine, and hand-written neutral lines with prices, rents, counts, "
        "codes and phone-shaped numbers valid in none of the corpus's countries. `dev` and "
        "`test` share no sentence, seed or labelled value (each value belongs to one split by a "
        "hash of its text, so sentences added to `dev` leave `test` as it was); the redactor "
        "may be tuned on `dev` "
        "only (`build_corpus.py --split dev` reads no test file). The dev half of each file "
        "has grown since the test half was written, by people who read neither the test "
        "sentences nor the redactor's rules; the test half has not changed. A value counts as "
        "found when one finding of its class covers it whole; a finding is correct when it "
        "overlaps a labelled value of its class.",
        rep.md_table(rep.CORPUS_HEAD, rep.corpus_rows(meta["sizes"])),
        "Values drawn and kept by the validity filters (phonenumbers for phones, python-stdnum "
        "for IBANs, cards and national ids; a pattern filtered by stdnum is how the numbers "
        "Faker has no provider for were made: German Steuer-ID, Danish CPR, Irish PPS, "
        "Icelandic kennitala, Bulgarian EGN, Lithuanian, Korean, South African, Japanese and "
        "Australian numbers):",
        rep.md_table(rep.DROPS_HEAD, rep.drops_rows(drops), right_from=2),
    ]
    for split, r in runs.items():
        parts.append(f"**{split}**")
        parts.append(rep.md_table(rep.CLASS_HEAD, rep.class_rows(r["cg"], r["pr"])))
    parts.append("Presidio has no recognizer for pay amounts: its salary recall is 0 by "
                 "construction. Its national-id recall counts every national-id recognizer's "
                 "finding, whatever the country (a 9 to 11 digit number often matches a US, UK "
                 "or Australian pattern), hence its precision.")
    parts.append(rep.md_table(rep.NEUTRAL_HEAD, rep.neutral_rows(runs)))
    parts.append("Throughput, cold (a fresh process each, its first pass: find and replace; "
                 "consentgate `redact_batch` on one Arrow array, the median of "
                 f"{meta['repeat']} processes, half of them run before Presidio's and half "
                 "after; Presidio each recognizer's `analyze` then "
                 "`AnonymizerEngine.anonymize` per text, one process):")
    parts.append(rep.md_table(rep.SPEED_HEAD, rep.speed_rows(runs)))
    test = runs.get("test") or next(iter(runs.values()))
    strong = test["pr_strong"]
    parts.append(f"Presidio counting only findings scored 0.5 or more (test): recall "
                 f"{rep.pct(strong.total.recall)}, precision {rep.pct(strong.total.precision)}, "
                 f"neutral lines changed {rep.pct(strong.neutral_changed_rate)}.")
    parts.append("Recall per language (test, all classes; consentgate / Presidio):")
    parts.append(rep.md_table(["language", "labelled", "consentgate", "Presidio"],
                              rep.group_rows(test["cg"], test["pr"], "lang")))
    parts.append("Recall by where the context word stands (test; `none`: no word for the "
                 "class, `word`: a salary word):")
    parts.append(rep.md_table(["cue", "labelled", "consentgate", "Presidio"],
                              rep.group_rows(test["cg"], test["pr"], "cue")))
    parts.append("Recall per country and class (test; consentgate / Presidio):")
    parts.append(rep.md_table(["country", *CLASSES], rep.country_rows(test["cg"], test["pr"])))
    parts.append("Presidio recognizers run: " + ", ".join(f"`{n}`" for n in meta["recognizers"])
                 + ". No NLP engine, so context words do not raise its scores.")
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="folder with dev.jsonl and test.jsonl")
    ap.add_argument("--out", type=Path, help="build the corpus into this folder")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--policy", default=None, help="policy name or file (default: shipped)")
    ap.add_argument("--compare-python", type=Path, default=default_compare_python())
    ap.add_argument("--show-misses", choices=["dev"], help="print dev's misses (never test's)")
    ap.add_argument("--misses", type=int, default=40, help="examples per class with --show-misses")
    ap.add_argument("--no-docs", action="store_true", help="leave docs/benchmarks.md alone")
    ap.add_argument("--repeat", type=int, default=6,
                    help="fresh consentgate processes per split (the median pass counts)")
    args = ap.parse_args(argv)

    folder, drops = ensure_corpus(args.corpus, args.out, args.scale)
    compare = args.compare_python if args.compare_python.exists() else None
    if compare is None:
        print(f"no comparison virtualenv at {args.compare_python}: Presidio skipped, "
              "docs not rewritten", file=sys.stderr)
    runs = {s: run_split(folder / f"{s}.jsonl", compare, args.policy, args.repeat)
            for s in bc.SPLITS}
    if args.show_misses == "dev":
        show_misses(runs["dev"]["cg"], args.misses)
    for split, r in runs.items():
        cg = r["cg"]
        print(f"\n== {split}: {cg.entries:,} entries, {cg.neutral:,} neutral")
        if "pr" in r:
            print(rep.text_table(rep.CLASS_HEAD, rep.class_rows(cg, r["pr"])))
        else:
            print(json.dumps({c: s.to_dict() for c, s in cg.classes.items()}, indent=1))
    if compare is None:
        return 0
    print()
    print(rep.text_table(rep.NEUTRAL_HEAD, rep.neutral_rows(runs)))
    print(rep.text_table(rep.SPEED_HEAD, rep.speed_rows(runs)))
    meta = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU(s), "
                   f"Python {platform.python_version()}",
        "cg_version": runs["dev"]["cg_run"]["version"], "policy": args.policy or "linkedin-2025",
        "pr_version": runs["dev"]["pr_run"]["version"],
        "recognizers": runs["dev"]["pr_run"]["recognizers"],
        "sizes": {s: sizes(r["entries"]) for s, r in runs.items()},
        "repeat": max(1, args.repeat),
    }
    summary = {s: {"consentgate": r["cg"].to_dict() | {"groups": None},
                   "presidio": r["pr"].to_dict() | {"groups": None},
                   "docs_per_s": {"consentgate": rep.rate(r["cg_run"])[0],
                                  "presidio": rep.rate(r["pr_run"])[0]}}
               for s, r in runs.items()}
    print(json.dumps({"sizes": meta["sizes"], "drops": drops.get("totals"), "runs": summary,
                      "recognizers": meta["recognizers"]}))
    if not args.no_docs:
        replace_section(ROOT / "docs" / "benchmarks.md", SECTION, markdown(runs, drops, meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
