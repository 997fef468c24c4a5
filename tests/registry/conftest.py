"""Real snapshots for the registry tests: a generated network, built twice with the command
line (S1 as of 2026-01-15; S2 as of 2026-03-01 with one member, OPTED, switched off on
2026-02-01), once per test session. Tests get copies, with or without a usage index."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from consentgate.registry import Registry
from consentgate.registry.usage import USAGE_FILES, usage_index_of
from consentgate.snapshot.usage_index import write_usage_index
from tests.ledger.pg import fresh_postgres_url

UTC = dt.UTC
OFF_AT = dt.datetime(2026, 2, 1, tzinfo=UTC)


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line, in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "consentgate.cli", *args],
        capture_output=True, text=True, cwd=cwd, timeout=600, check=False,
    )


def cli_ok(*args: str) -> str:
    done = cli(*args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@dataclass(frozen=True)
class Built:
    root: Path
    network: Path
    consent: Path  # the network's preference events plus OPTED's switch off
    s1: Path
    s2: Path
    opted: str  # in S1, not in S2 (switched off on OFF_AT)
    both: str  # in S1 and S2
    s1_id: str
    s2_id: str


def _members(snapshot: Path) -> pa.Table:
    lineage = pa.concat_tables(
        pq.read_table(f, columns=["member_id"])
        for f in sorted((snapshot / "lineage").glob("part-*.parquet"))
    )
    return lineage.group_by("member_id").aggregate([("member_id", "count")])


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("registry-snapshots")
    key = root / "key"
    key.write_text("11" * 32 + "\n")
    network = root / "net"
    cli_ok("demo", "generate", "--members", "200", "--out", str(network), "--seed", "1")
    s1 = root / "s1"
    cli_ok("build", "--source", str(network), "--as-of", "2026-01-15", "--out", str(s1),
           "--key-file", str(key), "-q")
    counts = _members(s1).sort_by([("member_id_count", "descending"), ("member_id", "ascending")])
    events = pq.read_table(network / "preference_events.parquet")
    changed = set(events["member_id"].to_pylist())
    # a member of S1 with many records and no event of their own: on by default
    opted = next(m for m in counts["member_id"].to_pylist() if m not in changed)
    both = next(
        m for m in counts["member_id"].to_pylist() if m not in changed and m != opted
    )
    off = pa.Table.from_pylist(
        [{"member_id": opted, "setting": "data_for_genai_improvement", "value": False,
          "effective_at": OFF_AT, "source": "web"}],
        schema=events.schema,
    )
    consent = root / "consent"
    consent.mkdir()
    pq.write_table(pa.concat_tables([events, off]), consent / "preference_events.parquet")
    s2 = root / "s2"
    cli_ok("build", "--source", str(network), "--as-of", "2026-03-01", "--out", str(s2),
           "--key-file", str(key), "--consent", str(consent), "-q")
    in_s2 = set(_members(s2)["member_id"].to_pylist())
    assert opted not in in_s2 and both in in_s2
    return Built(
        root, network, consent, s1, s2, opted, both,
        json.loads((s1 / "manifest.json").read_text())["snapshot_id"],
        json.loads((s2 / "manifest.json").read_text())["snapshot_id"],
    )


def copy_snapshot(src: Path, dest: Path, *, index: bool) -> Path:
    """A copy of a snapshot folder, with a usage index (``index``) or without (the older
    format, searched through lineage and data)."""
    shutil.copytree(src, dest)
    if index and usage_index_of(dest) is None:
        write_usage_index(dest)
    if not index:
        for name in USAGE_FILES:
            (dest / name).unlink(missing_ok=True)
        manifest = json.loads((dest / "manifest.json").read_text())
        if manifest.pop("usage_index", None) is not None:
            (dest / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return dest


def rewrite_manifest(folder: Path, **changes: object) -> dict:
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest.update(changes)
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def member_ids(table: pa.Table, member: str) -> int:
    return pc.sum(pc.equal(table["member_id"], member)).as_py() or 0


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def registry_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A registry that does not exist yet: a SQLite path, or an empty PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "registry.db")
    return fresh_postgres_url()


@pytest.fixture
def registry(registry_url: str) -> Iterator[Registry]:
    with Registry(registry_url) as opened:
        yield opened


@pytest.fixture
def snaps(built: Built, tmp_path: Path) -> tuple[Path, Path]:
    """Copies of S1 and S2 with usage indexes."""
    return (
        copy_snapshot(built.s1, tmp_path / "s1", index=True),
        copy_snapshot(built.s2, tmp_path / "s2", index=True),
    )


class StepClock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now
