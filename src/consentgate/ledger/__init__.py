"""The consent ledger: a transparency log (RFC 9162 Merkle tree, signed tree heads) of members'
preference events.

``read_events(db_url, as_of)`` and ``head_hash(db_url, as_of)`` are what the snapshot build
uses to take consent from the ledger; ``Ledger`` is the store the settings service writes to.

Names are loaded on first use (PEP 562), so that the command line, which registers
``consentgate ledger`` on every start, does not pay for SQLAlchemy and Alembic until a ledger
command actually runs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "GENESIS_HASH": "consentgate.ledger.chain",
    "StoredEvent": "consentgate.ledger.chain",
    "normalise_url": "consentgate.ledger.db",
    "EventRejected": "consentgate.ledger.errors",
    "LedgerError": "consentgate.ledger.errors",
    "META_HEAD_HASH": "consentgate.ledger.exchange",
    "META_HEAD_SEQ": "consentgate.ledger.exchange",
    "export_parquet": "consentgate.ledger.exchange",
    "head_hash": "consentgate.ledger.exchange",
    "import_file": "consentgate.ledger.exchange",
    "read_events": "consentgate.ledger.exchange",
    "upgrade": "consentgate.ledger.migrate",
    "Head": "consentgate.ledger.store",
    "ImportResult": "consentgate.ledger.store",
    "Ledger": "consentgate.ledger.store",
    "NewEvent": "consentgate.ledger.store",
    "SettingState": "consentgate.ledger.store",
    "ChainProblem": "consentgate.ledger.verify",
    "VerifyReport": "consentgate.ledger.verify",
    "verify_ledger": "consentgate.ledger.verify",
    "TreeHead": "consentgate.ledger.signing",
    "SigningKey": "consentgate.ledger.signing",
    "read_verified": "consentgate.ledger.exchange",
}

if TYPE_CHECKING:
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
        read_verified,
    )
    from consentgate.ledger.migrate import upgrade
    from consentgate.ledger.signing import SigningKey, TreeHead
    from consentgate.ledger.store import Head, ImportResult, Ledger, NewEvent, SettingState
    from consentgate.ledger.verify import ChainProblem, VerifyReport, verify_ledger


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'consentgate.ledger' has no attribute {name!r}")
    return getattr(import_module(module), name)


def init_ledger(db_url: str) -> None:
    """Create the ledger's tables, or upgrade them to this version (idempotent)."""
    from consentgate.ledger.db import make_engine
    from consentgate.ledger.migrate import upgrade

    engine = make_engine(db_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def verify_db(db_url: str) -> VerifyReport:
    """Check the whole log at ``db_url`` in one consistent read."""
    from consentgate.ledger.store import Ledger
    from consentgate.ledger.verify import verify_ledger

    with Ledger(db_url, read_only=True) as ledger:
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
    "SigningKey",
    "StoredEvent",
    "TreeHead",
    "VerifyReport",
    "export_parquet",
    "head_hash",
    "import_file",
    "init_ledger",
    "normalise_url",
    "read_events",
    "read_verified",
    "upgrade",
    "verify_db",
    "verify_ledger",
]
