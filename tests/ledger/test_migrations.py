"""The shipped Alembic migrations create exactly what the models describe, and go down and
up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from consentgate.ledger.db import make_engine
from consentgate.ledger.migrate import current_revision, downgrade, head_revision, upgrade
from consentgate.ledger.models import metadata


def test_migrations_match_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_downgrade_and_upgrade_again(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        downgrade(engine, "base")
        assert "ledger_events" not in inspect(engine).get_table_names()
        upgrade(engine)
        assert {"ledger_events", "ledger_head"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _v1_ledger(url: str, n: int, break_at: int | None = None) -> list[dict]:
    """A ledger of the first format (a hash chain), written as that version wrote it."""
    import datetime as dt
    import hashlib
    import json
    import uuid

    from sqlalchemy import text

    engine = make_engine(url)
    downgrade(engine, "base")
    upgrade(engine, "0001_ledger")
    prev, rows = "0" * 64, []
    start = dt.datetime(2025, 11, 3, 8, 0, tzinfo=dt.UTC)
    for seq in range(1, n + 1):
        when = start + dt.timedelta(minutes=seq, microseconds=seq)
        row = {"seq": seq, "receipt_id": str(uuid.uuid4()), "member_id": f"m{seq % 3}",
               "setting": "data_for_genai_improvement", "value": seq % 2 == 0,
               "effective_at": when, "recorded_at": when, "source": "web",
               "policy_id": "linkedin-2025", "policy_version": "1.0.0",
               "notice_version": None, "language": "fr", "jurisdiction": "FR",
               "prev_hash": prev}
        content = {**row, "effective_at": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                   "recorded_at": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
        payload = json.dumps({"format": "consentgate-ledger-1", **content}, sort_keys=True,
                             separators=(",", ":"), ensure_ascii=False)
        row["hash"] = hashlib.sha256(payload.encode()).hexdigest()
        if seq == break_at:
            row["value"] = not row["value"]  # edited after hashing
        rows.append(row)
        prev = row["hash"]
    from sqlalchemy import DateTime, column, table

    v1 = table("ledger_events", *(column(c, DateTime(timezone=True)) if c.endswith("_at")
                                  else column(c) for c in rows[0]))
    with engine.begin() as conn:
        conn.execute(v1.insert(), rows)
        conn.execute(text("UPDATE ledger_head SET seq = :s, hash = :h WHERE id = 1"),
                     {"s": n, "h": prev})
    engine.dispose()
    return rows


def test_a_first_format_ledger_is_carried_over_with_its_receipts(db_url: str) -> None:
    from consentgate.ledger import Ledger, verify_ledger
    from consentgate.ledger.models import chain_v1_table

    old = _v1_ledger(db_url, 9)
    engine = make_engine(db_url)
    upgrade(engine)
    engine.dispose()
    with Ledger(db_url) as ledger:
        report = verify_ledger(ledger)
        assert report.ok and report.events == 9, report.problems
        events = list(ledger.iter_events())
        assert [(e.seq, e.receipt_id, e.value, e.effective_at) for e in events] == [
            (r["seq"], r["receipt_id"], r["value"], r["effective_at"]) for r in old]
        with ledger.engine.connect() as conn:
            kept = dict(conn.execute(chain_v1_table.select()).all())
        assert kept == {r["seq"]: r["hash"] for r in old}
        ledger.record_change(_change())  # the upgraded log takes appends
        assert verify_ledger(ledger).ok


def _change():  # type: ignore[no-untyped-def]
    from tests.ledger.conftest import change

    return change("m9", False)


def test_a_first_format_ledger_that_fails_its_chain_is_not_upgraded(db_url: str) -> None:
    import pytest

    _v1_ledger(db_url, 5, break_at=3)
    engine = make_engine(db_url)
    try:
        with pytest.raises(RuntimeError, match="breaks at event #3"):
            upgrade(engine)
        assert current_revision(engine) == "0001_ledger"  # untouched
    finally:
        engine.dispose()
