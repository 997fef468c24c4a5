"""A Spark standalone cluster on loopback: one master and N workers started from the pyspark
distribution (``spark-class``), for the cluster tests and benchmarks and to try the cluster
path on one machine. A real cluster is started by its operators; see docs/spark.md.

Each daemon is a child process of the caller, on 127.0.0.1 and free ports, with its own
work and log folders under ``root``; ``stop()`` ends them all (also when start-up failed).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"


def spark_home() -> Path:
    """The Spark distribution inside the installed pyspark package."""
    import pyspark

    return Path(pyspark.__file__).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


@dataclass
class StandaloneCluster:
    root: Path
    workers: int = 2
    worker_cores: int = 1
    worker_memory: str = "512m"
    daemon_memory: str = "256m"  # the master's and workers' own JVM heaps
    port: int = 0
    webui_port: int = 0
    _procs: list[tuple[str, subprocess.Popen]] = field(default_factory=list)

    @property
    def master_url(self) -> str:
        return f"spark://{LOOPBACK}:{self.port}"

    @property
    def webui(self) -> str:
        return f"http://{LOOPBACK}:{self.webui_port}"

    def env(self) -> dict[str, str]:
        """The environment of the daemons, and what a driver on this machine needs too."""
        return dict(
            os.environ,
            SPARK_HOME=str(spark_home()),
            SPARK_LOCAL_IP=LOOPBACK,
            SPARK_DAEMON_MEMORY=self.daemon_memory,
            PYSPARK_PYTHON=sys.executable,
            SPARK_LOG_DIR=str(self.root / "logs"),
        )

    def start(self, timeout: float = 180.0) -> StandaloneCluster:
        """Start the master and the workers; return once all workers are registered ALIVE."""
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "logs").mkdir(exist_ok=True)
        self.port, self.webui_port = free_port(), free_port()
        try:
            self._spawn("master", "org.apache.spark.deploy.master.Master",
                        "--host", LOOPBACK, "--port", str(self.port),
                        "--webui-port", str(self.webui_port))
            for i in range(self.workers):
                work = self.root / f"worker-{i}"
                work.mkdir(exist_ok=True)
                self._spawn(f"worker-{i}", "org.apache.spark.deploy.worker.Worker",
                            "--host", LOOPBACK, "--cores", str(self.worker_cores),
                            "--memory", self.worker_memory, "--work-dir", str(work),
                            "--webui-port", str(free_port()), self.master_url)
            self._wait_for_workers(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, name: str, main_class: str, *args: str) -> None:
        log = open(self.root / "logs" / f"{name}.out", "ab")  # noqa: SIM115 (the JVM writes it)
        cmd = [str(spark_home() / "bin" / "spark-class"), main_class, *args]
        # its own process group: stop() ends the JVM and any child it started
        proc = subprocess.Popen(cmd, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self._procs.append((name, proc))

    def state(self) -> dict:
        """The master's JSON status page (workers, applications)."""
        with urllib.request.urlopen(f"{self.webui}/json", timeout=5) as r:
            return json.load(r)

    def alive_workers(self) -> list[dict]:
        return [w for w in self.state().get("workers", []) if w.get("state") == "ALIVE"]

    def _wait_for_workers(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            for name, proc in self._procs:
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"Spark {name} exited with {proc.returncode}:\n{self.log_tail(name)}"
                    )
            try:
                if len(self.alive_workers()) >= self.workers:
                    return
            except OSError:
                pass  # the master's web UI is not up yet
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{self.workers} Spark workers not registered after {timeout:.0f}s:\n"
                    + "\n".join(self.log_tail(n) for n, _ in self._procs)
                )
            time.sleep(0.5)

    def log_tail(self, name: str, lines: int = 20) -> str:
        path = self.root / "logs" / f"{name}.out"
        text = path.read_text(errors="replace") if path.exists() else ""
        return f"--- {name}\n" + "\n".join(text.splitlines()[-lines:])

    def stop(self, grace: float = 20.0) -> None:
        """Workers first, then the master: SIGTERM to each process group, SIGKILL after
        ``grace`` seconds."""
        for _name, proc in reversed(self._procs):
            if proc.poll() is None:
                _signal_group(proc, signal.SIGTERM)
        for _name, proc in reversed(self._procs):
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait(timeout=grace)
        self._procs.clear()

    def __enter__(self) -> StandaloneCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(proc.pid, sig)
