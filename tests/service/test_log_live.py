"""A real server taking writes: verify, the admin check and a snapshot build read one
consistent view of the log (no false "events deleted from the end"), receipts carry proofs
that check offline with the published key, and two signed heads fetched a moment apart are
proved consistent through the public API."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from consentgate.cli import app as main_app
from consentgate.cli.ledger_cmd import app as ledger_app
from consentgate.ledger import merkle
from consentgate.ledger.proofs import check_receipt
from consentgate.ledger.signing import load_signing_key
from consentgate.policy import load_policy
from consentgate.service.auth import mint_member_token
from consentgate.service.config import ServiceConfig
from consentgate.service.live import live_server

TOKEN_SECRET = "live-log-token-secret-" + "x" * 32
ADMIN_KEY = "live-log-admin-key-" + "y" * 32
URL = "/api/v1/me/settings/data_for_genai_improvement"
runner = CliRunner()


def test_reads_stay_consistent_while_a_live_server_takes_writes(
    tmp_path: Path, tiny_source: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    key_file = tmp_path / "log.key"
    assert runner.invoke(ledger_app, ["init", "--db", db, "--key-file", str(key_file)]).exit_code == 0
    key = load_signing_key(key_file)
    config = ServiceConfig(db=db, policy=load_policy(), token_secret=TOKEN_SECRET)
    tokens = [mint_member_token(config, f"live{i}", lifetime=dt.timedelta(minutes=30))
              for i in range(20)]
    env = {"CONSENTGATE_TOKEN_SECRET": TOKEN_SECRET, "CONSENTGATE_ADMIN_KEY": ADMIN_KEY,
           "CONSENTGATE_LEDGER_KEY_FILE": str(key_file)}
    with live_server(db, tmp_path / "server.log", env) as live:
        stop = threading.Event()
        acked: list[dict] = []
        failures: list[str] = []

        def write(worker: int) -> None:
            with httpx.Client(base_url=live.base_url, timeout=30) as client:
                n = 0
                while not stop.is_set():
                    token = tokens[(worker * 7 + n) % len(tokens)]
                    r = client.put(URL, json={"value": n % 2 == 0},
                                   headers={"Authorization": f"Bearer {token}"})
                    if r.status_code == 200:
                        acked.append({"token": token, **r.json()})
                    else:
                        failures.append(f"{r.status_code} {r.text[:200]}")
                    n += 1

        writers = [threading.Thread(target=write, args=(w,)) for w in range(3)]
        for t in writers:
            t.start()
        try:
            verified = [runner.invoke(ledger_app, ["verify", "--db", db]) for _ in range(5)]
            with httpx.Client(base_url=live.base_url, timeout=30) as admin:
                checks = [admin.get("/api/v1/admin/verify", headers={"X-Admin-Key": ADMIN_KEY})
                          for _ in range(3)]
                first_head = admin.get("/api/v1/log/head").json()
                while first_head["signed_head"]["tree_size"] == 0:  # signed every second
                    threading.Event().wait(0.2)
                    first_head = admin.get("/api/v1/log/head").json()
            built = runner.invoke(main_app, [
                "build", "--source", str(tiny_source), "--as-of", "2030-01-01T00:00:00Z",
                "--out", str(tmp_path / "snap"), "--consent", db, "-q"])
        finally:
            stop.set()
            for t in writers:
                t.join()
        assert not failures, failures[:3]
        assert len(acked) > 20  # the writes really went on meanwhile
        for result in verified:
            assert result.exit_code == 0, result.output
        for check in checks:
            assert check.status_code == 200 and check.json()["ok"], check.text
        assert built.exit_code == 0, built.output

        with httpx.Client(base_url=live.base_url, timeout=30) as client:
            # a receipt proves its event, with the key the platform publishes
            change = acked[len(acked) // 2]
            receipt = client.get(change["receipt_url"],
                                 headers={"Authorization": f"Bearer {change['token']}"}).json()
            result = check_receipt(receipt, {key.key_id: key.public})
            assert result.ok and result.signed and result.key_trusted, result.problems
            keys = client.get("/api/v1/log/keys").json()["keys"]
            assert [k["key_id"] for k in keys] == [key.key_id]
            # two signed heads a moment apart, and the public proof between them
            second_head = client.get("/api/v1/log/head").json()
            for _ in range(30):
                if second_head["signed_head"]["tree_size"] == second_head["tree_size"]:
                    break
                threading.Event().wait(0.2)  # the signer signs every second
                second_head = client.get("/api/v1/log/head").json()
            a, b = first_head["signed_head"], second_head["signed_head"]
            assert b["tree_size"] == len(acked) and b["tree_size"] > a["tree_size"]
            proof = client.get("/api/v1/log/consistency",
                               params={"first": a["tree_size"], "second": b["tree_size"]}).json()
            merkle.verify_consistency(a["tree_size"], b["tree_size"],
                                      bytes.fromhex(a["root_hash"]), bytes.fromhex(b["root_hash"]),
                                      [bytes.fromhex(h) for h in proof["proof"]])
            with pytest.raises(merkle.ProofError):
                merkle.verify_consistency(a["tree_size"], b["tree_size"], bytes(32),
                                          bytes.fromhex(b["root_hash"]),
                                          [bytes.fromhex(h) for h in proof["proof"]])
            bad = client.get("/api/v1/log/consistency",
                             params={"first": b["tree_size"] + 5, "second": 1})
            assert bad.status_code == 422
