"""Our check of international numbers against libphonenumber's metadata (patterns compiled
once) gives libphonenumber's own answer: on its example numbers, on those numbers with a
digit changed, added, dropped or a trunk 0 written after the country code, and on random
digits."""

from __future__ import annotations

import random

import phonenumbers
from phonenumbers import PhoneNumberType as T

from consentgate.redaction import phones


def _libphonenumber(number: str) -> bool:
    if not 7 <= len(number) <= 15:
        return False
    try:
        parsed = phonenumbers.parse("+" + number, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) or phones._fictional(parsed)


def test_international_numbers_agree_with_libphonenumber() -> None:
    rng = random.Random(20261203)
    cases = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (T.MOBILE, T.FIXED_LINE, T.TOLL_FREE):
            ex = phonenumbers.example_number_for_type(region, kind)
            if ex is None:
                continue
            cc, nsn = str(ex.country_code), str(ex.national_number)
            d = cc + nsn
            cases += [d, d[:-1], d + "5", cc + "0" + nsn]
            for _ in range(8):
                i = rng.randrange(len(d))
                cases.append(d[:i] + str(rng.randrange(10)) + d[i + 1 :])
    cases += ["".join(str(rng.randrange(10)) for _ in range(rng.randrange(7, 16)))
              for _ in range(20_000)]
    decided = [c for c in cases if phones._valid_intl_nsn(c) is not None]
    assert len(decided) > len(cases) // 2  # the fast path does most of the work
    assert any(phones._valid_intl_nsn(c) for c in decided)
    mismatches = [c for c in cases if phones.intl_ok(c) != _libphonenumber(c)]
    assert mismatches == []
