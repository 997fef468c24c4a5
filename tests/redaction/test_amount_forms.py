"""Every pay-amount form of the independent corpus (each language's money forms, filled by
Babel in each country's locale and currency: "87 mila euro", "CHF 120'000.–", "4,8 tys.
zł", "1,2万元") is one salary candidate, whole. The forms are the corpus's shared data, not
its test sentences; whether a candidate is pay is the cue words' business, tested
elsewhere."""

from __future__ import annotations

import random
import sys
import tomllib
from pathlib import Path

import pytest
from babel import Locale
from babel.core import UnknownLocaleError

from consentgate.redaction import patterns as P

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import independent.money as money  # noqa: E402

SENTENCES = ROOT / "benchmarks" / "independent" / "sentences"
COUNTRIES = tomllib.loads((ROOT / "benchmarks/independent/countries.toml").read_text("utf-8"))


def _cases() -> list[tuple[str, str, str, str]]:
    out = []
    for cc, spec in COUNTRIES.items():
        for lang_file in spec["langs"]:
            sent = tomllib.loads((SENTENCES / f"{lang_file}.toml").read_text("utf-8"))
            name = spec.get("babel", {}).get(lang_file, f"{sent['lang']}_{cc}")
            try:
                Locale.parse(name)
            except (UnknownLocaleError, ValueError):
                name = sent["lang"]
            for currency in spec["currencies"]:
                for form in sent.get("money", {}).get(currency, ["{cur0}", "{cur}"]):
                    out.append((cc, name, currency, form))
    return out


CASES = _cases()


def test_the_corpus_has_many_forms() -> None:
    assert len(CASES) > 300


@pytest.mark.parametrize(("country", "locale", "currency", "form"), CASES,
                         ids=lambda v: str(v))
def test_every_amount_form_is_one_candidate(country, locale, currency, form) -> None:
    rng = random.Random(f"{country}{locale}{currency}{form}")
    for period in ("m", "y"):
        for _ in range(3):
            text, _ = money.salary(rng, currency, locale, [form], period)
            spans = [m.span() for m in P.SALARY.finditer(text)]
            assert (0, len(text)) in spans, (text, spans)
