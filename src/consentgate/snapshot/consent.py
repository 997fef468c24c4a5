"""Where consent comes from: the source's own preference_events, another source, or the
consent ledger (a database URL), verified and read in one read transaction."""

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
    verified in the same read transaction the events are read in: a ledger that fails
    verification stops the build."""
    if consent is None:
        return None, {"kind": "source", "table": "preference_events"}
    if is_url(str(consent)):
        from consentgate.ledger import META_HEAD_HASH, META_HEAD_SEQ
        from consentgate.ledger.exchange import read_verified

        # one read transaction: the events the build reads are the ones just verified
        read = read_verified(str(consent), as_of)
        if not read.report.ok:
            problems = "; ".join(str(p) for p in read.report.problems[:5])
            raise ContractError(f"consent ledger {consent} fails verification: {problems}")
        folder.mkdir(parents=True)
        pq.write_table(read.events, folder / "preference_events.parquet")
        meta = read.events.schema.metadata
        report = read.report
        return open_source(folder, tables=["preference_events"]), {
            "kind": "ledger",
            "format": meta[b"consentgate.ledger.chain_format"].decode(),
            "events_verified": report.events,
            # the last event, in log order, among those effective at or before T: what
            # the build read, pinned by its leaf hash and named by its number
            "head_seq": int(meta[META_HEAD_SEQ]),
            "head_hash": meta[META_HEAD_HASH].decode(),
            # the whole log as read: anyone can later check the log still extends it
            "log_id": report.log_id,
            "tree_size": report.head_seq,
            "root_hash": report.head_hash,
            "signed_head": read.signed_head.as_json() if read.signed_head else None,
            "unsigned_tail": report.head_seq - (read.signed_head.tree_size
                                                if read.signed_head else 0),
        }
    src = open_source(consent, tables=["preference_events"])
    info = {"kind": "source", "path": str(src.path), "fingerprints": src.fingerprints()}
    if versions := src.table_versions():  # a Delta or Iceberg table: the version read
        info["tables"] = versions
    return src, info


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
    from consentgate.ledger import Ledger
    from consentgate.ledger.models import chain_v1_table

    with Ledger(str(consent), read_only=True) as ledger:
        if built.get("tree_size") is not None:
            _check_extends(ledger, built, consent, what)
        if seq == 0 or not pinned:
            return
        if built.get("format", "consentgate-ledger-1") == "consentgate-ledger-1":
            # built before the ledger became a tree: the upgrade kept the first hashes
            with ledger.engine.connect() as conn:
                old = conn.execute(chain_v1_table.select().where(
                    chain_v1_table.c.seq == seq)).first()
            found_hash = old.hash if old is not None else None
        else:
            event = ledger.event(seq)
            found_hash = event.hash if event is not None else None
    if found_hash != pinned:
        found = ("has no such event" if found_hash is None
                 else f"has hash {found_hash[:12]}… there")
        raise ContractError(
            f"{consent} is not the ledger {what} was built with: the manifest pins event "
            f"#{seq} with hash {pinned[:12]}…, and this ledger {found}"
        )


def _check_extends(ledger: object, built: dict, consent: object, what: str) -> None:
    """The ledger given still extends the log the build read: same log, and the tree of the
    first ``tree_size`` events still has the recorded root (a check on every event)."""
    from consentgate.ledger.verify import verify_ledger

    report = verify_ledger(ledger, pins={int(built["tree_size"]): built["root_hash"]})  # type: ignore[arg-type]
    if built.get("log_id") and report.log_id and report.log_id != built["log_id"]:
        raise ContractError(f"{consent} is not the ledger {what} was built with: it is log "
                            f"{report.log_id}, the manifest names log {built['log_id']}")
    if not report.ok:
        problems = "; ".join(str(p) for p in report.problems[:3])
        raise ContractError(f"{consent} no longer holds the log {what} was built with: "
                            f"{problems}")
