"""consentgate's Redactor over a labelled corpus's texts, in a fresh process; print JSON.

    python benchmarks/independent/consentgate_worker.py CORPUS.jsonl [POLICY]

Timed: importing consentgate and building the policy's Redactor, then one pass of
``redact_batch`` over all the texts (find and replace, the first this process makes). The
findings (``find_batch``, not timed) are ``[row, class, start, end]``.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> int:
    t_start = time.perf_counter()
    with open(sys.argv[1], encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    policy_name = sys.argv[2] if len(sys.argv) > 2 else None
    t0 = time.perf_counter()
    import pyarrow as pa

    from consentgate import __version__
    from consentgate.policy import DEFAULT_POLICY, load_policy
    from consentgate.redaction import Redactor

    red = Redactor.from_policy(load_policy(policy_name or DEFAULT_POLICY))
    arr = pa.array(texts, type=pa.string())
    t1 = time.perf_counter()
    red.redact_batch(arr)
    t2 = time.perf_counter()
    findings = [[i, f.cls, f.start, f.end] for i, row in enumerate(red.find_batch(arr))
                for f in row]
    json.dump({
        "tool": "consentgate", "version": __version__, "classes": list(red.classes),
        "docs": len(texts), "bytes": sum(len(t.encode("utf-8")) for t in texts),
        "read_s": t0 - t_start, "setup_s": t1 - t0, "first_pass_s": t2 - t1,
        "findings": findings,
    }, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
