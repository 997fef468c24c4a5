"""Step (purge, withdrawals): what a build at T2 would no longer include of a snapshot.

Every record of an existing snapshot (its lineage) is decided again as of T2 by the engine
plan, with the same policy and today's source and consent: a record still used at T2 stays;
any other is *withdrawn*, with the reason a build at T2 gives (``opted_out``, ``deleted``,
``erasure``, ``record_deleted``, …, or ``not_in_source`` when the source no longer holds
it). The withdrawal list names records by ``record_uid`` only, the id the snapshot's data
carries, so that teams holding copies of the data can apply it without the lineage.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from consentgate.engine.backends import Engine
from consentgate.engine.plan import Inputs, member_decisions, record_decisions
from consentgate.policy.model import Policy
from consentgate.snapshot.manifest import lineage_files

NOT_IN_SOURCE = "not_in_source"
WITHDRAWALS_SCHEMA = pa.schema([("record_uid", pa.string()), ("reason", pa.string())])


@dataclass(frozen=True)
class Withdrawal:
    """Every record of the snapshot decided again at T2, kept in a Parquet file (record_uid
    order: record_uid, member_id, kind, reason, region, member_reason) so that memory holds
    only the withdrawn records, not the whole snapshot."""

    decisions: Path

    def _sql(self, query: str) -> pa.Table:
        import duckdb

        con = duckdb.connect()
        try:
            con.execute("SET enable_progress_bar=false")
            return con.sql(query, params={"f": str(self.decisions)}).to_arrow_table()
        finally:
            con.close()

    @property
    def withdrawn(self) -> pa.Table:
        """The records a build at T2 would no longer include: record_uid, reason."""
        table = self._sql(
            "SELECT record_uid, reason FROM read_parquet($f) WHERE reason <> 'used' "
            "ORDER BY record_uid"
        )
        return table.cast(WITHDRAWALS_SCHEMA)

    def by_reason(self) -> dict[str, int]:
        rows = self._sql(
            "SELECT reason, count(*) AS n FROM read_parquet($f) WHERE reason <> 'used' "
            "GROUP BY reason ORDER BY n DESC, reason"
        ).to_pylist()
        return {r["reason"]: r["n"] for r in rows}

    def counts(self) -> tuple[list[dict], list[dict]]:
        """(member counts, record counts) over the snapshot's records, as the report takes
        them: a record is ``used`` if kept, else out for its reason at T2; a member is used
        if any of their records is kept, else out for their reason at T2 (or, when that is
        ``used``, the reason of their first withdrawn record)."""
        records = self._sql(
            "SELECT reason, region, kind, count(*) AS n FROM read_parquet($f) "
            "GROUP BY ALL ORDER BY ALL"
        ).to_pylist()
        members = self._sql(
            """
            SELECT CASE WHEN bool_or(reason = 'used') THEN 'used'
                        WHEN any_value(member_reason) IS NOT NULL
                             AND any_value(member_reason) <> 'used' THEN any_value(member_reason)
                        ELSE arg_min(reason, record_uid) END AS member_reason,
                   any_value(region) AS region
            FROM read_parquet($f) GROUP BY member_id
            """
        )
        member_counts = (
            members.group_by(["member_reason", "region"])
            .aggregate([("member_reason", "count")])
            .rename_columns(["member_reason", "region", "n"])
            .to_pylist()
        )
        return member_counts, records

    def withdrawn_uids(self) -> np.ndarray:
        """The withdrawn record_uids, sorted, as fixed-width bytes (for ``is_withdrawn``)."""
        uids = self.withdrawn["record_uid"].to_numpy(zero_copy_only=False).astype("S")
        uids.sort()
        return uids


def decide_again(
    engine: Engine, inputs: Inputs, policy: Policy, as_of: dt.datetime, snapshot: Path
) -> Withdrawal:
    """Each record of ``snapshot`` with the decision a build at ``as_of`` gives it, written
    under the engine's work folder."""
    from ibis import _

    files = lineage_files(snapshot)
    if not files:
        raise FileNotFoundError(f"{snapshot}: no lineage (lineage/part-*.parquet) to withdraw from")
    import json

    manifest = json.loads((Path(snapshot) / "manifest.json").read_text())
    # decided again for the purpose the snapshot was built for
    purpose = (manifest.get("purpose") or {}).get("setting")
    members = engine.materialize(member_decisions(inputs, policy, as_of, purpose),
                                 "t2_members")
    lineage = engine.read_parquet(files, "snapshot_lineage")
    # only the snapshot's records are decided again: the join below then holds as many rows
    # as the snapshot, not as the whole source (memory stays under the engine's limit)
    ids = lineage.view().select(s_record_id=_.record_id)
    records = inputs.records.filter(inputs.records.record_id.isin(ids.s_record_id))
    decided = record_decisions(replace(inputs, records=records), policy, as_of, members)
    md = members.select(mm_member_id=_.member_id, member_reason=_.member_reason,
                        m_region=_.region)
    d = decided.select(d_record_id=_.record_id, d_reason=_.reason, d_region=_.region,
                       d_kind=_.kind)
    j = lineage.left_join(d, lineage.record_id == d.d_record_id).left_join(
        md, lineage.member_id == md.mm_member_id
    )
    expr = j.select(
        record_uid=j.record_uid,
        member_id=j.member_id,
        kind=j.d_kind.fill_null(f"({NOT_IN_SOURCE})"),
        reason=j.d_reason.fill_null(NOT_IN_SOURCE),
        region=j.d_region.fill_null(j.m_region),
        member_reason=j.member_reason,
    ).order_by("record_uid")
    path = engine.workdir / "t2_decisions.parquet"
    if engine.name == "duckdb":
        engine.con.to_parquet(expr, path)
    else:  # Spark writes a folder of parts: one file of them, streamed, in order
        import duckdb

        folder = engine.workdir / "t2_decisions"
        engine.con.to_parquet(expr, folder)
        con = duckdb.connect()
        try:
            con.execute(
                f"COPY (SELECT * FROM read_parquet('{folder}/part-*.parquet') "
                f"ORDER BY record_uid) TO '{path}' (FORMAT parquet)"
            )
        finally:
            con.close()
    return Withdrawal(path)


def is_withdrawn(uids: pa.Array | pa.ChunkedArray, withdrawn: np.ndarray) -> np.ndarray:
    """A boolean mask: which of ``uids`` are in the sorted array ``withdrawn``."""
    values = uids.to_numpy(zero_copy_only=False).astype("S")
    if len(withdrawn) == 0:
        return np.zeros(len(values), dtype=bool)
    pos = np.searchsorted(withdrawn, values)
    found = withdrawn[np.minimum(pos, len(withdrawn) - 1)] == values
    return (pos < len(withdrawn)) & found


def write_withdrawals(withdrawal: Withdrawal, out: Path) -> int:
    """The takedown list, as Parquet (record_uid, reason), published atomically; an
    existing file is never overwritten. Returns the number of records listed."""
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"{out} already exists: a withdrawal list is never overwritten")
    if not out.parent.is_dir():
        raise FileNotFoundError(f"{out.parent}: no such folder")
    table = withdrawal.withdrawn
    tmp = out.parent / f".{out.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.partial"
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if out.exists():
            raise FileExistsError(f"{out} appeared meanwhile: not overwritten")
        os.rename(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return table.num_rows
