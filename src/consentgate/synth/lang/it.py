"""Italiano."""

from __future__ import annotations

WORDS: dict[str, list[str]] = {
    "first": [
        "Giulia",
        "Francesco",
        "Sofia",
        "Alessandro",
        "Aurora",
        "Lorenzo",
        "Martina",
        "Matteo",
        "Chiara",
        "Andrea",
        "Federica",
        "Marco",
        "Elena",
        "Luca",
        "Sara",
        "Davide",
        "Valentina",
    ],
    "last": [
        "Rossi",
        "Russo",
        "Ferrari",
        "Esposito",
        "Bianchi",
        "Romano",
        "Colombo",
        "Ricci",
        "Marino",
        "Greco",
        "Bruno",
        "Gallo",
        "Conti",
        "De Luca",
        "Mancini",
        "Costa",
        "Giordano",
    ],
    "title": [
        "Ingegnere del software",
        "Data scientist",
        "Product manager",
        "Responsabile marketing",
        "Direttrice commerciale",
        "HR specialist",
        "Analista finanziario",
        "UX designer",
        "Ingegnere DevOps",
        "Consulente SAP",
        "Project manager",
        "Responsabile risorse umane",
        "Sviluppatore full stack",
        "Direttore operativo",
        "Infermiera",
        "Avvocato giuslavorista",
    ],
    "company": [
        "Enel",
        "Eni",
        "Intesa Sanpaolo",
        "UniCredit",
        "Ferrero",
        "Luxottica",
        "Pirelli",
        "Satispay",
        "Leonardo",
        "Generali",
        "Barilla",
        "Fastweb",
    ],
    "uni": [
        "Politecnico di Milano",
        "Università Bocconi",
        "Sapienza Università di Roma",
        "Università di Bologna",
        "Politecnico di Torino",
        "Università di Padova",
        "Università Federico II di Napoli",
        "LUISS Guido Carli",
    ],
    "hs": [
        "Liceo Scientifico Galileo Galilei",
        "Liceo Classico Dante Alighieri",
        "ITIS Enrico Fermi",
        "Liceo Linguistico Manzoni",
        "Istituto Tecnico Leonardo da Vinci",
    ],
    "degree": [
        "Laurea magistrale in Informatica",
        "Laurea in Economia",
        "MBA",
        "Laurea in Ingegneria Gestionale",
        "Master in Risorse Umane",
        "Laurea in Giurisprudenza",
    ],
    "skill": [
        "Project management",
        "Leadership",
        "Negoziazione",
        "Analisi dei dati",
        "Marketing digitale",
        "Gestione clienti",
        "Metodologie agili",
        "Public speaking",
        "Selezione del personale",
    ],
    "topic": [
        "l'IA generativa",
        "lo smart working",
        "la governance dei dati",
        "l'employer branding",
        "la cybersecurity",
        "la sostenibilità",
        "la trasformazione digitale",
        "la customer experience",
        "la ricerca di talenti",
        "l'onboarding",
    ],
    "hashtag": [
        "lavoro",
        "IA",
        "leadership",
        "innovazione",
        "carriera",
        "marketing",
        "dati",
        "startup",
        "HR",
    ],
    "achievement": [
        "Ho guidato la migrazione della piattaforma dati sul cloud.",
        "Ho costruito da zero un team di otto sviluppatori.",
        "Lancio della prima app mobile dell'azienda.",
        "Ridisegnato il processo di onboarding.",
    ],
    "hobby": ["a correre lungo il Po", "in barca a vela", "in montagna", "ai fornelli"],
    "event": ["convegno", "meetup", "hackathon", "workshop", "webinar", "tavola rotonda"],
    "poll_option": [
        "Full remote",
        "Ibrido",
        "Ritorno in ufficio",
        "Settimana corta",
        "Orario flessibile",
    ],
    "comment_short": [
        "Complimenti!",
        "Meritatissimo!",
        "Grazie per la condivisione.",
        "Sono d'accordo.",
        "Ottima notizia!",
    ],
    "notice": ["un mese", "tre mesi", "due settimane", "disponibilità immediata"],
    "motivation": [
        "apprezzo i vostri prodotti e voglio contribuire alla loro crescita.",
        "il ruolo è in linea con la mia esperienza e condivido la missione.",
        "cerco un team dove imparare e prendermi responsabilità.",
    ],
    "app_status": [
        "Candidatura inviata",
        "Vista dal recruiter",
        "In valutazione",
        "Non selezionata",
        "Colloquio fissato",
    ],
    "vol_role": ["Mentor", "Volontaria", "Formatore", "Tesoriere"],
    "ngo": ["Croce Rossa Italiana", "Banco Alimentare", "Emergency", "Caritas", "CoderDojo"],
    "pub_prefix": ["Lezioni apprese su", "Guida pratica a", "Ripensare", "Misurare l'impatto del"],
    "patent_title": [
        "Metodo per la pianificazione di elaborazioni dati distribuite",
        "Sistema per il rilevamento di transazioni fraudolente",
    ],
    "reco_quality": [
        "è il collega che ogni team vorrebbe avere",
        "unisce rigore analitico e grande empatia",
        "ha sempre rispettato le scadenze, anche sotto pressione",
    ],
    "group_reply": [
        "Anche per me.",
        "Grazie per l'organizzazione!",
        "Ci sono.",
        "Ottima iniziativa.",
    ],
    "feedback_issue": [
        "L'assistente di scrittura IA mi ha proposto un titolo troppo generico.",
        "Gli avvisi di lavoro mostrano offerte già chiuse.",
        "L'app si blocca quando apro le notifiche.",
        "Aggiungete la modalità scura nei messaggi, per favore.",
    ],
    "month": [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    "gname_tech": ["Data Engineering Italia", "Python Milano", "Cloud Architect Italia"],
    "gname_career": ["Cambio carriera", "Donne e leadership", "Cerco lavoro: aiuto reciproco"],
    "gname_marketing": ["Growth Marketing Italia", "Marketing B2B Club"],
    "gname_alumni": ["Alumni Bocconi", "Alumni Politecnico di Milano", "Ex colleghi Enel"],
    "gname_union": ["FIOM CGIL – iscritti", "CISL Bancari", "UIL Scuola rappresentanti"],
    "gname_health": [
        "Diabete tipo 1 – supporto",
        "Tumore e lavoro",
        "Salute mentale al lavoro – auto mutuo aiuto",
    ],
    "gname_religion": ["Cristiani nel lavoro", "Professionisti musulmani in Italia"],
    "gname_politics": [
        "Giovani Democratici professionisti",
        "Liberali per l'innovazione",
        "Verdi al lavoro",
    ],
    "gname_lgbtq": ["LGBTQ+ nel tech", "Pride al lavoro", "Parks – Liberi e Uguali, membri"],
    "gline_tech": [
        "Qualcuno ha spostato i job batch in streaming? Mi interessano le vostre esperienze.",
        "Condivido le slide del talk di ieri sull'osservabilità.",
    ],
    "gline_career": [
        "Prima offerta dopo otto mesi di ricerca, non mollate!",
        "Come negoziate quando il recruiter chiede la RAL attuale?",
    ],
    "gline_marketing": [
        "Anche a voi sono calati i tassi di apertura dopo l'ultimo aggiornamento?",
        "Case study: come abbiamo raddoppiato i lead senza ads.",
    ],
    "gline_alumni": [
        "Aperitivo alumni il mese prossimo, chi c'è?",
        "Qualcuno ha ancora le foto della laurea?",
    ],
    "gline_union": [
        "Promemoria: assemblea sul rinnovo del contratto giovedì prossimo.",
        "L'azienda rifiuta di aprire la trattativa, dobbiamo parlarne.",
    ],
    "gline_health": [
        "Il microinfusore si è bloccato durante una riunione, come gestite la cosa al lavoro?",
        "Inizio la chemio la settimana prossima e non so cosa dire al mio capo.",
    ],
    "gline_religion": [
        "Cerco una stanza tranquilla per pregare vicino all'ufficio.",
        "Il nostro gruppo di preghiera si incontra il mercoledì sera.",
    ],
    "gline_politics": [
        "Volantinaggio nel weekend per le comunali, cerchiamo volontari.",
        "Chi viene alla cena di raccolta fondi della campagna?",
    ],
    "gline_lgbtq": [
        "Ho fatto coming out con il mio team questa settimana ed è andata bene.",
        "Organizzazione del Pride: idee per il carro aziendale?",
    ],
}

TEMPLATES: dict[str, list[list[str]]] = {
    "profile_headline": [
        [
            "{title} presso {company}",
            "{title} | {skill} e {skill_2} | {city}",
            "{title} @ {company} · ex-{company_any}",
            "{title} | Aperto a nuove opportunità",
        ]
    ],
    "profile_summary": [
        [
            "Sono {title} a {city} con {d_years} anni di esperienza in {topic}.",
            "{title} con esperienza in {skill} e {skill_2}.",
            "Appassionato di {topic}, lavoro come {title} presso {company}.",
        ],
        [
            "Mi piace trasformare problemi complessi in prodotti semplici.",
            "In precedenza in {company_any}, dove ho guidato un team di {d_num} persone.",
            "Fuori dal lavoro mi trovate {hobby}.",
            "",
        ],
    ],
    "profile_experience": [
        [
            "{title} — {company}, {city} ({d_year} – oggi).",
            "{title_any} presso {company_any} ({d_year} – {d_year_2}).",
            "{title} · {company} · Tempo pieno",
        ],
        ["{achievement}", ""],
    ],
    "profile_education": [["{degree}, {uni} ({d_year} – {d_year_2})", "{uni} — {degree}"]],
    "profile_skills": [
        ["{skill} · {skill_2} · {skill_3} · {skill_4}", "{skill}, {skill_2}, {skill_3}"]
    ],
    "profile_location": [["{city}, {country_name}", "Area metropolitana di {city}"]],
    "profile_certification": [["{cert}, rilasciata a {month} {d_year}", "{cert}"]],
    "profile_volunteering": [["{vol_role} presso {ngo} dal {d_year}.", "{vol_role} — {ngo}"]],
    "profile_publication": [
        [
            "«{pub_prefix} {topic}», {journal}, {d_year}.",
            "{pub_prefix} {topic} — pubblicato su {journal}",
        ]
    ],
    "profile_patent": [
        [
            "{patent_title} — brevetto {d_patent}, concesso nel {d_year}.",
            "{patent_title} ({d_patent})",
        ]
    ],
    "profile_endorsement": [
        [
            "{other} ha confermato la competenza {skill} di {first}.",
            "Competenza {skill} confermata da {other}, {title_any} presso {company_any}",
        ]
    ],
    "profile_recommendation": [
        [
            "Ho avuto il piacere di lavorare con {first} in {company}. {first} {reco_quality}.",
            "{first} ha fatto parte del mio team per {d_years} anni e {reco_quality}. Lo consiglio senza riserve.",
        ]
    ],
    "post": [
        [
            "Felice di annunciare il lancio di {product} in {company}! 🚀",
            "Dopo {d_num} mesi di lavoro il nostro team ha rilasciato {product}.",
            "Grande notizia: inizio una nuova avventura come {title_any} in {company_any}!",
            "Qualche riflessione su {topic} dopo il {event} di questa settimana.",
            "Stiamo assumendo! Cerchiamo {title_any} a {city_any}.",
        ],
        [
            "Un enorme grazie a chi lo ha reso possibile.",
            "Cosa ho imparato: partire in piccolo, misurare tutto, ascoltare gli utenti.",
            "Se lavorate su {topic}, mi farebbe piacere confrontarmi.",
            "",
        ],
        ["#{hashtag} #{hashtag_2}", "#{hashtag}", ""],
    ],
    "article": [
        [
            "Cosa mi hanno insegnato {d_num} anni di {topic}",
            "{pub_prefix} {topic}",
            "Perché {topic} conta più che mai",
        ],
        [
            "Quando ho iniziato come {title}, nessuno parlava di {topic}. Oggi è in ogni consiglio di amministrazione.",
            "La maggior parte dei team sottovaluta {topic}. Ecco cosa abbiamo cambiato in {company}.",
        ],
        [
            "Prima lezione: documentare e condividere presto.",
            "Abbiamo misurato tutto e i numeri ci hanno sorpreso.",
            "La parte più difficile non è stata la tecnologia, ma la cultura.",
        ],
        [
            "Raccontatemi la vostra esperienza nei commenti.",
            "Grazie a {other} per la revisione.",
            "",
        ],
    ],
    "comment": [
        [
            "Complimenti {other_first}, meritatissimo!",
            "Ottimo spunto su {topic}.",
            "Grazie per aver condiviso, {other_first} 👏",
            "Interessante! Come avete gestito {topic} in {company_any}?",
            "{comment_short}",
        ]
    ],
    "poll_response": [
        ["Ho votato: {poll_option}", "{poll_option}", "{poll_option} — {comment_short}"]
    ],
    "group_post": [
        ["Ciao a tutti in {group_name}!", "Domanda per il gruppo:", ""],
        ["{group_line}"],
    ],
    "group_comment": [["{group_reply}", "{group_line}", "{comment_short} {group_reply}"]],
    "group_message": [
        [
            "Ciao a tutti, {group_line}",
            "Messaggio veloce per {group_name}: {group_line}",
            "{group_reply}",
        ]
    ],
    "ai_prompt": [
        [
            "Riscrivi il mio titolo in modo più senior: «{title} presso {company}»",
            "Scrivi un post per annunciare che entro in {company_any} come {title_any}.",
            "Riassumi questa offerta per {title_any} a {city_any} in tre punti.",
            "Scrivi un messaggio a {other_first} per chiedere una referenza.",
            "Aiutami a prepararmi a un colloquio in {company_any} su {topic}.",
            "Migliora il mio riepilogo. Sono {title} e mi appassiona {topic}.",
        ]
    ],
    "ai_output": [
        [
            "Ecco un titolo più senior: «{title} | Guido {topic} in {company}»",
            "Certo! «Sono felice di annunciare che entro in {company_any} come {title_any}. Grazie a chi mi ha sostenuto.»",
            "• Responsabilità della roadmap su {topic}\n• Collaborazione con ingegneria e design\n• Riporto alla direzione di {city_any}",
            "Ciao {other_first}, spero tu stia bene! Ti andrebbe di scrivermi una breve referenza?",
            "Domande probabili: come hai affrontato {topic}? Raccontami un disaccordo con uno stakeholder.",
            "{title} appassionato di {topic}. Aiuto i team a trasformare idee in prodotti utili.",
        ]
    ],
    "resume": [
        ["{name} — {title}"],
        ["{city} · {skill}, {skill_2}, {skill_3}"],
        [
            "Esperienza: {title} presso {company} dal {d_year}; in precedenza {title_any} in {company_any}.",
            "Esperienza: {title_any} presso {company_any} ({d_year} – {d_year_2}). {achievement}",
        ],
        ["Formazione: {degree}, {uni}.", "Certificazioni: {cert}."],
    ],
    "screening_answer": [
        [
            "D: Quanti anni di esperienza hai con {tech_skill}? R: {d_years}",
            "D: Sei autorizzato a lavorare in {country_name}? R: Sì",
            "D: Qual è il tuo preavviso? R: {notice}",
            "D: Perché vuoi entrare in {company_any}? R: Perché {motivation}",
            "D: Qual è la tua RAL desiderata? R: {p_salary} lordi annui",
        ]
    ],
    "job_application": [
        [
            "Candidatura per {title_any} presso {company_any} ({city_any}) con CV e lettera di presentazione.",
            "Candidatura: {title_any} in {company_any}. Stato: {app_status}.",
            "Candidatura semplificata: {title_any}, {company_any}. RAL desiderata: {p_salary} lordi",
        ]
    ],
    "salary": [
        [
            "RAL: {p_salary} lordi annui, bonus {d_pct}",
            "Retribuzione attuale: {p_salary} lordi all'anno ({title}, {city})",
            "RAL desiderata: {p_salary} lordi",
        ]
    ],
    "private_message": [
        [
            "Ciao {other_first}, sei libero per un caffè la settimana prossima?",
            "Grazie per avermi presentato {other}!",
            "Hai visto la posizione aperta in {company_any}? Ho pensato a te.",
            "Complimenti per il nuovo ruolo! Sentiamoci presto.",
        ]
    ],
    "inmail": [
        [
            "Ciao {first}, sono una recruiter di {company_any}. Cerchiamo {title_any} a {city_any} e la tua esperienza in {skill} mi ha colpito. Ti va una breve chiamata?",
            "Buongiorno {first}, il suo profilo è perfetto per una posizione di {title_any} presso un nostro cliente. Sarebbe interessato?",
        ]
    ],
    "search_query": [
        [
            "{title_any} {city_any}",
            "lavoro {tech_skill} da remoto",
            "{company_any}",
            "{other}",
            "corso {topic}",
        ]
    ],
    "feedback": [
        [
            "{feedback_issue}",
            "👍 Suggerimento utile",
            "👎 Non pertinente",
            "Segnalazione: {feedback_issue}",
        ]
    ],
    "payment_method": [
        [
            "{card_brand} che termina con {last4}, scadenza {exp}",
            "Carta {card_brand} {p_card}, città di fatturazione {city}",
            "Addebito SEPA, IBAN {p_iban}",
            "PayPal ({p_email})",
        ]
    ],
}

SEPARATORS: dict[str, str] = {"article": "\n\n", "resume": "\n"}

PII: dict[str, list[str]] = {
    "email": [
        "Scrivetemi a {p_email} se interessati",
        "Contatti: {p_email}",
        "Mandate il CV a {p_email} e vi rispondo",
    ],
    "phone": [
        "Chiamami al {p_phone} se preferisci",
        "Il mio cellulare: {p_phone}",
        "WhatsApp: {p_phone}",
    ],
    "iban": [
        "Rimborsate sul mio conto {p_iban}, grazie",
        "Coordinate bancarie per la fattura: IBAN {p_iban}",
    ],
    "card": [
        "Mi avete addebitato due volte sulla carta {p_card}, potete controllare?",
        "Carta usata per Premium: {p_card}",
    ],
    "salary": [
        "Attualmente la mia RAL è di {p_salary} lordi",
        "Il budget per il ruolo è {p_salary} annui",
        "Mi hanno offerto {p_salary} di fisso, tratto?",
    ],
    "national_id:it_cf": [
        "Il mio codice fiscale è {p_natid} per il contratto",
        "Codice fiscale: {p_natid}",
    ],
}

DECOYS: list[str] = [
    "Il webinar è il {d_date} alle {d_time}, già {d_count} iscritti.",
    "È uscita la versione {d_version}, con build più veloci del {d_pct}.",
    "L'ordine {d_order} è stato spedito il {d_date}.",
    "I biglietti costano {d_price}, prezzo early bird fino al {d_date}.",
    "Nel {d_year} eravamo solo in {d_num}, oggi siamo {d_count}.",
    "Numero di tracking: {d_badcard}",
    "Il modulo ha rifiutato {d_badiban} come IBAN non valido, giustamente.",
]

DATE_FORMATS: list[str] = ["{d} {month} {Y}", "{dd}/{mm}/{Y}"]
TIME_FORMATS: list[str] = ["{HH}:{MM}", "{H}.{MM}"]
THOUSANDS: list[str] = ["."]
DECIMAL = ","
