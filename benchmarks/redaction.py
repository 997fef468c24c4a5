"""Benchmark redaction: recall and precision per class, and throughput, on a labelled
synthetic network (``consentgate.synth``: planted values in ``ground_truth.parquet``, decoys
that must survive in ``decoys.parquet``).

    python benchmarks/redaction.py                      # generate 20 000 members in a temp dir
    python benchmarks/redaction.py --members 5000
    python benchmarks/redaction.py --source demo-data   # an existing network
    python benchmarks/redaction.py --no-doc             # do not touch docs/benchmarks.md
    python benchmarks/redaction.py --presidio-python /path/to/venv/bin/python
        # also compare with Presidio's pattern recognizers (a Python with presidio-analyzer
        # and pyarrow; it runs in its own process) on a 20 000-record sample

A planted value counts as found when a finding of the same class covers it. A finding is
correct when it overlaps a planted value of its class; precision = correct findings / all
findings of the class (a finding on a decoy or on nothing planted is a false positive).
"redacted" counts planted values covered by a finding of any class (what matters for
privacy). Throughput is ``Redactor.redact_batch`` over the whole text column, on one core:
cold (validation caches empty) and warm (best of the following runs). For scale, a raw
Parquet copy of the records (read all columns, write zstd) is timed on the same machine.

Rewrites the "## Redaction" section of docs/benchmarks.md (other sections are kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
sys.path.insert(0, str(ROOT / "benchmarks"))

CLASSES = ("email", "phone", "iban", "card", "national_id", "salary")

# Presidio's predefined pattern recognizers for our classes (it has none for salaries, nor
# for the French NIR, the Dutch BSN, the Brazilian CPF or the Portuguese NIF).
PRESIDIO_CLASSES = {
    "EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "IBAN_CODE": "iban",
    "CREDIT_CARD": "card", "US_SSN": "national_id", "UK_NINO": "national_id",
    "ES_NIF": "national_id", "IT_FISCAL_CODE": "national_id", "PL_PESEL": "national_id",
    "DE_TAX_ID": "national_id",
}
PHONE_REGIONS = ("FR", "DE", "GB", "US", "CA", "CH", "HK")


def sample_indices(n: int, size: int) -> list[int]:
    step = max(1, n // size)
    return list(range(0, n, step))[:size]


def presidio_worker(source: Path, size: int) -> None:
    """Run Presidio's pattern recognizers (no NLP engine) over a sample; print JSON."""
    import json

    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    from presidio_analyzer import predefined_recognizers as pr

    recognizers = [
        pr.EmailRecognizer(), pr.PhoneRecognizer(supported_regions=PHONE_REGIONS),
        pr.IbanRecognizer(), pr.CreditCardRecognizer(), pr.UsSsnRecognizer(),
        pr.UkNinoRecognizer(), pr.EsNifRecognizer(), pr.ItFiscalCodeRecognizer(),
        pr.PlPeselRecognizer(), pr.DeTaxIdRecognizer(),
    ]
    texts = pq.read_table(source / "records", columns=["text"]).column("text")
    idx = sample_indices(len(texts), size)
    sample = texts.take(idx).to_pylist()
    out = []
    t0 = time.perf_counter()
    for i, text in enumerate(sample):
        for rec in recognizers:
            for res in rec.analyze(text, rec.supported_entities, None):
                out.append((i, res.entity_type, res.start, res.end, res.score))
    seconds = time.perf_counter() - t0
    json.dump({"seconds": seconds, "findings": out}, sys.stdout)


def run_presidio(python: str, source: Path, size: int) -> dict | None:
    import json
    import subprocess

    proc = subprocess.run(
        [python, __file__, "--presidio-worker", "--source", str(source),
         "--presidio-sample", str(size)],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        print(f"presidio failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout)


def sample_planted(
    records: pa.Table, truth: pa.Table, size: int
) -> tuple[pa.Table, dict[int, list[tuple[str, int, int]]]]:
    """An evenly spread sample of the records and, per sample row, the values planted in it
    as (class, start, end)."""
    idx = sample_indices(records.num_rows, size)
    sample = records.take(idx)
    position = {rid: i for i, rid in enumerate(sample.column("record_id").to_pylist())}
    planted: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for rid, cls, start, end in zip(
        *(truth.column(c).to_pylist() for c in ("record_id", "cls", "start", "end")),
        strict=True,
    ):
        if rid in position:
            planted[position[rid]].append((cls, start, end))
    return sample, planted


def score_findings(
    planted: dict[int, list[tuple[str, int, int]]],
    found: dict[int, list[tuple[str, int, int]]],
) -> dict[str, tuple[int, int, int, int]]:
    """Per class: (planted, found, findings, correct findings). A planted value is found
    when a finding of its class covers it; a finding is correct when it overlaps a planted
    value of its class."""
    res = {}
    for cls in CLASSES:
        p = sum(1 for v in planted.values() for c, _, _ in v if c == cls)
        h = sum(
            1 for i, v in planted.items() for c, s, e in v
            if c == cls and any(fc == cls and fs <= s and e <= fe for fc, fs, fe in found.get(i, ()))
        )
        n = sum(1 for v in found.values() for c, _, _ in v if c == cls)
        ok = sum(
            1 for i, v in found.items() for c, s, e in v
            if c == cls and any(pc_ == cls and ps < e and s < pe for pc_, ps, pe in planted.get(i, ()))
        )
        res[cls] = (p, h, n, ok)
    return res


def tool_found(
    findings: list, mapping: dict[str, str] = PRESIDIO_CLASSES, min_score: float = 0.0
) -> dict[int, list[tuple[str, int, int]]]:
    """A comparison tool's findings ``[row, entity, start, end, score]`` in our classes."""
    found: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for i, ent, s, e, sc in findings:
        if sc >= min_score and ent in mapping:
            found[i].append((mapping[ent], s, e))
    return found


def compare_presidio(records: pa.Table, truth: pa.Table, result: dict, size: int) -> dict:
    """Recall and precision on the sample, for Presidio (all scores, and score >= 0.5) and
    for the Redactor, and both throughputs."""
    from consentgate.redaction import Redactor

    sample, planted = sample_planted(records, truth, size)
    texts = sample.column("text")
    nbytes = pc.sum(pc.binary_length(texts)).as_py() or 0
    clear_caches()
    t0 = time.perf_counter()
    ours = Redactor().find_batch(texts)
    our_s = time.perf_counter() - t0
    our_warm_s = our_s
    for _ in range(3):
        t0 = time.perf_counter()
        Redactor().find_batch(texts)
        our_warm_s = min(our_warm_s, time.perf_counter() - t0)
    mine = {i: [(f.cls, f.start, f.end) for f in fs] for i, fs in enumerate(ours) if fs}
    return {
        "size": sample.num_rows, "mb": nbytes / 1e6, "presidio_s": result["seconds"],
        "ours_s": our_s, "ours_warm_s": our_warm_s,
        "ours": score_findings(planted, mine),
        "presidio": score_findings(planted, tool_found(result["findings"])),
        "presidio_05": score_findings(planted, tool_found(result["findings"], min_score=0.5)),
    }


def presidio_report(cmp: dict) -> str:
    lines = [
        "",
        f"Against Presidio's pattern recognizers (presidio-analyzer, no NLP engine: each "
        f"recognizer's `analyze` on the text) on a sample of {cmp['size']:,} records "
        f"({cmp['mb']:.1f} MB); recall / precision:",
        "",
        "| class | planted | consentgate | Presidio (all scores) | Presidio (score ≥ 0.5) |",
        "|---|---:|---:|---:|---:|",
    ]
    for cls in CLASSES:
        p = cmp["ours"][cls][0]
        cells = []
        for key in ("ours", "presidio", "presidio_05"):
            _, h, n, ok = cmp[key][cls]
            cells.append(f"{_ratio(h, p)} / {_ratio(ok, n)}")
        lines.append(f"| {cls} | {p:,} | " + " | ".join(cells) + " |")
    ps, os_, ow = cmp["presidio_s"], cmp["ours_s"], cmp["ours_warm_s"]
    n, mb = cmp["size"], cmp["mb"]
    lines += [
        "",
        "| on that sample | docs/s | MB/s | vs Presidio |",
        "|---|---:|---:|---:|",
        f"| consentgate, cold (validation caches emptied) | {n / os_:,.0f} | {mb / os_:.1f} "
        f"| {ps / os_:.0f}× |",
        f"| consentgate, warm (best of 3) | {n / ow:,.0f} | {mb / ow:.1f} | {ps / ow:.0f}× |",
        f"| Presidio pattern recognizers | {n / ps:,.0f} | {mb / ps:.2f} | 1× |",
        "",
        "- Presidio has no salary recognizer and no recognizer for the French NIR, Dutch BSN, "
        "Brazilian CPF or Portuguese NIF; its phone results score 0.4 without context words "
        "(so none pass a 0.5 threshold).",
    ]
    return "\n".join(lines)


def load(source: Path) -> tuple[pa.Table, pa.Table, pa.Table]:
    records = pq.read_table(source / "records", columns=["record_id", "text"])
    truth = pq.read_table(source / "ground_truth.parquet")
    decoys = pq.read_table(source / "decoys.parquet")
    return records, truth, decoys


def clear_caches() -> None:
    from consentgate.redaction import clear_caches as clear

    clear()


def throughput(texts: pa.Array, warm_runs: int) -> dict[str, float]:
    from consentgate.redaction import Redactor

    r = Redactor()
    nbytes = pc.sum(pc.binary_length(texts)).as_py() or 0
    clear_caches()
    t0 = time.perf_counter()
    r.redact_batch(texts)
    cold = time.perf_counter() - t0
    warm = cold
    for _ in range(warm_runs):
        t0 = time.perf_counter()
        r.redact_batch(texts)
        warm = min(warm, time.perf_counter() - t0)
    return {"docs": len(texts), "mb": nbytes / 1e6, "cold_s": cold, "warm_s": warm}


def parquet_copy_seconds(source: Path) -> float:
    """Read every records file (all columns) and write it back (zstd): the floor for a build."""
    with tempfile.TemporaryDirectory(prefix="cg-copy-") as tmp:
        t0 = time.perf_counter()
        for i, part in enumerate(sorted((source / "records").glob("*.parquet"))):
            pq.write_table(pq.read_table(part), Path(tmp) / f"{i}.parquet", compression="zstd")
        return time.perf_counter() - t0


def evaluate(records: pa.Table, truth: pa.Table, decoys: pa.Table) -> dict:
    from consentgate.redaction import Redactor

    texts = records.column("text").combine_chunks()
    ids = records.column("record_id").to_pylist()
    found = Redactor().find_batch(texts)
    by_record = {rid: fs for rid, fs in zip(ids, found, strict=True) if fs}

    planted: Counter = Counter()
    hit: Counter = Counter()
    redacted: Counter = Counter()
    truth_by_record: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    misses: list[tuple[str, str]] = []
    for rid, cls, start, end, value in zip(
        *(truth.column(c).to_pylist() for c in ("record_id", "cls", "start", "end", "value")),
        strict=True,
    ):
        truth_by_record[rid].append((cls, start, end))
        planted[cls] += 1
        covering = [f for f in by_record.get(rid, ()) if f.start <= start and end <= f.end]
        if any(f.cls == cls for f in covering):
            hit[cls] += 1
        else:
            misses.append((cls, value))
        if covering:
            redacted[cls] += 1

    findings: Counter = Counter()
    correct: Counter = Counter()
    false_pos: list[tuple[str, str]] = []
    for rid, fs in by_record.items():
        planted_here = truth_by_record.get(rid, ())
        for f in fs:
            findings[f.cls] += 1
            if any(c == f.cls and s < f.end and f.start < e for c, s, e in planted_here):
                correct[f.cls] += 1
            else:
                false_pos.append((f.cls, f.value))

    decoy_total: Counter = Counter()
    decoy_hit: Counter = Counter()
    for rid, cls, start, end in zip(
        *(decoys.column(c).to_pylist() for c in ("record_id", "cls", "start", "end")),
        strict=True,
    ):
        decoy_total[cls] += 1
        if any(f.start < end and start < f.end for f in by_record.get(rid, ())):
            decoy_hit[cls] += 1
    return {
        "planted": planted, "hit": hit, "redacted": redacted, "findings": findings,
        "correct": correct, "misses": misses, "false_pos": false_pos,
        "decoy_total": decoy_total, "decoy_hit": decoy_hit,
    }


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.4f}" if b else "–"


def report(source: str, members: str, ev: dict, tp: dict[str, float], copy_s: float) -> str:
    lines = [
        f"`{' '.join(['python benchmarks/redaction.py', members]).strip()}` — "
        f"{dt.date.today().isoformat()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU(s), "
        f"Python {platform.python_version()}; network: {source}.",
        "",
        "| class | planted | found | recall | redacted (any class) | findings | precision |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    tot = Counter()
    for cls in CLASSES:
        p, h, r = ev["planted"][cls], ev["hit"][cls], ev["redacted"][cls]
        n, c = ev["findings"][cls], ev["correct"][cls]
        tot.update(planted=p, hit=h, redacted=r, findings=n, correct=c)
        lines.append(
            f"| {cls} | {p:,} | {h:,} | {_ratio(h, p)} | {_ratio(r, p)} | {n:,} | {_ratio(c, n)} |"
        )
    lines.append(
        f"| **all** | {tot['planted']:,} | {tot['hit']:,} | {_ratio(tot['hit'], tot['planted'])} "
        f"| {_ratio(tot['redacted'], tot['planted'])} | {tot['findings']:,} "
        f"| {_ratio(tot['correct'], tot['findings'])} |"
    )
    lines += ["", "| decoy | count | touched by a finding |", "|---|---:|---:|"]
    for cls in sorted(ev["decoy_total"]):
        lines.append(f"| {cls} | {ev['decoy_total'][cls]:,} | {ev['decoy_hit'][cls]:,} |")
    docs, mb = tp["docs"], tp["mb"]
    lines += [
        "",
        "| throughput (`redact_batch`, 1 core) | docs/s | MB/s | seconds |",
        "|---|---:|---:|---:|",
        f"| cold (validation caches empty) | {docs / tp['cold_s']:,.0f} | {mb / tp['cold_s']:.1f} "
        f"| {tp['cold_s']:.2f} |",
        f"| warm (best of the next runs) | {docs / tp['warm_s']:,.0f} | {mb / tp['warm_s']:.1f} "
        f"| {tp['warm_s']:.2f} |",
        f"| raw Parquet copy of the records (read + write zstd) | {docs / copy_s:,.0f} | – "
        f"| {copy_s:.2f} |",
        "",
        f"- {docs:,} texts, {mb:.1f} MB of UTF-8 text.",
        "- Found: a finding of the same class covers the planted value. Precision: findings "
        "that overlap a planted value of their class / all findings of the class.",
        "- The row gate (RE2 in pyarrow) sends only rows with an `@`, a six-digit cluster or a "
        "salary cue word next to a digit to the Python scan.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, help="an existing network (records/, ground truth)")
    ap.add_argument("--members", type=int, default=20_000, help="members to generate")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--warm-runs", type=int, default=2)
    ap.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    ap.add_argument("--show", type=int, default=10, help="misses and false positives to print")
    ap.add_argument("--presidio-python", help="a Python with presidio-analyzer and pyarrow: "
                    "compare with Presidio's pattern recognizers on a sample")
    ap.add_argument("--presidio-sample", type=int, default=20_000)
    ap.add_argument("--presidio-worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.presidio_worker:
        presidio_worker(args.source, args.presidio_sample)
        return 0

    tmp = None
    if args.source is None:
        from consentgate.synth import generate

        tmp = tempfile.TemporaryDirectory(prefix="cg-redaction-bench-")
        source = Path(tmp.name) / "net"
        print(f"generating {args.members:,} members (seed {args.seed}) ...", flush=True)
        generate(source, members=args.members, seed=args.seed)
        label = f"generated, {args.members:,} members, seed {args.seed}"
        cmd_args = f"--members {args.members}" if args.members != 20_000 else ""
    else:
        source = args.source
        label = str(source)
        cmd_args = f"--source {source}"
    if args.presidio_python:
        cmd_args = f"{cmd_args} --presidio-python PYTHON".strip()
    try:
        records, truth, decoys = load(source)
        texts = records.column("text").combine_chunks()
        print(f"{len(texts):,} records; timing ...", flush=True)
        tp = throughput(texts, args.warm_runs)
        copy_s = parquet_copy_seconds(source)
        print("evaluating ...", flush=True)
        ev = evaluate(records, truth, decoys)
        cmp = None
        if args.presidio_python:
            print(f"running Presidio on {args.presidio_sample:,} records ...", flush=True)
            result = run_presidio(args.presidio_python, source, args.presidio_sample)
            if result is not None:
                cmp = compare_presidio(records, truth, result, args.presidio_sample)
    finally:
        if tmp is not None:
            tmp.cleanup()
    text = report(label, cmd_args, ev, tp, copy_s)
    if cmp is not None:
        text += "\n" + presidio_report(cmp)
    print(text)
    for title, items in (("misses", ev["misses"]), ("false positives", ev["false_pos"])):
        if items:
            print(f"\n{len(items)} {title}, first {args.show}:")
            for cls, value in items[: args.show]:
                print(f"  {cls}: {value!r}")
    if not args.no_doc:
        from docs_section import replace_section

        replace_section(DOC, "Redaction", text)
        print(f"\nwrote the Redaction section of {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
