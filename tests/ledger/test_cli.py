"""`consentgate ledger init | verify | export | import | show`."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from consentgate.cli.ledger_cmd import app
from consentgate.ledger import META_HEAD_HASH, Ledger
from tests.ledger.conftest import change

runner = CliRunner()


def test_the_commands_work_together(tmp_path: Path) -> None:
    db = str(tmp_path / "ledger.db")
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0  # idempotent
    with Ledger(db) as ledger:
        ledger.record_change(change("m1", False))
        ledger.record_change(change("m2", True))
    result = runner.invoke(app, ["verify", "--db", db])
    assert result.exit_code == 0 and "ok: 2 events" in result.output

    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["export", "--db", db, "--as-of", "2999-01-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 events" in result.output
    head = pq.read_schema(out).metadata[META_HEAD_HASH].decode()
    assert f"head #2 {head}" in result.output

    other = str(tmp_path / "other.db")
    runner.invoke(app, ["init", "--db", other])
    result = runner.invoke(app, ["import", "--db", other, str(out)])
    assert result.exit_code == 0 and "2 events added, 0 already" in result.output
    result = runner.invoke(app, ["show", "--db", other, "--member", "m1"])
    assert result.exit_code == 0
    assert "data_for_genai_improvement: off" in result.output
    assert "source=web" in result.output
    result = runner.invoke(app, ["show", "--db", other, "--member", "nobody"])
    assert "on (default)" in result.output and "no events" in result.output


def test_user_errors_are_one_clear_line(tmp_path: Path) -> None:
    db = str(tmp_path / "ledger.db")
    result = runner.invoke(app, ["verify", "--db", db])
    assert result.exit_code == 2 and "consentgate ledger init" in result.output
    runner.invoke(app, ["init", "--db", db])
    result = runner.invoke(app, ["export", "--db", db, "--as-of", "yesterday", "--out", "x"])
    assert result.exit_code == 2 and "not an ISO 8601" in result.output
    result = runner.invoke(app, ["import", "--db", db, str(tmp_path / "missing.parquet")])
    assert result.exit_code == 2 and "no such source" in result.output
    result = runner.invoke(app, ["init", "--db", "oracle://x"])
    assert result.exit_code == 2 and "unsupported database" in result.output
    assert "Traceback" not in result.output
