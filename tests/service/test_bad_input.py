"""Bad input never becomes a 500 (issue 11): JSON that Python's json module lets through but
is not JSON (NaN, Infinity, numbers too large for a float, lone surrogates, text that is not
UTF-8) gets 422 with a `detail` saying what is wrong, on every route, and nothing reaches
the ledger; the pages' form posts with undecodable text get a 4xx; a streamed body over the
limit gets 413 from a real server."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from consentgate.ledger import Ledger, init_ledger
from consentgate.service.app import create_app
from consentgate.service.config import ServiceConfig
from consentgate.service.schemas import ChangeIn
from tests.service.conftest import SETTING_API, SETTING_PAGE, admin_headers, bearer
from tests.service.live import live_server

ERASURE_API = "/api/v1/me/erasure"
IMPORT_API = "/api/v1/admin/events/import"


def _import(member_id: str = '"fr_adult"', setting: str = '"data_for_genai_improvement"',
            value: str = "true", effective_at: str = '"2024-01-01T00:00:00Z"',
            source: str = '"import"') -> str:
    """An import body with each field's JSON written as given (json.dumps would refuse)."""
    return (f'{{"events": [{{"member_id": {member_id}, "setting": {setting}, "value": {value}, '
            f'"effective_at": {effective_at}, "source": {source}}}]}}')


# (method, path, who, body, words the detail must hold)
BAD_BODIES = [
    ("PUT", SETTING_API, "member", '{"value": NaN}', "NaN"),
    ("PUT", SETTING_API, "member", '{"value": Infinity}', "Infinity"),
    ("PUT", SETTING_API, "member", '{"value": -Infinity}', "-Infinity"),
    ("PUT", SETTING_API, "member", '{"value": 1e400}', "finite"),
    ("PUT", SETTING_API, "member", '{"value": true, "language": NaN}', "NaN"),
    ("PUT", SETTING_API, "member", '{"value": true, "language": "\\ud800"}', "surrogate"),
    ("PUT", SETTING_API, "member", '{"value": true, "source": "x\\udfff"}', "surrogate"),
    ("PUT", SETTING_API, "member", '{"value": true, "\\ud800": 1}', "surrogate"),
    ("PUT", SETTING_API, "member", b'{"value": true, "language": "\xed\xa0\x80"}', "UTF-8"),
    ("PUT", SETTING_API, "member", b'{"value": true, "language": "\xff"}', "UTF-8"),
    ("PUT", SETTING_API, "member", "[" * 100_000, "nested"),
    ("POST", ERASURE_API, "member", '{"language": NaN}', "NaN"),
    ("POST", ERASURE_API, "member", '{"language": "fr", "source": Infinity}', "Infinity"),
    ("POST", ERASURE_API, "member", '{"language": "\\ud800"}', "surrogate"),
    ("POST", ERASURE_API, "member", '"\\udbff"', "surrogate"),
    ("POST", ERASURE_API, "member", "NaN", "NaN"),
    ("POST", IMPORT_API, "admin", _import(member_id='"\\ud800"'), "surrogate"),
    ("POST", IMPORT_API, "admin", _import(member_id='"m\\ud800"'), "surrogate"),
    ("POST", IMPORT_API, "admin", _import(setting='"\\udc00"'), "surrogate"),
    ("POST", IMPORT_API, "admin", _import(source='"web\\ud800"'), "surrogate"),
    ("POST", IMPORT_API, "admin", _import(member_id="NaN"), "NaN"),
    ("POST", IMPORT_API, "admin", _import(value="NaN"), "NaN"),
    ("POST", IMPORT_API, "admin", _import(effective_at="Infinity"), "Infinity"),
    ("POST", IMPORT_API, "admin", _import(effective_at="-1e999"), "finite"),
]


def _headers(config: ServiceConfig, who: str) -> dict[str, str]:
    auth = bearer(config, "fr_adult") if who == "member" else admin_headers()
    return {**auth, "Content-Type": "application/json"}


@pytest.mark.parametrize(("method", "path", "who", "body", "words"), BAD_BODIES,
                         ids=[f"{m} {p.rsplit('/', 1)[-1]} {b!r:.40}" for m, p, _, b, _w
                              in BAD_BODIES])
def test_json_that_is_not_json_gets_422_and_records_nothing(
    client: TestClient, config: ServiceConfig, method: str, path: str, who: str,
    body: str | bytes, words: str,
) -> None:
    answer = client.request(method, path, content=body, headers=_headers(config, who))
    assert answer.status_code == 422, answer.text
    detail = json.dumps(answer.json()["detail"])
    assert words in detail, detail
    with Ledger(config.db) as ledger:
        assert ledger.count() == 0


def test_a_lone_surrogate_split_by_the_escape_rules_is_still_found(
    client: TestClient, config: ServiceConfig
) -> None:
    # an escaped backslash before "ud800" is plain text, a pair is one character: both fine
    me = _headers(config, "member")
    for fine in ('{"value": false, "language": "fr", "source": "api"}',):
        assert client.put(SETTING_API, content=fine, headers=me).status_code == 200
    for refused in ('{"value": true, "source": "\\\\\\ud800"}',  # \\ then a real \ud800
                    '{"value": true, "source": "\\ud83d"}'):  # half a pair
        answer = client.put(SETTING_API, content=refused, headers=me)
        assert answer.status_code == 422 and "surrogate" in answer.text
    for text in ('{"value": true, "source": "\\\\ud800"}',  # a backslash, then "ud800"
                 '{"value": true, "source": "\\ud83d\\ude00"}'):  # one emoji
        answer = client.put(SETTING_API, content=text, headers=me)
        # the source is not one the API knows: refused by the schema, with the text echoed
        assert answer.status_code == 422 and "surrogate" not in answer.text, answer.text
        assert answer.json()["detail"][0]["loc"] == ["body", "source"]


def test_bodies_that_are_not_json_at_all_get_422_not_500(
    client: TestClient, config: ServiceConfig
) -> None:
    me = bearer(config, "fr_adult")
    for content_type, body in (("text/plain", b"\xff\xfe"), ("text/plain", b"\xed\xa0\x80"),
                               ("application/octet-stream", b"\x00\x9f"),
                               (None, b'{"value": NaN}')):
        headers = dict(me) if content_type is None else {**me, "Content-Type": content_type}
        for method, path in (("PUT", SETTING_API), ("POST", ERASURE_API)):
            answer = client.request(method, path, content=body, headers=headers)
            assert answer.status_code == 422, (content_type, body, answer.text)
            assert answer.json()["detail"]
    with Ledger(config.db) as ledger:
        assert ledger.count() == 0


def test_every_route_decodes_json_strictly(client: TestClient) -> None:
    """Any route added later goes through the same decoder (a plain APIRoute would not)."""
    from consentgate.service.strict_json import StrictJSONRoute

    routes = _api_routes(client.app.router.routes)  # type: ignore[attr-defined]
    assert len(routes) > 20
    loose = [r.path for r in routes if not isinstance(r, StrictJSONRoute)]
    assert not loose, loose


def test_a_route_that_decoded_loosely_would_still_answer_422(config: ServiceConfig) -> None:
    """The error answer itself can always be written: a NaN or a lone surrogate that reached
    validation (through a plain route, or a query) is echoed back escaped, never a 500."""
    app = create_app(config)

    def loose(change: ChangeIn) -> dict[str, bool]:
        return {"ok": change.value}

    app.router.add_api_route("/loose", loose, methods=["POST"], route_class_override=APIRoute)
    with TestClient(app) as client:
        for body in ('{"value": NaN}', '{"value": "\\ud800"}', '{"value": true, "\\udc00": 1}'):
            answer = client.post("/loose", content=body,
                                 headers={"Content-Type": "application/json"})
            assert answer.status_code == 422, answer.text
            assert answer.json()["detail"][0]["loc"][0] == "body"
        answer = client.post("/loose", content=b"\xff", headers={"Content-Type": "text/plain",
                                                                 "Accept": "text/html"})
        assert answer.status_code == 422 and "text/html" in answer.headers["content-type"]
    app.state.service.close()


def _api_routes(routes: list) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        inner = getattr(route, "original_router", None) or getattr(route, "app", None)
        if inner is not None and hasattr(inner, "routes") and inner is not route:
            found.extend(_api_routes(inner.routes))
    return found


# -- the pages' form posts --------------------------------------------------------------------
UNDECODABLE = ["%ED%A0%80", "%FF", "%C3", "\xed\xa0\x80"]


def _demo_csrf(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/demo").text).group(1)


def _signed_in_csrf(client: TestClient) -> str:
    csrf = _demo_csrf(client)
    client.post("/demo/signin", data={"member_id": "fr_adult", "csrf_token": csrf})
    return re.search(r'name="csrf_token" value="([^"]+)"',
                     client.get(SETTING_PAGE).text).group(1)


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
@pytest.mark.parametrize("bad", UNDECODABLE)
def test_form_posts_with_undecodable_text_get_a_4xx(
    client: TestClient, config: ServiceConfig, bad: str, accept: str
) -> None:
    def post(path: str, fields: dict[str, str], bad_field: str) -> httpx.Response:
        pairs = [f"{k}={v}" for k, v in fields.items() if k != bad_field]
        body = "&".join([*pairs, f"{bad_field}={bad}"]).encode("latin-1")
        return client.post(path, content=body, follow_redirects=False,
                           headers={"Content-Type": "application/x-www-form-urlencoded",
                                    "Accept": accept})

    csrf = _demo_csrf(client)
    for field in ("token", "csrf_token"):
        answer = post("/signin", {"token": "x.y.z", "csrf_token": csrf}, field)
        assert 400 <= answer.status_code < 500, answer.text
    for field in ("csrf_token", "lang"):
        answer = post("/demo/signin", {"member_id": "fr_adult", "csrf_token": csrf,
                                       "lang": "en"}, field)
        assert answer.status_code < 500, answer.text
    csrf = _signed_in_csrf(client)
    for path, fields in ((SETTING_PAGE, {"value": "off", "csrf_token": csrf}),
                         (f"{SETTING_PAGE}/erasure", {"confirm": "yes", "csrf_token": csrf}),
                         ("/signout", {"csrf_token": csrf})):
        for field in fields:
            answer = post(path, fields, field)
            assert 400 <= answer.status_code < 500, (path, field, answer.text)
        # the same field name itself undecodable: an unknown field, ignored or refused
        answer = client.post(path, content=f"{'&'.join(f'{k}={v}' for k, v in fields.items())}"
                             f"&x{bad}=1".encode("latin-1"), follow_redirects=False,
                             headers={"Content-Type": "application/x-www-form-urlencoded",
                                      "Accept": accept})
        assert answer.status_code < 500
        if path == "/signout":
            break
        csrf = _signed_in_csrf(client)
    # multipart: undecodable bytes in a part
    answer = client.post(SETTING_PAGE, files={"value": (None, b"\xed\xa0\x80"),
                                              "csrf_token": (None, csrf.encode())},
                         headers={"Accept": accept})
    assert 400 <= answer.status_code < 500
    with Ledger(config.db) as ledger:
        assert ledger.count() <= 1  # the one well-formed post among them: the unknown field


# -- streamed bodies over the limit -----------------------------------------------------------
def test_a_chunked_body_over_the_limit_gets_413_from_a_real_server(tmp_path: Path) -> None:
    db = str(tmp_path / "ledger.db")
    init_ledger(db)
    limit = 16 * 1024 * 1024

    def chunks(total: int):  # type: ignore[no-untyped-def]
        sent = 0
        while sent < total:
            size = min(1 << 20, total - sent)
            sent += size
            yield b" " * size

    with live_server(db, tmp_path / "serve.log") as server:
        for path in (IMPORT_API, ERASURE_API, SETTING_API):
            # no Content-Length: httpx sends a generator as Transfer-Encoding: chunked
            answer = httpx.request("PUT" if path == SETTING_API else "POST",
                                   server.base_url + path, content=chunks(17_000_000),
                                   headers={**admin_headers(), "Content-Type": "application/json"},
                                   timeout=60)
            assert answer.status_code == 413, (path, answer.text)
            assert "larger than 16777216 bytes" in answer.json()["detail"]
        # a form post: one field over the form parser's 1 MiB per field comes first, a 400
        # that says so; many small fields hit the 1000-field limit; 16 MiB in all, the 413
        fields = (b"f%d=%s&" % (i, b"x" * 900_000) for i in range(20))
        for body, status, words in ((chunks(17_000_000), 400, "maximum size"),
                                    (iter([b"a=1&" * 5000]), 400, "Too many fields"),
                                    (fields, 413, "larger than 16777216 bytes")):
            answer = httpx.post(server.base_url + "/signin", content=body, timeout=60,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert answer.status_code == status and words in answer.text, answer.text
        # just under the limit is not refused for its size
        answer = httpx.post(server.base_url + IMPORT_API, content=chunks(limit - 16),
                            headers={**admin_headers(), "Content-Type": "application/json"},
                            timeout=60)
        assert answer.status_code == 422, answer.text
        assert httpx.get(server.base_url + "/healthz").status_code == 200
    with Ledger(db) as ledger:
        assert ledger.count() == 0
