"""In Debian's Chromium, driven by Playwright, against a live `consentgate serve`: every row
of the policy that applies in the member's region, in English and in French; the UK member
turns Microsoft's row off and keeps LinkedIn's on; a browser sending Global Privacy Control
(`Sec-GPC: 1`) from the US sees the ads row turned off, and why; a French member objects to
the other AI uses, an administrator upholds the objection in the queue, and the member sees
the answer.

Set CONSENTGATE_ROWS_SCREENSHOTS=folder to keep the screenshots (docs/rows-*.png are made
this way).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from consentgate.ledger import Ledger, init_ledger
from tests.conftest import write_source
from tests.service.live import ADMIN_KEY, live_server
from tests.service.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.service.test_purposes_service import _tables

pytestmark = pytest.mark.browser

ROWS = {
    "en": ["Data for Generative AI Improvement",
           "Sharing data with our parent company, Microsoft, for its AI training purposes",
           "Data sharing",
           "Other AI uses: personalisation, safety and non-generative models"],
    "fr": ["Données pour l'amélioration de l'IA générative",
           "Partage de données avec notre société mère, Microsoft, pour ses besoins "
           "d'entraînement d'IA",
           "Partage de données",
           "Autres usages de l'IA : personnalisation, sécurité et modèles non génératifs"],
}


def _keep(tmp: Path, name: str) -> None:
    folder = os.environ.get("CONSENTGATE_ROWS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp / name, Path(folder) / name)


def _sign_in(page, base: str, member: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/demo")
    page.get_by_role("button", name=member, exact=True).click()


def test_every_row_of_the_region_in_both_languages(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser test skipped: {CHROMIUM} missing (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    expect = playwright_api.expect
    source = write_source(tmp_path / "platform", _tables())
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    init_ledger(db)
    with live_server(db, tmp_path / "server.log", source=source, demo=True) as server, \
            playwright_api.sync_playwright() as p:
        base = server.base_url
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # -- the UK member: four rows, in English then in French -------------------------
            page = browser.new_page(locale="en-GB", viewport={"width": 1100, "height": 800})
            _sign_in(page, base, "gb_adult")
            for lang in ("en", "fr"):
                page.goto(f"{base}/settings/data-privacy?lang={lang}")
                rows = page.locator(".settings-rows a[data-setting]")
                expect(rows).to_have_count(4)
                names = [t.split("\n")[0].strip() for t in rows.all_inner_texts()]
                assert names == ROWS[lang], names
                on = "Oui" if lang == "fr" else "On"
                assert all(on in t for t in rows.all_inner_texts()[:3])
                page.screenshot(path=str(tmp_path / f"rows-gb-{lang}.png"), full_page=True)
                _keep(tmp_path, f"rows-gb-{lang}.png")

            # Microsoft's row off, LinkedIn's stays on
            page.goto(f"{base}/settings/data-privacy?lang=en")
            page.locator('a[data-setting="microsoft_ai_sharing"]').click()
            switch = page.get_by_role("switch",
                                      name="Share my data with Microsoft for its AI training "
                                      "purposes")
            expect(switch).to_have_attribute("aria-checked", "true")
            switch.click()
            expect(switch).to_have_attribute("aria-checked", "false")
            expect(page.get_by_role("status")).to_contain_text("Saved")
            page.goto(f"{base}/settings/data-privacy")
            texts = page.locator(".settings-rows a[data-setting]").all_inner_texts()
            assert "On" in texts[0] and "Off" in texts[1], texts
            page.close()

            # -- the US member whose browser sends Global Privacy Control ------------------
            context = browser.new_context(locale="en-US", extra_http_headers={"Sec-GPC": "1"})
            page = context.new_page()
            _sign_in(page, base, "us_adult")
            page.goto(f"{base}/settings/data-privacy")
            expect(page.get_by_role("status")).to_contain_text("Global Privacy Control")
            expect(page.locator(".settings-rows a[data-setting]")).to_have_count(2)
            page.locator('a[data-setting="data_sharing"]').click()
            expect(page.get_by_role("switch")).to_have_attribute("aria-checked", "false")
            expect(page.locator(".gpc-note")).to_contain_text("Global Privacy Control")
            page.screenshot(path=str(tmp_path / "rows-us-gpc-en.png"), full_page=True)
            _keep(tmp_path, "rows-us-gpc-en.png")
            context.close()

            # -- a French member objects; the privacy team upholds it ----------------------
            page = browser.new_page(locale="fr-FR", viewport={"width": 1100, "height": 800})
            _sign_in(page, base, "fr_adult")
            page.goto(f"{base}/settings/data-privacy?lang=fr")
            page.locator('a[data-setting="other_ai_uses"]').click()
            page.locator("#objection-text").fill("Je ne veux pas que mon fil soit profilé.")
            page.get_by_role("button", name="Envoyer mon opposition").click()
            expect(page.get_by_role("status")).to_contain_text("Votre opposition est enregistrée")
            expect(page.locator('tr[data-status="pending"]')).to_have_count(1)
            page.screenshot(path=str(tmp_path / "rows-objection-fr.png"), full_page=True)
            _keep(tmp_path, "rows-objection-fr.png")

            admin = browser.new_page(locale="en-GB", viewport={"width": 1100, "height": 800})
            admin.goto(f"{base}/admin/objections")
            admin.locator("#admin-key").fill(ADMIN_KEY)
            admin.get_by_role("button", name="Sign in").click()
            row = admin.locator("tr[data-objection]")
            expect(row).to_have_count(1)
            expect(row).to_contain_text("Je ne veux pas que mon fil soit profilé.")
            expect(row).to_contain_text("fr_adult")
            admin.screenshot(path=str(tmp_path / "rows-admin-queue-en.png"), full_page=True)
            _keep(tmp_path, "rows-admin-queue-en.png")
            row.locator("textarea").fill("Your particular situation outweighs our interest.")
            row.get_by_role("button", name="Uphold").click()
            expect(admin.get_by_role("status")).to_contain_text("Objection upheld")
            expect(admin.locator("tr[data-objection]")).to_have_count(0)
            admin.close()

            page.reload()
            expect(page.locator('tr[data-status="upheld"]')).to_contain_text(
                "Your particular situation outweighs our interest.")
            expect(page.get_by_role("note")).to_contain_text("Votre opposition a été acceptée")
            page.close()
        finally:
            browser.close()
    with Ledger(db) as ledger:
        events = {(e.member_id, e.setting, e.value, e.source)
                  for m in ("gb_adult", "us_adult", "fr_adult") for e in ledger.history(m)}
    assert events == {("gb_adult", "microsoft_ai_sharing", False, "web"),
                      ("us_adult", "data_sharing", False, "gpc"),
                      ("fr_adult", "other_ai_uses", False, "objection")}
