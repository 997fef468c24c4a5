"""The test suite's secrets for a live `consentgate serve` (see consentgate.service.live)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from consentgate.service.live import LiveServer
from consentgate.service.live import live_server as _live_server

TOKEN_SECRET = "test-token-secret-" + "t" * 32
ADMIN_KEY = "test-admin-key-" + "a" * 32
SESSION_SECRET = "test-session-secret-" + "s" * 32


@contextmanager
def live_server(
    db: str, log: Path, source: Path | None = None, demo: bool = False,
    registry: str | None = None, workers: int | None = None,
) -> Iterator[LiveServer]:
    env = {"CONSENTGATE_TOKEN_SECRET": TOKEN_SECRET, "CONSENTGATE_ADMIN_KEY": ADMIN_KEY,
           "CONSENTGATE_SESSION_SECRET": SESSION_SECRET}
    with _live_server(db, log, env, source=source, demo=demo,
                      registry=registry, workers=workers) as server:
        yield server
