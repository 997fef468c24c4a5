"""Polski."""

from __future__ import annotations

WORDS: dict[str, list[str]] = {
    "first": [
        "Jakub",
        "Zuzanna",
        "Antoni",
        "Julia",
        "Jan",
        "Maja",
        "Szymon",
        "Zofia",
        "Filip",
        "Hanna",
        "Kacper",
        "Lena",
        "Michał",
        "Agnieszka",
        "Piotr",
        "Katarzyna",
        "Tomasz",
        "Magdalena",
    ],
    "last": [
        "Nowak",
        "Kowalski",
        "Wiśniewska",
        "Wójcik",
        "Kowalczyk",
        "Kamińska",
        "Lewandowski",
        "Zielińska",
        "Szymański",
        "Woźniak",
        "Dąbrowski",
        "Kozłowska",
        "Jankowski",
        "Mazur",
        "Krawczyk",
        "Piotrowska",
    ],
    "title": [
        "Programista",
        "Data scientist",
        "Product manager",
        "Kierownik marketingu",
        "Dyrektor sprzedaży",
        "Specjalistka ds. rekrutacji",
        "Analityk finansowy",
        "Projektantka UX",
        "Inżynier DevOps",
        "Konsultant SAP",
        "Kierownik projektu",
        "Specjalista HR",
        "Full-stack developer",
        "Dyrektor operacyjny",
        "Pielęgniarka",
        "Radca prawny",
    ],
    "company": [
        "Allegro",
        "PKO Bank Polski",
        "Orlen",
        "CD PROJEKT",
        "LPP",
        "Comarch",
        "Asseco",
        "InPost",
        "mBank",
        "Żabka",
        "DocPlanner",
        "Booksy",
    ],
    "uni": [
        "Uniwersytet Warszawski",
        "Politechnika Warszawska",
        "Uniwersytet Jagielloński",
        "AGH w Krakowie",
        "SGH Warszawa",
        "Politechnika Wrocławska",
        "Uniwersytet im. Adama Mickiewicza",
    ],
    "hs": [
        "XIV Liceum Ogólnokształcące im. Stanisława Staszica",
        "V LO im. Augusta Witkowskiego",
        "Technikum Łączności nr 14",
        "III LO im. Marynarki Wojennej",
        "Liceum Ogólnokształcące nr 2",
    ],
    "degree": [
        "Magister informatyki",
        "Licencjat z ekonomii",
        "MBA",
        "Inżynier mechaniki",
        "Magister zarządzania",
        "Magister prawa",
    ],
    "skill": [
        "Zarządzanie projektami",
        "Przywództwo",
        "Negocjacje",
        "Analiza danych",
        "Marketing internetowy",
        "Obsługa klienta",
        "Metodyki zwinne",
        "Wystąpienia publiczne",
        "Rekrutacja",
    ],
    "topic": [
        "generatywna AI",
        "praca zdalna",
        "zarządzanie danymi",
        "employer branding",
        "cyberbezpieczeństwo",
        "zrównoważony rozwój",
        "transformacja cyfrowa",
        "doświadczenie klienta",
        "rekrutacja",
        "onboarding",
    ],
    "hashtag": [
        "praca",
        "AI",
        "przywództwo",
        "innowacje",
        "kariera",
        "marketing",
        "dane",
        "startup",
        "HR",
    ],
    "achievement": [
        "Kierowałem migracją platformy danych do chmury.",
        "Zbudowałam od zera zespół ośmiu programistów.",
        "Wprowadziliśmy pierwszą aplikację mobilną firmy.",
        "Przeprojektowałem proces wdrażania nowych pracowników.",
    ],
    "hobby": ["na rowerze nad Wisłą", "przy szachownicy", "w Tatrach", "w kuchni"],
    "event": [
        "konferencji",
        "meetupie",
        "hackathonie",
        "warsztatach",
        "webinarze",
        "panelu dyskusyjnym",
    ],
    "poll_option": [
        "W pełni zdalnie",
        "Hybrydowo",
        "Powrót do biura",
        "4-dniowy tydzień pracy",
        "Elastyczne godziny",
    ],
    "comment_short": [
        "Gratulacje!",
        "Zasłużenie!",
        "Dzięki za podzielenie się.",
        "Zgadzam się w pełni.",
        "Świetna wiadomość!",
    ],
    "notice": ["miesiąc", "trzy miesiące", "dwa tygodnie", "od zaraz"],
    "motivation": [
        "cenię Wasze produkty i chcę przyczynić się do ich rozwoju.",
        "stanowisko pasuje do mojego doświadczenia, a misja firmy jest mi bliska.",
        "szukam zespołu, w którym będę się rozwijać i brać odpowiedzialność.",
    ],
    "app_status": [
        "Aplikacja wysłana",
        "Wyświetlona przez rekrutera",
        "W trakcie oceny",
        "Odrzucona",
        "Rozmowa zaplanowana",
    ],
    "vol_role": ["Mentor", "Wolontariuszka", "Trener", "Członek zarządu"],
    "ngo": [
        "Polski Czerwony Krzyż",
        "Wielka Orkiestra Świątecznej Pomocy",
        "Banki Żywności",
        "Fundacja Perspektywy",
    ],
    "pub_prefix": ["Wnioski z", "Praktyczny przewodnik:", "Na nowo:", "Jak mierzyć"],
    "patent_title": [
        "Sposób planowania rozproszonego przetwarzania danych",
        "System wykrywania nieuczciwych transakcji",
    ],
    "reco_quality": [
        "to osoba, jakiej potrzebuje każdy zespół",
        "łączy analityczne myślenie z empatią",
        "zawsze dotrzymywał terminów, nawet pod presją",
    ],
    "group_reply": [
        "U mnie tak samo.",
        "Dzięki za organizację!",
        "Wchodzę w to.",
        "Świetna inicjatywa.",
    ],
    "feedback_issue": [
        "Asystent pisania AI zaproponował zbyt ogólny nagłówek.",
        "Powiadomienia o ofertach pokazują zamknięte rekrutacje.",
        "Aplikacja się zawiesza, gdy otwieram powiadomienia.",
        "Proszę dodać tryb ciemny w wiadomościach.",
    ],
    "month": [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ],
    "gname_tech": ["Data Engineering Polska", "Python Warszawa", "Architekci chmury PL"],
    "gname_career": ["Zmiana branży", "Kobiety w przywództwie", "Szukam pracy – wsparcie"],
    "gname_marketing": ["Growth Marketing Polska", "Marketing B2B PL"],
    "gname_alumni": ["Absolwenci SGH", "Absolwenci AGH", "Byli pracownicy Allegro"],
    "gname_union": [
        "NSZZ Solidarność – IT",
        "OPZZ Ochrona Zdrowia",
        "Związek Nauczycielstwa Polskiego – członkowie",
    ],
    "gname_health": ["Cukrzyca typu 1 – wsparcie", "Rak a praca", "Zdrowie psychiczne w pracy"],
    "gname_religion": ["Katolicy w biznesie", "Muzułmańscy profesjonaliści w Polsce"],
    "gname_politics": [
        "Młodzi dla Lewicy",
        "Konfederacja – przedsiębiorcy",
        "Koalicja Obywatelska – sympatycy",
    ],
    "gname_lgbtq": ["LGBT+ w IT", "Równość w pracy", "Kampania Przeciw Homofobii – wolontariusze"],
    "gline_tech": [
        "Ktoś przeniósł zadania batch na streaming? Chętnie poznam doświadczenia.",
        "Wrzucam slajdy z wczorajszej prezentacji o observability.",
    ],
    "gline_career": [
        "Pierwsza oferta po ośmiu miesiącach szukania, nie poddawajcie się!",
        "Jak negocjujecie, gdy rekruter pyta o obecne wynagrodzenie?",
    ],
    "gline_marketing": [
        "Czy Wam też spadły wskaźniki otwarć po ostatniej aktualizacji?",
        "Case study: jak podwoiliśmy liczbę leadów bez reklam.",
    ],
    "gline_alumni": [
        "Spotkanie absolwentów w przyszłym miesiącu, kto będzie?",
        "Ma ktoś jeszcze zdjęcia z rozdania dyplomów?",
    ],
    "gline_union": [
        "Przypomnienie: zebranie w sprawie układu zbiorowego w czwartek.",
        "Zarząd odmawia rozmów o podwyżkach, musimy się spotkać.",
    ],
    "gline_health": [
        "Pompa insulinowa przestała działać podczas spotkania z klientem, jak sobie radzicie w pracy?",
        "W przyszłym tygodniu zaczynam chemię i nie wiem, co powiedzieć szefowej.",
    ],
    "gline_religion": [
        "Szukam cichego miejsca do modlitwy w pobliżu biura.",
        "Nasza grupa biblijna spotyka się w środy wieczorem.",
    ],
    "gline_politics": [
        "W weekend zbieramy podpisy przed wyborami, wolontariusze mile widziani.",
        "Kto idzie na wiec w sobotę?",
    ],
    "gline_lgbtq": [
        "W tym tygodniu powiedziałem zespołowi, że jestem gejem, i poszło lepiej, niż się bałem.",
        "Planujemy udział w Paradzie Równości, pomysły?",
    ],
}

TEMPLATES: dict[str, list[list[str]]] = {
    "profile_headline": [
        [
            "{title} w {company}",
            "{title} | {skill} i {skill_2} | {city}",
            "{title} @ {company} · ex-{company_any}",
            "{title} | Otwarty na nowe wyzwania",
        ]
    ],
    "profile_summary": [
        [
            "{title} | {city}. Mam {d_years} lat doświadczenia w obszarze: {topic}.",
            "{title} z doświadczeniem w {skill} i {skill_2}.",
            "Pasjonuje mnie {topic}, obecnie pracuję jako {title} w {company}.",
        ],
        [
            "Lubię zamieniać złożone problemy w proste produkty.",
            "Wcześniej w {company_any}, gdzie kierowałem zespołem {d_num} osób.",
            "Po pracy znajdziesz mnie {hobby}.",
            "",
        ],
    ],
    "profile_experience": [
        [
            "{title} — {company}, {city} ({d_year} – obecnie).",
            "{title_any} w {company_any} ({d_year} – {d_year_2}).",
            "{title} · {company} · Pełny etat",
        ],
        ["{achievement}", ""],
    ],
    "profile_education": [["{degree}, {uni} ({d_year} – {d_year_2})", "{uni} — {degree}"]],
    "profile_skills": [
        ["{skill} · {skill_2} · {skill_3} · {skill_4}", "{skill}, {skill_2}, {skill_3}"]
    ],
    "profile_location": [["{city}, {country_name}", "{city} i okolice"]],
    "profile_certification": [["{cert}, wydany w {d_year}", "{cert}"]],
    "profile_volunteering": [["{vol_role} – {ngo} od {d_year}.", "{vol_role} — {ngo}"]],
    "profile_publication": [
        [
            "„{pub_prefix} {topic}”, {journal}, {d_year}.",
            "{pub_prefix} {topic} — opublikowano w {journal}",
        ]
    ],
    "profile_patent": [
        ["{patent_title} — patent {d_patent}, udzielony w {d_year}.", "{patent_title} ({d_patent})"]
    ],
    "profile_endorsement": [
        [
            "{other} potwierdził umiejętność {skill} u {first}.",
            "Umiejętność {skill} potwierdzona przez: {other}, {title_any} w {company_any}",
        ]
    ],
    "profile_recommendation": [
        [
            "Miałem przyjemność pracować z {first} w {company}. {first} {reco_quality}.",
            "{first} był w moim zespole przez {d_years} lat i {reco_quality}. Polecam bez wahania.",
        ]
    ],
    "post": [
        [
            "Z radością ogłaszam premierę {product} w {company}! 🚀",
            "Po {d_num} miesiącach pracy nasz zespół dostarczył {product}.",
            "Wielka wiadomość: zaczynam pracę jako {title_any} w {company_any}!",
            "Kilka przemyśleń o temacie: {topic}, po tygodniowej {event}.",
            "Rekrutujemy! Szukamy osoby na stanowisko {title_any} w mieście {city_any}.",
        ],
        [
            "Ogromne podziękowania dla wszystkich, którzy to umożliwili.",
            "Czego się nauczyłem: zaczynać od małych kroków, wszystko mierzyć i słuchać użytkowników.",
            "Jeśli zajmujesz się tematem {topic}, chętnie porozmawiam.",
            "",
        ],
        ["#{hashtag} #{hashtag_2}", "#{hashtag}", ""],
    ],
    "article": [
        [
            "Czego nauczyło mnie {d_num} lat pracy: {topic}",
            "{pub_prefix} {topic}",
            "Dlaczego {topic} jest dziś ważniejsza niż kiedykolwiek",
        ],
        [
            "Kiedy zaczynałem jako {title}, nikt nie mówił o tym temacie. Dziś jest w agendzie każdego zarządu.",
            "Większość zespołów nie docenia tego obszaru. Oto co zmieniliśmy w {company}.",
        ],
        [
            "Pierwsza lekcja: dokumentować i dzielić się wcześnie.",
            "Zmierzyliśmy wszystko, a liczby nas zaskoczyły.",
            "Najtrudniejsza była kultura, nie technologia.",
        ],
        [
            "Podzielcie się doświadczeniami w komentarzach.",
            "Dziękuję {other} za recenzję szkicu.",
            "",
        ],
    ],
    "comment": [
        [
            "Gratulacje {other_first}, zasłużenie!",
            "Trafna uwaga w temacie: {topic}.",
            "Dzięki, że się dzielisz, {other_first} 👏",
            "Ciekawe! Jak rozwiązaliście to w {company_any}?",
            "{comment_short}",
        ]
    ],
    "poll_response": [
        ["Mój głos: {poll_option}", "{poll_option}", "{poll_option} — {comment_short}"]
    ],
    "group_post": [
        ["Cześć wszystkim w grupie {group_name}!", "Pytanie do grupy:", ""],
        ["{group_line}"],
    ],
    "group_comment": [["{group_reply}", "{group_line}", "{comment_short} {group_reply}"]],
    "group_message": [
        [
            "Cześć wszystkim, {group_line}",
            "Krótka wiadomość do grupy {group_name}: {group_line}",
            "{group_reply}",
        ]
    ],
    "ai_prompt": [
        [
            "Przepisz mój nagłówek, żeby brzmiał bardziej senioralnie: „{title} w {company}”",
            "Napisz post, że dołączam do {company_any} jako {title_any}.",
            "Streść tę ofertę na stanowisko {title_any} w mieście {city_any} w trzech punktach.",
            "Napisz wiadomość do {other_first} z prośbą o rekomendację.",
            "Pomóż mi przygotować się do rozmowy w {company_any} na temat: {topic}.",
            "Popraw moją sekcję Informacje. Jestem {title}, pasjonuje mnie {topic}.",
        ]
    ],
    "ai_output": [
        [
            "Oto bardziej senioralny nagłówek: „{title} | Rozwijam obszar {topic} w {company}”",
            "Jasne! „Z radością informuję, że dołączam do {company_any} jako {title_any}. Dziękuję wszystkim za wsparcie.”",
            "• Odpowiedzialność za roadmapę: {topic}\n• Współpraca z inżynierią i designem\n• Raportowanie do dyrekcji w mieście {city_any}",
            "Cześć {other_first}, mam nadzieję, że u Ciebie wszystko dobrze! Czy napisał(a)byś mi krótką rekomendację?",
            "Prawdopodobne pytania: jak podszedłeś do tematu {topic}? Opowiedz o sporze z interesariuszem.",
            "{title}, pasjonat tematu: {topic}. Pomagam zespołom zamieniać pomysły w produkty.",
        ]
    ],
    "resume": [
        ["{name} — {title}"],
        ["{city} · {skill}, {skill_2}, {skill_3}"],
        [
            "Doświadczenie: {title} w {company} od {d_year}; wcześniej {title_any} w {company_any}.",
            "Doświadczenie: {title_any} w {company_any} ({d_year} – {d_year_2}). {achievement}",
        ],
        ["Wykształcenie: {degree}, {uni}.", "Certyfikaty: {cert}."],
    ],
    "screening_answer": [
        [
            "P: Ile lat doświadczenia masz z {tech_skill}? O: {d_years}",
            "P: Czy masz prawo do pracy w kraju: {country_name}? O: Tak",
            "P: Jaki masz okres wypowiedzenia? O: {notice}",
            "P: Dlaczego chcesz dołączyć do {company_any}? O: Ponieważ {motivation}",
            "P: Jakie są Twoje oczekiwania finansowe? O: {p_salary} brutto rocznie",
        ]
    ],
    "job_application": [
        [
            "Aplikacja na stanowisko {title_any} w {company_any} ({city_any}) z CV i listem motywacyjnym.",
            "Aplikacja: {title_any}, {company_any}. Status: {app_status}.",
            "Szybka aplikacja: {title_any}, {company_any}. Oczekiwania: {p_salary} brutto rocznie",
        ]
    ],
    "salary": [
        [
            "Wynagrodzenie: {p_salary} brutto rocznie, premia {d_pct}",
            "Obecne wynagrodzenie: {p_salary} brutto na rok ({title}, {city})",
            "Oczekiwania finansowe: {p_salary} rocznie",
        ]
    ],
    "private_message": [
        [
            "Cześć {other_first}, masz czas na kawę w przyszłym tygodniu?",
            "Dzięki za przedstawienie mnie {other}!",
            "Widziałeś ofertę w {company_any}? Pomyślałem o Tobie.",
            "Gratulacje nowej pracy! Zdzwonimy się wkrótce?",
        ]
    ],
    "inmail": [
        [
            "Dzień dobry {first}, jestem rekruterką w {company_any}. Szukamy osoby na stanowisko {title_any} w mieście {city_any}, a Pani/Pana doświadczenie w obszarze {skill} zwróciło moją uwagę. Czy znajdzie Pani/Pan czas na krótką rozmowę?",
            "Cześć {first}, Twój profil pasuje do roli {title_any} u naszego klienta. Czy byłbyś zainteresowany?",
        ]
    ],
    "search_query": [
        [
            "{title_any} {city_any}",
            "praca {tech_skill} zdalnie",
            "{company_any}",
            "{other}",
            "kurs {topic}",
        ]
    ],
    "feedback": [
        [
            "{feedback_issue}",
            "👍 Przydatna sugestia",
            "👎 Nietrafione",
            "Zgłoszenie błędu: {feedback_issue}",
        ]
    ],
    "payment_method": [
        [
            "{card_brand} z końcówką {last4}, ważna do {exp}",
            "Karta {card_brand} {p_card}, miasto rozliczenia {city}",
            "Polecenie zapłaty SEPA, IBAN {p_iban}",
            "PayPal ({p_email})",
        ]
    ],
}

SEPARATORS: dict[str, str] = {"article": "\n\n", "resume": "\n"}

PII: dict[str, list[str]] = {
    "email": [
        "Napisz do mnie na {p_email} jeśli jesteś zainteresowany",
        "Kontakt: {p_email}",
        "CV proszę wysyłać na {p_email} do końca miesiąca",
    ],
    "phone": ["Zadzwoń pod {p_phone} jeśli wolisz", "Mój numer: {p_phone}", "WhatsApp: {p_phone}"],
    "iban": ["Proszę o zwrot na moje konto {p_iban}, dziękuję", "Dane do faktury: IBAN {p_iban}"],
    "card": [
        "Z mojej karty {p_card} pobrano opłatę dwa razy, możecie sprawdzić?",
        "Karta użyta do Premium: {p_card}",
    ],
    "salary": [
        "Obecnie zarabiam {p_salary} brutto rocznie",
        "Budżet na to stanowisko to {p_salary} rocznie",
        "Zaproponowali mi {p_salary} podstawy, negocjować?",
    ],
    "national_id:pl_pesel": ["Mój PESEL to {p_natid} do umowy", "PESEL: {p_natid}"],
}

DECOYS: list[str] = [
    "Webinar odbędzie się {d_date} o {d_time}, zapisało się już {d_count} osób.",
    "Wersja {d_version} już dostępna, buildy szybsze o {d_pct}.",
    "Zamówienie {d_order} wysłano {d_date}.",
    "Bilety kosztują {d_price}, promocja do {d_date}.",
    "W {d_year} było nas tylko {d_num}, dziś jest nas {d_count}.",
    "Numer przesyłki: {d_badcard}",
    "Formularz odrzucił {d_badiban} jako nieprawidłowy IBAN, słusznie.",
]

DATE_FORMATS: list[str] = ["{d} {month} {Y}", "{dd}.{mm}.{Y}"]
TIME_FORMATS: list[str] = ["{HH}:{MM}", "{H}:{MM}"]
THOUSANDS: list[str] = [" ", "\u00a0"]
DECIMAL = ","
