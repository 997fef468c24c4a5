"""The planted values are valid per the libraries a redactor would check them with; the
decoys that look like them are not."""

from __future__ import annotations

import random

import numpy as np
import phonenumbers
import pytest
from schwifty import IBAN
from stdnum import luhn

from consentgate.synth import geography
from consentgate.synth.pii import (
    NATIONAL_ID_MAKERS,
    NATIONAL_ID_VALIDATORS,
    Pools,
    break_iban,
    card_number,
    fmt_card,
    ibans,
    luhn_failing,
    nino_valid,
    phone_numbers,
    salary_values,
)


@pytest.mark.parametrize("region", geography.PHONE_REGIONS)
def test_phone_numbers_are_valid_for_their_region(region: str) -> None:
    numbers = phone_numbers(region, random.Random(1), 20)
    assert len(numbers) == 20
    for num in numbers:
        intl = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        parsed = phonenumbers.parse(intl, None)
        assert phonenumbers.is_valid_number(parsed)
        assert phonenumbers.region_code_for_number(parsed) == region


def test_national_formats() -> None:
    pools = Pools(5, 10)
    for region in geography.PHONE_NATIONAL:
        values, _ = pools.phone.pick(
            np.full(10, pools.phone.index(f"{region}:national")), np.linspace(0, 0.99, 10)
        )
        for v in values.to_pylist():
            assert not v.startswith("+")
            assert phonenumbers.is_valid_number(phonenumbers.parse(v, region)), (region, v)


@pytest.mark.parametrize("country", geography.IBAN_COUNTRIES)
def test_ibans_and_broken_ibans(country: str) -> None:
    rnd = random.Random(2)
    for iban in ibans(country, rnd, 5):
        assert iban.country_code == country
        assert iban.account_code.isdigit()
        IBAN(iban.formatted).validate(validate_bban=True)
        with pytest.raises(ValueError):
            IBAN(break_iban(str(iban), rnd))


def test_cards() -> None:
    rnd = random.Random(3)
    for brand, prefixes, length in (
        ("visa", ("4",), 16),
        ("mastercard", ("5", "2"), 16),
        ("amex", ("34", "37"), 15),
    ):
        for _ in range(50):
            number = card_number(brand, rnd)
            assert len(number) == length and number.startswith(prefixes)
            assert luhn.is_valid(number)
            assert fmt_card(number, "dashed").replace("-", "") == number
    for _ in range(200):
        fake = luhn_failing(rnd)
        assert len(fake.replace(" ", "")) == 16
        assert not luhn.is_valid(fake.replace(" ", ""))


@pytest.mark.parametrize("variant", sorted(NATIONAL_ID_MAKERS))
def test_national_ids(variant: str) -> None:
    rnd = random.Random(4)
    values = [NATIONAL_ID_MAKERS[variant](rnd) for _ in range(200)]
    valid = sum(NATIONAL_ID_VALIDATORS[variant](v) for v in values)
    assert valid >= 190, variant  # the pools keep only the valid ones


def test_nino_rules() -> None:
    assert nino_valid("AB 12 34 56 C")
    assert nino_valid("JG103759A")
    assert not nino_valid("GB 12 34 56 C")  # prefix never allocated
    assert not nino_valid("DA123456A")  # D is never a first letter
    assert not nino_valid("AO123456A")  # O is never a second letter
    assert not nino_valid("AB123456E")  # suffix A-D only


def test_salary_formats() -> None:
    u = np.linspace(0.01, 0.99, 40)
    values, details = salary_values(u, u[::-1], u, "EUR", "fr", [" ", "\u202f"])
    for v in values.to_pylist():
        assert "€" in v or "EUR" in v or "euros" in v
        assert any(ch.isdigit() for ch in v)
    values, _ = salary_values(u, np.zeros(40), u, "GBP", "en", [","])
    assert all(v.startswith("£") and "," in v for v in values.to_pylist())
    values, _ = salary_values(u, np.full(40, 0.99), u, "USD", "en", [","])
    assert all(v.endswith("k USD") for v in values.to_pylist())
    assert {d.split(":")[0] for d in details.to_pylist()} == {"EUR"}
