"""Snapshots: build (engine plan -> staged files -> atomic publish), manifest, report, verify."""

from consentgate.snapshot.build import BuildOptions, BuildResult, build_snapshot, manifest_of
from consentgate.snapshot.verify import VerifyResult, Violation, verify_snapshot

__all__ = [
    "BuildOptions",
    "BuildResult",
    "VerifyResult",
    "Violation",
    "build_snapshot",
    "manifest_of",
    "verify_snapshot",
]
