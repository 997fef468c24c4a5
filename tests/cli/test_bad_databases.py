"""Every command that opens a ledger, given a database that is not one (issue 11): one
`error:` line, exit code 2, no traceback, and nothing created or changed on disk: no empty
file for a missing path, no -wal/-shm beside a SQLite file, no half-built snapshot."""

from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consentgate.cli import app
from tests.conftest import tiny_tables, write_source

runner = CliRunner()
SECRET = "s3cr3t-pw"

BAD = ["missing", "missing folder", "zero-byte", "random bytes", "not a ledger",
       "unreachable postgres"]


def _bad_database(folder: Path, case: str) -> str:
    """A path (SQLite) or URL that is not a ledger."""
    if case == "missing":
        return str(folder / "missing.db")
    if case == "missing folder":
        return str(folder / "no-such-folder" / "ledger.db")
    if case == "zero-byte":
        (folder / "zero.db").write_bytes(b"")
        return str(folder / "zero.db")
    if case == "random bytes":
        (folder / "noise.db").write_bytes(os.urandom(8192))
        return str(folder / "noise.db")
    if case == "not a ledger":
        with sqlite3.connect(folder / "other.db") as con:
            con.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
            con.execute("INSERT INTO orders VALUES (1, 9.5)")
        con.close()
        return str(folder / "other.db")
    assert case == "unreachable postgres"
    return f"postgresql://nobody:{SECRET}@127.0.0.1:1/ledger"


def _url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


Command = Callable[[str, Path, Path], list[str]]
COMMANDS: dict[str, Command] = {
    "ledger verify": lambda db, out, src: ["ledger", "verify", "--db", db],
    "ledger verify --json": lambda db, out, src: ["ledger", "verify", "--db", db, "--json"],
    "ledger export": lambda db, out, src: ["ledger", "export", "--db", db, "--as-of",
                                           "2026-01-01", "--out", str(out / "events.parquet")],
    "ledger import": lambda db, out, src: ["ledger", "import", "--db", db, str(src)],
    "ledger show": lambda db, out, src: ["ledger", "show", "--db", db, "--member", "fr_adult"],
    "ledger erase": lambda db, out, src: ["ledger", "erase", "--db", db, "--member", "fr_adult"],
    "ledger init": lambda db, out, src: ["ledger", "init", "--db", db],
    "build --consent": lambda db, out, src: ["build", "--source", str(src), "--as-of",
                                             "2026-01-15", "--out", str(out / "snap"), "-q",
                                             "--consent", _url(db)],
    "explain --consent": lambda db, out, src: ["explain", "--source", str(src), "--member",
                                               "fr_adult", "--as-of", "2026-01-15",
                                               "--consent", _url(db)],
    "serve": lambda db, out, src: ["serve", "--db", db, "--port", str(_free_port())],
}
# `ledger init` and `serve` create or upgrade the ledger they are given (documented): on a
# missing file, a zero-byte file (an empty SQLite database) or a database that holds other
# tables (a registry's, an application's) they make the ledger there, so those are no error.
CREATES = {"ledger init", "serve"}
CASES = [(command, bad) for command in COMMANDS for bad in BAD
         if not (command in CREATES and bad in ("missing", "zero-byte", "not a ledger"))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree(root: Path) -> dict[str, str]:
    """Every file and folder under root, with a hash of each file's bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            if p.is_file() else "folder" for p in sorted(root.rglob("*"))}


@pytest.fixture(scope="module")
def src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_source(tmp_path_factory.mktemp("source") / "src", tiny_tables())


@pytest.mark.parametrize(("command", "bad"), CASES, ids=[f"{c} | {b}" for c, b in CASES])
def test_a_database_that_is_not_a_ledger_is_one_error_line(
    command: str, bad: str, src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "7e" * 32)
    monkeypatch.setenv("CONSENTGATE_TOKEN_SECRET", "t" * 40)
    db = _bad_database(tmp_path, bad)
    args = COMMANDS[command](db, tmp_path, src)
    before, source_before = _tree(tmp_path), _tree(src)
    if command == "serve":
        # a real process: were the check to let it through, it would serve (and time out)
        done = subprocess.run([sys.executable, "-c", "from consentgate.cli import main; main()",
                               *args], capture_output=True, text=True, timeout=120,
                              env=os.environ)
        code, output = done.returncode, done.stdout + done.stderr
    else:
        result = runner.invoke(app, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            repr(result.exception))
        code, output = result.exit_code, result.output
    lines = [line for line in output.splitlines() if line.strip()]
    assert code == 2, output
    assert "Traceback" not in output
    assert len(lines) == 1 and lines[0].startswith("error: "), output
    assert SECRET not in output
    if bad == "unreachable postgres":
        assert "127.0.0.1" in output and "port 1" in output and "refused" in output, output
    assert _tree(tmp_path) == before, "a file was created or changed"
    assert _tree(src) == source_before

