"""Neutral text: numbers that are no personal data.

``filler`` makes the hand-written sentences' numbers (prices, barcodes, dates, versions,
phone-shaped numbers that are not valid); ``offline_lines`` reads real text that is on this
machine: translated strings of gettext catalogs and lines of installed documentation.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import random
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from faker import Faker

import independent.money as money
import independent.values as values

_ORDER = ["#########", "##-#####-##", "A#######", "{year}/#####", "######-##", "??-######"]
_INVOICE = ["INV-{year}-#####", "{year}-####", "RE#########", "F-{year}-###", "{year}/##/###"]
_TRACKING = ["1Z###??##########", "JJD00##############", "CX#########DE", "RR#########CH",
             "00340434##########"]


def filler(name: str, fake: Faker, rng: random.Random, country: str, locale: str,
           currency: str) -> str:
    """The text of one neutral placeholder (``{price}``, ``{ean}``, ``{date}``, ...)."""
    year = str(rng.randint(1990, 2026))
    if name in ("price", "rent", "fee"):
        return money.price(rng, currency, locale)
    if name == "ean":
        return fake.ean13()
    if name == "isbn":
        return fake.isbn13() if rng.random() < 0.7 else fake.isbn10()
    if name in ("order", "invoice", "tracking"):
        shapes = {"order": _ORDER, "invoice": _INVOICE, "tracking": _TRACKING}[name]
        return fake.bothify(rng.choice(shapes).format(year=year),
                            letters="ABCDEFGHJKLMNPRSTUVWXYZ")
    if name == "date":
        day = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(10_000))
        return format_date(day, format=rng.choice(["short", "medium", "long"]), locale=locale)
    if name == "time":
        return format_time(dt.time(rng.randrange(24), rng.choice([0, 15, 30, 45])),
                           format="short", locale=locale)
    if name == "version":
        return f"{rng.randint(0, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}"
    if name == "pct":
        return money.percent(rng, locale)
    if name == "year":
        return year
    if name == "big":
        return format_decimal(rng.randint(10_000, 900_000_000), locale=locale)
    if name == "n":
        return str(rng.randint(2, 500))
    if name == "km":
        return format_decimal(round(rng.uniform(0.5, 900), rng.choice([0, 1])), locale=locale)
    if name == "postcode":
        return fake.postcode()
    if name == "fakephone":
        return values.fake_phone(fake, rng, country)
    if name == "code":
        return fake.bothify("??-####-??", letters="ABCDEFGHJKLMNPRSTUVWXYZ")
    raise KeyError(f"unknown neutral placeholder {{{name}}}")


# ------------------------------------------------------------------ text on this machine

_URL = re.compile(r"https?:|www\.|ftp:|\.(com|org|net|de|fr)\b", re.I)
# a run of 9 or more digits, maybe with separators: could be somebody's number; not kept
_LONG_NUMBER = re.compile(r"\d(?:[\s\-./()]?\d){8,}")
_DIGIT = re.compile(r"\d")
# lines that name people (copyright holders, authors, thanks): personal data of a kind the
# redactor does not look for, so not "neutral" text we could vouch for
_PEOPLE = re.compile(r"copyright|\(c\)|©|thank|author|written by|contributed|patch by|"
                     r"reported by|signed-off|reviewed-by|maintainer|^\[ .* \]$", re.I)

# gettext catalog folders for each sentence file
MO_DIRS = {
    "zh_Hans": ["zh_CN"], "zh_Hant": ["zh_TW", "zh_HK"], "pt_BR": ["pt_BR"], "no": ["nb", "no"],
    "en": ["en_GB", "en_AU", "en_CA"],
}


def keep_line(line: str) -> bool:
    """A real line worth keeping as neutral text: it has a digit, is neither too short nor
    too long, and has no @, no address of a site and no long run of digits."""
    return (
        12 <= len(line) <= 300
        and bool(_DIGIT.search(line))
        and "@" not in line
        and not _URL.search(line)
        and not _LONG_NUMBER.search(line)
        and not _PEOPLE.search(line)
    )


def _mo_strings(path: Path) -> Iterator[str]:
    """The translated strings of a gettext catalog (the standard library reads it)."""
    import gettext

    try:
        with path.open("rb") as fh:
            catalog = gettext.GNUTranslations(fh)._catalog  # msgid -> translation
    except Exception:  # a catalog that cannot be read: skip it
        return
    for key, text in catalog.items():
        if not key or not isinstance(text, str):  # the header entry has an empty msgid
            continue
        for line in text.splitlines():
            yield line.strip()


@functools.cache
def gettext_lines(lang_file: str, root: Path = Path("/usr/share/locale")) -> list[tuple[str, str]]:
    """(line, source) from every catalog of the language, deduplicated, in a stable order."""
    dirs = MO_DIRS.get(lang_file, [lang_file])
    seen: dict[str, str] = {}
    for d in dirs:
        for path in sorted((root / d / "LC_MESSAGES").glob("*.mo")):
            for line in _mo_strings(path):
                if keep_line(line) and line not in seen:
                    seen[line] = f"gettext:{d}/{path.stem}"
    return sorted(seen.items())


_DOC_NAMES = re.compile(r"^(README|NEWS|changelog\.Debian|copyright|AUTHORS|THANKS|TODO|FAQ|"
                        r"METADATA)", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")


def _doc_files() -> Iterator[Path]:
    for path in sorted(Path("/usr/share/doc").rglob("*")):
        if (_DOC_NAMES.match(path.name) and path.is_file() and not path.is_symlink()
                and path.stat().st_size < 1_000_000):
            yield path
    for site in sorted({p for p in sys.path if p.endswith("site-packages")}):
        yield from sorted(Path(site).glob("*.dist-info/METADATA"))


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        if b"\0" in raw[:4096]:
            return ""
        return raw.decode("utf-8")
    except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile):
        return ""


@functools.lru_cache(maxsize=1)
def doc_lines(lines_per_file: int = 300) -> list[tuple[str, str]]:
    """(line, source) from installed documentation (English, mostly): READMEs, NEWS,
    changelogs, copyright files, package metadata; lines of prose (three words or more, no
    markup)."""
    seen: dict[str, str] = {}
    for path in _doc_files():
        source = "doc:" + str(path).split("/site-packages/")[-1].replace("/usr/share/doc/", "")
        for line in _read_text(path).splitlines()[:lines_per_file]:
            line = line.strip(" \t*-+#>|")
            if (keep_line(line) and "<" not in line and len(_WORD.findall(line)) >= 3
                    and line not in seen):
                seen[line] = source
    return sorted(seen.items())


def split_of(text: str) -> str:
    """dev or test for a line of real text: the same line always goes to the same split."""
    return "dev" if zlib.crc32(text.encode("utf-8")) % 2 == 0 else "test"
