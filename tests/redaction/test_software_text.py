"""Numbers of software text are no personal data: year ranges, bug and release numbers, file
names, printf arguments, and words that only look like pay words (Loongson, balloon, the
English "Fix", a byte in Japanese). Shapes taken from the dev half of this machine's real
text (gettext catalogs and package documentation); each rule keeps its personal-data
counterpart."""

from __future__ import annotations

import pytest

from consentgate.redaction import Redactor

R = Redactor(("email", "phone", "iban", "card", "national_id", "salary"))


def classes(text: str) -> list[tuple[str, str]]:
    return [(f.cls, f.value) for f in R.find(text)]


@pytest.mark.parametrize("text", [
    "Fornenska (uþb. 450-1100)",
    "allemand, vieux haut (environ 750-1050)",
    "Google Bug 36391645",
    "Bug 478865 – Drastically reduce number of PangoFont objects created",
    "New upstream release 455.45.01.",
    "Add 02-499076-physical-walk.patch",
    "590459 Text is sometimes not pasted at the right location",
    "유닉스 타임스탬프 %2$lld에 대해 추가 나노초 %1$d 값이 음수입니다",
    "The MIPS port now supports the Loongson 2K1000 processor",
    "générer les instructions Loongson EXTensions R2 (EXT2)",
    "algunas bases de datos no han tenido VACUUM en más de 2 mil millones de transacciones",
    "1K バイトのブロックが使用されます",
    "-r  kasuta BSD sum algoritmi (vaikimisi), kasuta 1K blokke",
    "1990 10 people attended",
])
def test_left_alone(text: str) -> None:
    assert classes(text) == [], text


@pytest.mark.parametrize(("text", "want"), [
    ("256208 ist mein Diensthandy, bitte nur werktags.", ("phone", "256208")),
    ("Ring me on 555-1234 after six", ("phone", "555-1234")),
    ("Mijn brutoloon is € 3.200 per maand", ("salary", "€ 3.200")),
    ("Mana alga ir 1500 eiro mēnesī", ("salary", "1500 eiro")),
    ("アルバイトの時給は1200円です", ("salary", "1200円")),
    ("My salary is $2,500 a month", ("salary", "$2,500")),
])
def test_still_found(text: str, want: tuple[str, str]) -> None:
    assert want in classes(text), (text, classes(text))


@pytest.mark.parametrize(("text", "want"), [
    # a year and a count before an identity number's own "number": no phone (found by the
    # property test's random texts)
    ("1990 10 people NI number: AB 70 47 35 B, ", [("national_id", "AB 70 47 35 B")]),
    # a year inside a grouped number is still a phone number when a word after names it
    ("(930) 607-1935 is my work mobile", [("phone", "(930) 607-1935")]),
])
def test_years_and_phone_words_after(text: str, want: list) -> None:
    assert classes(text) == want


@pytest.mark.parametrize(("text", "want"), [
    # commission is pay; so is what a transfer or a counter-offer brings (the third blind
    # round of dev sentences was missing these; examples here are our own)
    ("Including commission I cleared €84,000 last year.", ("salary", "€84,000")),
    ("Mit Provisionen waren es im letzten Jahr insgesamt 61.000 €.", ("salary", "61.000 €")),
    ("Na centrála mi nabídli 58 000 Kč, když se přestěhuji.", ("salary", "58 000 Kč")),
    ("They came back with £47,500 and I signed.", ("salary", "£47,500")),
    # a retention offer, a pension from social security (the fourth round's gaps)
    ("My boss suddenly offered €71,000 to keep me after I resigned.", ("salary", "€71,000")),
    ("O chefe subiu para 5.900 € para eu ficar na equipa.", ("salary", "5.900 €")),
    ("Il direttore ha messo sul piatto 48.000 € per trattenermi.", ("salary", "48.000 €")),
    ("Desde que me jubilé, la Seguridad Social me ingresa 1.480 € al mes.",
     ("salary", "1.480 €")),
])
def test_pay_contexts(text: str, want: tuple[str, str]) -> None:
    assert want in classes(text), (text, classes(text))
