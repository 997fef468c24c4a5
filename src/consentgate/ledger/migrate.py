"""The ledger's Alembic migrations ship inside the package (``consentgate/ledger/migrations``),
so ``consentgate ledger init`` needs no alembic.ini; they use Alembic's default version
table."""

from __future__ import annotations

from consentgate.database.migrations import Migrations

MIGRATIONS = Migrations("consentgate.ledger:migrations")
SCRIPT_LOCATION = MIGRATIONS.script_location

alembic_config = MIGRATIONS.config
head_revision = MIGRATIONS.head_revision
current_revision = MIGRATIONS.current_revision
upgrade = MIGRATIONS.upgrade
downgrade = MIGRATIONS.downgrade
