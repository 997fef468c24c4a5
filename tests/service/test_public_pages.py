"""Members' public pages: the AI-usage signals follow the member's setting at request time,
the site files say what docs/service.md says, and nothing but public content is shown,
to members whose page may be shown at all."""

from __future__ import annotations

import json
import re
import urllib.robotparser
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from consentgate.ledger import init_ledger
from consentgate.service.app import create_app
from consentgate.service.config import ServiceConfig
from consentgate.service.public_profile import MAX_POSTS
from tests.conftest import tiny_tables, ts, write_source
from tests.service.conftest import SETTING_API, admin_headers, bearer
from tests.service.live import ADMIN_KEY, TOKEN_SECRET

SIGNAL_HEADERS = ("content-usage", "tdm-reservation", "x-robots-tag")
ALLOWED_HEADERS = {"content-usage": "train-ai=y", "tdm-reservation": "0"}
OPTED_OUT_HEADERS = {"content-usage": "train-ai=n", "tdm-reservation": "1",
                     "x-robots-tag": "noai, noimageai"}
ALLOWED_META = [("tdm-reservation", "0")]
OPTED_OUT_META = [("tdm-reservation", "1"), ("robots", "noai, noimageai")]


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "meta" and named.get("name"):
            self.found.append((named["name"] or "", named.get("content") or ""))


def meta_tags(html: str) -> list[tuple[str, str]]:
    parser = _Meta()
    parser.feed(html)
    return [(n, c) for n, c in parser.found if n in ("tdm-reservation", "robots")]


def signals(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {k: response.headers[k] for k in SIGNAL_HEADERS if k in response.headers}


def _record(rid: str, text: str, **kw: object) -> dict:
    row = dict(record_id=rid, member_id="fr_adult", kind="post", visibility="public",
               group_id=None, created_at=ts(2025, 12, 1), deleted_at=None, text=text)
    row.update(kw)
    return row


# fr_adult's records beyond tiny_tables': what the page may and may not show
EXTRA_RECORDS = [
    _record("fr_adult-name", "Jeanne Martin", kind="profile_name", created_at=ts(2012, 3, 4)),
    _record("fr_adult-salary", "Salaire 61 000 EUR brut", kind="salary", visibility="private"),
    _record("fr_adult-inmail", "Offre confidentielle", kind="inmail", visibility="private"),
    _record("fr_adult-conn", "Only for my connections", visibility="connections"),
    _record("fr_adult-gone", "A post I deleted", deleted_at=ts(2025, 12, 2)),
    _record("fr_adult-future", "Posted from the future", created_at=ts(2099, 1, 1)),
    _record("fr_adult-comment", "A public comment", kind="comment"),
    _record("fr_adult-article", "Mon article sur DuckDB", kind="article",
            created_at=ts(2025, 12, 3)),
    *[_record(f"fr_adult-old{i}", f"Old post {i}", created_at=ts(2020, 1, 1 + i))
      for i in range(MAX_POSTS)],
]
NEVER_SHOWN = ["Salaire 61 000", "Offre confidentielle", "Only for my connections",
               "A post I deleted", "Posted from the future", "A public comment",
               "On se voit demain", "Réunion syndicale jeudi", "Great talk on DuckDB",
               "1985-04-02", "1985"]


@pytest.fixture
def public_source(tmp_path: Path) -> Path:
    tables = tiny_tables()
    tables["records"] = tables["records"] + EXTRA_RECORDS
    return write_source(tmp_path / "platform-public", tables)


@pytest.fixture
def public_client(tmp_path: Path, public_source: Path, policy):  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    init_ledger(db)
    config = ServiceConfig(db=db, policy=policy, token_secret=TOKEN_SECRET, admin_key=ADMIN_KEY,
                           source=public_source, demo=True)
    app = create_app(config)
    with TestClient(app) as client:
        yield client, config
    app.state.service.close()


def test_the_signals_follow_the_members_switch_at_request_time(public_client) -> None:
    client, config = public_client
    page = client.get("/in/fr_adult")
    assert page.status_code == 200
    assert signals(page) == ALLOWED_HEADERS  # on by default in the EU
    assert meta_tags(page.text) == ALLOWED_META
    assert page.headers["cache-control"] == "no-store"

    assert client.put(SETTING_API, json={"value": False},
                      headers=bearer(config, "fr_adult")).status_code == 200
    page = client.get("/in/fr_adult")
    assert signals(page) == OPTED_OUT_HEADERS
    assert meta_tags(page.text) == OPTED_OUT_META
    head = client.head("/in/fr_adult")
    assert head.status_code == 200 and signals(head) == OPTED_OUT_HEADERS

    assert client.put(SETTING_API, json={"value": True},
                      headers=bearer(config, "fr_adult")).status_code == 200
    page = client.get("/in/fr_adult")
    assert signals(page) == ALLOWED_HEADERS and meta_tags(page.text) == ALLOWED_META


def test_conflicting_events_at_one_instant_read_as_opted_out(public_client) -> None:
    client, _ = public_client
    at = "2025-12-01T10:00:00Z"
    events = [dict(member_id="fr_adult", setting="data_for_genai_improvement", value=v,
                   effective_at=at, source="import") for v in (True, False)]
    answer = client.post("/api/v1/admin/events/import", json={"events": events},
                         headers=admin_headers())
    assert answer.status_code == 200, answer.text
    page = client.get("/in/fr_adult")
    assert signals(page) == OPTED_OUT_HEADERS and meta_tags(page.text) == OPTED_OUT_META


def test_only_public_content_is_shown(public_client) -> None:
    client, _ = public_client
    page = client.get("/in/fr_adult", headers={"accept-language": "fr"})
    text = page.text
    assert "<h1>Jeanne Martin</h1>" in text
    assert "Senior data engineer chez Acme" in text
    assert "Mon article sur DuckDB" in text and "Publications publiques" in text
    # the newest MAX_POSTS public posts and articles, newest first
    shown = re.findall(r"<article>.*?<p>(.*?)</p>\s*</article>", text, re.S)
    assert shown == ["Mon article sur DuckDB",
                     "Écrivez-moi à jeanne.martin@example.fr ou au 06 12 34 56 78",
                     "Old post 4", "Old post 3", "Old post 2"]
    assert len(shown) == MAX_POSTS
    for secret in NEVER_SHOWN:
        assert secret not in text, secret


def test_minors_deleted_erased_and_unknown_members_get_the_same_404(public_client) -> None:
    client, config = public_client
    assert client.post("/api/v1/me/erasure", headers=bearer(config, "fr_optout")).status_code \
        == 201
    unknown = client.get("/in/nobody-at-all", headers={"accept": "text/html"})
    assert unknown.status_code == 404
    # de_minor: under 18; gb_pupil: in secondary school; us_gone: deleted; fr_optout: erased
    for member in ("de_minor", "gb_pupil", "us_gone", "fr_optout", "x" * 129):
        page = client.get(f"/in/{member}", headers={"accept": "text/html"})
        assert page.status_code == 404, member
        assert page.text == unknown.text
        assert signals(page) == {}
        assert "Senior data engineer" not in page.text and member not in page.text
    # an adult outside any region is served: the page follows the setting, not the rollout
    assert client.get("/in/nowhere").status_code == 200


def test_without_a_source_no_page_is_served(tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    init_ledger(db)
    config = ServiceConfig(db=db, policy=policy, token_secret=TOKEN_SECRET, demo=True)
    app = create_app(config)
    with TestClient(app) as client:
        assert client.get("/in/fr_adult").status_code == 404
        assert client.get("/robots.txt").status_code == 200
    app.state.service.close()


# -- the site files ------------------------------------------------------------------------
def robots_rules(text: str) -> list[tuple[str, str, str]]:
    """(rule, path pattern, rest) of every rule line, comments dropped."""
    rules = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, value = line.partition(":")
        path, _, rest = value.strip().partition(" ")
        rules.append((name.strip().lower(), path, rest.strip()))
    return rules


def pattern_matches(pattern: str, path: str) -> bool:
    """RFC 9309 path matching: '*' any characters, a trailing '$' the end of the path."""
    anchored = pattern.endswith("$")
    body = re.escape(pattern.rstrip("$")).replace(r"\*", ".*")
    return re.match(body + ("$" if anchored else ""), path) is not None


def content_usage_for(rules: list[tuple[str, str, str]], path: str) -> str | None:
    """The Content-Usage rule with the longest matching path (draft-ietf-aipref-attach)."""
    matching = [(len(p), rest) for name, p, rest in rules
                if name == "content-usage" and pattern_matches(p, path)]
    return max(matching)[1] if matching else None


def test_robots_txt_states_preferences_for_the_site_and_none_for_member_pages(
    client: TestClient,
) -> None:
    answer = client.get("/robots.txt")
    assert answer.headers["content-type"].startswith("text/plain")
    rules = robots_rules(answer.text)
    assert ("user-agent", "*", "") in rules
    assert [(p, r) for n, p, r in rules if n == "content-usage"] == [
        ("/$", "train-ai=n"), ("/.well-known/", "train-ai=n")]
    # a site-wide rule would combine with (and override) each member's own header
    assert content_usage_for(rules, "/in/fr_adult") is None
    assert content_usage_for(rules, "/") == "train-ai=n"
    assert content_usage_for(rules, "/.well-known/tdmrep.json") == "train-ai=n"
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(answer.text.splitlines())
    assert parser.can_fetch("ExampleBot", "/in/fr_adult")
    assert parser.can_fetch("ExampleBot", "/.well-known/tdmrep.json")
    for private in ("/settings", "/settings/data-privacy", "/api/v1/me/history", "/demo"):
        assert not parser.can_fetch("ExampleBot", private), private


def test_tdmrep_json_reserves_member_pages_unless_the_page_says_otherwise(
    client: TestClient,
) -> None:
    answer = client.get("/.well-known/tdmrep.json")
    assert answer.headers["content-type"] == "application/json"
    rules = json.loads(answer.text)
    assert rules == [{"location": "/in/*", "tdm-reservation": 1},
                     {"location": "/*", "tdm-reservation": 1}]

    def first_match(path: str) -> dict:
        return next(r for r in rules if pattern_matches(r["location"], path))

    assert first_match("/in/fr_adult") == rules[0]
    assert first_match("/settings") == rules[1]
    # the page's own header (which TDMRep ranks above the file) lifts it for an adult
    # whose setting is on
    assert client.get("/in/fr_adult").headers["tdm-reservation"] == "0"


def test_age_unknown_is_not_served_where_the_policy_excludes_it(
    tmp_path: Path, policy  # type: ignore[no-untyped-def]
) -> None:
    from importlib import resources

    from consentgate.policy import load_policy

    shipped = resources.files("consentgate.policy") / "policies" / "linkedin-2025.toml"
    text = shipped.read_text(encoding="utf-8")
    assert 'unknown_age = "allow"' in text
    strict_file = tmp_path / "strict.toml"
    strict_file.write_text(text.replace('unknown_age = "allow"', 'unknown_age = "exclude"'))
    tables = tiny_tables()
    newcomer = dict(tables["members"][0], member_id="newcomer", joined_at=ts(2099, 1, 1))
    no_age = dict(tables["members"][0], member_id="no_age", birth_date=None)
    tables["members"] += [newcomer, no_age]
    source = write_source(tmp_path / "src", tables)
    served = {}
    for name, pol in (("shipped", policy), ("strict", load_policy(strict_file))):
        db = f"sqlite:///{tmp_path / f'{name}.db'}"
        init_ledger(db)
        app = create_app(ServiceConfig(db=db, policy=pol, token_secret=TOKEN_SECRET,
                                       source=source, demo=True))
        with TestClient(app) as client:
            served[name] = {m: client.get(f"/in/{m}").status_code
                            for m in ("fr_adult", "no_age", "newcomer")}
        app.state.service.close()
    assert served == {"shipped": {"fr_adult": 200, "no_age": 200, "newcomer": 404},
                      "strict": {"fr_adult": 200, "no_age": 404, "newcomer": 404}}
