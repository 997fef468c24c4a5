"""Alembic environment for the registry. The engine comes from
``consentgate.registry.migrate`` (``config.attributes['engine']``), or from
``sqlalchemy.url`` when alembic's own command line is used with an alembic.ini that points
here.

The registry keeps its own version table (``registry_alembic_version``) and looks only at
its own ``registry_*`` tables, so that it can share a database with the consent ledger,
whose migrations use alembic's default ``alembic_version``.
"""

from __future__ import annotations

from alembic import context

from consentgate.registry.models import TABLE_PREFIX, VERSION_TABLE, metadata

config = context.config


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Autogenerate compares the registry's tables only, never the ledger's."""
    if type_ == "table":
        return bool(name) and name.startswith(TABLE_PREFIX)  # type: ignore[union-attr]
    return True


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    owned = engine is None
    if owned:
        from consentgate.registry.db import write_engine

        engine = write_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                version_table=VERSION_TABLE,
                include_name=include_name,
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
    raise SystemExit("the registry migrations run online only")
run_migrations_online()
