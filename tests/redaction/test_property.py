"""Property tests: random texts of ordinary words and numbers with valid values planted in
them; every planted value is found (exactly, with its class), nothing else is, and
redacting twice changes nothing."""

from __future__ import annotations

import itertools
import random
import string

import phonenumbers
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schwifty import IBAN
from stdnum import luhn
from stdnum.fr import nir
from stdnum.us import ssn

from consentgate.redaction import Redactor

R = Redactor()
_rnd = random.Random(20251103)


def _phones() -> list[str]:
    out = []
    national = {"FR", "DE", "GB", "US", "CA", "CH", "HK"}
    for region in ("FR", "DE", "GB", "US", "CA", "CH", "HK", "ES", "IT", "NL", "BR", "IN", "JP"):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            ex = phonenumbers.example_number_for_type(region, kind)
            if ex is None:
                continue
            made = 0
            while made < 3:
                nsn = str(ex.national_number)
                nsn = nsn[:-4] + "".join(_rnd.choice(string.digits) for _ in range(4))
                num = phonenumbers.PhoneNumber(
                    country_code=ex.country_code, national_number=int(nsn),
                    italian_leading_zero=ex.italian_leading_zero,
                )
                if not phonenumbers.is_valid_number(num):
                    continue
                made += 1
                fmts = [phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                        phonenumbers.PhoneNumberFormat.E164]
                if region in national:
                    fmts.append(phonenumbers.PhoneNumberFormat.NATIONAL)
                out += [phonenumbers.format_number(num, f) for f in fmts]
    return out


def _ibans() -> list[str]:
    out = []
    for cc in ("DE", "FR", "GB", "ES", "IT", "NL", "CH", "PL", "BE", "AT"):
        for _ in range(3):
            iban = IBAN.random(country_code=cc, random=_rnd)
            out += [str(iban), iban.formatted]
    return out


def _cards() -> list[str]:
    out = []
    for prefix, length in (("4", 16), ("51", 16), ("2221", 16), ("37", 15), ("6011", 16)):
        for _ in range(4):
            body = prefix + "".join(_rnd.choice(string.digits) for _ in range(length - len(prefix) - 1))
            number = body + luhn.calc_check_digit(body)
            if length == 15:
                out.append(f"{number[:4]} {number[4:10]} {number[10:]}")
            else:
                out.append(" ".join(number[i : i + 4] for i in range(0, 16, 4)))
                out.append("-".join(number[i : i + 4] for i in range(0, 16, 4)))
            out.append(number)
    return out


def _ids() -> list[tuple[str, str]]:
    out = []
    for _ in range(6):
        body = f"{_rnd.choice('12')}{_rnd.randint(0, 99):02d}{_rnd.randint(1, 12):02d}" \
               f"{_rnd.randint(1, 95):02d}{_rnd.randint(1, 990):03d}{_rnd.randint(1, 999):03d}"
        number = body + nir.calc_check_digits(body)
        out += [("NIR", nir.format(number)), ("NIR", number)]
        while True:
            value = f"{_rnd.randint(1, 899):03d}-{_rnd.randint(1, 99):02d}-{_rnd.randint(1, 9999):04d}"
            if ssn.is_valid(value):
                break
        out.append(("SSN", value))
        prefix = _rnd.choice(["AB", "JG", "CE", "NY", "WP"])
        digits = "".join(_rnd.choice(string.digits) for _ in range(6))
        out.append(("NI number", f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {_rnd.choice('ABCD')}"))
    return out


PHONES = _phones()
IBANS = _ibans()
CARDS = _cards()
IDS = _ids()
SALARIES = [
    ("Salary: ", "€65,000", " per year."),
    ("Gehalt: ", "72.000 EUR", " brutto im Jahr."),
    ("Salaire : ", "55 000 €", " brut annuel."),
    ("Expected salary: ", "$120k", " a year."),
    ("Wynagrodzenie: ", "12 000 zł", " brutto."),
    ("RAL desiderata: ", "38.000 €", " lordi."),
]
WORDS = [
    "the", "team", "shipped", "a", "new", "release", "today", "and", "we", "are", "hiring",
    "engineers", "in", "Lyon", "merci", "pour", "votre", "message", "nous", "avons", "gagné",
    "le", "prix", "vielen", "Dank", "für", "die", "Einladung", "gracias", "por", "todo",
    "grazie", "mille", "bedankt", "dziękuję", "obrigado", "data", "pipeline", "meeting",
]


UNITS = ["people", "Leute", "personnes", "km", "kg", "items", "days", "jours", "Tage", "posts"]


@st.composite
def filler(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 7))
    if kind == 0:
        return str(draw(st.integers(1990, 2030)))  # a year
    if kind == 1:
        # a count, with what it counts: three bare counts in a row ("450 101 101") are
        # written exactly like a Polish mobile number, and the redactor takes them as one
        return f"{draw(st.integers(0, 999))} {draw(st.sampled_from(UNITS))}"
    if kind == 2:
        return f"{draw(st.integers(0, 100))}%"
    if kind == 3:
        return f"{draw(st.integers(7, 20))}:{draw(st.sampled_from(['00', '15', '30', '45']))}"
    if kind == 4:
        y, m, d = draw(st.integers(2016, 2027)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
        return draw(st.sampled_from([f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}", f"{d}.{m}.{y}"]))
    if kind == 5:
        return f"v{draw(st.integers(0, 20))}.{draw(st.integers(0, 30))}.{draw(st.integers(0, 9))}"
    return draw(st.sampled_from(WORDS))


@st.composite
def planted(draw: st.DrawFn) -> tuple[str, str, str, str]:
    """(before, value, after, class)."""
    kind = draw(st.sampled_from(["email", "phone", "iban", "card", "national_id", "salary"]))
    if kind == "email":
        local = draw(st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=10))
        sep = draw(st.sampled_from([".", "_", "-", "+"]))
        local2 = draw(st.text(string.ascii_lowercase, min_size=1, max_size=8))
        domain = draw(st.sampled_from(["example.com", "mail.example.fr", "firma.de", "x.co.uk"]))
        return "mail ", f"{local}{sep}{local2}@{domain}", ", ", kind
    if kind == "phone":
        return "tel ", draw(st.sampled_from(PHONES)), ", ", kind
    if kind == "iban":
        return "IBAN ", draw(st.sampled_from(IBANS)), ", ", kind
    if kind == "card":
        return "card ", draw(st.sampled_from(CARDS)), ", ", kind
    if kind == "national_id":
        cue, value = draw(st.sampled_from(IDS))
        return f"{cue}: ", value, ", ", kind
    before, value, after = draw(st.sampled_from(SALARIES))
    return before, value, after + " ", kind


@st.composite
def texts(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for _ in range(draw(st.integers(1, 6))):
        for word in draw(st.lists(filler(), max_size=6)):
            parts.append(word + " ")
            pos += len(word) + 1
        if draw(st.booleans()):
            before, value, after, cls = draw(planted())
            start = pos + len(before)
            spans.append((start, start + len(value), cls))
            parts += [before, value, after]
            pos += len(before) + len(value) + len(after)
    return "".join(parts), spans


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts())
def test_planted_values_are_found_and_nothing_else(case: tuple[str, list]) -> None:
    text, spans = case
    found = [(f.start, f.end, f.cls) for f in R.find(text)]
    assert found == spans, (text, R.find(text))
    redacted = R.redact(text)
    assert R.redact(redacted) == redacted


@SETTINGS
@given(st.lists(texts(), max_size=8))
def test_batch_equals_one_at_a_time(cases: list[tuple[str, list]]) -> None:
    column = [t for t, _ in cases] + [None]
    assert R.redact_batch(pa.array(column)).to_pylist() == [
        None if t is None else R.redact(t) for t in column
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_any_text_round_trips(text: str) -> None:
    """Arbitrary Unicode: offsets are exact, findings do not overlap, redaction is stable,
    and the batch path agrees."""
    found = R.find(text)
    for f in found:
        assert text[f.start : f.end] == f.value
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    once = R.redact(text)
    assert R.redact(once) == once
    assert R.redact_batch(pa.array([text])).to_pylist() == [once]
