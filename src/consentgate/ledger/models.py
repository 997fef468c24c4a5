"""The ledger's tables (SQLAlchemy 2). Alembic migrations in ``migrations/`` create them;
a test checks that the migrations and these models agree.

``ledger_events``, ``ledger_nodes`` and ``ledger_tree_heads`` are append-only: rows are
inserted, never updated or deleted (triggers in the migrations refuse both). ``ledger_head``
holds one row, the log's current size and root: it is the lock that serialises appends.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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
    """One preference event, a leaf of the log. ``hash`` is its leaf hash (``chain``);
    instants are integer microseconds UTC, the very numbers the hash covers."""

    __tablename__ = "ledger_events"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    receipt_id: Mapped[str] = mapped_column(String(36), unique=True)
    member_id: Mapped[str] = mapped_column(String(128))
    setting: Mapped[str] = mapped_column(String(64))
    value: Mapped[bool] = mapped_column(Boolean)
    effective_us: Mapped[int] = mapped_column(BigInteger)
    recorded_us: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(32))
    policy_id: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(32))
    notice_version: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(16))
    jurisdiction: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_ledger_events_member", "member_id", "setting", "effective_us"),
        Index("ix_ledger_events_effective_us", "effective_us"),
    )


class NodeRow(Base):
    """A complete subtree of the Merkle tree (2^level leaves from leaf idx * 2^level),
    stored once when its last leaf arrives; leaves themselves are ``ledger_events.hash``."""

    __tablename__ = "ledger_nodes"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))


class HeadRow(Base):
    """The log's current size (``seq``, the last event's number), root and last recording
    time, and its identity. The one row appends lock to serialise themselves."""

    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    log_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))  # the root of the tree of seq leaves
    recorded_us: Mapped[int | None] = mapped_column(BigInteger)
    # the tree's right edge (the hashes of merkle.needed_nodes(seq), hex, concatenated), so
    # that an append needs no other read; verify checks it against the rebuilt tree
    frontier: Mapped[str] = mapped_column(Text)

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class TreeHeadRow(Base):
    """A signed tree head (``signing``), kept for ever: append-only like the events."""

    __tablename__ = "ledger_tree_heads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tree_size: Mapped[int] = mapped_column(BigInteger)
    root_hash: Mapped[str] = mapped_column(String(64))
    timestamp_us: Mapped[int] = mapped_column(BigInteger)
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(128))

    __table_args__ = (Index("ix_ledger_tree_heads_tree_size", "tree_size"),)


class KeyRow(Base):
    """A public key the log signs or signed with; a rotated-out key keeps its row."""

    __tablename__ = "ledger_keys"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))  # base64 of the raw 32 bytes
    added_us: Mapped[int] = mapped_column(BigInteger)
    retired_us: Mapped[int | None] = mapped_column(BigInteger)


class ChainV1Row(Base):
    """The hash of each event under the first format (a hash chain), kept when a ledger is
    upgraded, so that snapshots that pinned one can still name their ledger."""

    __tablename__ = "ledger_chain_v1"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))


class ObjectionRow(Base):
    """A member's objection to one purpose (GDPR Art. 21), filed then answered once.

    Unlike the log's tables, a row changes once: from ``pending`` to ``upheld`` or
    ``rejected`` with the decision's time, author and reason (triggers in the migration refuse
    every other update and every delete). An upheld objection also appends a preference
    event (value false, source ``objection``) to the log, in the same transaction; its
    receipt id is kept here."""

    __tablename__ = "ledger_objections"

    objection_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(128))
    setting: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    jurisdiction: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(32))
    policy_id: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(32))
    filed_us: Mapped[int] = mapped_column(BigInteger)
    due_us: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    decided_us: Mapped[int | None] = mapped_column(BigInteger)
    decided_by: Mapped[str | None] = mapped_column(String(128))
    reason: Mapped[str | None] = mapped_column(Text)
    event_receipt_id: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'upheld', 'rejected')", name="status"),
        Index("ix_ledger_objections_member", "member_id", "filed_us"),
        Index("ix_ledger_objections_status", "status", "due_us"),
    )


events_table = EventRow.__table__
nodes_table = NodeRow.__table__
head_table = HeadRow.__table__
tree_heads_table = TreeHeadRow.__table__
keys_table = KeyRow.__table__
chain_v1_table = ChainV1Row.__table__
objections_table = ObjectionRow.__table__
