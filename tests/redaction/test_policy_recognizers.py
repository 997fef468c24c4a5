"""The policy's extra recognizers run in the redactor itself: one text at a time, in
batches (the row gate lets their rows through), after a pickle round trip, and in the
pipeline's snapshot steps (which build the redactor from the policy)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pyarrow as pa

from consentgate.policy.loader import load_policy
from consentgate.redaction import Redactor
from tests.policy.recognizers import policy_text


def _redactor(tmp_path: Path) -> Redactor:
    path = tmp_path / "policy.toml"
    path.write_text(policy_text(), encoding="utf-8")
    return Redactor.from_policy(load_policy(str(path)))


def test_extra_recognizer_finds_in_one_text_and_in_batches(tmp_path: Path) -> None:
    r = _redactor(tmp_path)
    texts = [
        "Ask the employee EMP-123456 about it",  # no digit cluster of six for the gate? it has
        "Order EMP-123456 shipped",  # no cue before it: kept
        "nothing here",
        None,
    ]
    assert r.redact(texts[0]) == "Ask the employee <NATIONAL_ID> about it"
    assert r.redact(texts[1]) == texts[1]
    batch = r.redact_batch(pa.array(texts)).to_pylist()
    assert batch == [r.redact(t) if t is not None else None for t in texts]
    again = pickle.loads(pickle.dumps(r))
    assert again == r and again.redact(texts[0]) == r.redact(texts[0])


def test_without_recognizers_nothing_extra_is_found() -> None:
    assert Redactor().redact("Ask the employee EMP-123456 about it") == (
        "Ask the employee EMP-123456 about it")
