"""National identifiers from ``data/national_ids.toml``: their written shapes become
alternatives of the scan (``patterns.SCAN``), and each candidate is checked by the
identifier's validator (python-stdnum, or one of ours) and, where the file says so, by an
identity word near it.

Shapes shared by several identifiers (eleven plain digits: PESEL, IdNr, AMKA, OIB, ...)
become one alternative that tries each identifier's validator in file order.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from consentgate.redaction.id_checks import cn_ric_ok, de_rvnr_ok, es_nuss_ok, hu_personal_ok
from consentgate.redaction.vocabulary import IdSpec, national_ids


@dataclass(frozen=True)
class IdShape:
    """One alternative of the scan: a written shape and the identifiers that have it."""

    name: str  # the regex group name
    first: str  # the anchor: a character class matching the shape's first digit
    rest: str  # the shape after its first character
    lead: str  # letters before the first digit ("" for none)
    specs: tuple[IdSpec, ...]

    @property
    def lead_re(self) -> re.Pattern[str] | None:
        return _lead_re(self.lead) if self.lead else None


@cache
def _lead_re(lead: str) -> re.Pattern[str]:
    # the letters must end at the anchor and not continue a longer word
    return re.compile(r"(?<![A-Za-z0-9])(?:" + lead + r")\Z")


def _split_first(shape: str) -> tuple[str, str]:
    r"""The shape's first character (the scan's anchor) and the rest: ``\d{2}\.\d{3}``
    gives ``\d`` and ``\d{1}\.\d{3}``."""
    if shape.startswith(r"\d"):
        atom = r"\d"
    elif shape.startswith("["):
        atom = shape[: shape.index("]") + 1]
    elif shape[:1].isdigit():
        atom = shape[0]
    else:
        raise ValueError(f"national_ids.toml: a shape starts with a digit: {shape!r}")
    rest = shape[len(atom) :]
    m = re.match(r"\{(\d+)(?:,(\d*))?\}", rest)
    if m:
        lo, hi = int(m.group(1)), m.group(2)
        if lo < 1:
            raise ValueError(f"national_ids.toml: a shape's first digit is optional: {shape!r}")
        tail = rest[m.end() :]
        if hi is None:
            rest = (f"{atom}{{{lo - 1}}}" if lo > 1 else "") + tail
        else:
            rest = f"{atom}{{{lo - 1},{int(hi) - 1 if hi else ''}}}" + tail
    elif rest[:1] == "+":
        rest = atom + "*" + rest[1:]
    elif rest[:1] in ("?", "*"):
        raise ValueError(f"national_ids.toml: a shape's first digit is optional: {shape!r}")
    return atom, rest


def _shapes(specs: list[IdSpec]) -> tuple[IdShape, ...]:
    by_key: dict[tuple[str, str], list[IdSpec]] = {}
    for spec in specs:
        for shape in spec.shapes:
            re.compile(shape)  # a broken shape fails here, naming nothing else
            by_key.setdefault((spec.lead, shape), []).append(spec)
    out = []
    for i, ((lead, shape), group) in enumerate(by_key.items()):
        first, rest = _split_first(shape)
        out.append(IdShape(f"id{i}", first, rest, lead, tuple(group)))
    return tuple(out)


SPECS: tuple[IdSpec, ...] = tuple(national_ids())
SHAPES: tuple[IdShape, ...] = _shapes(list(SPECS))
BY_NAME: dict[str, IdShape] = {s.name: s for s in SHAPES}


# --- validators ---------------------------------------------------------------------------


@cache
def _stdnum(module: str):
    return importlib.import_module("stdnum." + module)


def check_validators(specs: tuple[IdSpec, ...]) -> None:
    """Resolve every identifier's validator now: a misspelt name or a python-stdnum module
    that does not exist fails when the file is loaded, naming the identifier, not in the
    middle of a build (and the modules are imported once, up front)."""
    for spec in specs:
        v = spec.validator
        if v.startswith("stdnum:"):
            try:
                _stdnum(v.removeprefix("stdnum:"))
            except ImportError as exc:
                raise ValueError(f"national_ids.toml: {spec.name} ({spec.country}): no "
                                 f"python-stdnum module {v!r}") from exc
        elif v not in _OWN_CHECKS:
            raise ValueError(f"national_ids.toml: {spec.name} ({spec.country}): unknown "
                             f"validator {v!r}")


@lru_cache(maxsize=131072)
def valid(validator: str, value: str) -> bool:
    """Does ``value`` (as written) pass the named validator?"""
    if validator.startswith("stdnum:"):
        mod = _stdnum(validator.removeprefix("stdnum:"))
        try:
            if mod.is_valid(value):
                return True
            # some modules keep spaces as they are ("536 90 4399"): try without them
            spaceless = value.replace(" ", "").replace("\u00a0", "")
            return spaceless != value and bool(mod.is_valid(spaceless))
        except Exception:  # a validator that raises on odd input: not a valid number
            return False
    if validator in _OWN_CHECKS:
        return _OWN_CHECKS[validator](value)
    raise ValueError(f"unknown validator {validator!r}")


_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")
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


def hkid_ok(candidate: str) -> bool:
    """Hong Kong identity card number: one or two letters, six digits and a check digit
    (0-9 or A) chosen so that the weighted sum (a space standing for the missing first
    letter counts 36, letters 10-35; weights 9 down to 1) is divisible by 11."""
    compact = _NON_ALNUM.sub("", candidate).upper()
    if len(compact) == 8:
        compact = " " + compact
    if len(compact) != 9 or not compact[2:8].isdigit() or not compact[1].isalpha():
        return False
    if compact[0] != " " and not compact[0].isalpha():
        return False
    values = [36 if c == " " else (ord(c) - 55 if c.isalpha() else int(c)) for c in compact[:8]]
    check = compact[8]
    total = sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True))
    total += 10 if check == "A" else int(check) if check.isdigit() else 99
    return total % 11 == 0


# Validators of our own, by the name national_ids.toml gives them
_OWN_CHECKS: dict[str, Callable[[str], bool]] = {
    "nino": nino_ok, "hkid": hkid_ok,
    "hu_personal": hu_personal_ok, "de_rvnr": de_rvnr_ok, "es_nuss": es_nuss_ok,
    "cn_ric": cn_ric_ok,
}


def id_cue_words() -> list[str]:
    """Every identifier's own names (``cues`` in national_ids.toml)."""
    words: dict[str, None] = {}
    for spec in SPECS:
        for w in spec.cues:
            words.setdefault(w, None)
    return list(words)


check_validators(SPECS)
