"""The registry's Alembic migrations ship inside the package
(``consentgate/registry/migrations``) and keep their own version table
(``registry_alembic_version``), so ``consentgate registry init`` needs no alembic.ini and
coexists with ``consentgate ledger init`` in one database."""

from __future__ import annotations

from consentgate.database.migrations import Migrations
from consentgate.registry.models import VERSION_TABLE

MIGRATIONS = Migrations("consentgate.registry:migrations", VERSION_TABLE)
SCRIPT_LOCATION = MIGRATIONS.script_location

alembic_config = MIGRATIONS.config
head_revision = MIGRATIONS.head_revision
known_revisions = MIGRATIONS.known_revisions
current_revision = MIGRATIONS.current_revision
upgrade = MIGRATIONS.upgrade
downgrade = MIGRATIONS.downgrade
