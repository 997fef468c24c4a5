"""The service signs the log's tree head every few seconds while the log grows, so that each
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
    def __init__(self, ledger: Ledger, key: SigningKey, interval_s: float) -> None:
        self.ledger, self.key, self.interval_s = ledger, key, interval_s
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
                self.ledger.sign_head(self.key)
            except (LedgerError, SQLAlchemyError) as exc:
                # the next round tries again; appends and receipts go on meanwhile
                log.warning("could not sign the log's tree head: %s", exc)
