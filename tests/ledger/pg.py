"""One throwaway PostgreSQL server per test session, shared by the ledger and service tests
(it stops when the session's process exits)."""

from __future__ import annotations

import uuid

import pytest

from consentgate.ledger.pgtemp import PostgresUnavailable, ThrowawayPostgres

_server: ThrowawayPostgres | None = None


def shared_postgres() -> ThrowawayPostgres:
    global _server
    if _server is None:
        try:
            _server = ThrowawayPostgres().start()
        except PostgresUnavailable as exc:
            pytest.skip(f"PostgreSQL tests skipped: {exc}")
    return _server


def fresh_postgres_url() -> str:
    return shared_postgres().create_database(f"t_{uuid.uuid4().hex[:12]}")
