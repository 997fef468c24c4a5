"""The redactor's words, read from the data files in ``redaction/data/``: cue words per
language (``cues.toml``), currencies and multipliers, and the national identifiers
(``national_ids.toml``). Reviewers read and extend those files; nothing here is a word list.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

_DATA = "consentgate.redaction.data"


@cache
def _load(name: str) -> dict:
    with resources.files(_DATA).joinpath(name).open("rb") as f:
        return tomllib.load(f)


def cue_words(section: str) -> list[str]:
    """Every language's words of one ``cues.toml`` section, in file order, without repeats."""
    table = _load("cues.toml")[section]
    words: dict[str, None] = {}
    for _lang, ws in table.items():
        for w in ws:
            words.setdefault(w.lower() if not w.startswith("\\") else w, None)
    return list(words)


def cue_languages(section: str) -> list[str]:
    return list(_load("cues.toml")[section])


def currency() -> dict[str, list[str]]:
    """``codes``, ``before`` (literal symbols), ``after`` (regex pieces), ``multipliers``."""
    return _load("cues.toml")["currency"]


@dataclass(frozen=True)
class IdSpec:
    """One national identifier of ``national_ids.toml``."""

    country: str
    name: str
    validator: str
    shapes: tuple[str, ...]
    lead: str
    cue_required: bool
    cues: tuple[str, ...]


def national_ids() -> list[IdSpec]:
    out = []
    for i, row in enumerate(_load("national_ids.toml")["id"]):
        cue = row.get("cue", "required")
        if cue not in ("none", "required"):
            raise ValueError(f"national_ids.toml, id #{i + 1} ({row.get('name')}): "
                             f"cue must be 'none' or 'required', not {cue!r}")
        out.append(IdSpec(
            country=row["country"], name=row["name"], validator=row["validator"],
            shapes=tuple(row["shapes"]), lead=row.get("lead", ""),
            cue_required=cue == "required", cues=tuple(w.lower() for w in row.get("cues", ())),
        ))
    return out


def phone_settings() -> dict:
    return _load("phones.toml")
