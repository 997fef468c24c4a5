"""The service signs the log's tree head about every second while the log grows, so that each
receipt soon has a signed head to prove against, and witnesses have heads to keep."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.exc import SQLAlchemyError

from consentgate.ledger.errors import LedgerError
from consentgate.ledger.signing import SigningKey
from consentgate.ledger.store import Ledger

log = logging.getLogger("consentgate.service")


class HeadSigner:
    """While changes come in, the appends sign within their own transactions (at most once
    per interval); this thread only signs what an idle moment left unsigned, after a read
    that says so, so that under load it never takes the write lock."""

    def __init__(self, ledger: Ledger, key: SigningKey, interval_s: float) -> None:
        self.ledger, self.key, self.interval_s = ledger, key, interval_s
        ledger.sign_with_appends(key, interval_s)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-head-signer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                if self.ledger.head_needs_signing(self.interval_s):
                    self.ledger.sign_head(self.key)
            except (LedgerError, SQLAlchemyError) as exc:
                # the next round tries again; appends and receipts go on meanwhile
                log.warning("could not sign the log's tree head: %s", exc)
