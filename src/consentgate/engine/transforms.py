"""What the plan does to the records it keeps: stable ids, pseudonyms, redaction.

Ids and pseudonyms are SQL hash functions, identical on both engines. Redaction is Python
(validators such as Luhn, IBAN and phonenumbers have no SQL equivalent), bound as a
vectorised UDF: Arrow batches on DuckDB, pandas batches (Arrow-backed) on Spark.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import pyarrow as pa

RECORD_UID_PREFIX = "consentgate/record/"
UID_HEX = 32


def record_uid(record_id: ir.StringValue) -> ir.StringValue:
    """Stable document id: a function of the platform's record id alone, so that it is the
    same in every snapshot and a takedown list keeps working across versions."""
    return (ibis.literal(RECORD_UID_PREFIX) + record_id).hexdigest("sha256").substr(0, UID_HEX)


def record_uid_py(record_id: str) -> str:
    return hashlib.sha256((RECORD_UID_PREFIX + record_id).encode()).hexdigest()[:UID_HEX]


def pseudonym(member_id: ir.StringValue, key: bytes) -> ir.StringValue:
    """Keyed pseudonym of the author: sha256(key-hex ':' member_id). Without the key, the
    member id cannot be recovered or tested for; with a new key, pseudonyms change."""
    return (ibis.literal(key.hex() + ":") + member_id).hexdigest("sha256").substr(0, UID_HEX)


def pseudonym_py(member_id: str, key: bytes) -> str:
    return hashlib.sha256((key.hex() + ":" + member_id).encode()).hexdigest()[:UID_HEX]


def spark_pseudonym(session, key: bytes):  # type: ignore[no-untyped-def]
    """``pseudonym`` on Spark without the key in the plan: a SQL literal would be in the
    query text, the plans Spark prints in errors and logs, and its event log. The key goes
    to the executors as a broadcast variable (shipped by block id, never printed) and a
    pandas UDF hashes there. Returns (udf, broadcast); destroy the broadcast when done."""
    import pandas as pd

    shared = session.sparkContext.broadcast(key)

    @ibis.udf.scalar.pandas
    def cg_pseudonym(member_id: str) -> str:
        prefix = shared.value.hex() + ":"
        out = [
            None if pd.isna(m)
            else hashlib.sha256((prefix + m).encode()).hexdigest()[:UID_HEX]
            for m in member_id
        ]
        return pd.Series(out, index=member_id.index, dtype=object)

    return cg_pseudonym, shared


def redact_udf(engine_name: str, classes: Sequence[str]):
    """A scalar UDF redacting the given classes, in the batch flavour each engine runs fast."""
    from consentgate.redaction import Redactor

    # a Redactor (the policy's, with its extra recognizers) or class names
    redactor = classes if isinstance(classes, Redactor) else Redactor(classes=tuple(classes))

    if engine_name == "duckdb":

        @ibis.udf.scalar.pyarrow
        def cg_redact(text: str) -> str:
            return redactor.redact_batch(text)

        return cg_redact

    import pandas as pd

    @ibis.udf.scalar.pandas
    def cg_redact_pd(text: str) -> str:
        out = redactor.redact_batch(pa.array(text, type=pa.string(), from_pandas=True))
        return pd.Series(out.to_pylist(), index=text.index, dtype=object)

    return cg_redact_pd
