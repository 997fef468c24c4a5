"""A fingerprint of the redaction rules: what decides the redacted text of a source text.

An incremental build (``consentgate build --since``) reuses the redacted texts of a previous
snapshot only when they are what redaction would write today. The policy hash covers the
classes and the policy's extra recognizers; this covers the rest: the rule data files
(``redaction/data/*.toml``: cue words, national identifiers, phone countries), the code that
applies them (every module of ``consentgate.redaction``: a regex changed without a version
bump changes texts just as a data file does), consentgate's version, and the versions of the
libraries whose data decide matches (libphonenumber's metadata, Python's ``re``, Arrow's RE2
gate). Anything else would let a rule change slip through and a reused text differ from the
text a full build writes.
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Iterable
from functools import cache
from importlib import metadata, resources

FINGERPRINT_VERSION = 1  # bump when what is hashed below changes


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "(none)"


@cache
def _files() -> tuple[tuple[str, str], ...]:
    """(path inside the package, sha256) of every rule data file and module, sorted."""
    root = resources.files("consentgate.redaction")
    found: list[tuple[str, str]] = []
    for entry in root.iterdir():
        if entry.is_file() and entry.name.endswith(".py"):
            found.append((entry.name, hashlib.sha256(entry.read_bytes()).hexdigest()))
    data = root.joinpath("data")
    for entry in data.iterdir():
        if entry.is_file() and entry.name.endswith(".toml"):
            found.append((f"data/{entry.name}",
                          hashlib.sha256(entry.read_bytes()).hexdigest()))
    return tuple(sorted(found))


def rules_fingerprint(classes: Iterable[str]) -> dict:
    """How manifests name the redaction rules a snapshot's texts were redacted with:
    ``sha256`` (one hash of everything below) and what went into it."""
    from consentgate import __version__

    files = dict(_files())
    parts = {
        "fingerprint_version": FINGERPRINT_VERSION,
        "classes": list(classes),
        "consentgate_version": __version__,
        "libraries": {
            "phonenumbers": _version("phonenumbers"),
            "pyarrow": _version("pyarrow"),
            "python": platform.python_version(),
        },
        "data_files": {k: v for k, v in files.items() if k.startswith("data/")},
    }
    h = hashlib.sha256()
    h.update(repr(sorted((k, repr(v)) for k, v in parts.items())).encode())
    for name, sha in sorted(files.items()):  # modules too, though not listed one by one
        h.update(f"{name}={sha}\n".encode())
    return {"sha256": h.hexdigest(), **parts}
