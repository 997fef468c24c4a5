"""Objections in the ledger, on SQLite and on PostgreSQL: filed once while pending, answered
once (also when two administrators answer at the same moment), an upheld one is an event of
the log effective at the filing, and the database refuses rewriting an answer. Also the
once-only record of a signal (GPC) under concurrent writers."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from consentgate.ledger import Ledger, NewEvent
from consentgate.ledger.errors import EventRejected
from consentgate.ledger.objections import AlreadyAnswered, ObjectionError, Objections
from consentgate.ledger.verify import verify_ledger

OTHER_AI = "other_ai_uses"


def race(n: int, target, *args_of) -> None:  # type: ignore[no-untyped-def]
    """Run ``target`` in ``n`` threads released at once (``args_of(i)``: the i-th's args)."""
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        barrier.wait()
        target(*(args_of[0](i) if args_of else ()))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_file_then_uphold(ledger: Ledger, policy) -> None:  # type: ignore[no-untyped-def]
    objections = Objections(ledger, policy)
    first, already = objections.file("m1", OTHER_AI, "  my grounds\n  ", language="fr",
                                     jurisdiction="FR")
    assert not already and first.status == "pending" and first.text == "my grounds"
    again, already = objections.file("m1", OTHER_AI, "other words")
    assert already and again.objection_id == first.objection_id
    assert objections.queue() == [first]
    answered, event = objections.decide(first.objection_id, True, "upheld: fine", "dpo")
    assert answered.status == "upheld" and answered.decided_by == "dpo"
    assert event is not None and event.effective_at == first.filed_at
    assert (event.setting, event.value, event.source, event.jurisdiction) == (
        OTHER_AI, False, "objection", "FR")
    assert answered.event_receipt_id == event.receipt_id
    assert ledger.history("m1") == [event]
    assert verify_ledger(ledger).ok
    with pytest.raises(AlreadyAnswered):
        objections.decide(first.objection_id, False, "changed my mind", "dpo")
    with pytest.raises(AlreadyAnswered):
        objections.file("m1", OTHER_AI, "again")
    assert objections.queue() == [] and objections.queue("upheld") == [answered]


def test_bad_filings(ledger: Ledger, policy) -> None:  # type: ignore[no-untyped-def]
    objections = Objections(ledger, policy)
    with pytest.raises(ObjectionError, match="objection purposes: other_ai_uses"):
        objections.file("m1", "data_for_genai_improvement", "x")
    for text in ("", "   ", "a\x07b", "x" * 5001, None):
        with pytest.raises(EventRejected):
            objections.file("m1", OTHER_AI, text)  # type: ignore[arg-type]
    pending, _ = objections.file("m1", OTHER_AI, "x")
    with pytest.raises(EventRejected):
        objections.decide(pending.objection_id, True, "", "dpo")  # a reason is required
    assert objections.get(pending.objection_id).status == "pending"


def test_two_administrators_answer_at_once(ledger: Ledger, policy) -> None:  # type: ignore[no-untyped-def]
    objections = Objections(ledger, policy)
    filed, _ = objections.file("m2", OTHER_AI, "grounds")
    outcomes: list[str] = []

    def answer(uphold: bool) -> None:
        other = Ledger(ledger.engine.url.render_as_string(hide_password=False))
        try:
            Objections(other, policy).decide(filed.objection_id, uphold, "r", "admin")
            outcomes.append("answered")
        except AlreadyAnswered:
            outcomes.append("refused")
        finally:
            other.close()

    race(6, answer, lambda i: (i % 2 == 0,))
    assert sorted(outcomes) == ["answered"] + ["refused"] * 5
    final = objections.get(filed.objection_id)
    events = ledger.history("m2")
    assert len(events) == (1 if final.status == "upheld" else 0)


def test_concurrent_filings_make_one(ledger: Ledger, policy) -> None:  # type: ignore[no-untyped-def]
    ids: list[str] = []

    def file() -> None:
        other = Ledger(ledger.engine.url.render_as_string(hide_password=False))
        try:
            ids.append(Objections(other, policy).file("m3", OTHER_AI, "g")[0].objection_id)
        finally:
            other.close()

    race(5, file)
    assert len(set(ids)) == 1
    assert len(Objections(ledger, policy).of_member("m3")) == 1


def test_record_once_under_concurrent_writers(ledger: Ledger, policy) -> None:  # type: ignore[no-untyped-def]
    event = NewEvent(member_id="us1", setting="data_sharing", value=False, source="gpc",
                     policy_id=policy.id, policy_version=policy.policy.version)
    fresh: list[bool] = []

    def record() -> None:
        other = Ledger(ledger.engine.url.render_as_string(hide_password=False))
        try:
            fresh.append(not other.record_once(event)[1])
        finally:
            other.close()

    race(6, record)
    assert sorted(fresh) == [False] * 5 + [True]
    assert len(ledger.history("us1")) == 1
    with pytest.raises(EventRejected):
        ledger.record_once(NewEvent(**{**event.__dict__,
                                       "effective_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}))


def test_the_database_refuses_rewriting_an_answer(ledger: Ledger, policy) -> None:  # type: ignore[no-untyped-def]
    objections = Objections(ledger, policy)
    filed, _ = objections.file("m4", OTHER_AI, "grounds")
    engine = sa.create_engine(ledger.engine.url)
    try:
        with engine.begin() as conn, pytest.raises(sa.exc.DatabaseError):
            conn.execute(sa.text("UPDATE ledger_objections SET text = 'other'"))
        objections.decide(filed.objection_id, False, "no", "dpo")
        with engine.begin() as conn, pytest.raises(sa.exc.DatabaseError, match="answered once"):
            conn.execute(sa.text("UPDATE ledger_objections SET reason = 'yes'"))
        with engine.begin() as conn, pytest.raises(sa.exc.DatabaseError, match="never deleted"):
            conn.execute(sa.text("DELETE FROM ledger_objections"))
    finally:
        engine.dispose()
    assert objections.get(filed.objection_id).reason == "no"
