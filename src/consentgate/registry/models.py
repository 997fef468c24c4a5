"""The registry's tables (SQLAlchemy 2). The Alembic migrations in ``migrations/`` create
them; a test checks that the migrations and these models agree.

Every table is prefixed ``registry_`` and the migrations keep their own version table
(``registry_alembic_version``), so the registry can share one database with the consent
ledger (``ledger_*`` and ``alembic_version``).

- ``registry_snapshots``: one row per published snapshot, keyed by its id, with the sha256 of
  its ``manifest.json`` bytes and its state (``published`` → ``superseded`` →
  ``data_deleted`` → ``deleted``; states only move forward).
- ``registry_runs``: one row per training run, ``running`` → ``finished`` | ``failed``.
- ``registry_run_snapshots``: which snapshots each run used (a run may use several).

Models are not a table of their own: they are the (model name, version) pairs of the runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from consentgate.database.types import UTCDateTime

UTC = dt.UTC

SNAPSHOT_STATES = ("published", "superseded", "data_deleted", "deleted")
RUN_STATES = ("running", "finished", "failed")
TABLE_PREFIX = "registry_"
VERSION_TABLE = "registry_alembic_version"


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class Base(DeclarativeBase):
    metadata = metadata


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SnapshotRow(Base):
    __tablename__ = "registry_snapshots"

    snapshot_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    as_of: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    built_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    registered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    policy_id: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(32))
    policy_sha256: Mapped[str] = mapped_column(String(64))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    state_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    supersedes: Mapped[str | None] = mapped_column(String(128))
    superseded_by: Mapped[str | None] = mapped_column(String(128))
    purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    records_used: Mapped[int] = mapped_column(BigInteger)
    members_used: Mapped[int] = mapped_column(BigInteger)
    engine: Mapped[str | None] = mapped_column(String(32))
    # the manifest's ``usage_index``: the per-member usage index, relative to the folder
    usage_index: Mapped[str | None] = mapped_column(String(256))

    __table_args__ = (
        CheckConstraint(_in("state", SNAPSHOT_STATES), name="state"),
        Index("ix_registry_snapshots_as_of", "as_of"),
    )


class RunRow(Base):
    __tablename__ = "registry_runs"

    run_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    model_name: Mapped[str] = mapped_column(String(256))
    model_version: Mapped[str | None] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    mlflow_run_id: Mapped[str | None] = mapped_column(String(64))
    openlineage_run_id: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[Any | None] = mapped_column(JSON)

    __table_args__ = (
        CheckConstraint(_in("state", RUN_STATES), name="state"),
        Index("ix_registry_runs_model_name", "model_name", "model_version"),
    )


class RunSnapshotRow(Base):
    __tablename__ = "registry_run_snapshots"

    run_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("registry_runs.run_id"), primary_key=True
    )
    snapshot_id: Mapped[str] = mapped_column(
        String(128), ForeignKey("registry_snapshots.snapshot_id"), primary_key=True
    )

    __table_args__ = (Index("ix_registry_run_snapshots_snapshot_id", "snapshot_id"),)


snapshots_table = SnapshotRow.__table__
runs_table = RunRow.__table__
run_snapshots_table = RunSnapshotRow.__table__
