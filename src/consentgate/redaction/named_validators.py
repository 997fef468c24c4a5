"""The validators a policy's extra recognizers may name (``validator = "..."``).

A fixed list, so that a policy file names a check and never carries code:

``luhn``
    the Luhn checksum over the value's digits (spaces and hyphens between them allowed);
``iban``
    an IBAN: country, length, format and check digits (schwifty);
``phone``
    a number valid per libphonenumber, for one of the recognizer's ``regions`` (a value in
    international form, ``+41 ...``, must belong to one of them); with no regions, any valid
    number in international form;
``email``
    the shape of an address: a local part, ``@``, a domain of dot-separated labels ending in
    a top-level domain of letters;
``stdnum:<module>``
    ``is_valid`` of a python-stdnum module, e.g. ``stdnum:ch.ssn`` (Swiss AHV/AVS number),
    ``stdnum:be.nn`` (Belgian national number), ``stdnum:fr.nir``, ``stdnum:us.ssn``.

:func:`get_validator` raises ``ValueError`` with a message naming the valid choices; the
policy model uses it to check a recognizer when the policy loads.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable

Validator = Callable[[str], bool]

#: The validators named by a word; python-stdnum modules are named ``stdnum:<module>``.
NAMED: tuple[str, ...] = ("luhn", "iban", "phone", "email")
STDNUM_PREFIX = "stdnum:"

_LUHN_SHAPE = re.compile(r"^\d(?:[ \-]?\d)+$")
_EMAIL = re.compile(
    r"^(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$"
)
_MODULE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$")


def validator_names() -> tuple[str, ...]:
    """The names a recognizer's ``validator`` may take (the last stands for every
    python-stdnum module with ``is_valid``)."""
    return (*NAMED, f"{STDNUM_PREFIX}<module>")


@functools.cache
def stdnum_modules() -> tuple[str, ...]:
    """The python-stdnum modules, as ``ch.ssn``, for suggestions (not imported here: a
    module is checked for ``is_valid`` when it is named)."""
    import stdnum

    names = []
    for info in pkgutil.walk_packages(stdnum.__path__, "stdnum.", onerror=lambda _name: None):
        name = info.name.removeprefix("stdnum.")
        if not info.ispkg and not name.split(".")[-1].startswith("_"):
            names.append(name)
    return tuple(sorted(n for n in names if n not in {"util", "exceptions", "numdb"}))


def _unknown(name: str) -> ValueError:
    names = ", ".join(repr(n) for n in NAMED)
    close = difflib.get_close_matches(name, NAMED, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return ValueError(
        f"unknown validator {name!r}{hint}: the validators are {names} and "
        f"'stdnum:<module>' for a python-stdnum module with is_valid, e.g. 'stdnum:ch.ssn'"
    )


def _stdnum(module: str) -> Validator:
    if not _MODULE.match(module):
        raise ValueError(
            f"{STDNUM_PREFIX}{module!r}: not a python-stdnum module name (such as 'ch.ssn')"
        )
    try:
        mod = importlib.import_module(f"stdnum.{module}")
    except ImportError:
        close = difflib.get_close_matches(module, stdnum_modules(), n=3)
        hint = f" (did you mean {', '.join(f'stdnum:{c}' for c in close)}?)" if close else ""
        raise ValueError(f"no python-stdnum module {module!r}{hint}") from None
    is_valid = getattr(mod, "is_valid", None)
    if not callable(is_valid):
        raise ValueError(f"python-stdnum module {module!r} has no is_valid")

    def check(value: str) -> bool:
        try:
            return bool(is_valid(value))
        except Exception:  # a validator that chokes on a value says no
            return False

    return check


def luhn_valid(value: str) -> bool:
    """The Luhn checksum over the digits (at least two; spaces or hyphens between them)."""
    from stdnum import luhn

    if not _LUHN_SHAPE.match(value):
        return False
    return luhn.is_valid(re.sub(r"[ \-]", "", value))


def iban_valid(value: str) -> bool:
    """An IBAN whose country, length, format and check digits are right (schwifty)."""
    from schwifty import IBAN

    try:
        IBAN(value)
    except Exception:  # schwifty raises its own exceptions for each kind of fault
        return False
    return True


def email_valid(value: str) -> bool:
    """The shape of an e-mail address (no DNS look-up)."""
    m = _EMAIL.match(value)
    return bool(m) and len(value) <= 254 and len(m.group("local")) <= 64


def phone_validator(regions: Iterable[str]) -> Validator:
    """A number libphonenumber holds valid for one of ``regions`` (any region when none is
    given; the value must then be in international form)."""
    import phonenumbers

    wanted = tuple(regions)

    def check(value: str) -> bool:
        intl = value.lstrip().startswith("+")
        tries = [None] if intl or not wanted else list(wanted)
        for region in tries:
            try:
                number = phonenumbers.parse(value, region)
            except phonenumbers.NumberParseException:
                continue
            if not phonenumbers.is_valid_number(number):
                continue
            if not wanted or phonenumbers.region_code_for_number(number) in wanted:
                return True
        return False

    return check


def phone_regions() -> frozenset[str]:
    """The region codes libphonenumber knows (ISO 3166-1 alpha-2, plus ``001`` for
    non-geographic numbers, which is not accepted here)."""
    import phonenumbers

    return frozenset(r for r in phonenumbers.SUPPORTED_REGIONS if r.isalpha())


def get_validator(name: str, regions: Iterable[str] = ()) -> Validator:
    """The check called ``name``; ``regions`` only for ``phone``. ``ValueError`` (with the
    valid names) for an unknown name or a python-stdnum module that does not exist."""
    regions = tuple(regions)
    if name.startswith(STDNUM_PREFIX):
        return _stdnum(name.removeprefix(STDNUM_PREFIX))
    if name == "luhn":
        return luhn_valid
    if name == "iban":
        return iban_valid
    if name == "email":
        return email_valid
    if name == "phone":
        bad = sorted(set(regions) - phone_regions())
        if bad:
            raise ValueError(f"not region codes libphonenumber knows: {', '.join(bad)}")
        return phone_validator(regions)
    raise _unknown(name)
