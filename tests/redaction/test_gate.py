"""The row gates are supersets of what the Python scan needs: no row they skip could hold a
finding, so the batch path and the one-text path agree."""

from __future__ import annotations

import re
import re._parser as sre_parse

import pyarrow as pa
import pytest

from consentgate.redaction import Redactor
from consentgate.redaction import patterns as P
from consentgate.redaction.scan import salary_cues


def shortest_example(regex: str) -> str:
    """The shortest string the (simple) cue regex matches."""

    def walk(items) -> str:  # sre_parse internals
        out = []
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(av))
            elif name == "IN":
                first = av[0]
                if str(first[0]) == "LITERAL":
                    out.append(chr(first[1]))
                elif str(first[0]) == "RANGE":
                    out.append(chr(first[1][0]))
                else:  # a category such as \w
                    out.append("a")
            elif name in ("MAX_REPEAT", "MIN_REPEAT"):
                lo, _, sub = av
                out.append(walk(sub) * lo)
            elif name == "SUBPATTERN":
                out.append(walk(av[-1]))
            elif name == "BRANCH":
                out.append(min((walk(alt) for alt in av[1]), key=len))
            else:
                raise AssertionError(f"unsupported {name} in {regex}")
        return "".join(out)

    return walk(sre_parse.parse(regex))


CUE_WORDS = P.SALARY_STRONG_WORDS + P.SALARY_WEAK_WORDS


@pytest.mark.parametrize("word", CUE_WORDS)
def test_every_salary_cue_passes_both_gates(word: str) -> None:
    example = shortest_example(word)
    texts = []
    for variant in {example, example.upper(), example.capitalize()}:
        texts += [f"{variant}: 52 000 €", f"Bonus 52 000 € ({variant})", f"x {variant} 85k"]
    for text in texts:
        cues = P.salary_cue_spans(text)
        assert cues, (word, text)  # the example is a cue for the Python scan
        assert salary_cues(pa.array([text]))[0].as_py(), (word, text)  # RE2 gate
        assert P.may_have_salary(text), (word, text)  # the one-text gate


def test_placeholders_are_not_cues() -> None:
    for text in ["<SALARY> 5 €", "<PHONE> 5 €", "<NATIONAL_ID> 5 €", "<EMAIL> 85k"]:
        assert P.salary_cue_spans(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Gehalt: 72.000 EUR", "JAHRESGEHALT 72.000 EUR", "ſalary €65,000", "SALARİO 40.000 €",
        "65k/year", "Salariswens: € 52.000", "Wynagrodzenie 12 000 zł",
    ],
)
def test_gates_let_salaries_through(text: str) -> None:
    assert [f.cls for f in Redactor().find(text)] == ["salary"]
    assert salary_cues(pa.array([text]))[0].as_py()
    assert Redactor().redact_batch([text]).to_pylist() == [Redactor().redact(text)]


def test_rows_without_digits_or_at_are_skipped() -> None:
    texts = pa.array(["Salary negotiable", "no numbers here", None, "two: 2", "x@y.org"])
    assert salary_cues(texts).to_pylist() == [False, False, False, False, False]
    out, counts = Redactor().redact_batch_with_counts(texts)
    assert out.to_pylist() == ["Salary negotiable", "no numbers here", None, "two: 2", "<EMAIL>"]
    assert counts["email"] == 1 and sum(counts.values()) == 1


def _salary_samples() -> list[str]:
    """Texts with every currency sign and code, before and after amounts, in odd places."""
    currencies = ["$", "€", "£", "¥", "₹", "zł", "US$", "CA$", "C$", "HK$", "AU$", "A$",
                  "NZ$", "R$", "SFr.", "SFr", "Fr.", "zl", "złotych", "Kč", "kr", "Ft",
                  "lei", "euros", "EUROS", "dollars", "pounds", "francs", "livres",
                  "sterling", "TEUR", "kEUR", "KEUR",
                  *P._CUR_CODES.split("|")]
    amounts = ["65,000", "55 000", "72.000", "120'000", "49.99", "65", "65k", "1.2 Mio",
               "80-90k", "50 000 à 60 000", "4 500 tys.", "٣٥٠٠٠"]
    texts = []
    for c in currencies:
        for a in amounts:
            texts += [f"Salary {c}{a} per year", f"pay: {a} {c}.", f"x{c} {a}{c}y",
                      f"({c}{a}–{a}{c})", f"{a}{c}", f"{c}{a}"]
    return texts


def test_salary_first_character_guard_finds_what_the_body_finds():
    """SALARY checks the first character before the alternation: the same matches as the
    pattern without that check."""
    body = re.compile(P._SALARY_BODY)
    samples = _salary_samples()
    found = 0
    for text in samples:
        expected = [m.span() for m in body.finditer(text)]
        assert [m.span() for m in P.SALARY.finditer(text)] == expected, text
        found += len(expected)
    assert found > len(samples) // 2  # the samples do hold amounts


def test_salary_first_character_guard_covers_every_first_character():
    """Any character a candidate can start with is in SALARY_FIRST: tried at every
    position of every sample, the body never matches from a character outside it."""
    body = re.compile(P._SALARY_BODY)
    first = re.compile(P.SALARY_FIRST)
    for text in _salary_samples():
        for pos in range(len(text)):
            if body.match(text, pos):
                assert first.match(text, pos), (text, pos)
