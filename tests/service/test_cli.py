"""`consentgate serve` refuses to start without what it needs; `token` mints what the
platform would."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from consentgate.cli.service_cmd import app
from consentgate.policy import load_policy
from consentgate.service.auth import verify_member_token
from consentgate.service.config import ServiceConfig
from tests.service.live import TOKEN_SECRET

runner = CliRunner()


def test_serve_needs_a_token_secret_outside_demo_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CONSENTGATE_TOKEN_SECRET", raising=False)
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "l.db")])
    assert result.exit_code == 2 and "CONSENTGATE_TOKEN_SECRET" in result.output
    monkeypatch.setenv("CONSENTGATE_TOKEN_SECRET", "short")
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "l.db")])
    assert result.exit_code == 2 and "at least 32 characters" in result.output


def test_serve_checks_the_source_and_the_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSENTGATE_TOKEN_SECRET", TOKEN_SECRET)
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "l.db"),
                                 "--source", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such source" in result.output
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "l.db"),
                                 "--policy", "no-such-policy"])
    assert result.exit_code == 2 and "no policy named" in result.output


def test_token_mints_a_verifiable_member_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSENTGATE_TOKEN_SECRET", TOKEN_SECRET)
    result = runner.invoke(app, ["token", "--member", "m42", "--lang", "fr"])
    assert result.exit_code == 0
    config = ServiceConfig(db="unused", policy=load_policy(), token_secret=TOKEN_SECRET)
    identity = verify_member_token(config, result.output.strip())
    assert (identity.member_id, identity.language) == ("m42", "fr")


def test_serve_checks_the_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSENTGATE_TOKEN_SECRET", TOKEN_SECRET)
    missing = tmp_path / "no-registry.db"
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "l.db"),
                                 "--registry", str(missing)])
    assert result.exit_code == 2 and "--registry" in result.output
    assert "registry" in result.output.split("--registry", 1)[1]
    assert not missing.exists()  # only read: never created
