"""The member's pages in French and English, the switch, the history with receipts, and the
notice for members the policy treats as minors."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from consentgate.ledger import Ledger
from consentgate.service.app import create_app
from consentgate.service.config import ServiceConfig
from tests.service.conftest import SETTING_PAGE


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def demo_sign_in(client: TestClient, member: str, lang: str = "en") -> None:
    page = client.get(f"/demo?lang={lang}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = client.post("/demo/signin", data={"member_id": member, "csrf_token": csrf,
                                               "lang": lang})
    assert answer.status_code == 200 and answer.url.path == "/settings"


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_french_page_says_it_plainly(client: TestClient) -> None:
    demo_sign_in(client, "fr_adult", "fr")
    home = text_of(client.get("/settings").text)
    assert "Préférences et confidentialité" in home and "Confidentialité des données" in home
    privacy = client.get("/settings/data-privacy").text
    assert SETTING_PAGE in privacy
    page = text_of(client.get(SETTING_PAGE).text)
    for words in (
        "Données pour l'amélioration de l'IA générative",
        "Utiliser mes données pour entraîner des modèles d'IA de création de contenu",
        "Oui",  # on by default
        "elle est activée par défaut",
        "vos posts publics", "vos messages privés",
        "Ce qui n'est jamais utilisé",
        "vaut pour l'avenir", "n'annule pas les entraînements déjà effectués",
        "continuer à utiliser les fonctionnalités d'IA générative",
        "Aucune modification pour l'instant",
    ):
        assert words in page, words
    assert "Vos données ne sont jamais utilisées" not in page  # an adult


def test_the_english_page_and_the_switch(client: TestClient, config: ServiceConfig) -> None:
    demo_sign_in(client, "fr_optout", "en")
    page = client.get(SETTING_PAGE)
    words = text_of(page.text)
    assert "Use my data for training content creation AI models" in words
    assert "does not undo training that has already taken place" in words
    assert "you can keep using the platform's generative AI features" in words
    assert 'aria-checked="true"' in page.text
    after = client.post(SETTING_PAGE, data={"value": "off", "csrf_token": csrf_of(page.text)})
    assert after.status_code == 200 and after.url.path == SETTING_PAGE
    assert 'aria-checked="false"' in after.text
    words = text_of(after.text)
    assert "Saved. Your setting is now Off." in words
    with Ledger(config.db) as ledger:
        (event,) = ledger.history("fr_optout")
    assert event.value is False and event.source == "web" and event.language == "en"
    assert f"/settings/receipts/{event.receipt_id}" in after.text
    assert "Turned off" in words and "Settings page" in words
    receipt = client.get(f"/settings/receipts/{event.receipt_id}")
    assert receipt.headers["content-disposition"].startswith("attachment")
    assert receipt.json()["record_id"] == event.receipt_id
    # the flash message is shown once
    assert "Saved." not in text_of(client.get(SETTING_PAGE).text)


def test_minors_are_told_their_data_is_never_used(client: TestClient) -> None:
    demo_sign_in(client, "gb_pupil", "en")
    words = text_of(client.get(SETTING_PAGE).text)
    assert "Your data is never used to train these models." in words
    assert "you are in secondary school" in words
    client.cookies.clear()
    demo_sign_in(client, "de_minor", "fr")
    words = text_of(client.get(SETTING_PAGE).text)
    assert "Vos données ne sont jamais utilisées pour entraîner ces modèles." in words
    assert "vous avez moins de 18 ans" in words


def test_without_platform_data_the_page_still_works(config: ServiceConfig) -> None:
    config.source = None
    with TestClient(create_app(config)) as client:
        demo_sign_in(client, "gb_pupil")
        words = text_of(client.get(SETTING_PAGE).text)
        assert "Use my data" in words and "never used to train" not in words


def test_language_follows_the_browser_then_the_choice(client: TestClient) -> None:
    client.headers["Accept-Language"] = "fr-CH, en;q=0.5"
    assert "Connectez-vous" in client.get("/").text
    assert "Sign in to manage" in client.get("/?lang=en").text
    assert "Sign in to manage" in client.get("/").text  # the choice sticks in the session
