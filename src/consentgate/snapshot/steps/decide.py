"""Step 2, decide: every member's decision as of T, by the engine plan, materialised once
with the author pseudonym (computed per member, not per record)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ibis

from consentgate.engine.backends import Engine
from consentgate.engine.plan import Inputs, member_decisions
from consentgate.engine.transforms import pseudonym, spark_pseudonym
from consentgate.policy.model import Policy


@dataclass(frozen=True)
class MemberStep:
    table: ibis.Table  # member_id, region, language, setting, member_reason, author
    counts: list[dict]  # {member_reason, region, n}


def decide_members(
    engine: Engine, inputs: Inputs, policy: Policy, as_of: dt.datetime, key: bytes,
    purpose: str | None = None,
) -> MemberStep:
    decided = member_decisions(inputs, policy, as_of, purpose)
    shared = None
    if not policy.redaction.pseudonymize_author:
        author = decided.member_id
    elif engine.name == "spark":
        udf, shared = spark_pseudonym(engine.con._session, key)
        author = udf(decided.member_id)
    else:
        author = pseudonym(decided.member_id, key)
    try:
        table = engine.materialize(decided.mutate(author=author), "member_decisions")
    finally:
        if shared is not None:  # the pseudonyms are written: the key leaves the executors
            shared.destroy()
    counts = (
        table.group_by(["member_reason", "region"])
        .aggregate(n=ibis._.count())
        .to_pyarrow()
        .to_pylist()
    )
    return MemberStep(table, counts)
