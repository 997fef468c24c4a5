"""Alembic environment for the registry (see ``consentgate.database.migrations.run_online``).

The registry keeps its own version table (``registry_alembic_version``) and looks only at
its own ``registry_*`` tables, so that it can share a database with the consent ledger,
whose migrations use alembic's default ``alembic_version``.
"""

from __future__ import annotations

from alembic import context

from consentgate.database.migrations import run_online
from consentgate.registry.models import TABLE_PREFIX, VERSION_TABLE, metadata


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Autogenerate compares the registry's tables only, never the ledger's."""
    if type_ == "table":
        return bool(name) and name.startswith(TABLE_PREFIX)  # type: ignore[union-attr]
    return True


def _write_engine(url: str):  # type: ignore[no-untyped-def]
    from consentgate.registry.db import write_engine

    return write_engine(url)


run_online(context, metadata, _write_engine, VERSION_TABLE, include_name)
