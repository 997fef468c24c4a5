"""Database URLs and engines for the registry: a SQLite file by default, PostgreSQL
(``postgresql://`` → psycopg 3) supported. URLs are spelled as for the ledger
(``consentgate.ledger.db.normalise_url``): the two can share one database.

Two ways to open:

- ``write_engine``: for commands that write (register, runs start). The SQLite file is
  created if it does not exist yet (its folder must); WAL journal, and write transactions
  begin with ``BEGIN IMMEDIATE`` (as the ledger's do), so that check-then-insert is atomic.
- ``read_engine``: for commands that only read (show, list, usage). Nothing is ever created:
  a SQLite path that does not exist is an error *before* any connection is made (SQLite
  creates the file on connect), and the connections are ``query_only``; on PostgreSQL the
  session is ``default_transaction_read_only``.

A file that is not a SQLite database (zero bytes, random bytes, a folder) is named as such
before SQLite gets to see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from consentgate.database.sqlite import file_problem, sqlite_engine
from consentgate.ledger.db import normalise_url, redact_url
from consentgate.registry.errors import RegistryError

# Execution option that marks a connection as one that will write (BEGIN IMMEDIATE).
WRITE_OPTION = "consentgate_registry_write"
CREATED_BY = "it is created by `consentgate build --registry` or `consentgate registry init`"
PG_CONNECT_TIMEOUT_S = 10


@dataclass(frozen=True)
class Target:
    """A parsed registry URL."""

    url: str  # the SQLAlchemy URL
    backend: str  # "sqlite" or "postgresql"
    path: Path | None  # the SQLite file

    @property
    def shown(self) -> str:
        """How messages name it: the file path, or the URL without its password."""
        return str(self.path) if self.path is not None else redact_url(self.url)


def parse_target(db: str | Path) -> Target:
    text = str(db).strip()
    if not text:
        raise RegistryError("--registry is empty: give a SQLite file path or a database URL")
    url = normalise_url(text)
    try:
        parsed: URL = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: e.g. a port that is no number
        raise RegistryError(f"not a database URL: {_hide_password(text)}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database
        if database in (None, "", ":memory:") or database.startswith("file:"):
            raise RegistryError(
                f"the registry needs a SQLite file path, not {text!r} "
                "(for example registry.db or sqlite:///path/to/registry.db)"
            )
        return Target(url, "sqlite", Path(database).expanduser())
    if backend == "postgresql":
        return Target(url, "postgresql", None)
    raise RegistryError(
        f"unsupported database {backend!r} in {redact_url(url)}: "
        "use a SQLite file or a postgresql:// URL"
    )


def _hide_password(text: str) -> str:
    """A URL SQLAlchemy cannot parse, with anything between ``user:`` and ``@`` hidden."""
    return re.sub(r"(://[^/:@]*:)[^@/]*@", r"\1***@", text)


def check_sqlite_file(path: Path, *, must_exist: bool, what: str = "registry") -> bool:
    """Whether the file exists; RegistryError if it cannot be a SQLite database."""
    if not path.exists():
        if must_exist:
            if what == "registry":
                raise RegistryError(f"no registry at {path}; {CREATED_BY}")
            raise RegistryError(f"no {what} at {path}")
        if not path.parent.is_dir():
            raise RegistryError(f"{path.parent}: no such folder for the SQLite {what}")
        return False
    problem = file_problem(path, what)
    if problem is not None:
        if "empty file" in problem:
            problem += ": remove it or give another path" + (
                f"; {CREATED_BY}" if what == "registry" else "")
        raise RegistryError(problem)
    return True


def write_engine(db: str | Path) -> Engine:
    target = parse_target(db)
    if target.backend == "postgresql":
        return _pg_engine(target.url, read_only=False)
    assert target.path is not None
    check_sqlite_file(target.path, must_exist=False)
    return _sqlite_engine(target, read_only=False)


def read_engine(db: str | Path) -> Engine:
    target = parse_target(db)
    if target.backend == "postgresql":
        return _pg_engine(target.url, read_only=True)
    assert target.path is not None
    check_sqlite_file(target.path, must_exist=True)
    return _sqlite_engine(target, read_only=True)


def _pg_engine(url: str, read_only: bool) -> Engine:
    connect_args: dict[str, object] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    if read_only:
        connect_args["options"] = "-c default_transaction_read_only=on"
    try:
        return create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    except ModuleNotFoundError as exc:
        raise RegistryError(
            f"PostgreSQL driver missing ({exc.name}): pip install 'consentgate[postgres]' "
            "(psycopg 3, which postgresql:// URLs use)"
        ) from exc


def _sqlite_engine(target: Target, read_only: bool) -> Engine:
    assert target.path is not None
    return sqlite_engine(target.path, read_only=read_only, write_option=WRITE_OPTION)


def one_line(exc: BaseException) -> str:
    """A database error's message on one line (psycopg's span several)."""
    orig = getattr(exc, "orig", None) or exc
    return re.sub(r"\s+", " ", str(orig)).strip()
