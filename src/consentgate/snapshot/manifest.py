"""The manifest: what a snapshot holds, every file with its sha256, and what built it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq


def sha256_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def file_entry(root: Path, path: Path) -> dict:
    entry = {
        "path": path.relative_to(root).as_posix(),
        "sha256": sha256_file(path),
        "bytes": path.stat().st_size,
    }
    if path.suffix == ".parquet":
        entry["rows"] = pq.ParquetFile(path).metadata.num_rows
    return entry


def snapshot_id(as_of: dt.datetime, policy_sha256: str, files: list[dict]) -> str:
    """Derived from what the snapshot holds: the same inputs give the same id."""
    h = hashlib.sha256(policy_sha256.encode())
    for f in files:
        h.update(f"{f['path']}={f['sha256']}\n".encode())
    stamp = as_of.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"snap-{stamp}-{h.hexdigest()[:12]}"


def utc_z(value: dt.datetime) -> str:
    """An instant as ISO 8601 in UTC with a 'Z', as manifests and reports write it."""
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def write_json(path: Path, obj: dict) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
