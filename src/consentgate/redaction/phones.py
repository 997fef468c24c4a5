"""National phone numbers: which countries a number written without ``+country code``
is valid in, from libphonenumber's metadata (lengths, number plans, trunk prefixes).

``data/phones.toml`` names the countries tried when no phone word stands near the number;
with one, every country libphonenumber knows is tried.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata

from consentgate.redaction.vocabulary import phone_settings

# libphonenumber compiles its metadata patterns on every call through re.compile, whose
# cache (512 patterns) a scan over every country's plan overflows: keep them all
_cache = getattr(getattr(phonenumbers, "re_util", None), "enable_pattern_cache", None)
if _cache is not None:
    _cache()


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    """Compiled on first use: a process that checks a number against every country
    compiles only the patterns of the countries whose lengths fit (cold start)."""
    return re.compile(pattern)


@dataclass(frozen=True)
class _Region:
    code: str
    country_code: str  # the calling code: "44"
    prefix: str  # the trunk prefix ("0", "06", "8", "1") or ""
    prefix_optional: bool  # numbers are usually written without it (NANP's "1")
    lengths: frozenset[int]
    pattern_src: str
    # (pattern, lengths) of each number type (fixed line, mobile, toll free, ...): a
    # number valid for libphonenumber matches one of these
    types_src: tuple[tuple[str, frozenset[int]], ...]
    mobile_src: tuple[str, frozenset[int]] | None
    mobile_shared: bool  # mobile and fixed-line numbers look the same (the NANP)
    also_written: frozenset[tuple[int, ...]]
    # (leading digits, pattern) of the national formats written without the trunk prefix
    # (China's mobiles "186 4168 2293", Brazil's "(11) 96123-4567", optional in India)
    prefixless: tuple[tuple[str | None, str], ...] = ()
    # libphonenumber rewrites numbers of this country before checking them
    # (national_prefix_for_parsing: Argentina's 15, Belarus's 8 0, ...)
    rewrites: bool = False

    @property
    def pattern(self) -> re.Pattern[str]:
        return _rx(self.pattern_src)

    def types(self) -> Iterator[tuple[re.Pattern[str], frozenset[int]]]:
        return ((_rx(p), lengths) for p, lengths in self.types_src)

    def is_mobile(self, nsn: str) -> bool:
        return (self.mobile_src is not None and len(nsn) in self.mobile_src[1]
                and _rx(self.mobile_src[0]).fullmatch(nsn) is not None)

    def written_without_prefix(self, nsn: str) -> bool:
        return any((lead is None or _rx(lead).match(nsn)) and _rx(pattern).fullmatch(nsn)
                   for lead, pattern in self.prefixless)


@cache
def _region(code: str) -> _Region | None:
    meta = PhoneMetadata.metadata_for_region(code)
    if meta is None or meta.general_desc is None or not meta.general_desc.national_number_pattern:
        return None
    prefix = meta.national_prefix or ""
    general = frozenset(meta.general_desc.possible_length or ())
    types = []
    for desc in (meta.fixed_line, meta.mobile, meta.toll_free, meta.premium_rate,
                 meta.shared_cost, meta.personal_number, meta.voip, meta.pager, meta.uan,
                 meta.voicemail):
        if desc is None or not desc.national_number_pattern:
            continue
        lengths = frozenset(desc.possible_length or ()) or general
        if lengths == frozenset((-1,)):
            continue  # "no number of this type"
        types.append((desc.national_number_pattern, lengths))
    mobile = None
    if meta.mobile is not None and meta.mobile.national_number_pattern:
        mobile = (meta.mobile.national_number_pattern,
                  frozenset(meta.mobile.possible_length or ()) or general)
    written = phone_settings().get("also_written", {}).get(code, [])
    prefixless = []
    if prefix:
        for fmt in meta.number_format:
            rule = fmt.national_prefix_formatting_rule
            if rule is None or prefix not in rule or fmt.national_prefix_optional_when_formatting:
                lead = fmt.leading_digits_pattern[-1] if fmt.leading_digits_pattern else None
                prefixless.append((lead or None, fmt.pattern))
    return _Region(
        code=code,
        country_code=str(meta.country_code),
        prefix=prefix,
        # a trunk prefix other than "0..." (NANP's 1, Russia's 8) is left out in writing
        prefix_optional=bool(prefix) and not prefix.startswith("0"),
        lengths=frozenset(meta.general_desc.possible_length or ()),
        pattern_src=meta.general_desc.national_number_pattern,
        types_src=tuple(types),
        mobile_src=mobile,
        mobile_shared=(meta.mobile is not None and meta.fixed_line is not None
                       and meta.mobile.national_number_pattern
                       == meta.fixed_line.national_number_pattern),
        also_written=frozenset(tuple(g) for g in written),
        prefixless=tuple(prefixless),
        rewrites=(meta.national_prefix_for_parsing not in (None, prefix)
                  or meta.national_prefix_transform_rule is not None),
    )


@lru_cache(maxsize=4)
def _regions(named: bool) -> tuple[_Region, ...]:
    settings = phone_settings()
    codes = settings["regions"] if named else sorted(phonenumbers.SUPPORTED_REGIONS)
    if not named and settings.get("cued_regions", "all") != "all":
        codes = settings["cued_regions"]
    return tuple(r for r in map(_region, codes) if r is not None)


@cache
def _regions_named_first() -> tuple[_Region, ...]:
    """Every region tried next to a phone word, the named ones first: a number is most
    often valid in one of those, and each region's patterns compile on first use."""
    named = {r.code for r in _regions(True)}
    every = _regions(False)
    return (tuple(r for r in every if r.code in named)
            + tuple(r for r in every if r.code not in named))


@lru_cache(maxsize=64)
def _named_first_of_length(n: int) -> tuple[_Region, ...]:
    """``_regions_named_first`` less the regions where no number of ``n`` digits can be
    valid, as written or less the trunk prefix: they could only say no (and a number
    valid nowhere was checked against all 240-odd regions)."""
    return tuple(r for r in _regions_named_first()
                 if n in r.lengths or (r.prefix and n - len(r.prefix) in r.lengths))


def named_regions() -> tuple[str, ...]:
    return tuple(r.code for r in _regions(True))


def _national_forms(number: str, region: _Region, cued: bool) -> list[str]:
    """The national significant numbers ``number`` (digits as written) may stand for."""
    if region.prefix and number.startswith(region.prefix):
        return [number[len(region.prefix) :]]
    if region.prefix and not region.prefix_optional and not cued:
        # "612345678" in France is written "0612345678"; "18641682293" in China is not
        return [number] if region.written_without_prefix(number) else []
    return [number]


def _valid_nsn(number: str, region: _Region, cued: bool) -> str | None:
    """The national significant number ``number`` stands for in ``region``, if it is a
    valid number there: libphonenumber's test (``is_valid_number_for_region``: the number
    matches one of the region's number types), on its own metadata, without parsing."""
    for nsn in _national_forms(number, region, cued):
        n = len(nsn)
        if n not in region.lengths or region.pattern.fullmatch(nsn) is None:
            continue
        for pattern, lengths in region.types():
            if n in lengths and pattern.fullmatch(nsn) is not None:
                return nsn
        if _fictional_nsn(region.country_code, nsn):
            return nsn  # Ofcom's drama range (see _FICTIONAL)
    return None


def _parse_valid(number: str, region: _Region, cued: bool) -> phonenumbers.PhoneNumber | None:
    nsn = _valid_nsn(number, region, cued)
    if nsn is None:
        return None
    try:
        return phonenumbers.parse(number if nsn == number else region.prefix + nsn, region.code)
    except phonenumbers.NumberParseException:  # pragma: no cover - valid by metadata
        return None


@lru_cache(maxsize=131072)
def valid_anywhere(number: str, groups: tuple[int, ...]) -> bool:
    """Is ``number`` (digits as written, no country code; in digit groups of these
    lengths) a valid phone number in some country libphonenumber knows? Used next to a
    phone word. A country that dials a trunk prefix 0 counts a number written without it
    only when it is grouped as that country's numbers are written internationally
    ("6 12 34 56 78" in France)."""
    for region in _named_first_of_length(len(number)):
        if _valid_nsn(number, region, False) is not None:
            if (len(groups) >= 2 and region.prefix and not region.prefix_optional
                    and not number.startswith(region.prefix)):
                # valid as written without the trunk prefix ("(12) 3456-7890" in Brazil):
                # only when grouped as there ("123-456-7890" is no Brazilian number)
                parsed = _parse_valid(number, region, False)
                if parsed is None or groups not in _groupings(parsed, region):
                    continue
            return True
        if (region.prefix == "0" and not number.startswith("0") and len(groups) >= 2
                and _valid_nsn(number, region, True) is not None):
            parsed = _parse_valid(number, region, True)
            if parsed is not None and groups in _groupings(parsed, region):
                return True
    return False


_DIGIT_RUNS = re.compile(r"\d+")


@lru_cache(maxsize=131072)
def written_like_phone(number: str, groups: tuple[int, ...], mobile_only: bool = False) -> bool:
    """Is ``number``, written in digit groups of these lengths, a phone number of one of
    the named countries, with no phone word needed: valid there and either dialled with
    its trunk prefix 0 ("0612345678", "030/1234567") or grouped the way libphonenumber
    formats that country's numbers ("512 345 678" in Poland, "2123 4567" in Hong Kong)?
    ``mobile_only``: only a mobile number will do (for digits grouped like a thousands
    figure, "512 345 678", where a count is as likely as a landline)."""
    for region in _regions(True):
        nsn = _valid_nsn(number, region, False)
        if nsn is None:
            continue
        if mobile_only and not region.is_mobile(nsn):
            continue
        if (region.prefix.startswith("0") and number.startswith(region.prefix)
                and len(number) >= 9):
            return True  # dialled with its trunk prefix: "0612345678", "06 1 356 1059"
        if len(groups) < 2:
            continue
        if groups in region.also_written:
            return True  # "612 345 678": how Spaniards write mobiles
        parsed = _parse_valid(number, region, False)
        if parsed is not None and groups in _groupings(parsed, region):
            return True
    return False


@lru_cache(maxsize=131072)
def distinct_mobile(number: str) -> bool:
    """Is ``number`` a mobile number (libphonenumber's mobile pattern) of a named
    country whose mobile numbers differ from its landlines (not the NANP, where any
    number may be either)?"""
    for region in _regions(True):
        if region.mobile_src is None or region.mobile_shared:
            continue
        nsn = _valid_nsn(number, region, False)
        if nsn is not None and region.is_mobile(nsn):
            return True
    return False


@lru_cache(maxsize=131072)
def full_length_run(number: str) -> bool:
    """Is ``number`` (one run of eight or ten digits) valid in a named country that dials
    no trunk prefix and whose numbers all have that length ("38530395" in Denmark,
    "67493870" in Latvia, "2101111455" in Greece)? There numbers are written as one run,
    and nothing marks them as phone numbers but their plan. (Nine-digit runs are as often
    counts: "888067899 Einwohner".)"""
    for region in _regions(True):
        if region.prefix or len(number) not in (8, 10) or region.lengths != {len(number)}:
            continue
        if _valid_nsn(number, region, False) is not None:
            return True
    return False


def _groupings(parsed: phonenumbers.PhoneNumber, region: _Region) -> set[tuple[int, ...]]:
    """Digit-group lengths of the usual ways to write a number: national format, with
    its optional trunk prefix as a group of its own, and the international format's groups
    after the country code."""
    national = tuple(len(g) for g in _DIGIT_RUNS.findall(
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)))
    intl = tuple(len(g) for g in _DIGIT_RUNS.findall(
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)))[1:]
    out = {national, intl}
    if region.prefix_optional:
        out.add((len(region.prefix), *national))
        out.add((len(region.prefix), *intl))
    return out


# Numbers reserved for drama and documentation (Ofcom): libphonenumber calls them
# invalid, but they are phone numbers, and test data uses them.
_FICTIONAL = (("44", "7700900", 10),)


def _fictional_nsn(cc: str, national: str) -> bool:
    return any(cc == c and national.startswith(p) and len(national) == n for c, p, n in _FICTIONAL)


def _fictional(parsed: phonenumbers.PhoneNumber) -> bool:
    return _fictional_nsn(str(parsed.country_code), str(parsed.national_number))


def _valid_intl_nsn(number: str) -> bool | None:
    """Is the international number ``number`` (country code first) valid, by our own
    tables (the same metadata, patterns compiled once)? None: not decided here (a
    non-geographic code, a national prefix written after the country code)."""
    if number.startswith("0"):
        return None
    for n in (1, 2, 3):
        codes = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(number[:n]))
        if codes is None:
            continue
        nsn = number[n:]
        regions = [_region(c) for c in codes]
        if any(r is None for r in regions):
            return None
        for region in regions:
            assert region is not None
            if len(nsn) in region.lengths and region.pattern.fullmatch(nsn) and any(
                    len(nsn) in lengths and p.fullmatch(nsn) for p, lengths in region.types()):
                return True
        if any(r.rewrites or (r.prefix and nsn.startswith(r.prefix))
               for r in regions if r is not None):
            return None  # "+44 020 ...": libphonenumber's parser rewrites it, let it decide
        return _fictional_nsn(number[:n], nsn)
    return False  # country codes are prefix-free: no code, no number


@lru_cache(maxsize=65536)
def intl_ok(number: str) -> bool:
    """An international number, digits only (country code first)."""
    if not 7 <= len(number) <= 15:
        return False
    fast = _valid_intl_nsn(number)
    if fast is not None:
        return fast
    try:
        parsed = phonenumbers.parse("+" + number, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) or _fictional(parsed)
