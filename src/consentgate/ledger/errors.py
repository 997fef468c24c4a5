"""Errors a ledger user can cause; their messages say what to do."""


class LedgerError(ValueError):
    """The ledger cannot be opened or the input cannot be recorded."""


class EventRejected(LedgerError):
    """An event that the ledger will not record (bad member id, unknown setting, …)."""
