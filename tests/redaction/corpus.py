"""A hand-written labelled corpus: realistic multilingual texts with planted values and
decoys. Each entry: (text, planted [(class, value)], decoys [value]). Values are located by
``text.index(value)`` (each appears once in its text).

The phone numbers are valid for ``phonenumbers`` (or in Ofcom's drama range), IBANs pass
``schwifty``, cards pass Luhn, national ids their checksums.
"""

from __future__ import annotations

Entry = tuple[str, list[tuple[str, str]], list[str]]

CORPUS: list[Entry] = [
    # --- English ------------------------------------------------------------------------
    (
        "Thrilled to join Acme as Staff Engineer! Reach me at jane.doe+jobs@example.co.uk "
        "or +44 20 7946 0958. Our team grew from 12 to 40 people in 2024.",
        [("email", "jane.doe+jobs@example.co.uk"), ("phone", "+44 20 7946 0958")],
        ["2024"],
    ),
    (
        "London office: 020 7946 0958, mobile 07700 900123. Meeting on 2025-11-03 at 14:30.",
        [("phone", "020 7946 0958"), ("phone", "07700 900123")],
        ["2025-11-03", "14:30"],
    ),
    (
        "Call me at (415) 555-0132 or 415.555.0132 after 5pm; the webinar has 1,200 seats.",
        [("phone", "(415) 555-0132"), ("phone", "415.555.0132")],
        ["1,200"],
    ),
    (
        "Toronto desk: 416-555-0199, toll free 1-800-555-0100. Ticket #48213.",
        [("phone", "416-555-0199"), ("phone", "1-800-555-0100")],
        ["#48213"],
    ),
    (
        "Salary: €65,000 per year. The conference ticket costs €49 and we had 12,000 followers.",
        [("salary", "€65,000")],
        ["€49", "12,000"],
    ),
    (
        "Offer accepted: 85k USD salary plus equity; the course was $1,299 last year.",
        [("salary", "85k USD")],
        ["$1,299"],
    ),
    ("I'm currently on £48,500 a year and the train pass is £120 a month.",
     [("salary", "£48,500")], ["£120"]),
    (
        "Expected compensation: $140,000-$160,000 base. Python 3.11.7, release v2.3.1.",
        [("salary", "$140,000-$160,000")],
        ["3.11.7", "v2.3.1"],
    ),
    (
        "Please refund to my card 4111 1111 1111 1111 (not 4111 1111 1111 1112), thanks.",
        [("card", "4111 1111 1111 1111")],
        ["4111 1111 1111 1112"],
    ),
    (
        "Amex 3782-822463-10005 charged twice; order ORD-2024-004512 still pending.",
        [("card", "3782-822463-10005")],
        ["ORD-2024-004512"],
    ),
    ("Mastercard 5555555555554444 on file, invoice INV-2023-118877.",
     [("card", "5555555555554444")], ["INV-2023-118877"]),
    (
        "My SSN is 536-90-4399 for the background check, started 03/11/2025.",
        [("national_id", "536-90-4399")],
        ["03/11/2025"],
    ),
    (
        "My National Insurance number is JG 10 37 59 A for payroll (up 45% since 2019).",
        [("national_id", "JG 10 37 59 A")],
        ["45%", "2019"],
    ),
    ("NI number: AB123456D, employee since 2016-2019.", [("national_id", "AB123456D")],
     ["2016-2019"]),
    (
        "Bank details for the invoice: IBAN GB82 WEST 1234 5698 7654 32, sort code 12-34-56.",
        [("iban", "GB82 WEST 1234 5698 7654 32")],
        [],
    ),
    ("SEPA direct debit, IBAN DE89370400440532013000. Patent EP 2 123 456 B1.",
     [("iban", "DE89370400440532013000")], ["EP 2 123 456 B1"]),
    (
        "Wrong IBAN DE89 3704 0044 0532 0130 01 bounced; version 10.4.2 fixed it.",
        [],
        ["DE89 3704 0044 0532 0130 01", "10.4.2"],
    ),
    (
        "HK office 2123 4567, WhatsApp +852 9123 4567. The 2019 2020 season had 8 teams.",
        [("phone", "2123 4567"), ("phone", "+852 9123 4567")],
        ["2019 2020"],
    ),
    ("Tel: 91234567 (Hong Kong); order 51234567 shipped.", [("phone", "91234567")],
     ["51234567"]),
    # --- French ------------------------------------------------------------------------
    (
        "Écrivez-moi à jeanne.martin@exemple.fr ou au 06 12 34 56 78, entretien le 3/11/2025.",
        [("email", "jeanne.martin@exemple.fr"), ("phone", "06 12 34 56 78")],
        ["3/11/2025"],
    ),
    ("Standard : 01.23.45.67.89 ; 1 200 participants attendus à 9h30.",
     [("phone", "01.23.45.67.89")], ["1 200"]),
    ("Salaire : 55 000 € brut annuel, tickets resto 9 € par jour.", [("salary", "55 000 €")],
     ["9 €"]),
    ("Prétentions salariales : 48 k€ brut annuel.", [("salary", "48 k€")], []),
    (
        "Mon numéro de sécurité sociale : 2 95 10 99 126 111 93 pour le dossier RH.",
        [("national_id", "2 95 10 99 126 111 93")],
        [],
    ),
    ("N° de sécu 195057800608486, à transmettre aux RH.", [("national_id", "195057800608486")],
     []),
    (
        "Mon RIB pour la facture : IBAN FR76 3000 6000 0112 3456 7890 189 BIC BNPAFRPP.",
        [("iban", "FR76 3000 6000 0112 3456 7890 189")],
        [],
    ),
    ("Le forfait coûte 49,99 € par mois, soit 599,88 € par an.", [], ["49,99 €", "599,88 €"]),
    # --- German ------------------------------------------------------------------------
    (
        "Ruft mich gern unter 030 1234567 an oder mobil 0151 23456789, Start am 1.12.2025.",
        [("phone", "030 1234567"), ("phone", "0151 23456789")],
        ["1.12.2025"],
    ),
    ("Büro: 030/1234567, international +49 (0)30 1234567.",
     [("phone", "030/1234567"), ("phone", "+49 (0)30 1234567")], []),
    ("Gehalt: 72.000 EUR brutto im Jahr, Bonus 10 %.", [("salary", "72.000 EUR")], ["10 %"]),
    ("Aktuelles Jahresgehalt: 68.500 € (Senior Engineer, Berlin)", [("salary", "68.500 €")],
     []),
    ("Meine Steuer-ID lautet 36574261809 für die Gehaltsabrechnung.",
     [("national_id", "36574261809")], []),
    ("Das Ticket kostet 25 € und die Halle fasst 3.500 Leute.", [], ["25 €", "3.500"]),
    # --- Swiss -------------------------------------------------------------------------
    ("Zürich 044 668 18 00, Natel 079 123 45 67, Lohn CHF 120'000 pro Jahr.",
     [("phone", "044 668 18 00"), ("phone", "079 123 45 67"), ("salary", "CHF 120'000")], []),
    # --- Spanish / Italian / Dutch / Polish / Portuguese --------------------------------
    ("Busco trabajo con un salario de 40.000 € brutos al año. Mi DNI es 12345678Z.",
     [("salary", "40.000 €"), ("national_id", "12345678Z")], []),
    ("Mi móvil: +34 612 34 56 78. El curso cuesta 300 €.", [("phone", "+34 612 34 56 78")],
     ["300 €"]),
    ("RAL desiderata: stipendio 38.000 euro lordi. Codice fiscale: RSSMRA85T10A562S",
     [("salary", "38.000 euro"), ("national_id", "RSSMRA85T10A562S")], []),
    ("Chiamami al +39 347 123 4567 se preferisci, evento il 12/05/2026.",
     [("phone", "+39 347 123 4567")], ["12/05/2026"]),
    ("Salariswens: salaris € 52.000 bruto per jaar. Mijn BSN is 111222333 voor de administratie.",
     [("salary", "€ 52.000"), ("national_id", "111222333")], []),
    ("Wynagrodzenie 12 000 zł brutto miesięcznie. Mój PESEL to 44051401359 do umowy.",
     [("salary", "12 000 zł"), ("national_id", "44051401359")], []),
    ("Meu CPF é 390.533.447-05 para o cadastro. Pretensão salarial: R$ 9.500 por mês.",
     [("national_id", "390.533.447-05"), ("salary", "R$ 9.500")], []),
    # --- ordinary numbers only -----------------------------------------------------------
    (
        "Release 2025.11 shipped: 3 bugs fixed, 1 200 tests, 99.9% uptime, build 20251103, "
        "IP 192.168.10.10, room 4B, 14h30 - 16h00, flight LH 1234.",
        [],
        ["2025.11", "1 200", "99.9%", "20251103", "192.168.10.10", "LH 1234"],
    ),
    ("Order 51234567 and ticket 5123-4567 are closed; case 415-555-01.", [],
     ["51234567", "5123-4567"]),
    ("Between 2019-2023 I led 12 people; revenue grew 35 % to €4.2m.", [],
     ["2019-2023", "35 %", "€4.2m"]),
]
