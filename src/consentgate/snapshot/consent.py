"""Where consent comes from: the source's own preference_events, another source, or the
consent ledger (a database URL), whose hash chain is verified before it is read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq

from consentgate.contract.source import ContractError, Source, open_source


def is_url(text: str) -> bool:
    return "://" in text


def open_consent(
    consent: str | Path | None, as_of: dt.datetime, folder: Path
) -> tuple[Source | None, dict]:
    """The consent source and how the manifest names it. A ledger (a database URL) is
    verified first: a broken hash chain stops the build."""
    if consent is None:
        return None, {"kind": "source", "table": "preference_events"}
    if is_url(str(consent)):
        from consentgate.ledger import META_HEAD_HASH, META_HEAD_SEQ, read_events, verify_db

        check = verify_db(str(consent))
        if not check.ok:
            problems = "; ".join(str(p) for p in check.problems[:5])
            raise ContractError(f"consent ledger {consent} fails verification: {problems}")
        folder.mkdir(parents=True)
        events = read_events(consent, as_of)
        pq.write_table(events, folder / "preference_events.parquet")
        meta = events.schema.metadata
        return open_source(folder, tables=["preference_events"]), {
            "kind": "ledger",
            "events_verified": check.events,
            # the last event, in chain order, among those effective at or before T: what
            # the build read, pinned by its hash and named by its number
            "head_seq": int(meta[META_HEAD_SEQ]),
            "head_hash": meta[META_HEAD_HASH].decode(),
        }
    src = open_source(consent, tables=["preference_events"])
    return src, {"kind": "source", "path": str(src.path), "fingerprints": src.fingerprints()}


def check_same_consent(consent: str | Path | None, built: dict | None, what: str) -> None:
    """Deciding a snapshot's records again needs the consent it was built with: a snapshot
    built from a ledger is decided again from that ledger (the source's own
    preference_events may lack every change the ledger recorded), and the ledger given must
    be that one, grown since: its event ``head_seq`` still has the hash the manifest pinned."""
    if not built or built.get("kind") != "ledger":
        return
    if consent is None or not is_url(str(consent)):
        raise ContractError(
            f"{what} was built with consent from a ledger: give that ledger (--consent "
            "URL), since the source's own preference events may not hold what the ledger "
            "recorded"
        )
    seq, pinned = int(built.get("head_seq") or 0), built.get("head_hash")
    if seq == 0 or not pinned:
        return
    from consentgate.ledger import Ledger

    with Ledger(str(consent), read_only=True) as ledger:
        event = ledger.event(seq)
    if event is None or event.hash != pinned:
        found = "has no such event" if event is None else f"has hash {event.hash[:12]}… there"
        raise ContractError(
            f"{consent} is not the ledger {what} was built with: the manifest pins event "
            f"#{seq} with hash {pinned[:12]}…, and this ledger {found}"
        )
