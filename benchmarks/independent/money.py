"""Pay amounts as people write them: Babel's locale formats plus each language's own forms
(the sentence file's ``[money]`` table: "{k} mila euro", "£{k}k", "{dec} zł")."""

from __future__ import annotations

import random
from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent

# a yearly gross pay range per currency (low, high); monthly is a twelfth, rounded
YEARLY: dict[str, tuple[int, int]] = {
    "EUR": (24_000, 150_000), "CHF": (60_000, 220_000), "GBP": (22_000, 140_000),
    "PLN": (50_000, 360_000), "SEK": (300_000, 1_200_000), "NOK": (400_000, 1_400_000),
    "DKK": (300_000, 1_200_000), "CZK": (300_000, 1_500_000), "HUF": (3_600_000, 24_000_000),
    "RON": (36_000, 240_000), "BGN": (18_000, 120_000), "ISK": (6_000_000, 24_000_000),
    "USD": (40_000, 250_000), "CAD": (45_000, 200_000), "HKD": (180_000, 1_500_000),
    "INR": (300_000, 5_000_000), "BRL": (30_000, 300_000), "MXN": (120_000, 1_200_000),
    "JPY": (3_000_000, 15_000_000), "CNY": (80_000, 800_000), "AUD": (60_000, 250_000),
    "ZAR": (180_000, 1_500_000), "TRY": (300_000, 3_000_000), "KRW": (30_000_000, 150_000_000),
    "ARS": (6_000_000, 60_000_000), "NZD": (55_000, 200_000),
}
# currencies whose amounts people round to ten thousands (JPY 月給30万円) or millions
BIG = {"JPY": 10_000, "KRW": 1_000_000, "HUF": 10_000, "ISK": 10_000, "ARS": 10_000,
       "INR": 1_000, "CNY": 1_000}


def amount(rng: random.Random, currency: str, period: str) -> int:
    lo, hi = YEARLY[currency]
    yearly = rng.uniform(lo, hi)
    if period == "y":
        step = max(1_000, BIG.get(currency, 1_000))
        return max(step, round(yearly / step) * step)
    step = BIG.get(currency, 100)
    return max(step, round(yearly / 12 / step) * step)


def _no_decimals(locale: Locale) -> str:
    pattern = locale.currency_formats["standard"].pattern
    return pattern.replace(".00", "")


def _short(value: Decimal, locale: str) -> str:
    """87 or 4,8: a count of thousands (or 10 000s, 100 000s) as the locale writes it."""
    return format_decimal(value.normalize() if value % 1 else int(value), locale=locale)


def fill_amount(form: str, value: int, currency: str, locale: str) -> str:
    loc = Locale.parse(locale)
    fields = {
        "cur": format_currency(value, currency, locale=locale),
        "cur0": format_currency(value, currency, format=_no_decimals(loc),
                                currency_digits=False, locale=locale),
        "dec": format_decimal(value, locale=locale),
        "int": str(value),
        "k": _short(Decimal(value) / 1000, locale),
        "wan": _short(Decimal(value) / 10_000, locale),
        "lakh": _short((Decimal(value) / 100_000).quantize(Decimal("0.1")), locale),
    }
    return form.format(**fields)


def salary(rng: random.Random, currency: str, locale: str, forms: list[str],
           period: str) -> tuple[str, str]:
    """A pay amount with its currency, and the form it was written in."""
    value = amount(rng, currency, period)
    form = rng.choice(forms or ["{cur0}"])
    # "4,8 tys. zł", "1,2万元", "3.5 lakh": one decimal at most in a short form
    for field, unit in (("{k}", 100), ("{wan}", 1_000), ("{lakh}", 10_000)):
        if field in form:
            value = max(unit, round(value / unit) * unit)
    text = fill_amount(form, value, currency, locale)
    if rng.random() < 0.5:  # typed text: plain spaces where Babel puts no-break ones
        text = text.replace("\xa0", " ").replace("\u202f", " ")
    return text, form


def price(rng: random.Random, currency: str, locale: str) -> str:
    """A neutral price, rent or fee (Babel's locale format)."""
    lo, _hi = YEARLY[currency]
    scale = lo / 24_000
    value = round(rng.uniform(0.5, 2_500) * scale, rng.choice([0, 2]))
    text = format_currency(value, currency, locale=locale)
    return text.replace("\xa0", " ") if rng.random() < 0.5 else text


def percent(rng: random.Random, locale: str) -> str:
    return format_percent(round(rng.uniform(0, 0.99), 3), locale=locale, format="#,##0.#%")
