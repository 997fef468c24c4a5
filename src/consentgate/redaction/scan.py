"""One pass over a text: candidates from one combined regex, validated as they come.

How a text is scanned:

1. Emails are found first (only in texts with ``@``).
2. :data:`patterns.SCAN` (one regex, one named group per alternative) yields candidates
   for IBANs, cards, national ids and phone numbers, left to right. A candidate is
   validated; if that fails, the alternatives after it are tried at the same anchor, then
   the scan moves on by one character.
3. Salaries, only in texts with a salary cue word (decided by RE2, see :func:`salary_cues`):
   amounts with a currency near each cue are candidates; an amount is a salary when a cue
   is close enough, in the same sentence.

Context (cue words before or after a value) is read in a *virtual* text where every
finding, salary candidate and placeholder is one opaque character: redacting a value does
not change the context of another, so redacting a redacted text changes nothing.

Which texts can hold a finding (the row gate in ``redactor``): a text with ``@``, a text
with six digits at most two characters apart (:data:`patterns.DIGITS6`, which every
non-email, non-salary candidate must contain: checked below), or a text with a digit and
a salary cue word. Texts outside the gate give no finding here either, so the per-text
and the batch paths agree.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from consentgate.redaction import patterns as P
from consentgate.redaction import validators as V


class Finding(NamedTuple):
    """A value of a redaction class: ``text[start:end] == value``."""

    cls: str
    start: int
    end: int
    value: str


_SUBS = [b.name for b in P.BRANCH_LIST]  # priority order
_SUB_RE = {b.name: re.compile(b.standalone()) for b in P.BRANCH_LIST}
# On a failed validation, the alternatives after it are tried at the same anchor.
_LATER = {name: [(n, _SUB_RE[n]) for n in _SUBS[i + 1 :]] for i, name in enumerate(_SUBS)}

# How far (in virtual characters) a cue may be from the value it qualifies.
SALARY_STRONG_WINDOW = 60
SALARY_WEAK_WINDOW = 24
SALARY_WEAK_MIN = 1_000  # "€49 per year" is a price; "€48,500 a year" a salary
# Salary candidates are looked for this far (in raw characters) around each cue.
SALARY_REACH = 200
PHONE_CUE_WINDOW = 30
NOT_PHONE_WINDOW = 20
ID_CUE_WINDOW = 30
_OPAQUE = "\x00"  # a finding or placeholder, in a context
_SALARY_MARK = "\x01"  # a salary amount or <SALARY>: a cue does not reach across one
_NEEDS_CUE = {V.PhoneShape.COMPACT_NANP, V.PhoneShape.COMPACT_HK, V.PhoneShape.NANP_SPACED}
_CUED_SHAPES = {V.PhoneShape.HK, V.PhoneShape.NANP, *_NEEDS_CUE}
_GROUP_END = re.compile(r"\d+\)?")


def salary_cues(texts: pa.Array) -> pa.Array:
    """Per row: may the text hold a salary (a digit and a salary cue word)? RE2, vectorised;
    a superset of the exact cue regexes, which run afterwards on the rows it lets through."""
    has_cue = pc.fill_null(pc.match_substring_regex(texts, P.GATE_RE2_CUE), False)
    # few texts have a cue word: look for a digit in those only (each RE2 pass over a
    # column costs about the same, whatever the pattern)
    rows = pc.indices_nonzero(has_cue)
    if len(rows) == 0:
        return has_cue
    has_digit = pc.fill_null(pc.match_substring_regex(texts.take(rows), P.GATE_RE2_DIGIT), False)
    return pc.replace_with_mask(has_cue, has_cue, has_digit)


def scan(text: str, salary: bool | None = None) -> list[Finding]:
    """All findings of all classes in ``text``, sorted by position and non-overlapping.

    ``salary``: whether the text may hold a salary cue word (the batch path computes it for a
    whole column at once with :func:`salary_cues`); None tests it here. Either test is a
    superset of the cue regexes, which decide.
    """
    if not text:
        return []
    has_digit = P.HAS_DIGIT.search(text) is not None
    if not has_digit and "@" not in text:
        return []
    state = _Scan(text)
    state.run()
    if has_digit and (P.may_have_salary(text) if salary is None else salary):
        state.salaries()
    findings = state.findings
    findings.sort(key=_start)
    return findings


def _start(f: Finding) -> int:
    return f.start


class _Scan:
    __slots__ = ("findings", "last_end", "opaque", "skip_to", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.findings: list[Finding] = []
        # (start, end, mark) of what reads as the one character ``mark`` in contexts, sorted
        self.opaque: list[tuple[int, int, str]] = []
        self.last_end = 0  # end of the last accepted span: no overlaps
        self.skip_to = 0  # a rejected candidate may say that nothing starts before this

    def run(self) -> None:
        text = self.text
        emails = _emails(text) if "@" in text else []
        next_email = 0
        pos = 0
        search = P.SCAN.search
        while True:
            m = search(text, pos)
            if m is None:
                break
            anchor = m.start()
            # emails come first: never look inside one
            while next_email < len(emails) and emails[next_email][1] <= anchor:
                self._found("email", *emails[next_email])
                next_email += 1
            if next_email < len(emails) and emails[next_email][0] < m.end():
                e_start, e_end = emails[next_email]
                pos = e_end if anchor >= e_start else anchor + 1
                continue
            sub = m.lastgroup
            end = self._accept(sub, anchor, m.end())
            if end is None:
                for other, pattern in _LATER[sub]:
                    m2 = pattern.match(text, anchor)
                    if m2 is not None:
                        end = self._accept(other, anchor, m2.end())
                        if end is not None:
                            break
            pos = max(anchor + 1, self.skip_to) if end is None else end
        for span in emails[next_email:]:
            self._found("email", *span)

    def _found(self, cls: str, start: int, end: int) -> int | None:
        if start < self.last_end:
            return None
        self.findings.append(Finding(cls, start, end, self.text[start:end]))
        self.opaque.append((start, end, _OPAQUE))
        self.last_end = end
        return end

    # -- validation of one candidate; returns its end when accepted ----------------------
    def _accept(self, sub: str, anchor: int, end: int) -> int | None:
        """Validate the candidate of alternative ``sub`` anchored at ``anchor``; on success
        record it and return its end."""
        text = self.text
        branch = P.SUB_BRANCH[sub]
        if branch == "placeholder":
            if anchor < self.last_end:
                return None
            mark = _SALARY_MARK if text.startswith("<SALARY>", anchor) else _OPAQUE
            self.opaque.append((anchor, end, mark))
            self.last_end = end
            return end
        start = anchor
        if branch == "iban":
            start = anchor - 2
        elif branch == "nino":
            start = anchor - (3 if sub == "nino_sp" else 2)
        value = text[start:end]
        if P.DIGITS6.search(value) is None:  # what the row gate relies on
            return None
        if branch == "phone_nat":
            if self._phone_nat_ok(value, start):
                return self._found("phone", start, end)
            return None
        if branch == "phone_intl":
            intl_end = self._phone_intl_end(value)
            return None if intl_end is None else self._found("phone", start, start + intl_end)
        if branch == "card":
            return self._found("card", start, end) if V.card_ok(value) else None
        if branch == "iban":
            iban_end = V.iban_end(text, start, end)
            if iban_end is None:
                # an IBAN-shaped string that fails its checks: nothing inside it is a value
                self.skip_to = start + V.iban_shape_len(text, start, end)
                return None
            return self._found("iban", start, iban_end)
        if branch == "nir":
            return self._found("national_id", start, end) if V.nir_ok(value) else None
        if branch == "ssn":
            # "123 45 6789" could be three numbers in a row: only next to an id word
            if not V.ssn_ok(value) or (
                "-" not in value and not self._cue_before(P.ID_CUE, start, ID_CUE_WINDOW)
            ):
                return None
            return self._found("national_id", start, end)
        if branch == "id_fmt":
            return self._found("national_id", start, end) if V.id_formatted_ok(value) else None
        if branch == "dni":
            return self._found("national_id", start, end) if V.dni_ok(value) else None
        if branch == "cf":
            start = anchor - 6
            value = text[start:end]
            return self._found("national_id", start, end) if V.cf_ok(value) else None
        if branch == "id_compact":
            if V.id_compact_ok(value) and self._cue_before(P.ID_CUE, start, ID_CUE_WINDOW):
                return self._found("national_id", start, end)
            return None
        if branch == "nino":
            return self._found("national_id", start, end) if V.nino_ok(value) else None
        raise AssertionError(sub)  # pragma: no cover

    @staticmethod
    def _phone_intl_end(value: str) -> int | None:
        """Length of the valid international number at the start of ``value``: the whole
        candidate, or, when a number runs on into another ("+49 1512 5979280 2019"), the
        longest valid prefix that ends with a group."""
        groups = list(_GROUP_END.finditer(value))
        for g in reversed(groups):
            prefix = value[: g.end()]
            number = V.digits(prefix.replace("(0)", ""))
            if prefix.startswith("00"):
                number = number[2:]
            if len(number) < 7:
                return None
            if V.phone_intl_ok(number):
                return g.end()
        return None

    def _phone_nat_ok(self, value: str, start: int) -> bool:
        shape = V.phone_shape(value)
        if shape is None:
            return False
        if shape in _CUED_SHAPES:
            # the closest cue before decides: "tel" says phone, "order" says not
            yes = self._last_cue_before(P.PHONE_CUE, start, PHONE_CUE_WINDOW)
            no = self._last_cue_before(P.NOT_PHONE_CUE, start, NOT_PHONE_WINDOW)
            if no is not None and (yes is None or no < yes):
                return False
            if yes is None and shape in _NEEDS_CUE:
                return False
        return V.phone_national_ok(V.digits(value), V.SHAPE_REGIONS[shape])

    # -- salaries --------------------------------------------------------------------------
    def salaries(self) -> None:
        """Salary amounts near cue words (run after the other classes are known)."""
        text = self.text
        cues = P.salary_cue_spans(text)
        if not cues:
            return
        taken = [(s, e) for s, e, _ in sorted(self.opaque)]
        # windows around the cues (not those inside an email, say), merged
        windows: list[list[int]] = []
        for c_start, c_end in sorted(cues):
            if _overlaps(taken, c_start, c_end):
                continue
            lo, hi = max(0, c_start - SALARY_REACH), c_end + SALARY_REACH
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        candidates: dict[int, int] = {}
        for lo, hi in windows:
            for m in P.SALARY.finditer(text, lo):
                if m.start() > hi:
                    break
                s, e = m.span()
                if s not in candidates and not _overlaps(taken, s, e):
                    candidates[s] = e
        if not candidates:
            return
        pending = sorted(candidates.items())
        # overlapping candidates (from windows starting at different places): keep the first
        kept: list[tuple[int, int]] = []
        for s, e in pending:
            if not kept or s >= kept[-1][1]:
                kept.append((s, e))
        self.opaque = sorted(self.opaque + [(s, e, _SALARY_MARK) for s, e in kept])
        for start, end in kept:
            value = text[start:end]
            if self._is_salary(start, end, value):
                self.findings.append(Finding("salary", start, end, value))

    def _is_salary(self, start: int, end: int, value: str) -> bool:
        """A strong cue (salary, Gehalt, ...) close by, or a weak one (per year, brut, ...)
        right next to a salary-sized amount; never across another amount or a sentence end."""
        strong, weak = P.SALARY_STRONG, P.SALARY_WEAK
        if self._cue_before(strong, start, SALARY_STRONG_WINDOW, barrier=True):
            return True
        if self._cue_after(strong, end, SALARY_STRONG_WINDOW, barrier=True):
            return True
        if V.salary_value(value) < SALARY_WEAK_MIN:
            return False
        return self._cue_before(weak, start, SALARY_WEAK_WINDOW, barrier=True) or (
            self._cue_after(weak, end, SALARY_WEAK_WINDOW, barrier=True)
        )

    # -- context ---------------------------------------------------------------------------
    def _cue_before(self, cue: P.Cues, pos: int, width: int, barrier: bool = False) -> bool:
        """Is there a ``cue`` at most ``width`` virtual characters before ``pos``, with no
        sentence boundary (and, with ``barrier``, no other salary amount) in between?"""
        return self._last_cue_before(cue, pos, width, barrier) is not None

    def _last_cue_before(
        self, cue: P.Cues, pos: int, width: int, barrier: bool = False
    ) -> int | None:
        """How far before ``pos`` the closest such cue ends (None: there is none)."""
        ctx = self._left(pos, width + 24)
        last = cue.last_from(ctx, max(0, len(ctx) - width))
        if last is None or P.BOUNDARY.search(ctx, last.end()) is not None:
            return None
        if barrier and _SALARY_MARK in ctx[last.end() :]:
            return None
        return len(ctx) - last.end()

    def _cue_after(self, cue: P.Cues, pos: int, width: int, barrier: bool = False) -> bool:
        ctx = self._right(pos, width + 24)
        m = cue.first(ctx)
        if m is None or m.start() >= width:
            return False
        if barrier and _SALARY_MARK in ctx[: m.start()]:
            return False
        return P.BOUNDARY.search(ctx, 0, m.start() + 1) is None

    def _left(self, pos: int, width: int) -> str:
        """Up to ``width`` virtual characters before ``pos``."""
        text = self.text
        parts: list[str] = []
        n = 0
        cur = pos
        for s, e, mark in reversed(self.opaque):
            if e > pos:
                continue
            if n + (cur - e) >= width:
                break
            parts.append(text[e:cur])
            parts.append(mark)
            n += cur - e + 1
            cur = s
        if n < width:
            parts.append(text[max(0, cur - (width - n)) : cur])
        return "".join(reversed(parts))

    def _right(self, pos: int, width: int) -> str:
        """Up to ``width`` virtual characters after ``pos``."""
        text = self.text
        parts: list[str] = []
        n = 0
        cur = pos
        for s, e, mark in self.opaque:
            if s < pos:
                continue
            if n + (s - cur) >= width:
                break
            parts.append(text[cur:s])
            parts.append(mark)
            n += s - cur + 1
            cur = e
        if n < width:
            parts.append(text[cur : cur + (width - n)])
        return "".join(parts)


def _emails(text: str) -> list[tuple[int, int]]:
    """Email spans, searched for around each "@" only (a local part has at most 64
    characters)."""
    spans: list[tuple[int, int]] = []
    search = P.EMAIL.search
    at = text.find("@")
    while at != -1:
        m = search(text, max(0, at - 64, spans[-1][1] if spans else 0))
        if m is None:
            break
        if m.start() <= at < m.end():
            spans.append(m.span())
            at = text.find("@", m.end())
        else:
            at = text.find("@", max(at + 1, m.start()))
    return spans


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)
