"""Our check-digit validators (identifiers python-stdnum lacks) against numbers generated
by Faker, whose implementations were written by others, and against random digits."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from faker import Faker

from consentgate.redaction.id_checks import de_rvnr_ok, es_nuss_ok, hu_personal_ok


def _hu_date_ok(v: str) -> bool:
    century = {"1": 1900, "2": 1900, "3": 2000, "4": 2000}.get(v[0], 1900)
    try:
        dt.date(century + int(v[1:3]), int(v[3:5]), int(v[5:7]))
    except ValueError:
        return False
    return True


def _generated(locale: str, method: str, n: int = 500) -> list[str]:
    fake = Faker(locale)
    fake.seed_instance(11)
    return [str(getattr(fake, method)()) for _ in range(n)]


@pytest.mark.parametrize(("check", "locale", "method"), [
    (de_rvnr_ok, "de_DE", "rvnr"),
    (es_nuss_ok, "es_ES", "nuss"),
    (hu_personal_ok, "hu_HU", "ssn"),
])
def test_numbers_generated_by_faker_pass(check, locale, method) -> None:
    values = _generated(locale, method)
    if check is hu_personal_ok:
        # Faker appends a remainder of 10 as "10" (twelve digits) and draws days a month
        # does not have (1926-02-30): such numbers are never issued, and must fail
        impossible = [v for v in values if len(v) != 11 or not _hu_date_ok(v)]
        assert not any(check(v) for v in impossible)
        values = [v for v in values if v not in impossible]
    assert values
    failed = [v for v in values if not check(v)]
    assert failed == []


@pytest.mark.parametrize(("check", "length", "at_most"), [
    (de_rvnr_ok, None, 0.12),
    (es_nuss_ok, 12, 0.03),
    (hu_personal_ok, 11, 0.02),
])
def test_random_digits_rarely_pass(check, length, at_most) -> None:
    rng = random.Random(5)
    def draw() -> str:
        if length is None:  # 8 digits, a letter, 3 digits
            return ("".join(rng.choice("0123456789") for _ in range(8))
                    + rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                    + "".join(rng.choice("0123456789") for _ in range(3)))
        return "".join(rng.choice("0123456789") for _ in range(length))
    n = 20_000
    rate = sum(check(draw()) for _ in range(n)) / n
    assert 0 < rate <= at_most


@pytest.mark.parametrize("value", ["24080900Z012", "412119517317", "25512064767"])
def test_a_changed_check_digit_fails(value) -> None:
    check = {12: de_rvnr_ok if value[8].isalpha() else es_nuss_ok, 11: hu_personal_ok}[len(value)]
    passing = {d for d in "0123456789" if check(value[:-1] + d)}
    assert value[-1] in passing
    # Hungary's two weightings (either is accepted) give at most two check digits
    assert len(passing) <= (2 if check is hu_personal_ok else 1), passing


def test_separators_and_wrong_shapes() -> None:
    assert de_rvnr_ok("24 080900 Z 012")
    assert es_nuss_ok("41/21195173/17")
    assert not de_rvnr_ok("240809000012")  # no letter
    assert not hu_personal_ok("95512064767")  # no century digit 9
    assert not hu_personal_ok("25513064767")  # month 13
    assert not es_nuss_ok("992119517317")  # no province 99


@pytest.mark.parametrize(("validator", "message"), [
    ("stdnum:xx.nothing", "no python-stdnum module 'stdnum:xx.nothing'"),
    ("luhn_or_so", "unknown validator 'luhn_or_so'"),
])
def test_a_misnamed_validator_fails_on_load_naming_the_identifier(validator, message) -> None:
    from consentgate.redaction.ids import check_validators
    from consentgate.redaction.vocabulary import IdSpec

    spec = IdSpec("ZZ", "Test number", validator, (r"\d{9}",), "", True, ())
    with pytest.raises(ValueError, match="Test number \\(ZZ\\)") as err:
        check_validators((spec,))
    assert message in str(err.value)
