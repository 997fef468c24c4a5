"""Labelled values from libraries we did not write: Faker makes them, phonenumbers and
python-stdnum decide whether they are real-looking (valid) ones, and the drops are counted.

Each maker returns ``(value, form, source)`` or ``None`` when the value it drew was dropped by
its filter; ``Drops`` counts drawn and kept per (class, country, source).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
import random
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers as pn
from faker import Faker
from stdnum import iban as std_iban
from stdnum import luhn

PNF = pn.PhoneNumberFormat


@dataclass
class Drops:
    """Values drawn and kept, per (class, country, source)."""

    drawn: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)

    def add(self, key: tuple[str, str, str], kept: bool) -> None:
        self.drawn[key] += 1
        if kept:
            self.kept[key] += 1

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"class": k[0], "country": k[1], "source": k[2], "drawn": n,
             "kept": self.kept[k], "dropped": n - self.kept[k]}
            for k, n in sorted(self.drawn.items())
        ]

    def totals(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (cls, _c, _s), n in self.drawn.items():
            row = out.setdefault(cls, {"drawn": 0, "kept": 0})
            row["drawn"] += n
        for (cls, _c, _s), n in self.kept.items():
            out[cls]["kept"] += n
        for row in out.values():
            row["dropped"] = row["drawn"] - row["kept"]
        return out


def faker_for(locale: str, seed: int) -> Faker:
    fake = Faker(locale)
    fake.seed_instance(seed)
    return fake


def _provider_module(fake: Faker, method: str) -> str:
    return type(getattr(fake, method).__self__).__module__


def has_own(fake: Faker, method: str, locale: str) -> bool:
    """Whether the locale has its own provider for ``method`` (Faker falls back to en_US)."""
    mod = _provider_module(fake, method)
    return not mod.endswith(".en_US") or locale == "en_US"


# ---------------------------------------------------------------- phones


def _valid_for(text: str, country: str) -> bool:
    try:
        num = pn.parse(text, country)
    except pn.NumberParseException:
        return False
    return pn.is_valid_number_for_region(num, country)


def phone(fake: Faker, rng: random.Random, country: str, patterns: list[str],
          own_provider: bool, ext_words: list[str], trunk0: bool,
          drops: Drops) -> tuple[str, str, str] | None:
    """A valid phone number of ``country`` in one of the forms people write."""
    if own_provider and (not patterns or rng.random() < 0.6):
        raw, source = fake.phone_number(), f"faker:{fake.locales[0]}.phone_number"
    else:
        raw, source = fake.numerify(rng.choice(patterns)), "faker:numerify"
    ok = _valid_for(raw, country)
    drops.add(("phone", country, source), ok)
    if not ok:
        return None
    num = pn.parse(raw, country)
    national = pn.format_number(num, PNF.NATIONAL)
    intl = pn.format_number(num, PNF.INTERNATIONAL)
    forms = {
        "as_generated": raw,
        "national": national,
        "international": intl,
        "e164": pn.format_number(num, PNF.E164),
        "compact": "".join(ch for ch in national if ch.isdigit()),
        "intl_00": "00" + intl[1:],
    }
    nsn = pn.national_significant_number(num)
    if trunk0 and national.lstrip("(").startswith("0"):
        rest = intl.split(" ", 1)[1] if " " in intl else nsn
        forms["intl_trunk0"] = f"+{num.country_code} (0){rest}"
    form = rng.choice(sorted(forms))
    value = forms[form]
    if not _valid_for(value, country):
        return None
    if rng.random() < 0.1:
        ext = str(rng.randint(2, 9999))
        words = ["x", "ext. ", "ext "] + [f"{w} " for w in ext_words]
        value, form = f"{value} {rng.choice(words)}{ext}", f"{form}+ext"
    return value, form, source


@functools.cache
def _corpus_countries() -> tuple[str, ...]:
    with open(Path(__file__).with_name("countries.toml"), "rb") as fh:
        return tuple(tomllib.load(fh))


def fake_phone(fake: Faker, rng: random.Random, country: str) -> str:
    """A phone-shaped number that is *not* a valid national number in ``country`` nor in
    any other country of the corpus (a neutral filler). Invalid in ``country`` alone is
    not enough: "0330 767919" is no Belgian number, but it is a French one, and a reader
    of a Belgian line in French would take it for a phone number."""
    for _ in range(300):
        shape = rng.choice(["0## ### ###", "### ### ####", "0### ######", "## ## ## ##",
                            "+%# ### ### ###", "(0##) ### ####"])
        text = fake.numerify(shape)
        if not text.startswith("+") and not any(
            _valid_for(text, cc) for cc in (country, *_corpus_countries())
        ):
            return text
        if text.startswith("+"):
            try:
                if not pn.is_valid_number(pn.parse(text, None)):
                    return text
            except pn.NumberParseException:
                return text
    return "000 000 000"


# ---------------------------------------------------------------- e-mails


def email(fake: Faker, rng: random.Random, country: str, at_words: list[str],
          dot_words: list[str]) -> tuple[str, str, str]:
    how = rng.choice(["free_email", "company_email", "email", "free_email"])
    value = getattr(fake, how)()
    source = f"faker:{fake.locales[0]}.{how}"
    if rng.random() >= 0.2:
        return value, "plain", source
    user, domain = value.split("@", 1)
    name, _, tld = domain.rpartition(".")
    style = rng.randrange(6)
    if style == 0:
        value = f"{user} [at] {name} [dot] {tld}"
    elif style == 1:
        value = f"{user}(at){domain}"
    elif style == 2:
        value = f"{user} (at) {name} (dot) {tld}"
    elif style == 3:
        value = f"{user} at {name} dot {tld}"
    elif style == 4:
        value = f"{user}[at]{domain}"
    else:
        at = rng.choice(at_words or ["at"])
        dot = rng.choice(dot_words or ["dot"])
        value = f"{user} {at} {name} {dot} {tld}"
    return value, "obfuscated", source


# ---------------------------------------------------------------- IBANs and cards


def iban(fake: Faker, rng: random.Random, country: str, drops: Drops) -> tuple[str, str, str] | None:
    raw = fake.iban()
    source = f"faker:{fake.locales[0]}.iban"
    if not raw.startswith(country):
        from schwifty import IBAN

        made = IBAN.random(country_code=country, random=rng)
        if not made.account_code.isdigit():  # accounts are numbers nearly everywhere
            digits = "".join(rng.choice("0123456789") for _ in made.account_code)
            made = IBAN.random(country_code=country, random=rng, bank_code=made.bank_code,
                               account_code=digits)
        raw, source = str(made), "schwifty.IBAN.random"
    ok = std_iban.is_valid(raw) and raw.startswith(country)
    drops.add(("iban", country, source), ok)
    if not ok:
        return None
    form = rng.choice(["compact", "grouped", "grouped"])
    return (std_iban.format(raw) if form == "grouped" else raw), form, source


CARD_TYPES = ["visa16", "mastercard", "amex", "maestro", "discover", "jcb16", "diners", "visa16"]


def card(fake: Faker, rng: random.Random, country: str, drops: Drops) -> tuple[str, str, str] | None:
    # a locale may have card types of its own (Faker's credit_card_types)
    known = getattr(fake.credit_card_number.__self__, "credit_card_types", {})
    kinds = [k for k in CARD_TYPES if k in known] or sorted(known)
    kind = rng.choice(kinds)
    raw = fake.credit_card_number(card_type=kind)
    source = f"faker:credit_card_number({kind})"
    ok = luhn.is_valid(raw) and 13 <= len(raw) <= 19
    drops.add(("card", country, source), ok)
    if not ok:
        return None
    form = rng.choice(["spaces", "spaces", "dashes", "compact"])
    if form == "compact":
        return raw, form, source
    sizes = {15: [4, 6, 5], 14: [4, 6, 4]}.get(len(raw), [4] * (len(raw) // 4) + [len(raw) % 4])
    groups, i = [], 0
    for size in sizes:
        if size:
            groups.append(raw[i:i + size])
            i += size
    return (" " if form == "spaces" else "-").join(groups), form, source


# ---------------------------------------------------------------- national ids

NINO_PREFIXES = ["AB", "CE", "EH", "GY", "JP", "KL", "MA", "NW", "PR", "SC", "TA", "WE", "YH", "HR"]


def hkid(rng: random.Random) -> str:
    """A Hong Kong identity card number with its check digit (no stdnum module for it)."""
    letter = chr(ord("A") + rng.randrange(26))
    digits = "".join(str(rng.randrange(10)) for _ in range(6))
    total = 36 * 9 + (ord(letter) - 55) * 8 + sum(int(d) * w for d, w in zip(digits, range(7, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return f"{letter}{digits}({'A' if check == 10 else check})"


def _pattern_value(fake: Faker, rng: random.Random, pattern: str) -> str:
    born: dt.date = fake.date_of_birth(minimum_age=18, maximum_age=75)
    old = born.year < 2000
    fill = {
        "yy": f"{born.year % 100:02d}", "mm": f"{born.month:02d}", "dd": f"{born.day:02d}",
        "yyyy": str(born.year),
        "c_ee": rng.choice("34" if old else "56"),
        "c_kr": rng.choice("12" if old else "34"),
        "c_is": "9" if old else "0",
        "nino": rng.choice(NINO_PREFIXES), "nino_suffix": rng.choice("ABCD"),
        "hkid": hkid(rng),
    }
    return fake.bothify(pattern.format(**fill), letters="ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def national_id(fake: Faker, rng: random.Random, country: str, spec: dict[str, Any],
                drops: Drops) -> tuple[str, str, str] | None:
    """One number of the kind ``spec`` (an entry of ids.toml), validated by python-stdnum."""
    if "pattern" in spec:
        raw, source = _pattern_value(fake, rng, spec["pattern"]), "faker:bothify"
    else:
        raw = str(getattr(fake, spec["faker"])())
        source = f"faker:{fake.locales[0]}.{spec['faker']}"
    if spec.get("strip") and raw.startswith(spec["strip"]):
        raw = raw[len(spec["strip"]):]
    module = importlib.import_module(f"stdnum.{spec['stdnum']}") if spec.get("stdnum") else None
    ok = module.is_valid(raw) if module else True
    drops.add(("national_id", country, source + ("" if module else " (no stdnum module)")), ok)
    if not ok:
        return None
    forms = {"as_generated": raw}
    if module is not None:
        compact = module.compact(raw)
        forms["compact"] = compact
        if hasattr(module, "format"):
            # a format() that needs more than the number: keep the other forms
            with contextlib.suppress(Exception):
                forms["formatted"] = module.format(compact)
    else:
        forms["compact"] = "".join(ch for ch in raw if ch.isalnum())
    form = rng.choice(sorted(forms))
    return forms[form], form, source
