"""The registry's migrations create exactly what its models describe, keep their own version
table, and share one database with the consent ledger (SQLite file and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from consentgate.ledger import Ledger, NewEvent, init_ledger, verify_db
from consentgate.ledger.db import make_engine
from consentgate.ledger.migrate import current_revision as ledger_revision
from consentgate.ledger.migrate import head_revision as ledger_head
from consentgate.registry import Registry, init_registry, member_usage
from consentgate.registry.db import write_engine
from consentgate.registry.migrate import current_revision, downgrade, head_revision, upgrade
from consentgate.registry.models import VERSION_TABLE, metadata
from consentgate.registry.usage import ERASURE_SETTING
from tests.ledger.conftest import past
from tests.ledger.pg import fresh_postgres_url
from tests.registry.conftest import Built

UTC = dt.UTC


def _registry_tables(name: str | None, type_: str, _parent: object) -> bool:
    return type_ != "table" or bool(name and name.startswith("registry_"))


def test_migrations_match_the_models(registry_url: str) -> None:
    init_registry(registry_url)
    engine = write_engine(registry_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={"compare_type": True, "include_name": _registry_tables,
                      "version_table": VERSION_TABLE},
            )
            assert compare_metadata(context, metadata) == []
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert VERSION_TABLE in tables and "alembic_version" not in tables
        assert {t for t in tables if t != VERSION_TABLE} == set(metadata.tables)
        assert all(t.startswith("registry_") for t in tables)
    finally:
        engine.dispose()


def test_downgrade_and_upgrade_again(registry_url: str) -> None:
    init_registry(registry_url)
    engine = write_engine(registry_url)
    try:
        downgrade(engine, "base")
        assert "registry_snapshots" not in inspect(engine).get_table_names()
        upgrade(engine)
        upgrade(engine)  # idempotent
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.db'}"
    return fresh_postgres_url()


@pytest.mark.parametrize("ledger_first", [True, False])
def test_registry_and_ledger_share_one_database(
    shared_url: str, built: Built, ledger_first: bool
) -> None:
    if ledger_first:
        init_ledger(shared_url)
        init_registry(shared_url)
    else:
        init_registry(shared_url)
        init_ledger(shared_url)
    # both again: each upgrade is idempotent and leaves the other alone
    init_ledger(shared_url)
    init_registry(shared_url)

    engine = make_engine(shared_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"alembic_version", VERSION_TABLE, "ledger_events", "ledger_head"} <= tables
        assert set(metadata.tables) <= tables
        assert ledger_revision(engine) == ledger_head()
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()

    # the ledger works
    with Ledger(shared_url) as ledger:
        ledger.import_events([
            past(built.opted, False, dt.datetime(2026, 2, 1, tzinfo=UTC)),
            NewEvent(
                member_id=built.opted, setting=ERASURE_SETTING, value=True, source="web",
                policy_id="linkedin-2025", policy_version="1.0.0",
                effective_at=dt.datetime(2026, 3, 5, tzinfo=UTC),
            ),
        ])
    assert verify_db(shared_url).ok
    # the registry works
    with Registry(shared_url) as registry:
        run = registry.start_run([built.s1, built.s2], "assistant", "1")
        registry.finish_run(run.run_id)
        assert registry.has_ledger()
    # and the usage answer takes the history from the ledger in the same database
    answer = member_usage(shared_url, built.opted)
    assert answer.consent_source is not None
    assert [(e.setting, e.value) for e in answer.history or []] == [
        ("data_for_genai_improvement", False), (ERASURE_SETTING, True)
    ]
    assert answer.opted_out_at == dt.datetime(2026, 2, 1, tzinfo=UTC)
    assert answer.erasure_requested_at == dt.datetime(2026, 3, 5, tzinfo=UTC)
    assert answer.first_snapshot_after_opt_out == {
        "snapshot_id": built.s2_id, "as_of": "2026-03-01T00:00:00Z", "state": "published",
        "holds_member": False,
    }

    # taking the registry down leaves the ledger as it was
    engine = write_engine(shared_url)
    try:
        downgrade(engine, "base")
        tables = set(inspect(engine).get_table_names())
        assert not any(t in tables for t in metadata.tables)
        assert {"ledger_events", "ledger_head", "alembic_version"} <= tables
    finally:
        engine.dispose()
    assert verify_db(shared_url).ok
    init_registry(shared_url)
    with Registry.open_existing(shared_url) as registry:
        assert registry.runs() == []
