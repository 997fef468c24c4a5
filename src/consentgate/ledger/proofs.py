"""What a receipt carries to prove its event is in the log, and the offline check of it.

A receipt's ``log`` section holds the event's leaf bytes (canonical JSON), its leaf index, an
inclusion proof and the signed tree head the proof leads to: the first signed head that
covers the event, so that a receipt asked for twice is the same receipt. Checking needs no
ledger: hash the leaf, walk the proof to the head's root, check the head's signature with a
key one trusts (the receipt names the key; trusting the copy inside the receipt proves only
that the receipt is self-consistent).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from consentgate.ledger import merkle
from consentgate.ledger.chain import LEAF_FORMAT, StoredEvent, format_time, from_us
from consentgate.ledger.errors import LedgerError
from consentgate.ledger.signing import SigningKey, TreeHead, key_id, public_from_b64
from consentgate.ledger.store import Ledger

PROOF_FORMAT = "consentgate-inclusion-1"


def log_proof(ledger: Ledger, event: StoredEvent, key: SigningKey | None = None) -> dict[str, Any]:
    """The receipt's ``log`` section for ``event``. With no signed head covering it yet, a
    service holding the key signs one now; without a key the proof leads to the unsigned
    current root, and says so."""
    with ledger.read() as conn:
        signed = ledger.covering_head(event.seq, conn)
    if signed is None and key is not None:
        signed = ledger.sign_head(key)
    with ledger.read() as conn:
        head = ledger.head(conn)
        if signed is None:
            size, root = head.seq, head.hash
        else:
            size, root = signed.tree_size, signed.root_hash
        proof = ledger.inclusion_proof(event.seq, size, conn)
        keys = ledger.keys(conn)
        log_id = head.log_id
    section: dict[str, Any] = {
        "format": PROOF_FORMAT,
        "log_id": log_id,
        "leaf_format": LEAF_FORMAT,
        "leaf": event.leaf().decode("utf-8"),
        "leaf_index": event.leaf_index,
        "leaf_hash": event.hash,
        "tree_size": size,
        "root_hash": root,
        "inclusion_proof": proof,
        "signed_head": signed.as_json() if signed is not None else None,
        "hashing": "RFC 9162: leaf SHA-256(0x00 || leaf), node SHA-256(0x01 || left || right)",
    }
    if signed is not None and signed.key_id in keys:
        section["public_key"] = {"key_id": signed.key_id,
                                 "ed25519": keys[signed.key_id]["public_key"]}
    return section


@dataclass
class ReceiptCheck:
    ok: bool = False
    leaf_index: int | None = None
    tree_size: int | None = None
    signed: bool = False
    key_id: str | None = None
    key_trusted: bool = False  # checked with a key given by the caller, not the receipt's
    checks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_receipt(
    receipt: Any, trusted_keys: dict[str, Ed25519PublicKey] | None = None
) -> ReceiptCheck:
    """Check a receipt (ISO/IEC TS 27560 shape, or just its ``log`` section) offline."""
    result = ReceiptCheck()
    try:
        _check(receipt, trusted_keys, result)
    except (LedgerError, merkle.ProofError) as exc:
        result.problems.append(str(exc))
    result.ok = not result.problems
    return result


def _check(receipt: Any, trusted: dict | None, result: ReceiptCheck) -> None:
    if not isinstance(receipt, dict):
        raise LedgerError("a receipt is a JSON object")
    log = receipt.get("log") or (receipt.get("x-consentgate") or {}).get("log") or receipt
    if not isinstance(log, dict) or log.get("format") != PROOF_FORMAT:
        raise LedgerError(f"no {PROOF_FORMAT} log section in this receipt (issued before the "
                          "log carried proofs?)")
    try:
        leaf_text = str(log["leaf"])
        index, size = int(log["leaf_index"]), int(log["tree_size"])
        proof = [bytes.fromhex(h) for h in log["inclusion_proof"]]
        root = bytes.fromhex(log["root_hash"])
    except (KeyError, TypeError, ValueError) as exc:
        raise LedgerError(f"the receipt's log section lacks or mangles {exc}") from exc
    result.leaf_index, result.tree_size = index, size
    leaf = json.loads(leaf_text)
    _match_receipt(receipt, leaf, index, result)
    digest = merkle.leaf_hash(leaf_text.encode("utf-8"))
    if log.get("leaf_hash") not in (None, digest.hex()):
        raise LedgerError("the receipt's leaf hash is not the hash of its leaf")
    merkle.verify_inclusion(index, size, digest, proof, root)
    result.checks.append(f"leaf {index} is in the tree of {size} events with root "
                         f"{root.hex()[:16]}…")
    signed = log.get("signed_head")
    if signed is None:
        result.warnings.append("the tree head is not signed: the proof shows the event in a "
                               "tree, not that the log issued that tree")
        return
    head = TreeHead.from_json(signed)
    if (head.tree_size, head.root_hash) != (size, root.hex()):
        raise LedgerError("the proof leads to another tree than the signed head's")
    if head.log_id != log.get("log_id", head.log_id):
        raise LedgerError("the signed head is of another log than the receipt names")
    result.signed, result.key_id = True, head.key_id
    if trusted is not None:
        head.check(trusted)
        result.key_trusted = True
        result.checks.append(f"tree head signed by trusted key {head.key_id} on "
                             f"{format_time(from_us(head.timestamp_us))}")
        return
    embedded = log.get("public_key") or {}
    if embedded.get("key_id") != head.key_id or not embedded.get("ed25519"):
        raise LedgerError("no key to check the signed head with: give the log's public key")
    public = public_from_b64(str(embedded["ed25519"]))
    if key_id(public) != head.key_id:
        raise LedgerError("the receipt's public key does not have the id the head names")
    head.check({head.key_id: public})
    result.checks.append(f"tree head signed by key {head.key_id} (the copy in the receipt)")
    result.warnings.append("the signing key was taken from the receipt itself: compare its id "
                           f"{head.key_id} with the log's published key, or pass it with "
                           "--public-key")


def _match_receipt(receipt: dict, leaf: Any, index: int, result: ReceiptCheck) -> None:
    """The leaf is the event the receipt's readable part describes."""
    if not isinstance(leaf, dict) or leaf.get("format") != LEAF_FORMAT:
        raise LedgerError(f"the receipt's leaf is not a {LEAF_FORMAT} event")
    if leaf.get("seq") != index + 1:
        raise LedgerError("the leaf's event number does not match its index in the tree")
    expected = {
        "receipt_id": receipt.get("receipt", {}).get("receipt_id") if "receipt" in receipt
        else None,
        "member_id": receipt.get("pii_principal_id"),
    }
    events = receipt.get("event") or []
    if events and isinstance(events, list) and isinstance(events[0], dict):
        expected["event_time"] = events[0].get("event_time")
    for name in ("receipt_id", "member_id"):
        if expected[name] is not None and leaf.get(name) != expected[name]:
            raise LedgerError(f"the leaf's {name} is not the receipt's: the proof is of "
                              "another event")
    kind = events[0].get("event_type") if events and isinstance(events[0], dict) else None
    wanted = {"opt_in": True, "opt_out": False, "erasure_request": True}.get(str(kind))
    if wanted is not None and leaf.get("value") is not wanted:
        raise LedgerError(f"the receipt says {kind}, the leaf holds value {leaf.get('value')}")
    if expected.get("event_time") is not None:
        leaf_time = format_time(from_us(int(leaf["effective_us"])))
        if leaf_time != expected["event_time"]:
            raise LedgerError("the leaf's time is not the receipt's event time")
    result.checks.append(f"the leaf is this receipt's event (receipt {leaf.get('receipt_id')}, "
                         f"member {leaf.get('member_id')}, value {leaf.get('value')})")
