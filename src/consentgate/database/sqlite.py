"""SQLite files for the ledger and the registry.

A write transaction starts with ``BEGIN IMMEDIATE`` (it takes the database's write lock
before reading anything it will check), in WAL mode so that readers never wait for the
writer, with ``synchronous=FULL`` so that a commit is on disk when it returns. A read-only engine opens the file with ``mode=ro``: commands that only read never
change or create a database file. ``file_problem`` names a file that cannot be a SQLite
database before SQLite gets to see it (SQLite creates a missing file on connect, and reads
a zero-byte one as an empty database); ``tables_or_problem`` lists a file's tables without
writing anything (a read-write engine switches the file to WAL mode on its first connection,
which changes the file and leaves -wal and -shm files beside it).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

SQLITE_HEADER = b"SQLite format 3\x00"


def file_problem(path: Path, what: str) -> str | None:
    """Why ``path`` cannot be an existing SQLite ``what`` (None when it can)."""
    if not path.exists():
        return f"no {what} at {path}"
    if path.is_dir():
        return f"{path} is a folder, not a SQLite {what} file"
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror}"
    if not header:
        return f"{path} is an empty file (0 bytes), not a {what}"
    if header != SQLITE_HEADER:
        return f"{path} is not a SQLite database, so not a {what}"
    return None


def tables_or_problem(path: Path) -> set[str] | str:
    """The tables of the SQLite file at ``path``, read without writing anything, or why
    they cannot be read."""
    uri = f"file:{quote(str(path.expanduser().resolve()))}?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True, timeout=10)
        try:
            rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        return f"cannot read {path}: {exc}"
    return {name for (name,) in rows}


def sqlite_engine(
    database: str | Path, *, read_only: bool = False, write_option: str | None = None,
    pool_size: int = 5, max_overflow: int = 10,
) -> Engine:
    """An engine on a SQLite file. Connections whose execution options carry
    ``write_option`` begin with BEGIN IMMEDIATE; ``read_only`` opens the file ``mode=ro``
    and ``query_only``."""
    path = Path(database).expanduser()
    if read_only:
        url = f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro&uri=true"
    else:
        url = f"sqlite:///{path}"
    engine = create_engine(
        url, connect_args={"timeout": 60, "check_same_thread": False},
        pool_size=pool_size, max_overflow=max_overflow,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # SQLAlchemy, not the sqlite3 module, decides when transactions begin (its
        # documented recipe), so that a write can begin with BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        else:
            cursor.execute("PRAGMA journal_mode=WAL")
            # Every commit syncs the WAL to disk before it returns, so an acknowledged write
            # survives a crash of the process (kill -9), of the OS, or a power cut (when the
            # disk honours flushes). FULL is SQLite's compiled-in default; NORMAL, which many
            # builds and guides use with WAL, may lose the last commits on a power cut.
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if write_option and conn.get_execution_options().get(write_option):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine
