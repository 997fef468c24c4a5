"""The ledger's tables (SQLAlchemy 2). Alembic migrations in ``migrations/`` create them;
a test checks that the migrations and these models agree.

``ledger_events`` is append-only: rows are inserted, never updated or deleted (triggers in
the migration refuse both). ``ledger_head`` holds one row, the tip of the hash chain: it is
the lock that serialises appends and lets ``verify`` notice events removed from the end.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Index,
    Integer,
    MetaData,
    String,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from consentgate.database.types import UTCDateTime

UTC = dt.UTC


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class Base(DeclarativeBase):
    metadata = metadata


class EventRow(Base):
    """One preference event, as recorded. ``hash`` covers every other column."""

    __tablename__ = "ledger_events"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    receipt_id: Mapped[str] = mapped_column(String(36), unique=True)
    member_id: Mapped[str] = mapped_column(String(128))
    setting: Mapped[str] = mapped_column(String(64))
    value: Mapped[bool] = mapped_column(Boolean)
    effective_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(32))
    policy_id: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(32))
    notice_version: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(16))
    jurisdiction: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_ledger_events_member", "member_id", "setting", "effective_at"),
        Index("ix_ledger_events_effective_at", "effective_at"),
    )


class HeadRow(Base):
    """The tip of the chain: the last event's ``seq``, ``hash`` and ``recorded_at``."""

    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


events_table = EventRow.__table__
head_table = HeadRow.__table__
