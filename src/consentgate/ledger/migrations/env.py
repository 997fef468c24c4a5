"""Alembic environment for the ledger (see ``consentgate.database.migrations.run_online``)."""

from __future__ import annotations

from alembic import context

from consentgate.database.migrations import run_online
from consentgate.ledger.db import make_engine
from consentgate.ledger.models import metadata

run_online(context, metadata, make_engine)
