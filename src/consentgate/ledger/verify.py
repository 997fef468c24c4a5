"""Walk the chain and say where it breaks.

Each event is checked on its own (its content still gives its hash) and against its
neighbour (it points at the previous event's hash, its number follows, its recording time does
not go back). The head row must name the last event, so that events removed from the end, or
added after it behind the ledger's back, are found too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from consentgate.ledger.chain import GENESIS_HASH
from consentgate.ledger.errors import LedgerError
from consentgate.ledger.store import Ledger

MAX_PROBLEMS = 100


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None  # the event where the problem shows; None for the head
    receipt_id: str | None
    kind: str  # edited | missing | broken_link | out_of_order | head_mismatch | head_missing
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class VerifyReport:
    events: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    problems: list[ChainProblem] = field(default_factory=list)
    truncated: bool = False  # more problems than MAX_PROBLEMS

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: ChainProblem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.truncated = True


def _where(seq: int, receipt_id: str) -> str:
    return f"event #{seq} (receipt {receipt_id})"


def verify_ledger(ledger: Ledger) -> VerifyReport:
    report = VerifyReport()
    expected_seq = 1
    prev_hash = GENESIS_HASH
    prev_recorded = None
    last_seq, last_hash = 0, GENESIS_HASH
    for event in ledger.iter_events():
        report.events += 1
        where = _where(event.seq, event.receipt_id)
        if event.seq > expected_seq:
            missing = (
                f"#{expected_seq}"
                if event.seq == expected_seq + 1
                else f"#{expected_seq} to #{event.seq - 1}"
            )
            report.add(ChainProblem(event.seq, event.receipt_id, "missing",
                                    f"event {missing} missing before {where}: deleted"))
        elif event.seq < expected_seq:
            report.add(ChainProblem(event.seq, event.receipt_id, "out_of_order",
                                    f"{where} is numbered out of sequence"))
        if event.computed_hash() != event.hash:
            report.add(ChainProblem(event.seq, event.receipt_id, "edited",
                                    f"{where} was changed after it was recorded: its content "
                                    "no longer matches its hash"))
        if event.prev_hash != prev_hash:
            report.add(ChainProblem(event.seq, event.receipt_id, "broken_link",
                                    f"{where} does not follow event #{last_seq}: the event "
                                    "before it was changed, deleted, inserted or moved"))
        if prev_recorded is not None and event.recorded_at <= prev_recorded:
            report.add(ChainProblem(event.seq, event.receipt_id, "out_of_order",
                                    f"{where} is recorded no later than the event before it: "
                                    "events were reordered"))
        # Go on from the stored hash: one edited event is reported once, not at every
        # event after it.
        prev_hash, prev_recorded = event.hash, event.recorded_at
        last_seq, last_hash = event.seq, event.hash
        expected_seq = event.seq + 1
    try:
        head = ledger.head()
    except LedgerError:
        report.add(ChainProblem(None, None, "head_missing",
                                "the head row (ledger_head) is missing: it was deleted"))
        return report
    report.head_seq, report.head_hash = head.seq, head.hash
    if head.seq != last_seq or head.hash != last_hash:
        if head.seq > last_seq:
            detail = (f"events after #{last_seq} up to #{head.seq} were deleted from the end"
                      if last_seq else f"all {head.seq} events were deleted")
        elif head.seq < last_seq:
            detail = (f"events #{head.seq + 1} to #{last_seq} were added behind the ledger's "
                      "back" if last_seq > head.seq + 1
                      else f"event #{last_seq} was added behind the ledger's back")
        else:
            detail = f"the last event #{last_seq} is not the one the head recorded"
        report.add(ChainProblem(None, None, "head_mismatch",
                                f"the ledger head names event #{head.seq} but the chain ends at "
                                f"#{last_seq}: {detail}"))
    return report
