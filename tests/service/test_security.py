"""Only the member's own setting, only with a valid token; CSRF on forms; admin key on bulk
endpoints; no personal data in logs; 4xx, never 5xx, for bad input."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re

import jwt
import pytest
from fastapi.testclient import TestClient

from consentgate.ledger import Ledger
from consentgate.service.app import create_app
from consentgate.service.auth import mint_member_token
from consentgate.service.config import ServiceConfig
from tests.service.conftest import SETTING_API, SETTING_PAGE, admin_headers, bearer


def claims(config: ServiceConfig, **overrides: object) -> dict[str, object]:
    now = int(dt.datetime.now(dt.UTC).timestamp())
    base: dict[str, object] = {"sub": "fr_adult", "iss": config.token_issuer,
                               "aud": config.token_audience, "iat": now, "exp": now + 300}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def csrf_in(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client: TestClient, config: ServiceConfig, member: str) -> str:
    """Sign in as a member arriving from the platform: its form posts the token to /signin,
    the page asks to confirm, the member confirms with this site's form. Returns the CSRF
    token of the session."""
    token = mint_member_token(config, member)
    asked = client.post("/signin", data={"token": token})
    assert asked.status_code == 403 and 'action="/signin"' in asked.text
    answer = client.post("/signin", data={"token": token, "csrf_token": csrf_in(asked.text)})
    assert answer.status_code == 200 and answer.url.path == "/settings"
    return csrf_in(client.get(SETTING_PAGE).text)


def signed_in_as(client: TestClient) -> str | None:
    page = client.get("/settings", follow_redirects=False)
    if page.status_code == 303:
        return None
    return re.search(r"Signed in as ([^<]+)<", page.text).group(1).strip()


def test_a_sign_in_posted_without_the_form_token_starts_no_session(
    client: TestClient, config: ServiceConfig
) -> None:
    """Login CSRF: another site posts a valid token of its own member to /signin, so that
    the victim's browser is signed in as that member and what the victim does is recorded
    for them. Without this session's form token no session starts: the page asks first."""
    attacker = mint_member_token(config, "fr_optout")
    client.get("/")  # the browser has a session (and its form token) from an earlier visit
    for form, headers in (({}, {"Origin": "https://evil.example"}),
                          ({"csrf_token": "guess"}, {"Origin": "https://evil.example"}),
                          ({}, {}), ({"csrf_token": ""}, {})):
        answer = client.post("/signin", data={"token": attacker, **form}, headers=headers,
                             follow_redirects=False)
        assert answer.status_code == 403, answer.text
        assert "location" not in answer.headers
        assert signed_in_as(client) is None
        # the page says for whom, and offers this site's own form
        page = html.unescape(answer.text)
        assert "fr_optout" in page and 'action="/signin"' in page
        assert f'name="token" value="{attacker}"' in page
    # a session already there stays as it was
    sign_in(client, config, "fr_adult")
    for form in ({}, {"csrf_token": "guess"}):
        answer = client.post("/signin", data={"token": attacker, **form},
                             headers={"Origin": "https://evil.example"})
        assert answer.status_code == 403
        assert signed_in_as(client) == "fr_adult"
    # the right form token from another site is refused too (the Origin check)
    csrf = csrf_in(client.get(SETTING_PAGE).text)
    answer = client.post("/signin", data={"token": attacker, "csrf_token": csrf},
                         headers={"Origin": "https://evil.example"})
    assert answer.status_code == 403 and signed_in_as(client) == "fr_adult"
    # confirmed on this site's own form, the sign-in happens
    answer = client.post("/signin", data={"token": attacker, "csrf_token": csrf})
    assert answer.status_code == 200 and signed_in_as(client) == "fr_optout"


def test_the_demo_sign_in_needs_the_form_token(client: TestClient) -> None:
    for form, headers in (({}, {}), ({"csrf_token": "guess"}, {}),
                          ({"csrf_token": csrf_in(client.get("/demo").text)},
                           {"Origin": "https://evil.example"})):
        answer = client.post("/demo/signin", data={"member_id": "fr_optout", **form},
                             headers=headers, follow_redirects=False)
        assert answer.status_code == 403 and "location" not in answer.headers
        assert signed_in_as(client) is None
    answer = client.post("/demo/signin", data={"member_id": "fr_optout",
                                               "csrf_token": csrf_in(client.get("/demo").text)})
    assert answer.status_code == 200 and signed_in_as(client) == "fr_optout"


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("not-a-jwt", "token malformed"),
        (jwt.encode({"sub": "x"}, "another-secret-that-is-long-enough-32", "HS256"),
         "signature invalid"),
        ("EXPIRED", "token expired"),
        ("AUDIENCE", "audience not accepted"),
        ("ISSUER", "issuer not accepted"),
        ("NO_EXP", "lacks the 'exp' claim"),
        ("LONG", "longer than 24 hours"),
        ("NONE_ALG", "malformed"),
        ("EMPTY_SUB", "subject malformed"),
    ],
)
def test_forged_expired_or_foreign_tokens_are_refused(
    client: TestClient, config: ServiceConfig, token: str, message: str
) -> None:
    secret = config.token_secret
    now = int(dt.datetime.now(dt.UTC).timestamp())
    made = {
        "EXPIRED": lambda: jwt.encode(claims(config, iat=now - 600, exp=now - 300), secret),
        "AUDIENCE": lambda: jwt.encode(claims(config, aud="someone-else"), secret),
        "ISSUER": lambda: jwt.encode(claims(config, iss="evil"), secret),
        "NO_EXP": lambda: jwt.encode(claims(config, exp=None), secret),
        "LONG": lambda: jwt.encode(claims(config, exp=now + 3 * 86400), secret),
        "NONE_ALG": lambda: jwt.encode(claims(config), None, algorithm="none"),
        "EMPTY_SUB": lambda: jwt.encode(claims(config, sub="\u0000"), secret),
    }
    if token in made:
        token = made[token]()
    answer = client.get(SETTING_API, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401
    assert message in answer.json()["detail"]
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    page = client.post("/signin", data={"token": token})
    assert page.status_code == 401 and message in html.unescape(page.text)


def test_no_token_no_access(client: TestClient) -> None:
    assert client.get(SETTING_API).status_code == 401
    assert client.put(SETTING_API, json={"value": False}).status_code == 401
    assert client.get(SETTING_API, headers={"Authorization": "Basic abc"}).status_code == 401
    page = client.get(SETTING_PAGE, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/"


def test_a_member_cannot_reach_another_members_setting_or_receipts(
    client: TestClient, config: ServiceConfig
) -> None:
    alice, bob = bearer(config, "fr_adult"), bearer(config, "fr_optout")
    receipt = client.put(SETTING_API, headers=alice, json={"value": False}).json()["receipt_url"]
    assert client.get(receipt, headers=bob).status_code == 404  # as if it did not exist
    # there is no way to name another member: extra fields are refused, queries ignored
    assert client.put(SETTING_API, headers=bob,
                      json={"value": True, "member_id": "fr_adult"}).status_code == 422
    client.put(SETTING_API + "?member_id=fr_adult", headers=bob, json={"value": True})
    assert client.get(SETTING_API, headers=alice).json()["value"] is False
    assert client.get("/api/v1/me/history", headers=bob).json()["events"][0]["value"] is True
    # the browser route checks ownership the same way
    sign_in(client, config, "fr_optout")
    receipt_id = receipt.rsplit("/", 1)[1]
    assert client.get(f"/settings/receipts/{receipt_id}").status_code == 404


def test_forms_need_the_csrf_token(client: TestClient, config: ServiceConfig) -> None:
    csrf = sign_in(client, config, "fr_adult")
    for data in ({"value": "off"}, {"value": "off", "csrf_token": "guess"}):
        answer = client.post(SETTING_PAGE, data=data)
        assert answer.status_code == 403 and "CSRF" in answer.text
    cross_site = client.post(SETTING_PAGE, data={"value": "off", "csrf_token": csrf},
                             headers={"Origin": "https://evil.example"})
    assert cross_site.status_code == 403
    assert client.post("/signout", data={}).status_code == 403
    with Ledger(config.db) as ledger:
        assert ledger.count() == 0
    ok = client.post(SETTING_PAGE, data={"value": "off", "csrf_token": csrf})
    assert ok.status_code == 200
    with Ledger(config.db) as ledger:
        assert ledger.count() == 1


def test_bulk_endpoints_need_the_admin_key(client: TestClient, config: ServiceConfig) -> None:
    body = {"events": []}
    url = "/api/v1/admin/events/import"
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers={"X-Admin-Key": "wrong"}).status_code == 403
    assert client.post(url, json=body, headers=bearer(config, "fr_adult")).status_code == 401
    assert client.get("/api/v1/admin/events/export",
                      headers={"X-Admin-Key": "é".encode("latin-1")}).status_code == 403
    assert client.post(url, json=body, headers=admin_headers()).status_code == 200


def test_without_an_admin_key_bulk_endpoints_are_off(config: ServiceConfig) -> None:
    config.admin_key = None
    with TestClient(create_app(config)) as client:
        answer = client.get("/api/v1/admin/verify", headers=admin_headers())
        assert answer.status_code == 403 and "CONSENTGATE_ADMIN_KEY" in answer.json()["detail"]


def test_demo_sign_in_exists_only_in_demo_mode(config: ServiceConfig) -> None:
    config.demo = False
    with TestClient(create_app(config)) as client:
        assert client.get("/demo").status_code == 404
        assert client.post("/demo/signin", data={"member_id": "x"}).status_code == 404


def test_security_headers_and_limits(client: TestClient, config: ServiceConfig) -> None:
    page = client.get("/")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"
    huge = client.post("/api/v1/admin/events/import", headers=admin_headers(),
                       content=b"x" * (config.max_body_bytes + 1))
    assert huge.status_code == 413
    token = mint_member_token(config, "fr_adult")
    asked = client.post("/signin", data={"token": token})
    cookie = client.post("/signin", data={"token": token, "csrf_token": csrf_in(asked.text)},
                         follow_redirects=False).headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_logs_hold_no_personal_data(
    client: TestClient, config: ServiceConfig, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    member = "fr_adult"
    token = mint_member_token(config, member)
    me = {"Authorization": f"Bearer {token}"}
    receipt = client.put(SETTING_API, headers=me, json={"value": False}).json()["receipt_url"]
    client.get(receipt, headers=me)
    client.get(SETTING_API, headers={"Authorization": "Bearer garbage"})
    client.put(SETTING_API, headers=me, json={"value": "nope"})
    asked = client.post("/signin", data={"token": token})  # the confirmation page, then
    client.post("/signin", data={"token": token, "csrf_token": csrf_in(asked.text)})
    assert "fr_adult" in client.get(SETTING_PAGE).text
    # an unexpected failure: a 500 that names the incident, and a log line without the data
    service = client.app.state.service  # type: ignore[attr-defined]
    monkeypatch.setattr(service, "view", lambda m: (_ for _ in ()).throw(
        RuntimeError(f"boom for member {m}")))
    crash = client.get(SETTING_API, headers=me)
    assert crash.status_code == 500 and "incident" in crash.json()
    assert member not in crash.text
    # what the service logged (the test's own HTTP client logs its URLs: not the service's)
    logged = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records
                       if not r.name.startswith(("httpx", "httpcore")))
    assert "consentgate.service.access" in {r.name for r in caplog.records}
    assert "GET /api/v1/me/receipts/{receipt_id} 200" in logged
    assert "RuntimeError" in logged
    for secret in (member, token, receipt.rsplit("/", 1)[1], "boom for member"):
        assert secret not in logged
