"""The ledger: append preference events to the hash chain, read them back, derive the state.

Nothing here updates or deletes an event. The current state of a setting is derived from the
events each time it is asked for, with the same rule the snapshot build uses
(``consentgate.eligibility.reference.setting_at``).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import Engine, func, insert, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from consentgate.contract.schema import ERASURE_SETTING
from consentgate.eligibility.reference import PreferenceEvent, setting_at
from consentgate.ledger.chain import GENESIS_HASH, StoredEvent, event_hash, format_time
from consentgate.ledger.db import WRITE_OPTION, make_engine, redact_url
from consentgate.ledger.errors import EventRejected, LedgerError
from consentgate.ledger.models import events_table, head_table
from consentgate.policy.model import Policy

UTC = dt.UTC
ONE_MICROSECOND = dt.timedelta(microseconds=1)

_SETTING = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_SOURCE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Where an event came from. Others are accepted if they are snake_case words.
KNOWN_SOURCES = ("web", "api", "mobile", "import", "objection_form", "gpc", "admin")


def utcnow() -> dt.datetime:
    return dt.datetime.now(UTC)


@dataclass(frozen=True)
class NewEvent:
    """A change to record. ``effective_at`` None means "now": the instant it is recorded."""

    member_id: str
    setting: str
    value: bool
    source: str
    policy_id: str
    policy_version: str
    notice_version: str | None = None
    language: str | None = None
    jurisdiction: str | None = None
    effective_at: dt.datetime | None = None


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    recorded_at: dt.datetime | None


@dataclass(frozen=True)
class SettingState:
    """A setting's state at an instant, derived from the events."""

    setting: str
    value: bool | None  # None: events at the same latest instant disagree (not used)
    from_default: bool
    last_event: StoredEvent | None  # the latest event in force, if any


@dataclass(frozen=True)
class ImportResult:
    added: list[StoredEvent]
    skipped: int  # events already in the ledger (same member, setting, value, time, source)


def check_text(
    name: str, value: object, max_len: int, pattern: re.Pattern[str] | None = None
) -> str:
    """``value`` as a non-empty string of printable Unicode, or EventRejected saying why."""
    if not isinstance(value, str) or not value:
        raise EventRejected(f"{name} must be a non-empty string")
    if len(value) > max_len:
        raise EventRejected(f"{name} is longer than {max_len} characters")
    if _CONTROL.search(value):
        raise EventRejected(f"{name} contains control characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EventRejected(f"{name} is not valid Unicode text") from exc
    if pattern is not None and not pattern.match(value):
        raise EventRejected(f"{name} {value!r} is not allowed (expected {pattern.pattern})")
    return value


def check_event(event: NewEvent) -> None:
    check_text("member_id", event.member_id, 128)
    check_text("setting", event.setting, 64, _SETTING)
    if not isinstance(event.value, bool):
        raise EventRejected("value must be true or false")
    if event.setting == ERASURE_SETTING and event.value is not True:
        raise EventRejected("an erasure request has value true: it cannot be withdrawn")
    check_text("source", event.source, 32, _SOURCE)
    check_text("policy_id", event.policy_id, 64)
    check_text("policy_version", event.policy_version, 32)
    if event.notice_version is not None:
        check_text("notice_version", event.notice_version, 32)
    if event.language is not None:
        check_text("language", event.language, 16, _LANGUAGE)
    if event.jurisdiction is not None:
        check_text("jurisdiction", event.jurisdiction, 64)
    if event.effective_at is not None and event.effective_at.tzinfo is None:
        raise EventRejected("effective_at must carry a time zone (UTC)")


def _row_to_event(row: object) -> StoredEvent:
    return StoredEvent(**row._mapping)  # type: ignore[attr-defined]


class Ledger:
    """One ledger database. Thread-safe: each call takes its own connection from the pool."""

    def __init__(
        self,
        db: str | Path,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        engine: Engine | None = None,
        check_schema: bool = True,
        read_only: bool = False,
    ) -> None:
        """An existing ledger (``consentgate ledger init`` creates one); ``read_only`` opens
        it without any write, for commands that only read."""
        self.engine = (
            engine
            if engine is not None
            else make_engine(db, read_only=read_only, must_exist=True)
        )
        self.clock = clock
        # Appends from this process queue here rather than in the database: SQLite's busy
        # handler polls with growing sleeps, which made tail latency seconds long under load.
        # Other processes are still kept out by the database lock (see ``db``).
        self._write_lock = threading.Lock()
        if check_schema:
            self._check_schema()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_schema(self) -> None:
        from consentgate.ledger.migrate import current_revision, head_revision

        where = redact_url(str(self.engine.url))
        try:
            revision = current_revision(self.engine)
            tables = set(inspect(self.engine).get_table_names())
        except DBAPIError as exc:
            raise LedgerError(f"cannot open the ledger at {where}: {exc.orig}") from exc
        except SQLAlchemyError as exc:
            raise LedgerError(f"cannot open the ledger at {where}: {exc}") from exc
        missing = {"ledger_events", "ledger_head"} - tables
        if revision is not None and missing:
            raise LedgerError(
                f"{where} is not a usable ledger: table(s) {', '.join(sorted(missing))} "
                "missing (dropped?); restore it from a backup"
            )
        if revision != head_revision():
            state = "has no ledger tables" if revision is None else f"is at schema {revision}"
            raise LedgerError(
                f"{where} {state}, this consentgate needs {head_revision()}: "
                f"run `consentgate ledger init --db URL` first"
            )

    # -- writing -------------------------------------------------------------------------
    def append(self, events: Sequence[NewEvent]) -> list[StoredEvent]:
        """Record events in order, atomically: all of them or none."""
        for e in events:
            check_event(e)
        if not events:
            return []
        with self._write() as conn:
            return self._append_locked(conn, events)

    def record_change(self, event: NewEvent) -> StoredEvent:
        """Record one change that takes effect now (a member's switch, an app's call)."""
        if event.effective_at is not None:
            raise EventRejected("a live change takes effect when it is recorded")
        return self.append([event])[0]

    def request_erasure(
        self, member_id: str, policy: Policy, source: str = "admin",
        language: str | None = None, jurisdiction: str | None = None,
    ) -> tuple[StoredEvent, bool]:
        """Record a member's erasure request (GDPR Art. 17), effective now, with a receipt.
        From then on the member is out of every snapshot built, as if deleted.

        Once only: a member who already asked gets their first request back and nothing is
        recorded. The check runs inside the write transaction, after the head is locked, so
        two processes asking at the same instant still make one event. Returns (the request
        in force, whether it was already there)."""
        event = NewEvent(
            member_id=member_id, setting=ERASURE_SETTING, value=True, source=source,
            policy_id=policy.policy.id, policy_version=policy.policy.version,
            notice_version=policy.policy.notice_version, language=language,
            jurisdiction=jurisdiction,
        )
        check_event(event)
        cols = events_table.c
        with self._write() as conn:
            _lock_head(conn)
            first = conn.execute(
                select(events_table)
                .where(cols.member_id == member_id, cols.setting == ERASURE_SETTING,
                       cols.value.is_(True))
                .order_by(cols.effective_at, cols.seq)
                .limit(1)
            ).first()
            if first is not None:
                return _row_to_event(first), True
            return self._append_locked(conn, [event])[0], False

    def import_events(self, events: Iterable[NewEvent]) -> ImportResult:
        """Record events that happened elsewhere (their own ``effective_at``), skipping any
        the ledger already holds, so that importing the same file twice adds nothing."""
        wanted = list(events)
        for number, e in enumerate(wanted, start=1):
            try:
                check_event(e)
            except EventRejected as exc:
                raise EventRejected(f"event {number}: {exc}") from exc
            if e.effective_at is None:
                raise EventRejected(f"event {number}: effective_at missing")
        with self._write() as conn:
            known = self._existing_keys(conn, {e.member_id for e in wanted})
            fresh: list[NewEvent] = []
            for e in wanted:
                key = _dedupe_key(e.member_id, e.setting, e.value, e.effective_at, e.source)  # type: ignore[arg-type]
                if key not in known:
                    known.add(key)
                    fresh.append(e)
            added = self._append_locked(conn, fresh) if fresh else []
        return ImportResult(added=added, skipped=len(wanted) - len(fresh))

    def _write(self) -> _WriteTransaction:
        return _WriteTransaction(self.engine, self._write_lock)

    def _append_locked(self, conn: Connection, events: Sequence[NewEvent]) -> list[StoredEvent]:
        head = _lock_head(conn)
        now = self.clock().astimezone(UTC)
        # recorded_at strictly increases along the chain, even if the clock steps back, so a
        # live change (effective when recorded) always comes after every earlier event.
        recorded = now if head.recorded_at is None else max(now, head.recorded_at + ONE_MICROSECOND)
        prev = head.hash
        seq = head.seq
        stored: list[StoredEvent] = []
        for number, e in enumerate(events, start=1):
            seq += 1
            effective = recorded if e.effective_at is None else e.effective_at.astimezone(UTC)
            if effective > recorded:
                raise EventRejected(
                    f"event {number}: effective_at {format_time(effective)} is in the future; "
                    "the ledger records what has happened"
                )
            content = {
                "seq": seq,
                "receipt_id": str(uuid.uuid4()),
                "member_id": e.member_id,
                "setting": e.setting,
                "value": e.value,
                "effective_at": effective,
                "recorded_at": recorded,
                "source": e.source,
                "policy_id": e.policy_id,
                "policy_version": e.policy_version,
                "notice_version": e.notice_version,
                "language": e.language,
                "jurisdiction": e.jurisdiction,
                "prev_hash": prev,
            }
            event = StoredEvent(**content, hash="")
            event = StoredEvent(**content, hash=event_hash(event.content()))
            stored.append(event)
            prev = event.hash
            recorded += ONE_MICROSECOND
        for start in range(0, len(stored), 5000):
            chunk = stored[start : start + 5000]
            conn.execute(insert(events_table), [e.__dict__ for e in chunk])
        last = stored[-1]
        conn.execute(
            update(head_table)
            .where(head_table.c.id == 1)
            .values(seq=last.seq, hash=last.hash, recorded_at=last.recorded_at)
        )
        return stored

    def _existing_keys(self, conn: Connection, member_ids: set[str]) -> set[tuple]:
        keys: set[tuple] = set()
        ids = sorted(member_ids)
        cols = events_table.c
        for start in range(0, len(ids), 500):
            rows = conn.execute(
                select(cols.member_id, cols.setting, cols.value, cols.effective_at, cols.source)
                .where(cols.member_id.in_(ids[start : start + 500]))
            )
            keys.update(_dedupe_key(*r) for r in rows)
        return keys

    # -- reading -------------------------------------------------------------------------
    def head(self) -> Head:
        with self.engine.connect() as conn:
            return _read_head(conn)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(events_table)).scalar_one()

    def history(self, member_id: str, setting: str | None = None) -> list[StoredEvent]:
        """A member's events, newest first (in recording order)."""
        cols = events_table.c
        query = select(events_table).where(cols.member_id == member_id)
        if setting is not None:
            query = query.where(cols.setting == setting)
        with self.engine.connect() as conn:
            return [_row_to_event(r) for r in conn.execute(query.order_by(cols.seq.desc()))]

    def event(self, seq: int) -> StoredEvent | None:
        """The event numbered ``seq`` in the chain, if there is one."""
        with self.engine.connect() as conn:
            row = conn.execute(select(events_table).where(events_table.c.seq == seq)).first()
        return _row_to_event(row) if row is not None else None

    def find(self, receipt_id: str) -> StoredEvent | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(events_table).where(events_table.c.receipt_id == receipt_id)
            ).first()
        return _row_to_event(row) if row is not None else None

    def state(
        self, member_id: str, setting: str, default: bool, at: dt.datetime | None = None
    ) -> SettingState:
        """The setting in force at ``at`` (now by default): the last event with
        effective_at <= at decides; with none, ``default`` (the policy's) does."""
        return derive_state(self.history(member_id, setting), setting, default, at)

    def iter_events(
        self, effective_until: dt.datetime | None = None, batch_size: int = 5000
    ) -> Iterator[StoredEvent]:
        """Every event in chain order, streamed; optionally only those effective by then."""
        query = select(events_table).order_by(events_table.c.seq)
        if effective_until is not None:
            query = query.where(events_table.c.effective_at <= effective_until.astimezone(UTC))
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=batch_size).execute(query)
            for row in result:
                yield _row_to_event(row)


class _WriteTransaction:
    """A transaction that may append: BEGIN IMMEDIATE on SQLite (see ``db``)."""

    def __init__(self, engine: Engine, lock: threading.Lock) -> None:
        self.engine = engine
        self.lock = lock

    def __enter__(self) -> Connection:
        self.lock.acquire()
        try:
            self._conn = self.engine.connect().execution_options(**{WRITE_OPTION: True})
            self._tx = self._conn.begin()
        except BaseException:
            self.lock.release()
            raise
        return self._conn

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            if exc_type is None:
                self._tx.commit()
            else:
                self._tx.rollback()
        finally:
            self._conn.close()
            self.lock.release()


def _read_head(conn: Connection, lock: bool = False) -> Head:
    query = select(head_table.c.seq, head_table.c.hash, head_table.c.recorded_at).where(
        head_table.c.id == 1
    )
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise LedgerError(
            "the ledger's head row is missing, so the chain cannot be extended: "
            "run `consentgate ledger verify`"
        )
    return Head(seq=row.seq, hash=row.hash, recorded_at=row.recorded_at)


def _lock_head(conn: Connection) -> Head:
    return _read_head(conn, lock=True)


def _dedupe_key(
    member_id: str, setting: str, value: bool, effective_at: dt.datetime, source: str
) -> tuple:
    return (member_id, setting, bool(value), format_time(effective_at), source)


def derive_state(
    events: Iterable[StoredEvent], setting: str, default: bool, at: dt.datetime | None = None
) -> SettingState:
    """The state of ``setting`` at ``at`` from a member's events, by the build's own rule
    (``setting_at``): conflicting events at the latest instant give ``None`` (not used).

    ``at`` None means now: every recorded event counts (none is in the future, even when
    the server's clock has stepped back since it was recorded)."""
    relevant = [e for e in events if e.setting == setting]
    if at is not None:
        at = at.astimezone(UTC)
        relevant = [e for e in relevant if e.effective_at <= at]
    elif relevant:
        at = max(e.effective_at for e in relevant)
    else:
        at = utcnow()
    value, _, problem = setting_at(
        _setting_policy(setting), [_as_preference(e) for e in relevant], at
    )
    if problem is not None:
        return SettingState(setting, None, False, _latest(relevant))
    if value is None:
        return SettingState(setting, default, True, None)
    return SettingState(setting, value, False, _latest(relevant))


def _latest(events: list[StoredEvent]) -> StoredEvent | None:
    return max(events, key=lambda e: (e.effective_at, e.seq)) if events else None


def _as_preference(e: StoredEvent) -> PreferenceEvent:
    return PreferenceEvent(e.member_id, e.setting, e.value, e.effective_at, e.source)


def _setting_policy(key: str) -> Policy:
    """``setting_at`` reads only ``policy.setting.key``; the ledger may hold settings of
    several policies, so it hands over just that key."""
    return SimpleNamespace(setting=SimpleNamespace(key=key))  # type: ignore[return-value]


__all__ = [
    "GENESIS_HASH",
    "KNOWN_SOURCES",
    "Head",
    "ImportResult",
    "Ledger",
    "NewEvent",
    "SettingState",
    "StoredEvent",
    "derive_state",
    "utcnow",
]
