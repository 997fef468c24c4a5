"""The consent ledger: an append-only, hash-chained store of members' preference events.

``read_events(db_url, as_of)`` and ``head_hash(db_url, as_of)`` are what the snapshot build
uses to take consent from the ledger; ``Ledger`` is the store the settings service writes to.
"""

from consentgate.ledger.chain import GENESIS_HASH, StoredEvent
from consentgate.ledger.db import normalise_url
from consentgate.ledger.errors import EventRejected, LedgerError
from consentgate.ledger.exchange import (
    META_HEAD_HASH,
    META_HEAD_SEQ,
    export_parquet,
    head_hash,
    import_file,
    read_events,
)
from consentgate.ledger.migrate import upgrade
from consentgate.ledger.store import Head, ImportResult, Ledger, NewEvent, SettingState
from consentgate.ledger.verify import ChainProblem, VerifyReport, verify_ledger


def init_ledger(db_url: str) -> None:
    """Create the ledger's tables, or upgrade them to this version (idempotent)."""
    from consentgate.ledger.db import make_engine

    engine = make_engine(db_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def verify(db_url: str) -> VerifyReport:
    with Ledger(db_url) as ledger:
        return verify_ledger(ledger)


__all__ = [
    "GENESIS_HASH",
    "META_HEAD_HASH",
    "META_HEAD_SEQ",
    "ChainProblem",
    "EventRejected",
    "Head",
    "ImportResult",
    "Ledger",
    "LedgerError",
    "NewEvent",
    "SettingState",
    "StoredEvent",
    "VerifyReport",
    "export_parquet",
    "head_hash",
    "import_file",
    "init_ledger",
    "normalise_url",
    "read_events",
    "verify",
    "verify_ledger",
]
