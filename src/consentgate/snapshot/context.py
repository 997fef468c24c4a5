"""What the steps of a build share: the options, the staging folder, progress and timings.

A step is a function of a ``BuildContext`` and of what earlier steps returned; it writes only
into ``ctx.tmp`` (the private staging folder), so that any composition of steps publishes all
or nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from consentgate.policy.model import Policy

Progress = Callable[[str], None]


@dataclass
class BuildOptions:
    source: Path
    policy: Policy
    as_of: dt.datetime
    out: Path
    engine: str = "duckdb"
    consent: str | None = None  # a source path, or a ledger database URL
    key_file: Path | None = None
    threads: int | None = None
    memory_limit: str | None = None
    # worker processes for redaction on DuckDB (None: the threads, for large builds only)
    redact_workers: int | None = None
    # a registry database URL: the published snapshot is registered there
    registry: str | None = None
    # Spark: show the JVM's log lines and progress bars (off: they go to a log file)
    verbose: bool = False
    # Spark: the master URL (spark://HOST:PORT, local[N], ...); None: $CONSENTGATE_SPARK_MASTER,
    # else spark-submit's --master, else local mode
    spark_master: str | None = None
    # the setting (purpose) the snapshot is built for; None: the policy's primary one
    purpose: str | None = None
    # a previous snapshot: an incremental build reuses its redacted texts where it can
    # (see snapshot.incremental)
    since: Path | None = None


@dataclass
class BuildResult:
    out: Path
    manifest: dict
    report: dict
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildContext:
    """One run of a composition of steps."""

    opts: BuildOptions
    tmp: Path  # the staging folder; published by the last step
    progress: object | None = None
    stages: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    started_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0)
    )

    def say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)  # type: ignore[operator]

    def tick(self, done: int, total: int | None) -> None:
        """Records written so far, for a progress object with ``records(done, total)``."""
        records = getattr(self.progress, "records", None)
        if records is not None:
            records(done, total)

    @contextmanager
    def step(self, name: str, message: str | None = None) -> Iterator[None]:
        """Announce a step and record how long it took (``stages`` in the result)."""
        if message is not None:
            self.say(message)
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = round(self.stages.get(name, 0.0) + time.perf_counter() - t0, 3)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started
