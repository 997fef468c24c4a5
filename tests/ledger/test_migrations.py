"""The shipped Alembic migrations create exactly what the models describe, and go down and
up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from consentgate.ledger.db import make_engine
from consentgate.ledger.migrate import current_revision, downgrade, head_revision, upgrade
from consentgate.ledger.models import metadata


def test_migrations_match_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_downgrade_and_upgrade_again(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        downgrade(engine, "base")
        assert "ledger_events" not in inspect(engine).get_table_names()
        upgrade(engine)
        assert {"ledger_events", "ledger_head"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
