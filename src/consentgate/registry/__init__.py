"""The registry of snapshots, training runs and models, and the member's usage answer.

- ``Registry(url)``: the store (SQLite file or PostgreSQL; may share its database with the
  consent ledger). ``Registry(url)`` opens for writing and creates/migrates on first use;
  ``Registry.open_existing(url)`` (same as ``read_only=True``) opens for reading and never
  creates anything.
- ``training_run(...)``: a context manager for training scripts (MLflow and OpenLineage
  optional, with the ``mlflow`` and ``openlineage`` extras).
- ``member_usage(registry, member_id, consent=None)``: which snapshots hold the member's
  records, which runs used them, their setting's history.

Names are loaded on first use (PEP 562), so the command line does not pay for SQLAlchemy,
Alembic or pyarrow until a registry command runs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "RegistryError": "consentgate.registry.errors",
    "SNAPSHOT_STATES": "consentgate.registry.models",
    "RUN_STATES": "consentgate.registry.models",
    "ModelEntry": "consentgate.registry.store",
    "Registry": "consentgate.registry.store",
    "RunEntry": "consentgate.registry.store",
    "SnapshotEntry": "consentgate.registry.store",
    "SEARCHABLE_STATES": "consentgate.registry.store",
    "TRAINABLE_STATES": "consentgate.registry.store",
    "training_run": "consentgate.registry.training",
    "MemberUsage": "consentgate.registry.usage",
    "RunUsage": "consentgate.registry.usage",
    "SettingEvent": "consentgate.registry.usage",
    "SnapshotUsage": "consentgate.registry.usage",
    "USAGE_FILE": "consentgate.snapshot.usage_index",
    "USAGE_SCHEMA": "consentgate.snapshot.usage_index",
    "member_usage": "consentgate.registry.usage",
    "write_usage_index": "consentgate.snapshot.usage_index",
}

if TYPE_CHECKING:
    from consentgate.registry.errors import RegistryError
    from consentgate.registry.models import RUN_STATES, SNAPSHOT_STATES
    from consentgate.registry.store import (
        SEARCHABLE_STATES,
        TRAINABLE_STATES,
        ModelEntry,
        Registry,
        RunEntry,
        SnapshotEntry,
    )
    from consentgate.registry.training import training_run
    from consentgate.registry.usage import (
        MemberUsage,
        RunUsage,
        SettingEvent,
        SnapshotUsage,
        member_usage,
    )
    from consentgate.snapshot.usage_index import USAGE_FILE, USAGE_SCHEMA, write_usage_index


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'consentgate.registry' has no attribute {name!r}")
    return getattr(import_module(module), name)


def init_registry(url: str) -> None:
    """Create the registry's tables, or upgrade them to this version (idempotent)."""
    from consentgate.registry.store import Registry

    Registry(url).close()


__all__ = [
    "RUN_STATES",
    "SEARCHABLE_STATES",
    "SNAPSHOT_STATES",
    "TRAINABLE_STATES",
    "USAGE_FILE",
    "USAGE_SCHEMA",
    "MemberUsage",
    "ModelEntry",
    "Registry",
    "RegistryError",
    "RunEntry",
    "RunUsage",
    "SettingEvent",
    "SnapshotEntry",
    "SnapshotUsage",
    "init_registry",
    "member_usage",
    "training_run",
    "write_usage_index",
]
