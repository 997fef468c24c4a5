"""The extra recognizers' scanner: cues, validators, overlaps, merging, the RE2 row gate."""

from __future__ import annotations

import functools
import itertools
import pickle
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consentgate.policy import parse_policy
from consentgate.policy.model import Recognizer
from consentgate.redaction import PLACEHOLDERS, Finding, Redactor
from consentgate.redaction.custom import NEVER, CustomScanner, apply, check_pattern, to_re2
from consentgate.redaction.named_validators import get_validator, validator_names
from tests.policy.recognizers import RECOGNIZERS, policy_text


def rec(**fields: object) -> Recognizer:
    base: dict[str, object] = {"name": "r", "class": "national_id"}
    return Recognizer.model_validate({**base, **fields})


EMP = r"\bEMP-\d{6}\b"


def values(scanner: CustomScanner, text: str, taken: list[tuple[int, int]] | None = None) -> list[str]:
    found = scanner.find(text, taken or [])
    assert all(text[f.start : f.end] == f.value for f in found)
    return [f.value for f in found]


def redact(text: str, findings: list[Finding]) -> str:
    out, pos = [], 0
    for f in findings:
        out += [text[pos : f.start], PLACEHOLDERS[f.cls]]
        pos = f.end
    return "".join([*out, text[pos:]])


# -- cues -------------------------------------------------------------------------------------
def test_cue_before_after_either() -> None:
    before = CustomScanner([rec(pattern=EMP, cues=["employee"], cue_side="before")])
    after = CustomScanner([rec(pattern=EMP, cues=["employee"], cue_side="after")])
    either = CustomScanner([rec(pattern=EMP, cues=["employee"])])
    text_before = "Employee EMP-123456 joined"
    text_after = "EMP-123456 is our new employee"
    assert values(before, text_before) == ["EMP-123456"] and values(before, text_after) == []
    assert values(after, text_after) == ["EMP-123456"] and values(after, text_before) == []
    assert values(either, text_before) == values(either, text_after) == ["EMP-123456"]
    assert values(either, "Order EMP-123456 shipped") == []


def test_cue_words_are_whole_words_in_any_case() -> None:
    s = CustomScanner([rec(pattern=EMP, cues=["employee", "staff number"])])
    assert values(s, "EMPLOYEE: EMP-123456") == ["EMP-123456"]
    assert values(s, "Staff\n number EMP-123456") == ["EMP-123456"]
    assert values(s, "employees EMP-123456") == []  # not the word
    assert values(s, "ex-employee's EMP-123456") == ["EMP-123456"]  # a word within punctuation
    assert values(s, "myemployee EMP-123456") == []


def test_cue_window_counts_characters_and_the_whole_cue() -> None:
    s = CustomScanner([rec(pattern=EMP, cues=["employee"], cue_window=12, cue_side="before")])
    # the cue starts 12 characters before the value: in; 13: out
    assert values(s, "employee    EMP-123456") == ["EMP-123456"]
    assert values(s, "employee     EMP-123456") == []
    s = CustomScanner([rec(pattern=EMP, cues=["employee"], cue_window=12, cue_side="after")])
    assert values(s, "EMP-123456    employee") == ["EMP-123456"]
    assert values(s, "EMP-123456     employee") == []


def test_cue_not_required_keeps_every_match() -> None:
    s = CustomScanner([rec(pattern=EMP, cues=["employee"], cue_required=False)])
    assert values(s, "Order EMP-123456") == ["EMP-123456"]
    assert values(CustomScanner([rec(pattern=EMP)]), "Order EMP-123456") == ["EMP-123456"]


def test_findings_and_placeholders_count_as_one_character_and_hold_no_cue() -> None:
    s = CustomScanner([rec(pattern=r"\b\d{6}\b", cues=["phone"], cue_window=12, cue_side="before")])
    # the placeholder <PHONE> is no cue word "phone"
    assert values(s, "Call <PHONE> 123456") == []
    # a built-in finding between the cue and the value counts as one character
    text = "phone: +41 44 668 18 00 / 123456"
    start = text.index("+41")
    assert values(s, text) == []
    assert values(s, text, [(start, start + len("+41 44 668 18 00"))]) == ["123456"]


def test_a_kept_value_brings_the_next_ones_cue_nearer() -> None:
    s = CustomScanner([rec(pattern=EMP, cues=["employees"], cue_window=25, cue_side="before")])
    text = "employees EMP-123456, EMP-234567, EMP-345678"
    assert values(s, text) == ["EMP-123456", "EMP-234567", "EMP-345678"]
    # and redacting the redacted text changes nothing
    once = redact(text, s.find(text))
    assert once == "employees <NATIONAL_ID>, <NATIONAL_ID>, <NATIONAL_ID>"
    assert s.find(once) == []


# -- validators -------------------------------------------------------------------------------
def test_validators_reject_invalid_values() -> None:
    cases = {
        "luhn": ("4111 1111 1111 1111", "4111 1111 1111 1112"),
        "iban": ("DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 01"),
        "email": ("jo.doe@example.org", "jo..doe@example"),
        "stdnum:ch.ssn": ("756.1234.5678.97", "756.1234.5678.98"),
        "stdnum:be.nn": ("85.07.30-033.28", "85.07.30-033.29"),
        "stdnum:fr.nir": ("2 95 10 99 126 111 93", "2 95 10 99 126 111 94"),
    }
    for name, (good, bad) in cases.items():
        check = get_validator(name)
        assert check(good), name
        assert not check(bad), name
        assert not check(""), name
    phone_ch = get_validator("phone", ["CH"])
    assert phone_ch("044 668 18 00") and phone_ch("+41 44 668 18 00")
    assert not phone_ch("+33 6 12 34 56 78")  # valid, but French
    assert not phone_ch("044 668 18")
    anywhere = get_validator("phone")
    assert anywhere("+33 6 12 34 56 78") and not anywhere("06 12 34 56 78")


def test_validator_names_and_unknown_names() -> None:
    assert validator_names() == ("luhn", "iban", "phone", "email", "stdnum:<module>")
    with pytest.raises(ValueError, match=r"unknown validator 'mod97'.*'luhn', 'iban'"):
        get_validator("mod97")
    with pytest.raises(ValueError, match="not region codes"):
        get_validator("phone", ["XX"])


def test_scanner_uses_the_validator_and_tries_again_after_a_refused_match() -> None:
    s = CustomScanner([rec(pattern=r"\d{4}(?: ?\d{4}){3}", validator="luhn", **{"class": "card"})])
    # the first 16 digits fail the checksum; the 16 from the second digit on pass
    assert values(s, "no 4111 1111 1111 1111 2") == ["4111 1111 1111 1111"]
    assert values(s, "no 54111111111111111") == ["4111111111111111"]
    assert values(s, "no 4111 1111 1111 1112") == []


# -- overlaps and order -----------------------------------------------------------------------
def test_taken_spans_and_file_order() -> None:
    first = rec(name="staff", pattern=r"\bEMP-\d{6}\b")
    second = rec(name="digits", pattern=r"\d{3,}", **{"class": "salary"})
    s = CustomScanner([first, second])
    text = "EMP-123456 and 777"
    found = s.find(text)
    assert [(f.cls, f.value) for f in found] == [("national_id", "EMP-123456"), ("salary", "777")]
    # a span already taken by the built-in scan is left alone
    assert values(s, text, [(0, 10)]) == ["777"]
    # the other order: the digits recognizer wins where both match
    s = CustomScanner([second, first])
    assert [(f.cls, f.value) for f in s.find(text)] == [("salary", "123456"), ("salary", "777")]


def test_apply_merges_with_the_built_in_findings() -> None:
    policy = parse_policy(policy_text(RECOGNIZERS).encode())
    scanner = CustomScanner(policy.redaction.recognizers)
    text = (
        "Mail jo@example.org, employee EMP-123456, AHV 756.1234.5678.97, "
        "card 4111 1111 1111 1111."
    )
    builtin = Redactor().find(text)
    merged = apply(text, builtin, scanner)
    assert [(f.cls, f.value) for f in merged] == [
        ("email", "jo@example.org"),
        ("national_id", "EMP-123456"),
        ("national_id", "756.1234.5678.97"),
        ("card", "4111 1111 1111 1111"),
    ]
    assert all(a.end <= b.start for a, b in itertools.pairwise(merged))
    assert set(builtin) <= set(merged)
    assert apply(text, builtin, None) == builtin == apply(text, builtin, CustomScanner([]))
    # what the built-in scan found is never replaced by an extra recognizer's value
    grabby = CustomScanner([rec(pattern=r"\S+@\S+", **{"class": "phone"})])
    assert apply(text, builtin, grabby) == builtin
    once = redact(text, merged)
    assert apply(once, Redactor().find(once), scanner) == []


# -- pickling ---------------------------------------------------------------------------------
def _find_in_worker(scanner: CustomScanner, text: str) -> list[str]:
    return [f.value for f in scanner.find(text)]


def test_scanner_pickles_and_compiles_in_each_process() -> None:
    policy = parse_policy(policy_text(RECOGNIZERS).encode())
    scanner = CustomScanner(policy.redaction.recognizers)
    assert pickle.loads(pickle.dumps(scanner)) == scanner
    text = "employee EMP-123456, AHV 756.1234.5678.97"
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        assert pool.submit(_find_in_worker, scanner, text).result() == [
            "EMP-123456", "756.1234.5678.97",
        ]


def test_scanner_takes_plain_mappings_and_is_empty_without_recognizers() -> None:
    s = CustomScanner([{"name": "emp", "class": "national_id", "pattern": EMP}])
    assert s and values(s, "EMP-123456") == ["EMP-123456"]
    empty = CustomScanner()
    assert not empty and empty.find("EMP-123456") == [] and empty.gate_re2() == NEVER
    assert pc.match_substring_regex(pa.array(["", "x", "\U0010ffff"]), NEVER).to_pylist() == [
        False, False, False,
    ]


# -- patterns ---------------------------------------------------------------------------------
def test_check_pattern() -> None:
    assert check_pattern(EMP).pattern == EMP
    for bad, words in (("(a+)+", "nested"), ("a{2}|", "empty"), ("[", "position 0"),
                       ("a{4294967296}", "too large")):
        with pytest.raises(ValueError, match=words):
            check_pattern(bad)


# -- the RE2 gate -----------------------------------------------------------------------------
@functools.cache
def _all_chars() -> tuple[list[str], pa.Array]:
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    return chars, pa.array(chars, pa.string())


CHAR_PATTERNS = [
    r"\d", r"\D", r"\w", r"\W", r"\s", r"\S", r".", r"(?s).", r"[^\W\d_]", r"[\w-]", r"[^\s]",
    r"(?i)k", r"(?i)[a-z]", r"(?i)[^a-z]", r"(?i)ß", r"(?i:s)", r"[^a]", r"(?i)[^\d]",
    r"[\x00-\x1f]", r"[^\x00-\x7f]", r"\_", r"[\-\]\\^]", r"(?a)\w", r"(?x) \# ",
]


@pytest.mark.parametrize("pattern", CHAR_PATTERNS)
def test_gate_matches_every_character_the_pattern_matches(pattern: str) -> None:
    chars, array = _all_chars()
    gate = to_re2(pattern)
    assert gate is not None
    match = re.compile(pattern).match
    hits = pc.match_substring_regex(array, gate).to_numpy(zero_copy_only=False)
    missed = [hex(ord(c)) for c, hit in zip(chars, hits, strict=True) if not hit and match(c)]
    assert missed == []


def test_gate_of_a_scanner() -> None:
    policy = parse_policy(policy_text(RECOGNIZERS).encode())
    scanner = CustomScanner(policy.redaction.recognizers)
    gate = scanner.gate_re2()
    assert gate is not None
    texts = ["employee EMP-123456", "AHV 756.1234.5678.97", "nothing here", "EMP-12345", None]
    assert pc.match_substring_regex(pa.array(texts), gate).to_pylist() == [
        True, True, False, False, None,
    ]
    # lookarounds and back-references have no RE2 form: the gate drops or widens them
    odd = CustomScanner([rec(pattern=r"(?<!\d)(\d)\1{3}(?!\d)"), rec(name="s", pattern=r"(?>a+)b")])
    gate = odd.gate_re2()
    assert gate is not None
    assert pc.match_substring_regex(pa.array(["x 7777 y", "aab", "ab", "a b"]), gate).to_pylist() == [
        True, True, True, False,
    ]


def test_no_gate_when_re2_cannot_take_it() -> None:
    # RE2 caps repetition counts: a pattern past them gets no gate (every row is scanned)
    s = CustomScanner([rec(pattern=r"(?:ab{1000}){1000}")])
    assert s.gate_re2() is None
    assert to_re2(r"(?:ab{1000}){1000}") is None


GATE_PATTERNS = [
    EMP,
    r"(?i)\bstaff[ -]?id:?\s*[A-Z]{2}\d{4,6}\b",
    r"(?<![\w.])\d{3}[.\- ]?\d{3}(?:[.\- ]?\d{2})?(?!\d)",
    r"(\w)\1+x",
    r"(a)?(?(1)b|c)d",
    r"[^\W\d]{2,}\.\d+",
    r"x(?=y)|(?<=z)w",
    r"(?m)^id\s\d+$",
    r"\d{2,}?\D",
]
ALPHABET = "aAbBcdxyzwEMPstafSTAFiIdD0123456789 .-_:\n\t\u00a0\u0663\u00df\u212a\u017fé"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(ALPHABET, max_size=30), min_size=1, max_size=20))
def test_gate_is_a_superset_of_the_patterns(texts: list[str]) -> None:
    for pattern in GATE_PATTERNS:
        gate = to_re2(pattern)
        assert gate is not None, pattern
        hits = pc.match_substring_regex(pa.array(texts, pa.string()), gate).to_pylist()
        rx = re.compile(pattern)
        for text, hit in zip(texts, hits, strict=True):
            assert hit or not rx.search(text), (pattern, text, gate)
