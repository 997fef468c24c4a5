"""Alembic environment for the ledger. The engine comes from ``consentgate.ledger.migrate``
(``config.attributes['engine']``), or from ``sqlalchemy.url`` when alembic's own command line
is used with an alembic.ini that points here."""

from __future__ import annotations

from alembic import context

from consentgate.ledger.db import make_engine
from consentgate.ledger.models import metadata

config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    owned = engine is None
    if owned:
        engine = make_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                # SQLite cannot ALTER most things: let alembic rebuild tables when needed.
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    raise SystemExit("the ledger migrations run online only (they create triggers per database)")
run_migrations_online()
