"""Snapshots: the build as named steps (``steps``), composed into a full build (``build``)
and a purge (``purge``); withdrawal lists (``withdrawals``); the manifest, the report, the
per-member usage index (``usage_index``) and ``verify``.

Names load on first use (PEP 562): reading a snapshot's usage index, as the member's page
does, does not pay for the engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "BuildOptions": "consentgate.snapshot.context",
    "BuildResult": "consentgate.snapshot.context",
    "build_snapshot": "consentgate.snapshot.build",
    "manifest_of": "consentgate.snapshot.build",
    "VerifyResult": "consentgate.snapshot.verify",
    "Violation": "consentgate.snapshot.verify",
    "verify_snapshot": "consentgate.snapshot.verify",
}

if TYPE_CHECKING:
    from consentgate.snapshot.build import build_snapshot, manifest_of
    from consentgate.snapshot.context import BuildOptions, BuildResult
    from consentgate.snapshot.verify import VerifyResult, Violation, verify_snapshot


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'consentgate.snapshot' has no attribute {name!r}")
    return getattr(import_module(module), name)


__all__ = [
    "BuildOptions",
    "BuildResult",
    "VerifyResult",
    "Violation",
    "build_snapshot",
    "manifest_of",
    "verify_snapshot",
]
