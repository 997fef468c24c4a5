"""ASGI middleware: access log without personal data, a 500 that leaks nothing, a body size
limit and security headers.

The access log names the route template (``/api/v1/me/receipts/{receipt_id}``), never the
path, query, headers or body, so no member id, receipt id or token reaches a log. Uvicorn's
own access log is switched off by ``consentgate serve`` for the same reason. An unexpected
exception is logged by type and code location only: its message may hold member data
(SQLAlchemy puts statement parameters there).
"""

from __future__ import annotations

import json
import logging
import time
import traceback
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("consentgate.service.access")
error_log = logging.getLogger("consentgate.service.errors")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
]
# The interactive API docs load their script from a CDN: give them their own policy.
DOCS_PATHS = ("/docs", "/redoc")


class AccessLogAndErrors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 0, "sent": False}

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["sent"] = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            incident = uuid.uuid4().hex[:12]
            frames = traceback.extract_tb(exc.__traceback__)[-3:]
            where = " <- ".join(
                f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames)
            )
            error_log.error("incident %s: %s at %s", incident, type(exc).__name__, where)
            if not status["sent"]:
                body = json.dumps({"detail": "internal error", "incident": incident}).encode()
                await send({"type": "http.response.start", "status": 500,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                status["code"] = 500
        route = scope.get("route")
        template = getattr(route, "path", None) or "<no route>"
        access_log.info("%s %s %s %.1fms", scope.get("method"), template, status["code"],
                        (time.perf_counter() - started) * 1000)


class BodyLimit:
    """Refuse bodies over ``max_bytes`` with 413, whether announced or streamed.

    A streamed body (``Transfer-Encoding: chunked``, no Content-Length) is counted as it is
    read; when it passes the limit, reading stops, and whatever the application answers to
    the cut-off body (FastAPI says 400, "error parsing the body") is replaced by the 413."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = False
                    await _reply(send, 400, "bad Content-Length")
                    return
                if too_big:
                    await _reply(send, 413, self.too_large)
                    return
        seen = 0
        over = False  # the body passed the limit
        answering = False  # the application's answer has started

        async def limited_receive() -> Message:
            nonlocal seen, over
            if over:
                raise _TooLarge
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    over = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal answering
            if over and not answering:
                return  # the answer to a cut-off body: the 413 goes instead
            if message["type"] == "http.response.start":
                answering = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not over or answering:
                raise
        if over and not answering:
            await _reply(send, 413, self.too_large)

    @property
    def too_large(self) -> str:
        mib = self.max_bytes / (1024 * 1024)
        return f"request body larger than {self.max_bytes} bytes ({mib:g} MiB), the limit"


class _TooLarge(Exception):
    pass


async def _reply(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_docs = scope.get("path", "") in DOCS_PATHS

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS
                         if k not in present and not (is_docs and k == b"content-security-policy")]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
