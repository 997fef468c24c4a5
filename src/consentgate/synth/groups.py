"""Groups: ordinary ones and sensitive ones (trade unions, health, religion, politics,
LGBTQ+), plus a few "ghost" groups that records name but the groups table lacks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from consentgate.contract.schema import GROUPS
from consentgate.synth.arrow import ints_to_str, join
from consentgate.synth.lang import LANGUAGES, ORDINARY_THEMES, SENSITIVE_THEMES, THEMES
from consentgate.synth.texts import lexicon

SENSITIVE_SHARE = 0.15


@dataclass
class Groups:
    n_real: int
    group_id: pa.Array  # real groups first, then the ghosts
    name: pa.Array
    theme: np.ndarray  # index into THEMES
    lang: np.ndarray  # index into LANGUAGES
    sensitive: np.ndarray
    _by_lang: list[tuple[np.ndarray, np.ndarray]]
    _all: tuple[np.ndarray, np.ndarray]

    def table(self) -> pa.Table:
        k = self.n_real
        return pa.Table.from_arrays(
            [self.group_id.slice(0, k), self.name.slice(0, k), pa.array(self.sensitive[:k])],
            schema=GROUPS.arrow_schema(),
        )

    @property
    def ghosts(self) -> np.ndarray:
        return np.arange(self.n_real, len(self.theme))

    def pick(self, lang: np.ndarray, u_any: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A real group per row: mostly one in the row's language, popular groups more often."""
        out = np.empty(len(lang), dtype=np.int64)
        any_lang = u_any < 0.2
        idx, cum = self._all
        out[any_lang] = idx[np.searchsorted(cum, u[any_lang], side="right").clip(0, len(idx) - 1)]
        for li, (idx, cum) in enumerate(self._by_lang):
            rows = np.flatnonzero(~any_lang & (lang == li))
            if len(rows):
                out[rows] = idx[np.searchsorted(cum, u[rows], side="right").clip(0, len(idx) - 1)]
        return out


def _popularity(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w = 1.0 / (np.arange(len(idx)) + 3.0)
    cum = np.cumsum(w) / w.sum()
    return idx, cum


def generate_groups(n_members: int, seed: int, lang_share: np.ndarray) -> Groups:
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 3])))
    n_real = max(45, n_members // 150)
    n_ghost = max(3, n_real // 50)
    n = n_real + n_ghost
    # themes: every theme at least once, then ordinary 85 % / sensitive 15 %
    theme = np.empty(n, dtype=np.int64)
    theme[: len(THEMES)] = np.arange(len(THEMES))
    rest = n - len(THEMES)
    sensitive = rng.random(rest) < SENSITIVE_SHARE
    theme[len(THEMES) :] = np.where(
        sensitive,
        len(ORDINARY_THEMES) + rng.integers(0, len(SENSITIVE_THEMES), rest),
        rng.integers(0, len(ORDINARY_THEMES), rest),
    )
    lang = rng.choice(len(LANGUAGES), size=n, p=lang_share)
    lang[: len(LANGUAGES)] = np.arange(len(LANGUAGES))
    order = rng.permutation(n_real)  # shuffle real groups so ids do not follow themes
    theme[:n_real], lang[:n_real] = theme[:n_real][order], lang[:n_real][order]
    lex = lexicon()
    names = []
    for t in np.unique(theme):
        rows = np.flatnonzero(theme == t)
        key = f"gname_{THEMES[t]}"
        names.append((rows, lex.take(key, lex.pick(key, lang[rows], rng.random(len(rows))))))
    all_rows = np.concatenate([r for r, _ in names])
    inverse = np.empty(n, dtype=np.int64)
    inverse[all_rows] = np.arange(n)
    base = pa.concat_arrays([v for _, v in names]).take(inverse)
    city = lex.take("city", lex.pick("city", lang, rng.random(n)))
    with_city = join([base, " – ", city], n)
    name = pa.compute.if_else(pa.array(rng.random(n) < 0.3), with_city, base)
    group_id = join(["g", ints_to_str(np.arange(1, n + 1), 6)], n)
    is_sensitive = theme >= len(ORDINARY_THEMES)
    real = np.arange(n_real)
    by_lang = [_popularity(real[lang[:n_real] == li]) for li in range(len(LANGUAGES))]
    return Groups(n_real, group_id, name, theme, lang, is_sensitive, by_lang, _popularity(real))
