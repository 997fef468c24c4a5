"""Português."""

from __future__ import annotations

WORDS: dict[str, list[str]] = {
    "first": [
        "João",
        "Maria",
        "Pedro",
        "Ana",
        "Lucas",
        "Beatriz",
        "Gabriel",
        "Mariana",
        "Rafael",
        "Inês",
        "Tiago",
        "Juliana",
        "Miguel",
        "Fernanda",
        "Gustavo",
        "Carolina",
        "Rodrigo",
        "Larissa",
    ],
    "last": [
        "Silva",
        "Santos",
        "Ferreira",
        "Pereira",
        "Oliveira",
        "Costa",
        "Rodrigues",
        "Martins",
        "Sousa",
        "Almeida",
        "Lima",
        "Carvalho",
        "Gomes",
        "Ribeiro",
        "Araújo",
        "Barbosa",
    ],
    "title": [
        "Engenheiro de software",
        "Cientista de dados",
        "Gerente de produto",
        "Gerente de marketing",
        "Diretora comercial",
        "Analista de recrutamento",
        "Analista financeiro",
        "Designer UX",
        "Engenheiro DevOps",
        "Consultor SAP",
        "Gestora de projetos",
        "Analista de RH",
        "Desenvolvedor full stack",
        "Diretor de operações",
        "Enfermeira",
        "Advogado trabalhista",
    ],
    "company": [
        "Nubank",
        "Itaú Unibanco",
        "Petrobras",
        "Vale",
        "Natura",
        "Ambev",
        "iFood",
        "Stone",
        "EDP",
        "Galp",
        "Jerónimo Martins",
        "Farfetch",
    ],
    "uni": [
        "Universidade de São Paulo",
        "Unicamp",
        "FGV",
        "Universidade de Lisboa",
        "Universidade do Porto",
        "PUC-Rio",
        "Insper",
        "Nova SBE",
    ],
    "hs": [
        "Colégio Bandeirantes",
        "Escola Secundária Camões",
        "Colégio Pedro II",
        "Escola Secundária D. Pedro V",
        "Colégio Santa Cruz",
    ],
    "degree": [
        "Bacharelado em Ciência da Computação",
        "MBA",
        "Mestrado em Gestão",
        "Licenciatura em Economia",
        "Engenharia de Produção",
        "Direito",
    ],
    "skill": [
        "Gestão de projetos",
        "Liderança",
        "Negociação",
        "Análise de dados",
        "Marketing digital",
        "Atendimento ao cliente",
        "Metodologias ágeis",
        "Oratória",
        "Recrutamento",
    ],
    "topic": [
        "a IA generativa",
        "o trabalho remoto",
        "a governança de dados",
        "o employer branding",
        "a cibersegurança",
        "a sustentabilidade",
        "a transformação digital",
        "a experiência do cliente",
        "o recrutamento",
        "o onboarding",
    ],
    "hashtag": [
        "vagas",
        "IA",
        "liderança",
        "inovação",
        "carreira",
        "marketing",
        "dados",
        "startup",
        "RH",
    ],
    "achievement": [
        "Liderei a migração da nossa plataforma de dados para a nuvem.",
        "Montei do zero uma equipe de oito desenvolvedores.",
        "Lançamos o primeiro aplicativo móvel da empresa.",
        "Redesenhei o processo de integração de novos colaboradores.",
    ],
    "hobby": ["correndo no Ibirapuera", "surfando", "fazendo trilhas", "na cozinha"],
    "event": ["congresso", "meetup", "hackathon", "workshop", "webinar", "painel"],
    "poll_option": [
        "100% remoto",
        "Híbrido",
        "Volta ao escritório",
        "Semana de 4 dias",
        "Horário flexível",
    ],
    "comment_short": [
        "Parabéns!",
        "Muito merecido!",
        "Obrigado por compartilhar.",
        "Concordo totalmente.",
        "Que notícia boa!",
    ],
    "notice": ["um mês", "trinta dias", "duas semanas", "disponível imediatamente"],
    "motivation": [
        "admiro os produtos de vocês e quero contribuir para o crescimento.",
        "a vaga combina com a minha experiência e me identifico com a missão.",
        "procuro uma equipe onde possa aprender e assumir responsabilidades.",
    ],
    "app_status": [
        "Candidatura enviada",
        "Vista pelo recrutador",
        "Em análise",
        "Não selecionada",
        "Entrevista agendada",
    ],
    "vol_role": ["Mentora", "Voluntário", "Instrutor", "Tesoureira"],
    "ngo": [
        "Cruz Vermelha",
        "Banco Alimentar",
        "Gerando Falcões",
        "Ação da Cidadania",
        "Programaria",
    ],
    "pub_prefix": [
        "Lições aprendidas sobre",
        "Guia prático para",
        "Repensando",
        "Medindo o impacto de",
    ],
    "patent_title": [
        "Método de agendamento de processamento distribuído de dados",
        "Sistema de detecção de transações fraudulentas",
    ],
    "reco_quality": [
        "é o tipo de colega que toda equipe precisa",
        "une rigor analítico e muita empatia",
        "sempre entregou no prazo, mesmo sob pressão",
    ],
    "group_reply": [
        "Aqui também.",
        "Obrigado por organizar!",
        "Estou dentro.",
        "Ótima iniciativa.",
    ],
    "feedback_issue": [
        "O assistente de escrita com IA sugeriu um título genérico demais.",
        "Os alertas de vagas mostram vagas já encerradas.",
        "O aplicativo fecha quando abro as notificações.",
        "Por favor, adicionem modo escuro nas mensagens.",
    ],
    "month": [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    "gname_tech": ["Comunidade Data Brasil", "Python Lisboa", "Arquitetos Cloud BR"],
    "gname_career": [
        "Transição de carreira",
        "Mulheres na liderança",
        "Procurando emprego: apoio mútuo",
    ],
    "gname_marketing": ["Growth Marketing Brasil", "Marketing B2B Portugal"],
    "gname_alumni": ["Alumni FGV", "Antigos alunos da Nova SBE", "Ex-colaboradores Itaú"],
    "gname_union": [
        "Sindicato dos Bancários – associados",
        "CUT Tecnologia",
        "Sindicato dos Enfermeiros Portugueses",
    ],
    "gname_health": ["Diabetes tipo 1 – apoio", "Câncer e trabalho", "Saúde mental no trabalho"],
    "gname_religion": ["Cristãos no mundo corporativo", "Profissionais muçulmanos do Brasil"],
    "gname_politics": [
        "Jovens profissionais progressistas",
        "Liberais pela inovação",
        "Verdes no trabalho",
    ],
    "gname_lgbtq": ["LGBTQIA+ na tecnologia", "Orgulho no trabalho", "Mais Diversidade – membros"],
    "gline_tech": [
        "Alguém já migrou jobs batch para streaming? Quero saber das experiências.",
        "Compartilho os slides da palestra de ontem sobre observabilidade.",
    ],
    "gline_career": [
        "Primeira proposta depois de oito meses procurando, não desistam!",
        "Como vocês negociam quando o recrutador pergunta o salário atual?",
    ],
    "gline_marketing": [
        "As taxas de abertura de vocês também caíram depois da última atualização?",
        "Estudo de caso: como dobramos os leads sem mídia paga.",
    ],
    "gline_alumni": [
        "Encontro de ex-alunos no mês que vem, quem vem?",
        "Alguém ainda tem as fotos da formatura?",
    ],
    "gline_union": [
        "Lembrete: assembleia sobre o acordo coletivo na quinta-feira.",
        "A empresa se recusa a negociar o reajuste, precisamos conversar.",
    ],
    "gline_health": [
        "Minha bomba de insulina falhou numa reunião com cliente, como vocês lidam com isso no trabalho?",
        "Começo a quimioterapia semana que vem e não sei o que dizer à minha gestora.",
    ],
    "gline_religion": [
        "Procuro uma sala tranquila para orar perto do escritório.",
        "Nosso grupo de estudo bíblico se reúne às quartas.",
    ],
    "gline_politics": [
        "Panfletagem no fim de semana para as eleições municipais, voluntários são bem-vindos.",
        "Quem vai ao evento de encerramento da campanha?",
    ],
    "gline_lgbtq": [
        "Me assumi para a minha equipe esta semana e foi melhor do que eu temia.",
        "Organização da Parada: ideias para o trio da empresa?",
    ],
}

TEMPLATES: dict[str, list[list[str]]] = {
    "profile_headline": [
        [
            "{title} na {company}",
            "{title} | {skill} e {skill_2} | {city}",
            "{title} @ {company} · ex-{company_any}",
            "{title} | Aberto a novas oportunidades",
        ]
    ],
    "profile_summary": [
        [
            "Sou {title} em {city}, com {d_years} anos de experiência em {topic}.",
            "{title} com experiência em {skill} e {skill_2}.",
            "Apaixonado por {topic}, atualmente sou {title} na {company}.",
        ],
        [
            "Gosto de transformar problemas complexos em produtos simples.",
            "Antes estive na {company_any}, onde liderei uma equipe de {d_num} pessoas.",
            "Fora do trabalho você me encontra {hobby}.",
            "",
        ],
    ],
    "profile_experience": [
        [
            "{title} — {company}, {city} ({d_year} – o momento).",
            "{title_any} na {company_any} ({d_year} – {d_year_2}).",
            "{title} · {company} · Tempo integral",
        ],
        ["{achievement}", ""],
    ],
    "profile_education": [["{degree}, {uni} ({d_year} – {d_year_2})", "{uni} — {degree}"]],
    "profile_skills": [
        ["{skill} · {skill_2} · {skill_3} · {skill_4}", "{skill}, {skill_2}, {skill_3}"]
    ],
    "profile_location": [["{city}, {country_name}", "Região de {city}"]],
    "profile_certification": [["{cert}, emitida em {month} de {d_year}", "{cert}"]],
    "profile_volunteering": [["{vol_role} na {ngo} desde {d_year}.", "{vol_role} — {ngo}"]],
    "profile_publication": [
        [
            "“{pub_prefix} {topic}”, {journal}, {d_year}.",
            "{pub_prefix} {topic} — publicado em {journal}",
        ]
    ],
    "profile_patent": [
        [
            "{patent_title} — patente {d_patent}, concedida em {d_year}.",
            "{patent_title} ({d_patent})",
        ]
    ],
    "profile_endorsement": [
        [
            "{other} validou a competência {skill} de {first}.",
            "Competência {skill} validada por {other}, {title_any} na {company_any}",
        ]
    ],
    "profile_recommendation": [
        [
            "Tive o prazer de trabalhar com {first} na {company}. {first} {reco_quality}.",
            "{first} fez parte da minha equipe por {d_years} anos e {reco_quality}. Recomendo sem hesitar.",
        ]
    ],
    "post": [
        [
            "Feliz em anunciar o lançamento do {product} na {company}! 🚀",
            "Depois de {d_num} meses de trabalho, nossa equipe entregou o {product}.",
            "Novidade: estou começando como {title_any} na {company_any}!",
            "Algumas reflexões sobre {topic} depois do {event} desta semana.",
            "Estamos contratando! Procuramos {title_any} em {city_any}.",
        ],
        [
            "Muito obrigado a todos que tornaram isso possível.",
            "O que aprendi: começar pequeno, medir tudo e ouvir os usuários.",
            "Se você trabalha com {topic}, adoraria trocar ideias.",
            "",
        ],
        ["#{hashtag} #{hashtag_2}", "#{hashtag}", ""],
    ],
    "article": [
        [
            "O que {d_num} anos de {topic} me ensinaram",
            "{pub_prefix} {topic}",
            "Por que {topic} importa mais do que nunca",
        ],
        [
            "Quando comecei como {title}, ninguém falava de {topic}. Hoje o tema está na pauta de toda diretoria.",
            "A maioria das equipes subestima {topic}. Veja o que mudamos na {company}.",
        ],
        [
            "Primeira lição: documentar e compartilhar cedo.",
            "Medimos tudo e os números nos surpreenderam.",
            "O mais difícil não foi a tecnologia, e sim a cultura.",
        ],
        ["Contem a experiência de vocês nos comentários.", "Obrigado a {other} pela revisão.", ""],
    ],
    "comment": [
        [
            "Parabéns {other_first}, muito merecido!",
            "Ótimo ponto sobre {topic}.",
            "Obrigado por compartilhar, {other_first} 👏",
            "Interessante! Como vocês lidaram com {topic} na {company_any}?",
            "{comment_short}",
        ]
    ],
    "poll_response": [["Votei: {poll_option}", "{poll_option}", "{poll_option} — {comment_short}"]],
    "group_post": [
        ["Olá a todos do {group_name}!", "Pergunta para o grupo:", ""],
        ["{group_line}"],
    ],
    "group_comment": [["{group_reply}", "{group_line}", "{comment_short} {group_reply}"]],
    "group_message": [
        [
            "Oi pessoal, {group_line}",
            "Recado rápido para o {group_name}: {group_line}",
            "{group_reply}",
        ]
    ],
    "ai_prompt": [
        [
            "Reescreva meu título para soar mais sênior: “{title} na {company}”",
            "Escreva um post anunciando que estou entrando na {company_any} como {title_any}.",
            "Resuma esta vaga de {title_any} em {city_any} em três tópicos.",
            "Escreva uma mensagem para {other_first} pedindo uma recomendação.",
            "Me ajude a preparar uma entrevista na {company_any} sobre {topic}.",
            "Melhore minha seção Sobre. Sou {title} e apaixonado por {topic}.",
        ]
    ],
    "ai_output": [
        [
            "Aqui está um título mais sênior: “{title} | Liderando {topic} na {company}”",
            "Claro! “Fico feliz em compartilhar que estou entrando na {company_any} como {title_any}. Obrigado a todos que me apoiaram.”",
            "• Responsável pelo roadmap de {topic}\n• Trabalho com engenharia e design\n• Reporte à diretoria em {city_any}",
            "Oi {other_first}, tudo bem? Você poderia escrever uma breve recomendação sobre nosso trabalho juntos?",
            "Perguntas prováveis: como você abordou {topic}? Conte sobre um desacordo com um stakeholder.",
            "{title} apaixonado por {topic}. Ajudo equipes a transformar ideias em produtos úteis.",
        ]
    ],
    "resume": [
        ["{name} — {title}"],
        ["{city} · {skill}, {skill_2}, {skill_3}"],
        [
            "Experiência: {title} na {company} desde {d_year}; antes, {title_any} na {company_any}.",
            "Experiência: {title_any} na {company_any} ({d_year} – {d_year_2}). {achievement}",
        ],
        ["Formação: {degree}, {uni}.", "Certificações: {cert}."],
    ],
    "screening_answer": [
        [
            "P: Quantos anos de experiência você tem com {tech_skill}? R: {d_years}",
            "P: Você tem autorização para trabalhar em {country_name}? R: Sim",
            "P: Qual é o seu aviso prévio? R: {notice}",
            "P: Por que você quer trabalhar na {company_any}? R: Porque {motivation}",
            "P: Qual é a sua pretensão salarial? R: {p_salary} por ano",
        ]
    ],
    "job_application": [
        [
            "Candidatura para {title_any} na {company_any} ({city_any}) com currículo e carta de apresentação.",
            "Candidatura: {title_any} na {company_any}. Status: {app_status}.",
            "Candidatura simplificada: {title_any}, {company_any}. Pretensão: {p_salary} por ano",
        ]
    ],
    "salary": [
        [
            "Salário: {p_salary} por ano, bônus {d_pct}",
            "Remuneração atual: {p_salary} brutos por ano ({title}, {city})",
            "Pretensão salarial: {p_salary} anuais",
        ]
    ],
    "private_message": [
        [
            "Oi {other_first}, vamos tomar um café semana que vem?",
            "Obrigado por me apresentar ao {other}!",
            "Você viu a vaga na {company_any}? Lembrei de você.",
            "Parabéns pelo novo cargo! Vamos conversar em breve.",
        ]
    ],
    "inmail": [
        [
            "Olá {first}, sou recrutadora na {company_any}. Estamos contratando {title_any} em {city_any} e sua experiência com {skill} chamou minha atenção. Topa uma conversa rápida?",
            "Bom dia {first}, seu perfil combina com uma vaga de {title_any} em um de nossos clientes. Teria interesse?",
        ]
    ],
    "search_query": [
        [
            "{title_any} {city_any}",
            "vagas {tech_skill} remoto",
            "{company_any}",
            "{other}",
            "curso {topic}",
        ]
    ],
    "feedback": [
        ["{feedback_issue}", "👍 Sugestão útil", "👎 Não é relevante", "Problema: {feedback_issue}"]
    ],
    "payment_method": [
        [
            "{card_brand} final {last4}, validade {exp}",
            "Cartão {card_brand} {p_card}, cidade de cobrança {city}",
            "Débito direto SEPA, IBAN {p_iban}",
            "PayPal ({p_email})",
        ]
    ],
}

SEPARATORS: dict[str, str] = {"article": "\n\n", "resume": "\n"}

PII: dict[str, list[str]] = {
    "email": [
        "Me escreva em {p_email} se tiver interesse",
        "Contato: {p_email}",
        "Envie seu currículo para {p_email} e eu respondo",
    ],
    "phone": ["Me liga no {p_phone} se preferir", "Meu celular: {p_phone}", "WhatsApp: {p_phone}"],
    "iban": [
        "Por favor, reembolsem na minha conta {p_iban}, obrigado",
        "Dados bancários para a fatura: IBAN {p_iban}",
    ],
    "card": [
        "Fui cobrado duas vezes no cartão {p_card}, podem verificar?",
        "Cartão usado no Premium: {p_card}",
    ],
    "salary": [
        "Hoje ganho {p_salary} por ano",
        "O orçamento da vaga é de {p_salary} anuais",
        "Me ofereceram {p_salary} fixos, devo negociar?",
    ],
    "national_id:br_cpf": ["Meu CPF é {p_natid} para o cadastro", "CPF: {p_natid}"],
    "national_id:pt_nif": ["O meu NIF é {p_natid} para a fatura", "NIF: {p_natid}"],
}

DECOYS: list[str] = [
    "O webinar será em {d_date} às {d_time}, já são {d_count} inscritos.",
    "A versão {d_version} saiu, com builds {d_pct} mais rápidos.",
    "O pedido {d_order} foi enviado em {d_date}.",
    "Os ingressos custam {d_price}, lote promocional até {d_date}.",
    "Em {d_year} éramos só {d_num}, hoje somos {d_count}.",
    "Código de rastreio: {d_badcard}",
    "O formulário recusou {d_badiban} como IBAN inválido, com razão.",
]

DATE_FORMATS: list[str] = ["{d} de {month} de {Y}", "{dd}/{mm}/{Y}"]
TIME_FORMATS: list[str] = ["{HH}:{MM}", "{HH}h{MM}"]
THOUSANDS: list[str] = ["."]
DECIMAL = ","
