"""What the service knows about a member from the platform's data (``--source``): country,
language, and whether the policy treats them as a minor, decided by the reference evaluator
with the member's events from the ledger, exactly as a snapshot built now would decide.

The member's rows are read from an index (``MemberIndex``): a SQLite side file holding the
source's ``members`` and ``education`` rows keyed by member id, built once per source content
(its file fingerprints name the file, so a changed source is indexed anew) in the cache
folder (``CONSENTGATE_CACHE_DIR``, else ``$XDG_CACHE_HOME/consentgate``, else
``~/.cache/consentgate``). A lookup is two primary-key reads (tens of microseconds) instead of
a filtered scan of the source's Parquet or DuckDB tables (~70 ms); memory stays small for
millions of members (the operating system caches the file's pages). The rows come back as
the scan gave them: same values, same order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path

import pyarrow as pa

from consentgate.contract.schema import TABLES
from consentgate.contract.source import Source, open_source
from consentgate.eligibility.reasons import Reason
from consentgate.eligibility.reference import (
    Education,
    Member,
    MemberDecision,
    Notification,
    PreferenceEvent,
    decide_member,
)
from consentgate.policy.model import Policy, Setting

MINOR_REASONS = (Reason.MINOR_AGE, Reason.MINOR_SECONDARY_SCHOOL)
INDEX_FORMAT = "consentgate-member-index-2"  # 2: with the notifications
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MemberProfile:
    member_id: str
    known: bool  # found in the source
    country: str | None = None
    language: str | None = None
    minor_reason: Reason | None = None  # set: the data is never used, whatever the switch
    # every reason the reference evaluator gives now, in precedence order (empty: eligible)
    reasons: tuple[Reason, ...] = ()

    @property
    def is_minor(self) -> bool:
        return self.minor_reason is not None


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def default_cache_dir() -> Path:
    explicit = os.environ.get("CONSENTGATE_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "consentgate"


def scan_member(source: Source, member_id: str) -> tuple[Member | None, list[Education]]:
    """The member's row (the first, if the source repeats the id) and education rows, by a
    filtered scan of the source (what the index stands in for)."""
    where = f"member_id = {_quote(member_id)}"
    members = [Member(**r) for b in source.iter_batches("members", where=where)
               for r in b.to_pylist()]
    education = [Education(**r) for b in source.iter_batches("education", where=where)
                 for r in b.to_pylist()]
    return (members[0] if members else None, education)


def scan_notifications(source: Source, member_id: str) -> list[Notification]:
    """The member's notifications by a filtered scan (what the index stands in for), in
    the order of their time."""
    where = f"member_id = {_quote(member_id)}"
    rows = [Notification(**r) for b in source.iter_batches("notifications", where=where)
            for r in b.to_pylist()]
    return sorted(rows, key=lambda n: (n.notified_at is None, n.notified_at or _EPOCH))


# -- the index ---------------------------------------------------------------------------------
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_DAY = dt.date(1970, 1, 1)
_SQL_TYPES = {"string": "TEXT", "date": "INTEGER", "timestamp": "INTEGER", "bool": "INTEGER"}


def _from_days(days: int | None) -> dt.date | None:
    return None if days is None else _EPOCH_DAY + dt.timedelta(days=days)


def _from_micros(micros: int | None) -> dt.datetime | None:
    return None if micros is None else _EPOCH + dt.timedelta(microseconds=micros)


def _from_bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


_DECODE: dict[str, Callable | None] = {
    "string": None, "date": _from_days, "timestamp": _from_micros, "bool": _from_bool}


def _as_storable(column: pa.Array | pa.ChunkedArray, kind: str) -> list:
    """A column's values as SQLite stores them: dates as days and instants as microseconds
    since 1970 (exact integers, converted back on lookup)."""
    if kind == "date":
        column = column.cast(pa.int32())
    elif kind == "timestamp":
        column = column.cast(pa.timestamp("us", tz="UTC")).cast(pa.int64())
    return column.to_pylist()


class MemberIndex:
    """A read-only SQLite file of a source's ``members`` and ``education`` rows keyed by
    member id (see the module's docstring). Thread-safe: one connection per thread."""

    TABLES = ("members", "education")

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._columns = {name: [c.name for c in TABLES[name].columns] for name in self.TABLES}
        self._decoders = {
            name: [(i, _DECODE[c.type]) for i, c in enumerate(TABLES[name].columns)
                   if _DECODE[c.type] is not None]
            for name in self.TABLES
        }
        for name, model in (("members", Member), ("education", Education)):
            if [f.name for f in fields(model)] != self._columns[name]:
                raise RuntimeError(f"the {name} contract and its dataclass differ")
        self._member_sql = (f"SELECT {', '.join(self._columns['members'])} FROM members "
                            "WHERE member_id = ?")
        self._education_sql = (f"SELECT {', '.join(self._columns['education'])} "
                               "FROM education WHERE member_id = ? ORDER BY seq")

    # -- building ----------------------------------------------------------------------------
    @staticmethod
    def fingerprint(source: Source) -> str:
        """Names the source's content: the sha256 of its files (and the index format)."""
        digest = hashlib.sha256(INDEX_FORMAT.encode())
        digest.update(json.dumps({"kind": source.kind, **source.fingerprints()},
                                 sort_keys=True).encode())
        return digest.hexdigest()

    @classmethod
    def open_or_build(cls, source: Source, folder: Path) -> MemberIndex:
        """The index of ``source`` in ``folder``, built first if there is none for this
        content (one process builds it; others started at once wait for it)."""
        fingerprint = cls.fingerprint(source)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"member-index-{fingerprint[:32]}.sqlite"
        with open(folder / f"member-index-{fingerprint[:32]}.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not cls._is_complete(path, fingerprint):
                    cls.build(source, path, fingerprint)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return cls(path)

    @staticmethod
    def _is_complete(path: Path, fingerprint: str) -> bool:
        if not path.is_file():
            return False
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                row = con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            finally:
                con.close()
        except sqlite3.Error:
            return False
        return row is not None and row[0] == fingerprint

    @classmethod
    def build(cls, source: Source, path: Path, fingerprint: str) -> None:
        """Write the index to a temporary file beside ``path``, then move it into place."""
        started = dt.datetime.now(dt.UTC)
        log.info("indexing the members of the source (once per source content)")
        fd, temp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            con = sqlite3.connect(temp)
            try:
                counts = cls._fill(con, source, fingerprint)
            finally:
                con.close()
            with open(temp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
        log.info("member index ready: %d members, %d education rows (%.1f s)",
                 counts["members"], counts["education"], seconds)

    @classmethod
    def _fill(cls, con: sqlite3.Connection, source: Source, fingerprint: str) -> dict[str, int]:
        con.execute("PRAGMA journal_mode=OFF")  # a temporary file: dropped if this fails
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA cache_size=-262144")  # 256 MiB while building
        member_cols = TABLES["members"].columns
        education_cols = TABLES["education"].columns
        con.execute(
            "CREATE TABLE members ("
            + ", ".join(f"{c.name} {_SQL_TYPES[c.type]}" for c in member_cols)
            + ", PRIMARY KEY (member_id)) WITHOUT ROWID"
        )
        con.execute(
            "CREATE TABLE education (seq INTEGER NOT NULL, "
            + ", ".join(f"{c.name} {_SQL_TYPES[c.type]}" for c in education_cols)
            + ", PRIMARY KEY (member_id, seq)) WITHOUT ROWID"
        )
        con.execute("CREATE TABLE notifications (member_id TEXT NOT NULL, setting TEXT, "
                    "notified_at INTEGER)")
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        counts = {"members": 0, "education": 0}
        # members: the first row of a repeated id is the one a scan returns first
        placeholders = ", ".join("?" for _ in member_cols)
        for rows in cls._rows(source, "members"):
            con.executemany(f"INSERT OR IGNORE INTO members VALUES ({placeholders})", rows)
        # education: every row, numbered in the scan's order
        placeholders = ", ".join("?" for _ in range(len(education_cols) + 1))
        seq = 0
        for rows in cls._rows(source, "education"):
            numbered = [(seq + i, *row) for i, row in enumerate(rows) if row[0] is not None]
            seq += len(rows)
            con.executemany(f"INSERT INTO education VALUES ({placeholders})", numbered)
        # notifications (optional in the contract: a source without it told nobody)
        for rows in cls._rows(source, "notifications"):
            con.executemany("INSERT INTO notifications VALUES (?, ?, ?)",
                            [r for r in rows if r[0] is not None])
        con.execute("CREATE INDEX notifications_member ON notifications (member_id)")
        counts["members"] = con.execute("SELECT count(*) FROM members").fetchone()[0]
        counts["education"] = con.execute("SELECT count(*) FROM education").fetchone()[0]
        con.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("format", INDEX_FORMAT), ("fingerprint", fingerprint),
            ("source", str(source.path)), ("members", str(counts["members"])),
            ("education", str(counts["education"]))])
        con.commit()
        return counts

    @staticmethod
    def _rows(source: Source, name: str) -> Iterator[list[tuple]]:
        columns = TABLES[name].columns
        for batch in source.iter_batches(name, batch_size=100_000):
            values = [_as_storable(batch.column(c.name), c.type) for c in columns]
            rows = list(zip(*values, strict=True))
            if name == "members":
                rows = [r for r in rows if r[0] is not None]
            yield rows

    # -- reading -----------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            # immutable: the file never changes once in place (a new source gets a new file)
            con = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True,
                                  check_same_thread=False)
            self._local.con = con
            with self._lock:
                self._connections.append(con)
        return con

    def lookup(self, member_id: str) -> tuple[Member | None, list[Education]]:
        con = self._connection()
        row = con.execute(self._member_sql, (member_id,)).fetchone()
        member = Member(*self._decode("members", row)) if row is not None else None
        education = [Education(*self._decode("education", r))
                     for r in con.execute(self._education_sql, (member_id,))]
        return member, education

    def notifications(self, member_id: str) -> list[Notification]:
        """When the platform told the member of each setting (the notice rule's input)."""
        rows = self._connection().execute(
            "SELECT member_id, setting, notified_at FROM notifications WHERE member_id = ? "
            "ORDER BY notified_at", (member_id,)).fetchall()
        return [Notification(m, s, _from_micros(n)) for m, s, n in rows]

    def _decode(self, name: str, row: tuple) -> list:
        values = list(row)
        for i, decode in self._decoders[name]:
            values[i] = decode(values[i])  # type: ignore[misc]
        return values

    def close(self) -> None:
        with self._lock:
            for con in self._connections:
                con.close()
            self._connections.clear()
        self._local = threading.local()


class MemberDirectory:
    """Members and education rows from a checked source; none when there is no source.

    ``prepare()`` finds or builds the source's index (the service does it at start; the
    first lookup does it otherwise). ``index_dir`` None: the cache folder
    (``default_cache_dir``); if that cannot be written, a temporary folder removed on
    ``close()``."""

    def __init__(self, policy: Policy, source_path: Path | None,
                 index_dir: Path | None = None) -> None:
        self.policy = policy
        self.source: Source | None = (
            open_source(source_path, tables=("members", "education", "notifications"))
            if source_path is not None
            else None
        )
        self.index_dir = index_dir
        self._index: MemberIndex | None = None
        self._temp_dir: Path | None = None
        self._lock = threading.Lock()
        self._sample: tuple[dt.date, list[tuple[str, str | None, bool]]] | None = None

    def prepare(self) -> None:
        if self.source is None or self._index is not None:
            return
        with self._lock:
            if self._index is not None:
                return
            folder = self.index_dir if self.index_dir is not None else default_cache_dir()
            try:
                self._index = MemberIndex.open_or_build(self.source, folder)
            except OSError as exc:
                if self.index_dir is not None:
                    raise
                self._temp_dir = Path(tempfile.mkdtemp(prefix="consentgate-members-"))
                log.warning("cannot write the member index in %s (%s): using %s until exit",
                            folder, exc.strerror, self._temp_dir)
                self._index = MemberIndex.open_or_build(self.source, self._temp_dir)

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None
            if self._temp_dir is not None:
                shutil.rmtree(self._temp_dir, ignore_errors=True)
                self._temp_dir = None

    def _load(self, member_id: str) -> tuple[Member | None, list[Education]]:
        return self._opened().lookup(member_id)

    def _opened(self) -> MemberIndex:
        index = self._index
        if index is None:
            self.prepare()
            index = self._index
        assert index is not None
        return index

    def profile(
        self, member_id: str, events: list[PreferenceEvent], at: dt.datetime
    ) -> MemberProfile:
        if self.source is None:
            return MemberProfile(member_id, known=False)
        member, education = self._load(member_id)
        if member is None:
            return MemberProfile(member_id, known=False)
        decision = decide_member(self.policy, member, education, events, at,
                                 notifications=self._opened().notifications(member_id))
        minor = next((r for r in decision.reasons if r in MINOR_REASONS), None)
        return MemberProfile(member_id, True, member.country, member.language, minor,
                             decision.reasons)

    def decide(
        self, member_id: str, events: list[PreferenceEvent], at: dt.datetime
    ) -> MemberDecision | None:
        """The reference evaluator's decision on the member as of ``at`` (events after it
        are ignored, as in a build); None without a source or for a member not in it."""
        if self.source is None:
            return None
        member, education = self._load(member_id)
        if member is None:
            return None
        # as a build decides: with the member's notices (none: told nothing)
        return decide_member(self.policy, member, education, events, at,
                             notifications=self._opened().notifications(member_id))

    def default_for(self, profile: MemberProfile, setting: Setting | None = None) -> bool:
        """The setting's default for this member (a region may have its own); the primary
        setting unless ``setting`` names another."""
        setting = setting or self.policy.setting
        region = self.policy.region_for(profile.country) if profile.known else None
        if region is None:
            return setting.default
        return self.policy.region_default(region, setting)

    def sample(self, at: dt.datetime, limit: int = 12) -> list[tuple[str, str | None, bool]]:
        """A few members to sign in as in demo mode, minors included when there are any:
        (member id, country, minor)."""
        if self.source is None:
            return []
        if self._sample is not None and self._sample[0] == at.date():
            return self._sample[1]
        ids = [
            row[0]
            for row in self.source.connect().sql(
                f"SELECT member_id FROM {self.source.scan('members')} "
                "WHERE deleted_at IS NULL ORDER BY member_id LIMIT 400"
            ).fetchall()
        ]
        if not ids:
            return []
        where = f"member_id IN ({', '.join(_quote(i) for i in ids)})"
        members = {r["member_id"]: Member(**r)
                   for b in self.source.iter_batches("members", where=where) for r in b.to_pylist()}
        education: dict[str, list[Education]] = {}
        for b in self.source.iter_batches("education", where=where):
            for r in b.to_pylist():
                education.setdefault(r["member_id"], []).append(Education(**r))
        adults: list[tuple[str, str | None, bool]] = []
        minors: list[tuple[str, str | None, bool]] = []
        for member_id in ids:
            member = members[member_id]
            decision = decide_member(self.policy, member, education.get(member_id, []), [], at)
            minor = any(r in MINOR_REASONS for r in decision.reasons)
            (minors if minor else adults).append((member_id, member.country, minor))
        minors = minors[:3]
        chosen = adults[: limit - len(minors)] + minors
        self._sample = (at.date(), chosen)
        return chosen
