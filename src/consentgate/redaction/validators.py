"""Validation of candidates: checksums, number plans, identifier rules.

Each function takes the candidate text (as matched) and answers whether it is a real value
of its class. They are pure and cached where a library call is involved, so a value repeated
across a batch is validated once.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
import stdnum.br.cpf
import stdnum.de.idnr
import stdnum.es.dni
import stdnum.fr.nir
import stdnum.it.codicefiscale
import stdnum.nl.bsn
import stdnum.pl.pesel
import stdnum.pt.nif
import stdnum.us.ssn
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
    if n[0] == "4":  # Visa
        return (13, 16, 19)
    if 51 <= d2 <= 55 or 2221 <= d4 <= 2720:  # Mastercard
        return (16,)
    if d2 in (34, 37):  # American Express
        return (15,)
    if 300 <= d3 <= 305 or d2 in (36, 38, 39) or d4 == 3095:  # Diners Club
        return (14, 15, 16, 17, 18, 19)
    if 3528 <= d4 <= 3589:  # JCB
        return (16, 17, 18, 19)
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


# --- national identifiers -----------------------------------------------------------------


@lru_cache(maxsize=65536)
def nir_ok(candidate: str) -> bool:
    """French NIR (social security number), 15 characters with its key."""
    compact = _NON_ALNUM.sub("", candidate).upper()
    return len(compact) == 15 and stdnum.fr.nir.is_valid(compact)


@lru_cache(maxsize=65536)
def ssn_ok(candidate: str) -> bool:
    """US Social Security number (area, group, serial rules of python-stdnum)."""
    return stdnum.us.ssn.is_valid(digits(candidate))


@lru_cache(maxsize=65536)
def id_formatted_ok(candidate: str) -> bool:
    """CPF (390.533.447-05), German IdNr (36 574 261 809) or BSN (1112.22.333)."""
    d = digits(candidate)
    if len(d) == 11 and "-" in candidate:
        return stdnum.br.cpf.is_valid(d)
    if len(d) == 11:
        return stdnum.de.idnr.is_valid(d)
    return len(d) == 9 and stdnum.nl.bsn.is_valid(d)


@lru_cache(maxsize=65536)
def id_compact_ok(number: str) -> bool:
    """Nine digits: SSN, BSN or NIF; eleven: PESEL, IdNr or CPF (checked only next to an
    id cue word: these checksums let through one random number in 10 to 300)."""
    if len(number) == 9:
        return (
            stdnum.us.ssn.is_valid(number)
            or stdnum.nl.bsn.is_valid(number)
            or stdnum.pt.nif.is_valid(number)
        )
    if len(number) == 11:
        return (
            stdnum.pl.pesel.is_valid(number)
            or stdnum.de.idnr.is_valid(number)
            or stdnum.br.cpf.is_valid(number)
        )
    return False


def dni_ok(candidate: str) -> bool:
    return stdnum.es.dni.is_valid(_NON_ALNUM.sub("", candidate))


def cf_ok(candidate: str) -> bool:
    return stdnum.it.codicefiscale.is_valid(candidate)


_NINO_FIRST = set("ABCEGHJKLMNOPRSTWXYZ")  # not D, F, I, Q, U, V
_NINO_SECOND = set("ABCEGHJKLMNPRSTWXYZ")  # also not O
_NINO_BAD_PREFIXES = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino_ok(candidate: str) -> bool:
    """UK National Insurance number: HMRC's prefix rules and an A-D suffix.

    python-stdnum has no NINO module; the rules are those of HMRC's National Insurance
    Manual (NIM39110): first letter not D, F, I, Q, U or V; second letter not those nor O;
    prefixes BG, GB, KN, NK, NT, TN and ZZ never allocated; suffix A, B, C or D.
    """
    compact = _NON_ALNUM.sub("", candidate).upper()
    if len(compact) != 9 or not compact[2:8].isdigit():
        return False
    return (
        compact[0] in _NINO_FIRST
        and compact[1] in _NINO_SECOND
        and compact[:2] not in _NINO_BAD_PREFIXES
        and compact[8] in "ABCD"
    )


# --- phone numbers ------------------------------------------------------------------------

# Regions tried for national numbers that start with a trunk prefix 0.
TRUNK_REGIONS: tuple[str, ...] = ("FR", "DE", "GB", "CH", "AT", "BE", "NL", "IE", "IT")

# Numbers reserved for drama and documentation (Ofcom): libphonenumber calls them
# invalid, but they are phone numbers, and test data uses them.
_FICTIONAL = (("44", "7700900", 10),)


def _fictional(cc: str, national: str) -> bool:
    return any(cc == c and national.startswith(p) and len(national) == n for c, p, n in _FICTIONAL)


@lru_cache(maxsize=65536)
def phone_intl_ok(number: str) -> bool:
    """An international number, digits only (country code first)."""
    if not 7 <= len(number) <= 15:
        return False
    try:
        parsed = phonenumbers.parse("+" + number, None)
    except phonenumbers.NumberParseException:
        return False
    if phonenumbers.is_valid_number(parsed):
        return True
    return _fictional(str(parsed.country_code), str(parsed.national_number))


@lru_cache(maxsize=65536)
def phone_national_ok(number: str, regions: tuple[str, ...]) -> bool:
    """A national number (digits only) valid in one of ``regions``."""
    for region in regions:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return True
        if _fictional(str(parsed.country_code), str(parsed.national_number)):
            return True
    return False


_GROUPS = re.compile(r"\d+")


class PhoneShape:
    """What a national candidate looks like, which decides the regions to try."""

    TRUNK = "trunk"  # starts with 0: European national forms
    NANP = "nanp"  # (415) 555-0132, 415-555-0132, 1-415-555-0132
    NANP_SPACED = "nanp_spaced"  # 415 555 0132: only near a phone cue
    HK = "hk"  # 2123 4567
    COMPACT_NANP = "compact_nanp"  # 4155550132: only near a phone cue
    COMPACT_HK = "compact_hk"  # 21234567: only near a phone cue


def phone_shape(candidate: str) -> str | None:
    """Classify a national phone candidate; None for shapes we never take as phones."""
    if P.DATE_LIKE.fullmatch(candidate) or P.DATE_INSIDE.search(candidate):
        return None
    groups = [len(g) for g in _GROUPS.findall(candidate)]
    n = sum(groups)
    first = candidate.lstrip("(")[:1]
    if first == "0":
        return PhoneShape.TRUNK if 9 <= n <= 13 else None
    if len(groups) == 1:
        if n == 10:
            return PhoneShape.COMPACT_NANP
        if n == 8:
            return PhoneShape.COMPACT_HK
        return None
    if (first == "1" and n == 11 and groups[0] == 1) or (
        n == 10 and (candidate.startswith("(") or groups == [3, 3, 4])
    ):
        # "201 200 1990" may be three numbers in a row: spaces alone need a phone word
        spaced = not any(c in candidate for c in "()-./")
        return PhoneShape.NANP_SPACED if spaced else PhoneShape.NANP
    if n == 8 and groups == [4, 4]:
        if P.DATE_LIKE.fullmatch(candidate.replace(" ", "-")):
            return None  # "2019 2020" is two years
        return PhoneShape.HK
    return None


SHAPE_REGIONS: dict[str, tuple[str, ...]] = {
    PhoneShape.TRUNK: TRUNK_REGIONS,
    PhoneShape.NANP: ("US",),
    PhoneShape.NANP_SPACED: ("US",),
    PhoneShape.HK: ("HK",),
    PhoneShape.COMPACT_NANP: ("US",),
    PhoneShape.COMPACT_HK: ("HK",),
}


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
    m = _THOUSANDS.match(num)
    if m:
        return float(digits(m.group(0)))
    return float(num.replace(",", "."))
