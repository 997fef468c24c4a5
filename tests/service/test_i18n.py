"""Every message on the pages has a French translation with the same placeholders."""

from __future__ import annotations

import re
from importlib import resources

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from consentgate.service.i18n import negotiate, pick_language, translations

SERVICE = resources.files("consentgate.service")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted() -> set[str]:
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = extract_from_dir(
        str(SERVICE),
        method_map=[("templates/**.html", "jinja2"), ("**.py", "python")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords=keywords,
    )
    return {message for _, _, message, _, _ in found}


def test_every_message_is_translated_to_french() -> None:
    with (SERVICE / "locales" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    messages = extracted()
    assert len(messages) > 90
    plurals = 0
    for message in messages:
        entry = catalog.get(message)
        assert entry is not None and entry.string, f"no French for {message!r}"
        assert not entry.fuzzy, f"fuzzy French for {message!r}"
        # a plural message (ngettext): the singular and the plural, and every French form
        ids = message if isinstance(message, tuple) else (message,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(strings), f"a French form missing for {message!r}"
        if isinstance(message, tuple):
            plurals += 1
            assert len(strings) == 2, message  # French: nplurals=2
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, message
    assert plurals >= 3
    assert translations("fr").gettext("Settings") == "Préférences"
    fr = translations("fr")
    assert fr.ngettext("%(num)d of them was used to train %(models)s.",
                       "%(num)d of them were used to train %(models)s.", 2).startswith(
        "%(num)d d'entre eux ont servi")
    assert fr.ngettext("%(num)d of them was used to train %(models)s.",
                       "%(num)d of them were used to train %(models)s.", 1).startswith(
        "%(num)d d'entre eux a servi")


def test_language_negotiation() -> None:
    assert negotiate("fr-FR,fr;q=0.9,en;q=0.8") == "fr"
    assert negotiate("de-DE, en;q=0.3") == "en"
    assert negotiate("en;q=0.2, fr;q=0.9") == "fr"
    assert negotiate("de, it") is None and negotiate(None) is None
    assert negotiate("fr;q=abc") is None
    assert pick_language(None, "de", "fr-CA") == "fr"
    assert pick_language() == "en"
