"""The whole benchmark, side by side in one run on the same generated network.

    python benchmarks/run.py            # 1M records side by side, scale curve 1-16M records
    python benchmarks/run.py --quick    # tiny sizes: a smoke test (a few seconds + Spark)
    make bench                          # installs what it needs, then runs this

On the base network (the first size):
  floor      copy the records table to Parquet with DuckDB (fresh process)
  build      `consentgate build` on DuckDB, and on Spark local mode (fresh processes)
  redaction  consentgate's Redactor against Presidio's pattern recognizers + anonymizer and
             datatrove's PIIFormatter (e-mails; it also does IPs), on the same sample:
             docs/s, MB/s, recall and precision per class on the generator's ground truth
Then the scale curve: `consentgate build` on DuckDB at each size (1, 2, 4, 8, 16 M records),
wall time, records/s, peak RSS, until the sizes or the time budget run out.

Then, each in its own process and writing its own section of docs/benchmarks.md, the other
benchmarks (``--skip NAME`` leaves one out):
  incremental   benchmarks/incremental.py: a full build at T2 against `build --since` T1
  spark-cluster benchmarks/spark_cluster.py: Spark on a standalone master and two workers
  independent   benchmarks/redaction_independent.py: redaction on the independent corpus,
                beside Presidio (the corpus is built first, into the cache folder)

Prints a table and, last, one JSON line (ratio_vs_floor, records_per_s, peak_rss_mb,
presidio_speedup, ...). Rewrites the "## Benchmark run" section of docs/benchmarks.md (other
sections are kept) and the plot docs/scale-curve.png.

Presidio and datatrove run in their own virtualenv (``--compare-python``, default
``.venv/compare/bin/python``, made by ``make bench`` from benchmarks/requirements-compare.txt):
their pins clash with consentgate's (pydantic). Without it, the comparison is skipped and said.
No public labelled PII set ships in a PyPI package that we found, so recall and precision are
measured on the generator's ground truth only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from docs_section import replace_section  # noqa: E402


def _sibling(name: str):
    """benchmarks/<name>.py as a module under a name no installed package can take."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        f"consentgate_bench_{name}", ROOT / "benchmarks" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


B = _sibling("build")  # floor_run, build_run, ensure_network, records_info
R = _sibling("redaction")  # load, evaluate, throughput, sample_planted, score_findings

DOC = ROOT / "docs" / "benchmarks.md"
PLOT = ROOT / "docs" / "scale-curve.png"
SECTION = "Benchmark run"
RECORDS_PER_MEMBER = 50  # the generator's average
SIZES_M = (1, 2, 4, 8, 16)
QUICK_MEMBERS = (200, 400)
DATATROVE_CLASSES = {"EMAIL_ADDRESS": "email"}
BOTH = ("email", "phone", "iban", "card", "national_id")  # classes Presidio also has


def default_compare_python() -> Path:
    return ROOT / ".venv" / "compare" / "bin" / "python"


# -- pieces --------------------------------------------------------------------------------
def side_by_side(net: Path, threads: int, spark: bool = True, repeat: int = 1) -> dict:
    """Floor, DuckDB build (with and without redaction) and, once, Spark build on one
    network, each in a fresh process; the first three ``repeat`` times, taking turns."""
    rows, size = B.records_info(net)
    work = Path(tempfile.mkdtemp(prefix="cg-run-"))
    try:
        out = {"records": rows, "input_mb": round(size / 1e6, 1)}
        no_redaction = _policy_without_redaction(work)
        out.update(B.round_robin({
            "floor": lambda: B.floor_run(net, threads, work),
            "duckdb": lambda: B.build_run(net, threads, work, "duckdb"),
            # the same build with redaction switched off: what the rest of the build costs
            "duckdb_no_redaction": lambda: B.build_run(
                net, threads, work, "duckdb", policy=no_redaction
            ),
        }, repeat))
        if spark:
            try:
                out["spark"] = B.build_run(net, threads, work, "spark")
            except RuntimeError as exc:  # no JVM / no pyspark: said, not fatal
                out["spark"] = {"error": str(exc)[-300:]}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    floor_s = out["floor"]["floor_s"]
    for engine in ("duckdb", "duckdb_no_redaction", "spark"):
        res = out.get(engine)
        if res and "build_s" in res:
            res["records_per_s"] = round(rows / res["build_s"])
            res["ratio_vs_floor"] = round(floor_s / res["build_s"], 3)
    return out


def _policy_without_redaction(work: Path) -> Path:
    """The shipped policy with ``[redaction] classes = []`` (for the profile only)."""
    from consentgate.policy.loader import load_policy, resolve

    text = resolve("linkedin-2025").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("classes = ["))
    path = work / "linkedin-2025-no-redaction.toml"
    path.write_text(text.replace(line, "classes = []"), encoding="utf-8")
    assert load_policy(path).redaction.classes == []
    return path


def redaction_compare(net: Path, sample_size: int, compare_python: Path | None) -> dict:
    """consentgate's redaction alone (whole column, and the sample the other tools see),
    Presidio and datatrove on that sample; recall and precision per class."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from consentgate.redaction import Redactor

    records, truth, decoys = R.load(net)
    texts = records.column("text").combine_chunks()
    whole = R.throughput(texts, warm_runs=2)
    full_eval = R.evaluate(records, truth, decoys)
    sample, planted = R.sample_planted(records, truth, sample_size)
    stexts = sample.column("text").combine_chunks()
    nbytes = pc.sum(pc.binary_length(stexts)).as_py() or 0
    redactor = Redactor()
    R.clear_caches()
    t0 = time.perf_counter()
    redactor.redact_batch(stexts)
    cold = time.perf_counter() - t0
    warm = cold
    for _ in range(3):
        t0 = time.perf_counter()
        redactor.redact_batch(stexts)
        warm = min(warm, time.perf_counter() - t0)
    found = redactor.find_batch(stexts)
    mine = {i: [(f.cls, f.start, f.end) for f in fs] for i, fs in enumerate(found) if fs}
    out = {
        "whole": {**whole, "recall": {c: _frac(full_eval["hit"][c], full_eval["planted"][c])
                                      for c in R.CLASSES},
                  "precision": {c: _frac(full_eval["correct"][c], full_eval["findings"][c])
                                for c in R.CLASSES},
                  "decoys_touched": sum(full_eval["decoy_hit"].values())},
        "sample": {"docs": sample.num_rows, "mb": nbytes / 1e6},
        "tools": {"consentgate": {"seconds": warm, "cold_seconds": cold,
                                  "scores": R.score_findings(planted, mine)}},
    }
    if compare_python is None or not Path(compare_python).exists():
        out["compare_error"] = f"no comparison Python at {compare_python} (run `make bench`)"
        return out
    with tempfile.TemporaryDirectory(prefix="cg-sample-") as tmp:
        path = Path(tmp) / "sample.parquet"
        pq.write_table(sample.select(["text"]), path)
        proc = subprocess.run(
            [str(compare_python), str(ROOT / "benchmarks" / "compare_worker.py"), str(path)],
            capture_output=True, text=True, check=False,
            env=dict(os.environ, TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=""),
        )
    if proc.returncode != 0:
        out["compare_error"] = proc.stderr[-1000:]
        return out
    result = json.loads(proc.stdout)
    for name, mapping in (("presidio", R.PRESIDIO_CLASSES), ("datatrove", DATATROVE_CLASSES)):
        res = result.get(name, {})
        if "error" in res:
            out["tools"][name] = {"error": res["error"]}
            continue
        out["tools"][name] = {
            "seconds": res["seconds"], "version": res.get("version"),
            "scores": R.score_findings(planted, R.tool_found(res["findings"], mapping)),
        }
    return out


def scale_curve(
    members: list[int], cache: Path, threads: int, budget_s: float, repeat: int = 1
) -> dict:
    """`consentgate build` (DuckDB) at each size, fresh process each, with its floor; both
    ``repeat`` times, taking turns (medians)."""
    started = time.perf_counter()
    points: list[dict] = []
    stopped = None
    for m in members:
        elapsed = time.perf_counter() - started
        if points:
            last = points[-1]
            # the next size costs about twice the last (generation + floor + build)
            guess = 2 * (last["generate_s"] + repeat * (last["build_s"] + last["floor_s"]))
            if elapsed + guess > budget_s:
                stopped = (f"stopped before {m * RECORDS_PER_MEMBER / 1e6:g}M records: "
                           f"~{guess:.0f} s more would pass the {budget_s:.0f} s budget")
                break
        t0 = time.perf_counter()
        net = B.ensure_network(cache, m)
        gen_s = time.perf_counter() - t0
        rows, size = B.records_info(net)
        work = Path(tempfile.mkdtemp(prefix="cg-run-"))
        try:
            both = B.round_robin({
                "floor": lambda: B.floor_run(net, threads, work),  # noqa: B023 (run now)
                "build": lambda: B.build_run(net, threads, work, "duckdb"),  # noqa: B023
            }, repeat)
            floor, built = both["floor"], both["build"]
        finally:
            shutil.rmtree(work, ignore_errors=True)
        point = {
            "members": m, "records": rows, "input_mb": round(size / 1e6, 1),
            "generate_s": round(gen_s, 1), **floor, **built,
            "records_per_s": round(rows / built["build_s"]),
            "ratio_vs_floor": round(floor["floor_s"] / built["build_s"], 3),
        }
        print(json.dumps({"scale": point}), flush=True)
        points.append(point)
    return {"points": points, "stopped": stopped}


def summary(side: dict, red: dict, curve: dict) -> dict:
    """The JSON line."""
    duck = side["duckdb"]
    tools = red["tools"]
    ours = tools["consentgate"]
    docs = red["sample"]["docs"]
    out: dict = {
        "records": side["records"],
        "ratio_vs_floor": duck["ratio_vs_floor"],
        "records_per_s": duck["records_per_s"],
        "build_s": duck["build_s"],
        "floor_s": side["floor"]["floor_s"],
        "peak_rss_mb": max([duck["build_peak_rss_mb"]]
                           + [p["build_peak_rss_mb"] for p in curve["points"]]),
        "redaction_docs_per_s": round(docs / ours["seconds"]),
        "presidio_speedup": None,
        "datatrove_speedup": None,
    }
    if curve["points"]:
        out["ratio_vs_floor_largest"] = curve["points"][-1]["ratio_vs_floor"]
    off = side.get("duckdb_no_redaction", {})
    if "build_s" in off:
        out["no_redaction_ratio_vs_floor"] = off["ratio_vs_floor"]
    if "spark" in side and "build_s" in side["spark"]:
        out["spark_ratio_vs_floor"] = side["spark"]["ratio_vs_floor"]
        out["spark_build_s"] = side["spark"]["build_s"]
    pres = tools.get("presidio", {})
    if "seconds" in pres:
        out["presidio_speedup"] = round(pres["seconds"] / ours["seconds"], 1)
        out["presidio_speedup_cold"] = round(pres["seconds"] / ours["cold_seconds"], 1)
        out["recall_at_least_presidio"] = all(
            _frac(ours["scores"][c][1], ours["scores"][c][0])
            >= _frac(pres["scores"][c][1], pres["scores"][c][0])
            for c in BOTH if pres["scores"][c][0]
        )
    dtv = tools.get("datatrove", {})
    if "seconds" in dtv:
        out["datatrove_speedup"] = round(dtv["seconds"] / ours["seconds"], 1)
    pts = curve["points"]
    out["scale_records"] = [p["records"] for p in pts]
    out["scale_build_s"] = [p["build_s"] for p in pts]
    out["scale_peak_rss_mb"] = [p["build_peak_rss_mb"] for p in pts]
    if len(pts) >= 2:
        # time linear in size: records/s at the largest size over records/s at the smallest
        out["scale_rate_ratio"] = round(pts[-1]["records_per_s"] / pts[0]["records_per_s"], 3)
    out["scale_stopped"] = curve["stopped"]
    return out


# -- output ----------------------------------------------------------------------------------
def _frac(a: int, b: int) -> float:
    return a / b if b else 1.0


def _rp(scores: tuple[int, int, int, int]) -> str:
    p, h, n, ok = scores
    rec = f"{h / p:.4f}" if p else "–"
    prec = f"{ok / n:.4f}" if n else "–"
    return f"{rec} / {prec}"


def _runs(res: dict, key: str) -> str:
    return ", ".join(str(x) for x in res.get(key, []))


def markdown(
    side: dict, red: dict, curve: dict, cmd: str, threads: int, repeat: int = 1
) -> str:
    rows = side["records"]
    floor = side["floor"]
    lines = [
        f"`{cmd}` — {dt.date.today().isoformat()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPU(s) (shared), Python {platform.python_version()}, "
        f"{threads} threads. Every build and floor runs in a fresh process; peak memory is the "
        "largest sum of PSS over the process and its descendants (redaction workers, Spark's "
        "JVM), sampled every 50 ms. "
        f"Floors and DuckDB builds run {repeat} time(s) each, taking turns: seconds are the "
        "median (every run in the *runs* column), peak memory the largest; Spark runs once.",
        "",
        f"### Side by side ({rows:,} records, {side['input_mb']} MB of Parquet)",
        "",
        "| run | seconds | runs (s) | records/s | peak memory MB | ratio_vs_floor |",
        "|---|---:|---|---:|---:|---:|",
        f"| floor: DuckDB copy of the records to Parquet | {floor['floor_s']} | "
        f"{_runs(floor, 'floor_runs_s')} | "
        f"{rows / floor['floor_s']:,.0f} | {floor['floor_peak_rss_mb']} | 1 |",
    ]
    names = {
        "duckdb": "`consentgate build` on duckdb",
        "duckdb_no_redaction": "the same, redaction switched off (profile only: no PII removed)",
        "spark": "`consentgate build` on spark",
    }
    for engine, label in names.items():
        res = side.get(engine)
        if res is None:
            continue
        if "error" in res:
            lines.append(f"| {label} | failed | | | | |")
            continue
        lines.append(
            f"| {label} | {res['build_s']} | {_runs(res, 'build_runs_s')} | "
            f"{res['records_per_s']:,} | {res['build_peak_rss_mb']} | {res['ratio_vs_floor']} |"
        )
    s = red["sample"]
    lines += [
        "",
        f"### Redaction alone (a sample of {s['docs']:,} records, {s['mb']:.2f} MB; one core)",
        "",
        "| tool | docs/s | MB/s | consentgate is × faster | "
        + " | ".join(R.CLASSES) + " |",
        "|---|---:|---:|---:|" + "---:|" * len(R.CLASSES),
    ]
    ours_s = red["tools"]["consentgate"]["seconds"]
    labels = {
        "consentgate": "consentgate `Redactor.redact_batch` (warm)",
        "presidio": "Presidio pattern recognizers + anonymizer",
        "datatrove": "datatrove `PIIFormatter` (e-mail, IP)",
    }
    for name, res in red["tools"].items():
        if "error" in res:
            lines.append(f"| {labels[name]} | error: {res['error'][:80]} | | |" + " |" * 6)
            continue
        sec = res["seconds"]
        cells = []
        for c in R.CLASSES:
            supported = (name == "consentgate" or (name == "presidio" and c in BOTH)
                         or (name == "datatrove" and c == "email"))
            cells.append(_rp(res["scores"][c]) if supported else "n/a")
        ver = f" {res['version']}" if res.get("version") else ""
        lines.append(
            f"| {labels[name]}{ver} | {s['docs'] / sec:,.0f} | {s['mb'] / sec:.2f} | "
            f"{sec / ours_s:,.1f} | " + " | ".join(cells) + " |"
        )
    if "compare_error" in red:
        lines += ["", f"- Comparison skipped: {red['compare_error'][:300]}"]
    w = red["whole"]
    lines += [
        "",
        "- Cells per class: recall / precision on the generator's ground truth "
        "(ground_truth.parquet; a finding on a decoy or on nothing planted is a false positive).",
        f"- consentgate on the whole column ({w['docs']:,} texts, {w['mb']:.1f} MB): cold "
        f"{w['docs'] / w['cold_s']:,.0f} docs/s ({w['mb'] / w['cold_s']:.1f} MB/s), warm "
        f"{w['docs'] / w['warm_s']:,.0f} docs/s ({w['mb'] / w['warm_s']:.1f} MB/s); recall "
        + ", ".join(f"{c} {w['recall'][c]:.4f}" for c in R.CLASSES)
        + "; precision " + ", ".join(f"{c} {w['precision'][c]:.4f}" for c in R.CLASSES)
        + f"; decoys touched: {w['decoys_touched']:,}.",
        f"- On the sample, cold (validation caches emptied) consentgate takes "
        f"{red['tools']['consentgate']['cold_seconds']:.3f} s against "
        f"{ours_s:.3f} s warm.",
        "- Presidio: each predefined pattern recognizer's `analyze` (e-mail, phone for "
        f"{', '.join(R.PHONE_REGIONS)}, IBAN, credit card, US SSN, UK NINO, ES NIF, IT fiscal "
        "code, PL PESEL, DE tax id; no NLP engine, so no spaCy model), then "
        "`AnonymizerEngine.anonymize` (replace) on texts with findings; recall counts every "
        "score. It has no salary recognizer and none for the French NIR, Dutch BSN, Brazilian "
        "CPF or Portuguese NIF.",
        "- No public labelled PII set is shipped inside a PyPI package that we know of, so "
        "there is no second labelled set.",
        "",
        "### Scale curve (`consentgate build` on DuckDB)",
        "",
        "| records | input MB | generate s | floor s (runs) | build s (runs) | records/s | "
        "peak memory MB | ratio_vs_floor |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in curve["points"]:
        lines.append(
            f"| {p['records']:,} | {p['input_mb']} | {p['generate_s']} | "
            f"{p['floor_s']} ({_runs(p, 'floor_runs_s')}) | "
            f"{p['build_s']} ({_runs(p, 'build_runs_s')}) | {p['records_per_s']:,} | "
            f"{p['build_peak_rss_mb']} | {p['ratio_vs_floor']} |"
        )
    if curve["stopped"]:
        lines += ["", f"- {curve['stopped']}."]
    lines += ["", "![scale curve](scale-curve.png)"]
    return "\n".join(lines)


def plot(curve: dict, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is missing (pip install -e '.[bench]'): no plot", file=sys.stderr)
        return False
    pts = curve["points"]
    if not pts:
        return False
    x = [p["records"] / 1e6 for p in pts]
    fig, ax1 = plt.subplots(figsize=(7, 4), dpi=100)
    ax1.plot(x, [p["build_s"] for p in pts], "o-", label="build (s)")
    ax1.plot(x, [p["floor_s"] for p in pts], "s--", label="floor: Parquet copy (s)")
    ax1.set_xlabel("records (millions)")
    ax1.set_ylabel("seconds")
    ax2 = ax1.twinx()
    ax2.plot(x, [p["build_peak_rss_mb"] for p in pts], "^:", color="tab:red",
             label="build peak memory (MB)")
    ax2.set_ylabel("peak memory (MB, PSS of the process tree)")
    ax2.set_ylim(bottom=0)
    ax1.set_ylim(bottom=0)
    lines = ax1.get_legend_handles_labels()
    more = ax2.get_legend_handles_labels()
    ax1.legend(lines[0] + more[0], lines[1] + more[1], loc="lower right", fontsize=8)
    ax1.set_title("consentgate build on DuckDB: time and memory by size")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return True


# name -> (script, its arguments for a full run, for --quick); members ~ 50 records each
OTHERS: dict[str, tuple[str, list[str], list[str]]] = {
    "incremental": ("incremental.py", ["--members", "20000", "--members", "320000",
                                       "--repeat", "3"],
                    ["--members", "400", "--repeat", "1"]),
    "spark-cluster": ("spark_cluster.py", ["--members", "20000", "80000", "--repeat", "3"],
                      ["--members", "400", "--repeat", "1"]),
    "independent": ("redaction_independent.py", ["--repeat", "6"],
                    ["--repeat", "2", "--scale", "0.1"]),
}


def run_others(names: list[str], quick: bool, cache: Path, compare_python: Path,
               no_docs: bool) -> dict[str, int]:
    """Run the other benchmark scripts (fresh processes, in turn); their exit codes."""
    codes: dict[str, int] = {}
    for name in names:
        script, full, small = OTHERS[name]
        cmd = [sys.executable, str(ROOT / "benchmarks" / script), *(small if quick else full)]
        if name == "independent":
            corpus = cache / ("independent-quick" if quick else "independent")
            cmd += ["--out" if not (corpus / "test.jsonl").exists() else "--corpus", str(corpus),
                    "--compare-python", str(compare_python)]
        else:
            cmd += ["--cache", str(cache)]
        if no_docs:
            cmd.append("--no-docs")
        print(f"{name}: {' '.join(cmd[1:])}", flush=True)
        codes[name] = subprocess.run(cmd, cwd=ROOT).returncode
    return codes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help=f"tiny sizes ({', '.join(map(str, QUICK_MEMBERS))} members), small sample")
    ap.add_argument("--sizes", type=float, nargs="+", default=list(SIZES_M),
                    help="scale curve sizes in millions of records (the first is the base)")
    ap.add_argument("--members", type=int, nargs="+",
                    help="scale curve sizes as member counts (~50 records each); overrides")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each floor and DuckDB build, taking turns; medians reported")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "cg-bench-nets")
    ap.add_argument("--compare-python", type=Path, default=default_compare_python())
    ap.add_argument("--sample", type=int, default=20_000, help="records for the comparison")
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--budget", type=float, default=1500,
                    help="seconds the scale curve may take; sizes beyond it are skipped")
    ap.add_argument("--no-docs", action="store_true", help="do not rewrite docs/")
    ap.add_argument("--skip", action="append", default=[], choices=sorted(OTHERS),
                    help="leave out one of the other benchmarks (repeatable)")
    args = ap.parse_args(argv)
    if args.quick:
        members = list(QUICK_MEMBERS)
        args.sample = min(args.sample, 2_000)
    else:
        members = [round(s * 1e6 / RECORDS_PER_MEMBER) for s in args.sizes]
    if args.members:
        members = args.members
    args.cache.mkdir(parents=True, exist_ok=True)
    base = B.ensure_network(args.cache, members[0])
    print(f"side by side on {base} ...", flush=True)
    if args.quick:
        args.repeat = 1
    side = side_by_side(base, args.threads, spark=not args.no_spark, repeat=args.repeat)
    print(json.dumps({"side_by_side": side}), flush=True)
    print("redaction ...", flush=True)
    red = redaction_compare(base, args.sample, args.compare_python)
    print("scale curve ...", flush=True)
    curve = scale_curve(members, args.cache, args.threads, args.budget, args.repeat)
    cmd = "python benchmarks/run.py" + (" --quick" if args.quick else "")
    text = markdown(side, red, curve, cmd, args.threads, args.repeat)
    print(text)
    if not args.no_docs:
        plot(curve, PLOT)
        replace_section(DOC, SECTION, text)
    others = [n for n in OTHERS if n not in args.skip
              and not (n == "spark-cluster" and args.no_spark)]
    codes = run_others(others, args.quick, args.cache, args.compare_python, args.no_docs)
    print(json.dumps({**summary(side, red, curve), "others": codes}), flush=True)
    failed = [n for n, rc in codes.items() if rc != 0]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
