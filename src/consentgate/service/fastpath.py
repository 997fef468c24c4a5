"""The fast path of the busiest request, ``PUT /api/v1/me/settings/{key}``: the same checks
and the same answer as the FastAPI route, without FastAPI's per-request machinery.

On two shared cores, FastAPI's routing, dependency solving, session middleware and exception
middlewares cost more CPU than the change itself. This ASGI middleware sits inside the access
log, security headers and body limit (so those still apply) and answers the request itself
only when everything is as expected: a bearer token that verifies, ``Content-Type:
application/json``, a body that ``ChangeIn`` accepts, no query string, no cookie (a
session cookie would have the session middleware refresh it) and no ``Sec-GPC`` header (the
app records the signal). Anything else, every error
included, goes to the FastAPI app with the body replayed, which gives exactly the answer it
always gave (401, 422 and the rest). Once the change is handed to the ledger, failures are
answered as the app's exception handlers answer them (``ledger_failure_response``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from consentgate.ledger.errors import EventRejected, LedgerError
from consentgate.service.api import record_change
from consentgate.service.auth import InvalidToken, verify_member_token
from consentgate.service.schemas import ChangeIn

if TYPE_CHECKING:
    from consentgate.service.core import SettingsService


def ledger_failure_response(exc: Exception) -> Response | None:
    """The answer to a change the ledger did not record (the app's handlers use it too)."""
    if isinstance(exc, EventRejected):
        return JSONResponse({"detail": str(exc)}, status_code=422)
    if isinstance(exc, OperationalError):
        # The database is locked or unreachable: say so and let the client retry.
        return JSONResponse({"detail": "ledger busy or unavailable, retry"}, status_code=503,
                            headers={"Retry-After": "1"})
    if isinstance(exc, LedgerError):
        return JSONResponse({"detail": "ledger unavailable"}, status_code=503)
    return None


class _Route:
    """What the access log reads from ``scope["route"]``: the route's path template."""

    def __init__(self, path: str) -> None:
        self.path = path


class ChangeFastPath:
    def __init__(self, app: ASGIApp, service: SettingsService) -> None:
        self.app = app
        self.service = service
        self.path = f"/api/v1/me/settings/{service.key}"
        self.route = _Route(self.path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "PUT" or scope["path"] != self.path
                or scope.get("query_string")):
            await self.app(scope, receive, send)
            return
        authorization = content_type = None
        app_only = False  # the app must answer: a cookie, or a signal only it records
        for name, value in scope["headers"]:
            if name == b"authorization":
                if authorization is None:
                    authorization = value
            elif name == b"content-type":
                if content_type is None:
                    content_type = value
            elif name == b"cookie" or name == b"sec-gpc":
                # a session cookie the session middleware would refresh; a Global Privacy
                # Control signal, which the app records (SettingsService.honour_gpc)
                app_only = True
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay(chunks, message, receive), send)
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        change = identity = None
        if (authorization and not app_only and content_type is not None
                and _is_json(content_type)):
            scheme, _, token = authorization.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                try:
                    identity = verify_member_token(self.service.config, token.strip())
                    change = ChangeIn.model_validate_json(body)
                except (InvalidToken, ValidationError):
                    change = None
        if change is None or identity is None:
            await self.app(scope, _replay([body], None, receive), send)
            return
        scope["route"] = self.route
        try:
            response = await record_change(self.service, identity, change)
        except Exception as exc:
            failure = ledger_failure_response(exc)
            if failure is None:
                raise  # the access log answers 500 and logs the incident
            response = failure
        await response(scope, receive, send)


def _is_json(content_type: bytes) -> bool:
    return content_type.split(b";", 1)[0].strip().lower() == b"application/json"


def _replay(chunks: list[bytes], last: Message | None, receive: Receive) -> Receive:
    """A receive that gives the body already read (or the message that ended it), then
    whatever the client sends next."""
    pending: list[Message] = (
        [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]
        if last is None else
        [*({"type": "http.request", "body": c, "more_body": True} for c in chunks), last]
    )

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


__all__ = ["ChangeFastPath", "ledger_failure_response"]
