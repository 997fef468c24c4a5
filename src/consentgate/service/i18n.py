"""French and English: gettext catalogues compiled from the shipped .po files when first used
(no build step, no binary files in the repository), the language a request gets, and plain
words for each record kind.

The setting's own name, switch label and path come from the policy file (in the policy's
languages); everything else on the page is in ``locales/<lang>/LC_MESSAGES/messages.po``.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
DOMAIN = "messages"


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated where it is shown."""
    return message


@cache
def translations(language: str) -> NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()  # the source strings are English
    folder = resources.files("consentgate.service") / "locales" / language / "LC_MESSAGES"
    po = folder / f"{DOMAIN}.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def negotiate(accept_language: str | None) -> str | None:
    """The best supported language in an Accept-Language header, or None."""
    if not accept_language:
        return None
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and quality > 0:
            choices.append((-quality, index, primary))
    return min(choices)[2] if choices else None


def pick_language(*candidates: str | None) -> str:
    """The first supported candidate (a query parameter, the session, the member's profile,
    the token, the browser), else English."""
    for candidate in candidates:
        if candidate:
            primary = candidate.split("-")[0].lower()
            if primary in LANGUAGES:
                return primary
    return DEFAULT_LANGUAGE


@cache
def locale(language: str) -> Locale:
    return Locale.parse(language)


# Plain words for each record kind of the data contract; a kind a custom policy adds and this
# table lacks is shown by its name.
KIND_LABELS: dict[str, str] = {
    "profile_name": N_("your name"),
    "profile_photo": N_("your profile photo"),
    "profile_headline": N_("your headline and current position"),
    "profile_summary": N_("your profile summary"),
    "profile_experience": N_("your experience"),
    "profile_education": N_("your education"),
    "profile_skills": N_("your skills"),
    "profile_location": N_("your location"),
    "profile_certification": N_("your certifications and licences"),
    "profile_volunteering": N_("your volunteering"),
    "profile_publication": N_("your publications"),
    "profile_patent": N_("your patents"),
    "profile_endorsement": N_("endorsements"),
    "profile_recommendation": N_("recommendations"),
    "post": N_("your public posts"),
    "article": N_("your articles"),
    "comment": N_("your public comments"),
    "poll_response": N_("your poll responses"),
    "group_post": N_("your posts in groups"),
    "group_comment": N_("your comments in groups"),
    "group_message": N_("your messages in groups"),
    "ai_prompt": N_("what you type into the generative AI features"),
    "ai_output": N_("what the generative AI features give you back"),
    "resume": N_("resumes you saved to your account for reuse"),
    "screening_answer": N_("screening answers you saved for reuse"),
    "feedback": N_("your feedback (support requests, thumbs up or down, issue reports)"),
    "private_message": N_("your private messages"),
    "inmail": N_("InMail and recruiter messages"),
    "job_application": N_("your job applications"),
    "salary": N_("salary information you provided"),
    "search_query": N_("your searches"),
    "login_credential": N_("your sign-in credentials"),
    "payment_method": N_("your payment methods and card details"),
}

# Headings that group the kinds on the page, in display order.
KIND_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    (N_("Your profile"), tuple(k for k in KIND_LABELS if k.startswith("profile_"))),
    (N_("What you publish"), ("post", "article", "comment", "poll_response")),
    (N_("Groups"), ("group_post", "group_comment", "group_message")),
    (N_("Generative AI features"), ("ai_prompt", "ai_output")),
    (N_("Jobs"), ("resume", "screening_answer", "job_application", "salary")),
    (N_("Messages"), ("private_message", "inmail")),
    (N_("Other"), ("feedback", "search_query", "login_credential", "payment_method")),
]

SOURCE_LABELS: dict[str, str] = {
    "web": N_("Settings page"),
    "api": N_("App"),
    "mobile": N_("Mobile app"),
    "import": N_("Imported record"),
    "objection_form": N_("Objection form"),
    "objection": N_("Upheld objection"),
    "gpc": N_("Global Privacy Control signal"),
    "admin": N_("Privacy team"),
}

# The purposes of the shipped policy's settings, in plain words (receipts carry the English).
PURPOSE_LABELS: dict[str, str] = {
    "train_ai_system": N_("training content-generating AI models"),
    "marketing.advertising.third_party.targeted": N_("targeted advertising by an affiliate"),
    "personalize": N_("personalising the service, keeping it safe and secure, and AI models "
                      "that do not generate content"),
}

# Messages composed at run time (not found by extraction).
RUNTIME_MESSAGES = (N_("That administrator key is not accepted."),)
