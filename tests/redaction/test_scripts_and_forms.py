"""Writing systems and written forms: values touching Chinese, Japanese or Korean text,
spelled-out e-mail addresses, amounts in local forms, and counts that look like phone
numbers. Values come from the libraries (libphonenumber's examples, python-stdnum's
documented numbers, Faker, Babel's number formatting)."""

from __future__ import annotations

import phonenumbers
import pytest
from babel.numbers import format_decimal
from faker import Faker
from phonenumbers import PhoneNumberFormat as F
from phonenumbers import PhoneNumberType as T

from consentgate.redaction import Redactor

R = Redactor()


def classes_at(text: str, value: str) -> set[str]:
    start = text.index(value)
    return {f.cls for f in R.find(text) if f.start <= start and start + len(value) <= f.end}


def _mobile(region: str, fmt: int) -> str:
    ex = phonenumbers.example_number_for_type(region, T.MOBILE)
    assert ex is not None
    return phonenumbers.format_number(ex, fmt)


@pytest.mark.parametrize(("region", "template"), [
    ("CN", "下午五点以后打我手机{}比较方便。"),
    ("CN", "有事请找{}。"),
    ("HK", "我的辦公室電話是{}。"),
    ("JP", "携帯：{}（LINEも可）"),
    ("KR", "제 휴대폰 번호는 {}입니다."),
])
@pytest.mark.parametrize("fmt", [F.INTERNATIONAL, F.E164, F.NATIONAL])
def test_phone_numbers_touching_cjk_text(region: str, template: str, fmt: int) -> None:
    value = _mobile(region, fmt)
    text = template.format(value)
    assert "phone" in classes_at(text, value), (text, R.find(text))


def test_chinese_mobiles_are_written_without_the_trunk_prefix() -> None:
    # libphonenumber formats China's mobiles without the 0 its landlines take
    value = str(phonenumbers.example_number_for_type("CN", T.MOBILE).national_number)
    assert not value.startswith("0")
    text = f"堵在路上了，有事{value}。"
    assert "phone" in classes_at(text, value)


def test_an_email_next_to_cjk_text_stops_at_the_address() -> None:
    fake = Faker("zh_CN")
    fake.seed_instance(3)
    for _ in range(5):
        email = fake.free_email()
        text = f"打我电话或者发邮件到{email}都可以。"
        found = [f for f in R.find(text) if f.cls == "email"]
        assert [f.value for f in found] == [email], (text, found)


@pytest.mark.parametrize(("at", "dot"), [
    ("at", "dot"), ("arobase", "point"), ("arroba", "punto"), ("chiocciola", "punto"),
    ("ät", "punkt"), ("apenstaartje", "punt"), ("zavináč", "tečka"), ("snabel-a", "punkt"),
    ("małpa", "kropka"), ("παπάκι", "τελεία"), ("кльомба", "точка"), ("ät", "piste"),
    ("[at]", "[dot]"), ("(at)", "."),
])
def test_spelled_out_email_addresses(at: str, dot: str) -> None:
    fake = Faker()
    fake.seed_instance(9)
    user, domain = fake.free_email().split("@")
    name, _, tld = domain.rpartition(".")
    sep = "" if dot == "." else " "
    value = f"{user} {at} {name}{sep}{dot}{sep}{tld}"
    text = f"Write to {value} please."
    assert "email" in classes_at(text, value), (text, R.find(text))


@pytest.mark.parametrize(("text", "value"), [
    ("Je gagne actuellement 10,7 mille euros net par mois.", "10,7 mille euros"),
    ("Min nuværende løn er 95.600 kr. om måneden før skat.", "95.600 kr."),
    ("Jag började på 56 900:- i månaden.", "56 900:-"),
    ("Med 58,3 t.kr. om måneden kan man ikke leje noget.", "58,3 t.kr."),
    ("Od siječnja bit će 3,8 tisuća eura bruto.", "3,8 tisuća eura"),
    ("Můj současný plat je 56,6 tisíc Kč hrubého měsíčně.", "56,6 tisíc Kč"),
    ("我現在的月薪是18,900港元。", "18,900港元"),
    ("1월부터 연봉은 1,200만원이에요.", "1,200만원"),
    ("Maaşım ayda 159.800 lira.", "159.800 lira"),
    ("Als Werkstudentin hatte ich 2,7k €, jetzt deutlich mehr.", "2,7k €"),
])
def test_salary_forms(text: str, value: str) -> None:
    assert "salary" in classes_at(text, value), (text, R.find(text))


@pytest.mark.parametrize("text", [
    "Grazie mille, 30 euro vanno bene per il biglietto.",
    "월세는 ₩950,000이고 관리비 포함입니다.",
    "家賃は月￥98,000で、管理費込みです。",
])
def test_rents_and_thanks_are_not_pay(text: str) -> None:
    assert [f for f in R.find(text) if f.cls == "salary"] == [], R.find(text)


@pytest.mark.parametrize("locale", ["cs_CZ", "fr_FR", "de_DE", "fi_FI", "hu_HU", "pl_PL", "pt_PT"])
@pytest.mark.parametrize("count", [729_291_569, 206_324_431, 48_800_120])
def test_counts_formatted_by_babel_are_not_phone_numbers(locale: str, count: int) -> None:
    figure = format_decimal(count, locale=locale)
    text = f"{figure} visitors came to the fair."
    assert classes_at(text, figure) == set(), (text, R.find(text))


@pytest.mark.parametrize("region", ["DK", "NO", "LV", "CY", "MT"])
def test_eight_digit_numbers_of_countries_without_trunk_prefix(region: str) -> None:
    value = str(phonenumbers.example_number_for_type(region, T.MOBILE).national_number)
    assert len(value) == 8
    text = f"Stuck in traffic, {value} if anything comes up."
    assert "phone" in classes_at(text, value), (text, R.find(text))


def test_an_identity_number_that_passes_luhn_is_named_an_identity_number() -> None:
    value = "360426199101010071"  # python-stdnum's documented RIC
    for text in (f"{value}是我的身份证号码。", f"公民身份号码：{value}"):
        assert classes_at(text, value) == {"national_id"}, (text, R.find(text))
    # and a card number next to an identity word stays a card
    text = "My ID card and the card 4111 1111 1111 1111 I pay with"
    assert classes_at(text, "4111 1111 1111 1111") == {"card"}, R.find(text)


def test_indias_pan_needs_its_name() -> None:
    value = "AAPPV8261K"  # python-stdnum's documented PAN
    assert classes_at(f"My PAN is {value}.", value) == {"national_id"}
    assert classes_at(f"Order {value} shipped.", value) == set()


def test_a_luhn_number_named_as_an_id_that_no_identifier_accepts() -> None:
    # 13 Luhn-valid digits (a Maestro length) next to an identity word: two identifier
    # shapes match it whole and both checks fail; the scan goes on (it used to raise), and
    # a 13-digit number named as an identity number is no card (South Africa's rule)
    from stdnum import luhn

    value = "5012555917475"
    assert luhn.is_valid(value)
    text = f"My ID number: {value}. Call me on +33 6 12 34 56 78."
    assert classes_at(text, value) == set()
    assert [f.cls for f in R.find(text)] == ["phone"]


def _full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in s)


@pytest.mark.parametrize(("template", "value", "cls"), [
    ("公民身份号码：{}", "11010519491231002X", "national_id"),  # once cut into 10 + 8 digits
    ("カード番号 {} で支払いました", "4111 1111 1111 1111", "card"),
    ("电话 {}", "+86 138 0013 8000", "phone"),
    ("月給は{}の給料です", "300,000円", "salary"),
])
def test_full_width_digits_are_read_as_digits(template: str, value: str, cls: str) -> None:
    """Digits of another script are found as their ASCII twins are, whole, and the
    finding's value is the text as written."""
    wide = _full_width(value)
    text = template.format(wide)
    ascii_found = [(f.cls, f.value) for f in R.find(template.format(value))]
    assert (cls, value) in ascii_found  # the ASCII form is found: the comparison means something
    assert (cls, wide) in [(f.cls, f.value) for f in R.find(text)], R.find(text)
    assert wide not in R.redact(text)


def test_digits_of_other_scripts_keep_positions() -> None:
    text = "Tel. ٠٦١٢٣٤٥٦٧٨ oder " + _full_width("+33 6 12 34 56 78")
    for f in R.find(text):
        assert text[f.start:f.end] == f.value
