"""The hash chain: each event's hash covers its content, its position and the previous hash.

Changing, removing, inserting or swapping any row breaks at least one link, which ``verify``
reports with the position. The format is versioned so that a later change of fields can be
told apart from tampering.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass

CHAIN_FORMAT = "consentgate-ledger-1"
GENESIS_HASH = "0" * 64
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def format_time(value: dt.datetime) -> str:
    """UTC with microseconds and a Z: one spelling per instant, whatever the database."""
    return value.astimezone(dt.UTC).strftime(TIME_FORMAT)


@dataclass(frozen=True)
class StoredEvent:
    """An event as the ledger holds it."""

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
    prev_hash: str
    hash: str

    def content(self) -> dict[str, object]:
        """Everything the hash covers: all columns but the hash itself."""
        data = asdict(self)
        del data["hash"]
        data["effective_at"] = format_time(self.effective_at)
        data["recorded_at"] = format_time(self.recorded_at)
        return data

    def computed_hash(self) -> str:
        return event_hash(self.content())


def event_hash(content: dict[str, object]) -> str:
    payload = {"format": CHAIN_FORMAT, **content}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
