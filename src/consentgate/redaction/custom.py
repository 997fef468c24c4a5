"""Extra recognizers: the policy's ``[[redaction.recognizers]]``, a regex each, with an
optional named validator and cue words.

    scanner = CustomScanner(policy.redaction.recognizers)
    found = apply(text, builtin_findings, scanner)   # sorted, non-overlapping
    gate = scanner.gate_re2()                        # RE2 for the row gate, or None

How a text is scanned (:meth:`CustomScanner.find`): recognizer by recognizer, in file order,
the pattern is searched left to right. A match is kept when it is not empty, overlaps
neither a span already taken (the built-in scan's findings, a placeholder such as
``<EMAIL>`` already in the text, a value an earlier recognizer kept), passes the validator
and satisfies the cue rule; otherwise the search goes on one character after the match's
start, so a shorter or later match can still be found. A kept match is the value; the
search goes on after it.

Cue rule: with ``cue_required``, one of the cue words (whole words, any case) must lie
within ``cue_window`` characters before the value (``cue_side = "before"``), after it
(``"after"``) or either. Distances count every finding and placeholder as one character,
and a cue word inside one does not count (``<PHONE>`` is no cue "phone"): redacting a
value does not bring a cue nearer to another, so redacting a redacted text changes
nothing. A value kept brings its neighbours' cues nearer too: the scan is repeated with
the values kept so far counted as one character until it finds no more.

Also here: :func:`check_pattern` (the policy model's checks of a ``pattern``) and
:func:`to_re2` (a pattern turned into an RE2 pattern that matches wherever it does).
"""

from __future__ import annotations

import bisect
import functools
import re
import string
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any

from consentgate.redaction.scan import Finding

if TYPE_CHECKING:
    from consentgate.policy.model import Recognizer

__all__ = ["CustomScanner", "apply", "check_pattern", "to_re2"]

# How many times the scan is repeated for values that a kept value's collapse brings
# within a cue window (each repeat only adds values; this only bounds pathological texts).
MAX_ROUNDS = 8
#: An RE2 pattern that matches no text: the gate of a scanner without recognizers.
NEVER = r"[^\x{0}-\x{10FFFF}]"


# -- the pattern checks the policy model runs ---------------------------------------------
def check_pattern(pattern: str) -> re.Pattern[str]:
    """The compiled pattern, or ``ValueError`` saying what is wrong: it does not compile
    (with the position), it can match an empty string, or it nests unbounded repetitions
    that can backtrack catastrophically (``(a+)+``, ``(\\w+\\s?)*``)."""
    try:
        rx = re.compile(pattern)
    except re.error as exc:
        where = ""
        if exc.pos is not None:
            where = (
                f" at position {exc.pos} of the pattern, marked \u00bb: "
                f"{pattern[: exc.pos]}\u00bb{pattern[exc.pos :]}"
            )
        raise ValueError(f"not a valid regular expression: {exc.msg}{where}") from None
    except (OverflowError, RecursionError) as exc:  # a huge count, a deep nesting
        raise ValueError(f"not a valid regular expression: {exc}") from None
    parsed = _sre_parse.parse(pattern)
    if parsed.getwidth()[0] == 0:
        raise ValueError(
            "the pattern can match an empty string (every part optional, or only a "
            "position such as \\b or a lookahead): it must match at least one character"
        )
    if _nested_unbounded(parsed.data, parsed.state):
        raise ValueError(
            "nested unbounded repetitions, such as (a+)+ or (\\w+\\s?)*, can take "
            "exponential time on some texts: write it so that the inner and the outer "
            "repetition cannot match the same characters (e.g. (?:\\w+\\s)*\\w+), or make "
            "the inner one possessive (a++) or atomic ((?>a+))"
        )
    return rx


_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT)


def _unbounded(op: Any, av: Any) -> bool:
    return op in _REPEATS and av[1] == _sre.MAXREPEAT


def _min_width(items: list[Any], state: Any) -> int:
    return _sre_parse.SubPattern(state, list(items)).getwidth()[0] if items else 0


def _repeats_alone(items: list[Any], state: Any) -> bool:
    """Whether ``items`` (a sequence) holds an unbounded repetition that, with every other
    part of the sequence matching nothing, can match the whole: one text can then be split
    between the iterations of a repetition around it in exponentially many ways."""
    for i, (op, av) in enumerate(items):
        if _min_width(items[:i] + items[i + 1 :], state) > 0:
            continue
        if _unbounded(op, av):
            return True
        if op is _sre.SUBPATTERN and _repeats_alone(list(av[3].data), state):
            return True
        if op is _sre.BRANCH and any(_repeats_alone(list(b.data), state) for b in av[1]):
            return True
        if op in _REPEATS and _repeats_alone(list(av[2].data), state):
            return True
    return False


def _nested_unbounded(items: Iterable[Any], state: Any) -> bool:
    for op, av in items:
        if _unbounded(op, av) and _repeats_alone(list(av[2].data), state):
            return True
        for child in _children(op, av):
            if _nested_unbounded(child, state):
                return True
    return False


def _children(op: Any, av: Any) -> list[list[Any]]:
    if op is _sre.SUBPATTERN:
        return [list(av[3].data)]
    if op in (*_REPEATS, _sre.POSSESSIVE_REPEAT):
        return [list(av[2].data)]
    if op is _sre.BRANCH:
        return [list(b.data) for b in av[1]]
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return [list(av[1].data)]
    if op is _sre.ATOMIC_GROUP:
        return [list(av.data)]
    if op is _sre.GROUPREF_EXISTS:
        return [list(b.data) for b in av[1:] if b is not None]
    return []


# -- RE2 ------------------------------------------------------------------------------------
class _NoRE2(Exception):
    """A construct with no RE2 superset here."""


# Python's \s on str: str.isspace() (Unicode 14 and 15 agree); \w is [\p{L}\p{N}_] and \d
# \p{Nd} exactly, where RE2's Unicode tables are at least as new as Python's (the tests check
# every code point).
_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _esc(cp: int) -> str:
    ch = chr(cp)
    if ch.isascii() and ch.isalnum():
        return ch
    if ch.isascii() and ch.isprintable() and ch != " ":
        return "\\" + ch  # RE2 takes any escaped ASCII punctuation literally
    return f"\\x{{{cp:X}}}"


def _complement(chars: str) -> str:
    """RE2 class ranges for every code point not in ``chars``."""
    out, lo = [], 0
    for cp in sorted(map(ord, chars)):
        if cp > lo:
            out.append(f"{_esc(lo)}-{_esc(cp - 1)}")
        lo = cp + 1
    out.append(f"{_esc(lo)}-\\x{{10FFFF}}")
    return "".join(out)


_CATEGORY_SUPERSET = {
    _sre.CATEGORY_DIGIT: r"\p{Nd}",
    # the complements of ASCII subsets: RE2's Unicode tables may be newer than Python's
    _sre.CATEGORY_NOT_DIGIT: _complement("0123456789"),
    _sre.CATEGORY_WORD: r"\p{L}\p{N}_",
    _sre.CATEGORY_NOT_WORD: _complement(string.ascii_letters + string.digits + "_"),
    _sre.CATEGORY_SPACE: "".join(_esc(ord(c)) for c in _SPACES),
    _sre.CATEGORY_NOT_SPACE: _complement(_SPACES),
}
# inside [^...] the parts must be subsets, so that the complement is a superset
_CATEGORY_SUBSET = {
    _sre.CATEGORY_DIGIT: "0-9",
    _sre.CATEGORY_WORD: "0-9A-Za-z_",
    _sre.CATEGORY_SPACE: "".join(_esc(ord(c)) for c in _SPACES),
    _sre.CATEGORY_NOT_DIGIT: "",
    _sre.CATEGORY_NOT_WORD: "",
    _sre.CATEGORY_NOT_SPACE: "",
}


_PY_CATEGORY = {
    _sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D",
    _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W",
    _sre.CATEGORY_SPACE: r"\s", _sre.CATEGORY_NOT_SPACE: r"\S",
}
_ICASE, _ASCII = _sre.SRE_FLAG_IGNORECASE, _sre.SRE_FLAG_ASCII


@functools.cache
def _case_classes() -> tuple[list[int], dict[int, tuple[int, ...]]]:
    """Every cased code point (sorted), and for each the others Python's IGNORECASE may
    take for it: the closure of same-lower, same-upper and ``re``'s extra cases (ı and i,
    ſ and s, ...). RE2 folds by Unicode simple case folding, which misses some (İ, ı), so
    the gate spells the classes out instead of using RE2's ``(?i)``."""
    import _sre as sre_c
    from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]

    cased = [cp for cp in range(sys.maxunicode + 1) if sre_c.unicode_iscased(cp)]
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb

    for cp in cased:
        union(cp, sre_c.unicode_tolower(cp))
        upper = ord(chr(cp).upper()) if len(chr(cp).upper()) == 1 else cp
        union(cp, upper)
    for lo, others in _EXTRA_CASES.items():
        for k in others:
            union(lo, k)
    members: dict[int, list[int]] = {}
    for cp in list(parent) + cased:
        members.setdefault(root(cp), []).append(cp)
    classes = {cp: tuple(sorted(set(group))) for group in members.values() for cp in group
               if len(set(group)) > 1}
    return cased, classes


def _case_variants(items: list[Any]) -> set[int]:
    """The code points case-related to a literal or range among ``items``."""
    cased, classes = _case_classes()
    out: set[int] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            out.update(classes.get(av, ()))
        elif op is _sre.RANGE:
            lo = bisect.bisect_left(cased, av[0])
            hi = bisect.bisect_right(cased, av[1])
            for cp in cased[lo:hi]:
                out.update(classes.get(cp, ()))
    return out


def _py_set(items: list[Any], flags: int) -> re.Pattern[str]:
    """``items`` (a parsed set) as a Python pattern again, under ``flags``."""
    parts = []
    for op, av in items:
        if op is _sre.NEGATE:
            parts.append("^")
        elif op is _sre.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is _sre.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is _sre.CATEGORY and av in _PY_CATEGORY:
            parts.append(_PY_CATEGORY[av])
        else:
            raise _NoRE2(op)
    return re.compile("[" + "".join(parts) + "]", flags & (_ICASE | _ASCII))


def _re2_set(items: list[Any], flags: int) -> str:
    negate = bool(items) and items[0][0] is _sre.NEGATE
    body_items = items[1:] if negate else items
    table = _CATEGORY_SUBSET if negate else _CATEGORY_SUPERSET
    parts = []
    for op, av in body_items:
        if op is _sre.LITERAL:
            parts.append(_esc(av))
        elif op is _sre.RANGE:
            parts.append(f"{_esc(av[0])}-{_esc(av[1])}")
        elif op is _sre.CATEGORY and av in table:
            parts.append(table[av])
        else:
            raise _NoRE2(op)
    if flags & _ICASE:
        variants = _case_variants(body_items) - {av for op, av in body_items if op is _sre.LITERAL}
        if negate:
            # exclude only what Python excludes too: the complement stays a superset
            python = _py_set(items, flags)
            variants = {cp for cp in variants if not python.fullmatch(chr(cp))}
        parts.extend(_esc(cp) for cp in sorted(variants))
    body = "".join(parts)
    if negate:
        return f"[^{body}]" if body else "(?s:.)"
    return f"[{body}]"


def _re2(items: Iterable[Any], flags: int) -> str:
    """RE2 for parsed ``items`` under Python ``flags``. RE2 gets no flags of its own: case
    is spelled out in classes, ``.`` is ``(?s:.)``, anchors are dropped."""
    out = []
    for op, av in items:
        if op is _sre.LITERAL:
            if flags & _ICASE and av in _case_classes()[1]:
                out.append(_re2_set([(op, av)], flags))
            else:
                out.append(_esc(av))
        elif op is _sre.NOT_LITERAL:
            out.append(_re2_set([(_sre.NEGATE, None), (_sre.LITERAL, av)], flags))
        elif op is _sre.ANY:
            out.append("(?s:.)")
        elif op is _sre.IN:
            out.append(_re2_set(list(av), flags))
        elif op is _sre.BRANCH:
            out.append("(?:" + "|".join(_re2(b.data, flags) for b in av[1]) + ")")
        elif op is _sre.SUBPATTERN:
            _group, add, drop, sub = av
            out.append(f"(?:{_re2(sub.data, (flags | add) & ~drop)})")
        elif op in (*_REPEATS, _sre.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            lo = min(lo, 1000)  # RE2's limit; a smaller minimum matches more
            body = f"(?:{_re2(sub.data, flags)})"
            if hi == _sre.MAXREPEAT or hi > 1000:
                out.append(body + ("*" if lo == 0 else "+" if lo == 1 else f"{{{lo},}}"))
            else:
                out.append(body + f"{{{lo},{hi}}}")
        elif op is _sre.ATOMIC_GROUP:
            out.append(f"(?:{_re2(av.data, flags)})")
        elif op is _sre.GROUPREF_EXISTS:
            _cond, yes, no = av
            other = _re2(no.data, flags) if no is not None else ""
            out.append(f"(?:{_re2(yes.data, flags)}|{other})")
        elif op is _sre.GROUPREF:
            out.append("(?s:.*)")  # whatever the group matched
        elif op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            pass  # anchors and lookarounds only restrict where a match may be
        else:
            raise _NoRE2(op)
    return "".join(out)


def to_re2(pattern: str) -> str | None:
    """An RE2 pattern that matches (``pyarrow.compute.match_substring_regex``) every text
    that ``pattern`` matches somewhere (``re.search``), or None when none is found.

    Built from the parsed pattern: anchors and lookarounds are dropped, a back-reference
    becomes ``.*``, atomic groups and possessive or lazy repetitions become plain ones,
    ``\\d``, ``\\w``, ``\\s`` their Unicode classes (RE2's are ASCII), a case-insensitive
    letter the class of every letter Python's ``re`` takes for it, repetitions past RE2's
    1000 unbounded. The result is checked by compiling it with pyarrow."""
    try:
        parsed = _sre_parse.parse(pattern)
        out = _re2(parsed.data, parsed.state.flags)
    except (re.error, _NoRE2, RecursionError, ImportError, AttributeError):
        return None  # ImportError, AttributeError: re's private case tables have moved
    return out if _re2_compiles(out) else None


def _re2_compiles(pattern: str) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        pc.match_substring_regex(pa.array(["a"], pa.string()), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True


# -- the scanner ----------------------------------------------------------------------------
@functools.cache
def _placeholder_re() -> re.Pattern[str]:
    from consentgate.policy.model import REDACTION_CLASSES

    return re.compile("<(?:" + "|".join(c.upper() for c in REDACTION_CLASSES) + ")>")


def _cue_re(cues: Sequence[str]) -> re.Pattern[str]:
    words = sorted({c.strip() for c in cues}, key=lambda c: (-len(c), c))
    alts = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _Rule:
    cls: str
    rx: re.Pattern[str]
    validate: Callable[[str], bool] | None
    cues: re.Pattern[str] | None  # None: no cue is required
    window: int
    before: bool
    after: bool


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


class _Spans:
    """Sorted non-overlapping spans: overlap tests, and the virtual position of a raw one
    (each span counting as one character)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = _merge(spans)
        self.starts = [s for s, _ in self.spans]
        self.ends = [e for _, e in self.spans]
        self.saved = [0]
        for s, e in self.spans:
            self.saved.append(self.saved[-1] + (e - s - 1))

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.ends, start)
        return i < len(self.spans) and self.starts[i] < end

    def virtual(self, pos: int) -> int:
        return pos - self.saved[bisect.bisect_right(self.ends, pos)]


class CustomScanner:
    """The extra recognizers of a policy, compiled once per process.

    Holds the recognizers (``policy.model.Recognizer``) and pickles as them; the regexes and
    validators are built on first use in each process. Empty (falsy) without recognizers.
    """

    __slots__ = ("_gate", "_rules", "recognizers")

    def __init__(self, recognizers: Iterable[Recognizer | Mapping[str, Any]] = ()) -> None:
        from consentgate.policy.model import Recognizer

        self.recognizers: tuple[Recognizer, ...] = tuple(
            r if isinstance(r, Recognizer) else Recognizer.model_validate(r) for r in recognizers
        )
        self._rules: tuple[_Rule, ...] | None = None
        self._gate: tuple[str | None] | None = None

    def __getstate__(self) -> tuple[Any, ...]:
        return self.recognizers

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.__init__(state)

    def __bool__(self) -> bool:
        return bool(self.recognizers)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CustomScanner) and self.recognizers == other.recognizers

    def __hash__(self) -> int:
        return hash(tuple(r.name for r in self.recognizers))

    def __repr__(self) -> str:
        return f"CustomScanner({', '.join(r.name for r in self.recognizers)})"

    def _compiled(self) -> tuple[_Rule, ...]:
        if self._rules is None:
            from consentgate.redaction.named_validators import get_validator

            self._rules = tuple(
                _Rule(
                    cls=r.cls,
                    rx=re.compile(r.pattern),
                    validate=get_validator(r.validator, r.regions) if r.validator else None,
                    cues=_cue_re(r.cues) if r.cue_required and r.cues else None,
                    window=r.cue_window,
                    before=r.cue_side in ("before", "either"),
                    after=r.cue_side in ("after", "either"),
                )
                for r in self.recognizers
            )
        return self._rules

    # -- one text --------------------------------------------------------------------------
    def find(self, text: str, taken: Iterable[tuple[int, int]] = ()) -> list[Finding]:
        """The extra recognizers' values in ``text``, sorted, overlapping neither ``taken``
        (spans already found, e.g. by the built-in scan) nor each other."""
        if not self.recognizers or not text:
            return []
        rules = self._compiled()
        fixed = [*taken, *(m.span() for m in _placeholder_re().finditer(text))]
        cue_spans: dict[int, list[tuple[int, int]]] = {}
        kept: list[tuple[int, int, str]] = []  # (start, end, class)
        for _ in range(MAX_ROUNDS):
            blocked = _Spans([*fixed, *((s, e) for s, e, _c in kept)])
            added = self._round(text, rules, blocked, cue_spans)
            if not added:
                break
            kept.extend(added)
            if not any(rule.cues is not None for rule in rules):
                break  # no cue rule: a kept value changes no other decision
        return [Finding(c, s, e, text[s:e]) for s, e, c in sorted(kept)]

    def _round(
        self,
        text: str,
        rules: tuple[_Rule, ...],
        blocked: _Spans,
        cue_spans: dict[int, list[tuple[int, int]]],
    ) -> list[tuple[int, int, str]]:
        added: list[tuple[int, int, str]] = []
        mine = _Spans([])
        for index, rule in enumerate(rules):
            pos, n = 0, len(text)
            while pos < n:
                m = rule.rx.search(text, pos)
                if m is None:
                    break
                s, e = m.span()
                if (
                    e == s
                    or blocked.overlaps(s, e)
                    or mine.overlaps(s, e)
                    or (rule.validate is not None and not rule.validate(m.group()))
                    or (rule.cues is not None and not self._cued(text, index, rule, s, e,
                                                                 blocked, cue_spans))
                ):
                    pos = s + 1
                    continue
                added.append((s, e, rule.cls))
                mine = _Spans([*mine.spans, (s, e)])
                pos = e
        return added

    @staticmethod
    def _cued(
        text: str,
        index: int,
        rule: _Rule,
        start: int,
        end: int,
        blocked: _Spans,
        cue_spans: dict[int, list[tuple[int, int]]],
    ) -> bool:
        assert rule.cues is not None
        if index not in cue_spans:
            cue_spans[index] = [m.span() for m in rule.cues.finditer(text)]
        vs, ve = blocked.virtual(start), blocked.virtual(end)
        for cs, ce in cue_spans[index]:
            if blocked.overlaps(cs, ce):
                continue  # a cue word inside a value or a placeholder is none
            if rule.before and ce <= start and vs - blocked.virtual(cs) <= rule.window:
                return True
            if rule.after and cs >= end and blocked.virtual(ce) - ve <= rule.window:
                return True
        return False

    # -- the row gate ------------------------------------------------------------------------
    def gate_re2(self) -> str | None:
        """An RE2 pattern matching every text in which :meth:`find` can find a value (a
        superset: it ignores validators, cues and lookarounds), for
        ``pyarrow.compute.match_substring_regex``; None when some pattern has no RE2 form
        here (then every row must be scanned).

        Without recognizers: :data:`NEVER`, a pattern that matches no text (test
        ``bool(scanner)`` first to skip the pass)."""
        if not self.recognizers:
            return NEVER
        if self._gate is None:
            parts = [to_re2(r.pattern) for r in self.recognizers]
            gate = None
            if all(p is not None for p in parts):
                gate = "|".join(f"(?:{p})" for p in parts)
                if not _re2_compiles(gate):
                    gate = None
            self._gate = (gate,)
        return self._gate[0]


def apply(text: str, findings: Sequence[Finding], scanner: CustomScanner | None) -> list[Finding]:
    """The built-in ``findings`` of ``text`` (sorted, non-overlapping) with the extra
    recognizers' values added where nothing was found: sorted, non-overlapping."""
    base = sorted(findings, key=lambda f: (f.start, f.end))
    if not scanner:
        return base
    extra = scanner.find(text, [(f.start, f.end) for f in base])
    if not extra:
        return base
    return sorted([*base, *extra], key=lambda f: (f.start, f.end))
