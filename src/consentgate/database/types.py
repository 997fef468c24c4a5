"""Column types shared by the ledger's and the registry's tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, TypeDecorator
from sqlalchemy.engine import Dialect

UTC = dt.UTC


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A UTC instant with microseconds. PostgreSQL stores ``timestamptz``; SQLite, which has
    no time zones, stores the UTC wall clock as text that sorts in time order. A naive value
    is refused: every instant these databases keep is time-zone aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be time-zone aware (UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
