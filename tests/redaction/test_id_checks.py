"""Our check-digit validators (identifiers python-stdnum lacks) against numbers generated
by Faker, whose implementations were written by others, and against random digits."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from faker import Faker

from consentgate.redaction.id_checks import (
    CN_PROVINCES,
    cn_ric_ok,
    de_rvnr_ok,
    es_nuss_ok,
    hu_personal_ok,
)


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


def test_china_resident_numbers_agree_with_stdnum_but_for_the_county() -> None:
    """cn_ric_ok is python-stdnum's cn.ric with the birth place checked to the province:
    every number stdnum accepts passes; one it refuses passes only if its county code alone
    is unknown (province known, check digit and date right)."""
    from stdnum.cn import ric

    # Faker draws county codes stdnum does not know for the birth year (two in three):
    # those pass here, as a number whose county was renamed would
    values = _generated("zh_CN", "ssn", 300)
    assert all(cn_ric_ok(v) for v in values)
    assert 0 < sum(ric.is_valid(v) for v in values) < len(values)
    from stdnum import numdb

    counties = [low + child_low for _l, low, _h, _p, children in numdb.get("cn/loc").prefixes
                for _cl, child_low, child_high, _cp, _cc in children if child_low == child_high]
    rng = random.Random(3)
    both = looser = 0
    for _ in range(20_000):
        day = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(30_000))
        place = (rng.choice(counties) if rng.random() < 0.5
                 else rng.choice(sorted(CN_PROVINCES)) + f"{rng.randrange(10_000):04d}")
        body = place + day.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
        value = body + ric.calc_check_digit(body + "0")
        if rng.random() < 0.3:
            value = body + rng.choice("0123456789X")  # often a wrong check digit
        try:
            theirs = ric.is_valid(value)
        except KeyError:  # stdnum's lookup of a province-only code ("110000")
            theirs = False
        ours = cn_ric_ok(value)
        assert ours or not theirs, value
        both += ours and theirs
        looser += ours and not theirs
    assert both > 1_000 and looser > 0  # both kinds were drawn
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c
                         for c in "11010519491231002X")
    assert ric.is_valid(full_width) and cn_ric_ok(full_width)  # as stdnum reads them
    assert not cn_ric_ok("991234199001011234")  # no province 99
    assert not cn_ric_ok("11010519491331002X")  # no 13th month


def test_china_provinces_are_those_of_stdnums_database() -> None:
    from stdnum import numdb

    db = numdb.get("cn/loc")
    # numdb's first level: (length, low, high, properties, children), here one per province
    provinces = {low for _length, low, high, _props, _children in db.prefixes if low == high}
    assert provinces == set(CN_PROVINCES)
    assert all(low == high for _length, low, high, _props, _children in db.prefixes)
