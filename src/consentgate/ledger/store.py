"""The ledger: append preference events to the log, read them back, derive the state.

Nothing here updates or deletes an event. The current state of a setting is derived from the
events each time it is asked for, with the same rule the snapshot build uses
(``consentgate.eligibility.reference.setting_of_key_at``).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, insert, inspect, select, tuple_, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from consentgate.contract.schema import ERASURE_SETTING
from consentgate.eligibility.reference import PreferenceEvent, setting_of_key_at
from consentgate.ledger import merkle
from consentgate.ledger.chain import (
    GENESIS_HASH,
    LEAF_FORMAT,
    StoredEvent,
    event_hash,
    format_time,
    from_us,
    to_us,
)
from consentgate.ledger.db import WRITE_OPTION, make_engine, redact_url
from consentgate.ledger.errors import EventRejected, LedgerError
from consentgate.ledger.models import (
    events_table,
    head_table,
    keys_table,
    nodes_table,
    tree_heads_table,
)
from consentgate.ledger.signing import SigningKey, TreeHead, public_b64, public_from_b64
from consentgate.ledger.signing import sign_head as sign_tree_head
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
    """The log now: ``seq`` events (the tree's size), ``hash`` the tree's root (hex)."""

    seq: int
    hash: str
    recorded_at: dt.datetime | None
    log_id: str = ""
    frontier: str = ""  # the tree's right edge, hex (see models.HeadRow)

    @property
    def tree_size(self) -> int:
        return self.seq

    @property
    def root_hash(self) -> str:
        return self.hash


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


class TamperedRow(LedgerError):
    """A stored value that the ledger never writes: changed behind its back."""

    def __init__(self, seq: object, message: str) -> None:
        super().__init__(message)
        self.seq = seq


def _instant(row: object, name: str) -> dt.datetime:
    value = getattr(row, name)
    # Only integers are written; another type (text, a real, a blob) in an SQLite column is
    # another spelling of an instant, which the hash would not see: tampering.
    if type(value) is not int:
        raise TamperedRow(row.seq, f"event #{row.seq}: {name} holds {value!r}, not integer "
                          "microseconds: the row was changed behind the ledger's back")
    return from_us(value)


_TEXT = ("receipt_id", "member_id", "setting", "source", "policy_id", "policy_version", "hash")
_OPTIONAL_TEXT = ("notice_version", "language", "jurisdiction")


def _row_to_event(row: object) -> StoredEvent:
    m = row._mapping  # type: ignore[attr-defined]
    for name in _TEXT + _OPTIONAL_TEXT:
        if not isinstance(m[name], str) and not (m[name] is None and name in _OPTIONAL_TEXT):
            raise TamperedRow(m["seq"], f"event #{m['seq']}: {name} holds {m[name]!r}, not "
                              "text: the row was changed behind the ledger's back")
    value = m["value"]
    if value not in (0, 1) or isinstance(value, float):
        raise TamperedRow(m["seq"], f"event #{m['seq']}: value holds {value!r}, not a boolean")
    return StoredEvent(
        seq=m["seq"], receipt_id=m["receipt_id"], member_id=m["member_id"],
        setting=m["setting"], value=bool(value),
        effective_at=_instant(row, "effective_us"), recorded_at=_instant(row, "recorded_us"),
        source=m["source"], policy_id=m["policy_id"], policy_version=m["policy_version"],
        notice_version=m["notice_version"], language=m["language"],
        jurisdiction=m["jurisdiction"], hash=m["hash"],
    )


def _event_row(event: StoredEvent) -> dict[str, object]:
    return {
        "seq": event.seq, "receipt_id": event.receipt_id, "member_id": event.member_id,
        "setting": event.setting, "value": event.value,
        "effective_us": to_us(event.effective_at), "recorded_us": to_us(event.recorded_at),
        "source": event.source, "policy_id": event.policy_id,
        "policy_version": event.policy_version, "notice_version": event.notice_version,
        "language": event.language, "jurisdiction": event.jurisdiction, "hash": event.hash,
    }


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
        # (key, interval in microseconds): sign the tree head inside an append's own
        # transaction at most once per interval (no extra transaction, no extra fsync)
        self._signing: tuple[SigningKey, int] | None = None
        self._last_signed_us = 0
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
        missing = {"ledger_events", "ledger_head", "ledger_nodes", "ledger_tree_heads",
                   "ledger_keys"} - tables
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
        return self._append_unless(event, events_table.c.value.is_(True))

    def record_once(self, event: NewEvent) -> tuple[StoredEvent, bool]:
        """Record a live event unless the member already has one of the same setting from
        the same source (a Global Privacy Control signal is recorded once, however many
        requests carry it). The check runs inside the write transaction, after the head is
        locked, as for erasure requests. Returns (the first such event, whether it was
        already there)."""
        check_event(event)
        if event.effective_at is not None:
            raise EventRejected("a live change takes effect when it is recorded")
        return self._append_unless(event, events_table.c.source == event.source)

    def _append_unless(self, event: NewEvent, also: object) -> tuple[StoredEvent, bool]:
        """Append ``event`` unless the member already has an event of its setting matching
        ``also``; the check runs after the head is locked, inside the write transaction.
        Returns (the first such event, or the new one; whether it was already there)."""
        cols = events_table.c
        with self._write() as conn:
            _lock_head(conn)
            first = conn.execute(
                select(events_table)
                .where(cols.member_id == event.member_id, cols.setting == event.setting,
                       also)  # type: ignore[arg-type]
                .order_by(cols.effective_us, cols.seq)
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
        # recorded_at strictly increases along the log, even if the clock steps back, so a
        # live change (effective when recorded) always comes after every earlier event.
        recorded = now if head.recorded_at is None else max(now, head.recorded_at + ONE_MICROSECOND)
        frontier = self._frontier_for(conn, head)
        seq = head.seq
        stored: list[StoredEvent] = []
        nodes: list[dict[str, object]] = []
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
            }
            leaf = {**content, "format": LEAF_FORMAT, "effective_us": to_us(effective),
                    "recorded_us": to_us(recorded)}
            del leaf["effective_at"], leaf["recorded_at"]
            event = StoredEvent(**content, hash=event_hash(leaf))
            stored.append(event)
            nodes += [{"level": level, "idx": idx, "hash": h.hex()}
                      for level, idx, h in frontier.append(bytes.fromhex(event.hash))[1:]]
            recorded += ONE_MICROSECOND
        for start in range(0, len(stored), 5000):
            chunk = stored[start : start + 5000]
            conn.execute(insert(events_table), [_event_row(e) for e in chunk])
        for start in range(0, len(nodes), 5000):
            conn.execute(insert(nodes_table), nodes[start : start + 5000])
        last = stored[-1]
        root = frontier.root().hex()
        conn.execute(
            update(head_table)
            .where(head_table.c.id == 1)
            .values(seq=last.seq, hash=root,
                    recorded_us=to_us(last.recorded_at),
                    frontier="".join(h.hex() for h in frontier.hashes()))
        )
        if self._signing is not None:
            key, interval = self._signing
            now_us = to_us(self.clock())
            if now_us - self._last_signed_us >= interval:
                self._last_signed_us = now_us
                grown = Head(last.seq, root, last.recorded_at, head.log_id)
                _insert_signed_head(conn, key, grown, now_us)
        return stored

    def _frontier_for(self, conn: Connection, head: Head) -> merkle.Frontier:
        """The right edge of the tree, from the head row (whichever process appended last),
        else, if that does not give the head's root, from the stored nodes."""
        text = head.frontier
        needed = bin(head.seq).count("1")
        if len(text) == 64 * needed:
            try:
                edge = merkle.Frontier(head.seq, [bytes.fromhex(text[i:i + 64])
                                                  for i in range(0, len(text), 64)])
            except ValueError:
                edge = None
            if edge is not None and edge.root().hex() == head.hash:
                return edge
        return _frontier(conn, head.seq)  # a head row that does not add up: the nodes

    def _existing_keys(self, conn: Connection, member_ids: set[str]) -> set[tuple]:
        keys: set[tuple] = set()
        ids = sorted(member_ids)
        cols = events_table.c
        for start in range(0, len(ids), 500):
            rows = conn.execute(
                select(cols.member_id, cols.setting, cols.value, cols.effective_us, cols.source)
                .where(cols.member_id.in_(ids[start : start + 500]))
            )
            keys.update(_dedupe_key(m, st, v, from_us(int(us)), src) for m, st, v, us, src in rows)
        return keys

    # -- reading -------------------------------------------------------------------------
    def read(self) -> _ReadTransaction:
        """One consistent view of the log for several reads (verify, a build, a proof):
        a single read transaction, so writes going on meanwhile are not half seen."""
        return _ReadTransaction(self.engine)

    def head(self, conn: Connection | None = None) -> Head:
        if conn is not None:
            return _read_head(conn)
        with self.engine.connect() as own:
            return _read_head(own)

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

    def event(self, seq: int, conn: Connection | None = None) -> StoredEvent | None:
        """The event numbered ``seq`` in the log, if there is one."""
        query = select(events_table).where(events_table.c.seq == seq)
        if conn is not None:
            row = conn.execute(query).first()
        else:
            with self.engine.connect() as own:
                row = own.execute(query).first()
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
        self, effective_until: dt.datetime | None = None, batch_size: int = 5000,
        conn: Connection | None = None,
    ) -> Iterator[StoredEvent]:
        """Every event in log order, streamed; optionally only those effective by then.
        Inside ``read()``, pass its connection to see the same view as the other reads."""
        query = select(events_table).order_by(events_table.c.seq)
        if effective_until is not None:
            query = query.where(events_table.c.effective_us <= to_us(effective_until))
        if conn is not None:
            for row in conn.execution_options(yield_per=batch_size).execute(query):
                yield _row_to_event(row)
            return
        with self.engine.connect() as own:
            result = own.execution_options(yield_per=batch_size).execute(query)
            for row in result:
                yield _row_to_event(row)

    # -- the tree --------------------------------------------------------------------------
    def root_at(self, size: int, conn: Connection) -> str:
        """The root (hex) of the tree of the first ``size`` events, from stored nodes."""
        return merkle.root(size, NodeReader(conn)).hex()

    def inclusion_proof(self, seq: int, tree_size: int, conn: Connection) -> list[str]:
        return [h.hex() for h in merkle.inclusion_proof(seq - 1, tree_size, NodeReader(conn))]

    def consistency_proof(self, first: int, second: int, conn: Connection) -> list[str]:
        return [h.hex() for h in merkle.consistency_proof(first, second, NodeReader(conn))]

    # -- signed tree heads -----------------------------------------------------------------
    def sign_with_appends(self, key: SigningKey, interval_s: float) -> None:
        """Sign the tree head within the appends' own transactions, at most once per
        ``interval_s`` (what the service does: no transaction of its own under load)."""
        self._signing = (key, max(1, int(interval_s * 1_000_000)))

    def head_needs_signing(self, interval_s: float) -> bool:
        """Whether the log has grown past its latest signed head, which is older than
        ``interval_s`` (read only: a busy log signs within its appends)."""
        with self.read() as conn:
            head = _read_head(conn)
            latest = _latest_tree_head(conn)
        if latest is None:
            return True
        if latest.tree_size == head.seq:
            return False
        return to_us(self.clock()) - latest.timestamp_us >= interval_s * 1_000_000

    def sign_head(self, key: SigningKey, *, only_if_grown: bool = True) -> TreeHead:
        """Sign the log's current size and root, keep the signed head, and return it. With
        ``only_if_grown``, the latest signed head comes back when the log has not grown."""
        with self._write() as conn:
            head = _lock_head(conn)
            latest = _latest_tree_head(conn)
            if only_if_grown and latest is not None and latest.tree_size == head.seq \
                    and latest.key_id == key.key_id:
                return latest
            return _insert_signed_head(conn, key, head, to_us(self.clock()), latest)

    def latest_tree_head(self, conn: Connection | None = None) -> TreeHead | None:
        if conn is not None:
            return _latest_tree_head(conn)
        with self.engine.connect() as own:
            return _latest_tree_head(own)

    def tree_heads(self, conn: Connection) -> list[TreeHead]:
        """Every signed head the log has issued, oldest first."""
        return [_tree_head(r, self.head(conn).log_id) for r in conn.execute(
            select(tree_heads_table).order_by(tree_heads_table.c.id))]

    def covering_head(self, tree_size: int, conn: Connection) -> TreeHead | None:
        """The first signed head of a tree of at least ``tree_size`` events."""
        row = conn.execute(
            select(tree_heads_table).where(tree_heads_table.c.tree_size >= tree_size)
            .order_by(tree_heads_table.c.id).limit(1)).first()
        return _tree_head(row, self.head(conn).log_id) if row is not None else None

    def keys(self, conn: Connection | None = None) -> dict[str, dict[str, object]]:
        """The public keys the log has registered: key id -> public key (base64), added,
        retired."""
        def read(c: Connection) -> dict[str, dict[str, object]]:
            return {r.key_id: {"public_key": r.public_key, "added_us": r.added_us,
                               "retired_us": r.retired_us}
                    for r in c.execute(select(keys_table).order_by(keys_table.c.added_us))}
        if conn is not None:
            return read(conn)
        with self.engine.connect() as own:
            return read(own)

    def public_keys(self, conn: Connection | None = None) -> dict[str, object]:
        return {k: public_from_b64(str(v["public_key"])) for k, v in self.keys(conn).items()}

    def rotate_key(self, new: SigningKey) -> TreeHead:
        """Retire every other key, register ``new`` and sign the current head with it (the
        old public keys stay, so heads they signed still verify)."""
        with self._write() as conn:
            now = to_us(self.clock())
            conn.execute(update(keys_table).where(keys_table.c.key_id != new.key_id,
                                                  keys_table.c.retired_us.is_(None))
                         .values(retired_us=now))
        return self.sign_head(new, only_if_grown=False)


class NodeReader:
    """Stored tree nodes for the proofs (``merkle.NodeGetter``): leaves from the events, inner
    nodes from ``ledger_nodes``; a missing node is a tampered log."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.cache: dict[tuple[int, int], bytes] = {}

    def __call__(self, level: int, idx: int) -> bytes:
        key = (level, idx)
        found = self.cache.get(key)
        if found is not None:
            return found
        if level == 0:
            value = self.conn.execute(
                select(events_table.c.hash).where(events_table.c.seq == idx + 1)).scalar()
        else:
            value = self.conn.execute(
                select(nodes_table.c.hash).where(nodes_table.c.level == level,
                                                 nodes_table.c.idx == idx)).scalar()
        if value is None:
            raise LedgerError(f"the tree node at level {level}, index {idx} is missing: the "
                              "log was truncated or edited behind the ledger's back")
        try:
            digest = bytes.fromhex(value)
        except (TypeError, ValueError) as exc:
            raise LedgerError(f"the tree node at level {level}, index {idx} is not a hash")\
                from exc
        self.cache[key] = digest
        return digest

    def prefetch(self, nodes: Iterable[tuple[int, int]]) -> None:
        wanted = [n for n in nodes if n not in self.cache]
        leaves = [idx + 1 for level, idx in wanted if level == 0]
        inner = [(level, idx) for level, idx in wanted if level > 0]
        if leaves:
            for seq, value in self.conn.execute(
                    select(events_table.c.seq, events_table.c.hash)
                    .where(events_table.c.seq.in_(leaves))):
                self.cache[(0, seq - 1)] = bytes.fromhex(value)
        if inner:
            cols = nodes_table.c
            for level, idx, value in self.conn.execute(
                    select(cols.level, cols.idx, cols.hash).where(
                        tuple_(cols.level, cols.idx).in_(inner))):
                self.cache[(level, idx)] = bytes.fromhex(value)


def _frontier(conn: Connection, size: int) -> merkle.Frontier:
    needed = merkle.needed_nodes(size)
    reader = NodeReader(conn)
    reader.prefetch(needed)
    return merkle.Frontier(size, [reader(level, idx) for level, idx in needed])


def _tree_head(row: object, log_id: str) -> TreeHead:
    return TreeHead(log_id=log_id, tree_size=row.tree_size, root_hash=row.root_hash,  # type: ignore[attr-defined]
                    timestamp_us=row.timestamp_us, key_id=row.key_id,  # type: ignore[attr-defined]
                    signature=row.signature)  # type: ignore[attr-defined]


def _latest_tree_head(conn: Connection) -> TreeHead | None:
    row = conn.execute(
        select(tree_heads_table).order_by(tree_heads_table.c.id.desc()).limit(1)).first()
    return _tree_head(row, _read_head(conn).log_id) if row is not None else None


def _register_key(conn: Connection, key: SigningKey, now_us: int) -> None:
    known = conn.execute(
        select(keys_table.c.public_key, keys_table.c.retired_us)
        .where(keys_table.c.key_id == key.key_id)).first()
    if known is None:
        conn.execute(insert(keys_table).values(key_id=key.key_id, public_key=public_b64(key.public),
                                               added_us=now_us, retired_us=None))
    elif known.retired_us is not None:
        raise LedgerError(f"key {key.key_id} was retired: sign with the current key")


_UNREAD = object()


def _insert_signed_head(
    conn: Connection, key: SigningKey, head: Head, now_us: int,
    latest: TreeHead | object | None = _UNREAD,
) -> TreeHead:
    """Sign ``head`` (its timestamp after the latest head's) and keep it, in ``conn``'s
    write transaction."""
    _register_key(conn, key, now_us)
    if latest is _UNREAD:
        latest = _latest_tree_head(conn)
    timestamp = now_us
    if isinstance(latest, TreeHead):
        timestamp = max(timestamp, latest.timestamp_us + 1)
    signed = sign_tree_head(key, head.log_id, head.seq, head.hash, timestamp)
    conn.execute(insert(tree_heads_table).values(
        tree_size=signed.tree_size, root_hash=signed.root_hash,
        timestamp_us=signed.timestamp_us, key_id=signed.key_id, signature=signed.signature))
    return signed


class _ReadTransaction:
    """A read transaction: SQLite's BEGIN takes a snapshot at the first read (WAL); on
    PostgreSQL, REPEATABLE READ keeps one snapshot for the whole transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Connection:
        conn = self.engine.connect()
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        self._conn = conn
        self._tx = conn.begin()
        return conn

    def __exit__(self, *exc: object) -> None:
        try:
            self._tx.rollback()
        finally:
            self._conn.close()


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
    query = select(head_table.c.seq, head_table.c.hash, head_table.c.recorded_us,
                   head_table.c.log_id, head_table.c.frontier).where(head_table.c.id == 1)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise LedgerError(
            "the ledger's head row is missing, so the chain cannot be extended: "
            "run `consentgate ledger verify`"
        )
    recorded = None if row.recorded_us is None else from_us(int(row.recorded_us))
    return Head(seq=row.seq, hash=row.hash, recorded_at=recorded, log_id=row.log_id,
                frontier=row.frontier if isinstance(row.frontier, str) else "")


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
    value, _, problem = setting_of_key_at(setting, [_as_preference(e) for e in relevant], at)
    if problem is not None:
        return SettingState(setting, None, False, _latest(relevant))
    if value is None:
        return SettingState(setting, default, True, None)
    return SettingState(setting, value, False, _latest(relevant))


def _latest(events: list[StoredEvent]) -> StoredEvent | None:
    return max(events, key=lambda e: (e.effective_at, e.seq)) if events else None


def _as_preference(e: StoredEvent) -> PreferenceEvent:
    return PreferenceEvent(e.member_id, e.setting, e.value, e.effective_at, e.source)


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
