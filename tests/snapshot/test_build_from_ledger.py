"""`build --consent URL` reads consent from the ledger, records its head hash, and refuses a
ledger whose hash chain is broken; `verify --consent URL` checks against the same ledger."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from consentgate.cli import app
from consentgate.ledger import Ledger, NewEvent, head_hash

runner = CliRunner()
T = "2025-12-01T00:00:00Z"


@pytest.fixture
def ledger_url(tmp_path: Path, tiny_source: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    r = runner.invoke(app, ["ledger", "init", "--db", url])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["ledger", "import", "--db", url, str(tiny_source)])
    assert r.exit_code == 0, r.output
    return url


def _build(tiny_source: Path, out: Path, url: str):
    return runner.invoke(app, ["build", "--source", str(tiny_source), "--as-of", T,
                               "--out", str(out), "--consent", url, "--quiet"])


def test_build_reads_consent_from_the_ledger(tiny_source: Path, tmp_path: Path,
                                             ledger_url: str, monkeypatch) -> None:
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "66" * 32)
    # fr_adult turns the switch off in the ledger before T: their records leave the snapshot
    with Ledger(ledger_url) as ledger:
        ledger.import_events([NewEvent(
            member_id="fr_adult", setting="data_for_genai_improvement", value=False,
            source="web", policy_id="linkedin-2025", policy_version="1.0.0",
            effective_at=dt.datetime(2025, 11, 20, tzinfo=dt.UTC))])
    r = _build(tiny_source, tmp_path / "snap", ledger_url)
    assert r.exit_code == 0, r.output
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text())
    consent = manifest["inputs"]["consent"]
    assert consent["kind"] == "ledger"
    assert consent["head_hash"] == head_hash(ledger_url, dt.datetime(2025, 12, 1, tzinfo=dt.UTC))
    assert pq.read_table(tmp_path / "snap" / "lineage").num_rows == 0
    r = runner.invoke(app, ["verify", str(tmp_path / "snap"), "--source", str(tiny_source),
                            "--consent", ledger_url])
    assert r.exit_code == 0, r.output
    # verified against the source's own events instead, the snapshot misses fr_adult's records
    r = runner.invoke(app, ["verify", str(tmp_path / "snap"), "--source", str(tiny_source)])
    assert r.exit_code == 1 and "must_be_in" in r.output


def test_back_dated_change_after_the_build_is_flagged(tiny_source: Path, tmp_path: Path,
                                                     ledger_url: str, monkeypatch) -> None:
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "66" * 32)
    assert _build(tiny_source, tmp_path / "snap", ledger_url).exit_code == 0
    with Ledger(ledger_url) as ledger:
        ledger.import_events([NewEvent(
            member_id="fr_optout", setting="data_for_genai_improvement", value=True,
            source="import", policy_id="linkedin-2025", policy_version="1.0.0",
            effective_at=dt.datetime(2025, 11, 25, tzinfo=dt.UTC))])
    r = runner.invoke(app, ["verify", str(tmp_path / "snap"), "--source", str(tiny_source),
                            "--consent", ledger_url])
    assert r.exit_code == 1
    assert "[consent]" in r.output and "must_be_in" in r.output


def test_tampered_ledger_stops_the_build(tiny_source: Path, tmp_path: Path,
                                         ledger_url: str) -> None:
    db = sqlite3.connect(tmp_path / "ledger.db")
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
    for trigger in tables:  # an attacker with write access drops the guards first
        db.execute(f"DROP TRIGGER {trigger}")
    events_table = next(r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE '%event%'"))
    db.execute(f"UPDATE {events_table} SET value = 1 WHERE member_id = 'fr_optout'")
    db.commit()
    db.close()
    out = tmp_path / "snap"
    r = _build(tiny_source, out, ledger_url)
    assert r.exit_code == 2 and "fails verification" in r.output
    assert not out.exists() and not list(tmp_path.glob(".snap.partial-*"))
