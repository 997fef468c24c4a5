"""The ledger becomes a transparency log: events are leaves of an RFC 9162 Merkle tree, with
integer-microsecond instants, stored tree nodes, signed tree heads and the signing keys.

Events already recorded are carried over in order, with their receipt ids, after their hash
chain has been checked: a ledger that fails that check is not upgraded (the upgrade would
otherwise launder the tampering into fresh hashes). Each event's first-format hash is kept in
``ledger_chain_v1`` so that snapshots which pinned one still name their ledger.

Revision ID: 0002_transparency_log
Revises: 0001_ledger
Create Date: 2026-12-02
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid

import sqlalchemy as sa
from alembic import op

from consentgate.ledger.merkle import EMPTY_ROOT, Frontier, leaf_hash

revision = "0002_transparency_log"
down_revision = "0001_ledger"
branch_labels = None
depends_on = None

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
APPEND_ONLY = ("ledger_events", "ledger_nodes", "ledger_tree_heads")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION consentgate_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql
"""

# frozen copies of the formats, so that later code changes cannot change this upgrade
V1_FORMAT = "consentgate-ledger-1"
V2_FORMAT = "consentgate-ledger-2"


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _us(value: dt.datetime) -> int:
    delta = _utc(value) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _json(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _v1_hash(row: dict) -> str:
    content = {k: v for k, v in row.items() if k != "hash"}
    for name in ("effective_at", "recorded_at"):
        content[name] = _utc(content[name]).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return hashlib.sha256(_json({"format": V1_FORMAT, **content})).hexdigest()


V1_COLUMNS = ("seq", "receipt_id", "member_id", "setting", "value", "effective_at",
              "recorded_at", "source", "policy_id", "policy_version", "notice_version",
              "language", "jurisdiction", "prev_hash", "hash")
CARRIED = ("seq", "receipt_id", "member_id", "setting", "value", "source", "policy_id",
           "policy_version", "notice_version", "language", "jurisdiction")


def _v1_rows(bind: sa.Connection) -> list[dict]:
    v1 = sa.table("ledger_events", *(
        sa.column(c, sa.DateTime(timezone=True)) if c.endswith("_at") else sa.column(c)
        for c in V1_COLUMNS))
    rows = [dict(r._mapping) for r in bind.execute(sa.select(v1).order_by(v1.c.seq))]
    prev = "0" * 64
    for expected, row in enumerate(rows, start=1):
        row["value"] = bool(row["value"])
        if row["seq"] != expected or row["prev_hash"] != prev or _v1_hash(row) != row["hash"]:
            raise RuntimeError(
                f"the ledger's hash chain breaks at event #{row['seq']}: it is not upgraded; "
                "run `consentgate ledger verify` with the previous consentgate and restore "
                "the ledger from a backup")
        prev = row["hash"]
    head = bind.execute(sa.text("SELECT seq, hash FROM ledger_head WHERE id = 1")).first()
    last = (rows[-1]["seq"], rows[-1]["hash"]) if rows else (0, "0" * 64)
    if head is None or (head.seq, head.hash) != last:
        raise RuntimeError("the ledger's head does not name its last event: it is not "
                           "upgraded; restore it from a backup")
    return rows


def _guard(table: str, dialect: str) -> None:
    if dialect == "postgresql":
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION consentgate_ledger_append_only()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION consentgate_ledger_append_only()")
    elif dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            message = f"{table} is append-only: {action} is not allowed"
            op.execute(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{message}'); END")


def _unguard(table: str, dialect: str) -> None:
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    elif dialect == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    old = _v1_rows(bind)

    _unguard("ledger_events", dialect)
    op.drop_index("ix_ledger_events_effective_at", table_name="ledger_events")
    op.drop_index("ix_ledger_events_member", table_name="ledger_events")
    op.drop_table("ledger_events")
    op.drop_table("ledger_head")

    chain_v1 = op.create_table(
        "ledger_chain_v1",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_ledger_chain_v1"),
    )
    events = op.create_table(
        "ledger_events",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("receipt_id", sa.String(36), nullable=False),
        sa.Column("member_id", sa.String(128), nullable=False),
        sa.Column("setting", sa.String(64), nullable=False),
        sa.Column("value", sa.Boolean(), nullable=False),
        sa.Column("effective_us", sa.BigInteger(), nullable=False),
        sa.Column("recorded_us", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("policy_version", sa.String(32), nullable=False),
        sa.Column("notice_version", sa.String(32), nullable=True),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("jurisdiction", sa.String(64), nullable=True),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_ledger_events"),
        sa.UniqueConstraint("receipt_id", name="uq_ledger_events_receipt_id"),
    )
    op.create_index("ix_ledger_events_member", "ledger_events",
                    ["member_id", "setting", "effective_us"])
    op.create_index("ix_ledger_events_effective_us", "ledger_events", ["effective_us"])
    nodes = op.create_table(
        "ledger_nodes",
        sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("idx", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("level", "idx", name="pk_ledger_nodes"),
    )
    head = op.create_table(
        "ledger_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("log_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("recorded_us", sa.BigInteger(), nullable=True),
        sa.Column("frontier", sa.Text(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_ledger_head_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_head"),
    )
    op.create_table(
        "ledger_tree_heads",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.String(64), nullable=False),
        sa.Column("timestamp_us", sa.BigInteger(), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_tree_heads"),
    )
    op.create_index("ix_ledger_tree_heads_tree_size", "ledger_tree_heads", ["tree_size"])
    op.create_table(
        "ledger_keys",
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("added_us", sa.BigInteger(), nullable=False),
        sa.Column("retired_us", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name="pk_ledger_keys"),
    )

    frontier = Frontier()
    new_rows, node_rows = [], []
    for row in old:
        carried = {k: row[k] for k in CARRIED}
        times = {"effective_us": _us(row["effective_at"]), "recorded_us": _us(row["recorded_at"])}
        leaf = leaf_hash(_json({"format": V2_FORMAT, **carried, **times}))
        new_rows.append({**carried, **times, "hash": leaf.hex()})
        node_rows += [{"level": lv, "idx": ix, "hash": h.hex()}
                      for lv, ix, h in frontier.append(leaf)[1:]]
    if old:
        op.bulk_insert(chain_v1, [{"seq": r["seq"], "hash": r["hash"]} for r in old])
        op.bulk_insert(events, new_rows)
    if node_rows:
        op.bulk_insert(nodes, node_rows)
    op.bulk_insert(head, [{
        "id": 1, "log_id": str(uuid.uuid4()), "seq": len(old),
        "hash": (frontier.root() if old else EMPTY_ROOT).hex(),
        "recorded_us": new_rows[-1]["recorded_us"] if old else None,
        "frontier": "".join(h.hex() for h in frontier.hashes()),
    }])

    if dialect == "postgresql":
        op.execute(_PG_FUNCTION)
    for table in APPEND_ONLY:
        _guard(table, dialect)


def downgrade() -> None:
    bind = op.get_bind()
    held = bind.execute(sa.text("SELECT count(*) FROM ledger_events")).scalar_one()
    if held:
        raise RuntimeError(f"the ledger holds {held} events: going back to the first format "
                           "would lose their tree and signatures; it is not done")
    dialect = bind.dialect.name
    for table in APPEND_ONLY:
        _unguard(table, dialect)
    for table in ("ledger_keys", "ledger_tree_heads", "ledger_head", "ledger_nodes",
                  "ledger_events", "ledger_chain_v1"):
        op.drop_table(table)
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
    op.create_index("ix_ledger_events_member", "ledger_events",
                    ["member_id", "setting", "effective_at"])
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
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": "0" * 64, "recorded_at": None}])
    _guard("ledger_events", dialect)
