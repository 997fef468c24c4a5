"""redaction.evaluate: scoring on small hand-made labelled files, and clear errors (with the
line number) for files that are not well-formed."""

from __future__ import annotations

import json
from typing import NamedTuple

import pytest

from consentgate.redaction import Redactor
from consentgate.redaction.evaluate import (
    LabelledError,
    evaluate,
    parse_entry,
    read_labelled,
    score,
)


class F(NamedTuple):
    cls: str
    start: int
    end: int


TEXT_A = "Call 0612345678 or mail jo@example.com"
TEXT_B = "Pay 4000 EUR to DE89370400440532013000"
TEXT_N = "Order 123456 shipped on 2024-05-01"


def _lines() -> list[str]:
    rows = [
        {"id": "a", "country": "NL", "text": TEXT_A, "spans": [
            {"start": 5, "end": 15, "label": "phone"},
            {"start": 24, "end": 38, "label": "email"}]},
        {"id": "b", "country": "DE", "text": TEXT_B, "spans": [
            {"start": 4, "end": 12, "label": "salary"},
            {"start": 16, "end": 38, "label": "iban"}]},
        {"id": "n", "text": TEXT_N, "spans": [], "neutral": True},
    ]
    return [json.dumps(r) for r in rows]


def test_scores_hand_made_findings() -> None:
    entries = read_labelled(_lines())
    findings = [
        [F("phone", 5, 15), F("email", 24, 30)],      # email only partly covered: a miss
        [F("phone", 16, 38), F("salary", 4, 12)],     # the IBAN found as a phone
        [F("phone", 6, 12)],                          # a neutral line changed
    ]
    ev = score(entries, findings)
    c = ev.classes
    assert (c["phone"].planted, c["phone"].found, c["phone"].findings, c["phone"].correct) == (1, 1, 3, 1)
    assert (c["email"].planted, c["email"].found, c["email"].correct) == (1, 0, 1)
    assert c["email"].redacted == 0
    assert (c["iban"].planted, c["iban"].found, c["iban"].redacted) == (1, 0, 1)
    assert c["salary"].recall == 1.0 and c["salary"].precision == 1.0
    assert c["card"].recall is None and c["card"].precision is None
    assert c["phone"].precision == pytest.approx(1 / 3)
    assert (ev.neutral, ev.neutral_changed, ev.neutral_changed_rate) == (1, 1, 1.0)
    assert ev.total.planted == 4 and ev.total.found == 2
    assert ev.groups["country"]["NL"]["phone"].found == 1
    assert ev.groups["country"]["DE"]["iban"].found == 0
    assert {m.label for m in ev.misses} == {"email", "iban"}
    iban_miss = next(m for m in ev.misses if m.label == "iban")
    assert iban_miss.found_as == ("phone",) and iban_miss.value == "DE89370400440532013000"
    assert sorted(fp.value for fp in ev.false_positives) == ["123456", "DE89370400440532013000"]
    data = ev.to_dict()
    assert data["classes"]["phone"]["planted"] == 1 and data["neutral_changed"] == 1
    json.dumps(data)  # serialisable as it is


def test_adjacent_findings_of_any_class_redact_a_value() -> None:
    entries = read_labelled(_lines()[:1])
    ev = score(entries, [[F("phone", 5, 10), F("card", 10, 15)]])
    assert ev.classes["phone"].found == 0
    assert ev.classes["phone"].redacted == 1


def test_classes_the_redactor_does_not_look_for_are_ignored() -> None:
    entries = read_labelled(_lines())
    ev = score(entries, [[], [], []], classes=("phone", "email"))
    assert set(ev.classes) == {"phone", "email"}
    assert ev.ignored == 2


def test_a_real_redactor_on_a_small_file(tmp_path) -> None:
    path = tmp_path / "sample.jsonl"
    path.write_text("\n".join(_lines()) + "\n\n", encoding="utf-8")
    ev = evaluate(path, Redactor(classes=["email", "iban"]))
    assert ev.entries == 3 and ev.neutral == 1
    assert set(ev.classes) == {"email", "iban"}
    for s in ev.classes.values():
        assert s.planted == 1 and 0 <= s.found <= s.redacted <= s.planted
        assert 0 <= s.correct <= s.findings


def test_defaults_id_and_neutral() -> None:
    e = parse_entry({"text": "nothing here"}, line=7)
    assert (e.id, e.neutral, e.spans) == ("7", True, ())
    e = parse_entry({"text": "ab", "spans": [{"start": 0, "end": 2, "label": "card"}]}, 1)
    assert not e.neutral


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not JSON"),
        ('["a list"]', "line 2: expected a JSON object"),
        ('{"spans": []}', "line 2: 'text' must be a string"),
        ('{"text": "abc", "spans": {"start": 0}}', "'spans' must be a list"),
        ('{"text": "abc", "spans": [{"start": 0, "end": 9, "label": "phone"}]}',
         "line 2: span 0 [0, 9) is outside the text (length 3)"),
        ('{"text": "abc", "spans": [{"start": 2, "end": 1, "label": "phone"}]}', "outside"),
        ('{"text": "abc", "spans": [{"start": "0", "end": 1, "label": "phone"}]}',
         "start and end must be integers"),
        ('{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "name"}]}',
         "line 2: span 0: unknown label 'name'"),
        ('{"text": "abc", "spans": [{"start": 0, "end": 1, "label": "card"}], "neutral": true}',
         "a neutral entry has no spans"),
        ('{"text": "abc", "neutral": "yes"}', "'neutral' must be true or false"),
    ],
)
def test_malformed_lines_are_named(line: str, message: str) -> None:
    with pytest.raises(LabelledError) as info:
        read_labelled([json.dumps({"text": "fine"}), line])
    assert message in str(info.value)


def test_findings_must_match_the_entries() -> None:
    with pytest.raises(ValueError, match="2 lists of findings for 3 entries"):
        score(read_labelled(_lines()), [[], []])
