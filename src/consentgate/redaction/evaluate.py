"""Score a redactor on labelled texts: recall per class, precision, neutral lines changed.

A labelled file is JSON lines, one text a line::

    {"id": "x1", "text": "Call me on 0612345678", "spans": [{"start": 11, "end": 21,
     "label": "phone"}], "neutral": false, "country": "NL", "lang": "nl"}

``text`` and ``spans`` are needed; ``id`` defaults to the line number, ``neutral`` to "no
spans", the other keys (``country``, ``lang``, ``split``, ``source``, anything else) are kept
for grouping. A platform can score the redactor on a sample of its own texts this way.

Scoring, per class of the redactor:

* planted: labelled spans of the class; found: those that one finding of the same class
  covers whole (``f.start <= s and e <= f.end``); redacted: those that the findings of any
  class, together, cover whole (the value is gone from the output, whatever its placeholder)
* findings: the redactor's findings of the class; correct: those that overlap a labelled span
  of their class (on a neutral line, none is)
* neutral changed: neutral entries with at least one finding, of all neutral entries.

Labels the redactor was not asked for (a policy without ``salary``) are counted as ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consentgate.redaction.redactor import CLASSES, Redactor

GROUPS = ("country", "lang")


class LabelledError(ValueError):
    """A labelled file that cannot be read; the message names the line."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Entry:
    id: str
    text: str
    spans: tuple[Span, ...]
    neutral: bool
    line: int = 0
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def group(self, name: str) -> str:
        value = self.meta.get(name)
        return "" if value is None else str(value)


def parse_entry(obj: Any, line: int = 0) -> Entry:
    """One labelled entry from its JSON object; LabelledError says what is wrong."""
    where = f"line {line}: " if line else ""
    if not isinstance(obj, dict):
        raise LabelledError(f"{where}expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise LabelledError(f"{where}'text' must be a string")
    raw_spans = obj.get("spans", [])
    if not isinstance(raw_spans, list):
        raise LabelledError(f"{where}'spans' must be a list")
    spans = []
    for i, sp in enumerate(raw_spans):
        if not isinstance(sp, dict):
            raise LabelledError(f"{where}span {i} must be an object with start, end, label")
        start, end, label = sp.get("start"), sp.get("end"), sp.get("label")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            raise LabelledError(f"{where}span {i}: start and end must be integers")
        if not 0 <= start < end <= len(text):
            raise LabelledError(
                f"{where}span {i} [{start}, {end}) is outside the text (length {len(text)})")
        if label not in CLASSES:
            raise LabelledError(
                f"{where}span {i}: unknown label {label!r} (known: {', '.join(CLASSES)})")
        spans.append(Span(start, end, label))
    neutral = obj.get("neutral", not spans)
    if not isinstance(neutral, bool):
        raise LabelledError(f"{where}'neutral' must be true or false")
    if neutral and spans:
        raise LabelledError(f"{where}a neutral entry has no spans")
    ident = obj.get("id", str(line))
    meta = {k: v for k, v in obj.items() if k not in ("id", "text", "spans", "neutral")}
    return Entry(str(ident), text, tuple(spans), neutral, line, meta)


def read_labelled(source: str | Path | Iterable[str]) -> list[Entry]:
    """Entries of a JSONL file (a path) or of lines; blank lines are skipped."""
    lines: Iterable[str]
    if isinstance(source, (str, Path)):
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    else:
        lines = source
    out = []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise LabelledError(f"line {n}: not JSON ({exc.msg})") from None
        out.append(parse_entry(obj, n))
    return out


@dataclass
class ClassScore:
    planted: int = 0
    found: int = 0
    redacted: int = 0
    findings: int = 0
    correct: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.planted if self.planted else None

    @property
    def redacted_rate(self) -> float | None:
        return self.redacted / self.planted if self.planted else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.findings if self.findings else None

    def to_dict(self) -> dict[str, Any]:
        return {"planted": self.planted, "found": self.found, "recall": self.recall,
                "redacted": self.redacted, "redacted_rate": self.redacted_rate,
                "findings": self.findings, "correct": self.correct,
                "precision": self.precision}


@dataclass(frozen=True)
class Example:
    """A labelled value missed, or a finding that no label backs (a false positive)."""

    entry: str
    label: str
    value: str
    text: str
    found_as: tuple[str, ...] = ()


@dataclass
class Evaluation:
    classes: dict[str, ClassScore]
    groups: dict[str, dict[str, dict[str, ClassScore]]]
    entries: int = 0
    neutral: int = 0
    neutral_changed: int = 0
    ignored: int = 0
    misses: list[Example] = field(default_factory=list)
    false_positives: list[Example] = field(default_factory=list)

    @property
    def neutral_changed_rate(self) -> float | None:
        return self.neutral_changed / self.neutral if self.neutral else None

    @property
    def total(self) -> ClassScore:
        out = ClassScore()
        for s in self.classes.values():
            for name in ("planted", "found", "redacted", "findings", "correct"):
                setattr(out, name, getattr(out, name) + getattr(s, name))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "entries": self.entries, "neutral": self.neutral,
            "neutral_changed": self.neutral_changed,
            "neutral_changed_rate": self.neutral_changed_rate, "ignored_labels": self.ignored,
            "classes": {c: s.to_dict() for c, s in self.classes.items()},
            "total": self.total.to_dict(),
            "groups": {g: {k: {c: s.to_dict() for c, s in v.items()} for k, v in sorted(by.items())}
                       for g, by in self.groups.items()},
        }


def _covered(s: Span, intervals: list[tuple[int, int]]) -> bool:
    """Whether the union of the intervals covers the span whole."""
    pos = s.start
    for a, b in sorted(intervals):
        if a > pos:
            break
        pos = max(pos, b)
        if pos >= s.end:
            return True
    return pos >= s.end


def score(entries: Sequence[Entry], findings: Sequence[Sequence[Any]],
          classes: Sequence[str] = CLASSES, groups: Sequence[str] = GROUPS,
          examples: int = 1_000) -> Evaluation:
    """Score findings (one list per entry, items with ``cls``, ``start``, ``end``)."""
    if len(findings) != len(entries):
        raise ValueError(f"{len(findings)} lists of findings for {len(entries)} entries")
    chosen = set(classes)
    ev = Evaluation({c: ClassScore() for c in classes}, {g: {} for g in groups})
    for entry, found in zip(entries, findings, strict=True):
        ev.entries += 1
        spans = [s for s in entry.spans if s.label in chosen]
        ev.ignored += len(entry.spans) - len(spans)
        hits = [f for f in found if f.cls in chosen]
        if entry.neutral:
            ev.neutral += 1
            ev.neutral_changed += bool(hits)
        intervals = [(f.start, f.end) for f in hits]
        for s in spans:
            found_it = any(f.cls == s.label and f.start <= s.start and s.end <= f.end for f in hits)
            gone = _covered(s, intervals)
            cells = [ev.classes[s.label]] + [
                ev.groups[g].setdefault(entry.group(g), {}).setdefault(s.label, ClassScore())
                for g in groups]
            for cell in cells:
                cell.planted += 1
                cell.found += found_it
                cell.redacted += gone
            if not found_it and len(ev.misses) < examples:
                over = tuple(sorted({f.cls for f in hits if f.start < s.end and s.start < f.end}))
                ev.misses.append(Example(entry.id, s.label, entry.text[s.start:s.end],
                                         entry.text, over))
        for f in hits:
            ok = any(s.label == f.cls and f.start < s.end and s.start < f.end for s in spans)
            cell = ev.classes[f.cls]
            cell.findings += 1
            cell.correct += ok
            if not ok and len(ev.false_positives) < examples:
                ev.false_positives.append(Example(entry.id, f.cls, entry.text[f.start:f.end],
                                                  entry.text))
    return ev


def evaluate(source: str | Path | Sequence[Entry], redactor: Redactor | None = None,
             groups: Sequence[str] = GROUPS, examples: int = 1_000) -> Evaluation:
    """Run ``redactor`` (all classes by default) over a labelled file or entries; score it."""
    import pyarrow as pa

    entries = read_labelled(source) if isinstance(source, (str, Path)) else list(source)
    redactor = redactor or Redactor()
    findings = redactor.find_batch(pa.array([e.text for e in entries], type=pa.string()))
    return score(entries, findings, redactor.classes, groups, examples)
