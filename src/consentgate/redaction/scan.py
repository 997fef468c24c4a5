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
non-email, non-salary candidate must contain: checked below; IBANs of mostly letters and
India's PAN, five letters, four digits and a letter, are let through by shapes of their
own), or a text with a digit and a salary cue word. Texts outside the gate give no finding
here either, so the per-text and the batch paths agree.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from consentgate.redaction import ids as I
from consentgate.redaction import patterns as P
from consentgate.redaction import phones
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
# A price or rent word this far before an amount, nearer than any pay word, makes it a price
NOT_SALARY_WINDOW = 40
NOT_SALARY_AFTER_WINDOW = 8
# Salary candidates are looked for this far (in raw characters) around each cue.
SALARY_REACH = 200
# Windows count from the cue's nearer end, so a long cue ("Steueridentifikationsnummer")
# reaches as far as a short one.
PHONE_CUE_WINDOW = 30
PHONE_CUE_AFTER_WINDOW = 32
NOT_PHONE_WINDOW = 20
ID_CUE_WINDOW = 40
ID_CUE_AFTER_WINDOW = 30
_OPAQUE = "\x00"  # a finding or placeholder, in a context
_SALARY_MARK = "\x01"  # a salary amount or <SALARY>: a cue does not reach across one
_GROUP_END = re.compile(r"\d+\)?")
_DIGIT_RUN = re.compile(r"\d+")
# "1 234 567", "12.345.678": a number grouped by thousands, not (without a cue) a phone
_THOUSANDS = re.compile(r"\d{1,3}(?:([ \u00a0\u202f.'’])\d{3})(?:\1\d{3})*")
_COMPACT_DATE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_PAREN_CC = re.compile(r"\(\d{1,3}\)")
_PLACEHOLDERS = re.compile(r"<(?:EMAIL|PHONE|IBAN|CARD|NATIONAL_ID|SALARY)>")
_NEXT_VALUE = re.compile(r"[ \u00a0]*[:.]?[ \u00a0]*[(+\d\x00]")
_YEAR_GROUP = re.compile(r"(?:19|20)\d\d")
_YEARS = re.compile(r"(?:19|20)\d\d(?:[ \u00a0,;/\-–]+(?:19|20)\d\d)+")
_IPV4 = re.compile(r"(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}")
# an amount: a currency sign or code right before or after the number
# (ISO codes only: "TEL 080-5170-1209" is no amount)
_CURRENCY_BEFORE = re.compile(r"(?:[€$£¥₹]|\b(?:" + P.CURRENCY_CODES + r"))[ \u00a0]?\Z")
_CURRENCY_AFTER = re.compile(
    r"[ \u00a0]?(?:[€$£¥₹%‰]|(?:" + P.CURRENCY_CODES + r")\b|zł|Kč|kr\b|Ft\b|lei\b)")


def salary_cues(texts: pa.Array) -> pa.Array:
    """Per row: may the text hold a salary (a digit and a salary cue word)? RE2, vectorised;
    a superset of the exact cue regexes, which run afterwards on the rows it lets through."""
    # the digit pass first: the cue words' four passes then run on the rows with a digit
    # only (28% of the generated network's texts: 30% less time; 95% of the independent
    # corpus's: the same time)
    has_digit = pc.fill_null(pc.match_substring_regex(texts, P.GATE_RE2_DIGIT), False)
    rows = pc.indices_nonzero(has_digit)
    if len(rows) == 0:
        return has_digit
    some = texts.take(rows)
    has_cue = None
    for pattern in P.GATE_RE2_CUES:
        match = pc.fill_null(pc.match_substring_regex(some, pattern), False)
        has_cue = match if has_cue is None else pc.or_(has_cue, match)
    assert has_cue is not None
    return pc.replace_with_mask(has_digit, has_digit, has_cue)


def scan(text: str, salary: bool | None = None) -> list[Finding]:
    """All findings of all classes in ``text``, sorted by position and non-overlapping.

    ``salary``: whether the text may hold a salary cue word (the batch path computes it for a
    whole column at once with :func:`salary_cues`); None tests it here. Either test is a
    superset of the cue regexes, which decide.
    """
    if not text:
        return []
    has_digit = P.HAS_DIGIT.search(text) is not None
    if not has_digit and "@" not in text and P.OBFUSCATED_HINT.search(text) is None:
        return []
    # digits of other scripts ("１１０１…", "٠١٢") read as ASCII ones, one for one: the
    # candidates' shapes and the checks behind them are written for ASCII digits, and a
    # run of full-width digits was otherwise cut into pieces some of which passed
    scanned = text if not has_digit or text.isascii() else _ascii_digits(text)
    state = _Scan(scanned)
    state.run()
    if has_digit and (P.may_have_salary(text) if salary is None else salary):
        state.salaries()
    findings = state.findings
    findings.sort(key=_start)
    if scanned is not text:
        findings = [f._replace(value=text[f.start:f.end]) for f in findings]
    return findings


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of another script as its ASCII digit (the same
    length, so positions hold); ``text`` itself when it has none."""
    if _OTHER_DIGIT.search(text) is None:
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)


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
        emails = _emails(text)
        # every email is opaque from the start: a cue read after a number must not be a
        # word inside an address further on
        self.opaque = [(s, e, _OPAQUE) for s, e in emails]
        if "<" in text:  # placeholders of an earlier pass, likewise
            self.opaque = sorted(self.opaque + [
                (m.start(), m.end(), _SALARY_MARK if m.group() == "<SALARY>" else _OPAQUE)
                for m in _PLACEHOLDERS.finditer(text)
            ])
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
                self._email(*emails[next_email])
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
            self._email(*span)

    def _email(self, start: int, end: int) -> None:
        self.findings.append(Finding("email", start, end, self.text[start:end]))
        self.last_end = max(self.last_end, end)

    def _found(self, cls: str, start: int, end: int) -> int | None:
        if start < self.last_end:
            return None
        self.findings.append(Finding(cls, start, end, self.text[start:end]))
        bisect.insort(self.opaque, (start, end, _OPAQUE))
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
            self.last_end = end  # already opaque (see run)
            return end
        start = anchor
        if branch == "iban":
            start = anchor - 2
        elif branch == "id":
            shape = I.BY_NAME[sub]
            if shape.lead:
                m = shape.lead_re.search(text, max(0, anchor - 12), anchor)
                if m is None:
                    return None
                start = m.start()
        value = text[start:end]
        if P.DIGITS6.search(value) is None and not (
            (branch == "iban" and P.IBAN_ROW.match(value))
            or (branch == "id" and P.PAN_ROW.fullmatch(value))
        ):  # what the row gate relies on
            return None
        if branch == "phone_nat":
            if self._phone_nat_ok(value, start, end):
                return self._phone_found(start, end)
            return None
        if branch == "phone_intl":
            intl_end = self._phone_intl_end(value)
            if intl_end is None:
                return None
            if value.startswith("00") and self._named_barcode(value[:intl_end], start):
                return None  # "EAN 0014286541652": not 00 1 428 654 1652
            return self._phone_found(start, start + intl_end)
        if branch == "card":
            if not V.card_ok(value):
                return None
            if self._named_barcode(value, start):
                return None  # "EAN 4006381333931"
            if self._cue_near(P.ID_CUE, start, end, ID_CUE_WINDOW, ID_CUE_AFTER_WINDOW):
                # an identity number that passes Luhn as well (China's 18 digits, South
                # Africa's 13): named as one, the identifier wins
                id_end = self._accept_id_at(sub, anchor, end)
                if id_end is not None:
                    return id_end
                if len(V.digits(value)) == 13:
                    return None
            return self._found("card", start, end)
        if branch == "iban":
            iban_end = V.iban_end(text, start, end)
            if iban_end is None:
                # an IBAN-shaped string that fails its checks: nothing inside it is a value
                self.skip_to = start + V.iban_shape_len(text, start, end)
                return None
            return self._found("iban", start, iban_end)
        if branch == "id":
            cued: bool | None = None  # looked for once, when an identifier needs it
            checked_names = False
            for spec in I.BY_NAME[sub].specs:
                if not I.valid(spec.validator, value):
                    continue
                if not checked_names:
                    if self._named_otherwise(start):
                        return None  # "your order A1234567 shipped": an order number
                    checked_names = True
                if spec.cue_required:
                    if cued is None:
                        cued = self._cue_near(P.ID_CUE, start, end, ID_CUE_WINDOW,
                                              ID_CUE_AFTER_WINDOW)
                    if not cued:
                        continue
                return self._found("national_id", start, end)
            return None
        raise AssertionError(sub)  # pragma: no cover

    def _named_barcode(self, value: str, start: int) -> bool:
        """Is ``value`` a valid GTIN (EAN, UPC) right after a barcode or order word?"""
        return V.gtin_ok(V.digits(value)) and self._last_cue_before(
            P.NOT_PHONE_CUE, start, NOT_PHONE_WINDOW) is not None

    def _named_otherwise(self, start: int) -> bool:
        """Is the value right after an order, invoice or reference word, or a phone word
        (closer than any identity word)?"""
        no = self._last_cue_before(P.NOT_PHONE_CUE, start, NOT_PHONE_WINDOW)
        phone = self._last_cue_before(P.PHONE_CUE, start, PHONE_CUE_WINDOW, own=True)
        if phone is not None and (no is None or phone < no):
            no = phone  # "Festnetznummer lautet ...": a phone word, nearer than any other
        if no is None:
            return False
        yes = self._last_cue_before(P.ID_CUE, start, ID_CUE_WINDOW, own=True)
        return yes is None or no < yes

    def _accept_id_at(self, sub: str, anchor: int, end: int) -> int | None:
        """The first identifier alternative after ``sub`` that matches the whole of
        ``text[anchor:end]`` and validates (its end), or None."""
        for other, pattern in _LATER[sub]:
            if P.SUB_BRANCH[other] != "id":
                continue
            m = pattern.match(self.text, anchor)
            if m is not None and m.end() >= end:
                accepted = self._accept(other, anchor, m.end())
                if accepted is not None:
                    return accepted
        return None

    def _phone_found(self, start: int, end: int) -> int | None:
        """Record a phone number, with its extension ("x123", "ext. 12") if one follows."""
        m = P.EXTENSION.match(self.text, end)
        return self._found("phone", start, m.end() if m else end)

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
            if phones.intl_ok(number):
                return g.end()
        return None

    def _phone_nat_ok(self, value: str, start: int, end: int) -> bool:
        """A national-format candidate ("512 345 678", "06 12 34 56 78", "(030) 1234567").

        Never a date, an IP address or an amount. Next to a phone word (before or after,
        and closer than a word such as "order" or "invoice"), a number valid in any country
        is a phone number. Without one, it must be valid in a country of data/phones.toml
        and written as phone numbers are there: with its trunk prefix, grouped as that
        country groups them, or as one run of the country's only length where there is no
        trunk prefix ("38530395" in Denmark). A number grouped like a thousands figure
        ("23 456 789") needs nine digits or more and to be a mobile number, and one grouped
        with dots or no-break spaces ("206.324.431") is a count."""
        if P.DATE_LIKE.fullmatch(value) or P.DATE_INSIDE.search(value):
            return False
        if _IPV4.fullmatch(value):
            return False
        text = self.text
        if text[end : end + 1] in ("-", "_") and text[end + 1 : end + 2].isalpha():
            return False  # "02-499076-fix-ldflags.patch": part of a name, not a number
        if _CURRENCY_BEFORE.search(text, max(0, start - 4), start) or _CURRENCY_AFTER.match(
            text, end
        ):
            return False
        number = V.digits(value)
        yes = self._last_cue_before(P.PHONE_CUE, start, PHONE_CUE_WINDOW, own=True)
        no = self._last_cue_before(P.NOT_PHONE_CUE, start, NOT_PHONE_WINDOW)
        if no is not None and (yes is None or no < yes):
            return False
        if _YEARS.fullmatch(value):
            return False  # "2019 2020", "1990 2000"
        if value.startswith("(") and _PAREN_CC.match(value) and phones.intl_ok(number):
            return True  # "(351) 929815777": a country code in brackets
        after_only = False
        if yes is None and self._cue_after(P.PHONE_AFTER_CUE, end, PHONE_CUE_AFTER_WINDOW,
                                           introduces_next=True):
            yes, after_only = 0, True
        runs = _DIGIT_RUN.findall(value)
        groups = tuple(len(g) for g in runs)
        if (after_only and len(runs) == 2 and _YEAR_GROUP.fullmatch(runs[0])
                and len(runs[1]) <= 3):
            return False  # "1990 10 people, NI number: ...": a year and a count, no phone word
        if (after_only and len(groups) == 1 and len(number) <= 6
                and not self._cue_after(P.PHONE_NAMED_AFTER_CUE, end, PHONE_CUE_AFTER_WINDOW,
                                        introduces_next=True)):
            # "590459 Text is not pasted": a bug number heading a line; a six-digit number
            # is a phone number when a word before names it, or a noun after it does
            # ("256208 ist mein Diensthandy")
            return False
        if yes is not None:
            # six digits only as a run or in space-separated groups ("106/101" is no number)
            short_ok = len(number) >= 7 or not any(c in value for c in "/.-")
            return len(number) >= 6 and short_ok and phones.valid_anywhere(number, groups)
        if len(groups) == 1 and not number.startswith("0"):
            # a bare run of digits is a phone number only next to a phone word, or when it
            # is a mobile number of ten digits or more in a country whose mobiles are told
            # apart from its landlines ("3461514657" in Italy, "17072140088" in China)
            if V.gtin_ok(number) or _COMPACT_DATE.fullmatch(number):
                return False
            return ((len(number) >= 10 and phones.distinct_mobile(number))
                    or phones.full_length_run(number))
        if len(number) < 7:
            return False
        if len(number) == 7 and (len(runs) < 2 or any(_YEAR_GROUP.fullmatch(g) for g in runs)):
            return False  # "320 1990" is a count and a year; "522 3784" in Iceland is a number
        if not number.startswith("0") and (
            any(_YEAR_GROUP.fullmatch(g) for g in runs)
            or sum(len(g) <= 3 and g.endswith("0") for g in runs) >= 2
        ):
            return False  # "20 1990 1990", "201 10 100": counts and years in a row
        grouped = None if number.startswith("0") else _THOUSANDS.fullmatch(value)
        thousands = grouped is not None
        if grouped is not None and (len(number) < 9 or grouped.group(1) != " "):
            # "23 456 789" passengers; and "206.324.431" or "729\u00a0291\u00a0569" visitors:
            # number formatting puts dots and no-break spaces between thousands, people
            # writing a phone number do not
            return False
        if len(runs) >= 2 and all(g.endswith("00") for g in runs):
            return False  # "6000/8000", "2000 3000": round figures side by side
        if (len(runs) == 2 and all(g.endswith("0") for g in runs)
                and 100 <= int(runs[0]) < int(runs[1]) <= 2100 and "-" in value):
            return False  # "(ca. 450-1100)", "750-1050": a range of years
        if V.gtin_ok(number) and len(groups) == 1:
            return False  # a barcode
        return phones.written_like_phone(number, groups, mobile_only=thousands)

    def _cue_near(self, cue: P.Cues, start: int, end: int, before: int, after: int) -> bool:
        return self._last_cue_before(cue, start, before, own=True) is not None or self._cue_after(
            cue, end, after, introduces_next=True)

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
        if start > 0 and self.text[start - 1] == "%":
            return False  # "%1$d", "%2$s": a printf argument, not dollars
        strong, weak = P.SALARY_STRONG, P.SALARY_WEAK
        before = self._last_cue_before(strong, start, SALARY_STRONG_WINDOW, barrier=True)
        price = self._last_cue_before(P.NOT_SALARY, start, NOT_SALARY_WINDOW, barrier=True)
        if price is not None and (before is None or price < before):
            return False  # "the flat costs €1,200 a month": a price, named closer than any pay
        if before is not None:
            return True
        if self._cue_after(strong, end, SALARY_STRONG_WINDOW, barrier=True):
            return True
        if V.salary_value(value) < SALARY_WEAK_MIN:
            return False
        weak_after = self._first_cue_after(weak, end, SALARY_WEAK_WINDOW, barrier=True)
        price_after = self._first_cue_after(P.NOT_SALARY, end, NOT_SALARY_AFTER_WINDOW,
                                            barrier=True)
        if price_after is not None and (weak_after is None or price_after < weak_after):
            # "999 999 Ft bírságot kaptam": a fine, named right after it (and nearer than
            # "13.000 de lei brut, abonament medical": gross pay, then a benefit)
            return False
        return weak_after is not None or self._cue_before(weak, start, SALARY_WEAK_WINDOW,
                                                          barrier=True)

    # -- context ---------------------------------------------------------------------------
    def _cue_before(self, cue: P.Cues, pos: int, width: int, barrier: bool = False) -> bool:
        """Is there a ``cue`` at most ``width`` virtual characters before ``pos``, with no
        sentence boundary (and, with ``barrier``, no other salary amount) in between?"""
        return self._last_cue_before(cue, pos, width, barrier) is not None

    def _last_cue_before(
        self, cue: P.Cues, pos: int, width: int, barrier: bool = False, own: bool = False
    ) -> int | None:
        """How far before ``pos`` the closest such cue ends (None: there is none)."""
        ctx = self._left(pos, width + 40)
        last = cue.last_ending_after(ctx, max(0, len(ctx) - width))
        if last is None or P.BOUNDARY.search(ctx, last.end()) is not None:
            return None
        between = ctx[last.end() :]
        if barrier and _SALARY_MARK in between:
            return None
        if own and _OPAQUE in between:
            return None  # "tel +33 6 ..., 1990 100": the cue named the value before
        return len(ctx) - last.end()

    def _cue_after(self, cue: P.Cues, pos: int, width: int, barrier: bool = False,
                   introduces_next: bool = False) -> bool:
        """Is there a ``cue`` at most ``width`` virtual characters after ``pos``, in the
        same sentence? With ``introduces_next``, a cue followed by another number ("...
        tel +33 6 ...") names that number, not this one."""
        return self._first_cue_after(cue, pos, width, barrier, introduces_next) is not None

    def _first_cue_after(self, cue: P.Cues, pos: int, width: int, barrier: bool = False,
                         introduces_next: bool = False) -> int | None:
        """How far after ``pos`` (virtual characters) that cue starts; None: there is none."""
        ctx = self._right(pos, width + 24)
        m = cue.first(ctx)
        if m is None or m.start() >= width:
            return None
        if introduces_next and _NEXT_VALUE.match(ctx, m.end()):
            return None
        if barrier and _SALARY_MARK in ctx[: m.start()]:
            return None
        return None if P.BOUNDARY.search(ctx, 0, m.start() + 1) else m.start()

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
    """Email spans, plain and obfuscated ("jan [at] firma [dot] pl"), sorted and
    non-overlapping (a plain address inside an obfuscated span is part of it)."""
    plain = _plain_emails(text) if "@" in text else []
    if P.OBFUSCATED_HINT.search(text) is None:
        return plain
    spans = sorted(plain + [m.span() for m in P.OBFUSCATED_EMAIL.finditer(text)],
                   key=lambda sp: (sp[0], -sp[1]))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out


def _plain_emails(text: str) -> list[tuple[int, int]]:
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
