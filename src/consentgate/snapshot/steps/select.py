"""Step 3, select: every record's decision as of T, counted by reason, region and kind; and
the used records with what data/ and lineage/ need."""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

from consentgate.engine.plan import Inputs, record_decisions
from consentgate.engine.transforms import record_uid
from consentgate.policy.model import Policy

DATA_COLUMNS = ("record_uid", "kind", "category", "created_at", "language", "author", "text")
LINEAGE_COLUMNS = ("record_uid", "record_id", "member_id", "source_fingerprint")


def decide_records(
    inputs: Inputs, policy: Policy, as_of: dt.datetime, members: ir.Table
) -> ir.Table:
    """One row per source record (no text): record_id, member_id, kind, region, language,
    category, reason."""
    return record_decisions(inputs, policy, as_of, members)


def count_records(decided: ir.Table) -> list[dict]:
    """Records by (reason, region, kind): what the report and the manifest count."""
    return (
        decided.group_by(["reason", "region", "kind"])
        .aggregate(n=ibis._.count())
        .to_pyarrow()
        .to_pylist()
    )


def used_records(
    inputs: Inputs, policy: Policy, as_of: dt.datetime, members: ir.Table,
    ordered: bool = True,
) -> ir.Table:
    """The used records with the data columns (text not yet redacted) and lineage's ids,
    in record_uid order (the order data/ and lineage/ are written in); ``ordered=False``
    leaves the order to the caller (who adds columns first: one sort, not two)."""
    with_text = record_decisions(
        inputs, policy, as_of, members,
        columns=("text", "created_at"), member_columns=("author",),
    )
    used = with_text.filter(with_text.reason == "used")
    used = used.select(
        record_uid=record_uid(used.record_id),
        kind=used.kind,
        category=used.category,
        created_at=used.created_at,
        language=used.language,
        author=used.author,
        text=used.text,
        record_id=used.record_id,
        member_id=used.member_id,
    )
    return used.order_by("record_uid") if ordered else used
