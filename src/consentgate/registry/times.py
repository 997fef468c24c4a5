"""Instants as the registry writes them: ISO 8601 in UTC with a 'Z', as snapshot manifests
do (``consentgate.snapshot.manifest.utc_z``; not imported, so that the registry does not
load the snapshot build and its engines)."""

from __future__ import annotations

import datetime as dt


def utc_z(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def utc_z_or_none(value: dt.datetime | None) -> str | None:
    return utc_z(value) if value is not None else None
