"""The ledger: append-only events, the chain head, and triggers that refuse edits.

Revision ID: 0001_ledger
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_ledger"
down_revision = None
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64  # frozen copy of consentgate.ledger.chain.GENESIS_HASH

_PG_FUNCTION = """
CREATE FUNCTION consentgate_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger_events is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "ledger_events",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("receipt_id", sa.String(36), nullable=False),
        sa.Column("member_id", sa.String(128), nullable=False),
        sa.Column("setting", sa.String(64), nullable=False),
        sa.Column("value", sa.Boolean(), nullable=False),
        sa.Column("effective_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.Column("notice_version", sa.String(32), nullable=True),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("jurisdiction", sa.String(64), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_ledger_events"),
        sa.UniqueConstraint("receipt_id", name="uq_ledger_events_receipt_id"),
    )
    op.create_index(
        "ix_ledger_events_member", "ledger_events", ["member_id", "setting", "effective_at"]
    )
    op.create_index("ix_ledger_events_effective_at", "ledger_events", ["effective_at"])
    head = op.create_table(
        "ledger_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name="ck_ledger_head_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_head"),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS_HASH, "recorded_at": None}])

    # Defence in depth: the database itself refuses to change or remove an event. Someone
    # with the rights to drop the trigger can still tamper; `verify` finds that.
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER ledger_events_append_only BEFORE UPDATE OR DELETE ON ledger_events "
            "FOR EACH ROW EXECUTE FUNCTION consentgate_ledger_append_only()"
        )
        op.execute(
            "CREATE TRIGGER ledger_events_no_truncate BEFORE TRUNCATE ON ledger_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION consentgate_ledger_append_only()"
        )
    elif dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            message = f"ledger_events is append-only: {action} is not allowed"
            op.execute(
                f"CREATE TRIGGER ledger_events_no_{action.lower()} "
                f"BEFORE {action} ON ledger_events "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_events_no_truncate ON ledger_events")
        op.execute("DROP TRIGGER IF EXISTS ledger_events_append_only ON ledger_events")
        op.execute("DROP FUNCTION IF EXISTS consentgate_ledger_append_only()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS ledger_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS ledger_events_no_delete")
    op.drop_table("ledger_head")
    op.drop_index("ix_ledger_events_effective_at", table_name="ledger_events")
    op.drop_index("ix_ledger_events_member", table_name="ledger_events")
    op.drop_table("ledger_events")
