"""The registry: snapshots, training runs, and which snapshots each run used.

Revision ID: 0001_registry
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_registry"
down_revision = None
branch_labels = None
depends_on = None

# frozen copies of consentgate.registry.models.SNAPSHOT_STATES / RUN_STATES
_SNAPSHOT_STATES = "state IN ('published', 'superseded', 'data_deleted', 'deleted')"
_RUN_STATES = "state IN ('running', 'finished', 'failed')"


def upgrade() -> None:
    op.create_table(
        "registry_snapshots",
        sa.Column("snapshot_id", sa.String(128), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.Column("policy_sha256", sa.String(64), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("supersedes", sa.String(128), nullable=True),
        sa.Column("superseded_by", sa.String(128), nullable=True),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("records_used", sa.BigInteger(), nullable=False),
        sa.Column("members_used", sa.BigInteger(), nullable=False),
        sa.Column("engine", sa.String(32), nullable=True),
        sa.Column("usage_index", sa.String(256), nullable=True),
        sa.CheckConstraint(_SNAPSHOT_STATES, name="ck_registry_snapshots_state"),
        sa.PrimaryKeyConstraint("snapshot_id", name="pk_registry_snapshots"),
    )
    op.create_index("ix_registry_snapshots_as_of", "registry_snapshots", ["as_of"])
    op.create_table(
        "registry_runs",
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("model_name", sa.String(256), nullable=False),
        sa.Column("model_version", sa.String(128), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mlflow_run_id", sa.String(64), nullable=True),
        sa.Column("openlineage_run_id", sa.String(64), nullable=True),
        sa.Column("params", sa.JSON(), nullable=True),
        sa.CheckConstraint(_RUN_STATES, name="ck_registry_runs_state"),
        sa.PrimaryKeyConstraint("run_id", name="pk_registry_runs"),
    )
    op.create_index(
        "ix_registry_runs_model_name", "registry_runs", ["model_name", "model_version"]
    )
    op.create_table(
        "registry_run_snapshots",
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("snapshot_id", sa.String(128), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["registry_runs.run_id"],
            name="fk_registry_run_snapshots_run_id_registry_runs",
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["registry_snapshots.snapshot_id"],
            name="fk_registry_run_snapshots_snapshot_id_registry_snapshots",
        ),
        sa.PrimaryKeyConstraint("run_id", "snapshot_id", name="pk_registry_run_snapshots"),
    )
    op.create_index(
        "ix_registry_run_snapshots_snapshot_id", "registry_run_snapshots", ["snapshot_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_registry_run_snapshots_snapshot_id", table_name="registry_run_snapshots")
    op.drop_table("registry_run_snapshots")
    op.drop_index("ix_registry_runs_model_name", table_name="registry_runs")
    op.drop_table("registry_runs")
    op.drop_index("ix_registry_snapshots_as_of", table_name="registry_snapshots")
    op.drop_table("registry_snapshots")
