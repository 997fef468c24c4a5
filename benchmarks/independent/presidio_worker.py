"""Presidio's pattern recognizers over a labelled corpus's texts; print one JSON object.

Runs in the comparison virtualenv (``.venv/compare``: Presidio needs other pins than
consentgate), so it imports nothing but the standard library and Presidio:

    .venv/compare/bin/python benchmarks/independent/presidio_worker.py CORPUS.jsonl CONFIG.json

CONFIG.json: ``{"regions": [...], "entities": [...]}``: the phone regions, and the entities
whose pattern recognizers run besides e-mail, phone, IBAN and credit card. No NLP engine (no
spaCy model), so no context words raise a score. Timed, in this fresh process: building the
recognizers, then one pass that finds (``analyze`` of each recognizer) and replaces
(``AnonymizerEngine.anonymize``). Findings: ``[row, entity, start, end, score]``.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""  # no network: the bundled suffix list


def recognizers(regions: list[str], entities: list[str]) -> list:
    import inspect

    from presidio_analyzer import PatternRecognizer
    from presidio_analyzer import predefined_recognizers as pr

    chosen = [pr.EmailRecognizer(), pr.PhoneRecognizer(supported_regions=regions),
              pr.IbanRecognizer(), pr.CreditCardRecognizer()]
    wanted = set(entities)
    for name in sorted(dir(pr)):
        cls = getattr(pr, name)
        if not (inspect.isclass(cls) and issubclass(cls, PatternRecognizer)):
            continue
        try:
            rec = cls()
        except Exception:  # a recognizer that needs a service or a key: not a pattern one
            continue
        if set(rec.supported_entities) & wanted:
            chosen.append(rec)
    return chosen


def main() -> int:
    t_start = time.perf_counter()
    with open(sys.argv[1], encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    with open(sys.argv[2], encoding="utf-8") as fh:
        config = json.load(fh)
    t0 = time.perf_counter()
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig

    recs = recognizers(config["regions"], config["entities"])
    anonymizer = AnonymizerEngine()
    operators = {"DEFAULT": OperatorConfig("replace")}
    t1 = time.perf_counter()
    findings = []
    for i, text in enumerate(texts):
        results = []
        for rec in recs:
            results.extend(rec.analyze(text, rec.supported_entities, None))
        if results:
            anonymizer.anonymize(text=text, analyzer_results=results, operators=operators)
            findings.extend([i, r.entity_type, r.start, r.end, r.score] for r in results)
    t2 = time.perf_counter()
    from importlib.metadata import version

    json.dump({
        "tool": "presidio", "version": version("presidio-analyzer"),
        "recognizers": [type(r).__name__ for r in recs],
        "docs": len(texts), "bytes": sum(len(t.encode("utf-8")) for t in texts),
        "read_s": t0 - t_start, "setup_s": t1 - t0, "first_pass_s": t2 - t1,
        "findings": findings,
    }, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
