"""The hand-written corpus: every planted value found with its class, no decoy touched."""

from __future__ import annotations

import pytest

from consentgate.redaction import Redactor
from tests.redaction.corpus import CORPUS


@pytest.mark.parametrize("text, planted, decoys", CORPUS, ids=[t[:40] for t, _, _ in CORPUS])
def test_corpus_entry(text: str, planted: list[tuple[str, str]], decoys: list[str]) -> None:
    found = Redactor().find(text)
    expected = sorted((text.index(v), text.index(v) + len(v), c, v) for c, v in planted)
    assert [(f.start, f.end, f.cls, f.value) for f in found] == expected
    redacted = Redactor().redact(text)
    for decoy in decoys:
        assert decoy in redacted, (decoy, redacted)


def test_corpus_covers_every_class_in_several_languages() -> None:
    classes = {c for _, planted, _ in CORPUS for c, _ in planted}
    assert classes == {"email", "phone", "iban", "card", "national_id", "salary"}
    assert sum(len(d) for _, _, d in CORPUS) >= 40
