"""A snapshot built from the consent ledger pins the log it read (id, size, root, signed
head). Rewriting that history afterwards, even with every hash recomputed and the signed heads
deleted, is caught by `verify --consent` and refused by the withdrawal list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from consentgate.contract.source import ContractError
from consentgate.ledger import Ledger, init_ledger
from consentgate.ledger.exchange import import_file
from consentgate.ledger.signing import SigningKey
from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
from consentgate.snapshot.purge import list_withdrawals
from tests.ledger.test_tamper import rebuild_tree, tamper

AS_OF = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)


@pytest.fixture
def built(tmp_path: Path, tiny_source: Path) -> tuple[Path, str, dict]:
    policy = load_policy()
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    init_ledger(db)
    with Ledger(db) as ledger:
        import_file(ledger, tiny_source, policy)
        ledger.sign_head(SigningKey(Ed25519PrivateKey.generate()))
    result = build_snapshot(BuildOptions(source=tiny_source, policy=policy, as_of=AS_OF,
                                         out=tmp_path / "snap", consent=db))
    return result.out, db, result.manifest["inputs"]["consent"]


def test_the_manifest_pins_the_log_it_read(built: tuple[Path, str, dict],
                                           tiny_source: Path) -> None:
    snapshot, db, pinned = built
    with Ledger(db) as ledger:
        head = ledger.head()
    assert pinned["format"] == "consentgate-ledger-2"
    assert (pinned["log_id"], pinned["tree_size"], pinned["root_hash"]) == (
        head.log_id, head.seq, head.hash)
    assert pinned["signed_head"]["tree_size"] == head.seq and pinned["unsigned_tail"] == 0
    check = verify_snapshot(snapshot, tiny_source, load_policy(), consent=db)
    assert check.ok, check.violations
    assert any("still extends the log the build read" in line for line in check.checks)


def test_a_rewritten_ledger_is_caught_after_the_build(built: tuple[Path, str, dict],
                                                      tiny_source: Path,
                                                      tmp_path: Path) -> None:
    snapshot, db, _pinned = built
    with Ledger(db) as ledger:
        # the careful attacker: an event edited, every hash recomputed, the heads deleted
        tamper(ledger, "UPDATE ledger_events SET value = NOT value WHERE seq = 1")
        rebuild_tree(ledger)
    check = verify_snapshot(snapshot, tiny_source, load_policy(), consent=db)
    assert not check.ok
    assert any("history was rewritten" in str(v) for v in check.violations), check.violations
    with pytest.raises(ContractError, match="no longer holds the log"):
        list_withdrawals(snapshot, tiny_source, AS_OF + dt.timedelta(days=30),
                         tmp_path / "w.parquet", consent=db)
