"""The FastAPI application: pages, JSON API, middleware and error handling."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from consentgate import __version__
from consentgate.ledger.errors import EventRejected, LedgerError
from consentgate.ledger.objections import AlreadyAnswered, UnknownObjection
from consentgate.ledger.store import Ledger
from consentgate.service.api import build_api
from consentgate.service.config import ServiceConfig
from consentgate.service.core import SettingsService
from consentgate.service.fastpath import ChangeFastPath, ledger_failure_response
from consentgate.service.i18n import negotiate, pick_language, translations
from consentgate.service.middleware import AccessLogAndErrors, BodyLimit, SecurityHeaders
from consentgate.service.pages import SignInFirst, build_pages, environment
from consentgate.service.public_pages import build_public_pages
from consentgate.service.strict_json import StrictJSONRoute

DESCRIPTION = """
The member's **Data for Generative AI Improvement** setting, for the platform's apps and
administrators. Every change is appended to a transparency log (RFC 9162 Merkle tree, signed
tree heads) and yields a receipt, with its inclusion proof, shaped
after ISO/IEC TS 27560.

**Members** (`memberToken`): `Authorization: Bearer <JWT>`, an HS256 JWT signed by the
platform with the shared secret, claims `sub` (member id), `iss`, `aud`, `iat`, `exp` (at
most 24 h after `iat`), optional `lang` (`en`/`fr`). A member only ever reads or changes
their own setting: the member id comes from the token alone.

**Was my data used?** `GET /api/v1/me/usage` (with `consentgate serve --registry`): the
training datasets holding the member's records, the runs and models that used them, and why
not when none does; `GET /api/v1/me/access-report`: an access report (GDPR Art. 15 style);
`POST /api/v1/me/erasure`: an erasure request (GDPR Art. 17), recorded once, with a receipt.

**Administrators** (`adminKey`): header `X-Admin-Key` for bulk import and export.

Malformed input gets a 4xx with a `detail` saying what is wrong.
"""


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def printable(value: Any) -> Any:
    """``value`` as an error answer can always carry it: what a client sent may be echoed
    back (pydantic's ``input``), and infinities, lone surrogates and undecodable bytes cannot
    be written as JSON or UTF-8, so they are written as escaped text instead."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "backslashreplace")
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable(v) for v in value]
    return value


def _problems(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = printable(list(exc.errors()))
    for error in errors:
        reason = (error.get("ctx") or {}).get("error") if isinstance(error, dict) else None
        if error.get("type") == "json_invalid" and isinstance(reason, str):
            error["msg"] = f"invalid JSON: {reason}"
    return errors


def create_app(config: ServiceConfig, ledger: Ledger | None = None) -> FastAPI:
    service = SettingsService(config, ledger)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The member index is built (or found) and the ledger's committer started before
        # the first request; on shutdown, after the last request, the changes still queued
        # are committed before the process ends.
        service.start()
        try:
            yield
        finally:
            service.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="consentgate settings service",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=[
            {"name": "member", "description": "A member's own setting (member token)"},
            {"name": "admin", "description": "Bulk import and export (admin key)"},
            {"name": "log", "description": "The transparency log: signed tree heads, keys and "
             "consistency proofs, for anyone (no key)"},
        ],
    )
    app.state.service = service
    # every JSON body is decoded strictly (no NaN, no lone surrogate): see strict_json
    app.router.route_class = StrictJSONRoute
    app.include_router(build_api(service))
    app.include_router(build_pages(service))
    app.include_router(build_public_pages(service))
    app.mount("/static", StaticFiles(directory=str(resources.files("consentgate.service") /
                                                 "static")), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    def error_page(request: Request, status: int, message: str) -> Response:
        lang = pick_language(request.session.get("lang") if "session" in request.scope else None,
                             negotiate(request.headers.get("accept-language")))
        _ = translations(lang).gettext
        html = environment(lang).get_template("error.html").render(
            lang=lang, languages=[], member_id=None, csrf="", path=["", "", "", ""],
            sidebar=False, section="", title=_("Something is wrong"),
            heading=_("Something is wrong"), message=message,
            policy_id=config.policy.policy.id, policy_version=config.policy.policy.version,
            notice_version=config.policy.policy.notice_version, demo=config.demo,
        )
        return Response(html, status_code=status, media_type="text/html")

    @app.exception_handler(SignInFirst)
    async def sign_in_first(request: Request, exc: SignInFirst) -> Response:
        return RedirectResponse("/", 303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_html(request):
            return error_page(request, exc.status_code, printable(str(exc.detail)))
        return await http_exception_handler(
            request, StarletteHTTPException(exc.status_code, printable(exc.detail), exc.headers))

    @app.exception_handler(RequestValidationError)
    async def invalid_input(request: Request, exc: RequestValidationError) -> Response:
        errors = _problems(exc)
        if _wants_html(request):
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in errors
            )
            return error_page(request, 422, problems)
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)

    @app.exception_handler(UnknownObjection)
    async def unknown_objection(request: Request, exc: UnknownObjection) -> Response:
        return JSONResponse({"detail": printable(str(exc))}, status_code=404)

    @app.exception_handler(AlreadyAnswered)
    async def already_answered(request: Request, exc: AlreadyAnswered) -> Response:
        return JSONResponse({"detail": printable(str(exc))}, status_code=409)

    @app.exception_handler(EventRejected)
    async def rejected(request: Request, exc: EventRejected) -> Response:
        return JSONResponse({"detail": printable(str(exc))}, status_code=422)

    @app.exception_handler(OperationalError)  # the database is locked or unreachable
    @app.exception_handler(LedgerError)
    async def ledger_failure(request: Request, exc: Exception) -> Response:
        response = ledger_failure_response(exc)
        assert response is not None
        return response

    # Outermost last: security headers on everything, the access log sees every answer.
    app.add_middleware(SessionMiddleware, secret_key=config.session_secret,
                       session_cookie="cg_session", max_age=config.session_max_age_s,
                       same_site="lax", https_only=config.secure_cookies)
    # inside the body limit, access log and security headers, outside the session
    app.add_middleware(ChangeFastPath, service=service)
    app.add_middleware(BodyLimit, max_bytes=config.max_body_bytes)
    app.add_middleware(AccessLogAndErrors)
    app.add_middleware(SecurityHeaders)
    return app


__all__ = ["create_app"]
