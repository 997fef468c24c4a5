"""Database URLs and engines: SQLite by default, PostgreSQL supported.

Appends to the log need to be serialised. On SQLite a write transaction starts with
``BEGIN IMMEDIATE`` (it takes the database's write lock before reading the chain head); on
PostgreSQL the append locks the single ``ledger_head`` row with ``SELECT ... FOR UPDATE``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from consentgate.database.sqlite import file_problem, sqlite_engine, tables_or_problem
from consentgate.ledger.errors import LedgerError

# Execution option that marks a connection as one that will append to the log.
WRITE_OPTION = "consentgate_ledger_write"
# A SQLite file holding neither is not a ledger (whatever else it holds).
LEDGER_TABLES = {"ledger_events", "ledger_head"}


def normalise_url(db: str | Path) -> str:
    """A SQLAlchemy URL from what a user types: a URL, or a path to a SQLite file.

    ``postgresql://`` and ``postgres://`` use the psycopg 3 driver, the one we ship."""
    text = str(db).strip()
    if not text:
        raise LedgerError("--db is empty: give a SQLite file path or a database URL")
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser()}"
    for prefix in ("postgresql://", "postgres://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix) :]
    return text


def redact_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable URL>"


def make_engine(
    db: str | Path, *, read_only: bool = False, must_exist: bool = False
) -> Engine:
    """An engine for a ledger (or registry) database.

    ``must_exist``: a SQLite file that does not exist is an error instead of being created
    (every command but ``init`` opens an existing ledger). ``read_only``: the SQLite file is
    opened read-only (commands that only read never change or create a database file)."""
    url = normalise_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise LedgerError(f"not a database URL: {db!s}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        _check_sqlite_file(parsed.database, str(db), must_exist=must_exist or read_only)
        if read_only:
            return _sqlite_read_only_engine(parsed.database)
        return _sqlite_engine(url, parsed.database)
    if backend == "postgresql":
        try:
            # As many connections as the service has worker threads (anyio's default 40).
            return create_engine(url, pool_size=10, max_overflow=30, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise LedgerError(
                f"PostgreSQL driver missing ({exc.name}): pip install 'consentgate[postgres]' "
                "(psycopg 3, which postgresql:// URLs use)"
            ) from exc
    raise LedgerError(
        f"unsupported database {backend!r}: use a SQLite file or a postgresql:// URL"
    )


def _check_sqlite_file(database: str | None, given: str, must_exist: bool = True) -> None:
    """Refuse, before SQLite opens it (and writes to it), a file that cannot be the ledger.

    Without ``must_exist`` (``ledger init``, ``serve``) a missing or zero-byte file is where
    the ledger will be made; with it, the file must hold the ledger's tables."""
    if database in (None, "", ":memory:"):
        raise LedgerError("the ledger needs a SQLite file, not an in-memory database")
    path = Path(database).expanduser()
    if not must_exist and (not path.exists() or (path.is_file() and not path.stat().st_size)):
        return
    problem = file_problem(path, "ledger")
    create = f"`consentgate ledger init --db {given}`"
    if problem is None and must_exist:
        tables = tables_or_problem(path)
        if isinstance(tables, str):
            problem = tables
        elif not tables & LEDGER_TABLES:
            problem = (f"{path} is a SQLite database but not a ledger (none of the ledger's "
                       f"tables): check the path, or create a ledger there with {create}")
    if problem is None:
        return
    if not path.exists():
        problem += f": create one with {create}"
    raise LedgerError(problem)


def _sqlite_read_only_engine(database: str) -> Engine:
    return sqlite_engine(database, read_only=True)


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database in (None, "", ":memory:"):
        raise LedgerError("the ledger needs a SQLite file, not an in-memory database")
    folder = Path(database).expanduser().parent
    if not folder.is_dir():
        raise LedgerError(f"{folder}: no such folder for the SQLite ledger")
    return sqlite_engine(database, write_option=WRITE_OPTION, pool_size=8, max_overflow=32)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
