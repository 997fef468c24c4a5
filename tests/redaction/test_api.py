"""The public API: placeholders, offsets, class selection, batches, counts, pickling."""

from __future__ import annotations

import itertools
import pickle
from collections import Counter

import pyarrow as pa
import pytest

from consentgate.policy.model import REDACTION_CLASSES
from consentgate.redaction import CLASSES, PLACEHOLDERS, Finding, Redactor
from tests.redaction.corpus import CORPUS

TEXT = (
    "Mail jo@example.org or call +33 6 12 34 56 78; IBAN DE89 3704 0044 0532 0130 00, "
    "card 4111 1111 1111 1111, SSN 536-90-4399. Salary: €65,000 per year. Costs €49."
)


def test_classes_are_the_policys() -> None:
    assert CLASSES == REDACTION_CLASSES
    assert set(PLACEHOLDERS) == set(CLASSES)


def test_redact_replaces_each_value_with_its_placeholder() -> None:
    assert Redactor().redact(TEXT) == (
        "Mail <EMAIL> or call <PHONE>; IBAN <IBAN>, card <CARD>, SSN <NATIONAL_ID>. "
        "Salary: <SALARY> per year. Costs €49."
    )


def test_find_offsets_and_order() -> None:
    found = Redactor().find(TEXT)
    assert [f.cls for f in found] == ["email", "phone", "iban", "card", "national_id", "salary"]
    for f in found:
        assert isinstance(f, Finding)
        assert TEXT[f.start : f.end] == f.value
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_class_selection() -> None:
    r = Redactor(classes=("email", "salary"))
    assert r.redact(TEXT) == (
        "Mail <EMAIL> or call +33 6 12 34 56 78; IBAN DE89 3704 0044 0532 0130 00, "
        "card 4111 1111 1111 1111, SSN 536-90-4399. Salary: <SALARY> per year. Costs €49."
    )
    assert {f.cls for f in r.find(TEXT)} == {"email", "salary"}
    with pytest.raises(ValueError, match="unknown redaction classes"):
        Redactor(classes=("email", "passport"))


def test_texts_without_values_are_returned_unchanged() -> None:
    r = Redactor()
    for text in ["", "Hello world", "Meeting on 2025-11-03 at 14:30", "v2.3.1 is out"]:
        assert r.redact(text) is text
        assert r.find(text) == []


def test_deterministic_and_idempotent_on_the_corpus() -> None:
    r = Redactor()
    for text, _, _ in CORPUS:
        once = r.redact(text)
        assert r.redact(text) == once
        assert r.redact(once) == once, (text, once)
        assert r.find(once) == []


def test_batch_keeps_nulls_and_type() -> None:
    r = Redactor()
    texts = [TEXT, None, "nothing here", "", "ping +44 20 7946 0958", None]
    for typ in (pa.string(), pa.large_string()):
        out = r.redact_batch(pa.array(texts, type=typ))
        assert out.type == typ
        assert out.to_pylist() == [
            r.redact(TEXT), None, "nothing here", "", "ping <PHONE>", None,
        ]
    # a list and a chunked array work too
    assert r.redact_batch(texts).to_pylist() == out.to_pylist()
    chunked = pa.chunked_array([pa.array(texts[:3]), pa.array(texts[3:])])
    assert r.redact_batch(chunked).to_pylist() == out.to_pylist()
    assert r.redact_batch(pa.array([], type=pa.string())).to_pylist() == []
    assert r.redact_batch(pa.array([None, None])).to_pylist() == [None, None]


def test_batch_counts() -> None:
    r = Redactor()
    texts = pa.array([TEXT, None, "a@b.org and c@d.org", "nothing"])
    _, counts = r.redact_batch_with_counts(texts)
    assert counts == {
        "email": 3, "phone": 1, "iban": 1, "card": 1, "national_id": 1, "salary": 1,
    }
    assert r.counts_batch(texts) == counts
    running: Counter = Counter()
    r.redact_batch(texts, running)
    r.redact_batch(texts, running)
    assert running["email"] == 6
    only = Redactor(classes=["email"])
    assert only.redact_batch_with_counts(texts)[1] == {"email": 3}


def test_batch_agrees_with_one_at_a_time() -> None:
    r = Redactor()
    texts = [text for text, _, _ in CORPUS] + [TEXT, "Salary talk: $1 is not a salary"]
    batch = r.redact_batch(pa.array(texts)).to_pylist()
    assert batch == [r.redact(t) for t in texts]
    assert r.find_batch(pa.array(texts)) == [r.find(t) for t in texts]


def test_pickle_and_equality() -> None:
    r = Redactor(classes=("phone", "email"))
    clone = pickle.loads(pickle.dumps(r))
    assert clone == r and hash(clone) == hash(r)
    assert clone.classes == ("phone", "email")
    assert clone.redact(TEXT) == r.redact(TEXT)
    assert len(pickle.dumps(r)) < 200  # no compiled patterns or caches travel
    assert Redactor() != r


def test_no_classes_changes_nothing() -> None:
    r = Redactor(classes=[])
    texts = pa.array([TEXT, None, "a@b.org"])
    assert r.redact(TEXT) == TEXT and r.find(TEXT) == []
    assert r.redact_batch(texts) is texts
    assert r.redact_changes(texts) == ([], [], Counter())


def test_a_subset_finds_what_all_classes_find_of_it() -> None:
    """Skipping salaries (or any class) leaves the other classes' findings as they are."""
    texts = [text for text, _, _ in CORPUS] + [TEXT]
    everything = Redactor().find_batch(pa.array(texts))
    for classes in (("email", "phone", "iban", "card", "national_id"), ("phone",),
                    ("salary",), ("card", "salary")):
        subset = Redactor(classes=classes)
        want = [[f for f in found if f.cls in classes] for found in everything]
        assert subset.find_batch(pa.array(texts)) == want, classes
        assert [subset.find(t) for t in texts] == want, classes


def test_redact_changes_is_what_redact_batch_changes() -> None:
    r = Redactor()
    texts = pa.array([TEXT, None, "nothing", "a@b.org and c@d.org", ""])
    positions, values, counts = r.redact_changes(texts)
    assert positions == [0, 3]
    assert values == [r.redact(TEXT), "<EMAIL> and <EMAIL>"]
    assert counts == Counter(r.redact_batch_with_counts(texts)[1])


def test_gate_then_redact_gated_is_redact_changes() -> None:
    """The two halves the build runs in different processes give what one call gives."""
    texts = pa.array([t for t, _, _ in CORPUS] + [TEXT, None, "nothing", ""])
    for classes in (None, ("email", "phone"), ("salary",), ()):
        r = Redactor(classes=classes)
        rows, salary = r.gate(texts)
        assert len(rows) == len(salary) <= len(texts)
        changed, values, counts = r.redact_gated(texts.take(rows), salary)
        want = r.redact_changes(texts)
        assert ([rows[i].as_py() for i in changed], values, counts) == want, classes
        # rows the gate leaves out never change
        left_out = set(range(len(texts))) - set(rows.to_pylist())
        assert not left_out & set(want[0])
    assert len(Redactor(classes=()).gate(texts)[0]) == 0


def test_a_gate_over_mostly_nulls_gates_the_texts_alone() -> None:
    """An incremental build hands the gate batches whose reused rows are nulls; it then
    gates only the texts, and must let through the rows a gate of each text would."""
    import random

    rng = random.Random(5)
    texts = [t for t, _, _ in CORPUS] + [TEXT, "nothing", "", "salaire 4 500 € brut"]
    for share in (0.1, 0.3, 0.75, 0.95, 1.0):  # 0.1: the plain path, with some nulls
        mixed = [None if rng.random() < share else rng.choice(texts) for _ in range(400)]
        for classes in (None, ("email", "phone"), ("salary",)):
            r = Redactor(classes=classes)
            rows, salary = r.gate(pa.array(mixed, pa.string()))
            want_rows, want_salary = [], []
            for i, t in enumerate(mixed):
                if t is None:
                    continue
                one_rows, one_salary = r.gate(pa.array([t]))
                if len(one_rows):
                    want_rows.append(i)
                    want_salary.append(one_salary[0].as_py())
            assert rows.to_pylist() == want_rows, (share, classes)
            assert salary.to_pylist() == want_salary, (share, classes)
