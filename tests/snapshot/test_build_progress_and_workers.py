"""The build's progress protocol (stage messages, records done), the Rich display on a
terminal (and none off a terminal or with --quiet), and redaction in worker processes
giving the same bytes as redaction in the build's own process."""

from __future__ import annotations

import datetime as dt
import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from consentgate.cli.snapshot_cmd import BuildProgress
from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot
from consentgate.synth import generate

POLICY = load_policy("linkedin-2025")
T = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "22" * 32)


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("net") / "net"
    generate(out, members=60, seed=3)
    return out


class Recorder:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self.ticks: list[tuple[int, int | None]] = []

    def __call__(self, message: str) -> None:
        self.messages.append(message)

    def records(self, done: int, total: int | None) -> None:
        self.ticks.append((done, total))


def test_build_reports_stages_and_records_done(net: Path, tmp_path: Path) -> None:
    rec = Recorder()
    res = build_snapshot(
        BuildOptions(source=net, policy=POLICY, as_of=T, out=tmp_path / "s"), progress=rec
    )
    used = res.manifest["counts"]["records_used"]
    assert used > 0
    assert rec.messages[0] == "reading and checking the source"
    assert any(m.startswith("writing data") for m in rec.messages)
    assert rec.messages[-1] == "writing report and manifest"
    done = [d for d, _ in rec.ticks]
    assert done == sorted(done) and done[-1] == used
    assert {t for _, t in rec.ticks} == {used}


def test_a_plain_callable_still_works(net: Path, tmp_path: Path) -> None:
    seen: list[str] = []
    build_snapshot(
        BuildOptions(source=net, policy=POLICY, as_of=T, out=tmp_path / "s"), progress=seen.append
    )
    assert "deciding members" in seen


def test_rich_progress_shows_stage_records_and_rate() -> None:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=140, color_system=None)
    with BuildProgress(console) as p:
        p("deciding members")
        assert p.stage == "deciding members" and p.done == 0
        p("writing data and lineage (redaction, pseudonyms)")
        p.records(500, 1000)
        assert (p.done, p.total) == (500, 1000) and p.rate > 0
        p.records(1000, 1000)
    out = buf.getvalue()
    assert "deciding members" in out
    assert "writing data and lineage" in out
    assert "1000/1000" in out
    assert "records/s" in out


def _cli(net: Path, out: Path, *extra: str, tty: bool) -> tuple[int, str, str]:
    cmd = [sys.executable, "-m", "consentgate.cli", "build", "--source", str(net),
           "--as-of", "2026-01-15", "--out", str(out), *extra]
    env = dict(os.environ, COLUMNS="120")
    if not tty:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        return p.returncode, p.stdout, p.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    stdout = proc.stdout.read().decode()
    proc.wait()
    os.close(master)
    return proc.returncode, stdout, b"".join(chunks).decode(errors="replace")


def test_cli_progress_on_a_terminal_only(net: Path, tmp_path: Path) -> None:
    rc, out, err = _cli(net, tmp_path / "a", tty=True)
    assert rc == 0, err
    assert "writing data and lineage" in err and "records/s" in err
    assert out.strip().splitlines()[-1] == str(tmp_path / "a")

    rc, out, err = _cli(net, tmp_path / "b", "--quiet", tty=True)
    assert rc == 0
    assert "records/s" not in err and "deciding" not in err

    rc, out, err = _cli(net, tmp_path / "c", tty=False)
    assert rc == 0
    assert "records/s" not in err and "deciding" not in err


def test_redaction_workers_give_the_same_bytes(
    net: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from consentgate.snapshot.steps import redact as R
    from consentgate.snapshot.steps import write as W

    # many batches and many pieces per batch, so that order across workers matters
    monkeypatch.setattr(W, "STREAM_BATCH_ROWS", 64)
    monkeypatch.setattr(R, "REDACT_CHUNK_ROWS", 9)

    def files(workers: int, name: str) -> tuple[str, list]:
        res = build_snapshot(BuildOptions(
            source=net, policy=POLICY, as_of=T, out=tmp_path / name, redact_workers=workers,
        ))
        # the report says how long the build took: only the content must be the same
        content = [(f["path"], f["sha256"]) for f in res.manifest["files"]
                   if not f["path"].startswith("report")]
        return res.manifest["snapshot_id"], content

    assert files(1, "one") == files(2, "two")
