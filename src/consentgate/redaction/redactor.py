"""The redactor: personal data of the policy's classes replaced by typed placeholders."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from consentgate.redaction import patterns as P
from consentgate.redaction.scan import Finding, salary_cues, scan

#: The classes this package knows, in the policy's order
#: (``consentgate.policy.model.REDACTION_CLASSES`` names the same ones).
CLASSES: tuple[str, ...] = ("email", "phone", "iban", "card", "national_id", "salary")

TextArray = pa.Array | pa.ChunkedArray | Sequence[str | None]


class Redactor:
    """Finds and replaces values of the given classes.

    Cheap to build and to pickle (it holds only the class names; the compiled patterns are
    module globals), so it can be shipped to Spark or DuckDB UDF workers.

    >>> Redactor().redact("Call me on +33 6 12 34 56 78 or mail jo@example.org")
    'Call me on <PHONE> or mail <EMAIL>'
    """

    __slots__ = ("_all", "_custom", "classes", "recognizers")

    def __init__(
        self, classes: Iterable[str] | None = None, recognizers: Sequence[Any] = ()
    ) -> None:
        chosen = CLASSES if classes is None else tuple(dict.fromkeys(classes))
        unknown = [c for c in chosen if c not in CLASSES]
        if unknown:
            raise ValueError(f"unknown redaction classes: {', '.join(unknown)}")
        self.classes: tuple[str, ...] = chosen
        self._all = set(chosen) == set(CLASSES)
        # the policy's extra recognizers (``policy.model.Recognizer``), in file order
        self.recognizers: tuple[Any, ...] = tuple(recognizers)
        self._custom = None
        if self.recognizers:
            from consentgate.redaction.custom import CustomScanner

            self._custom = CustomScanner(self.recognizers)

    @classmethod
    def from_policy(cls, policy: Any) -> Redactor:
        """The redactor a policy asks for: its classes and its extra recognizers."""
        red = policy.redaction
        return cls(classes=tuple(red.classes), recognizers=tuple(getattr(red, "recognizers", ())))

    def __getstate__(self) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        return self.classes, self.recognizers

    def __setstate__(self, state: tuple[tuple[str, ...], tuple[Any, ...]]) -> None:
        self.__init__(*state)

    def __repr__(self) -> str:
        extra = f", recognizers={len(self.recognizers)}" if self.recognizers else ""
        return f"Redactor(classes={self.classes!r}{extra})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Redactor)
            and set(self.classes) == set(other.classes)
            and self.recognizers == other.recognizers
        )

    def __hash__(self) -> int:
        return hash(frozenset(self.classes))

    # -- one text ----------------------------------------------------------------------------
    def find(self, text: str) -> list[Finding]:
        """Findings of this redactor's classes: sorted, non-overlapping."""
        return self._find(text, None)

    def redact(self, text: str) -> str:
        return self._redact(text, None)[0]

    def _find(self, text: str, salary: bool | None) -> list[Finding]:
        if not self.classes:
            return []
        if "salary" not in self.classes:
            salary = False  # salaries are looked for last: skipping them changes nothing else
        found = scan(text, salary)
        if not self._all and found:
            keep = self.classes
            found = [f for f in found if f.cls in keep]
        if self._custom is not None:
            from consentgate.redaction.custom import apply

            found = apply(text, found, self._custom)
        return found

    def _redact(self, text: str, salary: bool | None) -> tuple[str, list[Finding]]:
        found = self._find(text, salary)
        if not found:
            return text, found
        parts = []
        pos = 0
        for f in found:
            parts.append(text[pos : f.start])
            parts.append(P.PLACEHOLDERS[f.cls])
            pos = f.end
        parts.append(text[pos:])
        return "".join(parts), found

    # -- batches -----------------------------------------------------------------------------
    def redact_batch(self, texts: TextArray, counts: Counter | None = None) -> pa.Array:
        """Redact a column of texts; nulls stay null. The array type is kept (string or
        large_string; a list gives string).

        ``counts``, when given, is incremented with the number of values redacted per class.
        """
        arr = _as_array(texts)
        positions, values, found = self.redact_changes(arr)
        if counts is not None:
            counts.update(found)
        return apply_changes(arr, positions, values)

    def redact_changes(self, texts: TextArray) -> tuple[list[int], list[str], Counter]:
        """What :meth:`redact_batch` changes, without building the column: the positions
        of the rows that change, their redacted texts, and the values redacted per class.
        Small to send between processes (most rows do not change)."""
        arr = _as_array(texts)
        rows, salary = self.gate(arr)
        changed, values, counts = self.redact_gated(arr.take(rows), salary)
        index = rows.to_pylist()
        return [index[i] for i in changed], values, counts

    def gate(self, texts: TextArray) -> tuple[pa.Array, pa.Array]:
        """The vectorised first step of :meth:`redact_changes`: the positions of the rows
        that may hold a value of this redactor's classes, and for each whether it may hold a
        salary. No other row can change, so only these need :meth:`redact_gated` (in
        another process, say)."""
        arr = _as_array(texts)
        if not self.classes or len(arr) == 0:
            return pa.array([], pa.int64()), pa.array([], pa.bool_())
        extra: str | None = ""
        if self._custom is not None:
            extra = self._custom.gate_re2()  # None: the extra recognizers need every row
        return _gate(arr, salaries="salary" in self.classes, extra=extra)

    def redact_gated(
        self, texts: TextArray, salary: Sequence[bool] | pa.Array
    ) -> tuple[list[int], list[str], Counter]:
        """:meth:`redact_changes` on rows that passed :meth:`gate` (``salary``: its flags
        for them): positions among these rows, redacted texts, values redacted per class."""
        positions, values, per_row = self.redact_gated_rows(texts, salary)
        counts: Counter = Counter()
        for classes in per_row:
            counts.update(classes)
        return positions, values, counts

    def redact_gated_rows(
        self, texts: TextArray, salary: Sequence[bool] | pa.Array
    ) -> tuple[list[int], list[str], list[tuple[str, ...]]]:
        """:meth:`redact_gated` with the classes redacted in each changed row (one entry
        per value, in text order) instead of their sum: a build stores them per record, so
        that a later incremental build that reuses a text also reports its redactions."""
        if isinstance(texts, pa.Array | pa.ChunkedArray):
            texts = texts.to_pylist()
        if isinstance(salary, pa.Array | pa.ChunkedArray):
            salary = salary.to_pylist()
        positions: list[int] = []
        values: list[str] = []
        per_row: list[tuple[str, ...]] = []
        for i, (text, sal) in enumerate(zip(texts, salary, strict=True)):
            out, found = self._redact(text, sal)
            if found:
                positions.append(i)
                values.append(out)
                per_row.append(tuple(f.cls for f in found))
        return positions, values, per_row

    def redact_batch_with_counts(self, texts: TextArray) -> tuple[pa.Array, dict[str, int]]:
        """The redacted column and the number of values redacted per class (every class of
        this redactor is a key, zero included)."""
        counts: Counter = Counter()
        out = self.redact_batch(texts, counts)
        return out, {c: counts.get(c, 0) for c in self.classes}

    def counts_batch(self, texts: TextArray) -> dict[str, int]:
        """How many values of each class :meth:`redact_batch` would replace."""
        counts = Counter()
        for f in self.find_batch(texts):
            counts.update(x.cls for x in f)
        return {c: counts.get(c, 0) for c in self.classes}

    def find_batch(self, texts: TextArray) -> list[list[Finding]]:
        """Findings per row (an empty list for null rows and rows without findings)."""
        arr = _as_array(texts)
        out: list[list[Finding]] = [[] for _ in range(len(arr))]
        rows, salary = self.gate(arr)
        todo = arr.take(rows).to_pylist()
        for i, text, sal in zip(rows.to_pylist(), todo, salary.to_pylist(), strict=True):
            out[i] = self._find(text, sal)
        return out


def _as_array(texts: TextArray) -> pa.Array:
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if isinstance(texts, pa.Array):
        if pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type):
            return texts
        if pa.types.is_string_view(texts.type):
            return texts.cast(pa.large_string())
        if pa.types.is_null(texts.type):
            return texts.cast(pa.string())
        raise TypeError(f"expected a string array, got {texts.type}")
    return pa.array(list(texts), type=pa.string())


def _gate(arr: pa.Array, salaries: bool, extra: str | None = "") -> tuple[pa.Array, pa.Array]:
    """Positions of the rows that may hold a finding, and their salary flags. See scan.py
    for why the per-text path finds nothing in the other rows. ``extra``: the RE2 gate of
    the policy's extra recognizers ("" for none; None: every non-null row)."""
    if arr.null_count and arr.null_count * 4 >= len(arr):
        # mostly nulls (an incremental build's reused texts): an RE2 pass costs about as
        # much per null row as per text, so only the texts are gated
        rows = pc.indices_nonzero(pc.is_valid(arr))
        if len(rows) == 0:
            return rows, pa.array([], pa.bool_())
        idx, salary = _gate(arr.take(rows), salaries, extra)
        return rows.take(idx), salary
    if extra is None:
        gate = pc.is_valid(arr)
    elif extra:
        gate = pc.match_substring_regex(arr, P.GATE_RE2_AT_OR_DIGITS6 + "|(?:" + extra + ")")
    else:
        gate = pc.match_substring_regex(arr, P.GATE_RE2_AT_OR_DIGITS6)
    if salaries:
        salary = salary_cues(arr)
        gate = pc.or_kleene(gate, salary)
    else:
        salary = pa.repeat(pa.scalar(False), len(arr))
    idx = pc.indices_nonzero(pc.fill_null(gate, False))
    return idx, salary.take(idx)


def apply_changes(texts: pa.Array, positions: list[int], values: list[str]) -> pa.Array:
    """``texts`` with the rows at ``positions`` replaced by ``values`` (see
    :meth:`Redactor.redact_changes`)."""
    if not positions:
        return texts
    mask = _mask(len(texts), positions)
    return pc.replace_with_mask(texts, mask, pa.array(values, type=texts.type))


def _mask(n: int, positions: list[int]) -> pa.Array:
    import numpy as np

    m = np.zeros(n, dtype=bool)
    m[positions] = True
    return pa.array(m)
