"""Open a source (a folder of Parquet files, a DuckDB database file, a folder of Delta Lake
tables or a TOML file naming Iceberg tables) and check it against the contract before
anything reads it.

Every kind is read through DuckDB so that the type check, the normalisation (UTC
timestamps, plain strings) and the streaming reads follow one code path; the lakehouse
kinds are resolved to their current version's Parquet files in ``lakehouse``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from consentgate.contract import lakehouse
from consentgate.contract.errors import ContractError
from consentgate.contract.lakehouse import LakeTable
from consentgate.contract.schema import TABLES, Table

__all__ = ["ContractError", "Source", "open_source"]


# DuckDB type names accepted for each logical type of the contract.
_ACCEPTED: dict[str, tuple[str, ...]] = {
    "string": ("VARCHAR",),
    "date": ("DATE",),
    "timestamp": (
        "TIMESTAMP",
        "TIMESTAMP WITH TIME ZONE",
        "TIMESTAMP_NS",
        "TIMESTAMP_MS",
        "TIMESTAMP_S",
    ),
    "bool": ("BOOLEAN",),
}
_DUCKDB_FILE_SUFFIXES = (".duckdb", ".ddb", ".db")


def _select_list(table: Table, actual_types: dict[str, str]) -> str:
    """SQL select list that casts every contract column to its canonical type."""
    parts = []
    for col in table.columns:
        quoted = f'"{col.name}"'
        if col.name not in actual_types:  # a column with a default, absent from the source
            parts.append(f"CAST('{col.default}' AS VARCHAR) AS {quoted}")
            continue
        actual = actual_types[col.name]
        if col.type == "timestamp":
            # Naive timestamps are UTC by contract; the session time zone is UTC.
            parts.append(f"CAST({quoted} AS TIMESTAMPTZ) AS {quoted}")
        elif col.type == "string":
            parts.append(f"CAST({quoted} AS VARCHAR) AS {quoted}")
        elif actual == '"NULL"':
            parts.append(f"CAST({quoted} AS {_ACCEPTED[col.type][0]}) AS {quoted}")
        else:
            parts.append(quoted)
    return ", ".join(parts)


@dataclass
class Source:
    """A checked source. ``scan(name)`` is a SQL expression DuckDB can select from."""

    path: Path
    kind: str  # "parquet", "duckdb", "delta" or "iceberg"
    _selects: dict[str, str] = field(default_factory=dict)  # canonical select list per table
    _files: dict[str, list[Path]] = field(default_factory=dict)
    _lake: dict[str, LakeTable] = field(default_factory=dict)  # delta and iceberg tables
    _absent: set[str] = field(default_factory=set)  # optional tables the source leaves out
    _defaulted: set[str] = field(default_factory=set)  # tables with a column filled in
    _con: duckdb.DuckDBPyConnection | None = None

    # -- connection -------------------------------------------------------------------
    def connect(self) -> duckdb.DuckDBPyConnection:
        """A new DuckDB connection where ``scan(name)`` works (UTC session)."""
        con = duckdb.connect()
        con.execute("SET TimeZone='UTC'")
        con.execute("SET enable_progress_bar=false")
        if self.kind == "duckdb":
            con.execute(f"ATTACH '{_sql_str(self.path)}' AS src (READ_ONLY)")
        return con

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = self.connect()
        return self._con

    def raw_scan(self, name: str, alias: str = "src") -> str:
        """The table as stored; ``alias`` is the name the DuckDB file is attached under."""
        if name in self._absent:
            return _empty_scan(TABLES[name])
        if self.kind == "duckdb":
            return f'{alias}.main."{name}"'
        if self._lake:
            return self._lake[name].scan_sql
        files = ", ".join(f"'{_sql_str(p)}'" for p in self._files[name])
        return f"read_parquet([{files}], union_by_name=true)"

    def scan(self, name: str, alias: str = "src") -> str:
        """A subquery selecting the table with canonical types."""
        return f"(SELECT {self._selects[name]} FROM {self.raw_scan(name, alias)})"

    def has_table(self, name: str) -> bool:
        """False for an optional table the source leaves out (it reads as empty)."""
        return name not in self._absent

    def stored_as_is(self, name: str) -> bool:
        """Whether the table's Parquet files hold every contract column (none filled in)."""
        return self.kind == "parquet" and name not in self._absent | self._defaulted

    def parquet_files(self, name: str) -> list[Path]:
        if self.kind != "parquet" or name in self._absent:
            raise ContractError(f"{self.path}: a DuckDB source has no Parquet files for {name}")
        return list(self._files[name])

    # -- reading ----------------------------------------------------------------------
    def read_table(self, name: str, where: str | None = None) -> pa.Table:
        sql = f"SELECT * FROM {self.scan(name)}"
        if where:
            sql += f" WHERE {where}"
        return self.connect().sql(sql).to_arrow_table()

    def iter_batches(
        self, name: str, batch_size: int = 65_536, where: str | None = None
    ) -> Iterator[pa.RecordBatch]:
        sql = f"SELECT * FROM {self.scan(name)}"
        if where:
            sql += f" WHERE {where}"
        reader = self.connect().sql(sql).to_arrow_reader(batch_size)
        yield from reader

    def count(self, name: str) -> int:
        return self.connect().sql(f"SELECT count(*) FROM {self.scan(name)}").fetchall()[0][0]

    # -- fingerprints -------------------------------------------------------------------
    def fingerprints(self) -> dict[str, str]:
        """sha256 of every input file, keyed by table (or ``database`` for a DuckDB file);
        for a Delta or Iceberg table, the version or snapshot read and a hash of its files."""
        if self.kind == "duckdb":
            return {"database": _sha256(self.path)}
        if self._lake:
            return {name: t.fingerprint() for name, t in sorted(self._lake.items())}
        out = {}
        for name, files in sorted(self._files.items()):
            h = hashlib.sha256()
            for f in files:
                h.update(f.name.encode())
                h.update(_sha256(f).encode())
            out[name] = h.hexdigest()
        return out

    def table_versions(self) -> dict[str, dict]:
        """For a Delta or Iceberg source, each table's location and the version (Delta) or
        snapshot id (Iceberg) read; empty for the other kinds."""
        return {name: t.describe() for name, t in sorted(self._lake.items())}


def _empty_scan(table: Table) -> str:
    types = {"string": "VARCHAR", "date": "DATE", "timestamp": "TIMESTAMPTZ", "bool": "BOOLEAN"}
    cols = ", ".join(f'CAST(NULL AS {types[c.type]}) AS "{c.name}"' for c in table.columns)
    return f"(SELECT {cols} WHERE false)"


def _sql_str(p: Path) -> str:
    return str(p).replace("'", "''")


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _all_types(table: Table) -> dict[str, str]:
    return {c.name: _ACCEPTED[c.type][0] for c in table.columns}


def _find_parquet(root: Path, name: str) -> list[Path] | None:
    single = root / f"{name}.parquet"
    folder = root / name
    if single.is_file():
        return [single]
    if folder.is_dir():
        files = sorted(folder.rglob("*.parquet"))
        if not files:
            raise ContractError(f"{folder}: table {name!r} is a folder with no .parquet files")
        return files
    return None


def open_source(path: str | Path, tables: tuple[str, ...] | list[str] | None = None) -> Source:
    """Open and check a source. ``tables`` limits the check to those tables
    (a consent source only needs ``preference_events``)."""
    root = Path(path)
    wanted = list(tables) if tables is not None else list(TABLES)
    for name in wanted:
        if name not in TABLES:
            raise ContractError(f"unknown table {name!r}; the contract has {sorted(TABLES)}")
    if not root.exists():
        raise ContractError(
            f"{root}: no such source (a folder of Parquet files or of Delta tables, a DuckDB "
            f"file or an Iceberg {lakehouse.ICEBERG_SUFFIX} file)"
        )

    if root.is_file() and root.suffix.lower() == lakehouse.ICEBERG_SUFFIX:
        source = Source(root, "iceberg", _lake=lakehouse.open_iceberg(root, wanted))
    elif root.is_file():
        if root.suffix.lower() not in _DUCKDB_FILE_SUFFIXES:
            raise ContractError(
                f"{root}: a source file must be a DuckDB database ({', '.join(_DUCKDB_FILE_SUFFIXES)})"
                f" or an Iceberg source ({lakehouse.ICEBERG_SUFFIX}), or a folder of Parquet "
                "files or Delta tables"
            )
        source = Source(root, "duckdb")
    elif any(lakehouse.is_delta_table(root / name) for name in wanted):
        # one Delta table makes it a Delta source: a Delta folder read as Parquet would
        # also read the files its later versions removed
        source = Source(root, "delta", _lake=lakehouse.open_delta(root, wanted))
    else:
        source = Source(root, "parquet")

    con = source.connect()
    if source.kind == "duckdb":
        present = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name='src' "
                "UNION SELECT view_name FROM duckdb_views() WHERE database_name='src'"
            ).fetchall()
        }
    for name in wanted:
        table = TABLES[name]
        if source.kind in ("delta", "iceberg") and name not in source._lake:
            source._absent.add(name)  # optional: open_delta/open_iceberg checked the others
            source._selects[name] = _select_list(table, _all_types(table))
            continue
        if source.kind == "parquet":
            files = _find_parquet(root, name)
            if files is None and table.optional:
                source._absent.add(name)
                source._selects[name] = _select_list(table, _all_types(table))
                continue
            if files is None:
                raise ContractError(
                    f"{root}: missing table {name!r} (expected {name}.parquet or {name}/)"
                )
            source._files[name] = files
        elif source.kind == "duckdb" and name not in present and table.optional:
            source._absent.add(name)
            source._selects[name] = _select_list(table, _all_types(table))
            continue
        elif source.kind == "duckdb" and name not in present:
            raise ContractError(f"{root}: missing table {name!r} in the DuckDB database")
        try:
            described = con.sql(f"DESCRIBE SELECT * FROM {source.raw_scan(name)}").fetchall()
        except duckdb.Error as exc:
            raise ContractError(f"{root}: cannot read table {name!r}: {exc}") from exc
        actual = {row[0]: str(row[1]) for row in described}
        if source.kind == "parquet":
            # An all-null column written by pandas/pyarrow has Arrow type null, which DuckDB
            # reports as INTEGER; it is an empty nullable column, not a wrong type.
            for f in pq.read_schema(source._files[name][0]):
                if pa.types.is_null(f.type) and f.name in actual:
                    actual[f.name] = '"NULL"'
        for col in table.columns:
            if col.name not in actual and col.default is not None:
                source._defaulted.add(name)
                continue
            if col.name not in actual:
                raise ContractError(
                    f"{root}: table {name!r} is missing column {col.name!r} "
                    f"(has {', '.join(actual)})"
                )
            got = actual[col.name]
            if got == '"NULL"' and col.nullable:
                continue
            if got not in _ACCEPTED[col.type]:
                raise ContractError(
                    f"{root}: column {name}.{col.name} has type {got}, expected {col.type} "
                    f"({' or '.join(_ACCEPTED[col.type])})"
                )
        source._selects[name] = _select_list(table, actual)
    return source
