"""The ledger as a transparency log: roots agree with an independent RFC 9162 implementation,
every receipt's inclusion proof verifies offline and a forged one does not, signed heads,
witness files, key rotation, and the commands around them."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from consentgate.cli.ledger_cmd import app
from consentgate.ledger import Ledger, verify_ledger
from consentgate.ledger.merkle import EMPTY_ROOT
from consentgate.ledger.proofs import check_receipt, log_proof
from consentgate.ledger.receipts import receipt_27560, receipt_kantara
from consentgate.ledger.signing import SigningKey, public_pem
from tests.ledger.conftest import change, fill
from tests.ledger.test_tamper import rebuild_tree, tamper

runner = CliRunner()


@pytest.fixture
def key() -> SigningKey:
    return SigningKey(Ed25519PrivateKey.generate())


def test_roots_agree_with_pymerkle(ledger: Ledger) -> None:
    """pymerkle (an independent RFC 9162 implementation) gives the same root for every size
    when fed the same leaf bytes."""
    from pymerkle import InmemoryTree

    reference = InmemoryTree(algorithm="sha256")
    assert reference.hash_empty() == EMPTY_ROOT
    events = [ledger.record_change(change(f"m{i % 7}", i % 3 == 0)) for i in range(37)]
    with ledger.read() as conn:
        for size, event in enumerate(events, start=1):
            reference.append_entry(event.leaf())
            assert ledger.root_at(size, conn) == reference.get_root(size).hex(), size
        assert ledger.head(conn).hash == reference.get_root().hex()


def test_every_receipt_proves_its_event_and_a_forged_one_does_not(
    ledger: Ledger, key: SigningKey, policy  # type: ignore[no-untyped-def]
) -> None:
    events = fill(ledger, 5)
    ledger.sign_head(key)
    events += fill(ledger, 12)
    trusted = {key.key_id: key.public}
    receipts = []
    for event in events:
        receipt = receipt_27560(event, policy, log=log_proof(ledger, event, key))
        result = check_receipt(json.loads(json.dumps(receipt)), trusted)
        assert result.ok and result.key_trusted, result.problems
        receipts.append(receipt)
    # the first five are proved against the first signed head; the others got one made
    assert {r["log"]["tree_size"] for r in receipts[:5]} == {5}
    assert {r["log"]["tree_size"] for r in receipts[5:]} == {17}
    # the same receipt comes back when asked again
    assert receipt_27560(events[2], policy, log=log_proof(ledger, events[2], key)) == receipts[2]
    # Kantara view carries the same proof
    assert check_receipt(receipt_kantara(events[0], policy, log=log_proof(ledger, events[0])),
                         trusted).ok

    def forged(edit) -> list[str]:  # type: ignore[no-untyped-def]
        receipt = copy.deepcopy(receipts[7])
        edit(receipt)
        return check_receipt(receipt, trusted).problems

    def flip_value(r: dict) -> None:
        leaf = json.loads(r["log"]["leaf"])
        leaf["value"] = not leaf["value"]
        r["log"]["leaf"] = json.dumps(leaf, sort_keys=True, separators=(",", ":"))
        r["event"][0]["event_type"] = "opt_in" if leaf["value"] else "opt_out"

    def other_member(r: dict) -> None:
        r["pii_principal_id"] = "someone-else"

    def bad_path(r: dict) -> None:
        r["log"]["inclusion_proof"][0] = "00" * 32

    def moved(r: dict) -> None:
        r["log"]["leaf_index"] += 1

    def resigned(r: dict) -> None:
        r["log"]["signed_head"]["root_hash"] = "11" * 32
        r["log"]["root_hash"] = "11" * 32

    for edit in (flip_value, other_member, bad_path, moved, resigned):
        assert forged(edit), edit.__name__
    # another key than the trusted one
    stranger = SigningKey(Ed25519PrivateKey.generate())
    assert not check_receipt(receipts[7], {stranger.key_id: stranger.public}).ok


def test_prove_on_the_command_line(db_url: str, tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    key_file = tmp_path / "log.key"
    made = runner.invoke(app, ["init", "--db", db_url, "--key-file", str(key_file)])
    assert made.exit_code == 0, made.output
    assert "new signing key" in made.output and key_file.stat().st_mode & 0o077 == 0
    public = tmp_path / "log.pub"
    out = runner.invoke(app, ["key", "public", "--key-file", str(key_file)])
    public.write_text(out.output)
    from consentgate.ledger.signing import load_signing_key

    key = load_signing_key(key_file)
    with Ledger(db_url) as ledger:
        events = fill(ledger, 4)
        receipt = receipt_27560(events[1], policy, log=log_proof(ledger, events[1], key))
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(receipt))
    ok = runner.invoke(app, ["prove", str(path), "--public-key", str(public), "--db", db_url])
    assert ok.exit_code == 0, ok.output
    assert "proven: receipt's event is leaf 1" in ok.output and "still extends" in ok.output
    receipt["log"]["inclusion_proof"][0] = "ab" * 32
    path.write_text(json.dumps(receipt))
    bad = runner.invoke(app, ["prove", str(path), "--public-key", str(public)])
    assert bad.exit_code == 1 and "NOT PROVEN" in bad.output
    not_json = tmp_path / "x.json"
    not_json.write_bytes(b"\xff\x00")
    broken = runner.invoke(app, ["prove", str(not_json)])
    assert broken.exit_code == 2 and broken.output.startswith("error:")


def test_verify_since_a_kept_head_on_the_command_line(db_url: str, tmp_path: Path) -> None:
    key_file = tmp_path / "log.key"
    assert runner.invoke(app, ["init", "--db", db_url, "--key-file", str(key_file)]).exit_code == 0
    witness = tmp_path / "heads.jsonl"
    with Ledger(db_url) as ledger:
        fill(ledger, 6)
    signed = runner.invoke(app, ["sign", "--db", db_url, "--key-file", str(key_file),
                                 "--append-to", str(witness)])
    assert signed.exit_code == 0, signed.output
    with Ledger(db_url) as ledger:
        fill(ledger, 3)
    assert runner.invoke(app, ["sign", "--db", db_url, "--key-file", str(key_file),
                               "--append-to", str(witness)]).exit_code == 0
    assert len(witness.read_text().splitlines()) == 2
    public = tmp_path / "log.pub"
    public.write_text(runner.invoke(app, ["key", "public", "--key-file", str(key_file)]).output)
    args = ["verify", "--db", db_url, "--since", str(witness), "--public-key", str(public)]
    clean = runner.invoke(app, args)
    assert clean.exit_code == 0, clean.output
    assert "extends the kept head of 6 events" in clean.output

    with Ledger(db_url) as ledger:  # rewrite history the careful way
        tamper(ledger, "UPDATE ledger_events SET value = NOT value WHERE seq = 2")
        rebuild_tree(ledger)
    assert runner.invoke(app, ["verify", "--db", db_url]).exit_code == 0  # looks fine alone
    caught = runner.invoke(app, args)
    assert caught.exit_code == 1 and "history was rewritten" in caught.output
    # a witness does not append a head the log no longer extends
    refused = runner.invoke(app, ["sign", "--db", db_url, "--key-file", str(key_file),
                                  "--append-to", str(witness)])
    assert refused.exit_code == 2 and "no longer extends" in refused.output
    assert len(witness.read_text().splitlines()) == 2


def test_key_rotation_keeps_old_heads_verifiable(db_url: str, tmp_path: Path) -> None:
    old_file, new_file = tmp_path / "old.key", tmp_path / "new.key"
    assert runner.invoke(app, ["init", "--db", db_url, "--key-file", str(old_file)]).exit_code == 0
    with Ledger(db_url) as ledger:
        fill(ledger, 3)
    assert runner.invoke(app, ["sign", "--db", db_url, "--key-file", str(old_file)]).exit_code == 0
    rotated = runner.invoke(app, ["key", "rotate", "--db", db_url, "--key-file", str(new_file)])
    assert rotated.exit_code == 0, rotated.output
    listed = runner.invoke(app, ["key", "list", "--db", db_url])
    assert listed.output.count("retired") == 1 and listed.output.count("current") == 1
    # the retired key signs no more
    stale = runner.invoke(app, ["sign", "--db", db_url, "--key-file", str(old_file)])
    assert stale.exit_code == 2 and "retired" in stale.output
    keys = []
    for name, path in (("old", old_file), ("new", new_file)):
        pub = tmp_path / f"{name}.pub"
        pub.write_text(runner.invoke(app, ["key", "public", "--key-file", str(path)]).output)
        keys += ["--public-key", str(pub)]
    assert runner.invoke(app, ["verify", "--db", db_url, *keys]).exit_code == 0
    only_new = runner.invoke(app, ["verify", "--db", db_url, *keys[2:]])
    assert only_new.exit_code == 1 and "not among the trusted keys" in only_new.output


def test_signing_keys_are_never_overwritten_and_must_be_ed25519(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    assert runner.invoke(app, ["key", "new", "--key-file", str(path)]).exit_code == 0
    again = runner.invoke(app, ["key", "new", "--key-file", str(path)])
    assert again.exit_code == 2 and "never overwritten" in again.output
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    rsa_like = tmp_path / "ec.pem"
    rsa_like.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    wrong = runner.invoke(app, ["key", "public", "--key-file", str(rsa_like)])
    assert wrong.exit_code == 2 and "Ed25519" in wrong.output
    assert public_pem(SigningKey(Ed25519PrivateKey.generate()).public).startswith("-----BEGIN")


def test_appends_sign_the_head_within_their_own_transaction_once_per_interval(
    db_url: str, key: SigningKey
) -> None:
    """What the service does under load: no signing transaction of its own."""
    import datetime as dt

    from tests.ledger.conftest import StepClock

    clock = StepClock(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC))
    with Ledger(db_url, clock=clock) as ledger:
        ledger.sign_with_appends(key, interval_s=1.0)
        ledger.record_change(change("a", True))  # signs: none yet
        clock.advance(seconds=0.4)
        ledger.record_change(change("b", True))  # too soon
        with ledger.read() as conn:
            heads = ledger.tree_heads(conn)
        assert [h.tree_size for h in heads] == [1]
        assert ledger.head_needs_signing(1.0) is False  # the latest is younger than 1 s
        clock.advance(seconds=0.7)
        assert ledger.head_needs_signing(1.0) is True  # grown, and the head is old
        ledger.record_change(change("c", False))
        with ledger.read() as conn:
            heads = ledger.tree_heads(conn)
        assert [h.tree_size for h in heads] == [1, 3]
        assert ledger.head_needs_signing(1.0) is False  # covers the whole log
        assert verify_ledger(ledger, trusted_keys={key.key_id: key.public}).ok
