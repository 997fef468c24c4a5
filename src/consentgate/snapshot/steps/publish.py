"""Step 7, publish: the manifest (every file with its sha256), then one atomic rename.

A snapshot is built in a hidden sibling folder (``staging``) and appears under its final
name with one rename, or not at all."""

from __future__ import annotations

import json
import os
import shutil
import signal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PARTIAL_MARK = ".partial-"
OWNER_FILE = ".owner-pid"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(parent: Path, name: str) -> list[Path]:
    """Remove partial builds of ``name`` left by processes that no longer run (killed)."""
    removed = []
    for p in parent.glob(f".{name}{PARTIAL_MARK}*"):
        owner = p / OWNER_FILE
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            pid = -1
        if pid <= 0 or not _pid_alive(pid):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


def _raise_on_sigterm(signum, frame):  # pragma: no cover - exercised by the kill test
    raise SystemExit(128 + signum)


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A private folder to build into; removed if the build fails or is interrupted."""
    if out.exists():
        raise FileExistsError(f"{out} already exists: a snapshot is never overwritten")
    parent = out.parent.resolve()
    parent.mkdir(parents=True, exist_ok=True)
    clean_stale(parent, out.name)
    tmp = parent / f".{out.name}{PARTIAL_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    (tmp / OWNER_FILE).write_text(str(os.getpid()))
    previous = signal.getsignal(signal.SIGTERM)
    in_main = _is_main_thread()
    if in_main:
        signal.signal(signal.SIGTERM, _raise_on_sigterm)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def publish(tmp: Path, out: Path) -> Path:
    """fsync the staged files, then rename the folder into place."""
    (tmp / OWNER_FILE).unlink(missing_ok=True)
    for f in sorted(tmp.rglob("*")):
        if f.is_file():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
    if out.exists():
        raise FileExistsError(f"{out} appeared during the build: not overwritten")
    os.rename(tmp, out)
    dir_fd = os.open(out.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return out


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


MANIFEST_FORMAT = "consentgate-snapshot/2"  # /2: usage/members.parquet; /1 had none


def content_files(tmp: Path) -> list[dict]:
    """data/, lineage/ and usage/, with their sha256 and rows: what the snapshot id is
    derived from."""
    from consentgate.snapshot.manifest import file_entry

    paths = [p for folder in ("data", "lineage", "usage")
             for p in sorted((tmp / folder).glob("*.parquet"))]
    return [file_entry(tmp, p) for p in paths]


def side_files(tmp: Path) -> list[dict]:
    """The text index (``reuse/``), with its sha256 and rows: listed in the manifest (so
    that it is hash-checked) but, like the dataset card, not part of the snapshot id."""
    from consentgate.snapshot.manifest import file_entry
    from consentgate.snapshot.texts import TEXTS_FOLDER

    return [file_entry(tmp, p) for p in sorted((tmp / TEXTS_FOLDER).glob("*.parquet"))]


def write_manifest(tmp: Path, manifest: dict) -> None:
    path = tmp / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
