"""Alembic, driven from Python: each package ships its migrations inside itself (no
alembic.ini) and names its own version table, so that several can share one database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData


@dataclass(frozen=True)
class Migrations:
    script_location: str  # e.g. "consentgate.ledger:migrations"
    version_table: str = "alembic_version"

    def config(self, engine: Engine | None = None) -> Config:
        config = Config()
        config.set_main_option("script_location", self.script_location)
        if engine is not None:
            config.attributes["engine"] = engine
        return config

    def head_revision(self) -> str:
        head = ScriptDirectory.from_config(self.config()).get_current_head()
        assert head is not None, f"{self.script_location} ships no migration"
        return head

    def known_revisions(self) -> set[str]:
        return {s.revision for s in ScriptDirectory.from_config(self.config()).walk_revisions()}

    def current_revision(self, engine: Engine) -> str | None:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"version_table": self.version_table}
            )
            return context.get_current_revision()

    def upgrade(self, engine: Engine, revision: str = "head") -> None:
        """Create the tables, or bring older ones up to this version. Idempotent."""
        command.upgrade(self.config(engine), revision)

    def downgrade(self, engine: Engine, revision: str) -> None:
        command.downgrade(self.config(engine), revision)


def run_online(
    context,  # type: ignore[no-untyped-def]  # alembic's env context module
    metadata: MetaData,
    make_engine: Callable[[str], Engine],
    version_table: str = "alembic_version",
    include_name: Callable[..., bool] | None = None,
) -> None:
    """The body of a package's ``migrations/env.py``: the engine comes from the caller
    (``config.attributes['engine']``), or from ``sqlalchemy.url`` when alembic's own command
    line is used with an alembic.ini that points at the scripts."""
    if context.is_offline_mode():
        raise SystemExit("these migrations run online only (they create triggers per database)")
    config = context.config
    engine = config.attributes.get("engine")
    owned = engine is None
    if owned:
        engine = make_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                version_table=version_table,
                include_name=include_name,
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
