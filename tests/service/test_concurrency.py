"""Hundreds of parallel changes from many members against a real `consentgate serve`:
no change is lost, the chain stays whole, each member ends with their last change."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import httpx
import pytest

from consentgate.ledger import Ledger, init_ledger, verify_ledger
from consentgate.policy import load_policy
from consentgate.service.auth import mint_member_token
from consentgate.service.config import ServiceConfig
from tests.ledger.pg import fresh_postgres_url
from tests.service.conftest import KEY, SETTING_API
from tests.service.live import TOKEN_SECRET, live_server

MEMBERS = 100
CHANGES_EACH = 4  # 400 changes, up to 100 in flight


async def hammer(base_url: str, tokens: dict[str, str]) -> dict[str, bool]:
    """Each member changes their setting CHANGES_EACH times in a row; all members at once.
    Returns each member's last value."""
    rng = random.Random(7)
    plans = {m: [rng.random() < 0.5 for _ in range(CHANGES_EACH)] for m in tokens}
    limits = httpx.Limits(max_connections=MEMBERS, max_keepalive_connections=MEMBERS)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:

        async def member_task(member: str) -> None:
            headers = {"Authorization": f"Bearer {tokens[member]}"}
            for value in plans[member]:
                answer = await client.put(SETTING_API, headers=headers, json={"value": value})
                assert answer.status_code == 200, answer.text
                assert answer.json()["state"]["value"] is value

        await asyncio.gather(*(member_task(m) for m in tokens))
    return {m: plan[-1] for m, plan in plans.items()}


@pytest.mark.parametrize(
    "backend, workers",
    [("sqlite", 1), ("sqlite", 2), pytest.param("postgresql", 1, marks=pytest.mark.postgres)],
)
def test_parallel_changes_lose_nothing(backend: str, workers: int, tmp_path: Path) -> None:
    """One server process, or two (serve --workers 2: two committers, one chain)."""
    db = f"sqlite:///{tmp_path / 'ledger.db'}" if backend == "sqlite" else fresh_postgres_url()
    init_ledger(db)
    signer = ServiceConfig(db=db, policy=load_policy(), token_secret=TOKEN_SECRET)
    members = [f"member-{i:03d}-secret" for i in range(MEMBERS)]
    tokens = {m: mint_member_token(signer, m) for m in members}
    with live_server(db, tmp_path / "server.log", workers=workers) as server:
        last = asyncio.run(hammer(server.base_url, tokens))
        with httpx.Client(base_url=server.base_url) as client:
            for m in members[:10]:
                state = client.get(SETTING_API, headers={"Authorization": f"Bearer {tokens[m]}"})
                assert state.json()["value"] is last[m]
        log = server.log_text()
    with Ledger(db) as ledger:
        report = verify_ledger(ledger)
        assert report.ok, report.problems
        assert report.events == MEMBERS * CHANGES_EACH
        for m in members:
            assert ledger.state(m, KEY, default=True).value is last[m], m
            assert len(ledger.history(m)) == CHANGES_EACH
    assert "PUT /api/v1/me/settings/data_for_genai_improvement 200" in log
    assert "-secret" not in log  # no member id in the server's output
