"""Check the whole log in one consistent read and say where it breaks.

One pass over the events, in one read transaction (writes going on meanwhile are not half
seen): each event's stored values are of the types the ledger writes, its content still gives
its leaf hash, its number follows, its recording time does not go back. The tree is rebuilt
from the leaves: every stored node must be the one the leaves give, the head row must hold the
rebuilt root, and every signed tree head must carry a valid signature of a trusted key and the
root of the tree at its size. A head kept from earlier (``since``) must be consistent with the
log now, which a consistency proof from the stored nodes shows; a log rewritten, truncated or
replaced since that head fails, even with every hash recomputed, unless its key signed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.engine import Connection

from consentgate.ledger import merkle
from consentgate.ledger.chain import GENESIS_HASH, StoredEvent
from consentgate.ledger.errors import LedgerError
from consentgate.ledger.models import events_table, nodes_table
from consentgate.ledger.signing import TreeHead
from consentgate.ledger.store import Ledger, TamperedRow, _row_to_event

MAX_PROBLEMS = 100


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None  # the event where the problem shows; None for the head and the tree
    receipt_id: str | None
    # edited | missing | out_of_order | head_mismatch | head_missing | node_mismatch |
    # signature | tree_head | truncated | inconsistent | other_log
    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class VerifyReport:
    events: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH  # the root of the rebuilt tree
    frontier: str = ""  # the rebuilt tree's right edge (hex), as the head row keeps it
    log_id: str = ""
    signed_heads: int = 0  # signed tree heads checked
    latest_signed: TreeHead | None = None
    keys: str = "ledger"  # where the trusted keys came from: "ledger" or "pinned"
    since: TreeHead | None = None  # the (last) kept head checked for consistency, if any
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


def verify_ledger(
    ledger: Ledger,
    since: TreeHead | list[TreeHead] | None = None,
    trusted_keys: dict[str, Ed25519PublicKey] | None = None,
    pins: dict[int, str] | None = None,
) -> VerifyReport:
    """Check the log in one read transaction; ``since``: a signed head kept from earlier;
    ``trusted_keys``: the keys to check signatures with (default: the ones the ledger holds,
    which proves less); ``pins``: tree sizes whose roots were recorded elsewhere (a snapshot's
    manifest) and must still be the log's."""
    with ledger.read() as conn:
        return verify_in(ledger, conn, since, trusted_keys, pins)


def verify_in(
    ledger: Ledger,
    conn: Connection,
    since: TreeHead | list[TreeHead] | None = None,
    trusted_keys: dict[str, Ed25519PublicKey] | None = None,
    pins: dict[int, str] | None = None,
) -> VerifyReport:
    """``verify_ledger`` inside a read transaction the caller holds (``Ledger.read()``), so
    that what it goes on to read is what was checked."""
    report = VerifyReport(keys="pinned" if trusted_keys is not None else "ledger")
    try:
        head = ledger.head(conn)
    except LedgerError:
        head = None
    keys = trusted_keys if trusted_keys is not None else _ledger_keys(ledger, conn, report)
    signed = ledger.tree_heads(conn) if head is not None else []
    pins = pins or {}
    kept = [since] if isinstance(since, TreeHead) else list(since or [])
    sizes = {h.tree_size for h in signed} | set(pins) | {h.tree_size for h in kept}
    roots = _walk_events(ledger, conn, report, sizes)
    if head is None:
        report.add(ChainProblem(None, None, "head_missing",
                                "the head row (ledger_head) is missing: it was deleted"))
        return report
    report.log_id = head.log_id
    _check_head_row(head.seq, head.hash, report)
    if head.seq == report.head_seq and head.frontier != report.frontier:
        report.add(ChainProblem(None, None, "head_mismatch",
                                "the ledger head's record of the tree's right edge is not the "
                                "rebuilt tree's: changed behind the ledger's back"))
    _check_signed_heads(signed, keys, roots, report)
    for size, root in sorted(pins.items()):
        if size > report.head_seq:
            report.add(ChainProblem(None, None, "truncated",
                                    f"a tree of {size} events was recorded, the log now holds "
                                    f"{report.head_seq}: events were removed from the end"))
        elif roots.get(size) != root:
            report.add(ChainProblem(None, None, "inconsistent",
                                    f"the log's first {size} events no longer give the root "
                                    "recorded then: history was rewritten"))
    for earlier in kept:
        report.since = earlier
        _check_since(ledger, conn, earlier, keys, roots, head.log_id, report)
    return report


def _ledger_keys(ledger: Ledger, conn: Connection, report: VerifyReport) -> dict:
    try:
        return ledger.public_keys(conn)  # type: ignore[return-value]
    except LedgerError as exc:
        report.add(ChainProblem(None, None, "signature", f"the ledger's key table: {exc}"))
        return {}


def _walk_events(
    ledger: Ledger, conn: Connection, report: VerifyReport, sizes: set[int]
) -> dict[int, str]:
    """Check every event and rebuild the tree; returns the root at each size of ``sizes``
    that the log reaches (0 included)."""
    frontier = merkle.Frontier()
    computed: list[list[bytes]] = []  # inner nodes by level, index = position
    roots: dict[int, str] = {0: GENESIS_HASH} if 0 in sizes else {}
    expected_seq, last_seq = 1, 0
    prev_recorded = None
    result = conn.execution_options(yield_per=5000).execute(
        select(events_table).order_by(events_table.c.seq))
    for row in result:
        report.events += 1
        if type(row.seq) is not int:
            report.add(ChainProblem(None, row.receipt_id, "edited",
                                    f"an event numbered {row.seq!r}, not an integer: changed "
                                    "behind the ledger's back"))
            continue
        try:
            event: StoredEvent | None = _row_to_event(row)
        except TamperedRow as exc:
            report.add(ChainProblem(row.seq, row.receipt_id, "edited", str(exc)))
            event = None
        where = _where(row.seq, row.receipt_id)
        if row.seq > expected_seq:
            missing = (f"#{expected_seq}" if row.seq == expected_seq + 1
                       else f"#{expected_seq} to #{row.seq - 1}")
            report.add(ChainProblem(row.seq, row.receipt_id, "missing",
                                    f"event {missing} missing before {where}: deleted"))
        elif row.seq < expected_seq:
            report.add(ChainProblem(row.seq, row.receipt_id, "out_of_order",
                                    f"{where} is numbered out of sequence"))
        if event is not None:
            if event.computed_hash() != event.hash:
                report.add(ChainProblem(row.seq, row.receipt_id, "edited",
                                        f"{where} was changed after it was recorded: its "
                                        "content no longer matches its leaf hash"))
            if prev_recorded is not None and event.recorded_at <= prev_recorded:
                report.add(ChainProblem(row.seq, row.receipt_id, "out_of_order",
                                        f"{where} is recorded no later than the event before "
                                        "it: events were reordered"))
            prev_recorded = event.recorded_at
        try:
            leaf = bytes.fromhex(row.hash)
            if len(leaf) != 32:
                raise ValueError
        except (TypeError, ValueError):
            report.add(ChainProblem(row.seq, row.receipt_id, "edited",
                                    f"{where}: its leaf hash is not a SHA-256 hash"))
            leaf = bytes(32)
        for level, idx, digest in frontier.append(leaf)[1:]:
            while len(computed) < level:
                computed.append([])
            computed[level - 1].append(digest)
            assert len(computed[level - 1]) == idx + 1
        if frontier.size in sizes:
            roots[frontier.size] = frontier.root().hex()
        last_seq = row.seq
        expected_seq = row.seq + 1
    report.head_seq = last_seq
    report.head_hash = frontier.root().hex()
    report.frontier = "".join(h.hex() for h in frontier.hashes())
    _check_nodes(conn, computed, report)
    if conn.dialect.name == "sqlite":
        _check_storage_types(conn, report)
    return roots


# SQLite keeps whatever type a row was given, and the driver layer turns some of them into
# what they resemble (2 or 'yes' into True): the stored types themselves are checked here.
_SQLITE_TYPES = """
SELECT seq, receipt_id FROM ledger_events
WHERE typeof(seq) <> 'integer' OR typeof(value) <> 'integer' OR value NOT IN (0, 1)
   OR typeof(effective_us) <> 'integer' OR typeof(recorded_us) <> 'integer'
   OR typeof(receipt_id) <> 'text' OR typeof(member_id) <> 'text'
   OR typeof(setting) <> 'text' OR typeof(source) <> 'text' OR typeof(policy_id) <> 'text'
   OR typeof(policy_version) <> 'text' OR typeof(hash) <> 'text'
   OR typeof(notice_version) NOT IN ('text', 'null') OR typeof(language) NOT IN ('text', 'null')
   OR typeof(jurisdiction) NOT IN ('text', 'null')
ORDER BY seq
"""


def _check_storage_types(conn: Connection, report: VerifyReport) -> None:
    already = {p.seq for p in report.problems if p.kind == "edited"}
    for seq, receipt_id in conn.exec_driver_sql(_SQLITE_TYPES):
        if seq in already:
            continue
        report.add(ChainProblem(seq if type(seq) is int else None, receipt_id, "edited",
                                f"event #{seq} (receipt {receipt_id}) holds a value of a type "
                                "the ledger never writes: changed behind the ledger's back"))


def _check_nodes(conn: Connection, computed: list[list[bytes]], report: VerifyReport) -> None:
    cols = nodes_table.c
    seen = [0] * len(computed)
    for level, idx, stored in conn.execution_options(yield_per=5000).execute(
            select(cols.level, cols.idx, cols.hash).order_by(cols.level, cols.idx)):
        if not 1 <= level <= len(computed) or idx >= len(computed[level - 1]) or idx < 0:
            report.add(ChainProblem(None, None, "node_mismatch",
                                    f"tree node (level {level}, index {idx}) does not belong "
                                    "to the log's tree: added behind the ledger's back, or "
                                    "events were removed"))
            continue
        seen[level - 1] += 1
        if stored != computed[level - 1][idx].hex():
            report.add(ChainProblem(None, None, "node_mismatch",
                                    f"tree node (level {level}, index {idx}) is not the hash "
                                    "of its leaves: changed behind the ledger's back"))
    for level, nodes in enumerate(computed, start=1):
        if seen[level - 1] < len(nodes):
            report.add(ChainProblem(None, None, "node_mismatch",
                                    f"{len(nodes) - seen[level - 1]} tree node(s) of level "
                                    f"{level} are missing: deleted behind the ledger's back"))


def _check_head_row(seq: int, root: str, report: VerifyReport) -> None:
    last = report.head_seq
    if seq == last and root == report.head_hash:
        return
    if seq > last:
        detail = (f"events after #{last} up to #{seq} were deleted from the end" if last
                  else f"all {seq} events were deleted")
    elif seq < last:
        detail = (f"events #{seq + 1} to #{last} were added behind the ledger's back"
                  if last > seq + 1 else f"event #{last} was added behind the ledger's back")
    else:
        detail = "its root is not the root of the events: an event was changed or replaced"
    report.add(ChainProblem(None, None, "head_mismatch",
                            f"the ledger head names a tree of {seq} events but the log holds "
                            f"{last}: {detail}"))


def _check_signed_heads(
    signed: list[TreeHead], keys: dict, roots: dict[int, str], report: VerifyReport
) -> None:
    previous: TreeHead | None = None
    for head in signed:
        report.signed_heads += 1
        try:
            head.check(keys)
        except LedgerError as exc:
            report.add(ChainProblem(None, None, "signature", str(exc)))
        if head.tree_size > report.head_seq:
            report.add(ChainProblem(None, None, "truncated",
                                    f"a signed tree head covers {head.tree_size} events but "
                                    f"the log holds {report.head_seq}: events were removed "
                                    "from the end"))
        elif roots.get(head.tree_size) != head.root_hash:
            report.add(ChainProblem(None, None, "inconsistent",
                                    f"the signed tree head of size {head.tree_size} has a "
                                    "root the log's first events no longer give: history was "
                                    "rewritten"))
        if previous is not None and (head.tree_size < previous.tree_size
                                     or head.timestamp_us < previous.timestamp_us):
            report.add(ChainProblem(None, None, "tree_head",
                                    f"signed tree head of size {head.tree_size} comes after "
                                    f"one of size {previous.tree_size}: heads go back"))
        previous = head
    report.latest_signed = previous


def _check_since(
    ledger: Ledger, conn: Connection, since: TreeHead, keys: dict, roots: dict[int, str],
    log_id: str, report: VerifyReport,
) -> None:
    size = report.head_seq
    if since.log_id != log_id:
        report.add(ChainProblem(None, None, "other_log",
                                f"the kept tree head is of log {since.log_id}, this ledger is "
                                f"log {log_id}: it was replaced by another one"))
    try:
        since.check(keys)
    except LedgerError as exc:
        report.add(ChainProblem(None, None, "signature", f"the kept head: {exc}"))
    if since.tree_size > size:
        report.add(ChainProblem(None, None, "truncated",
                                f"the kept tree head covers {since.tree_size} events, the log "
                                f"now holds {size}: events were removed from the end"))
        return
    # The proof, as anyone holding only the two heads would check it; the nodes it uses are
    # the stored ones, the current root is the one rebuilt from the leaves.
    try:
        proof = [bytes.fromhex(h) for h in ledger.consistency_proof(since.tree_size, size, conn)]
        merkle.verify_consistency(since.tree_size, size, bytes.fromhex(since.root_hash),
                                  bytes.fromhex(report.head_hash), proof)
    except (merkle.ProofError, LedgerError, ValueError) as exc:
        report.add(ChainProblem(None, None, "inconsistent",
                                f"no consistency from the kept tree head (size "
                                f"{since.tree_size}) to the log now (size {size}): {exc}"))
        return
    if roots.get(since.tree_size) != since.root_hash:  # belt and braces: the leaves agree
        report.add(ChainProblem(None, None, "inconsistent",
                                f"the log's first {since.tree_size} events no longer give the "
                                "kept tree head's root: history was rewritten"))
