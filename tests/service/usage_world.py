"""A real world for the "was my data used?" tests: a generated network, the real consent
ledger (the network's own choices imported, plus one member's opt-out on 2 February 2026),
two real snapshots built from it with ``build_snapshot`` (S1 as of 15 January 2026, S2 as of
1 March 2026, both reading consent from the ledger), and a real registry (SQLite file) in
which S1 trained assistant-writer 1.0 (and a summariser run that failed) and S2 trained
assistant-writer 2.0.

Built once per test session; each test gets its own copies of the ledger and registry.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from consentgate.eligibility.reasons import Reason
from consentgate.eligibility.reference import Education, Member, decide_member
from consentgate.ledger import Ledger, init_ledger
from consentgate.ledger.exchange import import_file
from consentgate.ledger.store import NewEvent
from consentgate.policy.model import Policy
from consentgate.registry import Registry
from consentgate.snapshot import BuildOptions, build_snapshot
from consentgate.synth import generate

UTC = dt.UTC
S1_AS_OF = dt.datetime(2026, 1, 15, tzinfo=UTC)
S2_AS_OF = dt.datetime(2026, 3, 1, tzinfo=UTC)
OFF_AT = dt.datetime(2026, 2, 2, 9, 30, tzinfo=UTC)
R1_STARTED, R1_FINISHED = dt.datetime(2026, 1, 18, tzinfo=UTC), dt.datetime(2026, 1, 20, tzinfo=UTC)
R2_STARTED, R2_FINISHED = dt.datetime(2026, 3, 3, tzinfo=UTC), dt.datetime(2026, 3, 5, tzinfo=UTC)
MEMBERS, SEED = 150, 3


@dataclass(frozen=True)
class World:
    root: Path
    network: Path
    ledger_file: Path  # the built ledger; tests copy it (copy_into)
    registry_file: Path
    s1_id: str
    s2_id: str
    r1: str  # assistant-writer 1.0 on S1, finished
    r2: str  # assistant-writer 2.0 on S2, finished
    r_failed: str  # summariser 0.1 on S1, failed
    opted: str  # in S1 (trained R1), turned off on OFF_AT, so not in S2
    both: str  # in S1 and S2
    minor: str  # treated as a minor by the policy: never in any dataset
    newcomer: str  # joined after S2 was built: not yet in any dataset

    def copy_into(self, folder: Path) -> tuple[str, str]:
        """Fresh copies of the ledger and the registry for one test: (ledger URL, registry
        path). The registry points at the shared, read-only snapshot folders."""
        folder.mkdir(parents=True, exist_ok=True)
        ledger, registry = folder / "ledger.db", folder / "registry.db"
        for source, target in ((self.ledger_file, ledger), (self.registry_file, registry)):
            src, dest = sqlite3.connect(source), sqlite3.connect(target)
            try:
                src.backup(dest)  # a consistent copy, whatever the journal mode
            finally:
                src.close()
                dest.close()
        return f"sqlite:///{ledger}", str(registry)


class SetClock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _lineage_members(snapshot: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in sorted((snapshot / "lineage").glob("part-*.parquet")):
        for m in pq.read_table(f, columns=["member_id"])["member_id"].to_pylist():
            counts[m] = counts.get(m, 0) + 1
    return counts


def build_world(root: Path, policy: Policy) -> World:
    network = root / "network"
    generate(network, members=MEMBERS, seed=SEED)
    key = root / "pseudonym.key"
    key.write_text("11" * 32 + "\n")
    ledger_file = root / "ledger.db"
    ledger_url = f"sqlite:///{ledger_file}"
    init_ledger(ledger_url)
    with Ledger(ledger_url) as ledger:
        import_file(ledger, network, policy)

    def build(as_of: dt.datetime, name: str) -> tuple[Path, str]:
        result = build_snapshot(BuildOptions(source=network, policy=policy, as_of=as_of,
                                             out=root / name, consent=ledger_url, key_file=key,
                                             threads=1))
        return result.out, result.manifest["snapshot_id"]

    s1, s1_id = build(S1_AS_OF, "s1")
    in_s1 = _lineage_members(s1)
    members = {r["member_id"]: r for r in pq.read_table(network / "members.parquet").to_pylist()}
    education: dict[str, list[Education]] = {}
    for r in pq.read_table(network / "education.parquet").to_pylist():
        education.setdefault(r["member_id"], []).append(Education(**r))
    with_events = set(pq.read_table(network / "preference_events.parquet",
                                    columns=["member_id"])["member_id"].to_pylist())
    quiet = sorted((m for m in in_s1 if m not in with_events), key=lambda m: (-in_s1[m], m))
    opted, both = quiet[0], quiet[1]
    with Ledger(ledger_url) as ledger:
        ledger.import_events([NewEvent(
            member_id=opted, setting=policy.setting.key, value=False, source="web",
            policy_id=policy.policy.id, policy_version=policy.policy.version,
            notice_version=policy.policy.notice_version, language="en", jurisdiction=None,
            effective_at=OFF_AT,
        )])
    s2, s2_id = build(S2_AS_OF, "s2")
    in_s2 = _lineage_members(s2)
    assert opted not in in_s2 and both in in_s2

    now = dt.datetime.now(UTC)

    def pick(test: Callable[[Member, tuple[Reason, ...]], bool]) -> str:
        for member_id in sorted(members):
            row = members[member_id]
            if member_id in with_events or member_id in in_s1 or member_id in in_s2:
                continue
            member = Member(**row)
            reasons = decide_member(policy, member, education.get(member_id, []), [],
                                    now).reasons
            if test(member, reasons):
                return member_id
        raise AssertionError("the generated network has no such member")

    minor = pick(lambda m, r: bool(r) and r[0] in (Reason.MINOR_AGE,
                                                   Reason.MINOR_SECONDARY_SCHOOL))
    newcomer = pick(lambda m, r: not r and m.joined_at is not None
                    and m.joined_at.astimezone(UTC) > S2_AS_OF)

    registry_file = root / "registry.db"
    clock = SetClock(R1_STARTED)
    with Registry(registry_file, clock=clock) as registry:
        registry.register_snapshot(s1)
        registry.register_snapshot(s2)
        r1 = registry.start_run([s1_id], "assistant-writer", "1.0").run_id
        failed = registry.start_run([s1_id], "summariser", "0.1").run_id
        clock.now = R1_FINISHED
        registry.finish_run(r1)
        registry.finish_run(failed, failed=True)
        clock.now = R2_STARTED
        r2 = registry.start_run([s2_id], "assistant-writer", "2.0").run_id
        clock.now = R2_FINISHED
        registry.finish_run(r2)
    return World(root, network, ledger_file, registry_file, s1_id, s2_id, r1, r2, failed,
                 opted, both, minor, newcomer)


def shared_registry(world: World, ledger_url: str) -> None:
    """Put the registry into the ledger's own database (one database for both)."""
    clock = SetClock(R1_STARTED)
    with Registry(ledger_url, clock=clock) as registry:
        for snapshot in ("s1", "s2"):
            registry.register_snapshot(world.root / snapshot)
        run = registry.start_run([world.s1_id], "assistant-writer", "1.0").run_id
        clock.now = R1_FINISHED
        registry.finish_run(run)


__all__ = ["World", "build_world", "shared_registry"]
