"""A throwaway PostgreSQL server for tests and benchmarks: Debian's binaries, a temporary
data folder, a free loopback port, trust authentication, and nothing left behind.

PostgreSQL refuses to run as root; as root the server runs as the ``postgres`` user that
Debian's package creates, in a data folder handed over to that user.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

USER = "consentgate"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries (or no user to run them as): tests skip with this message."""


def find_bin_dir() -> Path:
    def version(initdb: str) -> int:
        name = Path(initdb).parent.parent.name
        return int(name) if name.isdigit() else 0

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version, reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable(
        "PostgreSQL binaries not found (/usr/lib/postgresql/*/bin/initdb): "
        "apt-get install postgresql"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayPostgres:
    """``with ThrowawayPostgres() as pg: url = pg.create_database("t1")``."""

    def __init__(self, durable: bool = False) -> None:
        self.bin = find_bin_dir()
        self.durable = durable  # False: fsync off, for fast tests
        self.dir: Path | None = None
        self.port = 0
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            try:
                import pwd

                pwd.getpwnam("postgres")
            except KeyError as exc:
                raise PostgresUnavailable(
                    "running as root and there is no 'postgres' user"
                ) from exc
            if runuser is None:
                raise PostgresUnavailable("running as root and runuser is missing")
            self._as_user = [runuser, "-u", "postgres", "--"]

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self._as_user, *args], capture_output=True, text=True, timeout=120, check=False
        )

    def start(self) -> ThrowawayPostgres:
        self.dir = Path(tempfile.mkdtemp(prefix="consentgate-pg-"))
        data = self.dir / "data"
        if self._as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        done = self._run(
            str(self.bin / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
            "-E", "UTF8", "--no-locale", "--no-sync",
        )
        if done.returncode != 0:
            self._cleanup()
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        options = [
            "-c listen_addresses=127.0.0.1",
            f"-k {self.dir}",
            "-c max_connections=200",
            "-c shared_buffers=64MB",
        ]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        last_error = ""
        for _ in range(3):  # the free port can be taken between choosing and binding it
            self.port = _free_port()
            done = self._run(
                str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "server.log"),
                "-w", "-t", "60", "-o", " ".join([f"-p {self.port}", *options]), "start",
            )
            if done.returncode == 0:
                atexit.register(self.stop)
                return self
            last_error = done.stdout + done.stderr + self._log_tail()
        self._cleanup()
        raise RuntimeError(f"PostgreSQL did not start:\n{last_error}")

    def _log_tail(self) -> str:
        log = self.dir / "server.log" if self.dir else None
        return log.read_text(errors="replace")[-2000:] if log and log.exists() else ""

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={USER} dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.dir is None:
            return
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate",
                  "-w", "stop")
        self._cleanup()

    def _cleanup(self) -> None:
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> ThrowawayPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
