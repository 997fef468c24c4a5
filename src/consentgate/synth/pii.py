"""Personal data to plant in texts, valid per the libraries a redactor would check them with.

Phone numbers validate with ``phonenumbers``, IBANs with ``schwifty`` (national check digits
included), card numbers pass Luhn, national ids validate with ``python-stdnum`` (the UK
National Insurance number follows HMRC's prefix rules; stdnum has no module for it).

The expensive values (phones, IBANs, ids) come from pools built once per run from the seed;
records pick from the pools with vectorised draws. Emails and salary figures are assembled
per record, vectorised.
"""

from __future__ import annotations

import random
import string
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from schwifty import IBAN
from stdnum import luhn
from stdnum.br import cpf
from stdnum.de import idnr
from stdnum.es import dni
from stdnum.fr import nir
from stdnum.iso7064 import mod_11_10
from stdnum.it import codicefiscale
from stdnum.nl import bsn
from stdnum.pl import pesel
from stdnum.pt import nif
from stdnum.us import ssn

from consentgate.synth import geography
from consentgate.synth.arrow import group_thousands, ints_to_str, join, pick

PHONE_FORMATS = ("intl", "national", "e164")
IBAN_FORMATS = ("spaced", "compact")
CARD_BRANDS = ("visa", "mastercard", "amex")
CARD_FORMATS = ("spaced", "dashed", "compact")
NATIONAL_IDS = (
    "fr_nir",
    "us_ssn",
    "gb_nino",
    "de_idnr",
    "es_dni",
    "it_cf",
    "nl_bsn",
    "pl_pesel",
    "br_cpf",
    "pt_nif",
)


@dataclass
class Pool:
    """Values grouped by combination (e.g. 'FR:intl'), flattened for vectorised picks."""

    names: list[str]
    values: pa.Array
    offsets: np.ndarray
    counts: np.ndarray

    @classmethod
    def build(cls, groups: dict[str, list[str]]) -> Pool:
        names = list(groups)
        flat = [v for name in names for v in groups[name]]
        counts = np.array([len(groups[name]) for name in names], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        return cls(names, pa.array(flat, type=pa.string()), offsets, counts)

    def index(self, name: str) -> int:
        return self.names.index(name)

    def pick(self, combo: np.ndarray, u: np.ndarray) -> tuple[pa.Array, pa.Array]:
        """(values, detail names) for rows with combination indices ``combo``."""
        if np.any(self.counts[combo] == 0):
            raise ValueError("empty pool")
        idx = self.offsets[combo] + (u * self.counts[combo]).astype(np.int64)
        return self.values.take(idx), pick(self.names, combo)


# -- phone numbers ------------------------------------------------------------------------------
_NANP_AREAS = {
    "US": ("212", "415", "312", "617", "206", "512", "303", "404", "202", "213", "305", "646"),
    "CA": ("416", "514", "604", "403", "613", "647", "778", "902"),
}


def _phone_candidates(region: str, rnd: random.Random) -> Callable[[], phonenumbers.PhoneNumber]:
    if region in _NANP_AREAS:
        areas = _NANP_AREAS[region]

        def nanp() -> phonenumbers.PhoneNumber:
            nsn = rnd.choice(areas) + str(rnd.randint(200, 999)) + f"{rnd.randint(0, 9999):04d}"
            return phonenumbers.PhoneNumber(country_code=1, national_number=int(nsn))

        return nanp
    examples = []
    for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
        ex = phonenumbers.example_number_for_type(region, kind)
        if ex is not None:
            examples.append(ex)

    def varied() -> phonenumbers.PhoneNumber:
        ex = examples[0] if len(examples) == 1 or rnd.random() < 0.6 else examples[1]
        nsn = str(ex.national_number)
        k = min(len(nsn) - 2, 7)
        digits = nsn[:-k] + "".join(rnd.choice(string.digits) for _ in range(k))
        return phonenumbers.PhoneNumber(
            country_code=ex.country_code,
            national_number=int(digits),
            italian_leading_zero=ex.italian_leading_zero,
        )

    return varied


def phone_numbers(region: str, rnd: random.Random, n: int) -> list[phonenumbers.PhoneNumber]:
    make = _phone_candidates(region, rnd)
    out: list[phonenumbers.PhoneNumber] = []
    seen: set[int] = set()
    for _ in range(n * 50):
        num = make()
        if num.national_number in seen:
            continue
        if phonenumbers.is_valid_number(num) and phonenumbers.region_code_for_number(num) == region:
            seen.add(num.national_number)
            out.append(num)
            if len(out) == n:
                break
    return out


def _fmt_phone(num: phonenumbers.PhoneNumber, fmt: str) -> str:
    style = {
        "intl": phonenumbers.PhoneNumberFormat.INTERNATIONAL,
        "national": phonenumbers.PhoneNumberFormat.NATIONAL,
        "e164": phonenumbers.PhoneNumberFormat.E164,
    }[fmt]
    return phonenumbers.format_number(num, style)


# -- IBANs --------------------------------------------------------------------------------------
def ibans(country: str, rnd: random.Random, n: int) -> list[IBAN]:
    """Valid IBANs with numeric account numbers at banks of schwifty's registry (national
    check digits computed by schwifty; German accounts retried until the bank's method
    accepts them)."""
    out: list[IBAN] = []
    for _ in range(n * 30):
        bank = IBAN.random(country_code=country, random=rnd)
        digits = "".join(rnd.choice(string.digits) for _ in bank.account_code)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                iban = IBAN.generate(
                    country,
                    bank_code=bank.bank_code,
                    account_code=digits,
                    branch_code=bank.branch_code,
                )
                iban.validate(validate_bban=True)
        except Exception:
            continue
        out.append(iban)
        if len(out) == n:
            break
    return out


def break_iban(compact: str, rnd: random.Random) -> str:
    """Same IBAN with wrong check digits (mod-97 fails)."""
    check = int(compact[2:4])
    wrong = (check - 2 + rnd.randint(1, 96)) % 97 + 2  # 02..98, never the right one
    if wrong == check:
        wrong = 2 if check != 2 else 3
    return f"{compact[:2]}{wrong:02d}{compact[4:]}"


def space4(text: str) -> str:
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


# -- cards --------------------------------------------------------------------------------------
def card_number(brand: str, rnd: random.Random) -> str:
    if brand == "visa":
        body, length = "4", 16
    elif brand == "mastercard":
        body = str(rnd.randint(51, 55)) if rnd.random() < 0.7 else str(rnd.randint(2221, 2720))
        length = 16
    else:
        body, length = rnd.choice(("34", "37")), 15
    body += "".join(rnd.choice(string.digits) for _ in range(length - len(body) - 1))
    return body + luhn.calc_check_digit(body)


def fmt_card(number: str, fmt: str) -> str:
    if fmt == "compact":
        return number
    sep = " " if fmt == "spaced" else "-"
    if len(number) == 15:
        return sep.join((number[:4], number[4:10], number[10:]))
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


def luhn_failing(rnd: random.Random) -> str:
    """A 16-digit number grouped like a card that fails the Luhn check."""
    if rnd.random() < 0.5:
        number = card_number(rnd.choice(("visa", "mastercard")), rnd)
    else:
        body = rnd.choice("1689") + "".join(rnd.choice(string.digits) for _ in range(14))
        number = body + luhn.calc_check_digit(body)
    wrong = (int(number[-1]) + rnd.randint(1, 9)) % 10
    return space4(number[:-1] + str(wrong))


# -- national ids -------------------------------------------------------------------------------
_NINO_FIRST = [c for c in string.ascii_uppercase if c not in "DFIQUV"]
_NINO_SECOND = [c for c in string.ascii_uppercase if c not in "DFIQUVO"]
_NINO_BANNED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino_valid(value: str) -> bool:
    """HMRC rules for a National Insurance number (spaces allowed)."""
    v = value.replace(" ", "").upper()
    return (
        len(v) == 9
        and v[0] in _NINO_FIRST
        and v[1] in _NINO_SECOND
        and v[:2] not in _NINO_BANNED
        and v[2:8].isdigit()
        and v[8] in "ABCD"
    )


def _nino(rnd: random.Random) -> str:
    while True:
        prefix = rnd.choice(_NINO_FIRST) + rnd.choice(_NINO_SECOND)
        if prefix not in _NINO_BANNED:
            break
    digits = "".join(rnd.choice(string.digits) for _ in range(6))
    suffix = rnd.choice("ABCD")
    if rnd.random() < 0.6:
        return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
    return f"{prefix}{digits}{suffix}"


def _nir(rnd: random.Random) -> str:
    dept = rnd.choice([f"{d:02d}" for d in range(1, 96) if d != 20] + ["2A", "2B", "99"])
    body = (
        f"{rnd.choice('12')}{rnd.randint(0, 99):02d}{rnd.randint(1, 12):02d}{dept}"
        f"{rnd.randint(1, 990):03d}{rnd.randint(1, 999):03d}"
    )
    number = body + nir.calc_check_digits(body)
    return nir.format(number) if rnd.random() < 0.6 else number


def _ssn(rnd: random.Random) -> str:
    while True:
        area = rnd.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}-{rnd.randint(1, 99):02d}-{rnd.randint(1, 9999):04d}"


def _idnr(rnd: random.Random) -> str:
    digits = list("0123456789")
    rnd.shuffle(digits)
    while digits[0] == "0":
        rnd.shuffle(digits)
    first = digits[:9]
    first.insert(rnd.randint(1, 9), rnd.choice(first))  # one digit appears twice
    body = "".join(first[:10])
    number = body + mod_11_10.calc_check_digit(body)
    return idnr.format(number) if rnd.random() < 0.5 else number


def _dni(rnd: random.Random) -> str:
    body = f"{rnd.randint(1_000_000, 99_999_999):08d}"
    return body + dni.calc_check_digit(body)


def _cf(rnd: random.Random) -> str:
    consonants = "BCDFGHJKLMNPQRSTVWXZ"
    months = "ABCDEHLMPRST"
    day = rnd.randint(1, 28) + (40 if rnd.random() < 0.5 else 0)
    body = (
        "".join(rnd.choice(consonants) for _ in range(6))
        + f"{rnd.randint(50, 99):02d}{rnd.choice(months)}{day:02d}"
        + rnd.choice("ABCDEFGHLM")
        + f"{rnd.randint(1, 999):03d}"
    )
    return body + codicefiscale.calc_check_digit(body)


def _bsn(rnd: random.Random) -> str:
    while True:
        body = [rnd.randint(0, 9) for _ in range(8)]
        body[0] = rnd.randint(1, 6)
        last = sum(d * (9 - i) for i, d in enumerate(body)) % 11
        if last < 10:
            number = "".join(map(str, body)) + str(last)
            return bsn.format(number) if rnd.random() < 0.3 else number


def _pesel(rnd: random.Random) -> str:
    year = rnd.randint(1950, 2007)
    month = rnd.randint(1, 12) + (20 if year >= 2000 else 0)
    body = f"{year % 100:02d}{month:02d}{rnd.randint(1, 28):02d}{rnd.randint(0, 9999):04d}"
    return body + pesel.calc_check_digit(body)


def _cpf(rnd: random.Random) -> str:
    while True:
        digits = [rnd.randint(0, 9) for _ in range(9)]
        if len(set(digits)) > 1:
            break
    for weight in (10, 11):
        total = sum(d * (weight - i) for i, d in enumerate(digits))
        digits.append(total * 10 % 11 % 10)
    number = "".join(map(str, digits))
    return cpf.format(number) if rnd.random() < 0.8 else number


def _nif(rnd: random.Random) -> str:
    body = rnd.choice("12356") + f"{rnd.randint(0, 9_999_999):07d}"
    return body + nif.calc_check_digit(body)


NATIONAL_ID_MAKERS: dict[str, Callable[[random.Random], str]] = {
    "fr_nir": _nir,
    "us_ssn": _ssn,
    "gb_nino": _nino,
    "de_idnr": _idnr,
    "es_dni": _dni,
    "it_cf": _cf,
    "nl_bsn": _bsn,
    "pl_pesel": _pesel,
    "br_cpf": _cpf,
    "pt_nif": _nif,
}

NATIONAL_ID_VALIDATORS: dict[str, Callable[[str], bool]] = {
    "fr_nir": nir.is_valid,
    "us_ssn": ssn.is_valid,
    "gb_nino": nino_valid,
    "de_idnr": idnr.is_valid,
    "es_dni": dni.is_valid,
    "it_cf": codicefiscale.is_valid,
    "nl_bsn": bsn.is_valid,
    "pl_pesel": pesel.is_valid,
    "br_cpf": cpf.is_valid,
    "pt_nif": nif.is_valid,
}


# -- the pools ----------------------------------------------------------------------------------
class Pools:
    """Every pooled value of a run, built from the seed."""

    def __init__(self, seed: int, size: int) -> None:
        ss = np.random.SeedSequence([seed, 0x5EED])
        state = ss.generate_state(6)
        rnd_phone, rnd_iban, rnd_card, rnd_id, rnd_bad_iban, rnd_bad_card = (
            random.Random(int(s)) for s in state
        )

        phones: dict[str, list[str]] = {}
        for region in geography.PHONE_REGIONS:
            numbers = phone_numbers(region, rnd_phone, size)
            for fmt in PHONE_FORMATS:
                if fmt == "national" and region not in geography.PHONE_NATIONAL:
                    phones[f"{region}:{fmt}"] = []
                    continue
                phones[f"{region}:{fmt}"] = [_fmt_phone(num, fmt) for num in numbers]
        self.phone = Pool.build(phones)

        iban_groups: dict[str, list[str]] = {}
        bad_groups: dict[str, list[str]] = {}
        for country in geography.IBAN_COUNTRIES:
            valid = ibans(country, rnd_iban, size)
            iban_groups[f"{country}:spaced"] = [i.formatted for i in valid]
            iban_groups[f"{country}:compact"] = [str(i) for i in valid]
            broken = [break_iban(str(i), rnd_bad_iban) for i in valid]
            bad_groups[f"{country}:spaced"] = [space4(b) for b in broken]
            bad_groups[f"{country}:compact"] = broken
        self.iban = Pool.build(iban_groups)
        self.bad_iban = Pool.build(bad_groups)

        cards: dict[str, list[str]] = {}
        for brand in CARD_BRANDS:
            numbers = [card_number(brand, rnd_card) for _ in range(size)]
            for fmt in CARD_FORMATS:
                cards[f"{brand}:{fmt}"] = [fmt_card(num, fmt) for num in numbers]
        self.card = Pool.build(cards)
        self.bad_card = Pool.build({"luhn_fail": [luhn_failing(rnd_bad_card) for _ in range(size)]})

        self.national_id = Pool.build({v: _valid_ids(v, rnd_id, size) for v in NATIONAL_IDS})


def _valid_ids(variant: str, rnd: random.Random, n: int) -> list[str]:
    make, valid = NATIONAL_ID_MAKERS[variant], NATIONAL_ID_VALIDATORS[variant]
    out: list[str] = []
    while len(out) < n:
        value = make(rnd)
        if valid(value):
            out.append(value)
    return out


# -- salary figures -----------------------------------------------------------------------------
# (prefix, suffix, thousands form): the thousands form writes 85k / 65 k€.
_F, _K = False, True
SALARY_FORMATS: dict[str, dict[str, list[tuple[str, str, bool]]]] = {
    "EUR": {
        "en": [("€", "", _F), ("€", "k", _K), ("EUR ", "", _F), ("", " EUR", _F)],
        "fr": [("", " €", _F), ("", " EUR", _F), ("", " k€", _K), ("", " euros", _F)],
        "de": [("", " €", _F), ("", " EUR", _F), ("", " Euro", _F), ("", "k €", _K)],
        "es": [("", " €", _F), ("", " euros", _F), ("", " EUR", _F)],
        "it": [("€ ", "", _F), ("", " €", _F), ("", " euro", _F), ("", "k €", _K)],
        "nl": [("€ ", "", _F), ("€", "", _F), ("", " euro", _F)],
        "pl": [("", " EUR", _F), ("", " €", _F)],
        "pt": [("€ ", "", _F), ("", " €", _F), ("", " euros", _F)],
    },
    "USD": {
        "*": [("$", "", _F), ("$", "k", _K), ("", " USD", _F), ("USD ", "", _F), ("", "k USD", _K)]
    },
    "GBP": {"*": [("£", "", _F), ("£", "k", _K), ("", " GBP", _F)]},
    "CHF": {"*": [("CHF ", "", _F), ("", " CHF", _F), ("", " Fr.", _F), ("CHF ", "k", _K)]},
    "PLN": {"*": [("", " zł", _F), ("", " PLN", _F), ("", " tys. zł", _K)]},
    "CAD": {"*": [("$", "", _F), ("CA$", "", _F), ("", " $", _F), ("", "k CAD", _K)]},
    "HKD": {"*": [("HK$", "", _F), ("HKD ", "", _F)]},
    "BRL": {"*": [("R$ ", "", _F), ("R$ ", " mil", _K)]},
    "AUD": {"*": [("A$", "", _F), ("$", "", _F), ("", " AUD", _F)]},
}
CURRENCIES: tuple[str, ...] = tuple(SALARY_FORMATS)
SALARY_MEDIAN: dict[str, float] = {
    "EUR": 52_000,
    "USD": 95_000,
    "GBP": 48_000,
    "CHF": 105_000,
    "PLN": 120_000,
    "CAD": 85_000,
    "HKD": 480_000,
    "BRL": 110_000,
    "AUD": 100_000,
}


def currency_of(country: str | None) -> str:
    return geography.CURRENCY.get(country or "", "USD")


def money_formats(currency: str, lang: str) -> list[tuple[str, str, bool]]:
    table = SALARY_FORMATS[currency]
    return table.get(lang) or table.get("*") or table["en"]


def salary_values(
    u_amount: np.ndarray,
    u_format: np.ndarray,
    u_sep: np.ndarray,
    currency: str,
    lang: str,
    thousands: list[str],
) -> tuple[pa.Array, pa.Array]:
    """Annual salary figures in one currency and language: (values, details)."""
    n = len(u_amount)
    # log-normal around the median, rounded to 500
    z = np.sqrt(2) * _erfinv(2 * np.clip(u_amount, 1e-9, 1 - 1e-9) - 1)
    amount = np.round(SALARY_MEDIAN[currency] * np.exp(0.4 * z) / 500).astype(np.int64) * 500
    formats = money_formats(currency, lang)
    which = (u_format * len(formats)).astype(np.int64)
    seps = list(thousands)
    if currency == "CHF" and lang in ("de", "fr", "it"):
        seps = [*seps, "'"]
    sep = pick(seps, (u_sep * len(seps)).astype(np.int64))
    full = group_thousands(amount, sep)
    kilo = ints_to_str(np.maximum(amount // 1000, 1))
    prefix = pick([f[0] for f in formats], which)
    suffix = pick([f[1] for f in formats], which)
    is_k = pa.array(np.array([f[2] for f in formats])[which])
    number = pc.if_else(is_k, kilo, full)
    values = join([prefix, number, suffix], n)
    return values, pick([f"{currency}:{'k' if f[2] else 'full'}" for f in formats], which)


def _erfinv(x: np.ndarray) -> np.ndarray:
    """Inverse error function (Giles' single-precision approximation; plenty here)."""
    w = -np.log((1.0 - x) * (1.0 + x))
    small = w < 5.0
    ws = w - 2.5
    wl = np.sqrt(np.where(small, 5.0, w)) - 3.0
    p_s = 2.81022636e-08
    for c in (
        3.43273939e-07,
        -3.5233877e-06,
        -4.39150654e-06,
        0.00021858087,
        -0.00125372503,
        -0.00417768164,
        0.246640727,
        1.50140941,
    ):
        p_s = c + p_s * ws
    p_l = -0.000200214257
    for c in (
        0.000100950558,
        0.00134934322,
        -0.00367342844,
        0.00573950773,
        -0.0076224613,
        0.00943887047,
        1.00167406,
        2.83297682,
    ):
        p_l = c + p_l * wl
    return np.where(small, p_s, p_l) * x
