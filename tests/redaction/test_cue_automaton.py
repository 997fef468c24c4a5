"""Cue words are looked for only where the Aho-Corasick automaton of their leading literals
says a match can start; this must find exactly what ``finditer`` of the same pattern finds."""

from __future__ import annotations

import random

import pytest

from consentgate.redaction import patterns as P
from consentgate.redaction.vocabulary import cue_words

CUES = {name: obj for name, obj in vars(P).items() if isinstance(obj, P.Cues)}
# the words of every list, as people write them: cases, compounds, glued to numbers and
# placeholders, and characters whose lower case changes the text's length ("İ")
_GLUE = [" ", "", ": ", "-", "/", "\u00a0", "<PHONE>", "42", "x", "ß", "İ", "ı", "ſ", ".\n"]


def _words() -> list[str]:
    out = []
    for kind in ("salary_strong", "salary_weak", "salary_context", "not_salary", "phone",
                 "phone_after", "not_phone", "id"):
        out += [w.replace(r"\w*", "").replace("\\", "") for w in cue_words(kind)]
    return [w for w in out if w]


def _texts(cues: P.Cues, n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    every = _words()
    # mostly words of this list (those the stripping above left matchable), some of others
    own = [w for w in every if cues.first(w) is not None]
    words = own * 4 + every
    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 8)):
            w = rnd.choice(words)
            w = rnd.choice([w, w.upper(), w.title(), w[: max(1, len(w) - 1)], "Jahres" + w])
            parts += [w, rnd.choice(_GLUE)]
        texts.append("".join(parts))
    return texts


def test_every_cue_list_has_words() -> None:
    assert len(CUES) >= 8
    for name, cues in CUES.items():
        assert cues.fast.pattern, name


@pytest.mark.parametrize("name", sorted(CUES))
def test_same_matches_as_finditer(name: str) -> None:
    cues = CUES[name]
    texts = _texts(cues, 1500, seed=sum(map(ord, name)))
    matched = 0
    for text in texts:
        pattern, target = cues._target(text)
        expected = [m.span() for m in pattern.finditer(target)]
        assert cues.spans(text) == expected, text
        matched += bool(expected)
        for pos in (0, len(text) // 2, len(text)):
            last = None
            for m in pattern.finditer(target):
                if m.end() > pos:
                    last = m
            got = cues.last_ending_after(text, pos)
            assert (got.span() if got else None) == (last.span() if last else None), text
        first = pattern.search(target)
        got = cues.first(text)
        assert (got.span() if got else None) == (first.span() if first else None), text
    assert matched > len(texts) // 5  # the texts do hold cues: the comparison means something


def test_leading_literal() -> None:
    assert P._leading_literal("alar(?:y|ies)") == "alar"
    assert P._leading_literal("ay|ages") == "a"  # both alternatives start with "a"
    assert P._leading_literal("y|ages") == ""
    assert P._leading_literal(r"\w*") == ""
    assert P._leading_literal("ab?c") == "a"
    assert P._leading_literal(r"\.x") == ".x"
    assert P._leading_literal("[ab]c") == ""
