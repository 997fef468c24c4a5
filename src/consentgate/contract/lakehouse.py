"""The contract's tables from a lakehouse: a folder of Delta Lake tables, or Apache Iceberg
tables in a SQL catalog (pyiceberg's ``SqlCatalog``) named by a small TOML file.

Each table's current version is resolved once, when the source is opened, to the Parquet
data files that make it up; DuckDB then reads those files like any Parquet source, so the
contract check, the build and ``verify`` go through the same code path as a Parquet folder,
and the rows stream from disk instead of being materialised. What this reading cannot
honour is refused with a located error rather than read wrong: Delta deletion vectors and
column mapping, Iceberg delete files and renamed columns, files outside the local disk.

The version read (a Delta table version, an Iceberg snapshot id) and a hash of its file list
are the table's fingerprint, so that ``verify`` can tell that the source moved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import duckdb
import pyarrow as pa

from consentgate.contract.errors import ContractError

ICEBERG_SUFFIX = ".toml"
_EXTRA = "pip install 'consentgate[lakehouse]'"


@dataclass(frozen=True)
class LakeTable:
    """One table's current version, resolved to the data files DuckDB reads."""

    name: str
    format: str  # "delta" or "iceberg"
    location: str  # the table's root (a Delta folder, an Iceberg table location)
    version: int | None  # Delta version or Iceberg snapshot id; None: no snapshot yet
    files_sha256: str  # of the sorted data file names and sizes of that version
    scan_sql: str  # a DuckDB relation (read_parquet(...) or an empty typed select)

    def fingerprint(self) -> str:
        """The version read and its files, not where the table lies: like a Parquet
        source's, it names the content, so a copied lake verifies against its original."""
        label = "version" if self.format == "delta" else "snapshot"
        return f"{self.format} {label} {self.version} files {self.files_sha256}"

    def describe(self) -> dict:
        """What the manifest records of this table."""
        key = "version" if self.format == "delta" else "snapshot_id"
        return {"format": self.format, "location": self.location, key: self.version,
                "files_sha256": self.files_sha256}


def describe_change(before: dict | None, now: dict | None) -> str:
    """How a table moved between the build and today, in words ("Delta version 3 → 4")."""
    if not before or not now:
        return "not read from the same kind of table"
    if before.get("format") != now.get("format"):
        return f"was a {before.get('format')} table, now a {now.get('format')} table"
    key, label = (("version", "Delta version") if now["format"] == "delta"
                  else ("snapshot_id", "Iceberg snapshot"))
    if before.get(key) != now.get(key):
        return f"{label} {before.get(key)} → {now.get(key)}"
    return f"{label} {now.get(key)} unchanged but its data files differ"


# -- reading files through DuckDB --------------------------------------------------------
def _sql_str(text: str) -> str:
    return text.replace("'", "''")


def _local_path(uri: str, where: str) -> str:
    """A data file's local path; other stores (s3://, abfss://) are not read."""
    parsed = urlparse(uri)
    if parsed.scheme in ("", "file"):
        return unquote(parsed.path) if parsed.scheme else uri
    raise ContractError(
        f"{where}: data file {uri} is not on the local disk; only local tables are read"
    )


def _files_sha256(entries: Iterable[tuple[str, int]]) -> str:
    h = hashlib.sha256()
    for path, size in sorted(entries):
        h.update(f"{path}\t{size}\n".encode())
    return h.hexdigest()


def _duckdb_types(schema: pa.Schema) -> dict[str, str]:
    con = duckdb.connect()
    try:
        rel = con.from_arrow(schema.empty_table())
        return {name: str(t) for name, t in zip(rel.columns, rel.types, strict=True)}
    finally:
        con.close()


def _empty_select(schema: pa.Schema) -> str:
    """A table with no data files yet: its columns, typed, and no rows."""
    types = _duckdb_types(schema)
    cols = ", ".join(f'CAST(NULL AS {t}) AS "{n}"' for n, t in types.items())
    return f"(SELECT {cols} LIMIT 0)"


def _read_parquet(paths: list[str]) -> str:
    files = ", ".join(f"'{_sql_str(p)}'" for p in paths)
    # the paths of partitioned tables look like Hive's (visibility=public/...): the values
    # come from the table's log or metadata, never from a folder name
    return f"read_parquet([{files}], union_by_name=true, hive_partitioning=false)"


def _literal(value: object, duck_type: str) -> str:
    if value is None:
        return f"CAST(NULL AS {duck_type})"
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dt.datetime | dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    return f"CAST('{_sql_str(text)}' AS {duck_type})"


# -- Delta Lake ---------------------------------------------------------------------------
def is_delta_table(folder: Path) -> bool:
    return (folder / "_delta_log").is_dir()


def _deltalake():  # type: ignore[no-untyped-def]
    try:
        import deltalake
    except ImportError as exc:
        raise ContractError(f"reading Delta Lake tables needs the 'lakehouse' extra: {_EXTRA}") \
            from exc
    return deltalake


def _optional(name: str) -> bool:
    from consentgate.contract.schema import TABLES

    return name in TABLES and TABLES[name].optional


def open_delta(root: Path, names: list[str]) -> dict[str, LakeTable]:
    """Each of ``names`` as the Delta table ``root/NAME`` at its latest version."""
    deltalake = _deltalake()
    out = {}
    for name in names:
        folder = root / name
        if not folder.exists() and _optional(name):
            continue  # an optional table left out reads as empty
        if not is_delta_table(folder):
            what = "is not a Delta table (no _delta_log/)" if folder.exists() else "is missing"
            raise ContractError(
                f"{root}: missing table {name!r} (expected a Delta table {name}/ with a "
                f"_delta_log/; {name}/ {what})"
            )
        try:
            table = deltalake.DeltaTable(str(folder))
        except Exception as exc:  # the log is unreadable: delta-rs raises its own types
            raise ContractError(f"{folder}: cannot read Delta table {name!r}: {exc}") from exc
        out[name] = _delta_table(table, name, folder)
    return out


def _delta_table(table, name: str, folder: Path) -> LakeTable:  # type: ignore[no-untyped-def]
    where = f"{folder} (Delta table {name!r})"
    mode = table.metadata().configuration.get("delta.columnMapping.mode", "none")
    if mode != "none":
        raise ContractError(
            f"{where}: column mapping ({mode!r}) is not supported: its data files name "
            "columns by physical ids"
        )
    if pa.table(table.deletion_vectors()).num_rows:
        raise ContractError(
            f"{where}: has deletion vectors (rows deleted in place), which are not read; "
            "rewrite the affected files first (in Spark: REORG TABLE ... APPLY (PURGE))"
        )
    schema = pa.schema(table.schema().to_arrow())
    types = _duckdb_types(schema)
    partitions = list(table.metadata().partition_columns)
    actions = pa.table(table.get_add_actions(flatten=True))
    keep = ["path", "size_bytes"] + [f"partition.{c}" for c in partitions]
    root = folder.resolve()
    groups: dict[tuple, list[str]] = {}
    entries = []
    for action in actions.select(keep).to_pylist():
        # the log's paths are URI-encoded, relative to the table unless absolute URIs
        logged = action["path"]
        path = _local_path(logged, where) if "://" in logged else str(root / unquote(logged))
        entries.append((logged, action["size_bytes"]))
        key = tuple(action[f"partition.{c}"] for c in partitions)
        groups.setdefault(key, []).append(path)
    if not groups:
        scan = _empty_select(schema)
    elif not partitions:
        scan = _read_parquet(next(iter(groups.values())))
    else:
        # partition values live in the log; a writer that also kept them in the files is
        # overridden by the log's
        others = "COLUMNS(c -> c NOT IN (" + ", ".join(f"'{_sql_str(c)}'" for c in partitions) + "))"
        parts = []
        for key, paths in groups.items():
            consts = ", ".join(f'{_literal(v, types[c])} AS "{c}"'
                               for c, v in zip(partitions, key, strict=True))
            parts.append(f"SELECT {others}, {consts} FROM {_read_parquet(paths)}")
        scan = "(" + " UNION ALL BY NAME ".join(parts) + ")"
    return LakeTable(name, "delta", str(root), table.version(),
                     _files_sha256(entries), scan)


# -- Apache Iceberg -----------------------------------------------------------------------
@dataclass(frozen=True)
class IcebergSpec:
    """What the TOML file says: the SQL catalog and the namespace holding the tables."""

    path: Path
    catalog_name: str
    properties: dict[str, str]
    namespace: str


def read_iceberg_spec(path: Path) -> IcebergSpec:
    """Parse an Iceberg source file::

        [iceberg]
        catalog = "catalog.db"     # the SQL catalog's SQLite file (relative to this file)
        # or: uri = "sqlite:////abs/path/catalog.db" (an SQLAlchemy URL)
        name = "default"           # the catalog's name (optional, default "default")
        namespace = "network"      # where the contract's tables are
        warehouse = "warehouse"    # optional
    """
    try:
        doc = tomllib.loads(path.read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ContractError(f"{path}: not a readable TOML Iceberg source: {exc}") from exc
    spec = doc.get("iceberg")
    if not isinstance(spec, dict):
        raise ContractError(
            f"{path}: a .toml source describes Iceberg tables in an [iceberg] table "
            "(catalog or uri, and namespace)"
        )
    unknown = sorted(set(spec) - {"catalog", "uri", "name", "namespace", "warehouse"})
    if unknown:
        raise ContractError(f"{path}: unknown key(s) in [iceberg]: {', '.join(unknown)}")
    for key in spec:
        if not isinstance(spec[key], str) or not spec[key]:
            raise ContractError(f"{path}: [iceberg] {key} must be a non-empty string")
    if "namespace" not in spec:
        raise ContractError(f"{path}: [iceberg] needs namespace (where the tables are)")
    if ("catalog" in spec) == ("uri" in spec):
        raise ContractError(
            f"{path}: [iceberg] needs one of catalog (an SQLite file) or uri (an SQLAlchemy URL)"
        )
    base = path.parent
    if "catalog" in spec:
        db = (base / spec["catalog"]).resolve()
        if not db.is_file():
            # SQLite would create an empty catalog where there is none
            raise ContractError(f"{path}: no such Iceberg catalog file {db}")
        uri = f"sqlite:///{db}"
    else:
        uri = spec["uri"]
    properties = {"type": "sql", "uri": uri, "init_catalog_tables": "false"}
    if "warehouse" in spec:
        warehouse = spec["warehouse"]
        if "://" not in warehouse:
            warehouse = (base / warehouse).resolve().as_uri()
        properties["warehouse"] = warehouse
    return IcebergSpec(path, spec.get("name", "default"), properties, spec["namespace"])


def _pyiceberg():  # type: ignore[no-untyped-def]
    try:
        from pyiceberg.catalog import load_catalog
    except ImportError as exc:
        raise ContractError(f"reading Iceberg tables needs the 'lakehouse' extra: {_EXTRA}") \
            from exc
    return load_catalog


def open_iceberg(path: Path, names: list[str]) -> dict[str, LakeTable]:
    """Each of ``names`` as the table NAMESPACE.NAME of the catalog, at its current snapshot."""
    spec = read_iceberg_spec(path)
    load_catalog = _pyiceberg()
    from pyiceberg.exceptions import NoSuchNamespaceError, NoSuchTableError

    try:
        catalog = load_catalog(spec.catalog_name, **spec.properties)
        present = {ident[-1] for ident in catalog.list_tables(spec.namespace)}
    except NoSuchNamespaceError as exc:
        raise ContractError(
            f"{path}: the catalog has no namespace {spec.namespace!r}"
        ) from exc
    except Exception as exc:  # SQLAlchemy's or pyiceberg's: the catalog cannot be read
        raise ContractError(f"{path}: cannot read the Iceberg catalog: {exc}") from exc
    out = {}
    for name in names:
        if name not in present and _optional(name):
            continue  # an optional table left out reads as empty
        if name not in present:
            raise ContractError(
                f"{path}: missing table {name!r} (no table {spec.namespace}.{name} in the "
                f"catalog {spec.catalog_name!r})"
            )
        try:
            table = catalog.load_table((spec.namespace, name))
        except NoSuchTableError as exc:
            raise ContractError(f"{path}: missing table {name!r}: {exc}") from exc
        out[name] = _iceberg_table(table, name, f"{path} (Iceberg table {spec.namespace}.{name})")
    return out


def _renamed_fields(table) -> list[str]:  # type: ignore[no-untyped-def]
    """Columns whose name changed between schemas: their older files carry the old name,
    which a read by name would take for a missing column."""
    names: dict[int, set[str]] = {}
    for schema in table.metadata.schemas:
        for field in schema.fields:
            names.setdefault(field.field_id, set()).add(field.name)
    return sorted(" / ".join(sorted(n)) for n in names.values() if len(n) > 1)


def _iceberg_table(table, name: str, where: str) -> LakeTable:  # type: ignore[no-untyped-def]
    from pyiceberg.manifest import FileFormat

    renamed = _renamed_fields(table)
    if renamed:
        raise ContractError(
            f"{where}: renamed column(s) {', '.join(renamed)} are not supported: older data "
            "files carry the old name"
        )
    snapshot = table.current_snapshot()
    paths, entries = [], []
    if snapshot is not None:
        for task in table.scan().plan_files():
            data = task.file
            if task.delete_files:
                raise ContractError(
                    f"{where}: data file {data.file_path} has row-level delete files, which "
                    "are not read; rewrite the table (copy-on-write) first"
                )
            if data.file_format != FileFormat.PARQUET:
                raise ContractError(
                    f"{where}: data file {data.file_path} is {data.file_format}, not Parquet"
                )
            paths.append(_local_path(data.file_path, where))
            # relative to the table, so that a copied warehouse has the same fingerprint
            name = data.file_path.removeprefix(table.metadata.location)
            entries.append((name, data.file_size_in_bytes))
    scan = _read_parquet(paths) if paths else _empty_select(table.schema().as_arrow())
    return LakeTable(name, "iceberg", table.metadata.location,
                     snapshot.snapshot_id if snapshot is not None else None,
                     _files_sha256(entries), scan)

