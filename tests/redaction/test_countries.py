"""Every country's phone numbers and national identifiers, with values from the libraries
(libphonenumber's example numbers, python-stdnum's documented examples), not written here:
valid ones are found with a cue word before or after them, invalid ones are kept."""

from __future__ import annotations

import importlib
import re

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat as F
from phonenumbers import PhoneNumberType as T

from consentgate.redaction import Redactor
from consentgate.redaction.ids import SPECS
from consentgate.redaction.phones import named_regions

R = Redactor()


def _examples(region: str) -> list[phonenumbers.PhoneNumber]:
    out = []
    for kind in (T.MOBILE, T.FIXED_LINE):
        ex = phonenumbers.example_number_for_type(region, kind)
        if ex is not None:
            out.append(ex)
    return out


def _classes_at(text: str, value: str) -> set[str]:
    start = text.index(value)
    return {f.cls for f in R.find(text) if f.start <= start and start + len(value) <= f.end}


@pytest.mark.parametrize("region", named_regions())
def test_every_named_country_phone_found(region: str) -> None:
    exs = _examples(region)
    assert exs, region
    for ex in exs:
        for fmt in (F.INTERNATIONAL, F.E164, F.NATIONAL):
            value = phonenumbers.format_number(ex, fmt)
            before = f"Tel.: {value}"
            after = f"{value} is my phone number"
            assert "phone" in _classes_at(before, value), (region, before, R.find(before))
            assert "phone" in _classes_at(after, value), (region, after, R.find(after))
        intl = phonenumbers.format_number(ex, F.INTERNATIONAL)
        plain = f"See you there, {intl} if anything changes"
        assert "phone" in _classes_at(plain, intl), (region, plain)


@pytest.mark.parametrize("region", named_regions())
def test_invalid_phone_numbers_are_kept(region: str) -> None:
    bad = phonenumbers.invalid_example_number(region)
    if bad is None:
        pytest.skip(f"libphonenumber has no invalid example for {region}")
    value = phonenumbers.format_number(bad, F.INTERNATIONAL)
    assert not phonenumbers.is_valid_number(bad)
    text = f"Reference {value} in the archive"
    assert "phone" not in _classes_at(text, value), (region, text, R.find(text))


_VALIDATE = re.compile(r">>> validate\('([^']+)'\)\n'")


def _documented(validator: str) -> list[str]:
    """python-stdnum's own examples of valid numbers (its doctests)."""
    mod = importlib.import_module("stdnum." + validator.removeprefix("stdnum:"))
    return _VALIDATE.findall(mod.__doc__ or "")


def _faker(locale: str, method: str, n: int = 6) -> list[str]:
    """Numbers Faker generates (its check-digit code is not ours)."""
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(7)
    return [str(getattr(fake, method)()) for _ in range(n)]


_OURS = {
    "nino": ["AB 12 34 56 C", "JG103759A"],
    "hkid": ["A123456(3)", "AB987654(3)"],
    # Faker writes a remainder of 10 as two digits (a number never issued): left out
    "hu_personal": [v for v in _faker("hu_HU", "ssn", 10) if len(v) == 11],
    "de_rvnr": _faker("de_DE", "rvnr"),
    "es_nuss": _faker("es_ES", "nuss"),
    "cn_ric": _documented("stdnum:cn.ric") + _faker("zh_CN", "ssn"),
}


def _values(spec) -> list[str]:
    if spec.validator in _OURS:
        return _OURS[spec.validator]
    return _documented(spec.validator)


def _written(spec, value: str) -> bool:
    """Is ``value`` written in one of the spec's shapes?"""
    lead = spec.lead or ""
    return any(re.fullmatch(f"(?:{lead}){shape}", value) for shape in spec.shapes)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.country}-{s.validator}")
def test_every_national_id_found_with_a_cue_on_either_side(spec) -> None:
    values = [v for v in _values(spec) if _written(spec, v)]
    if not values:
        pytest.skip(f"no documented example of {spec.name} in the shapes listed")
    cue = _cue(spec)
    for value in values:
        for text in (f"My {cue}: {value}.", f"{value} – that is my {cue}."):
            assert "national_id" in _classes_at(text, value), (spec.name, text, R.find(text))


def _cue(spec) -> str:
    """The first of the identifier's names that is a plain word (cues may be patterns)."""
    plain = [c for c in spec.cues if re.fullmatch(r"[^\\()\[\]?*+|{}]+", c)]
    return plain[0] if plain else "ID number"


def _broken(value: str) -> str:
    """The value with its last digit changed (its checksum no longer holds)."""
    i = max(i for i, c in enumerate(value) if c.isdigit())
    return value[:i] + str((int(value[i]) + 1) % 10) + value[i + 1 :]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.country}-{s.validator}")
def test_national_ids_failing_their_check_are_kept(spec) -> None:
    from consentgate.redaction.ids import valid

    values = [v for v in _values(spec) if _written(spec, v)]
    broken = [b for b in map(_broken, values) if not any(valid(s.validator, b) for s in SPECS)]
    if not broken:
        pytest.skip("no broken example fails every validator")
    cue = _cue(spec)
    for value in broken:
        text = f"My {cue}: {value}."
        assert "national_id" not in _classes_at(text, value), (spec.name, text, R.find(text))
