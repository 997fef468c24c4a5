"""What the consent ledger and the registry share as databases: a UTC timestamp column type,
SQLite engines (WAL, serialised writes, read-only opens that create nothing) and Alembic
migrations driven from Python, each package with its own scripts and version table, so that
both can live in one database."""
