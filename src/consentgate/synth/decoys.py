"""Decoys: numbers that look like personal data to a careless redactor but are not
(dates, times, versions, prices, counts, order and patent numbers, years, percentages).
Invalid IBANs and Luhn-failing card-like numbers come from :class:`~consentgate.synth.pii.Pools`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from consentgate.synth.arrow import group_thousands, ints_to_str, join, pick
from consentgate.synth.lang import MODULES
from consentgate.synth.pii import money_formats
from consentgate.synth.texts import parse

Draw = Callable[[str], np.ndarray]


def _ints(draw: Draw, name: str, lo: int, hi: int) -> np.ndarray:
    """Integers in [lo, hi]."""
    return lo + (draw(name) * (hi - lo + 1)).astype(np.int64)


def _fill_formats(formats: list[str], choice: np.ndarray, parts: dict[str, pa.Array]) -> pa.Array:
    n = len(choice)
    out = None
    for i, fmt in enumerate(formats):
        pieces = [parts[text] if is_slot else text for is_slot, text in parse(fmt)]
        filled = join(pieces, n)
        out = filled if out is None else pc.if_else(pa.array(choice == i), filled, out)
    assert out is not None
    return out


def dates(draw: Draw, lang: str) -> pa.Array:
    mod = MODULES[lang]
    y = _ints(draw, "date.y", 2016, 2027)
    m = _ints(draw, "date.m", 1, 12)
    d = _ints(draw, "date.d", 1, 28)
    parts = {
        "d": ints_to_str(d),
        "dd": ints_to_str(d, 2),
        "mm": ints_to_str(m, 2),
        "Y": ints_to_str(y),
        "month": pick(mod.WORDS["month"], m - 1),
    }
    choice = (draw("date.fmt") * len(mod.DATE_FORMATS)).astype(np.int64)
    return _fill_formats(mod.DATE_FORMATS, choice, parts)


def times(draw: Draw, lang: str) -> pa.Array:
    mod = MODULES[lang]
    h = _ints(draw, "time.h", 7, 20)
    mi = pick(["00", "15", "30", "45"], _ints(draw, "time.m", 0, 3))
    parts = {
        "H": ints_to_str(h),
        "HH": ints_to_str(h, 2),
        "MM": mi,
        "h12": ints_to_str(np.where(h > 12, h - 12, h)),
        "ampm": pick(["AM", "PM"], (h >= 12).astype(np.int64)),
    }
    choice = (draw("time.fmt") * len(mod.TIME_FORMATS)).astype(np.int64)
    return _fill_formats(mod.TIME_FORMATS, choice, parts)


def versions(draw: Draw) -> pa.Array:
    n = len(draw("v.a"))
    a = ints_to_str(_ints(draw, "v.a", 1, 19))
    b = ints_to_str(_ints(draw, "v.b", 0, 24))
    c = ints_to_str(_ints(draw, "v.c", 0, 12))
    three = join([a, ".", b, ".", c], n)
    two = join([a, ".", b], n)
    choice = _ints(draw, "v.fmt", 0, 2)
    out = pc.if_else(pa.array(choice == 0), join(["v", three], n), three)
    return pc.if_else(pa.array(choice == 2), two, out)


def prices(draw: Draw, currency: str, lang: str) -> pa.Array:
    n = len(draw("price.a"))
    whole = np.round(np.exp(np.log(3) + draw("price.a") * (np.log(950) - np.log(3)))).astype(
        np.int64
    )
    cents = pick(["99", "90", "00", "50", "49"], _ints(draw, "price.c", 0, 4))
    decimal = "." if lang == "en" or currency == "CHF" else MODULES[lang].DECIMAL
    formats = [f for f in money_formats(currency, lang) if not f[2]]
    which = (draw("price.fmt") * len(formats)).astype(np.int64)
    number = join([ints_to_str(whole), decimal, cents], n)
    plain = ints_to_str(whole)
    number = pc.if_else(pa.array(draw("price.round") < 0.25), plain, number)
    return join(
        [pick([f[0] for f in formats], which), number, pick([f[1] for f in formats], which)], n
    )


def counts(draw: Draw, lang: str) -> pa.Array:
    value = np.round(np.exp(np.log(120) + draw("count.v") * (np.log(60_000) - np.log(120)))).astype(
        np.int64
    )
    seps = MODULES[lang].THOUSANDS
    sep = pick(seps, (draw("count.sep") * len(seps)).astype(np.int64))
    return group_thousands(value, sep)


def small_numbers(draw: Draw, name: str, lo: int, hi: int) -> pa.Array:
    return ints_to_str(_ints(draw, name, lo, hi))


def years(draw: Draw, name: str = "d_year", lo: int = 1998, hi: int = 2024) -> np.ndarray:
    return _ints(draw, name, lo, hi)


def percentages(draw: Draw, lang: str) -> pa.Array:
    n = len(draw("pct.v"))
    whole = ints_to_str(_ints(draw, "pct.v", 2, 85))
    frac = ints_to_str(_ints(draw, "pct.f", 1, 9))
    decimal = MODULES[lang].DECIMAL
    number = pc.if_else(pa.array(draw("pct.dec") < 0.25), join([whole, decimal, frac], n), whole)
    if lang in ("fr", "de", "pl"):  # these usually put a (non-breaking) space before %
        sign = pick(["\u00a0%", " %", "%"], _ints(draw, "pct.sign", 0, 2))
    else:
        sign = pick(["%", "%", " %"], _ints(draw, "pct.sign", 0, 2))
    return join([number, sign], n)


def orders(draw: Draw) -> pa.Array:
    n = len(draw("ord.p"))
    prefix = pick(["ORD-", "#A-", "CMD-", "PO-", "INV-", "#"], _ints(draw, "ord.p", 0, 5))
    year = ints_to_str(_ints(draw, "ord.y", 2019, 2026))
    number = ints_to_str(_ints(draw, "ord.n", 1000, 999_999), 6)
    with_year = join([prefix, year, "-", number], n)
    letters = pick(list("ABCDEFGHKLMNPRSTXZ"), _ints(draw, "ord.l", 0, 17))
    short = join([prefix, letters, number], n)
    return pc.if_else(pa.array(draw("ord.fmt") < 0.6), with_year, short)


def patents(draw: Draw) -> pa.Array:
    n = len(draw("pat.o"))
    office = _ints(draw, "pat.o", 0, 3)
    a = _ints(draw, "pat.a", 1, 4)
    b = ints_to_str(_ints(draw, "pat.b", 0, 999), 3)
    c = ints_to_str(_ints(draw, "pat.c", 0, 999), 3)
    ep = join(["EP ", ints_to_str(a + 1), " ", b, " ", c, " B1"], n)
    us = join(["US ", ints_to_str(a + 9), ",", b, ",", c, " B2"], n)
    de = join(["DE 10 20", ints_to_str(_ints(draw, "pat.y", 15, 24)), " ", b, " ", c, " A1"], n)
    wo = join(["WO 20", ints_to_str(_ints(draw, "pat.y", 15, 24)), "/", b, c], n)
    out = pc.if_else(pa.array(office == 0), ep, us)
    out = pc.if_else(pa.array(office == 2), de, out)
    return pc.if_else(pa.array(office == 3), wo, out)
