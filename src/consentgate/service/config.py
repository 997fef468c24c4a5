"""The service's configuration: command-line values plus secrets from the environment.

Secrets never come from the command line (it shows in process lists) and are never logged.

- ``CONSENTGATE_TOKEN_SECRET``: HMAC key (>= 32 characters) the platform signs member tokens
  with; required outside demo mode.
- ``CONSENTGATE_TOKEN_ISSUER`` / ``CONSENTGATE_TOKEN_AUDIENCE``: expected ``iss`` and ``aud``
  claims (defaults ``consentgate-platform`` and ``consentgate-settings``).
- ``CONSENTGATE_ADMIN_KEY``: key for the bulk endpoints (header ``X-Admin-Key``, >= 32
  characters); unset, the bulk endpoints refuse every call.
- ``CONSENTGATE_SESSION_SECRET``: key that signs the browser session cookie (default: random
  per start, so sessions end on restart).
- ``CONSENTGATE_SECURE_COOKIES``: ``1`` behind HTTPS, so that cookies get the Secure flag.
- ``CONSENTGATE_CONTROLLER_NAME`` / ``_URL`` / ``_CONTACT``: the controller named on receipts.
- ``CONSENTGATE_LEDGER_KEY_FILE`` (or the PEM itself in ``CONSENTGATE_LEDGER_KEY``): the
  Ed25519 key the service signs the log's tree heads with. Without one the service runs, but
  receipts prove inclusion in an unsigned tree only (demo mode makes a key for the run).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from consentgate.ledger.receipts import Controller
from consentgate.ledger.signing import SigningKey, signing_key_from_env
from consentgate.ledger.store import utcnow
from consentgate.policy.model import Policy

MIN_SECRET_LENGTH = 32
DEFAULT_ISSUER = "consentgate-platform"
DEFAULT_AUDIENCE = "consentgate-settings"


class ConfigError(ValueError):
    """The service cannot start with this configuration; the message says what to set."""


@dataclass
class ServiceConfig:
    db: str
    policy: Policy
    token_secret: str
    source: Path | None = None
    token_issuer: str = DEFAULT_ISSUER
    token_audience: str = DEFAULT_AUDIENCE
    admin_key: str | None = None
    session_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    secure_cookies: bool = False
    demo: bool = False
    controller: Controller | None = None
    session_max_age_s: int = 3600
    max_body_bytes: int = 16 * 1024 * 1024
    clock: Callable = utcnow
    # the registry of snapshots and training runs: answers "was my data used?"
    registry: str | None = None
    # signs the log's tree heads; every sign_interval_s seconds when the log has grown
    signing_key: SigningKey | None = None
    sign_interval_s: float = 1.0

    def __post_init__(self) -> None:
        if len(self.token_secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"CONSENTGATE_TOKEN_SECRET must be at least {MIN_SECRET_LENGTH} characters"
            )
        if self.admin_key is not None and len(self.admin_key) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"CONSENTGATE_ADMIN_KEY must be at least {MIN_SECRET_LENGTH} characters"
            )
        if self.controller is None:
            self.controller = Controller(url=self.policy.policy.notice_url)

    @classmethod
    def from_env(
        cls,
        db: str,
        policy: Policy,
        source: Path | None = None,
        demo: bool = False,
        env: Mapping[str, str] | None = None,
        registry: str | None = None,
    ) -> ServiceConfig:
        env = os.environ if env is None else env
        token_secret = env.get("CONSENTGATE_TOKEN_SECRET")
        admin_key = env.get("CONSENTGATE_ADMIN_KEY") or None
        if not token_secret:
            if not demo:
                raise ConfigError(
                    "set CONSENTGATE_TOKEN_SECRET (the key the platform signs member tokens "
                    "with, >= 32 characters), or run with --demo"
                )
            token_secret = secrets.token_urlsafe(32)
        if demo and admin_key is None:
            admin_key = secrets.token_urlsafe(32)
        signing_key = signing_key_from_env(env=env)
        if signing_key is None and demo:
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

            signing_key = SigningKey(Ed25519PrivateKey.generate())
        controller = Controller(
            name=env.get("CONSENTGATE_CONTROLLER_NAME", "Platform operator"),
            url=env.get("CONSENTGATE_CONTROLLER_URL", policy.policy.notice_url),
            contact=env.get("CONSENTGATE_CONTROLLER_CONTACT"),
        )
        return cls(
            db=db,
            policy=policy,
            source=source,
            token_secret=token_secret,
            token_issuer=env.get("CONSENTGATE_TOKEN_ISSUER", DEFAULT_ISSUER),
            token_audience=env.get("CONSENTGATE_TOKEN_AUDIENCE", DEFAULT_AUDIENCE),
            admin_key=admin_key,
            session_secret=env.get("CONSENTGATE_SESSION_SECRET") or secrets.token_urlsafe(32),
            secure_cookies=env.get("CONSENTGATE_SECURE_COOKIES", "") in ("1", "true", "yes"),
            demo=demo,
            controller=controller,
            registry=registry,
            signing_key=signing_key,
        )
