"""Who is asking: member tokens signed by the platform, browser sessions, CSRF, admin key.

Member token: a JWT (RFC 7519) signed with HMAC-SHA256 using ``CONSENTGATE_TOKEN_SECRET``.

- header ``{"alg": "HS256", "typ": "JWT"}``; no other algorithm is accepted;
- claims (all required): ``sub`` the member id, ``iss`` and ``aud`` as configured,
  ``iat`` and ``exp`` (seconds since the epoch), at most 24 hours apart; optional ``lang``.

Apps send it as ``Authorization: Bearer <token>``. A browser hands it over once, in a form
POST to ``/signin`` (never in a URL, where it would end up in logs and history); the service
then keeps a signed, HttpOnly session cookie for an hour. That POST starts a session only with
the session's CSRF token (``check_csrf``): posted from elsewhere (the platform's page, or a
site signing the browser in as a member of its choosing) it gets a page of this site asking
to confirm. The member id comes only from the
token or the session, never from the request's path, query or body: a member can read and
change their own setting and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

import jwt
from fastapi import HTTPException, Request, status

from consentgate.ledger.errors import EventRejected
from consentgate.ledger.store import check_text
from consentgate.service.config import ServiceConfig

ALGORITHM = "HS256"
MAX_TOKEN_LIFETIME = dt.timedelta(hours=24)
LEEWAY_S = 30
SUPPORTED_LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class MemberIdentity:
    member_id: str
    language: str | None = None


class InvalidToken(Exception):
    """Why a token was refused, in words safe to show (never the token or its subject)."""


def mint_member_token(
    config: ServiceConfig,
    member_id: str,
    lifetime: dt.timedelta = dt.timedelta(minutes=5),
    language: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """What the platform does to send a member here (also used by demo sign-in and tests)."""
    issued = now or dt.datetime.now(dt.UTC)
    claims: dict[str, object] = {
        "sub": member_id,
        "iss": config.token_issuer,
        "aud": config.token_audience,
        "iat": int(issued.timestamp()),
        "exp": int((issued + lifetime).timestamp()),
    }
    if language:
        claims["lang"] = language
    return jwt.encode(claims, config.token_secret, algorithm=ALGORITHM)


def verify_member_token(config: ServiceConfig, token: str) -> MemberIdentity:
    try:
        claims = jwt.decode(
            token,
            config.token_secret,
            algorithms=[ALGORITHM],
            audience=config.token_audience,
            issuer=config.token_issuer,
            leeway=LEEWAY_S,
            options={"require": ["sub", "iss", "aud", "iat", "exp"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("token expired") from exc
    except jwt.InvalidSignatureError as exc:
        raise InvalidToken("token signature invalid") from exc
    except jwt.InvalidAudienceError as exc:
        raise InvalidToken("token audience not accepted") from exc
    except jwt.InvalidIssuerError as exc:
        raise InvalidToken("token issuer not accepted") from exc
    except jwt.MissingRequiredClaimError as exc:
        raise InvalidToken(f"token lacks the {exc.claim!r} claim") from exc
    except Exception as exc:  # any other malformation: never a 500
        raise InvalidToken("token malformed") from exc
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int | float) or not isinstance(exp, int | float):
        raise InvalidToken("token times malformed")
    if exp - iat > MAX_TOKEN_LIFETIME.total_seconds():
        raise InvalidToken("token lifetime longer than 24 hours")
    subject = claims.get("sub")
    try:
        member_id = check_text("sub", subject, 128)
    except EventRejected as exc:
        raise InvalidToken("token subject malformed") from exc
    language = claims.get("lang")
    return MemberIdentity(member_id, language if language in SUPPORTED_LANGUAGES else None)


def bearer_member(config: ServiceConfig, request: Request) -> MemberIdentity:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "a member token is required: Authorization: Bearer <JWT>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        return verify_member_token(config, token.strip())
    except InvalidToken as exc:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            str(exc),
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from exc


def require_admin(config: ServiceConfig, request: Request) -> None:
    key = request.headers.get("x-admin-key", "")
    if config.admin_key is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            "bulk endpoints are off: set CONSENTGATE_ADMIN_KEY")
    if not key:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "admin key required: X-Admin-Key")
    if not hmac.compare_digest(key.encode("utf-8", "replace"), config.admin_key.encode()):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "admin key not accepted")


# -- browser sessions ---------------------------------------------------------------------------
def session_member(request: Request) -> str | None:
    member = request.session.get("member")
    return member if isinstance(member, str) else None


def start_session(request: Request, identity: MemberIdentity) -> None:
    language = request.session.get("lang")
    request.session.clear()
    request.session["member"] = identity.member_id
    request.session["csrf"] = secrets.token_urlsafe(32)
    if identity.language or language:
        request.session["lang"] = identity.language or language


def csrf_token(request: Request) -> str:
    """The form token of this session, made on first use (also before sign-in)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    """A form POST must carry the session's token, and come from this site if the browser
    says where it comes from."""
    expected = request.session.get("csrf")
    if not isinstance(expected, str) or not submitted or not hmac.compare_digest(
        submitted.encode("utf-8", "replace"), expected.encode()
    ):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "form token missing or wrong (CSRF)")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if origin.split("://", 1)[-1] != host:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "form posted from another site")
