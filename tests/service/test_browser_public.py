"""In Debian's Chromium, driven by Playwright, against a live `consentgate serve`: a member's
public page carries the allowed signals while the setting is on; the member turns the
switch off on the settings page; on reload the same page carries the opted-out signals, in
the headers Chromium received and in the document's meta tags. The site's robots.txt and
tdmrep.json are fetched the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consentgate.ledger import Ledger, init_ledger
from tests.conftest import tiny_tables, write_source
from tests.service.live import live_server
from tests.service.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.service.test_public_pages import EXTRA_RECORDS

pytestmark = pytest.mark.browser


def _signals(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    headers = response.all_headers()
    return {k: headers[k] for k in ("content-usage", "tdm-reservation", "x-robots-tag")
            if k in headers}


def _meta(page) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {name: page.locator(f'meta[name="{name}"]').evaluate_all(
                "els => els.map(e => e.content)")
            for name in ("tdm-reservation", "robots")}


def test_public_page_signals_follow_the_switch_in_chromium(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser test skipped: {CHROMIUM} missing (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    tables = tiny_tables()
    tables["records"] = tables["records"] + EXTRA_RECORDS
    source = write_source(tmp_path / "platform", tables)
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    init_ledger(db)
    with live_server(db, tmp_path / "server.log", source=source, demo=True) as server, \
            playwright_api.sync_playwright() as p:
        expect = playwright_api.expect
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="en-GB")
            public_url = f"{server.base_url}/in/fr_adult"

            response = page.goto(public_url)
            assert response is not None and response.status == 200
            expect(page.get_by_role("heading", level=1)).to_have_text("Jeanne Martin")
            assert _signals(response) == {"content-usage": "train-ai=y", "tdm-reservation": "0"}
            assert _meta(page) == {"tdm-reservation": ["0"], "robots": []}

            # the member turns the switch off on the settings page
            page.goto(f"{server.base_url}/demo")
            page.get_by_role("button", name="fr_adult", exact=True).click()
            page.goto(f"{server.base_url}/settings/data-privacy/data-for-genai-improvement")
            switch = page.get_by_role("switch", name="Use my data for training content "
                                      "creation AI models")
            expect(switch).to_have_attribute("aria-checked", "true")
            switch.click()
            expect(switch).to_have_attribute("aria-checked", "false")

            response = page.goto(public_url)
            assert response is not None and response.status == 200
            assert _signals(response) == {"content-usage": "train-ai=n", "tdm-reservation": "1",
                                          "x-robots-tag": "noai, noimageai"}
            assert _meta(page) == {"tdm-reservation": ["1"], "robots": ["noai, noimageai"]}
            response = page.reload()
            assert response is not None and _signals(response)["content-usage"] == "train-ai=n"

            # a minor's page does not exist, as for a member id nobody has
            for member in ("de_minor", "nobody"):
                response = page.goto(f"{server.base_url}/in/{member}")
                assert response is not None and response.status == 404
                assert "content-usage" not in response.all_headers()

            response = page.goto(f"{server.base_url}/robots.txt")
            assert response is not None
            robots = response.text()
            assert "Content-Usage: /$ train-ai=n" in robots and "Allow: /in/" in robots
            response = page.goto(f"{server.base_url}/.well-known/tdmrep.json")
            assert response is not None
            assert json.loads(response.text())[0] == {"location": "/in/*", "tdm-reservation": 1}
        finally:
            browser.close()
        log = server.log_text()
    # the server's log names the route template, never the member in the path
    assert "/in/{member_id}" in log
    for member in ("fr_adult", "de_minor", "nobody"):
        assert member not in log

    with Ledger(db) as ledger:
        (event,) = ledger.history("fr_adult")
    assert (event.value, event.source) == (False, "web")
