"""Validation of candidates: checksums, number plans, identifier rules.

Each function takes the candidate text (as matched) and answers whether it is a real value
of its class. They are pure and cached where a library call is involved, so a value repeated
across a batch is validated once.
"""

from __future__ import annotations

import re
from functools import lru_cache

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from consentgate.redaction import patterns as P

_NON_DIGIT = re.compile(r"\D")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


def digits(s: str) -> str:
    return _NON_DIGIT.sub("", s)


# --- payment cards ----------------------------------------------------------------------


def luhn_ok(number: str) -> bool:
    """Luhn (mod 10) check of a string of ASCII digits."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = ord(ch) - 48
        if i & 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card_lengths(n: str) -> tuple[int, ...]:
    """Lengths a card number may have, by issuer identification number (IIN) range."""
    d2 = int(n[:2])
    d3 = int(n[:3])
    d4 = int(n[:4])
    d6 = int(n[:6])
    if n[0] == "4":  # Visa (13-digit Visa cards were withdrawn long ago)
        return (16, 19)
    if 51 <= d2 <= 55 or 2221 <= d4 <= 2720:  # Mastercard
        return (16,)
    if d2 in (34, 37):  # American Express
        return (15,)
    if 300 <= d3 <= 305 or d2 in (36, 38, 39) or d4 == 3095:  # Diners Club
        return (14, 15, 16, 17, 18, 19)
    if d2 == 35:  # JCB (3528-3589; the rest of 35 is unassigned, but generators and
        # test data use it, and a Luhn-valid 16-digit number there is no product code)
        return (16, 17, 18, 19) if 3528 <= d4 <= 3589 else (16,)
    if d4 == 6011 or 644 <= d3 <= 649 or d2 == 65 or 622126 <= d6 <= 622925:  # Discover
        return (16, 17, 18, 19)
    if d2 == 62 or d2 == 81:  # UnionPay
        return (16, 17, 18, 19)
    if 2200 <= d4 <= 2204:  # Mir
        return (16, 17, 18, 19)
    if d2 in (50, 56, 57, 58) or d2 in (63, 67) or d2 == 60 or d2 == 69 or d2 == 68:  # Maestro
        return (13, 14, 15, 16, 17, 18, 19)
    return ()


def card_ok(candidate: str) -> bool:
    n = digits(candidate)
    if not 13 <= len(n) <= 19 or not n.isascii():
        return False
    return len(n) in _card_lengths(n) and luhn_ok(n)


# --- IBAN -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _iban_lengths() -> dict[str, int]:
    from schwifty import registry

    lengths = {}
    for a in range(65, 91):
        for b in range(65, 91):
            cc = chr(a) + chr(b)
            try:
                lengths[cc] = registry.get_iban_spec(cc).iban_length
            except Exception:
                continue
    return lengths


def iban_end(text: str, start: int, end: int) -> int | None:
    """The end of a valid IBAN that starts at ``start`` in a candidate ending at ``end``.

    The candidate pattern is greedy (it may run on into a following upper-case word); the
    country's IBAN length decides where the IBAN stops. None when not a valid IBAN.
    """
    length = _iban_lengths().get(text[start : start + 2])
    if length is None:
        return None
    seen = 0
    i = start
    while i < end and seen < length:
        if text[i] not in " \u00a0":
            seen += 1
        i += 1
    if seen < length:
        return None
    if i < len(text) and (text[i].isalnum()):
        return None
    return i if iban_ok(text[start:i]) else None


def iban_shape_len(text: str, start: int, end: int) -> int:
    """How much of an IBAN-shaped candidate to skip when it fails validation: its
    country's IBAN length (spaces included), or the whole candidate."""
    length = _iban_lengths().get(text[start : start + 2])
    if length is None:
        return 0
    seen = 0
    i = start
    while i < end and seen < length:
        if text[i] not in " \u00a0":
            seen += 1
        i += 1
    return i - start


@lru_cache(maxsize=65536)
def iban_ok(candidate: str) -> bool:
    compact = _NON_ALNUM.sub("", candidate)
    if not compact[2:4].isdigit():
        return False
    # mod-97 first: cheap, and rejects almost every random string before schwifty runs
    moved = compact[4:] + compact[:4]
    try:
        if int("".join(str(int(c, 36)) for c in moved)) % 97 != 1:
            return False
    except ValueError:
        return False
    try:
        IBAN(compact)
    except SchwiftyException:
        return False
    return True


# --- barcodes -------------------------------------------------------------------------------


def gtin_ok(number: str) -> bool:
    """A GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) check digit: weights 3 and 1 from the right."""
    if len(number) not in (8, 12, 13, 14) or not number.isascii() or not number.isdigit():
        return False
    total = sum((3 if i % 2 else 1) * (ord(c) - 48) for i, c in enumerate(reversed(number)))
    return total % 10 == 0


# --- salary amounts ---------------------------------------------------------------------


def salary_value(candidate: str) -> float:
    """The largest amount in a salary candidate, with k / Mio multipliers applied."""
    best = 0.0
    for m in P.SALARY_NUMBER.finditer(candidate):
        num = m.group(0)[: len(m.group(0)) - len(m.group(1) or "")]
        value = _parse_number(num)
        mult = (m.group(1) or "").strip().lower()
        if mult == "k":
            value *= 1_000
        elif mult:
            value *= 1_000_000
        best = max(best, value)
    return best


_THOUSANDS = re.compile(r"^\d{1,3}(?:[,.'’ \u00a0\u202f]\d{3})+")


def _parse_number(num: str) -> float:
    num = num.rstrip("-–").rstrip(",")  # "53.000,-"
    m = _THOUSANDS.match(num)
    if m:
        return float(digits(m.group(0)))
    if _INDIAN.match(num):
        return float(digits(num.split(".")[0]))
    try:
        return float(num.replace(",", "."))
    except ValueError:
        return float(digits(num) or 0)


_INDIAN = re.compile(r"^\d{1,2}(?:,\d{2})+,\d{3}")
