"""Redaction on independent data: the labelled corpus of ``benchmarks/independent``
(values from Faker, amounts from Babel, sentences written without reading the redactor's
cue lists, neutral lines from this machine's gettext catalogs and documentation), scored
for consentgate and, on a sample of the same texts, for Presidio's pattern recognizers.

    python benchmarks/redaction_independent.py --split test [--corpus DIR] [--sample 3]
        [--presidio-python .venv/compare/bin/python] [--no-doc]

Recall per class (found: a finding of the same class covers the labelled span), precision,
neutral lines changed, recall per country; throughput cold (a fresh process, caches empty)
for both tools on the sample. Rewrites the "## Redaction on independent data" section of
docs/benchmarks.md. Tune on ``dev``; report ``test``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

CLASSES = ("email", "phone", "iban", "card", "national_id", "salary")
PRESIDIO = {
    "EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "IBAN_CODE": "iban",
    "CREDIT_CARD": "card",
}
ID_RECOGNIZERS = [
    "UsSsnRecognizer", "UsItinRecognizer", "UkNinoRecognizer", "NhsRecognizer",
    "EsNifRecognizer", "EsNieRecognizer", "ItFiscalCodeRecognizer", "PlPeselRecognizer",
    "DeTaxIdRecognizer", "DeSocialSecurityRecognizer", "FiPersonalIdentityCodeRecognizer",
    "SePersonnummerRecognizer", "CaSinRecognizer", "InAadhaarRecognizer", "InPanRecognizer",
    "KrRrnRecognizer", "TrNationalIdRecognizer", "ZaIdNumberRecognizer", "AuTfnRecognizer",
    "SgFinRecognizer", "NgNinRecognizer", "ThTninRecognizer",
]


def presidio_worker(path: Path, regions: list[str]) -> None:
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    from presidio_analyzer import predefined_recognizers as pr

    recs = [pr.EmailRecognizer(), pr.PhoneRecognizer(supported_regions=regions),
            pr.IbanRecognizer(), pr.CreditCardRecognizer()]
    for name in ID_RECOGNIZERS:
        cls = getattr(pr, name, None)
        if cls is not None:
            recs.append(cls())
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    out = []
    t0 = time.perf_counter()
    for i, text in enumerate(texts):
        for rec in recs:
            for r in rec.analyze(text, rec.supported_entities, None):
                out.append((i, r.entity_type, r.start, r.end))
    secs = time.perf_counter() - t0
    json.dump({"seconds": secs, "findings": out,
               "recognizers": [type(r).__name__ for r in recs]}, sys.stdout)


def ours_worker(path: Path) -> None:
    """Cold: a fresh process; the first pass over the texts."""
    import pyarrow as pa

    from consentgate.redaction import Redactor

    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    r = Redactor()
    arr = pa.array(texts)
    t0 = time.perf_counter()
    found = r.find_batch(arr)
    secs = time.perf_counter() - t0
    out = [(i, f.cls, f.start, f.end) for i, fs in enumerate(found) for f in fs]
    json.dump({"seconds": secs, "findings": out}, sys.stdout)


def _score(entries, found: dict[int, list[tuple[str, int, int]]]) -> dict:
    res = {c: [0, 0, 0, 0] for c in CLASSES}  # planted, found, findings, correct
    by_country: dict[str, dict[str, list[int]]] = {}
    neutral = changed = 0
    for i, e in enumerate(entries):
        fs = found.get(i, [])
        if e.neutral:
            neutral += 1
            changed += bool(fs)
        for s in e.spans:
            hit = any(c == s.label and a <= s.start and s.end <= b for c, a, b in fs)
            res[s.label][0] += 1
            res[s.label][1] += hit
            cc = by_country.setdefault(e.group("country") or "-", {})
            row = cc.setdefault(s.label, [0, 0])
            row[0] += 1
            row[1] += hit
        for c, a, b in fs:
            if c in res:
                res[c][2] += 1
                res[c][3] += any(s.label == c and s.start < b and a < s.end for s in e.spans)
    return {"classes": res, "neutral": neutral, "changed": changed, "countries": by_country}


def _run(args: list[str], python: str = sys.executable) -> dict:
    proc = subprocess.run([python, __file__, *args], capture_output=True, text=True,
                          check=False, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout)


def _pct(a: int, b: int) -> str:
    return "–" if b == 0 else f"{a / b:.3f}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="test", choices=("dev", "test"))
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--sample", type=int, default=3, help="every Nth text for the comparison")
    ap.add_argument("--presidio-python", default=str(ROOT / ".venv/compare/bin/python"))
    ap.add_argument("--no-doc", action="store_true")
    ap.add_argument("--worker", choices=("ours", "presidio"))
    ap.add_argument("--path", type=Path)
    ap.add_argument("--regions", default="")
    a = ap.parse_args()
    if a.worker == "ours":
        ours_worker(a.path)
        return 0
    if a.worker == "presidio":
        presidio_worker(a.path, a.regions.split(","))
        return 0

    from consentgate.redaction.evaluate import read_labelled

    corpus = a.corpus
    if corpus is None:
        corpus = Path("/tmp/consentgate-independent-corpus")
        if not (corpus / f"{a.split}.jsonl").exists():
            subprocess.run([sys.executable, str(ROOT / "benchmarks/independent/build_corpus.py"),
                            "--out", str(corpus)], check=True)
    path = corpus / f"{a.split}.jsonl"
    entries = read_labelled(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    ours_all = _run(["--worker", "ours", "--path", str(path)])
    full = _score(entries, _group(ours_all["findings"]))
    sample_idx = list(range(0, len(entries), a.sample))
    sample_path = corpus / f"{a.split}.sample{a.sample}.jsonl"
    sample_path.write_text("\n".join(lines[i] for i in sample_idx) + "\n", encoding="utf-8")
    sample = [entries[i] for i in sample_idx]
    nbytes = sum(len(e.text.encode()) for e in sample)
    ours_s = _run(["--worker", "ours", "--path", str(sample_path)])
    regions = sorted({e.group("country") for e in entries if len(e.group("country")) == 2})
    pres = _run(["--worker", "presidio", "--path", str(sample_path), "--regions",
                 ",".join(regions)], python=a.presidio_python)
    ours_cmp = _score(sample, _group(ours_s["findings"]))
    pres_found = _group([(i, PRESIDIO.get(t, "national_id"), s, e)
                         for i, t, s, e in pres["findings"]])
    pres_cmp = _score(sample, pres_found)
    doc = _report(a.split, len(entries), full, ours_cmp, pres_cmp, len(sample), nbytes,
                  ours_s["seconds"], pres["seconds"], pres["recognizers"], regions)
    print(doc)
    if not a.no_doc:
        from docs_section import replace_section

        replace_section(ROOT / "docs" / "benchmarks.md", "Redaction on independent data", doc)
    return 0


def _group(findings) -> dict[int, list[tuple[str, int, int]]]:
    out: dict[int, list[tuple[str, int, int]]] = {}
    for i, c, s, e in findings:
        out.setdefault(i, []).append((c, s, e))
    return out


def _report(split, n, full, ours, pres, n_sample, nbytes, t_ours, t_pres, recs, regions) -> str:
    import datetime as dt
    import platform

    L = [
        f"`python benchmarks/redaction_independent.py --split {split}` — "
        f"{dt.date.today()}, {platform.system()} {platform.machine()}, {os.cpu_count()} CPU(s), "
        f"Python {platform.python_version()}. The **{split}** split of the corpus of "
        "`benchmarks/independent/` ({:,} entries): values from Faker (kept only when "
        "libphonenumber / python-stdnum call them valid), amounts from Babel, sentences "
        "written for the corpus without reading the redactor's cue lists (the dev split "
        "was used for tuning, this one was not), neutral lines from gettext catalogs and "
        "documentation on the machine.".format(n), "",
        "| class | labelled | recall | precision |", "|---|---:|---:|---:|",
    ]
    for c in CLASSES:
        p, f, k, ok = full["classes"][c]
        L.append(f"| {c} | {p:,} | {_pct(f, p)} | {_pct(ok, k)} |")
    L += ["", f"Neutral lines changed: {full['changed']:,} of {full['neutral']:,} "
          f"({full['changed'] / max(1, full['neutral']):.2%}).", ""]
    L += [f"Against Presidio's pattern recognizers (no NLP engine; phone regions: the "
          f"{len(regions)} countries of the corpus; id recognizers: "
          f"{', '.join(r for r in recs if r not in ('EmailRecognizer', 'PhoneRecognizer', 'IbanRecognizer', 'CreditCardRecognizer'))}) "
          f"on a sample (every {max(1, round(n / max(1, n_sample)))}th text ({n_sample:,} texts, "
          f"{nbytes / 1e6:.2f} MB)), recall / precision:", "",
          "| class | labelled | consentgate | Presidio |", "|---|---:|---:|---:|"]
    for c in CLASSES:
        p, f, k, ok = ours["classes"][c]
        pp, pf, pk, pok = pres["classes"][c]
        L.append(f"| {c} | {p:,} | {_pct(f, p)} / {_pct(ok, k)} | {_pct(pf, pp)} / {_pct(pok, pk)} |")
    L.append(f"| neutral lines changed | {ours['neutral']:,} | "
             f"{ours['changed'] / max(1, ours['neutral']):.2%} | "
             f"{pres['changed'] / max(1, pres['neutral']):.2%} |")
    L += ["", "| cold, one process | docs/s | MB/s | vs Presidio |", "|---|---:|---:|---:|",
          f"| consentgate (`find_batch`) | {n_sample / t_ours:,.0f} | {nbytes / 1e6 / t_ours:.2f} "
          f"| {t_pres / t_ours:.0f}× |",
          f"| Presidio pattern recognizers | {n_sample / t_pres:,.0f} | "
          f"{nbytes / 1e6 / t_pres:.3f} | 1× |", ""]
    L += ["Recall per country (all classes):", "", "| country | labelled | recall |",
          "|---|---:|---:|"]
    for cc in sorted(full["countries"]):
        rows = full["countries"][cc].values()
        p = sum(r[0] for r in rows)
        f = sum(r[1] for r in rows)
        L.append(f"| {cc} | {p:,} | {_pct(f, p)} |")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
