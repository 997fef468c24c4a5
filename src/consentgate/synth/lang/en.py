"""English."""

from __future__ import annotations

WORDS: dict[str, list[str]] = {
    "first": [
        "James",
        "Olivia",
        "Liam",
        "Emma",
        "Noah",
        "Amelia",
        "Oliver",
        "Sophia",
        "Ethan",
        "Isla",
        "Jack",
        "Grace",
        "Harry",
        "Chloe",
        "Daniel",
        "Priya",
        "Arjun",
        "Aisha",
        "Michael",
        "Sarah",
        "David",
        "Emily",
        "Kwame",
        "Mei",
        "Ryan",
        "Hannah",
    ],
    "last": [
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "Taylor",
        "Wilson",
        "Davies",
        "Evans",
        "Thomas",
        "Roberts",
        "Walker",
        "Patel",
        "Khan",
        "Nguyen",
        "Murphy",
        "O'Brien",
        "Campbell",
        "Clarke",
        "Wright",
        "Mitchell",
        "Sharma",
        "Okafor",
        "Chen",
        "Harris",
    ],
    "title": [
        "Software Engineer",
        "Senior Data Scientist",
        "Product Manager",
        "Marketing Manager",
        "Account Executive",
        "HR Business Partner",
        "Financial Analyst",
        "UX Designer",
        "DevOps Engineer",
        "Head of Sales",
        "Customer Success Manager",
        "Project Manager",
        "Data Engineer",
        "Talent Acquisition Specialist",
        "Operations Director",
        "Business Analyst",
        "Registered Nurse",
        "Mechanical Engineer",
        "Chief Technology Officer",
        "Content Strategist",
    ],
    "company": [
        "Northwind Analytics",
        "Brightpath Consulting",
        "Redwood Systems",
        "Bluefin Logistics",
        "Harbour Health",
        "Kestrel Finance",
        "Meridian Retail",
        "Oakridge Software",
        "Silverline Media",
        "Thistle Energy",
    ],
    "uni": [
        "University of Manchester",
        "University of Toronto",
        "King's College London",
        "University of Edinburgh",
        "University of Michigan",
        "Arizona State University",
        "University of Melbourne",
        "University College Dublin",
        "McGill University",
        "Georgia Institute of Technology",
    ],
    "hs": [
        "Lincoln High School",
        "St Mary's Catholic School",
        "Riverside Academy",
        "Jefferson High School",
        "Kingsway Secondary School",
        "Westfield Grammar School",
        "Hillcrest High School",
        "Oak Park Academy",
    ],
    "degree": [
        "BSc Computer Science",
        "MBA",
        "BA Economics",
        "MSc Data Science",
        "BEng Mechanical Engineering",
        "BA Marketing",
        "MA Human Resource Management",
        "BSc Nursing",
        "MSc Finance",
    ],
    "skill": [
        "Leadership",
        "Stakeholder Management",
        "Public Speaking",
        "Negotiation",
        "Team Building",
        "Strategic Planning",
        "Data Analysis",
        "Agile Methodologies",
        "Customer Relationship Management",
        "Copywriting",
        "Budgeting",
        "Coaching",
    ],
    "topic": [
        "data governance",
        "remote work",
        "generative AI",
        "product discovery",
        "employer branding",
        "supply chain resilience",
        "cloud cost optimisation",
        "diversity and inclusion",
        "B2B sales",
        "cybersecurity",
        "customer retention",
        "sustainability reporting",
        "hiring",
        "onboarding",
    ],
    "hashtag": [
        "hiring",
        "leadership",
        "AI",
        "careers",
        "productmanagement",
        "datascience",
        "marketing",
        "opentowork",
        "sustainability",
        "startups",
        "remotework",
        "engineering",
    ],
    "achievement": [
        "Led the migration of our data platform to the cloud.",
        "Built a team of engineers from scratch.",
        "Launched the company's first mobile app.",
        "Cut onboarding time in half with a new training programme.",
        "Managed key accounts across the region.",
        "Introduced a design system used by every product team.",
        "Ran the quarterly planning process for the business unit.",
    ],
    "hobby": [
        "running along the river",
        "playing chess",
        "coaching a youth football team",
        "baking sourdough",
        "hiking",
        "reading science fiction",
    ],
    "event": [
        "conference",
        "meetup",
        "hackathon",
        "offsite",
        "webinar",
        "panel discussion",
    ],
    "poll_option": [
        "Fully remote",
        "Hybrid",
        "Back in the office",
        "4-day week",
        "Flexible hours",
        "More training budget",
    ],
    "comment_short": [
        "Congratulations!",
        "Well deserved!",
        "Great insights, thanks for sharing.",
        "Couldn't agree more.",
        "This is so true.",
        "Love this!",
        "Very helpful, thank you.",
    ],
    "notice": ["one month", "two weeks", "three months", "immediately available"],
    "motivation": [
        "I admire your product and want to help it grow.",
        "the role matches my experience and the mission matters to me.",
        "I'm looking for a team where I can learn and take ownership.",
    ],
    "app_status": [
        "Applied",
        "Viewed by recruiter",
        "In review",
        "Not selected",
        "Interview scheduled",
    ],
    "vol_role": ["Mentor", "Board Member", "Event Organiser", "Tutor"],
    "ngo": ["Code Club", "Habitat for Humanity", "Red Cross", "Girls Who Code", "Local Food Bank"],
    "pub_prefix": [
        "Lessons learned from",
        "A practical guide to",
        "Rethinking",
        "Measuring the impact of",
    ],
    "patent_title": [
        "Method for scheduling distributed data pipelines",
        "System and method for detecting fraudulent transactions",
        "Device for monitoring battery health",
    ],
    "reco_quality": [
        "is the kind of colleague every team needs",
        "combines sharp analytical thinking with real empathy",
        "always delivered on time, even under pressure",
        "made everyone around them better",
    ],
    "group_reply": [
        "Same here.",
        "Thanks for organising this!",
        "Count me in.",
        "Great initiative.",
        "Happy to help if needed.",
    ],
    "feedback_issue": [
        "The AI writing assistant suggested a headline that was far too generic.",
        "Job alerts keep showing roles that are already closed.",
        "The app crashes when I open my notifications.",
        "Please add a dark mode to messaging.",
        "The suggested post rewrite changed the meaning of my text.",
        "I can't find where to download my data.",
    ],
    "month": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "gname_tech": [
        "Data Engineering Network",
        "Cloud Architects",
        "Python Developers Community",
        "AI Product Builders",
    ],
    "gname_career": [
        "Career Changers",
        "Women in Leadership",
        "Job Seekers Support",
        "Young Professionals Network",
    ],
    "gname_marketing": ["Growth Marketing Hub", "B2B Marketing Leaders", "Content Marketing Guild"],
    "gname_alumni": ["University Alumni Network", "Former Colleagues Club", "MBA Class of 2015"],
    "gname_union": [
        "Unite the Union – Tech Workers",
        "Nurses Union Members",
        "Teachers' Union Reps",
    ],
    "gname_health": [
        "Living with Type 1 Diabetes",
        "Cancer Survivors at Work",
        "Mental Health Peer Support",
        "Long COVID Support Group",
    ],
    "gname_religion": [
        "Christians in Business",
        "Muslim Professionals Network",
        "Jewish Professionals Forum",
    ],
    "gname_politics": [
        "Young Labour Professionals",
        "Conservatives in Tech",
        "Green Party Supporters",
    ],
    "gname_lgbtq": ["LGBTQ+ in Tech", "Out Professionals", "Pride at Work Network"],
    "gline_tech": [
        "Has anyone moved their batch jobs to streaming? Curious about the trade-offs.",
        "Sharing the slides from last night's talk on observability.",
        "Which orchestration tool are you using these days?",
    ],
    "gline_career": [
        "I just got my first offer after eight months of searching. Don't give up!",
        "How do you negotiate when the recruiter asks for your current package?",
        "Looking for a mentor in product management, any pointers?",
    ],
    "gline_marketing": [
        "Our newsletter open rates dropped after the last update, anyone else?",
        "What's your go-to framework for positioning a new product?",
        "Case study: how we doubled inbound leads without paid ads.",
    ],
    "gline_alumni": [
        "Reunion drinks are on for next month, who's in?",
        "Great to see so many of us at the homecoming event.",
        "Does anyone still have the photos from graduation?",
    ],
    "gline_union": [
        "Reminder: the branch meeting on the pay claim is next Thursday.",
        "Management refused our request for a collective agreement, we need to talk.",
        "Please vote in the strike ballot before Friday.",
    ],
    "gline_health": [
        "My insulin pump failed during a client meeting today, how do you handle that at work?",
        "Starting chemo next week and not sure how much to tell my manager.",
        "Therapy has helped me more than I expected, happy to share my experience.",
    ],
    "gline_religion": [
        "Looking for a quiet prayer room near the office in the city centre.",
        "Our Bible study group meets on Wednesday evenings.",
        "Any tips for fasting during Ramadan with a full meeting schedule?",
    ],
    "gline_politics": [
        "Canvassing this weekend for the local election, volunteers welcome.",
        "The party conference motion on housing passed, great work everyone.",
        "Who is coming to the campaign fundraiser?",
    ],
    "gline_lgbtq": [
        "Came out to my team this week and it went better than I feared.",
        "Pride month planning thread: ideas for our company float?",
        "Looking for LGBTQ+ friendly employers in finance.",
    ],
}

TEMPLATES: dict[str, list[list[str]]] = {
    "profile_headline": [
        [
            "{title} at {company}",
            "{title} | {skill} & {skill_2} | {city}",
            "{title} @ {company} · ex-{company_any}",
            "Helping teams get {topic} right | {title}",
            "{title} | Open to new opportunities",
        ]
    ],
    "profile_summary": [
        [
            "I'm a {title} based in {city} with {d_years} years of experience in {topic}.",
            "{title} with a background in {skill} and {skill_2}.",
            "Passionate about {topic}, I currently work as {title} at {company}.",
        ],
        [
            "I love turning complex problems into simple products.",
            "Previously at {company_any}, where I led a team of {d_num} people.",
            "Outside work you'll find me {hobby}.",
            "",
        ],
    ],
    "profile_experience": [
        [
            "{title} — {company}, {city} ({d_year} – present).",
            "{title_any} at {company_any} ({d_year} – {d_year_2}).",
            "{title} · {company} · Full-time",
        ],
        ["{achievement}", "{achievement}", ""],
    ],
    "profile_education": [
        ["{degree}, {uni} ({d_year} – {d_year_2})", "{uni} — {degree}", "{degree} · {uni}"]
    ],
    "profile_skills": [
        [
            "{skill} · {skill_2} · {skill_3} · {skill_4}",
            "{skill}, {skill_2}, {skill_3}",
            "{skill} · {skill_2} · {skill_3} · {skill_4} · {skill_5}",
        ]
    ],
    "profile_location": [
        ["{city}, {country_name}", "Greater {city} Area", "{city} Metropolitan Area"]
    ],
    "profile_certification": [
        ["{cert}, issued {month} {d_year}", "{cert}", "{cert} (credential verified)"]
    ],
    "profile_volunteering": [
        [
            "{vol_role} at {ngo} since {d_year}.",
            "{vol_role} — {ngo}",
            "Volunteer {vol_role} with {ngo}, helping people learn about {topic}.",
        ]
    ],
    "profile_publication": [
        [
            '"{pub_prefix} {topic}", {journal}, {d_year}.',
            "{pub_prefix} {topic} — published in {journal}",
        ]
    ],
    "profile_patent": [
        ["{patent_title} — patent {d_patent}, granted {d_year}.", "{patent_title} ({d_patent})"]
    ],
    "profile_endorsement": [
        [
            "{other} endorsed {first} for {skill}.",
            "Endorsed for {skill} by {other}, {title_any} at {company_any}",
        ]
    ],
    "profile_recommendation": [
        [
            "I had the pleasure of working with {first} at {company}. {first} {reco_quality}.",
            "{first} reported to me for {d_years} years and {reco_quality}. I'd hire {first} again in a heartbeat.",
            "Working with {first} on our {topic} project was a joy: {first} {reco_quality}.",
        ]
    ],
    "post": [
        [
            "Thrilled to announce that we just launched {product} at {company}! 🚀",
            "After {d_num} months of hard work, our team shipped {product}.",
            "Big news: I'm starting a new position as {title_any} at {company_any}!",
            "Some thoughts on {topic} after this week's {event}.",
            "We're hiring! Looking for a {title_any} to join us in {city_any}.",
            "I've been thinking a lot about {topic} lately.",
        ],
        [
            "Huge thanks to everyone who made it happen.",
            "What I learned: start small, measure everything and listen to users.",
            "If you work on {topic}, I'd love to hear how you approach it.",
            "DM me if you want to know more.",
            "",
        ],
        ["#{hashtag} #{hashtag_2}", "#{hashtag}", "", ""],
    ],
    "article": [
        [
            "What {d_num} years of {topic} taught me",
            "{pub_prefix} {topic}",
            "Why {topic} matters more than ever",
        ],
        [
            "When I started as a {title}, nobody talked about {topic}. Today it is on every board agenda.",
            "Most teams underestimate {topic}. Here is what we changed at {company}.",
            "Last year our team at {company} ran an experiment on {topic}.",
        ],
        [
            "The first lesson is simple: write things down and share them early.",
            "We measured everything, and the numbers surprised us.",
            "The hardest part was not the technology but the culture.",
        ],
        [
            "I'd love to hear your experience in the comments.",
            "Thanks to {other} for reviewing a draft of this article.",
            "",
        ],
    ],
    "comment": [
        [
            "Congratulations {other_first}! Well deserved.",
            "Great point about {topic}, totally agree.",
            "Thanks for sharing, {other_first} 👏",
            "Interesting! How did you handle {topic} at {company_any}?",
            "{comment_short}",
            "{comment_short} Looking forward to the next one.",
        ]
    ],
    "poll_response": [["Voted: {poll_option}", "{poll_option}", "{poll_option} — {comment_short}"]],
    "group_post": [
        ["Hi everyone in {group_name}!", "Question for the group:", "", "Hello all,"],
        ["{group_line}"],
    ],
    "group_comment": [["{group_reply}", "{group_line}", "{comment_short} {group_reply}"]],
    "group_message": [
        ["Hi all, {group_line}", "Quick message to {group_name}: {group_line}", "{group_reply}"]
    ],
    "ai_prompt": [
        [
            'Rewrite my headline to sound more senior: "{title} at {company}"',
            "Write a post announcing that I'm joining {company_any} as {title_any}.",
            "Summarise this job description for a {title_any} role in {city_any} in three bullet points.",
            "Draft a message to {other_first} asking for a recommendation.",
            "Help me prepare for an interview at {company_any} about {topic}.",
            "Improve my About section. I'm a {title} who loves {topic}.",
        ]
    ],
    "ai_output": [
        [
            'Here\'s a more senior headline: "{title} | Driving {topic} at {company}"',
            "Sure! \"I'm excited to share that I'm joining {company_any} as {title_any}. Thank you to everyone who supported me along the way.\"",
            "• Own the roadmap for {topic}\n• Work with engineering and design\n• Report to the VP in {city_any}",
            "Hi {other_first}, I hope you're well! Would you be willing to write a short recommendation about our work together?",
            "Likely questions: How have you approached {topic}? Tell me about a time you disagreed with a stakeholder.",
            "{title} who loves {topic}. I help teams turn ideas into products people use every day.",
        ]
    ],
    "resume": [
        ["{name} — {title}"],
        ["{city} · {skill}, {skill_2}, {skill_3}"],
        [
            "Experience: {title} at {company} since {d_year}; previously {title_any} at {company_any}.",
            "Experience: {title_any} at {company_any} ({d_year} – {d_year_2}). {achievement}",
        ],
        ["Education: {degree}, {uni}.", "Certifications: {cert}."],
    ],
    "screening_answer": [
        [
            "Q: How many years of experience do you have with {tech_skill}? A: {d_years}",
            "Q: Are you legally authorised to work in {country_name}? A: Yes",
            "Q: What is your notice period? A: {notice}",
            "Q: Why do you want to join {company_any}? A: Because {motivation}",
            "Q: What are your salary expectations? A: {p_salary} per year",
        ]
    ],
    "job_application": [
        [
            "Application for {title_any} at {company_any} ({city_any}), submitted with resume and cover letter.",
            "Applied to {title_any} at {company_any}. Status: {app_status}.",
            "Easy Apply: {title_any}, {company_any}. Expected salary: {p_salary} a year",
        ]
    ],
    "salary": [
        [
            "Base salary: {p_salary} per year, bonus {d_pct}",
            "Current compensation: {p_salary} gross a year ({title}, {city})",
            "Salary expectation: {p_salary} a year",
            "{title} in {city}: {p_salary} base, {d_years} years of experience",
        ]
    ],
    "private_message": [
        [
            "Hi {other_first}, are you free for a coffee next week?",
            "Thanks for the intro to {other}!",
            "Hey, did you see the opening at {company_any}? Thought of you.",
            "Congrats on the new role! Let's catch up soon.",
            "Can you send me the slides from the {event}?",
        ]
    ],
    "inmail": [
        [
            "Hi {first}, I'm a recruiter at {company_any}. We're hiring a {title_any} in {city_any} and your background in {skill} caught my eye. Open to a quick call?",
            "Dear {first}, I came across your profile and think you'd be a great fit for a {title_any} role with one of our clients. Would you be interested?",
            "Hello {first}, our team at {company_any} is growing. Would you like to hear about our {title_any} position?",
        ]
    ],
    "search_query": [
        [
            "{title_any} {city_any}",
            "{tech_skill} jobs remote",
            "{company_any}",
            "{other}",
            "{title_any} {company_any}",
            "{topic} course",
        ]
    ],
    "feedback": [
        [
            "{feedback_issue}",
            "👍 Helpful suggestion",
            "👎 Not relevant",
            "Bug report: {feedback_issue}",
        ]
    ],
    "payment_method": [
        [
            "{card_brand} ending in {last4}, expires {exp}",
            "{card_brand} {p_card}, billing city {city}",
            "SEPA direct debit, IBAN {p_iban}",
            "PayPal ({p_email})",
        ]
    ],
}

SEPARATORS: dict[str, str] = {"article": "\n\n", "resume": "\n", "group_post": " "}

PII: dict[str, list[str]] = {
    "email": [
        "You can reach me at {p_email} anytime",
        "Feel free to email me: {p_email}",
        "Send your CV to {p_email} if interested",
    ],
    "phone": [
        "Call me on {p_phone} if easier",
        "My number is {p_phone}, text anytime",
        "WhatsApp: {p_phone}",
    ],
    "iban": [
        "Please refund to my account {p_iban}, thanks!",
        "Bank details for the invoice: IBAN {p_iban}",
    ],
    "card": [
        "I was charged twice on my card {p_card}, can you check?",
        "Card used for the premium plan: {p_card}",
    ],
    "salary": [
        "I'm currently on {p_salary} a year",
        "The budget for the role is {p_salary} per year",
        "They offered me {p_salary} base, should I negotiate?",
    ],
    "national_id:us_ssn": [
        "My SSN is {p_natid} for the background check",
        "SSN: {p_natid}",
    ],
    "national_id:gb_nino": [
        "My National Insurance number is {p_natid} for payroll",
        "NI number: {p_natid}",
    ],
}

DECOYS: list[str] = [
    "The webinar is on {d_date} at {d_time}, {d_count} people registered so far.",
    "Version {d_version} is out with {d_pct} faster builds.",
    "Order {d_order} shipped on {d_date}.",
    "Tickets cost {d_price}, early bird ends {d_date}.",
    "Back in {d_year} we were only {d_num} people, now we are {d_count}.",
    "Tracking number: {d_badcard}",
    "The form rejected {d_badiban} as an invalid IBAN, which is correct.",
    "Our NPS went up {d_pct} since {d_year}.",
    "Doors open at {d_time}, the keynote starts {d_date}.",
]

DATE_FORMATS: list[str] = ["{month} {d}, {Y}", "{d} {month} {Y}", "{Y}-{mm}-{dd}", "{mm}/{dd}/{Y}"]
TIME_FORMATS: list[str] = ["{h12}:{MM} {ampm}", "{HH}:{MM}"]
THOUSANDS: list[str] = [","]
DECIMAL = "."
