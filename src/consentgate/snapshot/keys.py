"""The pseudonym key: a secret that keeps author pseudonyms stable across the snapshots of
one lineage, and unlinkable to member ids for anyone without it."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

ENV_KEY = "CONSENTGATE_PSEUDONYM_KEY"


def default_key_file() -> Path:
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "consentgate" / "pseudonym.key"


def load_key(key_file: Path | None = None) -> tuple[bytes, str]:
    """(key, where it came from). Order: the environment (hex), the given file, the default
    file — created with a fresh random key (mode 0600) when it does not exist yet."""
    env = os.environ.get(ENV_KEY)
    if env and key_file is None:
        try:
            key = bytes.fromhex(env.strip())
        except ValueError as exc:
            raise ValueError(f"{ENV_KEY} must be hex-encoded") from exc
        if len(key) < 16:
            raise ValueError(f"{ENV_KEY} must hold at least 16 bytes (32 hex digits)")
        return key, f"${ENV_KEY}"
    path = key_file or default_key_file()
    if not path.exists():
        if key_file is not None:
            raise FileNotFoundError(f"pseudonym key file {path} does not exist")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    try:
        key = bytes.fromhex(path.read_text().strip())
    except ValueError as exc:
        raise ValueError(f"pseudonym key file {path} must hold hex digits") from exc
    if len(key) < 16:
        raise ValueError(f"pseudonym key file {path} must hold at least 16 bytes")
    return key, str(path)


def key_id(key: bytes) -> str:
    """Names the key in manifests without revealing it."""
    return hashlib.sha256(b"consentgate/key-id/" + key).hexdigest()[:16]
