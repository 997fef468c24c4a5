"""Run the comparison redactors over a sample of texts; print one JSON object.

Runs in the comparison virtualenv (``.venv/compare``, made by ``make bench``: Presidio and
datatrove need other pins than consentgate), so it imports neither consentgate nor anything
beyond pyarrow and the tools compared:

    .venv/compare/bin/python benchmarks/compare_worker.py SAMPLE.parquet

SAMPLE.parquet has one ``text`` column. For each tool: the seconds taken to find *and*
replace (Presidio: ``analyze`` of each pattern recognizer, no NLP engine, then
``AnonymizerEngine.anonymize`` with ``replace``; datatrove: ``PIIFormatter.format``), and
every finding as ``[row, entity, start, end, score]``. Nothing goes to the network:
tldextract uses its bundled suffix list and no spaCy model is loaded.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""  # before presidio imports tldextract
sys.path.insert(0, str(Path(__file__).resolve().parent))

from redaction import PHONE_REGIONS  # pyarrow-only at import time


def presidio(texts: list[str]) -> dict:
    from presidio_analyzer import predefined_recognizers as pr
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig

    recognizers = [
        pr.EmailRecognizer(), pr.PhoneRecognizer(supported_regions=PHONE_REGIONS),
        pr.IbanRecognizer(), pr.CreditCardRecognizer(), pr.UsSsnRecognizer(),
        pr.UkNinoRecognizer(), pr.EsNifRecognizer(), pr.ItFiscalCodeRecognizer(),
        pr.PlPeselRecognizer(), pr.DeTaxIdRecognizer(),
    ]
    anonymizer = AnonymizerEngine()
    operators = {"DEFAULT": OperatorConfig("replace")}
    findings = []
    t0 = time.perf_counter()
    for i, text in enumerate(texts):
        results = []
        for rec in recognizers:
            results.extend(rec.analyze(text, rec.supported_entities, None))
        if results:
            anonymizer.anonymize(text=text, analyzer_results=results, operators=operators)
            findings.extend((i, r.entity_type, r.start, r.end, r.score) for r in results)
    seconds = time.perf_counter() - t0
    from importlib.metadata import version

    return {"seconds": seconds, "findings": findings, "version": version("presidio-analyzer")}


def datatrove(texts: list[str]) -> dict:
    from datatrove.pipeline.formatters import PIIFormatter

    fmt = PIIFormatter()
    t0 = time.perf_counter()
    for text in texts:
        fmt.format(text)
    seconds = time.perf_counter() - t0
    # the spans it replaces: its e-mail pattern on the original text (IPs: none planted)
    findings = [
        (i, "EMAIL_ADDRESS", m.start(), m.end(), 1.0)
        for i, text in enumerate(texts)
        for m in fmt.emails_replacer.regex.finditer(text)
    ]
    from importlib.metadata import version

    return {"seconds": seconds, "findings": findings, "version": version("datatrove")}


def main() -> int:
    import pyarrow.parquet as pq

    texts = [t or "" for t in pq.read_table(sys.argv[1], columns=["text"]).column(0).to_pylist()]
    out = {}
    for name, fn in (("presidio", presidio), ("datatrove", datatrove)):
        try:
            out[name] = fn(texts)
        except Exception as exc:  # a missing tool is reported, not fatal
            out[name] = {"error": f"{type(exc).__name__}: {exc}"}
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
