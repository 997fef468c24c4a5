"""Objections (GDPR Art. 21): a member objects to a purpose that rests on legitimate
interests, the platform reviews the objection and upholds or rejects it, once, with a reason.

A filed objection is a row of ``ledger_objections`` with its answer due one calendar month
later (Art. 12(3)). An upheld objection appends, in the same transaction as the answer, a
preference event of the purpose's setting with value false and source ``objection``, whose
``effective_at`` is the filing instant: from then on, every snapshot built for that purpose
leaves the member out for any as-of instant after the filing (the member asked then; the
platform's review time is not counted against them). A rejected objection records no event:
the member stays in, and the reason is kept and shown to them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import insert, select, update

from consentgate.ledger.chain import StoredEvent, from_us, to_us
from consentgate.ledger.errors import EventRejected
from consentgate.ledger.models import objections_table
from consentgate.ledger.store import Ledger, NewEvent, _lock_head, check_text
from consentgate.policy.model import Policy, Setting

Status = Literal["pending", "upheld", "rejected"]
STATUSES: tuple[Status, ...] = ("pending", "upheld", "rejected")
OBJECTION_SOURCE = "objection"
MAX_TEXT = 5000
MAX_REASON = 2000
# free text may hold line breaks and tabs; every other control character is refused
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ObjectionError(EventRejected):
    """An objection that cannot be filed or answered as asked (the message says why)."""


class UnknownObjection(ObjectionError):
    pass


class AlreadyAnswered(ObjectionError):
    pass


@dataclass(frozen=True)
class Objection:
    objection_id: str
    member_id: str
    setting: str
    text: str
    language: str | None
    jurisdiction: str | None
    source: str
    policy_id: str
    policy_version: str
    filed_at: dt.datetime
    due_at: dt.datetime
    status: Status
    decided_at: dt.datetime | None
    decided_by: str | None
    reason: str | None
    event_receipt_id: str | None  # the upheld objection's event in the log

    def overdue(self, now: dt.datetime) -> bool:
        return self.status == "pending" and now > self.due_at


def one_month_after(instant: dt.datetime) -> dt.datetime:
    """The same time one calendar month later (31 January → 28 or 29 February), the
    deadline GDPR Art. 12(3) sets for answering a request."""
    year, month = (instant.year + 1, 1) if instant.month == 12 else (instant.year,
                                                                      instant.month + 1)
    day = min(instant.day, calendar.monthrange(year, month)[1])
    return instant.replace(year=year, month=month, day=day)


def _free_text(name: str, value: object, max_len: int) -> str:
    """Free text: ``check_text``'s rules, except that line breaks and tabs are allowed."""
    if not isinstance(value, str) or not value.strip():
        raise EventRejected(f"{name} must be a non-empty text")
    if _CONTROL.search(value):
        raise EventRejected(f"{name} contains control characters")
    check_text(name, re.sub(r"[\t\n\r]", " ", value), max_len)
    return value.strip()


def objection_setting(policy: Policy, key: str) -> Setting:
    """The policy's objection setting named ``key``, or a clear error."""
    known = [s.key for s in policy.settings if s.mechanism == "objection"]
    for s in policy.settings:
        if s.key == key and s.mechanism == "objection":
            return s
    raise ObjectionError(
        f"{key!r} is not a purpose one objects to in policy {policy.id!r}; "
        f"objection purposes: {', '.join(known) or 'none'}"
    )


def _row(row: object) -> Objection:
    m = row._mapping  # type: ignore[attr-defined]
    return Objection(
        objection_id=m["objection_id"], member_id=m["member_id"], setting=m["setting"],
        text=m["text"], language=m["language"], jurisdiction=m["jurisdiction"],
        source=m["source"], policy_id=m["policy_id"], policy_version=m["policy_version"],
        filed_at=from_us(int(m["filed_us"])), due_at=from_us(int(m["due_us"])),
        status=m["status"],
        decided_at=None if m["decided_us"] is None else from_us(int(m["decided_us"])),
        decided_by=m["decided_by"], reason=m["reason"],
        event_receipt_id=m["event_receipt_id"],
    )


class Objections:
    """Filing, listing and answering objections, in the ledger's database."""

    def __init__(self, ledger: Ledger, policy: Policy) -> None:
        self.ledger = ledger
        self.policy = policy

    def file(
        self, member_id: str, setting: str, text: str, *, source: str = "web",
        language: str | None = None, jurisdiction: str | None = None,
    ) -> tuple[Objection, bool]:
        """File an objection. A member with one still pending for the same purpose gets
        that one back and nothing is recorded; one already upheld cannot be filed again
        (the member is out of the purpose already). Returns (the objection, whether it
        was already there)."""
        check_text("member_id", member_id, 128)
        objection_setting(self.policy, setting)
        text = _free_text("text", text, MAX_TEXT)
        check_text("source", source, 32)
        if language is not None:
            check_text("language", language, 16)
        cols = objections_table.c
        with self.ledger._write() as conn:
            # the head's lock serialises filings: two at once still make one pending row
            _lock_head(conn)
            earlier = conn.execute(
                select(objections_table)
                .where(cols.member_id == member_id, cols.setting == setting,
                       cols.status.in_(("pending", "upheld")))
                .order_by(cols.filed_us)
            ).fetchall()
            for row in earlier:
                found = _row(row)
                if found.status == "pending":
                    return found, True
                raise AlreadyAnswered(
                    f"your objection of {found.filed_at:%Y-%m-%d} to this purpose was upheld: "
                    "your data is already left out of it"
                )
            filed = self.ledger.clock().astimezone(dt.UTC)
            objection_id = str(uuid.uuid4())
            values = {
                "objection_id": objection_id, "member_id": member_id, "setting": setting,
                "text": text, "language": language, "jurisdiction": jurisdiction,
                "source": source, "policy_id": self.policy.id,
                "policy_version": self.policy.policy.version,
                "filed_us": to_us(filed), "due_us": to_us(one_month_after(filed)),
                "status": "pending", "decided_us": None, "decided_by": None, "reason": None,
                "event_receipt_id": None,
            }
            conn.execute(insert(objections_table).values(**values))
        found = self.get(objection_id)
        assert found is not None
        return found, False

    def get(self, objection_id: str) -> Objection | None:
        with self.ledger.engine.connect() as conn:
            row = conn.execute(select(objections_table).where(
                objections_table.c.objection_id == objection_id)).first()
        return None if row is None else _row(row)

    def of_member(self, member_id: str) -> list[Objection]:
        """The member's objections, newest first."""
        cols = objections_table.c
        with self.ledger.engine.connect() as conn:
            rows = conn.execute(select(objections_table).where(cols.member_id == member_id)
                                .order_by(cols.filed_us.desc())).fetchall()
        return [_row(r) for r in rows]

    def queue(self, status: Status | None = "pending", limit: int = 500) -> list[Objection]:
        """Objections by status (all when None): pending ones by due date, oldest first;
        answered ones newest answer first."""
        cols = objections_table.c
        query = select(objections_table)
        if status is not None:
            query = query.where(cols.status == status)
        if status == "pending":
            query = query.order_by(cols.due_us, cols.objection_id)
        else:
            query = query.order_by(cols.decided_us.desc(), cols.filed_us.desc())
        with self.ledger.engine.connect() as conn:
            rows = conn.execute(query.limit(limit)).fetchall()
        return [_row(r) for r in rows]

    def decide(
        self, objection_id: str, uphold: bool, reason: str, decided_by: str
    ) -> tuple[Objection, StoredEvent | None]:
        """Answer a pending objection, once. Upholding it appends the opt-out event (see
        the module's docstring) in the same transaction. Returns the answered objection and
        the event, if one was recorded."""
        reason = _free_text("reason", reason, MAX_REASON)
        check_text("decided_by", decided_by, 128)
        cols = objections_table.c
        with self.ledger._write() as conn:
            _lock_head(conn)
            row = conn.execute(select(objections_table)
                               .where(cols.objection_id == objection_id)).first()
            if row is None:
                raise UnknownObjection(f"no objection {objection_id}")
            found = _row(row)
            if found.status != "pending":
                raise AlreadyAnswered(
                    f"objection {objection_id} was already {found.status} on "
                    f"{found.decided_at:%Y-%m-%d %H:%M} UTC; an answer is given once"
                )
            event: StoredEvent | None = None
            if uphold:
                event = self.ledger._append_locked(conn, [NewEvent(
                    member_id=found.member_id, setting=found.setting, value=False,
                    source=OBJECTION_SOURCE, policy_id=self.policy.id,
                    policy_version=self.policy.policy.version,
                    notice_version=self.policy.policy.notice_version,
                    language=found.language, jurisdiction=found.jurisdiction,
                    effective_at=found.filed_at,
                )])[0]
            decided = self.ledger.clock().astimezone(dt.UTC)
            conn.execute(
                update(objections_table).where(cols.objection_id == objection_id,
                                               cols.status == "pending")
                .values(status="upheld" if uphold else "rejected", decided_us=to_us(decided),
                        decided_by=decided_by, reason=reason,
                        event_receipt_id=event.receipt_id if event else None)
            )
        answered = self.get(objection_id)
        assert answered is not None
        return answered, event
