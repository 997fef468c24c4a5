"""Slot values for record texts: member attributes, vocabulary, groups, planted personal data
and decoys. Every draw is keyed on (seed, record key, slot name), so a slot's value does not
depend on the order rows are processed in, and an AI output sharing its prompt's key repeats
the prompt's names and numbers."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from consentgate.synth import decoys, geography
from consentgate.synth.arrow import (
    const,
    fixed_ascii,
    ints_to_str,
    join,
    keyed_uniform,
    mix64,
    pick,
    salt,
    scatter,
)
from consentgate.synth.groups import Groups
from consentgate.synth.lang import LANGUAGES, MODULES, THEMES
from consentgate.synth.members import Members
from consentgate.synth.pii import (
    CARD_BRANDS,
    CARD_FORMATS,
    CURRENCIES,
    PHONE_FORMATS,
    Pools,
    currency_of,
    salary_values,
)
from consentgate.synth.texts import Value, lexicon

_SUFFIX = re.compile(r"^(.+)_(\d)$")
MEMBER_ATTRS = (
    "name",
    "first",
    "last",
    "title",
    "company",
    "city",
    "country_name",
    "uni",
    "degree",
    "hs",
)
DECOY_CLASS = {
    "d_date": "date",
    "d_time": "time",
    "d_version": "version",
    "d_price": "price",
    "d_count": "count",
    "d_num": "count",
    "d_years": "count",
    "d_order": "order_number",
    "d_year": "year",
    "d_pct": "percentage",
    "d_badiban": "invalid_iban",
    "d_badcard": "invalid_card",
    "d_patent": "patent_number",
}
PII_CLASS = {
    "p_email": "email",
    "p_phone": "phone",
    "p_iban": "iban",
    "p_card": "card",
    "p_natid": "national_id",
    "p_salary": "salary",
}
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_B64 = np.frombuffer(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./", dtype=np.uint8
)


def national_id_variant(lang: str, country: str | None) -> str:
    if lang == "en" and country in geography.NINO_COUNTRIES:
        return "gb_nino"
    if lang == "pt" and country == "PT":
        return "pt_nif"
    return geography.NATIONAL_ID_BY_LANGUAGE[lang]


class MemberLookups:
    """Per-member indices the slot resolver needs, computed once per run."""

    def __init__(self, members: Members) -> None:
        regions = list(geography.PHONE_REGIONS)
        ibans = list(geography.IBAN_COUNTRIES)
        self.phone_region = np.array(
            [regions.index(c) if c in regions else -1 for c in members.country]
        )
        self.iban_country = np.array(
            [ibans.index(c) if c in ibans else -1 for c in members.country]
        )
        self.currency = np.array([CURRENCIES.index(currency_of(c)) for c in members.country])
        self.nino_country = np.isin(members.country.astype(str), geography.NINO_COUNTRIES)
        self.pt_country = members.country.astype(str) == "PT"


def natid_variants(lang: int, nino_country: np.ndarray, pt_country: np.ndarray) -> np.ndarray:
    """The national-id variant per row for rows written in ``lang`` (vectorised
    ``national_id_variant``)."""
    code = LANGUAGES[lang]
    out = np.full(len(nino_country), geography.NATIONAL_ID_BY_LANGUAGE[code], dtype=object)
    if code == "en":
        out[nino_country] = "gb_nino"
    elif code == "pt":
        out[pt_country] = "pt_nif"
    return out


class RecordSlots:
    """Resolves the slots of one chunk's record texts."""

    def __init__(
        self,
        seed_key: int,
        keys: np.ndarray,
        member: np.ndarray,
        group: np.ndarray,
        members: Members,
        lookups: MemberLookups,
        groups: Groups,
        pools: Pools,
    ) -> None:
        self.seed_key = seed_key
        self.keys = keys
        self.member = member
        self.group = group
        self.members = members
        self.look = lookups
        self.groups = groups
        self.pools = pools
        self.lex = lexicon()

    # -- draws ---------------------------------------------------------------------------------
    def uniform(self, rows: np.ndarray, name: str) -> np.ndarray:
        return keyed_uniform(self.keys[rows], self.seed_key, name)

    def _bits(self, rows: np.ndarray, name: str, width: int) -> np.ndarray:
        """(len(rows), width) random uint64 words keyed like ``uniform``."""
        base = (self.keys[rows].astype(np.uint64) << np.uint64(8)) ^ np.uint64(
            self.seed_key & 0xFFFFFFFF
        )
        tag = np.uint64(salt(name))
        cols = [mix64(base + tag * np.uint64(2 * i + 1)) for i in range(width)]
        return np.stack(cols, axis=1)

    # -- resolution ------------------------------------------------------------------------------
    def resolve(self, name: str, rows: np.ndarray, lang: int) -> Value:
        lex = self.lex
        n = len(rows)
        if name in MEMBER_ATTRS:
            return Value(self.members.attrs[name].take(self.member[rows]))
        if name == "member_id":
            return Value(self.members.member_id.take(self.member[rows]))
        if name in PII_CLASS:
            values, detail = self._pii(name, rows, lang)
            return Value(values, PII_CLASS[name], detail)
        base, step = name, 0
        m = _SUFFIX.match(name)
        if m:
            base, step = m.group(1), int(m.group(2)) - 1
        if base in DECOY_CLASS:
            return Value(
                self._decoy(base, step, rows, lang), DECOY_CLASS[base], base[2:], decoy=True
            )
        if name == "other":
            first = lex.take("first", lex.pick("first", lang, self.uniform(rows, "other.first")))
            last = lex.take("last", lex.pick("last", lang, self.uniform(rows, "other.last")))
            return Value(join([first, " ", last], n))
        if name == "other_first":
            return Value(
                lex.take("first", lex.pick("first", lang, self.uniform(rows, "other.first")))
            )
        if name == "group_name":
            return Value(self.groups.name.take(self.group[rows]))
        if name == "group_line":
            return Value(self._group_line(rows, lang))
        if name == "hex":
            bits = self._bits(rows, name, 2)
            nibbles = np.concatenate(
                [(bits >> np.uint64(4 * k)) & np.uint64(15) for k in range(16)], axis=1
            )
            return Value(fixed_ascii(_HEX[nibbles[:, :24].astype(np.int64)]))
        if name == "hash":
            bits = self._bits(rows, name, 6)
            sextets = np.concatenate(
                [(bits >> np.uint64(6 * k)) & np.uint64(63) for k in range(10)], axis=1
            )
            return Value(fixed_ascii(_B64[sextets[:, :53].astype(np.int64)]))
        if name == "last4":
            return Value(ints_to_str((self.uniform(rows, "last4") * 10_000).astype(np.int64), 4))
        if name == "exp":
            mm = ints_to_str(1 + (self.uniform(rows, "exp.m") * 12).astype(np.int64), 2)
            yy = ints_to_str(26 + (self.uniform(rows, "exp.y") * 6).astype(np.int64))
            return Value(join([mm, "/", yy], n))
        key = base[:-4] if base.endswith("_any") else base
        if key in lex:
            return Value(lex.take(key, lex.pick(key, lang, self.uniform(rows, key), step)))
        raise KeyError(f"unknown template slot {{{name}}}")

    def _group_line(self, rows: np.ndarray, lang: int) -> pa.Array:
        theme = self.groups.theme[self.group[rows]]
        u = self.uniform(rows, "group_line")
        pieces = []
        for t in np.unique(theme):
            loc = np.flatnonzero(theme == t)
            key = f"gline_{THEMES[t]}"
            pieces.append((loc, self.lex.take(key, self.lex.pick(key, lang, u[loc]))))
        return scatter(pieces, len(rows))

    # -- personal data --------------------------------------------------------------------------
    def _pii(self, name: str, rows: np.ndarray, lang: int) -> tuple[pa.Array, pa.Array]:
        u = lambda s: self.uniform(rows, f"{name}.{s}")  # noqa: E731
        mem = self.member[rows]
        pools = self.pools
        if name == "p_email":
            return self._email(rows, lang), const("email", len(rows))
        if name == "p_phone":
            region = self.look.phone_region[mem]
            region = np.where(
                region >= 0, region, (u("region") * len(geography.PHONE_REGIONS)).astype(np.int64)
            )
            national_ok = np.isin(
                region, [geography.PHONE_REGIONS.index(r) for r in geography.PHONE_NATIONAL]
            )
            f = u("fmt")
            fmt = np.where(national_ok & (f < 0.45), 1, np.where(f > 0.9, 2, 0))
            combo = region * len(PHONE_FORMATS) + fmt
            return pools.phone.pick(combo, u("pick"))
        if name == "p_iban":
            country = self.look.iban_country[mem]
            country = np.where(
                country >= 0,
                country,
                (u("country") * len(geography.IBAN_COUNTRIES)).astype(np.int64),
            )
            combo = country * 2 + (u("fmt") < 0.35)
            return pools.iban.pick(combo, u("pick"))
        if name == "p_card":
            b = u("brand")
            brand = np.where(b < 0.5, 0, np.where(b < 0.85, 1, 2))
            f = u("fmt")
            fmt = np.where(f < 0.5, 0, np.where(f < 0.65, 1, 2))
            assert len(CARD_BRANDS) == 3 and len(CARD_FORMATS) == 3
            return pools.card.pick(brand * 3 + fmt, u("pick"))
        if name == "p_natid":
            variant = natid_variants(lang, self.look.nino_country[mem], self.look.pt_country[mem])
            names = np.array(pools.national_id.names, dtype=object)
            combo = np.searchsorted(names, variant, sorter=np.argsort(names))
            combo = np.argsort(names)[combo]
            return pools.national_id.pick(combo, u("pick"))
        if name == "p_salary":
            return self._money(rows, lang, "salary")
        raise KeyError(name)

    def _email(self, rows: np.ndarray, lang: int) -> pa.Array:
        lex = self.lex
        n = len(rows)
        u = lambda s: self.uniform(rows, f"p_email.{s}")  # noqa: E731
        mem = self.member[rows]
        own = u("own") < 0.7
        first_g = np.where(own, self.members.first_g[mem], lex.pick("first", lang, u("first")))
        last_g = np.where(own, self.members.last_g[mem], lex.pick("last", lang, u("last")))
        first = lex.slugs("first").take(first_g)
        last = lex.slugs("last").take(last_g)
        pattern = (u("pattern") * 5).astype(np.int64)
        initial = pc.utf8_slice_codeunits(first, 0, 1)
        head = pc.if_else(pa.array(pattern == 1), initial, first)
        sep = pick([".", "", "_", ".", "-"], pattern)
        digits = pc.if_else(
            pa.array(u("digits") < 0.25),
            ints_to_str(10 + (u("n") * 89).astype(np.int64)),
            const("", n),
        )
        personal = lex.take("email_domain", lex.pick("email_domain", lang, u("domain")))
        company_g = np.where(
            own, self.members.company_g[mem], lex.pick("company", lang, u("company"))
        )
        corporate = join(
            [
                lex.slugs("company").take(company_g),
                lex.take("corporate_tld", lex.pick("corporate_tld", lang, u("tld"))),
            ],
            n,
        )
        domain = pc.if_else(pa.array(u("corp") < 0.35), corporate, personal)
        return join([head, sep, last, digits, "@", domain], n)

    def _money(self, rows: np.ndarray, lang: int, what: str) -> tuple[pa.Array, pa.Array]:
        """Salary figures (``what`` = "salary") or prices in each row's member's currency:
        (values, details)."""
        currency = self.look.currency[self.member[rows]]
        code = LANGUAGES[lang]
        values: list[tuple[np.ndarray, pa.Array]] = []
        details: list[tuple[np.ndarray, pa.Array]] = []
        for c in np.unique(currency):
            loc = np.flatnonzero(currency == c)
            sub = rows[loc]
            if what == "salary":
                v, d = salary_values(
                    self.uniform(sub, "p_salary.amount"),
                    self.uniform(sub, "p_salary.fmt"),
                    self.uniform(sub, "p_salary.sep"),
                    CURRENCIES[c],
                    code,
                    MODULES[code].THOUSANDS,
                )
            else:
                v = decoys.prices(
                    lambda s, sub=sub: self.uniform(sub, f"d_price.{s}"), CURRENCIES[c], code
                )
                d = const(CURRENCIES[c], len(sub))
            values.append((loc, v))
            details.append((loc, d))
        return scatter(values, len(rows)), scatter(details, len(rows))

    # -- decoys -----------------------------------------------------------------------------------
    def _decoy(self, base: str, step: int, rows: np.ndarray, lang: int) -> pa.Array:
        code = LANGUAGES[lang]
        draw = lambda s: self.uniform(rows, f"{base}.{s}")  # noqa: E731
        if base == "d_date":
            return decoys.dates(draw, code)
        if base == "d_time":
            return decoys.times(draw, code)
        if base == "d_version":
            return decoys.versions(draw)
        if base == "d_price":
            return self._money(rows, lang, "price")[0]
        if base == "d_count":
            return decoys.counts(draw, code)
        if base == "d_num":
            return decoys.small_numbers(draw, "v", 2, 30)
        if base == "d_years":
            return decoys.small_numbers(draw, "v", 2, 25)
        if base == "d_order":
            return decoys.orders(draw)
        if base == "d_year":
            year = decoys.years(lambda s: self.uniform(rows, f"d_year.{s}"), "v")
            if step:
                year = np.minimum(year + 1 + (draw(f"gap{step}") * 5).astype(np.int64), 2026)
            return ints_to_str(year)
        if base == "d_pct":
            return decoys.percentages(draw, code)
        if base == "d_badiban":
            country = (draw("country") * len(geography.IBAN_COUNTRIES)).astype(np.int64)
            return self.pools.bad_iban.pick(country * 2 + (draw("fmt") < 0.35), draw("pick"))[0]
        if base == "d_badcard":
            return self.pools.bad_card.pick(np.zeros(len(rows), dtype=np.int64), draw("pick"))[0]
        if base == "d_patent":
            return decoys.patents(draw)
        raise KeyError(base)
