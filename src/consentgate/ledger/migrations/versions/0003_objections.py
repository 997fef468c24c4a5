"""Objections (GDPR Art. 21): ``ledger_objections``, one row per objection a member files,
answered once.

A row may change once, from ``pending`` to a decision; triggers refuse any other update and
every delete, so an answer, once given, stays as given (the upheld ones are also events of
the log).

Revision ID: 0003_objections
Revises: 0002_transparency_log
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_objections"
down_revision = "0002_transparency_log"
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION consentgate_objection_answered_once() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger_objections: an objection is never deleted';
    END IF;
    IF OLD.status <> 'pending' OR NEW.status = 'pending'
       OR NEW.objection_id <> OLD.objection_id OR NEW.member_id <> OLD.member_id
       OR NEW.setting <> OLD.setting OR NEW.text <> OLD.text OR NEW.filed_us <> OLD.filed_us
       OR NEW.due_us <> OLD.due_us THEN
        RAISE EXCEPTION 'ledger_objections: an objection is answered once, and only its answer is written';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "ledger_objections",
        sa.Column("objection_id", sa.String(36), nullable=False),
        sa.Column("member_id", sa.String(128), nullable=False),
        sa.Column("setting", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("jurisdiction", sa.String(64), nullable=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.Column("filed_us", sa.BigInteger(), nullable=False),
        sa.Column("due_us", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_us", sa.BigInteger(), nullable=True),
        sa.Column("decided_by", sa.String(128), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("event_receipt_id", sa.String(36), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'upheld', 'rejected')",
                           name="ck_ledger_objections_status"),
        sa.PrimaryKeyConstraint("objection_id", name="pk_ledger_objections"),
    )
    op.create_index("ix_ledger_objections_member", "ledger_objections",
                    ["member_id", "filed_us"])
    op.create_index("ix_ledger_objections_status", "ledger_objections", ["status", "due_us"])
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute("CREATE TRIGGER ledger_objections_answered_once BEFORE UPDATE OR DELETE "
                   "ON ledger_objections FOR EACH ROW "
                   "EXECUTE FUNCTION consentgate_objection_answered_once()")
    elif dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER ledger_objections_no_delete BEFORE DELETE ON ledger_objections "
            "BEGIN SELECT RAISE(ABORT, 'ledger_objections: an objection is never deleted'); END")
        op.execute(
            "CREATE TRIGGER ledger_objections_answered_once BEFORE UPDATE ON ledger_objections "
            "WHEN OLD.status <> 'pending' OR NEW.status = 'pending' "
            "OR NEW.objection_id <> OLD.objection_id OR NEW.member_id <> OLD.member_id "
            "OR NEW.setting <> OLD.setting OR NEW.text <> OLD.text "
            "OR NEW.filed_us <> OLD.filed_us OR NEW.due_us <> OLD.due_us "
            "BEGIN SELECT RAISE(ABORT, 'ledger_objections: an objection is answered once, "
            "and only its answer is written'); END")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_objections_answered_once ON ledger_objections")
        op.execute("DROP FUNCTION IF EXISTS consentgate_objection_answered_once()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS ledger_objections_answered_once")
        op.execute("DROP TRIGGER IF EXISTS ledger_objections_no_delete")
    op.drop_index("ix_ledger_objections_status", table_name="ledger_objections")
    op.drop_index("ix_ledger_objections_member", table_name="ledger_objections")
    op.drop_table("ledger_objections")
