"""Per class: values in several formats and languages are found; near misses and ordinary
numbers are not."""

from __future__ import annotations

import pytest

from consentgate.redaction import Redactor

R = Redactor()


def found(text: str) -> list[tuple[str, str]]:
    return [(f.cls, f.value) for f in R.find(text)]


def assert_finds(text: str, cls: str, value: str) -> None:
    assert (cls, value) in found(text), (text, found(text))


def assert_nothing(text: str) -> None:
    assert found(text) == [], (text, found(text))


@pytest.mark.parametrize(
    "text, value",
    [
        ("Write to jane.doe@example.com today", "jane.doe@example.com"),
        ("Contact: j.o_h-n+tag@mail.sub.example.co.uk.", "j.o_h-n+tag@mail.sub.example.co.uk"),
        ("Écrivez à élodie.müller@exemple.fr !", "élodie.müller@exemple.fr"),
        ("login=anna.kowalska@firma.pl; passkey=abc", "anna.kowalska@firma.pl"),
        ("PayPal (mario.rossi99@example.it)", "mario.rossi99@example.it"),
    ],
)
def test_emails(text: str, value: str) -> None:
    assert_finds(text, "email", value)


@pytest.mark.parametrize("text", ["Follow @acme_corp and @jane", "a @ b", "user@localhost"])
def test_not_emails(text: str) -> None:
    assert_nothing(text)


@pytest.mark.parametrize(
    "text, value",
    [
        # international, with and without separators, 00 prefix, (0) trunk
        ("Call +33 6 12 34 56 78 please", "+33 6 12 34 56 78"),
        ("E.164: +33612345678", "+33612345678"),
        ("WhatsApp: 0033 6 12 34 56 78", "0033 6 12 34 56 78"),
        ("Büro +49 (0)30 1234567", "+49 (0)30 1234567"),
        ("Call +1 (415) 555-0132", "+1 (415) 555-0132"),
        ("Vienna +43 1 239026722, text anytime", "+43 1 239026722"),
        ("HK +852 2123 4567", "+852 2123 4567"),
        ("Mumbai +91 98765 43210", "+91 98765 43210"),
        # FR
        ("Appelez le 06 12 34 56 78", "06 12 34 56 78"),
        ("Standard 01.23.45.67.89", "01.23.45.67.89"),
        ("Portable : 0612345678", "0612345678"),
        # DE
        ("Festnetz 030 1234567", "030 1234567"),
        ("mobil 0151 23456789", "0151 23456789"),
        ("Fax 030/1234567", "030/1234567"),
        ("Tel. (030) 1234567", "(030) 1234567"),
        # GB
        ("London 020 7946 0958", "020 7946 0958"),
        ("mobile 07700 900123", "07700 900123"),
        ("Leeds 0113 496 0000", "0113 496 0000"),
        # US / CA
        ("Call (415) 555-0132", "(415) 555-0132"),
        ("Call 415-555-0132", "415-555-0132"),
        ("Call 415.555.0132", "415.555.0132"),
        ("Montréal 514-555-0147", "514-555-0147"),
        ("toll free 1-800-555-0100", "1-800-555-0100"),
        ("cell: 4155550132", "4155550132"),
        # CH
        ("Zürich 044 668 18 00", "044 668 18 00"),
        ("Natel 079 123 45 67", "079 123 45 67"),
        # HK, 8 digits: grouped, or compact next to a phone word
        ("Office 2123 4567", "2123 4567"),
        ("Mobile 9123 4567", "9123 4567"),
        ("Tel: 91234567", "91234567"),
    ],
)
def test_phones(text: str, value: str) -> None:
    assert_finds(text, "phone", value)


@pytest.mark.parametrize(
    "text",
    [
        "Invalid: 06 12 34 56",  # too short for FR
        "+33 1 23",  # too short
        "+999 123 456 789",  # no such country code
        "ref 00 00 00 00 00",
        "Order 51234567 shipped",  # 8 digits, no phone word
        "order 5123-4567 shipped",  # HK-shaped, but an order
        "Revenue 4155550132 USD cents",  # compact, no phone word
        "The 2019 2020 season",
        "Between 2019-2023",
        "Dates: 2025-11-03, 03/11/2025, 3.11.2025, 03.11.2025",
        "At 14:30 or 9h30",
        "Versions v2.3.1, 3.11.7, 10.4.2.1",
        "IP 192.168.10.10",
        "Call 123-456-7890",  # NANP shape, invalid area code
        "EAN 0014286541652 on the box",  # a GTIN named as one, not 00 1 428 654 1652
    ],
)
def test_not_phones(text: str) -> None:
    assert [c for c, _ in found(text) if c == "phone"] == [], found(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("IBAN FR76 3000 6000 0112 3456 7890 189 BIC BNPAFRPP", "FR76 3000 6000 0112 3456 7890 189"),
        ("IBAN: FR7630006000011234567890189.", "FR7630006000011234567890189"),
        ("Konto DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
        ("compact DE89370400440532013000, thanks", "DE89370400440532013000"),
        ("GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32"),
        ("Rekening NL91 ABNA 0417 1643 00", "NL91 ABNA 0417 1643 00"),
        ("Conto IT60 X054 2811 1010 0000 0123 456", "IT60 X054 2811 1010 0000 0123 456"),
        ("Cuenta ES91 2100 0418 4502 0005 1332", "ES91 2100 0418 4502 0005 1332"),
        ("CH93 0076 2011 6238 5295 7", "CH93 0076 2011 6238 5295 7"),
        ("Konto PL61 1090 1014 0000 0712 1981 2874", "PL61 1090 1014 0000 0712 1981 2874"),
    ],
)
def test_ibans(text: str, value: str) -> None:
    assert_finds(text, "iban", value)


@pytest.mark.parametrize(
    "text",
    [
        "IBAN FR76 3000 6000 0112 3456 7890 188",  # check digits wrong
        "IBAN FR7630006000011234567890188",
        "IBAN GB82 WEST 1234 5698 7654 33",
        "IBAN FR66 3083 3998 4628 0049 4129 483",  # no phone inside a broken IBAN either
        "XX12 3456 7890 1234 5678",  # no such country
    ],
)
def test_not_ibans(text: str) -> None:
    assert_nothing(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("Visa 4111 1111 1111 1111", "4111 1111 1111 1111"),
        ("Visa 4111-1111-1111-1111", "4111-1111-1111-1111"),
        ("Visa 4111111111111111", "4111111111111111"),
        ("MC 5555 5555 5555 4444", "5555 5555 5555 4444"),
        ("MC 2-series 2223 0031 2200 3222", "2223 0031 2200 3222"),
        ("Amex 3782 822463 10005", "3782 822463 10005"),
        ("Amex 378282246310005", "378282246310005"),
        ("Discover 6011 1111 1111 1117", "6011 1111 1111 1117"),
        ("Carte utilisée : 4012 8888 8888 1881 merci", "4012 8888 8888 1881"),
    ],
)
def test_cards(text: str, value: str) -> None:
    assert_finds(text, "card", value)


@pytest.mark.parametrize(
    "text",
    [
        "Card 4111 1111 1111 1112",  # Luhn fails
        "Card 1234 5678 9012 3452",  # Luhn passes, no issuer starts with 1
        "Amex 3782 822463 10006",
        "Tracking 9400 1000 0000 0000 0000 00",
    ],
)
def test_not_cards(text: str) -> None:
    assert [c for c, _ in found(text) if c == "card"] == [], found(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("NIR 2 95 10 99 126 111 93", "2 95 10 99 126 111 93"),
        ("sécu 195057800608486", "195057800608486"),
        ("Corse : 1 85 05 2A 006 084 35", "1 85 05 2A 006 084 35"),
        ("My SSN is 536-90-4399", "536-90-4399"),
        ("SSN 536 90 4399", "536 90 4399"),
        ("SSN: 536904399", "536904399"),
        ("NI number: AB 12 34 56 C", "AB 12 34 56 C"),
        ("NINO JG103759A", "JG103759A"),
        ("DNI: 12345678Z", "12345678Z"),
        ("Codice fiscale: RSSMRA85T10A562S", "RSSMRA85T10A562S"),
        ("CPF: 390.533.447-05", "390.533.447-05"),
        ("Steuer-IdNr. 36 574 261 809", "36 574 261 809"),
        ("Meine Steuer-ID lautet 36574261809", "36574261809"),
        ("Mijn BSN is 111222333", "111222333"),
        ("PESEL: 44051401359", "44051401359"),
        ("NIF 501964843", "501964843"),
    ],
)
def test_national_ids(text: str, value: str) -> None:
    assert_finds(text, "national_id", value)


@pytest.mark.parametrize(
    "text",
    [
        "NIR 2 95 10 99 126 111 94",  # key wrong
        "SSN 666-12-3456",  # area 666 never issued
        "SSN 078-05-1120",  # the Woolworth wallet number
        "NINO QQ 12 34 56 C",  # Q is never a first letter
        "NINO GB 12 34 56 A",  # GB is not allocated
        "NINO AB 12 34 56 E",  # suffix beyond D
        "DNI: 12345678A",  # wrong letter
        "Order 111222333 shipped",  # BSN-valid, but no id word near it
        "Invoice 44051401359",  # PESEL-valid, no id word
    ],
)
def test_not_national_ids(text: str) -> None:
    assert [c for c, _ in found(text) if c == "national_id"] == [], found(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("Salary: €65,000 per year.", "€65,000"),
        ("55 000 € brut annuel", "55 000 €"),
        ("55\u202f000\u00a0€ brut annuel", "55\u202f000\u00a0€"),
        ("85k USD salary", "85k USD"),
        ("Gehalt: 72.000 EUR", "72.000 EUR"),
        ("£48,500 a year", "£48,500"),
        ("salario de 40.000 €", "40.000 €"),
        ("stipendio 38.000 euro", "38.000 euro"),
        ("salaris € 52.000", "€ 52.000"),
        ("wynagrodzenie 12 000 zł", "12 000 zł"),
        ("Jahresgehalt CHF 120'000", "CHF 120'000"),
        ("They offered me $95k base, should I negotiate?", "$95k"),
        ("Obecnie zarabiam 120 tys. zł brutto rocznie", "120 tys. zł"),
        ("Remuneração atual: R$ 110.000 por ano", "R$ 110.000"),
        ("Expected compensation: $140,000-$160,000", "$140,000-$160,000"),
        ("Rémunération : 48 k€ brut", "48 k€"),
        ("I earn HK$480,000 a year", "HK$480,000"),
        ("€65k/year, remote", "€65k"),
    ],
)
def test_salaries(text: str, value: str) -> None:
    assert_finds(text, "salary", value)


@pytest.mark.parametrize(
    "text",
    [
        "The course costs €49.",
        "Tickets: 25 € per person, 1 200 participants",
        "Subscription €120 per year",  # a weak cue needs a salary-sized amount
        "Revenue grew to €4.2m and we have 12,000 followers",
        "Salary negotiable. The event costs €49.",  # sentence boundary
        "Salary talks today; the course was $1,299",  # ';' boundary
        "Salaire : 55 000 € brut annuel, tickets resto 9 € par jour",  # only the first
        "salary@example.com paid €3,000",  # the cue is inside an email
        "Our union dues went up to €1,450 a year",  # dues, though "went up to" is pay talk
        "The firm spent $2,400,000 on a new office and still no raise",
        "A hot desk at the coworking space is €1,900 a month",
        "Sähkölasku oli 1 250 € tässä kuussa",  # an electricity bill
    ],
)
def test_prices_are_not_salaries(text: str) -> None:
    salaries = [v for c, v in found(text) if c == "salary"]
    assert salaries in ([], ["55 000 €"]), found(text)


def test_salary_per_language() -> None:
    texts = {
        "en": "Base salary: $120,000 per year",
        "fr": "Salaire fixe : 52 000 € brut annuel",
        "de": "Aktuell verdiene ich 68.000 € brutto im Jahr",
        "es": "Salario fijo: 40.000 € brutos anuales",
        "it": "RAL: 38.000 € lordi annui",
        "nl": "Huidig jaarsalaris: € 55.000 bruto",
        "pl": "Wynagrodzenie: 15 000 zł brutto miesięcznie",
        "pt": "Pretensão salarial: R$ 9.500 por mês",
    }
    for lang, text in texts.items():
        assert [c for c, _ in found(text)] == ["salary"], (lang, found(text))


@pytest.mark.parametrize(
    ("text", "salary"),
    [
        # a price word right after the amount keeps it, unless a pay word stands nearer
        ("Oferim 9.500 lei brut, abonament la sală inclus", "9.500 lei"),
        ("We pay €48,000 gross, fee for the gym included", "€48,000"),
        ("Megkaptam: 450 000 Ft bírság, havonta fizetem", None),
        ("Paid €2,400 rent, per month since May", None),
    ],
)
def test_a_price_word_after_the_amount_against_a_nearer_pay_word(
        text: str, salary: str | None) -> None:
    salaries = [v for c, v in found(text) if c == "salary"]
    assert salaries == ([salary] if salary else []), found(text)
