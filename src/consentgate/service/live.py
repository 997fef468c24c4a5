"""A real `consentgate serve` in a subprocess on a free loopback port, for tests, benchmarks
and local trials. It runs in its own process group (its uvicorn workers too), which is
stopped by its id when the ``with`` block ends; ``kill()`` ends it at once (SIGKILL), as a
crash would."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass
class LiveServer:
    base_url: str
    log: Path
    db: str
    process: subprocess.Popen | None = None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the server and its workers: no shutdown, no drain, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            _signal_group(self.process, signal.SIGKILL)
            self.process.wait(timeout=15)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)  # the group the server leads (start_new_session)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(
    db: str,
    log: Path,
    env: Mapping[str, str],
    source: Path | None = None,
    demo: bool = False,
    start_timeout: float = 60,
    registry: str | None = None,
    workers: int | None = None,
) -> Iterator[LiveServer]:
    """Start the service with ``env`` added to the environment (its CONSENTGATE_* secrets),
    wait until /healthz answers, yield, then stop it."""
    port = free_port()
    command = [sys.executable, "-c", "from consentgate.cli.service_cmd import app; app()", "serve",
               "--db", db, "--host", "127.0.0.1", "--port", str(port)]
    if source is not None:
        command += ["--source", str(source)]
    if demo:
        command.append("--demo")
    if registry is not None:
        command += ["--registry", registry]
    if workers is not None:
        command += ["--workers", str(workers)]
    with open(log, "ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, **env}, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"consentgate serve exited:\n{log.read_text()}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"consentgate serve did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield LiveServer(base, log, db, process)
    finally:
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=5)
