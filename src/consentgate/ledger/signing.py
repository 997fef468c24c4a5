"""Signed tree heads: the log's signature (Ed25519) on its size and root at an instant.

Whoever keeps a signed head can later ask the log for a consistency proof to the current
head: a log rewritten, truncated or replaced since cannot give one, even with every hash
recomputed, unless it holds the signing key. The signed bytes are the canonical JSON (see
``chain``) of every field of the head but the signature, with the format name.

Keys: a PEM (PKCS#8) Ed25519 private key in a file (``--key-file`` or
``CONSENTGATE_LEDGER_KEY_FILE``), or its PEM text in ``CONSENTGATE_LEDGER_KEY``. A key's id is
the first 16 hex digits of SHA-256 of its raw public key. The ledger keeps every public key
it has signed with, retired ones included, so that old heads still verify after a rotation;
an auditor pins the keys it trusts (``--public-key``), since keys read from the ledger itself
prove nothing against whoever can write it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from consentgate.ledger.chain import canonical_json, format_time, from_us
from consentgate.ledger.errors import LedgerError

HEAD_FORMAT = "consentgate-tree-head-1"
KEY_FILE_ENV = "CONSENTGATE_LEDGER_KEY_FILE"
KEY_ENV = "CONSENTGATE_LEDGER_KEY"
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----.+?-----END \1-----\s*", re.S)


def key_id(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public(public)).hexdigest()[:16]


def raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_from_b64(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error) as exc:
        raise LedgerError(f"not an Ed25519 public key: {text[:20]}…") from exc


def public_b64(public: Ed25519PublicKey) -> str:
    return base64.b64encode(raw_public(public)).decode()


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def private_pem(self) -> str:
        return self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()


def _private_from_pem(data: bytes, where: str) -> SigningKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise LedgerError(f"{where}: not an unencrypted PEM private key ({exc})") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise LedgerError(f"{where}: the ledger signs with Ed25519, this is another kind of key")
    return SigningKey(key)


def load_signing_key(path: str | Path) -> SigningKey:
    path = Path(path).expanduser()
    if not path.is_file():
        raise LedgerError(f"no signing key at {path}: create one with "
                          f"`consentgate ledger key new --key-file {path}`")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LedgerError(f"cannot read the signing key {path}: {exc.strerror}") from exc
    return _private_from_pem(data, str(path))


def signing_key_from_env(
    key_file: str | Path | None = None, env: Mapping[str, str] | None = None
) -> SigningKey | None:
    """The key given by option, else by environment; None when there is none."""
    env = os.environ if env is None else env
    if key_file:
        return load_signing_key(key_file)
    if env.get(KEY_FILE_ENV):
        return load_signing_key(env[KEY_FILE_ENV])
    if env.get(KEY_ENV):
        return _private_from_pem(env[KEY_ENV].encode(), KEY_ENV)
    return None


def new_key_file(path: str | Path) -> SigningKey:
    """Write a fresh Ed25519 key to ``path`` (readable by its owner only); refuses to
    overwrite a file."""
    path = Path(path).expanduser()
    if not path.parent.is_dir():
        raise LedgerError(f"{path.parent}: no such folder for the key file")
    key = SigningKey(Ed25519PrivateKey.generate())
    pem = key.private_pem().encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise LedgerError(f"{path} exists: a key file is never overwritten") from exc
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


def load_public_keys(paths: list[Path]) -> dict[str, Ed25519PublicKey]:
    """Trusted keys from PEM files (public keys, or private keys whose public half is taken),
    by key id."""
    keys: dict[str, Ed25519PublicKey] = {}
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise LedgerError(f"cannot read {path}: {exc.strerror}") from exc
        blocks = [m.group(0) for m in _PEM_BLOCK.finditer(data)]
        for pem in blocks:
            if b"PRIVATE KEY" in pem.split(b"\n", 1)[0]:
                public = _private_from_pem(pem, str(path)).public
            else:
                try:
                    loaded = serialization.load_pem_public_key(pem)
                except ValueError as exc:
                    raise LedgerError(f"{path}: not a PEM public key ({exc})") from exc
                if not isinstance(loaded, Ed25519PublicKey):
                    raise LedgerError(f"{path}: not an Ed25519 public key")
                public = loaded
            keys[key_id(public)] = public
        if not blocks:
            raise LedgerError(f"{path}: no PEM key in it")
    return keys


@dataclass(frozen=True)
class TreeHead:
    """The log's head: its size, its root and when the head was signed, with the signature
    of the key named by ``key_id`` (base64)."""

    log_id: str
    tree_size: int
    root_hash: str
    timestamp_us: int
    key_id: str
    signature: str

    def message(self) -> bytes:
        return head_message(self.log_id, self.tree_size, self.root_hash, self.timestamp_us,
                            self.key_id)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["format"] = HEAD_FORMAT
        data["timestamp"] = format_time(from_us(self.timestamp_us))
        return data

    @classmethod
    def from_json(cls, data: Any) -> TreeHead:
        if not isinstance(data, dict):
            raise LedgerError("a signed tree head is a JSON object")
        if data.get("format", HEAD_FORMAT) != HEAD_FORMAT:
            raise LedgerError(f"not a {HEAD_FORMAT} tree head: format {data.get('format')!r}")
        try:
            head = cls(log_id=str(data["log_id"]), tree_size=int(data["tree_size"]),
                       root_hash=str(data["root_hash"]),
                       timestamp_us=int(data["timestamp_us"]),
                       key_id=str(data["key_id"]), signature=str(data["signature"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise LedgerError(f"a signed tree head lacks or mangles {exc}") from exc
        if head.tree_size < 0 or len(head.root_hash) != 64:
            raise LedgerError("a signed tree head with a negative size or a bad root")
        try:
            bytes.fromhex(head.root_hash)
        except ValueError as exc:
            raise LedgerError("a signed tree head's root is not hex") from exc
        return head

    def check(self, keys: dict[str, Ed25519PublicKey]) -> None:
        """Raise LedgerError unless one of ``keys`` signed this head."""
        public = keys.get(self.key_id)
        if public is None:
            raise LedgerError(f"tree head of size {self.tree_size} is signed by key "
                              f"{self.key_id}, which is not among the trusted keys")
        try:
            public.verify(base64.b64decode(self.signature, validate=True), self.message())
        except (InvalidSignature, ValueError, binascii.Error) as exc:
            raise LedgerError(f"tree head of size {self.tree_size}: the signature does not "
                              f"verify with key {self.key_id}: forged or altered") from exc


def head_message(
    log_id: str, tree_size: int, root_hash: str, timestamp_us: int, key: str
) -> bytes:
    return canonical_json({"format": HEAD_FORMAT, "log_id": log_id, "tree_size": tree_size,
                           "root_hash": root_hash, "timestamp_us": timestamp_us,
                           "key_id": key})


def sign_head(
    key: SigningKey, log_id: str, tree_size: int, root_hash: str, timestamp_us: int
) -> TreeHead:
    message = head_message(log_id, tree_size, root_hash, timestamp_us, key.key_id)
    return TreeHead(log_id, tree_size, root_hash, timestamp_us, key.key_id,
                    base64.b64encode(key.sign(message)).decode())
