"""Step 1, read: open the source and check it against the contract, refuse unusable keys,
list what the rules will read in a fail-closed way, and open the consent."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from consentgate.contract.checks import Finding, check_keys, check_settings, data_quality
from consentgate.contract.source import Source, open_source
from consentgate.policy.model import Policy
from consentgate.snapshot.consent import open_consent


@dataclass(frozen=True)
class SourceRead:
    source: Source
    fingerprints: dict[str, str]  # sha256 per table (or of the DuckDB file, or the lake version)
    fingerprint: str  # one hash of them all, written beside every lineage row
    quality: list[Finding]

    def manifest_entry(self) -> dict:
        """How the manifest names the source; a Delta or Iceberg source also records each
        table's location and the version or snapshot read."""
        entry = {"kind": self.source.kind, "path": str(self.source.path),
                 "fingerprints": self.fingerprints, "fingerprint": self.fingerprint}
        if versions := self.source.table_versions():
            entry["tables"] = versions
        return entry


@dataclass(frozen=True)
class ConsentRead:
    source: Source | None  # None: the source's own preference_events
    info: dict  # how the manifest and the report name it


def combined_fingerprint(fingerprints: dict[str, str]) -> str:
    h = hashlib.sha256()
    for name, fp in sorted(fingerprints.items()):
        h.update(f"{name}={fp}\n".encode())
    return h.hexdigest()


def read_source(
    path: Path, policy: Policy, workdir: Path, memory_limit: str | None = None
) -> SourceRead:
    """The checked source. Raises ContractError (nothing is built) on a missing table or
    column, a wrong type, or a null, empty or duplicate key."""
    source = open_source(path)
    check_keys(source, workdir, memory_limit)
    check_settings(source, policy.setting_keys())
    fingerprints = source.fingerprints()
    quality = data_quality(source, set(policy.kinds))
    if not source.has_table("notifications") and any(
        st.notice_days is not None for st in policy.settings
    ):
        quality.append(Finding(
            "notifications_missing", "notifications", "notified_at", 0, (),
            "(the source has no notifications table): nobody was told, so every member of a "
            "region where the setting needs notice is left out as not_notified"))
    return SourceRead(
        source=source,
        fingerprints=fingerprints,
        fingerprint=combined_fingerprint(fingerprints),
        quality=quality,
    )


def read_consent(
    consent: str | None, as_of: dt.datetime, folder: Path, policy: Policy | None = None
) -> ConsentRead:
    """Consent from the source itself, another source, or the ledger (verified first); its
    setting names are checked against ``policy`` when given."""
    src, info = open_consent(consent, as_of, folder)
    if src is not None and policy is not None:
        check_settings(src, policy.setting_keys(), ("preference_events",))
    return ConsentRead(src, info)
