"""kill -9 of a real `consentgate serve` in the middle of a load of changes: every change it
acknowledged is in the ledger afterwards, `consentgate ledger verify` passes, and the
restarted server goes on appending to the same chain."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from consentgate.ledger import Ledger, init_ledger
from consentgate.policy import load_policy
from consentgate.service.auth import mint_member_token
from consentgate.service.config import ServiceConfig
from consentgate.service.live import LiveServer
from tests.ledger.pg import fresh_postgres_url
from tests.service.conftest import KEY, SETTING_API
from tests.service.live import TOKEN_SECRET, live_server

CLIENTS = 40
KILL_AFTER = 300  # acknowledged changes


async def load_until_killed(
    server: LiveServer, tokens: list[str]
) -> tuple[dict[str, tuple[str, bool]], int]:
    """Clients change settings until the server dies; it is killed (SIGKILL) once
    KILL_AFTER changes are acknowledged. Returns {receipt id: (member, value)} of every
    2xx answer, and how many requests got no answer."""
    acknowledged: dict[str, tuple[str, bool]] = {}
    unanswered = 0
    killed = asyncio.Event()

    async def client(n: int) -> None:
        nonlocal unanswered
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
            i = 0
            while True:
                index = (n + i * CLIENTS) % len(tokens)
                value = (n + i) % 2 == 0
                i += 1
                try:
                    answer = await http.put(SETTING_API, json={"value": value},
                                            headers={"Authorization": f"Bearer {tokens[index]}"})
                except httpx.HTTPError:
                    unanswered += 1
                    if killed.is_set():
                        return
                    continue
                if answer.status_code == 200:
                    event = answer.json()["event"]
                    acknowledged[event["receipt_id"]] = (f"member-{index}", value)
                    if len(acknowledged) >= KILL_AFTER and not killed.is_set():
                        server.kill()  # no shutdown, no drain: changes are in flight
                        killed.set()
                elif killed.is_set():
                    return

    await asyncio.gather(*(client(n) for n in range(CLIENTS)))
    return acknowledged, unanswered


def cli_verify(db: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", "from consentgate.cli import main; main()", "ledger", "verify",
         "--db", db, "--json"], capture_output=True, text=True, env=os.environ.copy(),
        timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_acknowledged_changes_survive_kill_9(backend: str, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'ledger.db'}" if backend == "sqlite" else fresh_postgres_url()
    init_ledger(db)
    signer = ServiceConfig(db=db, policy=load_policy(), token_secret=TOKEN_SECRET)
    tokens = [mint_member_token(signer, f"member-{i}") for i in range(120)]
    log = tmp_path / "server.log"
    with live_server(db, log) as server:
        acknowledged, unanswered = asyncio.run(load_until_killed(server, tokens))
        assert server.process is not None and server.process.returncode == -9
    assert len(acknowledged) >= KILL_AFTER and unanswered >= 1

    with Ledger(db) as ledger:
        for receipt, (member, value) in acknowledged.items():
            event = ledger.find(receipt)
            assert event is not None, f"acknowledged change {receipt} lost"
            assert (event.member_id, event.setting, event.value) == (member, KEY, value)
        held = ledger.count()
    # in flight when killed: recorded or not, never acknowledged twice or half-written
    assert held >= len(acknowledged)
    report = cli_verify(db)
    assert report["ok"] and report["events"] == held == report["head_seq"]

    # the restarted server appends to the same chain
    with live_server(db, log) as server, httpx.Client(base_url=server.base_url) as http:
        for token in tokens[:5]:
            answer = http.put(SETTING_API, json={"value": True},
                              headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 200, answer.text
        assert answer.json()["event"]["seq"] == held + 5
    report = cli_verify(db)
    assert report["ok"] and report["events"] == held + 5
