"""One canonical form per event: the bytes its leaf hash covers.

An event is a leaf of the log's Merkle tree (``merkle``). Its leaf bytes are the RFC 8785
(JCS) canonical JSON of every stored column but the hash, with the format name; for the types
an event holds (short strings, integers, booleans, nulls) JCS is exactly Python's
``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)``, UTF-8 encoded.

Instants are integers: microseconds since 1970-01-01T00:00:00Z. The database stores those
integers, the hash covers them and the build compares them, so there is no second spelling of
an instant to slip past the hash: a stored value that is not an integer is tampering.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from consentgate.ledger.merkle import leaf_hash

LEAF_FORMAT = "consentgate-ledger-2"
CHAIN_FORMAT = LEAF_FORMAT  # the name manifests and receipts have always carried
EMPTY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # SHA-256("")
GENESIS_HASH = EMPTY_HASH  # the root of the empty log
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def format_time(value: dt.datetime) -> str:
    """UTC with microseconds and a Z, for people and receipts (never hashed)."""
    return value.astimezone(dt.UTC).strftime(TIME_FORMAT)


def to_us(value: dt.datetime) -> int:
    """An aware instant as integer microseconds since the Unix epoch (exact)."""
    if value.tzinfo is None:
        raise ValueError("instants must carry a time zone (UTC)")
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(value: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=value)


@dataclass(frozen=True)
class StoredEvent:
    """An event as the ledger holds it; ``hash`` is its leaf hash (hex), ``seq - 1`` its
    leaf index."""

    seq: int
    receipt_id: str
    member_id: str
    setting: str
    value: bool
    effective_at: dt.datetime
    recorded_at: dt.datetime
    source: str
    policy_id: str
    policy_version: str
    notice_version: str | None
    language: str | None
    jurisdiction: str | None
    hash: str

    @property
    def leaf_index(self) -> int:
        return self.seq - 1

    def content(self) -> dict[str, object]:
        """Everything the leaf hash covers."""
        return {
            "format": LEAF_FORMAT,
            "seq": self.seq,
            "receipt_id": self.receipt_id,
            "member_id": self.member_id,
            "setting": self.setting,
            "value": self.value,
            "effective_us": to_us(self.effective_at),
            "recorded_us": to_us(self.recorded_at),
            "source": self.source,
            "policy_id": self.policy_id,
            "policy_version": self.policy_version,
            "notice_version": self.notice_version,
            "language": self.language,
            "jurisdiction": self.jurisdiction,
        }

    def leaf(self) -> bytes:
        return canonical_json(self.content())

    def computed_hash(self) -> str:
        return leaf_hash(self.leaf()).hex()


def canonical_json(content: dict[str, object]) -> bytes:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    return text.encode("utf-8")


def event_hash(content: dict[str, object]) -> str:
    """The leaf hash (hex) of an event's content, as ``StoredEvent.content`` gives it."""
    return leaf_hash(canonical_json(content)).hex()
