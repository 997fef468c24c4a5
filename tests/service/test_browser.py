"""In Debian's Chromium, driven by Playwright: a member signs in, finds the setting in
French, turns the switch off, sees the new receipt, and the ledger holds exactly one event.

Set CONSENTGATE_SCREENSHOT=path.png to keep a full-page screenshot of the French page
(docs/settings-page-fr.png is made this way).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from consentgate.ledger import Ledger, init_ledger
from tests.service.live import live_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


def test_a_member_turns_the_switch_off_in_french(tmp_path: Path, source: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser test skipped: {CHROMIUM} missing (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    init_ledger(db)
    with live_server(db, tmp_path / "server.log", source=source, demo=True) as server, \
            playwright_api.sync_playwright() as p:
        expect = playwright_api.expect
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="fr-FR", viewport={"width": 1280, "height": 900},
                                    accept_downloads=True)
            page.goto(f"{server.base_url}/demo?lang=fr")
            page.get_by_role("button", name="fr_adult", exact=True).click()

            # Préférences et confidentialité → Confidentialité des données → the setting
            expect(page.get_by_role("heading", name="Préférences et confidentialité",
                                    exact=True).first).to_be_visible()
            page.get_by_role("link", name="Confidentialité des données").first.click()
            page.get_by_role("link", name="Données pour l'amélioration de l'IA générative").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Données pour l'amélioration de l'IA générative")
            switch = page.get_by_role("switch", name="Utiliser mes données pour entraîner des "
                                      "modèles d'IA de création de contenu")
            expect(switch).to_have_attribute("aria-checked", "true")
            not_retroactive = page.get_by_text("n'annule pas les entraînements déjà effectués")
            expect(not_retroactive).to_be_visible()

            switch.click()
            expect(switch).to_have_attribute("aria-checked", "false")
            expect(page.get_by_role("status")).to_contain_text("Enregistré")
            rows = page.locator(".history tbody tr")
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("Désactivée")
            with page.expect_download() as download_info:
                rows.first.get_by_role("link").click()
            receipt = json.loads(Path(download_info.value.path()).read_text())

            page.screenshot(path=str(tmp_path / "settings-page-fr.png"), full_page=True)
            keep = os.environ.get("CONSENTGATE_SCREENSHOT")
            if keep:
                shutil.copyfile(tmp_path / "settings-page-fr.png", keep)
        finally:
            browser.close()

    with Ledger(db) as ledger:
        assert ledger.count() == 1
        (event,) = ledger.history("fr_adult")
    assert (event.value, event.source, event.language) == (False, "web", "fr")
    assert receipt["record_id"] == event.receipt_id
    assert receipt["event"][0]["event_state"] == "opted_out"
