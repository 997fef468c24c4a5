"""Regular expressions: the candidate scan, salary amounts, cue words and the row gates.

Everything here finds *candidates*: text shaped like a value of a class; ``validators``
and ``scan`` decide whether a candidate really is one (checksums, number plans, cue words).
The patterns are written for Python's ``re`` (fixed-width lookbehinds mark boundaries);
only the ``GATE_RE2_*`` patterns are for RE2 (pyarrow's vectorised regex kernels).

Performance: every alternative of :data:`SCAN` is anchored at a digit, ``+``, ``(`` or
``<``, so the combined pattern starts with a character set and ``re`` skips the prose
between anchors in C; an alternative is tried only at the first digit of a run, behind
cheap shared guards. Emails are searched for only around an ``@``, salary amounts only
around salary cue words.
"""

from __future__ import annotations

import re
import re._constants as _re_constants  # the parsed form of a cue: its leading literals
import re._parser as _re_parser
from collections.abc import Iterator

import ahocorasick

from consentgate.redaction import ids as I
from consentgate.redaction import vocabulary as V

# Placeholders written in place of redacted values. Deterministic: one per class.
PLACEHOLDERS: dict[str, str] = {
    "email": "<EMAIL>",
    "phone": "<PHONE>",
    "iban": "<IBAN>",
    "card": "<CARD>",
    "national_id": "<NATIONAL_ID>",
    "salary": "<SALARY>",
}

# Phone group separators.
_PSEP = "[ \u00a0.\\-/]"
# "§" stands for the anchor character in the "before" assertions of a branch (see _Branch).
# A digit run may not start right after these (inside a bigger token, a time, ...) ...
# (letters of alphabets that put spaces between words: CJK text runs into numbers)
_ALNUM = "0-9A-Za-z_\u00c0-\u024f\u0370-\u03ff\u0400-\u052f"
# Chinese, Japanese and Korean put no space between words and values ("月薪是18,900港元",
# "1,200만원이라", "请找18641682293。"): their letters do not count as touching a number, a
# currency word or an e-mail address
_CJK_RANGE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_NUM_LEFT = (r"(?<![" + _ALNUM + r"+.,:/\-@]§)", r"(?<!\d[ \u00a0.\-/]§)")
# ... nor end right before these: a word character, or a separator followed by a digit.
# (an "x" glued to a number is an extension when digits follow: "(806)301-0060x228")
_NUM_RIGHT = r"(?!(?!x\d)[" + _ALNUM + r"]|[.,\-/ \u00a0\u202f]\d)"
# Values with a checksum may be followed by a number ("card 4111 ... 1111 2021 was ..."):
# only a word character or a separator glued to a digit ends them badly.
_NUM_RIGHT_CHECKED = r"(?![" + _ALNUM + r"]|[.,\-/]\d)"

_E_CH = r"(?:[+%\-]|[^\W" + _CJK_RANGE + r"])"  # a local part's character
EMAIL = re.compile(
    r"(?<![.+%\-])(?<![^\W" + _CJK_RANGE + r"])"
    + _E_CH + r"+(?:\." + _E_CH + r"+)*"
    r"@"
    r"(?:[^\W_](?:[\w\-]*[^\W_])?\.)+"
    r"[^\W\d_" + _CJK_RANGE + r"]{2,24}"
    r"(?![^\W" + _CJK_RANGE + r"]|-)"
)


class _Branch:
    """One alternative of the scan: ``before`` assertions, an anchor character class
    ``first`` and the ``rest``. Every branch is anchored at a digit, ``+``, ``(`` or ``<``,
    so the combined pattern starts with a character set and ``re`` skips the prose between
    anchors in C. A value that starts before its anchor (the letters of an IBAN, a NINO or
    a codice fiscale) is extended backwards by ``scan``.

    ``before`` assertions use "§" for the anchor: in the standalone pattern (matched at the
    anchor) "§" is dropped; in the combined pattern the anchor is already consumed, so "§"
    becomes "." and a check that the consumed character is ``first`` is added.
    """

    __slots__ = ("before", "branch", "first", "name", "rest")

    def __init__(self, name: str, branch: str, first: str, rest: str,
                 before: tuple[str, ...] = ()) -> None:
        self.name, self.branch, self.first, self.rest, self.before = (
            name, branch, first, rest, before)

    def standalone(self) -> str:
        return "".join(b.replace("§", "") for b in self.before) + self.first + self.rest

    def combined(self) -> str:
        before = "".join(b.replace("§", ".") for b in self.before)
        return f"(?P<{self.name}>(?<={self.first}){before}{self.rest})"


# --- salary amounts -------------------------------------------------------------------
# Currencies and multipliers come from data/cues.toml [currency].
_CURRENCY = V.currency()
CURRENCY_CODES = _CUR_CODES = "|".join(_CURRENCY["codes"])


def _before_alt(symbols: list[str]) -> str:
    """Symbols written before an amount, longest first; one that starts or ends with a
    letter may not touch other letters ("kr" is not inside "Ukraine")."""
    alts = []
    for sym in sorted(symbols, key=len, reverse=True):
        lb = r"(?<![A-Za-z])" if sym[0].isalpha() else ""
        rb = r"(?![A-Za-z])" if sym[-1].isalpha() else ""
        alts.append(lb + re.escape(sym) + rb)
    return "|".join(alts)


_NOT_WORD_AFTER = r"(?![^\W\d_" + _CJK_RANGE + r"])"
_CUR_PRE = (
    r"(?:" + _before_alt(_CURRENCY["before"])
    + r"|(?<![A-Za-z])(?:" + _CUR_CODES + r")(?![A-Za-z]))"
)
_CUR_POST = (
    # longest first: "kr." before "kr", so that the dot goes with the amount
    r"(?:(?:" + _CUR_CODES + "|" + "|".join(sorted(_CURRENCY["after"], key=len, reverse=True))
    + r")" + _NOT_WORD_AFTER
    + r"|[€$£¥₹₩₺元円원￥])"
)
# a number: 65,000 / 55 000 / 72.000 / 120'000 / 49.99 / 65
_NUM = (
    r"(?:\d{1,3}(?:[,.'’ \u00a0\u202f]\d{3})+(?:[.,]\d{1,2}|[.,][\-–])?(?![\d])"
    r"|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?(?![\d])"  # Indian grouping: 21,98,000
    r"|\d+(?:[.,]\d{1,2})?(?![\d]))"
)
_MULT_WORDS = "|".join(_CURRENCY["multipliers"])
_MULT = r"(?:[ \u00a0]?(?:" + _MULT_WORDS + r")" + _NOT_WORD_AFTER + r")"
_AMT = _NUM + _MULT + "?"
_AMT_K = _NUM + _MULT
_RANGE = r"[ \u00a0]?(?:-|–|—|to|à|a|bis|tot|do)[ \u00a0]?"
_AMT_CUR = (
    r"(?:" + _CUR_PRE + r"[ \u00a0]?" + _AMT + r"(?:[ \u00a0]?" + _CUR_POST + r")?"
    r"|" + _AMT + r"[ \u00a0]?" + _CUR_POST + r")"
)
_RANGE_TAIL = r"(?:" + _RANGE + _AMT_CUR + r"|" + _RANGE + _AMT + r")?"
# A salary amount candidate (searched only near salary cue words, see scan.py).
_SALARY_BODY = (
    r"(?:" + _CUR_PRE + r"[ \u00a0]?" + _AMT + r"(?:[ \u00a0]?" + _CUR_POST + r")?" + _RANGE_TAIL
    + r"|(?<![.,])(?<![^\W" + _CJK_RANGE + r"])" + _NUM
    + r"(?:" + _MULT + r"?[ \u00a0]?" + _CUR_POST + _RANGE_TAIL
    + r"|" + _MULT + r"(?:" + _RANGE + _AMT_K + r")?"
    + r"|" + _RANGE + _AMT_CUR + r"))"
)
# Every candidate starts with a digit, a currency sign or the first letter of a currency
# code: checking that first lets ``re`` pass over the other characters without entering
# the alternation (3x faster on texts with salaries; tests compare it with the body alone).
SALARY_FIRST = "[\\d" + re.escape("".join(sorted(
    {c[0] for c in _CURRENCY["before"]} | {c[0] for c in _CURRENCY["codes"]}))) + "]"
SALARY = re.compile(r"(?=" + SALARY_FIRST + r")" + _SALARY_BODY)
# Parts of a salary amount, to compute its value.
SALARY_NUMBER = re.compile(_NUM + r"(" + _MULT + r")?")

# --- the scan: IBANs, cards, national ids, phone numbers ----------------------------------
_IBAN = _Branch("iban", "iban", r"\d", r"\d(?:[ \u00a0]?[A-Z0-9]){10,32}",
                (r"(?<=[A-Z]{2}§)", r"(?<![A-Za-z0-9][A-Z]{2}§)"))
_CARD = _Branch("card", "card", r"\d",
                r"(?:\d{3}(?:[ \u00a0\-]\d{4}){2,3}(?:[ \u00a0\-]\d{1,3})?"
                r"|\d{3}[ \u00a0\-]\d{6}[ \u00a0\-]\d{4,5}"
                r"|\d{12,18})" + _NUM_RIGHT_CHECKED,
                _NUM_LEFT)


def _id_branch(shape: I.IdShape) -> _Branch:
    """A national identifier's shape (data/national_ids.toml) as an alternative of the
    scan. Letters before the first digit (``lead``) are checked by ``scan``."""
    return _Branch(shape.name, "id", shape.first, "(?:" + shape.rest + ")" + _NUM_RIGHT_CHECKED,
                   () if shape.lead else _NUM_LEFT)


# Identifiers in the file's order; those that need no cue word before those that do.
_ID_LEAD = tuple(_id_branch(s) for s in I.SHAPES if s.lead)
_ID_DIGITS = tuple(
    _id_branch(s) for s in sorted(
        (s for s in I.SHAPES if not s.lead),
        key=lambda s: all(sp.cue_required for sp in s.specs))
)
# international phone numbers: +CC or 00CC, groups with one separator between them,
# "(0)" allowed after the country code (+49 (0)30 ...)
_INTL_REST = (r"[1-9]\d{0,14}(?:[ \u00a0]?\(0\)[ \u00a0]?\d{1,12})?"
              r"(?:" + _PSEP + r"\(?\d{1,12}\)?){0,7}" + _NUM_RIGHT)
_PHONE_00 = _Branch("phone_00", "phone_intl", "0", "0" + _INTL_REST, _NUM_LEFT)
_PHONE_PLUS = _Branch("phone_plus", "phone_intl", r"\+", _INTL_REST, (r"(?<![" + _ALNUM + r"+]§)",))
# a country code in brackets: "+(371) 26098366", "(+30) 6994 637896"
_PAREN_CC_REST = (r"[1-9]\d{0,3}\)(?:" + _PSEP + r"?\d{1,12}){1,7}" + _NUM_RIGHT)
_PHONE_PLUS_PAREN = _Branch("phone_plus_paren", "phone_intl", r"\+", r"\(" + _PAREN_CC_REST,
                            (r"(?<![" + _ALNUM + r"+]§)",))
_PHONE_PAREN_PLUS = _Branch("phone_paren_plus", "phone_intl", r"\(", r"\+" + _PAREN_CC_REST,
                            (r"(?<![" + _ALNUM + r"+]§)",))
# national phone numbers: 1 415 555 0132, 06 12 34 56 78, 030/1234567, compact digits,
# (415) 555-0132
_PHONE_ONE = _Branch(
    "phone_one", "phone_nat", "1",
    r"[ \u00a0.\-](?:\(\d{3}\)[ \u00a0.\-]?|\d{3}[ \u00a0.\-])\d{3}[ \u00a0.\-]\d{4}" + _NUM_RIGHT,
    _NUM_LEFT)
_PHONE_NAT = _Branch("phone_nat", "phone_nat", r"\d",
                     # "05/ 699 22 59": a Belgian area code, a slash and a space
                     r"(?:\d{1,6}(?:(?:/[ \u00a0]|" + _PSEP + r")\d{2,10}){1,5}|\d{5,14}"
                     # a trunk prefix before a bracketed area code: 8 (912) 345-67-89
                     r"|\d?[ \u00a0]?\(\d{2,5}\)[ \u00a0]?\d{2,8}(?:[ \u00a0.\-]\d{2,8}){0,4})"
                     + _NUM_RIGHT,
                     _NUM_LEFT)
_PHONE_PAREN = _Branch(
    "phone_paren", "phone_nat", r"\(",
    r"\d{1,5}(?:[ \u00a0\-]\d{1,5})?\)[ \u00a0.\-]?\d{2,10}(?:[ \u00a0.\-]\d{2,8}){0,4}"
    + _NUM_RIGHT, _NUM_LEFT)
_PLACEHOLDER = _Branch("placeholder", "placeholder", "<",
                       r"(?:EMAIL|PHONE|IBAN|CARD|NATIONAL_ID|SALARY)>")

# The alternatives in priority order (at one anchor, the first that matches and validates
# wins), grouped under cheap shared guards. Groups hold consecutive alternatives only, so
# the order stays the priority order.
_GROUPS: tuple[tuple[str, tuple[_Branch, ...]], ...] = (
    ("(?<=<)", (_PLACEHOLDER,)),
    # letters right before the digit: FR|76...
    (r"(?<=[A-Z].)", (_IBAN,)),
    # identifiers written with letters first: AB 12 34 56 C, X-1234567-L, RSSMRA85T...
    (r"(?<=[A-Z \u00a0\-].)", _ID_LEAD),
    # long digit clusters: at least five digits or separators follow the anchor
    (r"(?<=\d)(?=[\d \u00a0.\-/()]{5})",
     (_CARD, *_ID_DIGITS, _PHONE_00, _PHONE_ONE, _PHONE_NAT)),
    (r"(?<=\()", (_PHONE_PAREN_PLUS, _PHONE_PAREN)),
    (r"(?<=\+)", (_PHONE_PLUS, _PHONE_PLUS_PAREN)),
)
BRANCH_LIST: tuple[_Branch, ...] = tuple(
    dict.fromkeys(b for _, group in _GROUPS for b in group)
)
ANCHOR = r"[\d+(<]"
# No alternative starts at a character that follows a digit: one check for all of them.
SCAN = re.compile(
    ANCHOR + r"(?<!\d.)(?:"
    + "|".join(
        guard + "(?:" + "|".join(b.combined() for b in group) + ")"
        for guard, group in _GROUPS
    )
    + ")"
)
SUB_BRANCH: dict[str, str] = {b.name: b.branch for b in BRANCH_LIST}

# --- cue words ------------------------------------------------------------------------
# A cue never matches inside a placeholder: "<PHONE>" is not the cue "phone".
_CUE_L = r"(?<![\w<])"
_CUE_R = r"(?![\w>])"


SALARY_STRONG_WORDS = V.cue_words("salary_strong")
# career events ("as an intern", "after the promotion") weigh as the weak words do
_SALARY_WEAK_OWN = V.cue_words("salary_weak")
_SALARY_WEAK_SET = set(_SALARY_WEAK_OWN)
SALARY_WEAK_WORDS = _SALARY_WEAK_OWN + [
    w for w in V.cue_words("salary_context") if w not in _SALARY_WEAK_SET]


def _split_word(word: str) -> tuple[bool, str, str, bool]:
    r"""(left boundary?, first character, rest, right boundary?) of a cue word.

    A word beginning (ending) with ``\w*`` matches inside compounds ("Jahresgehalt") and
    has no boundary on that side; a word beginning with a non-word character ("/year") has
    no left boundary ("65k/year")."""
    lead_free = word.startswith(r"\w*")
    body = word.removeprefix(r"\w*")
    trail_free = body.endswith(r"\w*")
    body = body.removesuffix(r"\w*")
    first, rest = body[0], body[1:]
    assert first not in "\\([?*{|.", word
    assert not rest or rest[0] not in "?*{", word
    # Chinese, Japanese and Korean are written without spaces: "マイナンバーは1728..." has
    # no word boundary after the cue, so a cue's CJK edge needs none
    return (not lead_free and first.isalnum() and not _CJK.match(first), first,
            rest + (r"\w*" if trail_free else ""),
            not trail_free and not _CJK.match(body[-1]))


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


class Cues:
    """A list of cue words, matched case-insensitively as whole words.

    Two compiled patterns with the same matches: one for any text (IGNORECASE), and a
    faster one for lower-cased text, grouped by first character. ``re`` would try the
    faster one's alternation at nearly every position of a text; an Aho-Corasick automaton
    of the literal text each cue's matches start with finds, in one C pass, the few
    positions where a match can start, and the pattern is tried there only: the same
    matches as ``finditer``, in the same order (tested), at a fraction of the cost.
    """

    __slots__ = ("_starts", "fast", "slow")

    def __init__(self, words: list[str]) -> None:
        plain = []
        by_first: dict[str, list[str]] = {}
        starts: set[str] = set()
        # longest first: "sueldo de entrada" is one cue, not "sueldo" and then "entrada"
        for w in sorted(words, key=len, reverse=True):
            left, first, rest, right = _split_word(w.lower())
            lb = _CUE_L if left else ""
            rb = _CUE_R if right else ""
            plain.append(lb + re.escape(first) + rest + rb)
            by_first.setdefault(first, []).append((r"(?<![\w<].)" if left else "") + rest + rb)
            starts.add(first + _leading_literal(rest))
        # compiled up front although few texts need it (17 of the independent corpus's test
        # split): compiled lazily, the first such text would pay for it inside a redaction
        # pass, and a build meets one sooner or later
        self.slow = re.compile("|".join(plain), re.IGNORECASE)
        self.fast = re.compile(
            "|".join(re.escape(f) + "(?:" + "|".join(a) + ")" for f, a in by_first.items())
        )
        self._starts = ahocorasick.Automaton()
        for lit in starts:
            self._starts.add_word(lit, len(lit) - 1)
        if starts:
            self._starts.make_automaton()

    def _target(self, text: str) -> tuple[re.Pattern[str], str]:
        low = text.lower()
        if len(low) != len(text):  # a few characters change length: take the slow way
            return self.slow, text
        if "ſ" in low or "ı" in low:  # what IGNORECASE matches and lower() does not give
            low = low.replace("ſ", "s").replace("ı", "i")
        return self.fast, low

    def _starts_in(self, target: str) -> list[int]:
        """Where in ``target`` (lower-cased) a match of the fast pattern can start."""
        if self._starts.kind != ahocorasick.AHOCORASICK:
            return []  # no words
        found = [end - back for end, back in self._starts.iter(target)]
        return sorted(set(found)) if len(found) > 1 else found

    def _finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``finditer`` of the pattern for ``text``, tried only where a cue can start."""
        pattern, target = self._target(text)
        if pattern is self.slow:
            yield from pattern.finditer(target)
            return
        match = pattern.match
        pos = 0
        for start in self._starts_in(target):
            if start < pos:
                continue
            m = match(target, start)
            if m is not None:
                yield m
                pos = m.end()

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self._finditer(text)]

    def last_ending_after(self, text: str, pos: int) -> re.Match[str] | None:
        """The last match that ends after ``pos`` (it may start before)."""
        last = None
        for m in self._finditer(text):
            last = m
        return last if last is not None and last.end() > pos else None

    def first(self, text: str) -> re.Match[str] | None:
        return next(self._finditer(text), None)


def _leading_literal(rest: str) -> str:
    """The literal characters every match of the regex ``rest`` starts with: its leading
    literals as ``re`` parses them ("" when it starts with a class, a group, a repeat or
    has a top-level "|")."""
    try:
        parsed = _re_parser.parse(rest)
    except Exception:  # pragma: no cover - the pattern compiles; "" is always safe
        return ""
    out: list[str] = []
    for op, arg in parsed:
        if op is not _re_constants.LITERAL:
            break
        out.append(chr(arg))
    return "".join(out)


SALARY_STRONG = Cues(SALARY_STRONG_WORDS)
SALARY_WEAK = Cues(SALARY_WEAK_WORDS)
NOT_SALARY = Cues(V.cue_words("not_salary"))


def salary_cue_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the salary cue words (strong and weak) in ``text``."""
    return SALARY_STRONG.spans(text) + SALARY_WEAK.spans(text)


PHONE_CUE = Cues(V.cue_words("phone"))
# After a number, words that name it a phone number ("... to mój numer", "... es mi línea")
PHONE_AFTER_CUE = Cues(V.cue_words("phone") + V.cue_words("phone_after"))
# Only the words that name a number after it ("... is my number"), not verbs like "text"
PHONE_NAMED_AFTER_CUE = Cues(V.cue_words("phone_after"))
# Words before a number that say it is not a phone number.
NOT_PHONE_CUE = Cues(V.cue_words("not_phone"))
ID_CUE = Cues(V.cue_words("id") + I.id_cue_words())

# A phone extension right after a number: "x123", "ext. 12", "(poste 42)", "Durchwahl -12".
_EXT_WORDS = "|".join(
    sorted(V.cue_words("extension"), key=len, reverse=True)
)
_EXT_BODY = (r"(?:" + _EXT_WORDS + r")[ \u00a0]*[.:]?[ \u00a0]*-?[ \u00a0]*\d{1,6}(?![\d"
             + _ALNUM + r"])")
EXTENSION = re.compile(
    r"[ \u00a0]*,?[ \u00a0]*(?:\([ \u00a0]*" + _EXT_BODY + r"[ \u00a0]*\)|" + _EXT_BODY + r")",
    re.IGNORECASE,
)

# Obfuscated e-mail addresses: "jan [at] firma [dot] pl", "anna(at)example.de",
# "info @ example . com", "john at example dot com".
_E_LOCAL = (r"(?<![.+%\-])(?<![^\W" + _CJK_RANGE + r"])" + _E_CH + r"+(?:\." + _E_CH + r"+)*")
_E_LABEL = r"[^\W_](?:[\w\-]*[^\W_])?"
_E_TLD = r"[^\W\d_" + _CJK_RANGE + r"]{2,24}(?![^\W" + _CJK_RANGE + r"]|-)"
_AT_WORDS = (
    "at|ät|arobase|chez|arroba|chiocciola|małpa|malpa|kukac|snabel-a|apenstaartje"
    "|klammeraffe|zavináč|zavinac|kommertsmärk|kommertsmark|miukumauku|eta|afna"
    "|кльомба|маймунка|собака|παπάκι|@"
)
_DOT_WORDS = ("dot|punkt|point|punto|kropka|ponto|pont|piste|prik|punt|tečka|bodka|dt"
              "|taškas|punkts|točka|nokta|точка|τελεία")
_SP = r"[ \u00a0]"
_AT_OBF = (r"(?:" + _SP + r"*[\[({<]" + _SP + r"*(?i:" + _AT_WORDS + r")" + _SP + r"*[\])}>]" + _SP
           + r"*|" + _SP + r"+@" + _SP + r"*|" + _SP + r"*@" + _SP + r"+)")
_DOT_OBF = (r"(?:" + _SP + r"*[\[({<]" + _SP + r"*(?i:" + _DOT_WORDS + r"|\.)" + _SP
            + r"*[\])}>]" + _SP + r"*|" + _SP + r"+(?i:" + _DOT_WORDS + r")" + _SP + r"+|" + _SP
            + r"+\." + _SP + r"+|\.)")
_AT_BARE = _SP + r"+(?i:" + _AT_WORDS.removesuffix("|@") + r")" + _SP + r"+"
_DOT_BARE = _SP + r"+(?i:" + _DOT_WORDS + r")" + _SP + r"+"
# the domain's dots: spelled out (one of them at least, the last) or written
OBFUSCATED_EMAIL = re.compile(
    _E_LOCAL + _AT_OBF + _E_LABEL + r"(?:" + _DOT_OBF + _E_LABEL + r")*" + _DOT_OBF + _E_TLD
    + r"|" + _E_LOCAL + _AT_BARE + _E_LABEL
    + r"(?:(?:" + _DOT_BARE + r"|\.)" + _E_LABEL + r")*" + _DOT_BARE + _E_TLD
)
# A cheap test that a text may hold one (Python), and its RE2 twin for the row gate.
OBFUSCATED_HINT = re.compile(
    r"[\[({<]\s*(?:" + _AT_WORDS + r")\s*[\])}>]|\s@|@\s|\s(?:" + _AT_WORDS + r")\s+\S+\s+(?:"
    + _DOT_WORDS + r")\s",
    re.IGNORECASE,
)
GATE_RE2_OBFUSCATED = (
    r"(?i)[\[({<]\s*(?:" + _AT_WORDS + r")\s*[\])}>]"
    r"|\s(?:" + _AT_WORDS + r")\s+\S+\s+(?:" + _DOT_WORDS + r")\s"
)

# A sentence boundary between a cue and a value breaks the link.
BOUNDARY = re.compile(r"[.!?]\s+(?=[A-ZÀ-ÖØ-Þ])|[\n;]")

# Date-shaped candidates are never phone numbers: 2025-11-03, 03/11/2025, 3.11.2025, and
# year ranges: 2019-2023, 2019 2020.
DATE_LIKE = re.compile(
    r"(?:\d{4}([\-/.])\d{1,2}\1\d{1,2}|\d{1,2}([\-/.])\d{1,2}\2\d{2,4})"
    r"|(?:19|20)\d\d[ \u00a0]?[\-/–][ \u00a0]?(?:19|20)\d\d"
)
# ... nor those holding a date with a full year: "02/01/2016 1990", "00 172 02/01/2016".
DATE_INSIDE = re.compile(
    r"(?<!\d)(?:(?:19|20)\d\d([\-/.])\d{1,2}\1\d{1,2}|\d{1,2}([\-/.])\d{1,2}\2(?:19|20)\d\d)"
    r"(?!\d)"
)


# --- row gate (RE2, vectorised in pyarrow) ---------------------------------------------
# Rows that need the Python scan: "@" (emails), a cluster of six digits at most two other
# characters apart (every other non-salary class: the validators check DIGITS6 inside the
# candidate), or a digit and a salary cue word (salaries). RE2 has no lookbehind and its
# \d, \w and \b are ASCII-only, so these are supersets of the Python conditions.
DIGITS6 = re.compile(r"\d(?:\D{0,2}\d){5}")
HAS_DIGIT = re.compile(r"\d")
GATE_RE2_AT = "@"
GATE_RE2_DIGITS6 = r"\p{Nd}(?:\P{Nd}{0,2}\p{Nd}){5}"
GATE_RE2_DIGIT = r"\p{Nd}"
# one pass instead of two: a pass over a column costs about the same whatever the pattern
# IBANs whose account part is mostly letters (LU, LV, MT: "LU28 083E GF0G ...") have no
# six-digit cluster
GATE_RE2_IBAN = r"[A-Z]{2}\d{2}(?:[ \x{a0}]?[A-Z0-9]){11}"
IBAN_ROW = re.compile(r"[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]){11}")
# India's PAN has four digits only: five letters, four digits, a letter
GATE_RE2_PAN = r"[A-Z]{5}\d{4}[A-Z]"
PAN_ROW = re.compile(r"[A-Z]{5}\d{4}[A-Z]")
GATE_RE2_AT_OR_DIGITS6 = "|".join(
    f"(?:{g})" for g in (GATE_RE2_AT, GATE_RE2_DIGITS6, GATE_RE2_OBFUSCATED, GATE_RE2_IBAN,
                         GATE_RE2_PAN))


def _dotless(body: str) -> str:
    """``i`` as ``[iıİ]`` (``iıİ`` inside a character class)."""
    out = []
    in_class = False
    for c in body:
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        out.append(c if c != "i" else ("iıİ" if in_class else "[iıİ]"))
    return "".join(out)


def _re2_cue(words: list[str]) -> str:
    r"""RE2 version of ``Cues(words)``: a match of the Python pattern is always inside a
    match of this one. Python's boundaries (no Unicode word character or '<' before, none
    or '>' after) imply these ASCII ones; a leading or trailing ``\w*`` drops the
    boundary on that side."""
    parts: dict[tuple[bool, bool], list[str]] = {}
    for w in words:
        lead, first, rest, trail = _split_word(w)
        body = (re.escape(first) + rest).removesuffix(r"\w*")
        assert r"\w" not in body, w
        # Python's IGNORECASE matches "ı" and "İ" with "i"; RE2's (?i) does not
        body = _dotless(body)
        parts.setdefault((lead, trail), []).append(body)
    alts = []
    for (lead, trail), bodies in parts.items():
        alts.append(
            ("(?:^|[^a-zA-Z0-9_<])" if lead else "")
            + "(?:" + "|".join(bodies) + ")"
            + ("(?:$|[^a-zA-Z0-9_>])" if trail else "")
        )
    return "(?i)(?:" + "|".join(alts) + ")"


# In chunks: RE2 gives up its DFA on one alternation of every cue word (its memory budget)
# and then runs 15x slower than on a few smaller ones
_GATE_CHUNK = 500
_GATE_WORDS = SALARY_STRONG_WORDS + SALARY_WEAK_WORDS
GATE_RE2_CUES: tuple[str, ...] = tuple(
    _re2_cue(_GATE_WORDS[i : i + _GATE_CHUNK]) for i in range(0, len(_GATE_WORDS), _GATE_CHUNK))


def _literal(word: str) -> str:
    """The literal text every match of the cue ``word`` starts with (lower case)."""
    w = word.removeprefix(r"\w*").removesuffix(r"\w*")
    out: list[str] = []
    i = 0
    while i < len(w):
        c = w[i]
        step = 1
        if c == "\\" and i + 1 < len(w) and w[i + 1] in "./- ":
            c = w[i + 1]
            step = 2
        elif c in "\\()[]|*+{}?.^$":
            break
        if i + step < len(w) and w[i + step] in "?*{":
            break  # the character is optional
        out.append(c)
        i += step
    lit = "".join(out).casefold()
    assert lit, word
    return lit


def _minimal(literals: set[str]) -> tuple[str, ...]:
    """The literals that hold no other one (any text holding a literal holds one of these).
    One Aho-Corasick pass per literal instead of a test of every pair (1,000 literals)."""
    found = ahocorasick.Automaton()
    for lit in literals:
        found.add_word(lit, len(lit))
    found.make_automaton()
    return tuple(sorted(x for x in literals
                        if not any(n < len(x) for _end, n in found.iter(x))))


# Every salary cue match contains one of these (case-folded, with "ı" read as "i"): a cheap
# test in Python for texts redacted one at a time, where RE2 is not at hand.
SALARY_CUE_LITERALS: tuple[str, ...] = _minimal(
    {_literal(w) for w in SALARY_STRONG_WORDS + SALARY_WEAK_WORDS}
)


# Every salary amount candidate (:data:`SALARY`) holds one of these (case-folded) or a
# multiplier right after a digit.
SALARY_AMOUNT_LITERALS: tuple[str, ...] = _minimal(
    {c.casefold() for c in _CURRENCY["before"] + _CURRENCY["codes"]}
    | {_literal(w) if w[0].isalnum() else w[0] for w in _CURRENCY["after"]}
    | set("€$£¥₹₩₺元円원￥")
)
_MULT_AFTER_DIGIT = re.compile(r"\d[ \u00a0]?(?:" + _MULT_WORDS + ")")


def may_have_salary(text: str) -> bool:
    """A cheap superset test for texts redacted one at a time (the batch path uses RE2): a
    salary needs a cue word and an amount with a currency or a multiplier."""
    folded = text.casefold().replace("ı", "i")
    if not any(lit in folded for lit in SALARY_CUE_LITERALS):
        return False
    return (
        any(lit in folded for lit in SALARY_AMOUNT_LITERALS)
        or _MULT_AFTER_DIGIT.search(text) is not None
    )
