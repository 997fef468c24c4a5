from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from consentgate.ledger import init_ledger
from consentgate.policy import load_policy
from consentgate.service.app import create_app
from consentgate.service.auth import mint_member_token
from consentgate.service.config import ServiceConfig
from tests.conftest import tiny_tables, write_source
from tests.service.live import ADMIN_KEY, TOKEN_SECRET

KEY = "data_for_genai_improvement"
SETTING_API = f"/api/v1/me/settings/{KEY}"
SETTING_PAGE = "/settings/data-privacy/data-for-genai-improvement"


@pytest.fixture(scope="session")
def policy():  # type: ignore[no-untyped-def]
    return load_policy()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return write_source(tmp_path / "platform", tiny_tables())


@pytest.fixture
def config(tmp_path: Path, source: Path, policy) -> ServiceConfig:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    init_ledger(db)
    return ServiceConfig(db=db, policy=policy, token_secret=TOKEN_SECRET, admin_key=ADMIN_KEY,
                         source=source, demo=True)


@pytest.fixture
def client(config: ServiceConfig) -> Iterator[TestClient]:
    app = create_app(config)
    with TestClient(app) as test_client:
        yield test_client
    app.state.service.close()


def bearer(config: ServiceConfig, member: str, **kwargs: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_member_token(config, member, **kwargs)}"}


def admin_headers() -> dict[str, str]:
    return {"X-Admin-Key": ADMIN_KEY}


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory, policy):  # type: ignore[no-untyped-def]
    """The generated network, ledger, snapshots S1 and S2 and registry (usage_world.py)."""
    from tests.service.usage_world import build_world

    return build_world(tmp_path_factory.mktemp("usage-world"), policy)
