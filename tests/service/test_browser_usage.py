"""In Debian's Chromium, driven by Playwright, against a real `consentgate serve --registry`
(usage_world.py: real snapshots S1 and S2, real runs, the real ledger): "Your data and AI
training" in French and English, the access report download, and the erasure request from
the first click to its receipt.

Set CONSENTGATE_USAGE_SCREENSHOT=path.png to keep a screenshot of the French section
(docs/settings-usage-fr.png is made this way).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from consentgate.ledger import Ledger
from consentgate.service.live import LiveServer
from tests.service.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.service.usage_world import World

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser test skipped: {CHROMIUM} missing (apt-get install chromium)")
    from tests.service.live import live_server

    folder = tmp_path_factory.mktemp("usage-live")
    db, registry = world.copy_into(folder)
    with live_server(db, folder / "server.log", source=world.network, demo=True,
                     registry=registry) as live:
        yield live
        log = live.log_text()
    # the server's log names routes, never members
    for member in (world.opted, world.both, world.minor, world.newcomer):
        assert member not in log


@pytest.fixture(scope="module")
def chromium(server: LiveServer) -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def sign_in(chromium: Any, server: LiveServer, member: str, lang: str) -> Any:
    """A fresh browser context, signed in through the demo sign-in, on the usage section
    reached through Settings & Privacy → Data privacy."""
    context = chromium.new_context(locale="fr-FR" if lang == "fr" else "en-GB",
                                   viewport={"width": 1280, "height": 900},
                                   accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server.base_url}/demo?lang={lang}")
    page.get_by_label("Identifiant du membre" if lang == "fr" else "Member id").fill(member)
    page.get_by_role("button", name="Se connecter" if lang == "fr" else "Sign in",
                     exact=True).click()
    page.get_by_role("link", name="Confidentialité des données" if lang == "fr"
                     else "Data privacy").first.click()
    page.get_by_role("link", name="Vos données et l'entraînement de l'IA" if lang == "fr"
                     else "Your data and AI training").click()
    section = page.locator("#usage")
    expect(section.get_by_role("heading", level=2)).to_have_text(
        "Vos données et l'entraînement de l'IA" if lang == "fr" else "Your data and AI training")
    return page


def test_the_opted_out_member_in_french_and_english(
    chromium: Any, server: LiveServer, world: World, tmp_path: Path
) -> None:
    page = sign_in(chromium, server, world.opted, "fr")
    section = page.locator("#usage")
    for words in ("Vos données ont été incluses dans un jeu de données d'entraînement, daté du "
                  "15 janvier 2026.",
                  "Il a servi à entraîner assistant-writer 1.0 (entraîné le 20 janvier 2026).",
                  "Depuis que vous avez désactivé la préférence le 2 février 2026, aucun nouveau "
                  "jeu de données n'inclut vos données (le premier préparé ensuite est daté du "
                  "1er mars 2026).",
                  "Les modèles entraînés avant cette date restent tels quels."):
        expect(section).to_contain_text(words)
    included = section.locator("table.datasets tbody tr")
    expect(included).to_have_count(1)
    expect(included.first).to_contain_text(world.s1_id)
    expect(included.first).to_contain_text("assistant-writer 1.0")
    left_out = section.locator("table.not-included tbody tr")
    expect(left_out).to_have_count(1)
    expect(left_out.first).to_contain_text(world.s2_id)
    expect(left_out.first).to_contain_text("la préférence était désactivée")
    expect(section).not_to_contain_text("summariser")  # its run failed: no model
    section.scroll_into_view_if_needed()
    shot = tmp_path / "settings-usage-fr.png"
    section.screenshot(path=str(shot))
    keep = os.environ.get("CONSENTGATE_USAGE_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)
    page.context.close()

    page = sign_in(chromium, server, world.opted, "en")
    section = page.locator("#usage")
    for words in ("Your data was included in one training dataset, dated January 15, 2026.",
                  "It was used to train assistant-writer 1.0 (trained January 20, 2026).",
                  "Since you turned the setting off on February 2, 2026, no new dataset "
                  "includes your data (the first one prepared after that is dated March 1, "
                  "2026).",
                  "Models trained before that stay as they were."):
        expect(section).to_contain_text(words)
    expect(section.locator("table.not-included tbody tr").first).to_contain_text(
        "the setting was off")

    # the access report downloads and parses
    with page.expect_download() as download_info:
        section.get_by_role("link", name="Download your access report (JSON)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("access-report-")
    report = json.loads(Path(download.path()).read_text())
    assert report["data_subject"]["member_id"] == world.opted
    assert [d["snapshot_id"] for d in report["datasets"]] == [world.s1_id]
    assert [(m["name"], m["version"]) for m in report["models"]] == [("assistant-writer", "1.0")]
    assert report["processing"]["legal_basis"] == "legitimate_interests"
    assert report["setting"]["history"][0]["receipt_id"]
    page.context.close()


def test_why_a_minor_and_a_newcomer_were_never_used(
    chromium: Any, server: LiveServer, world: World
) -> None:
    page = sign_in(chromium, server, world.minor, "en")
    section = page.locator("#usage")
    expect(section).to_contain_text("None of our training datasets includes your data")
    expect(section).to_contain_text("under 18")
    expect(section.locator("table.datasets")).to_have_count(0)
    page.context.close()

    page = sign_in(chromium, server, world.minor, "fr")
    expect(page.locator("#usage")).to_contain_text("moins de 18 ans")
    page.context.close()

    page = sign_in(chromium, server, world.newcomer, "fr")
    section = page.locator("#usage")
    expect(section).to_contain_text("Vos données ne figurent encore dans aucun jeu de données "
                                    "d'entraînement")
    page.context.close()

    page = sign_in(chromium, server, world.newcomer, "en")
    expect(page.locator("#usage")).to_contain_text(
        "Your data is not yet in any training dataset")
    page.context.close()


def test_the_erasure_request_end_to_end(
    chromium: Any, server: LiveServer, world: World
) -> None:
    page = sign_in(chromium, server, world.both, "fr")
    section = page.locator("#usage")
    section.get_by_role("link", name="Demander l'effacement de mes données…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Effacer mes données")
    expect(page.get_by_text("La demande est irréversible")).to_be_visible()
    page.get_by_role("button", name="Oui, effacer mes données pour l'entraînement de l'IA").click()

    section = page.locator("#usage")
    expect(section.get_by_role("status")).to_contain_text(
        "Votre demande d'effacement est enregistrée.")
    expect(section).to_contain_text("Aucun jeu de données préparé depuis n'inclut vos données")
    rows = page.locator(".history tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Effacement demandé")
    with page.expect_download() as download_info:
        rows.first.get_by_role("link").click()
    receipt = json.loads(Path(download_info.value.path()).read_text())
    assert receipt["event"][0]["event_state"] == "erasure_requested"

    # asking again is harmless
    page.goto(f"{server.base_url}/settings/data-privacy/data-for-genai-improvement/erasure")
    expect(page.get_by_role("note")).to_contain_text("déjà été enregistrée")
    expect(page.get_by_role("button", name="Oui, effacer mes données pour l'entraînement de "
                                           "l'IA")).to_have_count(0)
    page.context.close()

    with Ledger(server.db) as ledger:
        (event,) = [e for e in ledger.history(world.both) if e.setting == "erasure"]
    assert (event.value, event.source, event.language) == (True, "web", "fr")
    assert receipt["record_id"] == event.receipt_id
