"""Français."""

from __future__ import annotations

WORDS: dict[str, list[str]] = {
    "first": [
        "Camille",
        "Lucas",
        "Léa",
        "Hugo",
        "Manon",
        "Louis",
        "Chloé",
        "Gabriel",
        "Inès",
        "Thomas",
        "Élodie",
        "Nicolas",
        "Julie",
        "Mathieu",
        "Sarah",
        "Antoine",
        "Océane",
        "Karim",
        "Amélie",
        "François",
        "Yasmine",
        "Céline",
    ],
    "last": [
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Simon",
        "Laurent",
        "Lefèvre",
        "Michel",
        "Garcia",
        "Fournier",
        "Girard",
        "Bonnet",
        "Dupont",
        "Lambert",
        "Benali",
        "Rousseau",
    ],
    "title": [
        "Ingénieur logiciel",
        "Data scientist",
        "Chef de produit",
        "Responsable marketing",
        "Directrice commerciale",
        "Chargée de recrutement",
        "Contrôleur de gestion",
        "Designer UX",
        "Ingénieure DevOps",
        "Consultant SAP",
        "Cheffe de projet digital",
        "Responsable RH",
        "Analyste financier",
        "Développeur full-stack",
        "Directeur des opérations",
        "Infirmière coordinatrice",
        "Acheteur industriel",
        "Juriste en droit social",
    ],
    "company": [
        "Société Générale",
        "Orange",
        "BNP Paribas",
        "Decathlon",
        "L'Oréal",
        "Capgemini",
        "Doctolib",
        "BlaBlaCar",
        "Sopra Steria",
        "Michelin",
        "Back Market",
        "Alan",
    ],
    "uni": [
        "Université Paris-Saclay",
        "HEC Paris",
        "Sciences Po",
        "INSA Lyon",
        "Université de Bordeaux",
        "ESSEC",
        "Télécom Paris",
        "Université de Strasbourg",
        "KEDGE Business School",
        "Université Libre de Bruxelles",
        "Université de Montréal",
        "EPFL",
    ],
    "hs": [
        "Lycée Victor-Hugo",
        "Lycée Jean-Moulin",
        "Lycée Louis-le-Grand",
        "Lycée Marie-Curie",
        "Lycée Jules-Ferry",
        "Lycée Saint-Exupéry",
        "Collège-lycée Sainte-Marie",
    ],
    "degree": [
        "Master en informatique",
        "Diplôme d'ingénieur",
        "Master Grande École",
        "Licence d'économie",
        "MBA",
        "Master RH",
        "BTS Commerce international",
        "DUT Informatique",
    ],
    "skill": [
        "Gestion de projet",
        "Management d'équipe",
        "Prise de parole en public",
        "Négociation",
        "Analyse de données",
        "Marketing digital",
        "Relation client",
        "Méthodes agiles",
        "Recrutement",
        "Stratégie commerciale",
        "Conduite du changement",
    ],
    "topic": [
        "l'IA générative",
        "le télétravail",
        "la gouvernance des données",
        "la marque employeur",
        "la cybersécurité",
        "la RSE",
        "la transformation digitale",
        "l'expérience client",
        "le recrutement",
        "la sobriété numérique",
        "l'onboarding",
        "la data",
    ],
    "hashtag": [
        "recrutement",
        "IA",
        "innovation",
        "emploi",
        "management",
        "data",
        "RSE",
        "transformationdigitale",
        "startup",
        "carrière",
    ],
    "achievement": [
        "Pilotage de la migration de notre plateforme vers le cloud.",
        "Création d'une équipe de huit développeurs.",
        "Lancement de la première application mobile de l'entreprise.",
        "Refonte du parcours d'intégration des nouveaux arrivants.",
        "Gestion d'un portefeuille de grands comptes.",
    ],
    "hobby": [
        "en train de courir au bord de la Loire",
        "au club d'échecs",
        "derrière les fourneaux",
        "en randonnée dans les Alpes",
    ],
    "event": ["salon", "meetup", "hackathon", "séminaire", "webinaire", "table ronde"],
    "poll_option": [
        "100 % télétravail",
        "Hybride",
        "Retour au bureau",
        "Semaine de 4 jours",
        "Horaires flexibles",
    ],
    "comment_short": [
        "Félicitations !",
        "Bravo, c'est mérité !",
        "Merci pour le partage.",
        "Tout à fait d'accord.",
        "Super nouvelle !",
        "Très intéressant, merci.",
    ],
    "notice": ["un mois", "trois mois", "deux semaines", "disponible immédiatement"],
    "motivation": [
        "j'admire vos produits et je veux contribuer à leur croissance.",
        "le poste correspond à mon expérience et la mission me parle.",
        "je cherche une équipe où apprendre et prendre des responsabilités.",
    ],
    "app_status": [
        "Candidature envoyée",
        "Vue par le recruteur",
        "En cours d'examen",
        "Non retenue",
        "Entretien prévu",
    ],
    "vol_role": ["Mentor", "Trésorier", "Bénévole", "Formatrice"],
    "ngo": ["les Restos du Cœur", "la Croix-Rouge française", "Emmaüs", "Article 1", "Simplon"],
    "pub_prefix": [
        "Retour d'expérience sur",
        "Guide pratique de",
        "Repenser",
        "Mesurer l'impact de",
    ],
    "patent_title": [
        "Procédé de planification de traitements de données distribués",
        "Système de détection de transactions frauduleuses",
        "Dispositif de surveillance de l'état d'une batterie",
    ],
    "reco_quality": [
        "est le genre de collègue dont chaque équipe a besoin",
        "allie rigueur analytique et vraie bienveillance",
        "a toujours tenu ses engagements, même sous pression",
        "tire tout le monde vers le haut",
    ],
    "group_reply": [
        "Pareil pour moi.",
        "Merci pour l'organisation !",
        "Je suis partant.",
        "Belle initiative.",
        "Je peux aider si besoin.",
    ],
    "feedback_issue": [
        "L'assistant de rédaction IA m'a proposé un titre beaucoup trop générique.",
        "Les alertes emploi affichent des offres déjà pourvues.",
        "L'application plante quand j'ouvre mes notifications.",
        "Merci d'ajouter un mode sombre dans la messagerie.",
        "La reformulation proposée a changé le sens de mon post.",
    ],
    "month": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "gname_tech": [
        "Communauté Data France",
        "Développeurs Python Paris",
        "Club des architectes cloud",
    ],
    "gname_career": [
        "Reconversion professionnelle",
        "Femmes et leadership",
        "Entraide chercheurs d'emploi",
    ],
    "gname_marketing": ["Growth Hacking France", "Marketing B2B Club", "Les pros du contenu"],
    "gname_alumni": ["Alumni INSA", "Anciens de l'ESSEC", "Réseau des anciens d'Orange"],
    "gname_union": [
        "CFDT Cadres",
        "CGT Informatique",
        "Syndicat Sud Santé – adhérents",
        "FO Banques et Assurances",
    ],
    "gname_health": [
        "Diabète de type 1 – entraide",
        "Vivre avec une sclérose en plaques",
        "Burn-out : en parler",
        "Patients Covid long",
    ],
    "gname_religion": [
        "Chrétiens en entreprise",
        "Entrepreneurs musulmans de France",
        "Cercle des cadres juifs",
    ],
    "gname_politics": [
        "Jeunes Écologistes pro",
        "Républicains du numérique",
        "Militants socialistes d'Île-de-France",
    ],
    "gname_lgbtq": ["LGBT+ dans la tech", "L'Autre Cercle – membres", "Fiertés au travail"],
    "gline_tech": [
        "Quelqu'un a déjà migré ses batchs vers du streaming ? Je suis curieux des retours.",
        "Je partage les slides du meetup d'hier sur l'observabilité.",
        "Quel orchestrateur utilisez-vous en ce moment ?",
    ],
    "gline_career": [
        "Première offre reçue après huit mois de recherche, ne lâchez rien !",
        "Comment négocier quand le recruteur demande votre package actuel ?",
        "Je cherche un mentor en gestion de produit, des idées ?",
    ],
    "gline_marketing": [
        "Nos taux d'ouverture ont chuté depuis la dernière mise à jour, vous aussi ?",
        "Quel framework utilisez-vous pour positionner un nouveau produit ?",
        "Retour d'expérience : comment nous avons doublé nos leads entrants.",
    ],
    "gline_alumni": [
        "Afterwork des anciens le mois prochain, qui vient ?",
        "Ravi de vous avoir vus si nombreux à la soirée de promo.",
        "Quelqu'un a encore les photos de la remise des diplômes ?",
    ],
    "gline_union": [
        "Rappel : assemblée de section sur les NAO jeudi prochain.",
        "La direction refuse d'ouvrir les négociations, il faut qu'on en parle.",
        "Pensez à voter pour le préavis de grève avant vendredi.",
    ],
    "gline_health": [
        "Ma pompe à insuline a lâché en pleine réunion client, comment gérez-vous ça au travail ?",
        "Je commence la chimio la semaine prochaine et je ne sais pas quoi dire à mon manager.",
        "La thérapie m'a beaucoup aidé après mon burn-out, je peux partager mon expérience.",
    ],
    "gline_religion": [
        "Je cherche un lieu calme pour prier près du bureau à La Défense.",
        "Notre groupe de lecture de la Bible se retrouve le mercredi soir.",
        "Des conseils pour le jeûne du ramadan avec un agenda chargé ?",
    ],
    "gline_politics": [
        "Tractage ce week-end pour les municipales, les bénévoles sont les bienvenus.",
        "La motion sur le logement a été adoptée au congrès, bravo à tous.",
        "Qui vient à la soirée de soutien de la campagne ?",
    ],
    "gline_lgbtq": [
        "J'ai fait mon coming out à mon équipe cette semaine, et ça s'est bien passé.",
        "Fil d'organisation pour la Marche des fiertés : des idées pour notre char ?",
        "Je cherche des employeurs LGBT-friendly dans la finance.",
    ],
}

TEMPLATES: dict[str, list[list[str]]] = {
    "profile_headline": [
        [
            "{title} chez {company}",
            "{title} | {skill} & {skill_2} | {city}",
            "{title} @ {company} · ex-{company_any}",
            "J'aide les équipes à réussir {topic} | {title}",
            "{title} | À l'écoute de nouvelles opportunités",
        ]
    ],
    "profile_summary": [
        [
            "{title} basé à {city}, j'ai {d_years} ans d'expérience dans {topic}.",
            "{title} avec une solide expérience en {skill} et {skill_2}.",
            "Passionné par {topic}, je suis actuellement {title} chez {company}.",
        ],
        [
            "J'aime transformer des problèmes complexes en produits simples.",
            "Auparavant chez {company_any}, où j'ai encadré une équipe de {d_num} personnes.",
            "En dehors du travail, vous me trouverez {hobby}.",
            "",
        ],
    ],
    "profile_experience": [
        [
            "{title} — {company}, {city} ({d_year} – aujourd'hui).",
            "{title_any} chez {company_any} ({d_year} – {d_year_2}).",
            "{title} · {company} · CDI",
        ],
        ["{achievement}", "{achievement}", ""],
    ],
    "profile_education": [
        ["{degree}, {uni} ({d_year} – {d_year_2})", "{uni} — {degree}", "{degree} · {uni}"]
    ],
    "profile_skills": [
        ["{skill} · {skill_2} · {skill_3} · {skill_4}", "{skill}, {skill_2}, {skill_3}"]
    ],
    "profile_location": [["{city}, {country_name}", "{city} et périphérie"]],
    "profile_certification": [["{cert}, délivrée en {month} {d_year}", "{cert}"]],
    "profile_volunteering": [["{vol_role} chez {ngo} depuis {d_year}.", "{vol_role} — {ngo}"]],
    "profile_publication": [
        [
            "« {pub_prefix} {topic} », {journal}, {d_year}.",
            "{pub_prefix} {topic} — publié dans {journal}",
        ]
    ],
    "profile_patent": [
        ["{patent_title} — brevet {d_patent}, délivré en {d_year}.", "{patent_title} ({d_patent})"]
    ],
    "profile_endorsement": [
        [
            "{other} a recommandé {first} pour la compétence {skill}.",
            "Compétence {skill} validée par {other}, {title_any} chez {company_any}",
        ]
    ],
    "profile_recommendation": [
        [
            "J'ai eu le plaisir de travailler avec {first} chez {company}. {first} {reco_quality}.",
            "{first} a travaillé dans mon équipe pendant {d_years} ans et {reco_quality}. Je le recommande sans hésiter.",
        ]
    ],
    "post": [
        [
            "Ravi d'annoncer le lancement de {product} chez {company} ! 🚀",
            "Après {d_num} mois de travail, notre équipe a livré {product}.",
            "Grande nouvelle : je rejoins {company_any} en tant que {title_any} !",
            "Quelques réflexions sur {topic} après le {event} de cette semaine.",
            "On recrute ! Nous cherchons un(e) {title_any} à {city_any}.",
            "Je réfléchis beaucoup à {topic} en ce moment.",
        ],
        [
            "Un immense merci à toutes celles et ceux qui ont rendu ça possible.",
            "Ce que j'en retiens : commencer petit, tout mesurer et écouter les utilisateurs.",
            "Si vous travaillez sur {topic}, je serais ravi d'échanger.",
            "Écrivez-moi en MP pour en savoir plus.",
            "",
        ],
        ["#{hashtag} #{hashtag_2}", "#{hashtag}", ""],
    ],
    "article": [
        [
            "Ce que {d_num} ans de {topic} m'ont appris",
            "{pub_prefix} {topic}",
            "Pourquoi {topic} compte plus que jamais",
        ],
        [
            "Quand j'ai débuté comme {title}, personne ne parlait de {topic}. Aujourd'hui, le sujet est à l'ordre du jour de tous les comités de direction.",
            "La plupart des équipes sous-estiment {topic}. Voici ce que nous avons changé chez {company}.",
        ],
        [
            "Première leçon : documenter et partager tôt.",
            "Nous avons tout mesuré, et les chiffres nous ont surpris.",
            "Le plus difficile n'était pas la technique, mais la culture.",
        ],
        ["Partagez votre expérience en commentaire.", "Merci à {other} pour sa relecture.", ""],
    ],
    "comment": [
        [
            "Félicitations {other_first}, c'est mérité !",
            "Très juste sur {topic}, je partage ton avis.",
            "Merci pour le partage {other_first} 👏",
            "Intéressant ! Comment avez-vous géré {topic} chez {company_any} ?",
            "{comment_short}",
        ]
    ],
    "poll_response": [
        ["A voté : {poll_option}", "{poll_option}", "{poll_option} — {comment_short}"]
    ],
    "group_post": [
        [
            "Bonjour à tous les membres de {group_name} !",
            "Question au groupe :",
            "",
            "Bonjour à tous,",
        ],
        ["{group_line}"],
    ],
    "group_comment": [["{group_reply}", "{group_line}", "{comment_short} {group_reply}"]],
    "group_message": [
        [
            "Bonjour à tous, {group_line}",
            "Petit message à {group_name} : {group_line}",
            "{group_reply}",
        ]
    ],
    "ai_prompt": [
        [
            "Réécris mon titre pour qu'il fasse plus senior : « {title} chez {company} »",
            "Rédige un post pour annoncer que je rejoins {company_any} en tant que {title_any}.",
            "Résume cette offre de {title_any} à {city_any} en trois points.",
            "Écris un message à {other_first} pour lui demander une recommandation.",
            "Aide-moi à préparer un entretien chez {company_any} sur {topic}.",
            "Améliore ma section Infos. Je suis {title} et passionné par {topic}.",
        ]
    ],
    "ai_output": [
        [
            "Voici un titre plus senior : « {title} | Je pilote {topic} chez {company} »",
            "Bien sûr ! « Je suis ravi de vous annoncer que je rejoins {company_any} en tant que {title_any}. Merci à toutes les personnes qui m'ont soutenu. »",
            "• Porter la feuille de route sur {topic}\n• Travailler avec les équipes tech et design\n• Rattachement au directeur basé à {city_any}",
            "Bonjour {other_first}, j'espère que tu vas bien ! Accepterais-tu d'écrire une courte recommandation sur notre collaboration ?",
            "Questions probables : comment avez-vous abordé {topic} ? Racontez un désaccord avec une partie prenante.",
            "{title} passionné par {topic}, j'aide les équipes à transformer des idées en produits utiles.",
        ]
    ],
    "resume": [
        ["{name} — {title}"],
        ["{city} · {skill}, {skill_2}, {skill_3}"],
        [
            "Expérience : {title} chez {company} depuis {d_year} ; auparavant {title_any} chez {company_any}.",
            "Expérience : {title_any} chez {company_any} ({d_year} – {d_year_2}). {achievement}",
        ],
        ["Formation : {degree}, {uni}.", "Certifications : {cert}."],
    ],
    "screening_answer": [
        [
            "Q : Combien d'années d'expérience avez-vous avec {tech_skill} ? R : {d_years}",
            "Q : Êtes-vous autorisé(e) à travailler en {country_name} ? R : Oui",
            "Q : Quel est votre préavis ? R : {notice}",
            "Q : Pourquoi souhaitez-vous rejoindre {company_any} ? R : Parce que {motivation}",
            "Q : Quelles sont vos prétentions salariales ? R : {p_salary} brut annuel",
        ]
    ],
    "job_application": [
        [
            "Candidature au poste de {title_any} chez {company_any} ({city_any}), CV et lettre de motivation joints.",
            "Candidature {title_any} – {company_any}. Statut : {app_status}.",
            "Candidature simplifiée : {title_any}, {company_any}. Prétentions : {p_salary} brut annuel",
        ]
    ],
    "salary": [
        [
            "Salaire fixe : {p_salary} brut annuel, variable {d_pct}",
            "Rémunération actuelle : {p_salary} brut par an ({title}, {city})",
            "Prétentions salariales : {p_salary} brut annuel",
        ]
    ],
    "private_message": [
        [
            "Salut {other_first}, tu es dispo pour un café la semaine prochaine ?",
            "Merci pour la mise en relation avec {other} !",
            "Tu as vu le poste ouvert chez {company_any} ? J'ai pensé à toi.",
            "Félicitations pour ton nouveau poste ! On se fait un déjeuner ?",
        ]
    ],
    "inmail": [
        [
            "Bonjour {first}, je suis recruteuse chez {company_any}. Nous recrutons un(e) {title_any} à {city_any} et votre expérience en {skill} a retenu mon attention. Seriez-vous ouvert(e) à un échange ?",
            "Bonjour {first}, votre profil correspond à une mission de {title_any} pour l'un de nos clients. Seriez-vous intéressé(e) ?",
        ]
    ],
    "search_query": [
        [
            "{title_any} {city_any}",
            "offre {tech_skill} télétravail",
            "{company_any}",
            "{other}",
            "formation {topic}",
        ]
    ],
    "feedback": [
        [
            "{feedback_issue}",
            "👍 Suggestion utile",
            "👎 Pas pertinent",
            "Signalement : {feedback_issue}",
        ]
    ],
    "payment_method": [
        [
            "{card_brand} se terminant par {last4}, expire fin {exp}",
            "Carte {card_brand} {p_card}, ville de facturation {city}",
            "Prélèvement SEPA, IBAN {p_iban}",
            "PayPal ({p_email})",
        ]
    ],
}

SEPARATORS: dict[str, str] = {"article": "\n\n", "resume": "\n"}

PII: dict[str, list[str]] = {
    "email": [
        "Écrivez-moi à {p_email} si vous êtes intéressé",
        "Contact : {p_email}",
        "Envoyez votre CV à {p_email} !",
    ],
    "phone": [
        "Appelez-moi au {p_phone} si besoin",
        "Mon portable : {p_phone}",
        "Joignable au {p_phone} en journée",
    ],
    "iban": [
        "Merci de rembourser sur mon compte {p_iban}, merci d'avance",
        "Mon RIB pour la facture : IBAN {p_iban}",
    ],
    "card": [
        "J'ai été débité deux fois sur ma carte {p_card}, pouvez-vous vérifier ?",
        "Carte utilisée pour l'abonnement Premium : {p_card}",
    ],
    "salary": [
        "Je suis actuellement à {p_salary} brut annuel",
        "Le budget pour le poste est de {p_salary} par an",
        "On m'a proposé {p_salary} fixe, je négocie ?",
    ],
    "national_id:fr_nir": [
        "Mon numéro de sécurité sociale : {p_natid} pour le dossier",
        "N° de sécu {p_natid}, à transmettre aux RH",
    ],
}

DECOYS: list[str] = [
    "Le webinaire a lieu le {d_date} à {d_time}, déjà {d_count} inscrits.",
    "La version {d_version} est sortie, avec des builds {d_pct} plus rapides.",
    "Commande {d_order} expédiée le {d_date}.",
    "Les billets coûtent {d_price}, tarif early bird jusqu'au {d_date}.",
    "En {d_year} nous n'étions que {d_num}, nous sommes aujourd'hui {d_count}.",
    "Numéro de suivi : {d_badcard}",
    "Le formulaire a refusé {d_badiban}, un IBAN invalide, à raison.",
    "Ouverture des portes à {d_time}, conférence le {d_date}.",
]

DATE_FORMATS: list[str] = ["{d} {month} {Y}", "{dd}/{mm}/{Y}"]
TIME_FORMATS: list[str] = ["{H}h{MM}", "{HH}:{MM}"]
THOUSANDS: list[str] = [" ", "\u202f", "\u00a0"]
DECIMAL = ","
