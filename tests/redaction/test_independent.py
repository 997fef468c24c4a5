"""The independent corpus builder (benchmarks/independent) on a few countries: entries are
well-formed, Faker's values are valid ones, dev and test share no template and no value, the
build is deterministic, and the sentence files use only known placeholders. No recall is
asserted here: this checks the corpus, not the redactor."""

from __future__ import annotations

import importlib
import itertools
import re
import string
import sys
from pathlib import Path

import phonenumbers
import pytest
from stdnum import iban, luhn

from consentgate.redaction import CLASSES
from consentgate.redaction.evaluate import parse_entry

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import independent.build_corpus as bc  # noqa: E402

COUNTRIES = ["PL", "DE", "CH", "GB", "US", "JP", "HK", "BR"]
FILLERS = {"price", "rent", "fee", "ean", "isbn", "order", "invoice", "tracking", "date",
           "time", "version", "pct", "year", "big", "n", "km", "postcode", "fakephone", "code"}
KNOWN = FILLERS | set(bc.VALUE_FIELDS) | {"idname"}


@pytest.fixture(scope="module")
def corpus() -> tuple[dict, object, bc.Data]:
    data = bc.Data.load()
    splits, drops = bc.build(0.5, offline=True, data=data, countries=COUNTRIES)
    return splits, drops, data


def test_sizes(corpus) -> None:
    splits, drops, _ = corpus
    for split in bc.SPLITS:
        entries = splits[split]
        labelled = [e for e in entries if not e["neutral"]]
        assert 200 <= len(labelled) <= 2_000
        assert sum(e["neutral"] for e in entries) >= 100
        assert {e["country"] for e in labelled} == set(COUNTRIES)
        assert {s["label"] for e in labelled for s in e["spans"]} == set(CLASSES)
    assert drops.totals()["national_id"]["drawn"] > 0


def test_entries_are_well_formed(corpus) -> None:
    splits, _, _ = corpus
    ids = set()
    for split, entries in splits.items():
        for n, e in enumerate(entries, start=1):
            entry = parse_entry(e, n)  # raises on spans outside the text, unknown labels
            assert e["split"] == split and e["id"] not in ids
            ids.add(e["id"])
            assert entry.neutral == (not e["spans"])
            ends = sorted((s["start"], s["end"]) for s in e["spans"])
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(ends)), e["id"]
            for s in e["spans"]:
                value = e["text"][s["start"]:s["end"]]
                assert value == value.strip() and value


def test_faker_values_are_valid(corpus) -> None:
    splits, _, data = corpus
    kinds = {(c, spec["kind"]): spec for c, specs in data.ids.items() for spec in specs}
    checked = 0
    for e in splits["dev"] + splits["test"]:
        for s in e["spans"]:
            value, label, form = e["text"][s["start"]:s["end"]], s["label"], s["form"]
            if label == "phone":
                number = re.sub(r"\s+\S*\s*\d+$", "", value) if form.endswith("+ext") else value
                parsed = phonenumbers.parse(number, e["country"])
                assert phonenumbers.is_valid_number_for_region(parsed, e["country"]), value
            elif label == "iban":
                assert iban.is_valid(value) and value.startswith(e["country"]), value
            elif label == "card":
                assert luhn.is_valid(value.replace(" ", "").replace("-", "")), value
            elif label == "national_id":
                spec = kinds[(e["country"], e["kind"])]
                if spec.get("stdnum"):
                    module = importlib.import_module(f"stdnum.{spec['stdnum']}")
                    assert module.is_valid(value), (e["kind"], value)
            elif label == "email":
                if form == "plain":
                    user, _, domain = value.partition("@")
                    assert user and "." in domain, value
                else:
                    assert form == "obfuscated" and "@" not in value, value
            else:
                assert any(ch.isdigit() for ch in value), value
            checked += 1
    assert checked > 500


def test_splits_share_no_template_and_no_value(corpus) -> None:
    splits, _, _ = corpus

    def templates(split: str) -> set[str]:
        return {e["template"] for e in splits[split] if "template" in e}

    def values(split: str) -> set[str]:
        return {e["text"][s["start"]:s["end"]] for e in splits[split] for s in e["spans"]}

    assert templates("dev") and not templates("dev") & templates("test")
    assert not values("dev") & values("test")
    dev_lines = {e["text"] for e in splits["dev"] if e["source"].startswith(("gettext", "doc"))}
    test_lines = {e["text"] for e in splits["test"] if e["source"].startswith(("gettext", "doc"))}
    assert not dev_lines & test_lines


def test_offline_neutral_lines_are_clean(corpus) -> None:
    splits, _, _ = corpus
    offline = [e for split in splits.values() for e in split
               if e["source"].startswith(("gettext:", "doc:"))]
    if not offline:
        pytest.skip("no gettext catalogs or documentation on this machine")
    for e in offline:
        assert e["neutral"] and not e["spans"]
        assert "@" not in e["text"] and "http://" not in e["text"].lower()
        assert "https://" not in e["text"].lower()
        assert any(ch.isdigit() for ch in e["text"])


def test_deterministic() -> None:
    one, _ = bc.build(0.2, offline=False, countries=["PL", "FR"])
    two, _ = bc.build(0.2, offline=False, countries=["PL", "FR"])
    assert one == two


def test_sentence_files_use_known_placeholders() -> None:
    data = bc.Data.load()
    for code, country in data.countries.items():
        for lf in country["langs"]:
            assert lf in data.sentences, (code, lf)
            for split in bc.SPLITS:
                assert lf in data.templates[split], (split, code, lf)
    for name, shared in data.sentences.items():
        assert isinstance(shared["lang"], str)
        assert set(shared) <= {"lang", "words", "money"}, name
    for split, files in data.templates.items():
        for name, sections in files.items():
            for section, cues in sections.items():
                assert section in (*bc.LABELLED, "mixed", "neutral"), (split, name, section)
                for cue, templates in cues.items():
                    assert templates, (split, name, section, cue)
                    for t in templates:
                        fields = {f for _, f, _, _ in string.Formatter().parse(t) if f is not None}
                        assert fields <= KNOWN, (name, t, fields - KNOWN)
                        if section == "neutral":
                            assert not fields & set(bc.VALUE_FIELDS), (name, t)
                        elif section in bc.LABELLED:
                            assert fields & set(bc.VALUE_FIELDS), (name, t)


def test_dev_and_test_files_share_no_sentence() -> None:
    data = bc.Data.load()

    def sentences(split: str) -> set[str]:
        return {t for sections in data.templates[split].values() for cues in sections.values()
                for ts in cues.values() for t in ts}

    assert sentences("dev") and sentences("test")
    assert not sentences("dev") & sentences("test")
    for name, sections in data.templates["dev"].items():  # the same sections and cues
        other = data.templates["test"][name]
        assert {(s, c) for s in sections for c in sections[s]} == {
            (s, c) for s in other for c in other[s]}, name


def test_dev_alone_reads_no_test_file() -> None:
    data = bc.Data.load(splits=("dev",))
    assert set(data.templates) == {"dev"}
    splits, _ = bc.build(0.1, offline=False, countries=["SE"], splits=("dev",))
    assert set(splits) == {"dev"}
    both, _ = bc.build(0.1, offline=False, countries=["SE"])
    assert splits["dev"] == both["dev"]


def test_new_dev_sentences_leave_test_as_it_was() -> None:
    """Each labelled value belongs to one split by its hash, so test's draws never depend
    on dev's: a dev half with sentences taken out (or added) gives the same test split."""
    import copy

    data = bc.Data.load()
    fewer = copy.deepcopy(data)
    for sections in fewer.templates["dev"].values():
        for cues in sections.values():
            for cue, lines in cues.items():
                if isinstance(lines, list) and len(lines) > 1:
                    cues[cue] = lines[: len(lines) // 2]
    countries = ["PL", "DE", "CH", "JP"]
    one, _ = bc.build(0.3, offline=False, data=data, countries=countries)
    two, _ = bc.build(0.3, offline=False, data=fewer, countries=countries)
    assert one["dev"] != two["dev"]  # the dev halves did differ
    assert one["test"] == two["test"]
    assert {bc.split_of(s_value(e, s)) for e in one["test"] for s in e["spans"]} == {"test"}


def s_value(entry: dict, span: dict) -> str:
    return entry["text"][span["start"]:span["end"]]
