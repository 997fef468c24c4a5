"""Español."""

from __future__ import annotations

WORDS: dict[str, list[str]] = {
    "first": [
        "Lucía",
        "Hugo",
        "Martina",
        "Pablo",
        "Sofía",
        "Daniel",
        "María",
        "Alejandro",
        "Paula",
        "Javier",
        "Carmen",
        "Diego",
        "Valentina",
        "Sergio",
        "Laura",
        "Andrés",
        "Camila",
        "José",
    ],
    "last": [
        "García",
        "Rodríguez",
        "González",
        "Fernández",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Martín",
        "Jiménez",
        "Ruiz",
        "Hernández",
        "Díaz",
        "Moreno",
        "Álvarez",
        "Torres",
    ],
    "title": [
        "Ingeniero de software",
        "Científica de datos",
        "Product manager",
        "Responsable de marketing",
        "Directora comercial",
        "Técnica de selección",
        "Analista financiero",
        "Diseñadora UX",
        "Ingeniero DevOps",
        "Consultor SAP",
        "Jefa de proyecto",
        "Responsable de RR. HH.",
        "Desarrollador full stack",
        "Directora de operaciones",
        "Enfermero",
        "Abogada laboralista",
    ],
    "company": [
        "Telefónica",
        "BBVA",
        "Banco Santander",
        "Inditex",
        "Iberdrola",
        "Mercadona",
        "Cabify",
        "Glovo",
        "Indra",
        "Repsol",
        "Mercado Libre",
        "Bimbo",
    ],
    "uni": [
        "Universidad Complutense de Madrid",
        "Universitat de Barcelona",
        "IE Business School",
        "ESADE",
        "Universidad Politécnica de Madrid",
        "Universidad de Sevilla",
        "Universitat Politècnica de València",
        "UNAM",
        "Universidad de Buenos Aires",
    ],
    "hs": [
        "IES Miguel de Cervantes",
        "IES Ramiro de Maeztu",
        "Colegio San José",
        "IES Antonio Machado",
        "Colegio Nuestra Señora del Pilar",
        "IES Lope de Vega",
    ],
    "degree": [
        "Grado en Ingeniería Informática",
        "Máster en Ciencia de Datos",
        "MBA",
        "Grado en ADE",
        "Grado en Derecho",
        "Máster en Recursos Humanos",
        "Grado en Enfermería",
    ],
    "skill": [
        "Gestión de proyectos",
        "Liderazgo de equipos",
        "Negociación",
        "Análisis de datos",
        "Marketing digital",
        "Atención al cliente",
        "Metodologías ágiles",
        "Oratoria",
        "Selección de personal",
        "Estrategia comercial",
    ],
    "topic": [
        "la IA generativa",
        "el teletrabajo",
        "la gobernanza de datos",
        "la marca empleadora",
        "la ciberseguridad",
        "la sostenibilidad",
        "la transformación digital",
        "la experiencia de cliente",
        "la selección de talento",
        "el onboarding",
    ],
    "hashtag": [
        "empleo",
        "IA",
        "liderazgo",
        "talento",
        "innovación",
        "marketing",
        "datos",
        "startups",
        "RRHH",
    ],
    "achievement": [
        "Lideré la migración de nuestra plataforma de datos a la nube.",
        "Formé un equipo de ocho desarrolladores desde cero.",
        "Lanzamos la primera app móvil de la empresa.",
        "Rediseñé el proceso de incorporación de nuevos empleados.",
    ],
    "hobby": [
        "corriendo por el Retiro",
        "jugando al pádel",
        "haciendo senderismo",
        "cocinando para amigos",
    ],
    "event": ["congreso", "meetup", "hackathon", "jornada", "webinar", "mesa redonda"],
    "poll_option": [
        "100 % remoto",
        "Híbrido",
        "Vuelta a la oficina",
        "Semana de 4 días",
        "Horario flexible",
    ],
    "comment_short": [
        "¡Enhorabuena!",
        "¡Muy merecido!",
        "Gracias por compartir.",
        "Totalmente de acuerdo.",
        "¡Qué buena noticia!",
    ],
    "notice": ["quince días", "un mes", "incorporación inmediata", "dos meses"],
    "motivation": [
        "admiro vuestros productos y quiero contribuir a su crecimiento.",
        "el puesto encaja con mi experiencia y comparto la misión.",
        "busco un equipo donde aprender y asumir responsabilidades.",
    ],
    "app_status": [
        "Solicitud enviada",
        "Vista por el reclutador",
        "En revisión",
        "Descartada",
        "Entrevista programada",
    ],
    "vol_role": ["Mentora", "Voluntario", "Formador", "Tesorera"],
    "ngo": ["Cruz Roja", "Cáritas", "Banco de Alimentos", "Fundación Exit", "Ayuda en Acción"],
    "pub_prefix": [
        "Lecciones aprendidas sobre",
        "Guía práctica de",
        "Repensar",
        "Medir el impacto de",
    ],
    "patent_title": [
        "Procedimiento de planificación de procesos de datos distribuidos",
        "Sistema de detección de transacciones fraudulentas",
    ],
    "reco_quality": [
        "es el tipo de compañero que todo equipo necesita",
        "combina rigor analítico con una gran empatía",
        "siempre cumplió los plazos, incluso bajo presión",
    ],
    "group_reply": [
        "Igual por aquí.",
        "¡Gracias por organizarlo!",
        "Me apunto.",
        "Gran iniciativa.",
    ],
    "feedback_issue": [
        "El asistente de redacción con IA me propuso un titular demasiado genérico.",
        "Las alertas de empleo muestran ofertas ya cerradas.",
        "La app se cierra al abrir las notificaciones.",
        "Por favor, añadid modo oscuro a los mensajes.",
    ],
    "month": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "gname_tech": ["Comunidad Data España", "Python Madrid", "Arquitectos Cloud Hispanos"],
    "gname_career": ["Cambio de carrera", "Mujeres líderes", "Búsqueda de empleo: apoyo mutuo"],
    "gname_marketing": ["Growth Marketing España", "Marketing B2B Latam"],
    "gname_alumni": ["Antiguos alumnos del IE", "Alumni ESADE", "Exempleados de Telefónica"],
    "gname_union": ["CCOO Sector TIC", "UGT Banca – afiliados", "Sindicato de Enfermería SATSE"],
    "gname_health": [
        "Diabetes tipo 1: apoyo",
        "Cáncer y trabajo",
        "Salud mental en el trabajo – grupo de apoyo",
    ],
    "gname_religion": ["Cristianos en la empresa", "Profesionales musulmanes de España"],
    "gname_politics": [
        "Jóvenes socialistas profesionales",
        "Liberales digitales",
        "Verdes por el empleo",
    ],
    "gname_lgbtq": ["LGTBI+ en tecnología", "Orgullo en el trabajo", "REDI – miembros"],
    "gline_tech": [
        "¿Alguien ha pasado sus procesos batch a streaming? Me interesan vuestras experiencias.",
        "Comparto las diapositivas de la charla de ayer sobre observabilidad.",
    ],
    "gline_career": [
        "¡Primera oferta tras ocho meses buscando! No os rindáis.",
        "¿Cómo negociáis cuando el reclutador pregunta por vuestro salario actual?",
    ],
    "gline_marketing": [
        "¿A alguien más le han caído las tasas de apertura tras la última actualización?",
        "Caso práctico: cómo duplicamos los leads sin publicidad pagada.",
    ],
    "gline_alumni": [
        "Quedada de antiguos alumnos el mes que viene, ¿quién se apunta?",
        "¿Alguien tiene las fotos de la graduación?",
    ],
    "gline_union": [
        "Recordatorio: asamblea sobre el convenio el próximo jueves.",
        "La empresa se niega a negociar el convenio colectivo, tenemos que hablar.",
    ],
    "gline_health": [
        "Mi bomba de insulina falló en plena reunión, ¿cómo lo gestionáis en el trabajo?",
        "Empiezo la quimio la semana que viene y no sé qué contarle a mi jefa.",
    ],
    "gline_religion": [
        "Busco una sala tranquila para rezar cerca de la oficina.",
        "Nuestro grupo de oración se reúne los miércoles.",
    ],
    "gline_politics": [
        "Este fin de semana hacemos campaña para las municipales, se buscan voluntarios.",
        "¿Quién viene al acto de cierre de campaña?",
    ],
    "gline_lgbtq": [
        "Esta semana salí del armario con mi equipo y fue mejor de lo que temía.",
        "Organización del Orgullo: ¿ideas para la carroza de la empresa?",
    ],
}

TEMPLATES: dict[str, list[list[str]]] = {
    "profile_headline": [
        [
            "{title} en {company}",
            "{title} | {skill} y {skill_2} | {city}",
            "{title} @ {company} · ex-{company_any}",
            "{title} | Abierto a nuevas oportunidades",
        ]
    ],
    "profile_summary": [
        [
            "Soy {title} en {city} con {d_years} años de experiencia en {topic}.",
            "{title} con experiencia en {skill} y {skill_2}.",
            "Apasionado por {topic}, trabajo actualmente como {title} en {company}.",
        ],
        [
            "Me gusta convertir problemas complejos en productos sencillos.",
            "Antes estuve en {company_any}, donde dirigí un equipo de {d_num} personas.",
            "Fuera del trabajo me encontrarás {hobby}.",
            "",
        ],
    ],
    "profile_experience": [
        [
            "{title} — {company}, {city} ({d_year} – actualidad).",
            "{title_any} en {company_any} ({d_year} – {d_year_2}).",
            "{title} · {company} · Jornada completa",
        ],
        ["{achievement}", ""],
    ],
    "profile_education": [["{degree}, {uni} ({d_year} – {d_year_2})", "{uni} — {degree}"]],
    "profile_skills": [
        ["{skill} · {skill_2} · {skill_3} · {skill_4}", "{skill}, {skill_2}, {skill_3}"]
    ],
    "profile_location": [["{city}, {country_name}", "Área metropolitana de {city}"]],
    "profile_certification": [["{cert}, expedida en {month} de {d_year}", "{cert}"]],
    "profile_volunteering": [["{vol_role} en {ngo} desde {d_year}.", "{vol_role} — {ngo}"]],
    "profile_publication": [
        [
            "«{pub_prefix} {topic}», {journal}, {d_year}.",
            "{pub_prefix} {topic} — publicado en {journal}",
        ]
    ],
    "profile_patent": [
        [
            "{patent_title} — patente {d_patent}, concedida en {d_year}.",
            "{patent_title} ({d_patent})",
        ]
    ],
    "profile_endorsement": [
        [
            "{other} ha validado la aptitud {skill} de {first}.",
            "Aptitud {skill} validada por {other}, {title_any} en {company_any}",
        ]
    ],
    "profile_recommendation": [
        [
            "Tuve el placer de trabajar con {first} en {company}. {first} {reco_quality}.",
            "{first} formó parte de mi equipo durante {d_years} años y {reco_quality}. Lo recomiendo sin dudarlo.",
        ]
    ],
    "post": [
        [
            "¡Encantado de anunciar el lanzamiento de {product} en {company}! 🚀",
            "Tras {d_num} meses de trabajo, nuestro equipo ha lanzado {product}.",
            "¡Gran noticia! Empiezo como {title_any} en {company_any}.",
            "Algunas reflexiones sobre {topic} después del {event} de esta semana.",
            "¡Estamos contratando! Buscamos {title_any} en {city_any}.",
        ],
        [
            "Mil gracias a todas las personas que lo han hecho posible.",
            "Lo que aprendí: empezar pequeño, medirlo todo y escuchar a los usuarios.",
            "Si trabajas en {topic}, me encantaría conocer tu experiencia.",
            "",
        ],
        ["#{hashtag} #{hashtag_2}", "#{hashtag}", ""],
    ],
    "article": [
        [
            "Lo que me enseñaron {d_num} años de {topic}",
            "{pub_prefix} {topic}",
            "Por qué {topic} importa más que nunca",
        ],
        [
            "Cuando empecé como {title}, nadie hablaba de {topic}. Hoy está en la agenda de todos los comités de dirección.",
            "La mayoría de los equipos subestiman {topic}. Esto es lo que cambiamos en {company}.",
        ],
        [
            "Primera lección: documentar y compartir pronto.",
            "Lo medimos todo y los números nos sorprendieron.",
            "Lo más difícil no fue la tecnología, sino la cultura.",
        ],
        [
            "Contadme vuestra experiencia en los comentarios.",
            "Gracias a {other} por revisar el borrador.",
            "",
        ],
    ],
    "comment": [
        [
            "¡Enhorabuena {other_first}, muy merecido!",
            "Muy buen apunte sobre {topic}.",
            "Gracias por compartir, {other_first} 👏",
            "¡Interesante! ¿Cómo gestionasteis {topic} en {company_any}?",
            "{comment_short}",
        ]
    ],
    "poll_response": [
        ["He votado: {poll_option}", "{poll_option}", "{poll_option} — {comment_short}"]
    ],
    "group_post": [
        ["¡Hola a todos en {group_name}!", "Pregunta para el grupo:", ""],
        ["{group_line}"],
    ],
    "group_comment": [["{group_reply}", "{group_line}", "{comment_short} {group_reply}"]],
    "group_message": [
        [
            "Hola a todos, {group_line}",
            "Mensaje rápido para {group_name}: {group_line}",
            "{group_reply}",
        ]
    ],
    "ai_prompt": [
        [
            "Reescribe mi titular para que suene más senior: «{title} en {company}»",
            "Escribe una publicación anunciando que me incorporo a {company_any} como {title_any}.",
            "Resume esta oferta de {title_any} en {city_any} en tres puntos.",
            "Redacta un mensaje a {other_first} para pedirle una recomendación.",
            "Ayúdame a preparar una entrevista en {company_any} sobre {topic}.",
            "Mejora mi extracto. Soy {title} y me apasiona {topic}.",
        ]
    ],
    "ai_output": [
        [
            "Aquí tienes un titular más senior: «{title} | Impulso {topic} en {company}»",
            "¡Claro! «Me alegra compartir que me incorporo a {company_any} como {title_any}. Gracias a todos los que me habéis apoyado.»",
            "• Liderar la hoja de ruta de {topic}\n• Colaborar con ingeniería y diseño\n• Reportar a la dirección en {city_any}",
            "Hola {other_first}, ¡espero que estés bien! ¿Te importaría escribirme una breve recomendación?",
            "Preguntas probables: ¿cómo abordaste {topic}? Cuéntame un desacuerdo con un stakeholder.",
            "{title} apasionado por {topic}. Ayudo a los equipos a convertir ideas en productos útiles.",
        ]
    ],
    "resume": [
        ["{name} — {title}"],
        ["{city} · {skill}, {skill_2}, {skill_3}"],
        [
            "Experiencia: {title} en {company} desde {d_year}; antes, {title_any} en {company_any}.",
            "Experiencia: {title_any} en {company_any} ({d_year} – {d_year_2}). {achievement}",
        ],
        ["Formación: {degree}, {uni}.", "Certificaciones: {cert}."],
    ],
    "screening_answer": [
        [
            "P: ¿Cuántos años de experiencia tienes con {tech_skill}? R: {d_years}",
            "P: ¿Tienes permiso para trabajar en {country_name}? R: Sí",
            "P: ¿Cuál es tu plazo de incorporación? R: {notice}",
            "P: ¿Por qué quieres unirte a {company_any}? R: Porque {motivation}",
            "P: ¿Cuál es tu expectativa salarial? R: {p_salary} brutos anuales",
        ]
    ],
    "job_application": [
        [
            "Candidatura a {title_any} en {company_any} ({city_any}) con CV y carta de presentación.",
            "Solicitud: {title_any} en {company_any}. Estado: {app_status}.",
            "Solicitud sencilla: {title_any}, {company_any}. Expectativa salarial: {p_salary} brutos al año",
        ]
    ],
    "salary": [
        [
            "Salario fijo: {p_salary} brutos anuales, variable {d_pct}",
            "Retribución actual: {p_salary} brutos al año ({title}, {city})",
            "Expectativa salarial: {p_salary} al año",
        ]
    ],
    "private_message": [
        [
            "Hola {other_first}, ¿te viene bien un café la semana que viene?",
            "¡Gracias por presentarme a {other}!",
            "¿Has visto la vacante en {company_any}? Me acordé de ti.",
            "¡Enhorabuena por el nuevo puesto! A ver si hablamos pronto.",
        ]
    ],
    "inmail": [
        [
            "Hola {first}, soy reclutadora en {company_any}. Buscamos {title_any} en {city_any} y tu experiencia en {skill} me ha llamado la atención. ¿Te apetece una llamada?",
            "Buenos días {first}, tu perfil encaja con un puesto de {title_any} para uno de nuestros clientes. ¿Te interesaría?",
        ]
    ],
    "search_query": [
        [
            "{title_any} {city_any}",
            "empleo {tech_skill} remoto",
            "{company_any}",
            "{other}",
            "curso {topic}",
        ]
    ],
    "feedback": [
        [
            "{feedback_issue}",
            "👍 Sugerencia útil",
            "👎 No es relevante",
            "Incidencia: {feedback_issue}",
        ]
    ],
    "payment_method": [
        [
            "{card_brand} terminada en {last4}, caduca {exp}",
            "Tarjeta {card_brand} {p_card}, ciudad de facturación {city}",
            "Adeudo SEPA, IBAN {p_iban}",
            "PayPal ({p_email})",
        ]
    ],
}

SEPARATORS: dict[str, str] = {"article": "\n\n", "resume": "\n"}

PII: dict[str, list[str]] = {
    "email": [
        "Escríbeme a {p_email} si te interesa",
        "Contacto: {p_email}",
        "Envía tu CV a {p_email} y te cuento",
    ],
    "phone": [
        "Llámame al {p_phone} si te viene mejor",
        "Mi móvil: {p_phone}",
        "WhatsApp: {p_phone}",
    ],
    "iban": [
        "Por favor, reembolsad a mi cuenta {p_iban}, gracias",
        "Datos bancarios para la factura: IBAN {p_iban}",
    ],
    "card": [
        "Me han cobrado dos veces en la tarjeta {p_card}, ¿podéis revisarlo?",
        "Tarjeta usada para Premium: {p_card}",
    ],
    "salary": [
        "Ahora mismo cobro {p_salary} brutos al año",
        "El presupuesto del puesto es de {p_salary} anuales",
        "Me ofrecen {p_salary} fijos, ¿negocio?",
    ],
    "national_id:es_dni": ["Mi DNI es {p_natid} para el contrato", "DNI: {p_natid}"],
}

DECOYS: list[str] = [
    "El webinar es el {d_date} a las {d_time}, ya hay {d_count} inscritos.",
    "Ya está disponible la versión {d_version}, con compilaciones un {d_pct} más rápidas.",
    "El pedido {d_order} se envió el {d_date}.",
    "Las entradas cuestan {d_price}, precio reducido hasta el {d_date}.",
    "En {d_year} éramos solo {d_num}, hoy somos {d_count}.",
    "Número de seguimiento: {d_badcard}",
    "El formulario rechazó {d_badiban} por ser un IBAN no válido, con razón.",
]

DATE_FORMATS: list[str] = ["{d} de {month} de {Y}", "{dd}/{mm}/{Y}"]
TIME_FORMATS: list[str] = ["{HH}:{MM}", "{H}:{MM} h"]
THOUSANDS: list[str] = ["."]
DECIMAL = ","
