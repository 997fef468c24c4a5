"""The fast path of PUT /api/v1/me/settings/{key} answers exactly as the FastAPI route does
(a query string sends a request down the route: FastAPI ignores unknown parameters), and
leaves every request it is not sure of to the route."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from consentgate.service.api import record_change
from consentgate.service.config import ServiceConfig
from tests.service.conftest import SETTING_API, bearer

VOLATILE = ("receipt_id", "last_receipt_id", "effective_since", "effective_at",
            "recorded_at", "seq", "receipt_url")


def scrub(value: object) -> object:
    if isinstance(value, dict):
        return {k: ("…" if k in VOLATILE else scrub(v)) for k, v in value.items()}
    return value


def both(client: TestClient, **request: object):  # type: ignore[no-untyped-def]
    fast = client.put(SETTING_API, **request)  # type: ignore[arg-type]
    routed = client.put(SETTING_API + "?via=route", **request)  # type: ignore[arg-type]
    return fast, routed


def same_answer(fast, routed) -> None:  # type: ignore[no-untyped-def]
    assert fast.status_code == routed.status_code
    assert scrub(fast.json()) == scrub(routed.json())
    skip = {"content-length", "date"}
    assert ({k: v for k, v in fast.headers.items() if k not in skip}
            == {k: v for k, v in routed.headers.items() if k not in skip})


@pytest.mark.parametrize("member, body", [
    ("fr_adult", {"value": False}),
    ("gb_pupil", {"value": True, "language": "fr", "source": "mobile"}),
    ("not-in-the-data", {"value": True}),
])
def test_a_change_is_answered_as_the_route_answers_it(
    client: TestClient, config: ServiceConfig, member: str, body: dict,
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import consentgate.service.fastpath as fastpath

    answered = []

    async def counted(*args):  # type: ignore[no-untyped-def]
        answered.append(args)
        return await record_change(*args)

    monkeypatch.setattr(fastpath, "record_change", counted)
    with caplog.at_level(logging.INFO, logger="consentgate.service.access"):
        fast, routed = both(client, headers=bearer(config, member), json=body)
    assert len(answered) == 1  # the first by the fast path, the second by the route
    assert fast.status_code == 200
    same_answer(fast, routed)
    assert fast.json()["event"]["seq"] + 1 == routed.json()["event"]["seq"]
    lines = [r.getMessage() for r in caplog.records if r.name == "consentgate.service.access"]
    assert len(lines) == 2 and all(
        line.startswith(f"PUT {SETTING_API} 200 ") for line in lines)


@pytest.mark.parametrize("case", [
    "no token", "bad token", "expired", "not json", "wrong type", "extra field",
    "broken json", "empty", "wrong content type", "cookie",
])
def test_what_the_fast_path_is_unsure_of_gets_the_route_answer(
    client: TestClient, config: ServiceConfig, case: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import datetime as dt

    good = bearer(config, "fr_adult")
    json_type = {"content-type": "application/json"}
    request: dict = {
        "no token": {"json": {"value": True}},
        "bad token": {"headers": {"Authorization": "Bearer nope"}, "json": {"value": True}},
        "expired": {"headers": bearer(config, "fr_adult", now=dt.datetime(2020, 1, 1,
                                                                          tzinfo=dt.UTC)),
                    "json": {"value": True}},
        "not json": {"headers": good, "data": {"value": "true"}},
        "wrong type": {"headers": good, "json": {"value": "yes"}},
        "extra field": {"headers": good, "json": {"value": True, "member_id": "other"}},
        "broken json": {"headers": {**good, **json_type}, "content": b'{"value": tru'},
        "empty": {"headers": {**good, **json_type}, "content": b""},
        "wrong content type": {"headers": {**good, "content-type": "text/plain"},
                               "content": b'{"value": true}'},
        "cookie": {"headers": {**good, "cookie": "cg_session=x"}, "json": {"value": True}},
    }[case]
    monkeypatch.setattr("consentgate.service.fastpath.record_change", None)  # never called
    fast, routed = both(client, **request)
    if case == "cookie":  # a valid change all the same, left to the route and its session
        assert fast.status_code == 200
        assert scrub(fast.json()) == scrub(routed.json())
        return
    assert fast.status_code >= 400
    same_answer(fast, routed)
