"""The registry of snapshots, training runs and models: which model was trained on which
snapshot, so that a member's "was my data used?" has an answer, and a purge knows what a
deleted record reached.

Rules it keeps:

- a snapshot id names one content: registering the same folder twice changes nothing, a
  different ``manifest.json`` under a registered id is refused;
- a snapshot's state only moves forward: ``published`` → ``superseded`` (a purge published
  a snapshot that replaces it) → ``data_deleted`` (its data files are gone, its lineage is
  kept) → ``deleted`` (nothing is left);
- a run may only use registered snapshots whose data exists (``published`` or
  ``superseded``); a run goes ``running`` → ``finished`` | ``failed``, once.

Every timestamp is a time-zone-aware UTC instant.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from consentgate.registry.db import (
    CREATED_BY,
    WRITE_OPTION,
    Target,
    one_line,
    parse_target,
    read_engine,
    write_engine,
)
from consentgate.registry.errors import RegistryError
from consentgate.registry.models import (
    SNAPSHOT_STATES,
    run_snapshots_table,
    runs_table,
    snapshots_table,
)
from consentgate.registry.times import utc_z

UTC = dt.UTC
# States whose data files exist: a run may use them.
# a superseded snapshot still holds the records a purge withdrew: a new run on it is refused
# unless the caller says it reproduces an earlier one (allow_superseded)
TRAINABLE_STATES = ("published",)
# States whose lineage (and so the usage index) exists: a member's usage is searched there.
SEARCHABLE_STATES = ("published", "superseded", "data_deleted")
_ORDER = {state: i for i, state in enumerate(SNAPSHOT_STATES)}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def utcnow() -> dt.datetime:
    return dt.datetime.now(UTC)


def _time(value: dt.datetime | None) -> str | None:
    return utc_z(value) if value is not None else None


@dataclass(frozen=True)
class SnapshotEntry:
    """A registered snapshot."""

    snapshot_id: str
    as_of: dt.datetime
    built_at: dt.datetime | None
    registered_at: dt.datetime
    policy_id: str
    policy_version: str
    policy_sha256: str
    manifest_sha256: str  # sha256 of the manifest.json bytes
    location: Path  # the snapshot folder, absolute
    state: str
    state_changed_at: dt.datetime
    supersedes: str | None
    superseded_by: str | None
    purged_at: dt.datetime | None  # T2, for a snapshot a purge made
    records_used: int
    members_used: int
    engine: str | None
    usage_index: str | None = None  # the manifest's usage_index (relative path), if any

    def to_json(self) -> dict[str, Any]:
        return {
            "snapshot_id": self.snapshot_id,
            "as_of": utc_z(self.as_of),
            "state": self.state,
            "state_changed_at": utc_z(self.state_changed_at),
            "policy": {
                "id": self.policy_id,
                "version": self.policy_version,
                "sha256": self.policy_sha256,
            },
            "manifest_sha256": self.manifest_sha256,
            "location": str(self.location),
            "records_used": self.records_used,
            "members_used": self.members_used,
            "engine": self.engine,
            "built_at": _time(self.built_at),
            "registered_at": utc_z(self.registered_at),
            "supersedes": self.supersedes,
            "superseded_by": self.superseded_by,
            "purged_at": _time(self.purged_at),
            "usage_index": self.usage_index,
        }


@dataclass(frozen=True)
class RunEntry:
    """A training run and the snapshots it used."""

    run_id: str
    model: str
    model_version: str | None
    state: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    snapshots: tuple[SnapshotEntry, ...]
    mlflow_run_id: str | None = None
    openlineage_run_id: str | None = None
    params: dict[str, Any] | None = None

    @property
    def snapshot_ids(self) -> tuple[str, ...]:
        return tuple(s.snapshot_id for s in self.snapshots)

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "model": self.model,
            "model_version": self.model_version,
            "state": self.state,
            "started_at": utc_z(self.started_at),
            "finished_at": _time(self.finished_at),
            "snapshots": list(self.snapshot_ids),
            "mlflow_run_id": self.mlflow_run_id,
            "openlineage_run_id": self.openlineage_run_id,
            "params": self.params,
        }


@dataclass(frozen=True)
class ModelEntry:
    """A model (name and version), derived from its runs.

    ``state``: ``training`` while a run is running, else ``trained`` when a run finished,
    else ``failed``. ``snapshot_states`` says whether what it was trained on has since been
    superseded or deleted."""

    name: str
    version: str | None
    state: str
    runs: tuple[str, ...]
    finished_runs: int
    failed_runs: int
    running_runs: int
    first_started_at: dt.datetime
    last_finished_at: dt.datetime | None
    snapshot_states: dict[str, str] = field(default_factory=dict)  # snapshot id -> state

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "state": self.state,
            "runs": list(self.runs),
            "finished_runs": self.finished_runs,
            "failed_runs": self.failed_runs,
            "running_runs": self.running_runs,
            "first_started_at": utc_z(self.first_started_at),
            "last_finished_at": _time(self.last_finished_at),
            "snapshots": dict(self.snapshot_states),
        }


@dataclass(frozen=True)
class _Manifest:
    values: dict[str, Any]
    sha256: str


class _Conflict(RegistryError):
    """Another writer inserted the same row first."""


class Registry:
    """One registry database, SQLite file or PostgreSQL.

    ``Registry(url)`` opens it for writing: it is created (SQLite: the file, whose folder
    must exist) and migrated to this version on first use, idempotently.
    ``Registry(url, read_only=True)``, or ``Registry.open_existing(url)``, opens it for
    reading only: nothing is created or migrated, a registry that does not exist (or is at
    another schema) is a :class:`RegistryError`, and every write is refused.
    Use it as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        url: str | Path,
        *,
        read_only: bool = False,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.target: Target = parse_target(url)
        self.read_only = read_only
        self.clock = clock
        self.engine: Engine = read_engine(url) if read_only else write_engine(url)
        try:
            self._prepare()
        except BaseException:
            self.engine.dispose()
            raise

    @classmethod
    def open_existing(cls, url: str | Path) -> Registry:
        """The registry at ``url`` for reading; never creates anything."""
        return cls(url, read_only=True)

    @property
    def shown(self) -> str:
        """The registry's name in messages (path, or URL without password)."""
        return self.target.shown

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _prepare(self) -> None:
        from consentgate.registry.migrate import (
            current_revision,
            head_revision,
            known_revisions,
            upgrade,
        )

        try:
            revision = current_revision(self.engine)
            if revision == head_revision():
                return
            if revision is not None and revision not in known_revisions():
                raise RegistryError(
                    f"the registry at {self.shown} is at schema {revision}, which this "
                    f"consentgate does not know (it has up to {head_revision()}): upgrade "
                    "consentgate"
                )
            if self.read_only:
                if revision is None:
                    raise RegistryError(f"no registry at {self.shown}; {CREATED_BY}")
                raise RegistryError(
                    f"the registry at {self.shown} is at schema {revision}, this consentgate "
                    f"needs {head_revision()}: run `consentgate registry init --registry URL`"
                )
            upgrade(self.engine)
        except DBAPIError as exc:
            raise RegistryError(f"cannot open the registry at {self.shown}: {one_line(exc)}") from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        if self.read_only:
            raise RegistryError(f"the registry at {self.shown} was opened read-only")
        try:
            with (
                self.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn,
                conn.begin(),
            ):
                yield conn
        except IntegrityError as exc:
            raise _Conflict(f"registry {self.shown}: {one_line(exc)}") from exc
        except DBAPIError as exc:
            raise RegistryError(f"registry {self.shown}: {one_line(exc)}") from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except DBAPIError as exc:
            raise RegistryError(f"registry {self.shown}: {one_line(exc)}") from exc

    def has_ledger(self) -> bool:
        """Whether this database also holds a consent ledger."""
        with self._read() as conn:
            return inspect(conn).has_table("ledger_events")

    # -- snapshots ---------------------------------------------------------------------
    def register_snapshot(self, folder: str | Path) -> SnapshotEntry:
        """Register the snapshot in ``folder`` (its ``manifest.json``). Registering it again
        changes nothing; another manifest under a registered id is a RegistryError. A
        manifest that names the snapshot it ``supersedes`` marks that one superseded."""
        location = Path(folder).expanduser().resolve()
        manifest = read_manifest(location)
        values = _snapshot_values(manifest, location, self.clock())
        snap_id = values["snapshot_id"]
        for attempt in range(2):
            try:
                with self._write() as conn:
                    existing = _snapshot_row(conn, snap_id)
                    if existing is not None:
                        if existing.manifest_sha256 != manifest.sha256:
                            raise RegistryError(
                                _conflict(snap_id, existing.manifest_sha256, manifest.sha256)
                            )
                        return _snapshot_entry(existing)
                    newer = conn.execute(
                        select(snapshots_table.c.snapshot_id)
                        .where(snapshots_table.c.supersedes == snap_id)
                        .order_by(snapshots_table.c.as_of)
                    ).first()
                    if newer is not None:  # the purge's snapshot was registered first
                        values["state"] = "superseded"
                        values["superseded_by"] = newer.snapshot_id
                    conn.execute(insert(snapshots_table).values(**values))
                    if values["supersedes"] is not None:
                        self._mark_superseded(conn, values["supersedes"], snap_id)
                    return _snapshot_entry(_snapshot_row(conn, snap_id))
            except _Conflict:
                if attempt:  # pragma: no cover - a second concurrent writer
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _mark_superseded(self, conn: Connection, older_id: str, newer_id: str) -> None:
        older = _snapshot_row(conn, older_id)
        if older is None:
            return  # registered later: register_snapshot marks it then
        changes: dict[str, Any] = {}
        if older.superseded_by is None:
            changes["superseded_by"] = newer_id
        if older.state == "published":
            changes["state"] = "superseded"
            changes["state_changed_at"] = self.clock()
        if changes:
            conn.execute(
                update(snapshots_table)
                .where(snapshots_table.c.snapshot_id == older_id)
                .values(**changes)
            )

    def find_snapshot(self, snapshot_id: str) -> SnapshotEntry | None:
        with self._read() as conn:
            row = _snapshot_row(conn, snapshot_id)
        return _snapshot_entry(row) if row is not None else None

    def snapshot(self, ref: str | Path) -> SnapshotEntry:
        """A registered snapshot, by id or by its folder (whose manifest must be the one
        registered). A folder not yet registered is a RegistryError (``start_run`` and
        ``register_snapshot`` register it)."""
        folder = _as_folder(ref)
        if folder is not None:
            manifest = read_manifest(folder)
            snap_id = str(manifest.values.get("snapshot_id"))
            entry = self.find_snapshot(snap_id)
            if entry is None:
                raise RegistryError(
                    f"snapshot {snap_id} ({folder}) is not registered in {self.shown}: "
                    "`consentgate registry register` or `consentgate runs start` registers it"
                )
            if entry.manifest_sha256 != manifest.sha256:
                raise RegistryError(_conflict(snap_id, entry.manifest_sha256, manifest.sha256))
            return entry
        text = str(ref)
        entry = self.find_snapshot(text)
        if entry is None:
            if "/" in text or Path(text).exists():
                raise RegistryError(
                    f"{text}: no manifest.json there, and no snapshot in {self.shown} has "
                    "that id"
                )
            raise RegistryError(f"no snapshot {text!r} in the registry {self.shown}")
        return entry

    def snapshots(self, states: Iterable[str] | None = None) -> list[SnapshotEntry]:
        """Registered snapshots, oldest as-of first."""
        query = select(snapshots_table).order_by(
            snapshots_table.c.as_of, snapshots_table.c.snapshot_id
        )
        if states is not None:
            query = query.where(snapshots_table.c.state.in_(list(states)))
        with self._read() as conn:
            return [_snapshot_entry(r) for r in conn.execute(query)]

    def set_state(
        self, snapshot_id: str, state: str, *, superseded_by: str | None = None
    ) -> SnapshotEntry:
        """Move a snapshot forward: published → superseded → data_deleted → deleted.
        Setting the state it has is a no-op; going back is a RegistryError."""
        if state not in SNAPSHOT_STATES:
            raise RegistryError(
                f"unknown snapshot state {state!r}; one of {', '.join(SNAPSHOT_STATES)}"
            )
        with self._write() as conn:
            row = _snapshot_row(conn, snapshot_id)
            if row is None:
                raise RegistryError(f"no snapshot {snapshot_id!r} in the registry {self.shown}")
            changes: dict[str, Any] = {}
            if _ORDER[state] < _ORDER[row.state]:
                raise RegistryError(
                    f"snapshot {snapshot_id} is {row.state}; it cannot go back to {state} "
                    f"(states only move forward: {' → '.join(SNAPSHOT_STATES)})"
                )
            if state != row.state:
                changes["state"] = state
                changes["state_changed_at"] = self.clock()
            if superseded_by is not None and row.superseded_by is None:
                changes["superseded_by"] = superseded_by
            if changes:
                conn.execute(
                    update(snapshots_table)
                    .where(snapshots_table.c.snapshot_id == snapshot_id)
                    .values(**changes)
                )
            return _snapshot_entry(_snapshot_row(conn, snapshot_id))

    # -- runs --------------------------------------------------------------------------
    def start_run(
        self,
        snapshots: Sequence[str | Path | SnapshotEntry] | str | Path | SnapshotEntry,
        model: str,
        model_version: str | None = None,
        params: dict[str, Any] | None = None,
        *,
        allow_superseded: bool = False,
    ) -> RunEntry:
        """Start a training run of ``model`` on ``snapshots`` (ids, folders, or entries; a
        folder not yet registered is registered). Every snapshot must be published: a
        deleted one, or one whose data was deleted, is refused, and so is a superseded one
        (it holds records a purge withdrew) unless ``allow_superseded``, for reproducing an
        earlier run."""
        _check_name("model", model, 256)
        if model_version is not None:
            _check_name("model version", model_version, 128)
        if params is not None:
            try:
                params = json.loads(json.dumps(params))
            except (TypeError, ValueError) as exc:
                raise RegistryError(f"run params must be JSON: {exc}") from exc
        refs = [snapshots] if isinstance(snapshots, str | Path | SnapshotEntry) else list(snapshots)
        if not refs:
            raise RegistryError("a run needs at least one snapshot")
        ids: list[str] = []
        for ref in refs:
            if isinstance(ref, SnapshotEntry):
                snap_id = ref.snapshot_id
            elif (folder := _as_folder(ref)) is not None:
                snap_id = self.register_snapshot(folder).snapshot_id
            else:
                snap_id = self.snapshot(ref).snapshot_id
            if snap_id not in ids:
                ids.append(snap_id)
        run_id = f"run-{uuid.uuid4().hex}"
        with self._write() as conn:
            for snap_id in ids:  # states read again inside the write transaction
                row = _snapshot_row(conn, snap_id)
                if row is None:
                    raise RegistryError(f"no snapshot {snap_id!r} in the registry {self.shown}")
                if row.state == "superseded" and not allow_superseded:
                    raise RegistryError(
                        f"snapshot {snap_id} is superseded by {row.superseded_by}: a purge "
                        "took out records that its members withdrew, so train on the newer "
                        "one (to reproduce an earlier run on this one, allow superseded "
                        "snapshots: --allow-superseded)"
                    )
                if row.state not in (*TRAINABLE_STATES, "superseded"):
                    raise RegistryError(
                        f"snapshot {snap_id} is {row.state}: a run may only use a snapshot "
                        "whose data exists (published or superseded)"
                    )
            conn.execute(
                insert(runs_table).values(
                    run_id=run_id,
                    model_name=model,
                    model_version=model_version,
                    state="running",
                    started_at=self.clock(),
                    finished_at=None,
                    params=params,
                )
            )
            conn.execute(
                insert(run_snapshots_table),
                [{"run_id": run_id, "snapshot_id": s} for s in ids],
            )
        return self.run(run_id)

    def finish_run(self, run_id: str, failed: bool = False) -> RunEntry:
        """Mark a running run finished (or failed). A run that is not running is refused."""
        with self._write() as conn:
            row = conn.execute(select(runs_table).where(runs_table.c.run_id == run_id)).first()
            if row is None:
                raise RegistryError(f"no run {run_id!r} in the registry {self.shown}")
            if row.state != "running":
                raise RegistryError(
                    f"run {run_id} is already {row.state} (at {utc_z(row.finished_at)}): "
                    "only a running run can be finished"
                )
            conn.execute(
                update(runs_table)
                .where(runs_table.c.run_id == run_id)
                .values(
                    state="failed" if failed else "finished",
                    finished_at=max(self.clock(), row.started_at),
                )
            )
        return self.run(run_id)

    def set_external_ids(
        self,
        run_id: str,
        *,
        mlflow_run_id: str | None = None,
        openlineage_run_id: str | None = None,
    ) -> RunEntry:
        """Record the run's ids in MLflow and OpenLineage."""
        changes = {
            k: v
            for k, v in (
                ("mlflow_run_id", mlflow_run_id),
                ("openlineage_run_id", openlineage_run_id),
            )
            if v is not None
        }
        if changes:
            with self._write() as conn:
                done = conn.execute(
                    update(runs_table).where(runs_table.c.run_id == run_id).values(**changes)
                )
                if done.rowcount == 0:
                    raise RegistryError(f"no run {run_id!r} in the registry {self.shown}")
        return self.run(run_id)

    def run(self, run_id: str) -> RunEntry:
        found = self._runs(runs_table.c.run_id == run_id)
        if not found:
            raise RegistryError(f"no run {run_id!r} in the registry {self.shown}")
        return found[0]

    def runs(self, snapshot_id: str | None = None) -> list[RunEntry]:
        """Every run, oldest first; with ``snapshot_id``, the runs that used it."""
        if snapshot_id is None:
            return self._runs(None)
        return self.runs_using(snapshot_id)

    def runs_using(self, snapshot_id: str) -> list[RunEntry]:
        """The runs that used a snapshot (a RegistryError if it is not registered)."""
        return self.runs_using_any([snapshot_id], check=True)

    def runs_using_any(self, snapshot_ids: Iterable[str], check: bool = False) -> list[RunEntry]:
        ids = sorted(set(snapshot_ids))
        if check:
            for snap_id in ids:
                if self.find_snapshot(snap_id) is None:
                    raise RegistryError(f"no snapshot {snap_id!r} in the registry {self.shown}")
        if not ids:
            return []
        used = select(run_snapshots_table.c.run_id).where(
            run_snapshots_table.c.snapshot_id.in_(ids)
        )
        return self._runs(runs_table.c.run_id.in_(used))

    def _runs(self, where: Any) -> list[RunEntry]:
        query = select(runs_table).order_by(runs_table.c.started_at, runs_table.c.run_id)
        if where is not None:
            query = query.where(where)
        with self._read() as conn:
            rows = list(conn.execute(query))
            if not rows:
                return []
            links: dict[str, list[str]] = {}
            run_ids = [r.run_id for r in rows]
            for start in range(0, len(run_ids), 500):
                for link in conn.execute(
                    select(run_snapshots_table).where(
                        run_snapshots_table.c.run_id.in_(run_ids[start : start + 500])
                    )
                ):
                    links.setdefault(link.run_id, []).append(link.snapshot_id)
            wanted = sorted({s for ids in links.values() for s in ids})
            entries: dict[str, SnapshotEntry] = {}
            for start in range(0, len(wanted), 500):
                for snap in conn.execute(
                    select(snapshots_table).where(
                        snapshots_table.c.snapshot_id.in_(wanted[start : start + 500])
                    )
                ):
                    entries[snap.snapshot_id] = _snapshot_entry(snap)
        out = []
        for r in rows:
            snaps = sorted(
                (entries[s] for s in links.get(r.run_id, [])),
                key=lambda e: (e.as_of, e.snapshot_id),
            )
            out.append(
                RunEntry(
                    run_id=r.run_id,
                    model=r.model_name,
                    model_version=r.model_version,
                    state=r.state,
                    started_at=r.started_at,
                    finished_at=r.finished_at,
                    snapshots=tuple(snaps),
                    mlflow_run_id=r.mlflow_run_id,
                    openlineage_run_id=r.openlineage_run_id,
                    params=r.params,
                )
            )
        return out

    # -- models ------------------------------------------------------------------------
    def models(self) -> list[ModelEntry]:
        """Models (name and version) derived from the runs, by name then version."""
        groups: dict[tuple[str, str | None], list[RunEntry]] = {}
        for run in self.runs():
            groups.setdefault((run.model, run.model_version), []).append(run)
        out = []
        for (name, version), runs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            states = [r.state for r in runs]
            if "running" in states:
                state = "training"
            elif "finished" in states:
                state = "trained"
            else:
                state = "failed"
            finished = [r.finished_at for r in runs if r.finished_at is not None]
            snapshot_states: dict[str, str] = {}
            for r in runs:
                if r.state == "failed":
                    continue
                for s in r.snapshots:
                    snapshot_states[s.snapshot_id] = s.state
            out.append(
                ModelEntry(
                    name=name,
                    version=version,
                    state=state,
                    runs=tuple(r.run_id for r in runs),
                    finished_runs=states.count("finished"),
                    failed_runs=states.count("failed"),
                    running_runs=states.count("running"),
                    first_started_at=min(r.started_at for r in runs),
                    last_finished_at=max(finished) if finished else None,
                    snapshot_states=snapshot_states,
                )
            )
        return out


# -- manifests -----------------------------------------------------------------------------
def _as_folder(ref: str | Path | SnapshotEntry) -> Path | None:
    """``ref`` as a snapshot folder (one holding manifest.json), or None."""
    if isinstance(ref, SnapshotEntry):
        return None
    try:
        path = Path(ref).expanduser()
        if (path / "manifest.json").is_file():
            return path.resolve()
    except (OSError, ValueError):
        return None
    if isinstance(ref, Path):
        raise RegistryError(f"{ref}: no manifest.json there, so not a snapshot folder")
    return None


def read_manifest(folder: Path) -> _Manifest:
    path = folder / "manifest.json"
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise RegistryError(f"{folder}: no manifest.json there, so not a snapshot folder") from exc
    except OSError as exc:
        raise RegistryError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        values = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegistryError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(values, dict):
        raise RegistryError(f"{path} is not a snapshot manifest (not a JSON object)")
    return _Manifest(values, hashlib.sha256(data).hexdigest())


def _get(manifest: dict[str, Any], dotted: str, where: Path, required: bool = True) -> Any:
    value: Any = manifest
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value or value[part] is None:
            if required:
                raise RegistryError(f"{where}: the manifest has no {dotted}")
            return None
        value = value[part]
    return value


def _instant(value: Any, name: str, where: Path) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RegistryError(f"{where}: {name} is not an ISO 8601 instant: {value!r}")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RegistryError(f"{where}: {name} is not an ISO 8601 instant: {value!r}") from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _count(value: Any, name: str, where: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RegistryError(f"{where}: {name} is not a count: {value!r}")
    return value


def _check_name(what: str, value: object, max_len: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"the {what} must be a non-empty string")
    if len(value) > max_len:
        raise RegistryError(f"the {what} is longer than {max_len} characters")
    if _CONTROL.search(value):
        raise RegistryError(f"the {what} contains control characters")
    return value


def _snapshot_values(manifest: _Manifest, location: Path, now: dt.datetime) -> dict[str, Any]:
    m, where = manifest.values, location / "manifest.json"
    snap_id = _check_name("snapshot id", _get(m, "snapshot_id", where), 128)
    supersedes = _get(m, "supersedes", where, required=False)
    if supersedes is not None:
        supersedes = _check_name("superseded snapshot id", supersedes, 128)
        if supersedes == snap_id:
            raise RegistryError(f"{where}: snapshot {snap_id} says it supersedes itself")
    as_of = _instant(_get(m, "as_of", where), "as_of", where)
    return {
        "snapshot_id": snap_id,
        "as_of": as_of,
        "built_at": _instant(_get(m, "built_at", where, required=False), "built_at", where),
        "registered_at": now,
        "policy_id": _check_name("policy id", _get(m, "policy.id", where), 64),
        "policy_version": _check_name("policy version", str(_get(m, "policy.version", where)), 32),
        "policy_sha256": _check_name("policy sha256", _get(m, "policy.sha256", where), 64),
        "manifest_sha256": manifest.sha256,
        "location": str(location),
        "state": "published",
        "state_changed_at": now,
        "supersedes": supersedes,
        "superseded_by": None,
        "purged_at": _instant(_get(m, "purged_at", where, required=False), "purged_at", where),
        "records_used": _count(_get(m, "counts.records_used", where), "counts.records_used", where),
        "members_used": _count(_get(m, "counts.members_used", where), "counts.members_used", where),
        "engine": _get(m, "engine", where, required=False),
        "usage_index": _relative(_get(m, "usage_index", where, required=False), where),
    }


def _relative(value: Any, where: Path) -> str | None:
    """A path inside the snapshot folder, as the manifest names it."""
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > 256:
        raise RegistryError(f"{where}: usage_index is not a relative path: {value!r}")
    path = Path(value)
    if path.is_absolute() or ".." in path.parts:
        raise RegistryError(f"{where}: usage_index must be a path inside the snapshot: {value!r}")
    return path.as_posix()


def _conflict(snap_id: str, registered: str, found: str) -> str:
    return (
        f"snapshot {snap_id} is already registered with another manifest (sha256 "
        f"{registered[:12]}…, this one {found[:12]}…): a snapshot id names one content"
    )


def _snapshot_row(conn: Connection, snapshot_id: str) -> Any:
    return conn.execute(
        select(snapshots_table).where(snapshots_table.c.snapshot_id == snapshot_id)
    ).first()


def _snapshot_entry(row: Any) -> SnapshotEntry:
    values = dict(row._mapping)
    values["location"] = Path(values["location"])
    return SnapshotEntry(**values)


__all__ = [
    "SEARCHABLE_STATES",
    "TRAINABLE_STATES",
    "ModelEntry",
    "Registry",
    "RunEntry",
    "SnapshotEntry",
    "read_manifest",
    "utcnow",
]
