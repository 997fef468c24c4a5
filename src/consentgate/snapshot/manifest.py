"""The manifest: what a snapshot holds, every file with its sha256, and what built it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection
from pathlib import Path

import pyarrow.parquet as pq


def sha256_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def data_files(root: Path) -> list[Path]:
    """A snapshot's data parts, in order."""
    return sorted((Path(root) / "data").glob("part-*.parquet"))


def lineage_files(root: Path) -> list[Path]:
    """A snapshot's lineage parts, in order (row for row with the data)."""
    return sorted((Path(root) / "lineage").glob("part-*.parquet"))


def file_differences(
    root: Path, manifest: dict, parts: tuple[str, ...] | None = None,
    deleted: Collection[str] = (), ignore: Collection[str] = (),
) -> list[tuple[str, str]]:
    """How the files under ``root`` differ from those ``manifest`` lists, as (path, kind):
    ``missing``, ``deleted_present`` (a path in ``deleted`` that is still there),
    ``changed`` (its sha256 differs) or ``unlisted``. ``parts`` limits the comparison to
    those top-level folders; files named in ``ignore`` are never unlisted."""

    def within(path: str) -> bool:
        return parts is None or path.split("/", 1)[0] in parts

    listed = {f["path"]: f["sha256"] for f in manifest.get("files", []) if within(f["path"])}
    found: list[tuple[str, str]] = []
    for path, sha in listed.items():
        p = root / path
        if not p.is_file():
            if path not in deleted:
                found.append((path, "missing"))
        elif path in deleted:
            found.append((path, "deleted_present"))
        elif sha256_file(p) != sha:
            found.append((path, "changed"))
    present = {
        rel for p in root.rglob("*")
        if p.is_file() and p.name not in ignore and within(rel := p.relative_to(root).as_posix())
    }
    found += [(path, "unlisted") for path in sorted(present - listed.keys())]
    return found


def file_entry(root: Path, path: Path) -> dict:
    entry = {
        "path": path.relative_to(root).as_posix(),
        "sha256": sha256_file(path),
        "bytes": path.stat().st_size,
    }
    if path.suffix == ".parquet":
        entry["rows"] = pq.ParquetFile(path).metadata.num_rows
    return entry


def snapshot_id(
    as_of: dt.datetime, policy_sha256: str, files: list[dict], purpose: str | None = None
) -> str:
    """Derived from what the snapshot holds: the same inputs give the same id. ``purpose``
    (a setting other than the primary one) is part of it: two purposes may select the
    same records."""
    h = hashlib.sha256(policy_sha256.encode())
    if purpose is not None:
        h.update(f"purpose={purpose}\n".encode())
    for f in files:
        h.update(f"{f['path']}={f['sha256']}\n".encode())
    stamp = as_of.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"snap-{stamp}-{h.hexdigest()[:12]}"


def utc_z(value: dt.datetime) -> str:
    """An instant as ISO 8601 in UTC with a 'Z', as manifests and reports write it."""
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def write_json(path: Path, obj: dict) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
