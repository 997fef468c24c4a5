"""Per-language vocabularies and text templates for the synthetic network.

Each language module defines:

- ``WORDS``: vocabulary lists keyed by slot name (``title``, ``topic`` ...). ``month`` is in
  calendar order; ``gname_<theme>`` / ``gline_<theme>`` are group names and group lines.
- ``TEMPLATES``: record kind -> list of segments; a segment is a list of alternative
  templates, one is drawn per record and the segments are joined with ``SEPARATORS[kind]``
  (a space by default). An empty alternative leaves the segment out.
- ``PII``: ``<class>`` or ``national_id:<variant>`` -> sentences that carry one planted value.
- ``DECOYS``: sentences with values that look numeric but are not personal data.
- ``DATE_FORMATS`` / ``TIME_FORMATS``: how the language writes dates and times
  (``{d}``, ``{dd}``, ``{mm}``, ``{month}``, ``{Y}``; ``{H}``, ``{HH}``, ``{MM}``, ``{h12}``,
  ``{ampm}``), ``THOUSANDS`` (group separators) and ``DECIMAL``.

Slots in templates are ``{name}``; the names are resolved by :mod:`consentgate.synth.texts`.
"""

from __future__ import annotations

from types import ModuleType

from consentgate.synth.lang import de, en, es, fr, it, nl, pl, pt

LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "es", "it", "nl", "pl", "pt")
MODULES: dict[str, ModuleType] = {
    "en": en,
    "fr": fr,
    "de": de,
    "es": es,
    "it": it,
    "nl": nl,
    "pl": pl,
    "pt": pt,
}

# Group themes: ordinary ones first, then the sensitive ones (special categories of data).
ORDINARY_THEMES: tuple[str, ...] = ("tech", "career", "marketing", "alumni")
SENSITIVE_THEMES: tuple[str, ...] = ("union", "health", "religion", "politics", "lgbtq")
THEMES: tuple[str, ...] = ORDINARY_THEMES + SENSITIVE_THEMES

__all__ = ["LANGUAGES", "MODULES", "ORDINARY_THEMES", "SENSITIVE_THEMES", "THEMES"]
