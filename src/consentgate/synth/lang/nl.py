"""Nederlands."""

from __future__ import annotations

WORDS: dict[str, list[str]] = {
    "first": [
        "Daan",
        "Emma",
        "Sem",
        "Julia",
        "Lucas",
        "Mila",
        "Finn",
        "Sophie",
        "Levi",
        "Tess",
        "Bram",
        "Anouk",
        "Thijs",
        "Fleur",
        "Ruben",
        "Lotte",
        "Jeroen",
        "Sanne",
        "Mohamed",
        "Noor",
    ],
    "last": [
        "de Jong",
        "Jansen",
        "de Vries",
        "van den Berg",
        "van Dijk",
        "Bakker",
        "Janssen",
        "Visser",
        "Smit",
        "Meijer",
        "de Boer",
        "Mulder",
        "de Groot",
        "Bos",
        "Vos",
        "Peters",
        "Hendriks",
        "Claes",
        "Peeters",
        "Maes",
    ],
    "title": [
        "Software engineer",
        "Data scientist",
        "Productmanager",
        "Marketingmanager",
        "Salesmanager",
        "Recruiter",
        "Financieel analist",
        "UX-designer",
        "DevOps engineer",
        "SAP-consultant",
        "Projectleider",
        "HR-adviseur",
        "Full-stack developer",
        "Operationeel directeur",
        "Verpleegkundige",
        "Bedrijfsjurist",
    ],
    "company": [
        "ASML",
        "ING",
        "Philips",
        "Rabobank",
        "Adyen",
        "bol.com",
        "Coolblue",
        "Heineken",
        "KPN",
        "Proximus",
        "Picnic",
        "Mollie",
    ],
    "uni": [
        "Universiteit van Amsterdam",
        "TU Delft",
        "Erasmus Universiteit Rotterdam",
        "Universiteit Utrecht",
        "KU Leuven",
        "Universiteit Gent",
        "Rijksuniversiteit Groningen",
        "Tilburg University",
    ],
    "hs": [
        "Stedelijk Gymnasium",
        "Christelijk Lyceum",
        "Montessori Lyceum",
        "Sint-Jozefcollege",
        "Koninklijk Atheneum",
        "Het Baarnsch Lyceum",
    ],
    "degree": [
        "MSc Computer Science",
        "Bachelor Bedrijfskunde",
        "Master Rechten",
        "MBA",
        "Bachelor HBO-ICT",
        "Master Data Science",
    ],
    "skill": [
        "Projectmanagement",
        "Leiderschap",
        "Onderhandelen",
        "Data-analyse",
        "Online marketing",
        "Klantrelaties",
        "Agile werken",
        "Presenteren",
        "Werving en selectie",
    ],
    "topic": [
        "generatieve AI",
        "thuiswerken",
        "datagovernance",
        "employer branding",
        "cybersecurity",
        "duurzaamheid",
        "digitale transformatie",
        "klantbeleving",
        "krapte op de arbeidsmarkt",
        "onboarding",
    ],
    "hashtag": [
        "vacature",
        "AI",
        "leiderschap",
        "innovatie",
        "carrière",
        "marketing",
        "data",
        "startup",
        "HR",
    ],
    "achievement": [
        "Leidde de migratie van ons dataplatform naar de cloud.",
        "Bouwde een team van acht ontwikkelaars op.",
        "Lanceerde de eerste mobiele app van het bedrijf.",
        "Herontwierp het onboardingproces.",
    ],
    "hobby": ["op de racefiets", "aan het zeilen", "op het hockeyveld", "in de keuken"],
    "event": ["congres", "meetup", "hackathon", "heidag", "webinar", "paneldiscussie"],
    "poll_option": [
        "Volledig remote",
        "Hybride",
        "Terug naar kantoor",
        "Vierdaagse werkweek",
        "Flexibele tijden",
    ],
    "comment_short": [
        "Gefeliciteerd!",
        "Welverdiend!",
        "Dank voor het delen.",
        "Helemaal mee eens.",
        "Mooi nieuws!",
    ],
    "notice": ["een maand", "twee maanden", "twee weken", "direct beschikbaar"],
    "motivation": [
        "ik jullie producten bewonder en wil bijdragen aan de groei.",
        "de functie past bij mijn ervaring en de missie me aanspreekt.",
        "ik een team zoek waar ik kan leren en verantwoordelijkheid kan nemen.",
    ],
    "app_status": [
        "Gesolliciteerd",
        "Bekeken door recruiter",
        "In behandeling",
        "Afgewezen",
        "Gesprek gepland",
    ],
    "vol_role": ["Mentor", "Bestuurslid", "Vrijwilliger", "Trainer"],
    "ngo": ["het Rode Kruis", "de Voedselbank", "Stichting Vluchtelingenwerk", "CoderDojo", "KWF"],
    "pub_prefix": [
        "Lessen over",
        "Praktische gids voor",
        "Opnieuw nadenken over",
        "De impact meten van",
    ],
    "patent_title": [
        "Werkwijze voor het plannen van gedistribueerde dataverwerking",
        "Systeem voor het detecteren van frauduleuze transacties",
    ],
    "reco_quality": [
        "is het soort collega dat elk team nodig heeft",
        "combineert scherp analytisch denken met echte empathie",
        "leverde altijd op tijd, ook onder druk",
    ],
    "group_reply": ["Herkenbaar.", "Dank voor het organiseren!", "Ik doe mee.", "Mooi initiatief."],
    "feedback_issue": [
        "De AI-schrijfassistent stelde een veel te algemene kop voor.",
        "Vacaturemeldingen tonen functies die al vervuld zijn.",
        "De app crasht als ik mijn meldingen open.",
        "Graag een donkere modus in berichten.",
    ],
    "month": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "gname_tech": ["Data Engineering Nederland", "Python Amsterdam", "Cloud Architecten Benelux"],
    "gname_career": ["Carrièreswitchers", "Vrouwen in leiderschap", "Werkzoekenden helpen elkaar"],
    "gname_marketing": ["Growth Marketing NL", "B2B Marketing Benelux"],
    "gname_alumni": ["Alumni TU Delft", "Alumni KU Leuven", "Oud-collega's ING"],
    "gname_union": ["FNV ICT – leden", "CNV Zorg kaderleden", "ACV Puls militanten"],
    "gname_health": ["Diabetes type 1 – lotgenoten", "Kanker en werk", "Burn-out: praat erover"],
    "gname_religion": ["Christenen in het bedrijfsleven", "Moslimprofessionals Nederland"],
    "gname_politics": [
        "Jonge Democraten professionals",
        "GroenLinks-PvdA netwerk",
        "VVD ondernemers",
    ],
    "gname_lgbtq": ["LHBTIQ+ in tech", "Pride op de werkvloer", "Workplace Pride – leden"],
    "gline_tech": [
        "Heeft iemand batchjobs naar streaming omgezet? Ben benieuwd naar ervaringen.",
        "Hierbij de slides van de talk van gisteren over observability.",
    ],
    "gline_career": [
        "Na acht maanden zoeken eindelijk een aanbod, geef niet op!",
        "Hoe onderhandel je als de recruiter naar je huidige salaris vraagt?",
    ],
    "gline_marketing": [
        "Zijn bij jullie de open rates ook gedaald na de laatste update?",
        "Case: hoe we het aantal inbound leads verdubbelden zonder ads.",
    ],
    "gline_alumni": [
        "Alumniborrel volgende maand, wie komt er?",
        "Heeft iemand nog de foto's van de diploma-uitreiking?",
    ],
    "gline_union": [
        "Herinnering: ledenvergadering over de cao donderdag.",
        "De directie weigert te onderhandelen over een cao, we moeten praten.",
    ],
    "gline_health": [
        "Mijn insulinepomp viel uit tijdens een klantgesprek, hoe gaan jullie daarmee om op het werk?",
        "Volgende week start mijn chemo en ik weet niet wat ik mijn leidinggevende moet vertellen.",
    ],
    "gline_religion": [
        "Ik zoek een rustige gebedsruimte bij kantoor.",
        "Onze bijbelkring komt woensdagavond samen.",
    ],
    "gline_politics": [
        "Dit weekend flyeren voor de gemeenteraadsverkiezingen, vrijwilligers welkom.",
        "Wie komt er naar de campagneavond?",
    ],
    "gline_lgbtq": [
        "Ik ben deze week uit de kast gekomen bij mijn team en het ging goed.",
        "Planning voor Pride: ideeën voor onze boot?",
    ],
}

TEMPLATES: dict[str, list[list[str]]] = {
    "profile_headline": [
        [
            "{title} bij {company}",
            "{title} | {skill} & {skill_2} | {city}",
            "{title} @ {company} · ex-{company_any}",
            "{title} | Open voor nieuwe kansen",
        ]
    ],
    "profile_summary": [
        [
            "Ik ben {title} in {city} met {d_years} jaar ervaring in {topic}.",
            "{title} met een achtergrond in {skill} en {skill_2}.",
            "Gepassioneerd door {topic}, momenteel {title} bij {company}.",
        ],
        [
            "Ik maak van complexe problemen eenvoudige producten.",
            "Eerder bij {company_any}, waar ik een team van {d_num} mensen leidde.",
            "Buiten het werk vind je me {hobby}.",
            "",
        ],
    ],
    "profile_experience": [
        [
            "{title} — {company}, {city} ({d_year} – heden).",
            "{title_any} bij {company_any} ({d_year} – {d_year_2}).",
            "{title} · {company} · Fulltime",
        ],
        ["{achievement}", ""],
    ],
    "profile_education": [["{degree}, {uni} ({d_year} – {d_year_2})", "{uni} — {degree}"]],
    "profile_skills": [
        ["{skill} · {skill_2} · {skill_3} · {skill_4}", "{skill}, {skill_2}, {skill_3}"]
    ],
    "profile_location": [["{city}, {country_name}", "Regio {city}"]],
    "profile_certification": [["{cert}, uitgegeven in {month} {d_year}", "{cert}"]],
    "profile_volunteering": [["{vol_role} bij {ngo} sinds {d_year}.", "{vol_role} — {ngo}"]],
    "profile_publication": [
        [
            "‘{pub_prefix} {topic}’, {journal}, {d_year}.",
            "{pub_prefix} {topic} — gepubliceerd in {journal}",
        ]
    ],
    "profile_patent": [
        [
            "{patent_title} — octrooi {d_patent}, verleend in {d_year}.",
            "{patent_title} ({d_patent})",
        ]
    ],
    "profile_endorsement": [
        [
            "{other} heeft {first} onderschreven voor {skill}.",
            "Vaardigheid {skill} onderschreven door {other}, {title_any} bij {company_any}",
        ]
    ],
    "profile_recommendation": [
        [
            "Ik heb met veel plezier met {first} samengewerkt bij {company}. {first} {reco_quality}.",
            "{first} zat {d_years} jaar in mijn team en {reco_quality}. Van harte aanbevolen.",
        ]
    ],
    "post": [
        [
            "Trots om te vertellen dat we {product} hebben gelanceerd bij {company}! 🚀",
            "Na {d_num} maanden hard werken heeft ons team {product} opgeleverd.",
            "Groot nieuws: ik begin als {title_any} bij {company_any}!",
            "Een paar gedachten over {topic} na het {event} van deze week.",
            "We zoeken versterking! Vacature: {title_any} in {city_any}.",
        ],
        [
            "Dank aan iedereen die dit mogelijk maakte.",
            "Wat ik leerde: klein beginnen, alles meten en naar gebruikers luisteren.",
            "Werk jij ook aan {topic}? Laten we kennis delen.",
            "",
        ],
        ["#{hashtag} #{hashtag_2}", "#{hashtag}", ""],
    ],
    "article": [
        [
            "Wat {d_num} jaar {topic} me leerde",
            "{pub_prefix} {topic}",
            "Waarom {topic} belangrijker is dan ooit",
        ],
        [
            "Toen ik begon als {title}, had niemand het over {topic}. Nu staat het op elke bestuursagenda.",
            "De meeste teams onderschatten {topic}. Dit hebben we bij {company} veranderd.",
        ],
        [
            "Eerste les: vroeg documenteren en delen.",
            "We hebben alles gemeten en de cijfers verrasten ons.",
            "Het moeilijkste was niet de techniek maar de cultuur.",
        ],
        ["Deel je ervaring in de reacties.", "Dank aan {other} voor het meelezen.", ""],
    ],
    "comment": [
        [
            "Gefeliciteerd {other_first}, welverdiend!",
            "Goed punt over {topic}.",
            "Dank voor het delen, {other_first} 👏",
            "Interessant! Hoe hebben jullie {topic} aangepakt bij {company_any}?",
            "{comment_short}",
        ]
    ],
    "poll_response": [
        ["Gestemd: {poll_option}", "{poll_option}", "{poll_option} — {comment_short}"]
    ],
    "group_post": [
        ["Hallo allemaal in {group_name}!", "Vraag aan de groep:", ""],
        ["{group_line}"],
    ],
    "group_comment": [["{group_reply}", "{group_line}", "{comment_short} {group_reply}"]],
    "group_message": [
        [
            "Hoi allemaal, {group_line}",
            "Kort bericht aan {group_name}: {group_line}",
            "{group_reply}",
        ]
    ],
    "ai_prompt": [
        [
            "Herschrijf mijn kop zodat hij seniorder klinkt: ‘{title} bij {company}’",
            "Schrijf een bericht waarin ik aankondig dat ik bij {company_any} begin als {title_any}.",
            "Vat deze vacature voor {title_any} in {city_any} samen in drie punten.",
            "Schrijf een bericht aan {other_first} om een aanbeveling te vragen.",
            "Help me een sollicitatiegesprek bij {company_any} over {topic} voor te bereiden.",
            "Verbeter mijn Info-sectie. Ik ben {title} en gek op {topic}.",
        ]
    ],
    "ai_output": [
        [
            "Hier is een seniordere kop: ‘{title} | Ik stuur {topic} aan bij {company}’",
            "Zeker! ‘Met trots deel ik dat ik bij {company_any} begin als {title_any}. Dank aan iedereen die me steunde.’",
            "• Verantwoordelijk voor de roadmap rond {topic}\n• Samenwerken met engineering en design\n• Rapporteert aan de directie in {city_any}",
            "Hoi {other_first}, hoe gaat het? Zou je een korte aanbeveling over onze samenwerking willen schrijven?",
            "Waarschijnlijke vragen: hoe pakte je {topic} aan? Vertel over een meningsverschil met een stakeholder.",
            "{title} met passie voor {topic}. Ik help teams ideeën om te zetten in bruikbare producten.",
        ]
    ],
    "resume": [
        ["{name} — {title}"],
        ["{city} · {skill}, {skill_2}, {skill_3}"],
        [
            "Werkervaring: {title} bij {company} sinds {d_year}; daarvoor {title_any} bij {company_any}.",
            "Werkervaring: {title_any} bij {company_any} ({d_year} – {d_year_2}). {achievement}",
        ],
        ["Opleiding: {degree}, {uni}.", "Certificaten: {cert}."],
    ],
    "screening_answer": [
        [
            "V: Hoeveel jaar ervaring heb je met {tech_skill}? A: {d_years}",
            "V: Mag je werken in {country_name}? A: Ja",
            "V: Wat is je opzegtermijn? A: {notice}",
            "V: Waarom wil je bij {company_any} werken? A: Omdat {motivation}",
            "V: Wat zijn je salariswensen? A: {p_salary} bruto per jaar",
        ]
    ],
    "job_application": [
        [
            "Sollicitatie als {title_any} bij {company_any} ({city_any}) met cv en motivatiebrief.",
            "Gesolliciteerd: {title_any} bij {company_any}. Status: {app_status}.",
            "Eenvoudig solliciteren: {title_any}, {company_any}. Salariswens: {p_salary} bruto per jaar",
        ]
    ],
    "salary": [
        [
            "Salaris: {p_salary} bruto per jaar, bonus {d_pct}",
            "Huidig jaarsalaris: {p_salary} bruto ({title}, {city})",
            "Salariswens: {p_salary} per jaar",
        ]
    ],
    "private_message": [
        [
            "Hoi {other_first}, heb je volgende week tijd voor een koffie?",
            "Dank voor de introductie bij {other}!",
            "Heb je de vacature bij {company_any} gezien? Ik dacht meteen aan jou.",
            "Gefeliciteerd met je nieuwe baan! Snel bijpraten?",
        ]
    ],
    "inmail": [
        [
            "Hoi {first}, ik ben recruiter bij {company_any}. We zoeken een {title_any} in {city_any} en je ervaring met {skill} viel me op. Zin in een kort belletje?",
            "Beste {first}, je profiel past uitstekend bij een functie als {title_any} bij een van onze klanten. Heb je interesse?",
        ]
    ],
    "search_query": [
        [
            "{title_any} {city_any}",
            "{tech_skill} vacatures remote",
            "{company_any}",
            "{other}",
            "cursus {topic}",
        ]
    ],
    "feedback": [
        [
            "{feedback_issue}",
            "👍 Nuttige suggestie",
            "👎 Niet relevant",
            "Probleem: {feedback_issue}",
        ]
    ],
    "payment_method": [
        [
            "{card_brand} eindigend op {last4}, geldig tot {exp}",
            "{card_brand} {p_card}, factuurplaats {city}",
            "SEPA-incasso, IBAN {p_iban}",
            "PayPal ({p_email})",
        ]
    ],
}

SEPARATORS: dict[str, str] = {"article": "\n\n", "resume": "\n"}

PII: dict[str, list[str]] = {
    "email": [
        "Mail me gerust op {p_email} bij interesse",
        "Contact: {p_email}",
        "Stuur je cv naar {p_email} en ik reageer snel",
    ],
    "phone": [
        "Bel me gerust op {p_phone} als dat makkelijker is",
        "Mijn nummer: {p_phone}",
        "WhatsApp: {p_phone}",
    ],
    "iban": [
        "Graag terugstorten op mijn rekening {p_iban}, alvast bedankt",
        "Bankgegevens voor de factuur: IBAN {p_iban}",
    ],
    "card": [
        "Mijn kaart {p_card} is twee keer belast, kunnen jullie dat nakijken?",
        "Kaart gebruikt voor Premium: {p_card}",
    ],
    "salary": [
        "Ik verdien nu {p_salary} bruto per jaar",
        "Het budget voor de functie is {p_salary} per jaar",
        "Ze bieden {p_salary} vast, moet ik onderhandelen?",
    ],
    "national_id:nl_bsn": ["Mijn BSN is {p_natid} voor de salarisadministratie", "BSN: {p_natid}"],
}

DECOYS: list[str] = [
    "Het webinar is op {d_date} om {d_time}, al {d_count} aanmeldingen.",
    "Versie {d_version} is uit, met {d_pct} snellere builds.",
    "Bestelling {d_order} is verzonden op {d_date}.",
    "Tickets kosten {d_price}, early bird tot {d_date}.",
    "In {d_year} waren we met {d_num}, nu met {d_count}.",
    "Trackingnummer: {d_badcard}",
    "Het formulier weigerde {d_badiban} als ongeldige IBAN, terecht.",
]

DATE_FORMATS: list[str] = ["{d} {month} {Y}", "{dd}-{mm}-{Y}"]
TIME_FORMATS: list[str] = ["{HH}:{MM}", "{HH}.{MM} uur"]
THOUSANDS: list[str] = ["."]
DECIMAL = ","
