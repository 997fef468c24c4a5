"""Vectorised template filling.

A template is a string with ``{slot}`` placeholders. Rows are grouped by the template drawn
for them; each group is filled with one Arrow ``binary_join_element_wise`` over the literal
parts and the slot value arrays, so no Python code runs per row. Slots whose value must be
tracked (planted personal data, decoys) report their character offsets as they are joined.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from consentgate.synth import geography
from consentgate.synth.arrow import char_len, join, scatter
from consentgate.synth.lang import LANGUAGES, MODULES, common

_SLOT = re.compile(r"\{([A-Za-z0-9_]+)\}")

EMAIL_DOMAINS: dict[str, list[str]] = {
    "en": [
        "gmail.com",
        "outlook.com",
        "yahoo.com",
        "hotmail.co.uk",
        "icloud.com",
        "protonmail.com",
    ],
    "fr": ["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "sfr.fr"],
    "de": ["gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.de", "gmx.ch"],
    "es": ["gmail.com", "hotmail.es", "yahoo.es", "telefonica.net", "outlook.es"],
    "it": ["gmail.com", "libero.it", "virgilio.it", "alice.it", "hotmail.it"],
    "nl": ["gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.nl", "telenet.be", "skynet.be"],
    "pl": ["gmail.com", "wp.pl", "onet.pl", "o2.pl", "interia.pl"],
    "pt": ["gmail.com", "hotmail.com", "uol.com.br", "sapo.pt", "bol.com.br"],
}
CORPORATE_TLD: dict[str, list[str]] = {
    "en": [".com", ".co.uk", ".io"],
    "fr": [".fr", ".com"],
    "de": [".de", ".com", ".ch", ".at"],
    "es": [".es", ".com", ".com.mx"],
    "it": [".it", ".com"],
    "nl": [".nl", ".com", ".be"],
    "pl": [".pl", ".com"],
    "pt": [".com.br", ".pt", ".com"],
}

_TRANSLIT = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "đ": "d", "ı": "i"}
)


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits only: 'Élodie' -> 'elodie', 'O'Brien' -> 'obrien'."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


def parse(template: str) -> list[tuple[bool, str]]:
    """[(is_slot, text)]: literal runs and slot names, in order."""
    parts: list[tuple[bool, str]] = []
    pos = 0
    for m in _SLOT.finditer(template):
        if m.start() > pos:
            parts.append((False, template[pos : m.start()]))
        parts.append((True, m.group(1)))
        pos = m.end()
    if pos < len(template):
        parts.append((False, template[pos:]))
    return parts


_parse_cached = cache(parse)


class Lexicon:
    """Every vocabulary list of every language, flattened into one Arrow array per key, so that
    a pick for rows of mixed languages is one vectorised ``take``."""

    def __init__(self) -> None:
        keys: set[str] = set(common.WORDS)
        for mod in MODULES.values():
            keys |= set(mod.WORDS)
        keys -= {"intl_company", "tech_skill"}
        self._values: dict[str, pa.Array] = {}
        self._slugs: dict[str, pa.Array] = {}
        self._off: dict[str, np.ndarray] = {}
        self._cnt: dict[str, np.ndarray] = {}
        lists: dict[str, list[list[str]]] = {}
        for key in sorted(keys):
            lists[key] = [self._lookup(key, lang) for lang in LANGUAGES]
        lists["company"] = [
            MODULES[lang].WORDS["company"] + common.WORDS["intl_company"] for lang in LANGUAGES
        ]
        lists["skill"] = [
            MODULES[lang].WORDS["skill"] + common.WORDS["tech_skill"] for lang in LANGUAGES
        ]
        lists["tech_skill"] = [common.WORDS["tech_skill"] for _ in LANGUAGES]
        lists["city"] = [
            [c for country in geography.LANGUAGE_HOME[lang] for c in geography.CITIES[country]]
            for lang in LANGUAGES
        ]
        lists["email_domain"] = [EMAIL_DOMAINS[lang] for lang in LANGUAGES]
        lists["corporate_tld"] = [CORPORATE_TLD[lang] for lang in LANGUAGES]
        for key, per_lang in lists.items():
            flat = [w for words in per_lang for w in words]
            counts = np.array([len(w) for w in per_lang], dtype=np.int64)
            self._cnt[key] = counts
            self._off[key] = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
            self._values[key] = pa.array(flat, type=pa.string())
            if key in ("first", "last", "company"):
                self._slugs[key] = pa.array([slug(w) for w in flat], type=pa.string())

    @staticmethod
    def _lookup(key: str, lang: str) -> list[str]:
        for source in (MODULES[lang].WORDS, common.WORDS, MODULES["en"].WORDS):
            if key in source:
                return list(source[key])
        return []

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def count(self, key: str, lang: int) -> int:
        return int(self._cnt[key][lang])

    def values(self, key: str) -> pa.Array:
        return self._values[key]

    def slugs(self, key: str) -> pa.Array:
        return self._slugs[key]

    def pick(self, key: str, lang: int | np.ndarray, u: np.ndarray, step: int = 0) -> np.ndarray:
        """Global indices of the words drawn by uniforms ``u`` (``step`` > 0: the word that
        many places further in the list, so that slot_2, slot_3 ... differ from slot)."""
        cnt = self._cnt[key][lang]
        local = (u * cnt).astype(np.int64)
        if step:
            local = (local + step) % np.maximum(cnt, 1)
        return self._off[key][lang] + local

    def take(self, key: str, index: np.ndarray) -> pa.Array:
        return self._values[key].take(index)


@cache
def lexicon() -> Lexicon:
    return Lexicon()


@dataclass
class Value:
    """A slot's values for some rows; ``cls`` set when the values are tracked."""

    values: pa.Array
    cls: str | None = None
    detail: pa.Array | str = ""
    decoy: bool = False


@dataclass
class Spans:
    """Tracked values: row index (local or chunk position, see the producer), start offset in
    the row's text, value, class, detail, and whether it is a decoy."""

    idx: np.ndarray
    start: np.ndarray
    value: pa.Array
    cls: str
    detail: pa.Array | str
    decoy: bool

    def moved(self, idx: np.ndarray, shift: np.ndarray | int = 0) -> Spans:
        return Spans(idx, self.start + shift, self.value, self.cls, self.detail, self.decoy)


class Resolver(Protocol):
    def uniform(self, rows: np.ndarray, name: str) -> np.ndarray: ...

    def resolve(self, name: str, rows: np.ndarray, lang: int) -> Value: ...


@dataclass
class Rendered:
    text: pa.Array
    spans: list[Spans] = field(default_factory=list)


def render(
    templates: list[str], rows: np.ndarray, lang: int, resolver: Resolver, name: str
) -> Rendered:
    """Fill one template per row (drawn with the resolver's keyed uniforms under ``name``).
    Span indices are positions in ``rows``."""
    n = len(rows)
    if len(templates) == 1:
        choice = np.zeros(n, dtype=np.int64)
    else:
        choice = (resolver.uniform(rows, name) * len(templates)).astype(np.int64)
    pieces: list[tuple[np.ndarray, pa.Array]] = []
    spans: list[Spans] = []
    for t in np.unique(choice):
        loc = np.flatnonzero(choice == t)
        sub = rows[loc]
        parts: list[pa.Array | str] = []
        cur = np.zeros(len(sub), dtype=np.int64)
        for is_slot, text in _parse_cached(templates[int(t)]):
            if not is_slot:
                parts.append(text)
                cur += len(text)
                continue
            value = resolver.resolve(text, sub, lang)
            length = char_len(value.values)
            if value.cls is not None:
                spans.append(
                    Spans(loc, cur.copy(), value.values, value.cls, value.detail, value.decoy)
                )
            cur += length
            parts.append(value.values)
        pieces.append((loc, join(parts, len(sub))))
    return Rendered(scatter(pieces, n), spans)


def concat_rendered(first: Rendered, second: Rendered, sep: str) -> Rendered:
    """first + sep + second, row by row; an empty side drops the separator."""
    n = len(first.text)
    len1 = char_len(first.text)
    len2 = char_len(second.text)
    joined = join([first.text, sep, second.text], n)
    text = pc.if_else(
        pa.array(len2 == 0), first.text, pc.if_else(pa.array(len1 == 0), second.text, joined)
    )
    shift = np.where(len1 == 0, 0, len1 + len(sep))
    spans = list(first.spans) + [s.moved(s.idx, shift[s.idx]) for s in second.spans]
    return Rendered(text, spans)


def render_segments(
    segments: list[list[str]], sep: str, rows: np.ndarray, lang: int, resolver: Resolver, name: str
) -> Rendered:
    out: Rendered | None = None
    for i, seg in enumerate(segments):
        part = render(seg, rows, lang, resolver, f"{name}#{i}")
        out = part if out is None else concat_rendered(out, part, sep)
    assert out is not None
    return out


def slots_of(template: str) -> list[str]:
    return [text for is_slot, text in parse(template) if is_slot]
