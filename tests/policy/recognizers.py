"""Policy files with extra recognizers, derived from the shipped one (for the tests)."""

from __future__ import annotations

from pathlib import Path

from consentgate.policy.loader import resolve

SHIPPED = resolve("linkedin-2025").read_text(encoding="utf-8")
_ANCHOR = "pseudonymize_author = true\n"
_CLASSES = 'classes = ["email", "phone", "iban", "card", "national_id", "salary"]'

# An employee number needing a cue before it, and a Swiss AHV number checked by python-stdnum.
EMPLOYEE = """
[[redaction.recognizers]]
name = "employee_number"
class = "national_id"
pattern = '\\bEMP-\\d{6}\\b'
cues = ["employee", "staff number"]
cue_side = "before"
description = "Our staff numbers"
"""
AHV = """
[[redaction.recognizers]]
name = "ch_ahv"
class = "national_id"
pattern = '\\b756[.\\s]?\\d{4}[.\\s]?\\d{4}[.\\s]?\\d{2}\\b'
validator = "stdnum:ch.ssn"
description = "Swiss AHV/AVS number"
"""
RECOGNIZERS = EMPLOYEE + AHV


def policy_text(tables: str = RECOGNIZERS, classes: list[str] | None = None) -> str:
    """The shipped policy with ``tables`` (TOML ``[[redaction.recognizers]]`` tables) added
    at the end of ``[redaction]``, and ``classes`` instead of the shipped redaction classes."""
    assert SHIPPED.count(_ANCHOR) == 1 and SHIPPED.count(_CLASSES) == 1
    text = SHIPPED.replace(_ANCHOR, _ANCHOR + tables)
    if classes is not None:
        text = text.replace(_CLASSES, "classes = [" + ", ".join(f'"{c}"' for c in classes) + "]")
    return text


def write_policy(folder: Path, tables: str = RECOGNIZERS, name: str = "custom.toml",
                 classes: list[str] | None = None) -> Path:
    path = folder / name
    path.write_text(policy_text(tables, classes), encoding="utf-8")
    return path


def line_of(text: str, fragment: str, nth: int = 0) -> int:
    """The 1-based line of the ``nth`` line of ``text`` that starts with ``fragment``."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if line.startswith(fragment)]
    return hits[nth]
