"""Deutsch."""

from __future__ import annotations

WORDS: dict[str, list[str]] = {
    "first": [
        "Lukas",
        "Anna",
        "Leon",
        "Marie",
        "Jonas",
        "Sophie",
        "Felix",
        "Laura",
        "Maximilian",
        "Lea",
        "Paul",
        "Katharina",
        "Tobias",
        "Julia",
        "Jan",
        "Sabine",
        "Stefan",
        "Jürgen",
        "Mehmet",
        "Elif",
        "Niklas",
        "Hannah",
    ],
    "last": [
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Schäfer",
        "Koch",
        "Bauer",
        "Richter",
        "Klein",
        "Wolf",
        "Schröder",
        "Neumann",
        "Yılmaz",
        "Zimmermann",
        "Braun",
        "Krüger",
    ],
    "title": [
        "Softwareentwickler",
        "Data Scientist",
        "Produktmanagerin",
        "Marketingleiter",
        "Vertriebsleiterin",
        "Personalreferentin",
        "Controller",
        "UX Designerin",
        "DevOps Engineer",
        "SAP-Berater",
        "Projektleiter",
        "Teamleiterin Kundenservice",
        "Finanzbuchhalter",
        "Maschinenbauingenieur",
        "Werkstudentin Marketing",
        "Geschäftsführer",
        "Recruiterin",
        "Fachinformatiker Systemintegration",
    ],
    "company": [
        "Siemens",
        "Bosch",
        "Deutsche Telekom",
        "Allianz",
        "Zalando",
        "Celonis",
        "BMW Group",
        "DATEV",
        "Personio",
        "N26",
        "Roche",
        "Swisscom",
        "Red Bull",
    ],
    "uni": [
        "TU München",
        "RWTH Aachen",
        "Universität Mannheim",
        "Humboldt-Universität zu Berlin",
        "Universität Wien",
        "ETH Zürich",
        "Universität zu Köln",
        "KIT Karlsruhe",
        "Hochschule München",
        "Universität St. Gallen",
    ],
    "hs": [
        "Goethe-Gymnasium",
        "Schiller-Gymnasium",
        "Realschule am Stadtpark",
        "Gesamtschule Nord",
        "Humboldt-Gymnasium",
        "Bundesrealgymnasium Linz",
        "Kantonsschule Zürich Nord",
    ],
    "degree": [
        "M.Sc. Informatik",
        "B.Sc. Wirtschaftsinformatik",
        "Master of Business Administration",
        "B.A. Betriebswirtschaftslehre",
        "Diplom-Ingenieur Maschinenbau",
        "M.A. Personalmanagement",
        "Ausbildung zum Industriekaufmann",
    ],
    "skill": [
        "Projektmanagement",
        "Führung",
        "Verhandlungsführung",
        "Datenanalyse",
        "Vertrieb",
        "Agile Methoden",
        "Präsentation",
        "Prozessoptimierung",
        "Personalentwicklung",
        "Kundenbetreuung",
        "Change Management",
    ],
    "topic": [
        "generative KI",
        "Homeoffice",
        "Datenschutz",
        "Employer Branding",
        "Cybersicherheit",
        "Nachhaltigkeit",
        "Digitalisierung",
        "Fachkräftemangel",
        "New Work",
        "Onboarding",
        "Cloud-Kosten",
        "Kundenbindung",
    ],
    "hashtag": [
        "Karriere",
        "KI",
        "Digitalisierung",
        "NewWork",
        "Führung",
        "Recruiting",
        "Nachhaltigkeit",
        "Startup",
        "Jobsuche",
        "Mittelstand",
    ],
    "achievement": [
        "Migration unserer Datenplattform in die Cloud verantwortet.",
        "Aufbau eines Teams von acht Entwicklern.",
        "Einführung der ersten mobilen App des Unternehmens.",
        "Onboarding-Prozess neu gestaltet.",
        "Betreuung von Schlüsselkunden in der DACH-Region.",
    ],
    "hobby": ["beim Laufen an der Isar", "beim Schachspielen", "in den Bergen", "beim Brotbacken"],
    "event": ["Konferenz", "Meetup", "Hackathon", "Offsite", "Webinar", "Podiumsdiskussion"],
    "poll_option": ["Komplett remote", "Hybrid", "Zurück ins Büro", "4-Tage-Woche", "Gleitzeit"],
    "comment_short": [
        "Herzlichen Glückwunsch!",
        "Wohlverdient!",
        "Danke fürs Teilen.",
        "Sehe ich genauso.",
        "Spannender Beitrag!",
        "Sehr hilfreich, danke.",
    ],
    "notice": ["einen Monat", "drei Monate zum Quartalsende", "zwei Wochen", "sofort verfügbar"],
    "motivation": [
        "ich Ihre Produkte schätze und ihr Wachstum mitgestalten möchte.",
        "die Stelle zu meiner Erfahrung passt und mich die Mission überzeugt.",
        "ich ein Team suche, in dem ich lernen und Verantwortung übernehmen kann.",
    ],
    "app_status": [
        "Beworben",
        "Vom Recruiter angesehen",
        "In Prüfung",
        "Absage",
        "Vorstellungsgespräch geplant",
    ],
    "vol_role": ["Mentorin", "Vorstandsmitglied", "Trainer", "Ehrenamtlicher Helfer"],
    "ngo": [
        "Deutsches Rotes Kreuz",
        "Tafel Deutschland",
        "Arbeiterkind.de",
        "Caritas",
        "CoderDojo",
    ],
    "pub_prefix": ["Erfahrungen mit", "Ein Praxisleitfaden zu", "Neu gedacht:", "Wirkung messen:"],
    "patent_title": [
        "Verfahren zur Planung verteilter Datenverarbeitung",
        "System zur Erkennung betrügerischer Transaktionen",
        "Vorrichtung zur Überwachung des Batteriezustands",
    ],
    "reco_quality": [
        "ist eine Kollegin bzw. ein Kollege, wie man sie sich in jedem Team wünscht",
        "verbindet analytische Schärfe mit echter Empathie",
        "hat auch unter Druck immer pünktlich geliefert",
        "bringt alle im Team weiter",
    ],
    "group_reply": [
        "Geht mir genauso.",
        "Danke fürs Organisieren!",
        "Bin dabei.",
        "Tolle Initiative.",
        "Helfe gern, wenn nötig.",
    ],
    "feedback_issue": [
        "Der KI-Schreibassistent hat mir eine viel zu allgemeine Überschrift vorgeschlagen.",
        "Jobbenachrichtigungen zeigen Stellen, die schon besetzt sind.",
        "Die App stürzt ab, wenn ich meine Benachrichtigungen öffne.",
        "Bitte einen Dark Mode für Nachrichten einführen.",
        "Der Umformulierungsvorschlag hat den Sinn meines Beitrags verändert.",
    ],
    "month": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "gname_tech": [
        "Data Engineering DACH",
        "Python User Group Berlin",
        "Cloud-Architekten Netzwerk",
    ],
    "gname_career": ["Quereinsteiger IT", "Frauen in Führung", "Jobsuche gemeinsam"],
    "gname_marketing": [
        "Performance Marketing Deutschland",
        "B2B Marketing DACH",
        "Content Marketing Stammtisch",
    ],
    "gname_alumni": ["Alumni TU München", "WHU Alumni", "Ehemalige der Deutschen Bank"],
    "gname_union": [
        "ver.di Betriebsgruppe IT",
        "IG Metall Vertrauensleute",
        "GEW Lehrkräfte vernetzt",
    ],
    "gname_health": [
        "Leben mit Diabetes Typ 1",
        "Krebs und Beruf",
        "Depression – Austausch unter Betroffenen",
        "Long-COVID Selbsthilfe",
    ],
    "gname_religion": [
        "Christen in der Wirtschaft",
        "Muslimische Fachkräfte Netzwerk",
        "Jüdisches Berufsnetzwerk",
    ],
    "gname_politics": [
        "Junge Union Berufstätige",
        "Grüne im Mittelstand",
        "SPD Netzwerk Digitales",
    ],
    "gname_lgbtq": ["LGBTIQ* in Tech", "Völklinger Kreis – Mitglieder", "Queer im Beruf"],
    "gline_tech": [
        "Hat jemand seine Batch-Jobs auf Streaming umgestellt? Mich interessieren die Erfahrungen.",
        "Hier die Folien vom gestrigen Vortrag zu Observability.",
        "Welches Orchestrierungstool nutzt ihr gerade?",
    ],
    "gline_career": [
        "Nach acht Monaten Suche endlich die erste Zusage. Nicht aufgeben!",
        "Wie verhandelt ihr, wenn der Recruiter nach dem aktuellen Gehalt fragt?",
        "Ich suche eine Mentorin im Produktmanagement, Tipps?",
    ],
    "gline_marketing": [
        "Unsere Öffnungsraten sind seit dem letzten Update eingebrochen, bei euch auch?",
        "Welches Framework nutzt ihr für die Positionierung neuer Produkte?",
        "Case Study: Wie wir die Inbound-Leads ohne Paid Ads verdoppelt haben.",
    ],
    "gline_alumni": [
        "Alumni-Stammtisch nächsten Monat, wer ist dabei?",
        "Schön, dass so viele beim Jahrgangstreffen waren.",
        "Hat noch jemand die Fotos von der Abschlussfeier?",
    ],
    "gline_union": [
        "Erinnerung: Mitgliederversammlung zur Tarifrunde am Donnerstag.",
        "Die Geschäftsführung lehnt Verhandlungen über einen Tarifvertrag ab, wir müssen reden.",
        "Bitte bis Freitag an der Urabstimmung teilnehmen.",
    ],
    "gline_health": [
        "Meine Insulinpumpe ist im Kundentermin ausgefallen, wie geht ihr im Job damit um?",
        "Nächste Woche beginnt meine Chemo und ich weiß nicht, was ich meiner Chefin sagen soll.",
        "Die Therapie hat mir sehr geholfen, ich teile gern meine Erfahrungen.",
    ],
    "gline_religion": [
        "Ich suche einen ruhigen Gebetsraum in der Nähe des Büros.",
        "Unser Bibelkreis trifft sich mittwochs abends.",
        "Tipps fürs Fasten im Ramadan bei vollem Terminkalender?",
    ],
    "gline_politics": [
        "Am Wochenende Infostand zur Kommunalwahl, Helfer willkommen.",
        "Der Antrag zum Wohnungsbau wurde auf dem Parteitag angenommen, danke an alle.",
        "Wer kommt zum Wahlkampfauftakt?",
    ],
    "gline_lgbtq": [
        "Ich habe mich diese Woche im Team geoutet, und es lief besser als befürchtet.",
        "Planung für den CSD: Ideen für unseren Firmenwagen?",
        "Ich suche LGBTIQ*-freundliche Arbeitgeber in der Finanzbranche.",
    ],
}

TEMPLATES: dict[str, list[list[str]]] = {
    "profile_headline": [
        [
            "{title} bei {company}",
            "{title} | {skill} & {skill_2} | {city}",
            "{title} @ {company} · ex-{company_any}",
            "Ich helfe Teams bei {topic} | {title}",
            "{title} | Offen für neue Herausforderungen",
        ]
    ],
    "profile_summary": [
        [
            "Ich bin {title} in {city} mit {d_years} Jahren Erfahrung im Bereich {topic}.",
            "{title} mit Hintergrund in {skill} und {skill_2}.",
            "Mit Leidenschaft für {topic} arbeite ich derzeit als {title} bei {company}.",
        ],
        [
            "Ich mache aus komplexen Problemen einfache Produkte.",
            "Zuvor bei {company_any}, wo ich ein Team von {d_num} Personen geführt habe.",
            "In meiner Freizeit findet man mich {hobby}.",
            "",
        ],
    ],
    "profile_experience": [
        [
            "{title} — {company}, {city} ({d_year} – heute).",
            "{title_any} bei {company_any} ({d_year} – {d_year_2}).",
            "{title} · {company} · Vollzeit",
        ],
        ["{achievement}", "{achievement}", ""],
    ],
    "profile_education": [
        ["{degree}, {uni} ({d_year} – {d_year_2})", "{uni} — {degree}", "{degree} · {uni}"]
    ],
    "profile_skills": [
        ["{skill} · {skill_2} · {skill_3} · {skill_4}", "{skill}, {skill_2}, {skill_3}"]
    ],
    "profile_location": [["{city}, {country_name}", "Großraum {city}"]],
    "profile_certification": [["{cert}, ausgestellt im {month} {d_year}", "{cert}"]],
    "profile_volunteering": [["{vol_role} beim {ngo} seit {d_year}.", "{vol_role} — {ngo}"]],
    "profile_publication": [
        [
            "„{pub_prefix} {topic}“, {journal}, {d_year}.",
            "{pub_prefix} {topic} — erschienen in {journal}",
        ]
    ],
    "profile_patent": [
        ["{patent_title} — Patent {d_patent}, erteilt {d_year}.", "{patent_title} ({d_patent})"]
    ],
    "profile_endorsement": [
        [
            "{other} hat {first} für {skill} empfohlen.",
            "Kenntnis {skill} bestätigt von {other}, {title_any} bei {company_any}",
        ]
    ],
    "profile_recommendation": [
        [
            "Ich hatte das Vergnügen, mit {first} bei {company} zusammenzuarbeiten. {first} {reco_quality}.",
            "{first} war {d_years} Jahre in meinem Team und {reco_quality}. Uneingeschränkte Empfehlung!",
        ]
    ],
    "post": [
        [
            "Ich freue mich, den Launch von {product} bei {company} bekanntzugeben! 🚀",
            "Nach {d_num} Monaten harter Arbeit hat unser Team {product} ausgeliefert.",
            "Neuigkeiten: Ich starte als {title_any} bei {company_any}!",
            "Ein paar Gedanken zu {topic} nach der {event} diese Woche.",
            "Wir stellen ein! Gesucht: {title_any} (m/w/d) in {city_any}.",
        ],
        [
            "Ein großes Dankeschön an alle, die das möglich gemacht haben.",
            "Meine Learnings: klein anfangen, alles messen, den Nutzern zuhören.",
            "Wer auch an {topic} arbeitet: Ich freue mich auf den Austausch.",
            "Schreibt mir gern eine Nachricht.",
            "",
        ],
        ["#{hashtag} #{hashtag_2}", "#{hashtag}", ""],
    ],
    "article": [
        [
            "Was mich {d_num} Jahre {topic} gelehrt haben",
            "{pub_prefix} {topic}",
            "Warum {topic} wichtiger ist denn je",
        ],
        [
            "Als ich als {title} anfing, sprach niemand über {topic}. Heute steht das Thema auf jeder Vorstandsagenda.",
            "Die meisten Teams unterschätzen {topic}. Das haben wir bei {company} geändert.",
        ],
        [
            "Erste Lektion: früh dokumentieren und teilen.",
            "Wir haben alles gemessen, und die Zahlen haben uns überrascht.",
            "Das Schwierigste war nicht die Technik, sondern die Kultur.",
        ],
        [
            "Wie sind eure Erfahrungen? Schreibt es in die Kommentare.",
            "Danke an {other} fürs Gegenlesen.",
            "",
        ],
    ],
    "comment": [
        [
            "Glückwunsch {other_first}, wohlverdient!",
            "Guter Punkt zu {topic}, sehe ich genauso.",
            "Danke fürs Teilen, {other_first} 👏",
            "Spannend! Wie habt ihr {topic} bei {company_any} gelöst?",
            "{comment_short}",
        ]
    ],
    "poll_response": [
        ["Abgestimmt: {poll_option}", "{poll_option}", "{poll_option} — {comment_short}"]
    ],
    "group_post": [
        ["Hallo zusammen in {group_name}!", "Frage an die Gruppe:", "", "Hallo in die Runde,"],
        ["{group_line}"],
    ],
    "group_comment": [["{group_reply}", "{group_line}", "{comment_short} {group_reply}"]],
    "group_message": [
        [
            "Hallo zusammen, {group_line}",
            "Kurze Nachricht an {group_name}: {group_line}",
            "{group_reply}",
        ]
    ],
    "ai_prompt": [
        [
            "Formuliere meine Überschrift seniorer: „{title} bei {company}“",
            "Schreibe einen Beitrag, dass ich als {title_any} zu {company_any} wechsle.",
            "Fasse diese Stellenanzeige für {title_any} in {city_any} in drei Stichpunkten zusammen.",
            "Entwirf eine Nachricht an {other_first} mit der Bitte um eine Empfehlung.",
            "Hilf mir, mich auf ein Vorstellungsgespräch bei {company_any} zum Thema {topic} vorzubereiten.",
            "Verbessere meinen Info-Abschnitt. Ich bin {title} und begeistere mich für {topic}.",
        ]
    ],
    "ai_output": [
        [
            "Hier ein seniorer Vorschlag: „{title} | Treiber für {topic} bei {company}“",
            "Gern! „Ich freue mich sehr, ab sofort als {title_any} bei {company_any} zu arbeiten. Danke an alle, die mich unterstützt haben.“",
            "• Verantwortung für die Roadmap zu {topic}\n• Zusammenarbeit mit Engineering und Design\n• Berichtet an die Bereichsleitung in {city_any}",
            "Hallo {other_first}, ich hoffe, es geht dir gut! Würdest du mir eine kurze Empfehlung zu unserer Zusammenarbeit schreiben?",
            "Mögliche Fragen: Wie sind Sie {topic} angegangen? Erzählen Sie von einem Konflikt mit einem Stakeholder.",
            "{title} mit Begeisterung für {topic}. Ich helfe Teams, aus Ideen Produkte zu machen.",
        ]
    ],
    "resume": [
        ["{name} — {title}"],
        ["{city} · {skill}, {skill_2}, {skill_3}"],
        [
            "Berufserfahrung: {title} bei {company} seit {d_year}; davor {title_any} bei {company_any}.",
            "Berufserfahrung: {title_any} bei {company_any} ({d_year} – {d_year_2}). {achievement}",
        ],
        ["Ausbildung: {degree}, {uni}.", "Zertifikate: {cert}."],
    ],
    "screening_answer": [
        [
            "F: Wie viele Jahre Erfahrung haben Sie mit {tech_skill}? A: {d_years}",
            "F: Dürfen Sie in {country_name} arbeiten? A: Ja",
            "F: Wie lang ist Ihre Kündigungsfrist? A: {notice}",
            "F: Warum möchten Sie zu {company_any}? A: Weil {motivation}",
            "F: Wie hoch ist Ihre Gehaltsvorstellung? A: {p_salary} brutto im Jahr",
        ]
    ],
    "job_application": [
        [
            "Bewerbung als {title_any} bei {company_any} ({city_any}) mit Lebenslauf und Anschreiben.",
            "Beworben: {title_any} bei {company_any}. Status: {app_status}.",
            "Schnellbewerbung: {title_any}, {company_any}. Gehaltsvorstellung: {p_salary} brutto jährlich",
        ]
    ],
    "salary": [
        [
            "Gehalt: {p_salary} brutto im Jahr, Bonus {d_pct}",
            "Aktuelles Jahresgehalt: {p_salary} brutto ({title}, {city})",
            "Gehaltsvorstellung: {p_salary} jährlich",
        ]
    ],
    "private_message": [
        [
            "Hi {other_first}, hast du nächste Woche Zeit für einen Kaffee?",
            "Danke für den Kontakt zu {other}!",
            "Hast du die offene Stelle bei {company_any} gesehen? Ich musste an dich denken.",
            "Glückwunsch zur neuen Stelle! Lass uns bald telefonieren.",
        ]
    ],
    "inmail": [
        [
            "Hallo {first}, ich bin Recruiterin bei {company_any}. Wir suchen eine/n {title_any} in {city_any}, und Ihre Erfahrung mit {skill} ist mir aufgefallen. Hätten Sie Zeit für ein kurzes Telefonat?",
            "Guten Tag {first}, Ihr Profil passt hervorragend zu einer Position als {title_any} bei einem unserer Kunden. Wären Sie offen für einen Austausch?",
        ]
    ],
    "search_query": [
        [
            "{title_any} {city_any}",
            "{tech_skill} Jobs remote",
            "{company_any}",
            "{other}",
            "Weiterbildung {topic}",
        ]
    ],
    "feedback": [
        [
            "{feedback_issue}",
            "👍 Hilfreicher Vorschlag",
            "👎 Nicht relevant",
            "Fehlermeldung: {feedback_issue}",
        ]
    ],
    "payment_method": [
        [
            "{card_brand} mit Endziffern {last4}, gültig bis {exp}",
            "{card_brand} {p_card}, Rechnungsort {city}",
            "SEPA-Lastschrift, IBAN {p_iban}",
            "PayPal ({p_email})",
        ]
    ],
}

SEPARATORS: dict[str, str] = {"article": "\n\n", "resume": "\n"}

PII: dict[str, list[str]] = {
    "email": [
        "Schreibt mir gern an {p_email} bei Interesse",
        "Kontakt: {p_email}",
        "Bewerbungen bitte an {p_email} senden",
    ],
    "phone": [
        "Ruft mich gern unter {p_phone} an",
        "Meine Nummer: {p_phone}",
        "Erreichbar unter {p_phone} tagsüber",
    ],
    "iban": [
        "Bitte auf mein Konto {p_iban} erstatten, danke",
        "Bankverbindung für die Rechnung: IBAN {p_iban}",
    ],
    "card": [
        "Meine Karte {p_card} wurde doppelt belastet, können Sie das prüfen?",
        "Für Premium genutzte Karte: {p_card}",
    ],
    "salary": [
        "Aktuell verdiene ich {p_salary} brutto im Jahr",
        "Das Budget für die Stelle liegt bei {p_salary} jährlich",
        "Mir wurden {p_salary} fix angeboten, soll ich verhandeln?",
    ],
    "national_id:de_idnr": [
        "Meine Steuer-ID lautet {p_natid} für die Gehaltsabrechnung",
        "Steuer-IdNr. {p_natid}",
    ],
}

DECOYS: list[str] = [
    "Das Webinar findet am {d_date} um {d_time} statt, schon {d_count} Anmeldungen.",
    "Version {d_version} ist da, mit {d_pct} schnelleren Builds.",
    "Bestellung {d_order} wurde am {d_date} verschickt.",
    "Tickets kosten {d_price}, Frühbucher bis {d_date}.",
    "{d_year} waren wir nur {d_num} Leute, heute sind wir {d_count}.",
    "Sendungsnummer: {d_badcard}",
    "Das Formular hat {d_badiban} als ungültige IBAN abgelehnt, zu Recht.",
    "Einlass ab {d_time}, Keynote am {d_date}.",
]

DATE_FORMATS: list[str] = ["{d}. {month} {Y}", "{dd}.{mm}.{Y}"]
TIME_FORMATS: list[str] = ["{HH}:{MM} Uhr", "{HH}:{MM}"]
THOUSANDS: list[str] = ["."]
DECIMAL = ","
