"""The text index a build keeps for the next incremental build: ``reuse/texts.parquet``.

One row per data row, in the same (record_uid) order::

    record_uid     the record
    text_sha256    a keyed hash of the record's *source* text (null for a null text)
    n_<class>      values of each redaction class redacted in that text

``consentgate build --since`` reuses a record's redacted text from data/ only when its
record_uid and the hash of its source text today are both found here, and adds the stored
counts so that its report counts redactions as a full build does.

The hash is keyed (a key derived from the pseudonym key): a plain sha256 of a short text
beside its redacted form would let anyone holding the folder test guesses of what was
redacted (a phone number has few enough digits to try them all). It is restricted like
lineage/ all the same. The snapshot id does not derive from it (like the dataset card): the
id names the training data, and snapshots built before this file existed keep their ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa

TEXTS_FILE = "reuse/texts.parquet"
TEXTS_FOLDER = "reuse"

WRITER_OPTIONS = dict(compression="zstd", use_dictionary=False, write_statistics=["record_uid"])


def count_column(cls: str) -> str:
    return f"n_{cls}"


def texts_schema(classes: Iterable[str]) -> pa.Schema:
    return pa.schema([pa.field("record_uid", pa.string()), pa.field("text_sha256", pa.string()),
                      *(pa.field(count_column(c), pa.int32()) for c in classes)])


def text_key(key: bytes) -> str:
    """The hash key of source texts: derived from the pseudonym key, never the key itself
    (a text hash that leaked would then tell nothing about the pseudonyms)."""
    return hashlib.sha256(b"consentgate/text-hash/" + key).hexdigest()


def text_hash(text: ir.StringValue, key: bytes) -> ir.StringValue:
    """sha256(text key + ':' + text), in the engine; null for a null text."""
    return (ibis.literal(text_key(key) + ":") + text).hexdigest("sha256")


def spark_text_hash(session, key: bytes):  # type: ignore[no-untyped-def]
    """``text_hash`` on Spark without the text key in the plan (as the pseudonym, see
    ``engine.transforms.spark_pseudonym``): a literal would be in the query text, the plans
    and the event log, and whoever reads those and the snapshot could test guesses of the
    redacted values. The key goes to the executors as a broadcast variable and a pandas UDF
    hashes there. Returns (udf, broadcast); destroy the broadcast when done."""
    import pandas as pd

    shared = session.sparkContext.broadcast(text_key(key))

    @ibis.udf.scalar.pandas
    def cg_text_hash(text: str) -> str:
        prefix = shared.value + ":"
        out = [None if pd.isna(t) else hashlib.sha256((prefix + t).encode()).hexdigest()
               for t in text]
        return pd.Series(out, index=text.index, dtype=object)

    return cg_text_hash, shared


def text_hash_py(text: str | None, key: bytes) -> str | None:
    """``text_hash`` in Python (verify and tests)."""
    if text is None:
        return None
    return hashlib.sha256((text_key(key) + ":" + text).encode()).hexdigest()


def same_texts(index: Path, previous: Path, con=None) -> tuple[int, int]:
    """(records in both text indexes, those of them whose source-text hash is the same:
    both null counts as the same), read by DuckDB (``con``, or a connection of its own).
    The records of an incremental build that kept their previous text are the second
    figure: a text is reused exactly when its record_uid and hash are both found."""
    import duckdb

    own = con is None
    con = duckdb.connect() if own else con
    try:
        both, same = con.execute(
            """SELECT count(*), count(*) FILTER (WHERE c.text_sha256 IS NOT DISTINCT FROM
                                                p.text_sha256)
               FROM read_parquet($c) c JOIN read_parquet($p) p USING (record_uid)""",
            {"c": str(index), "p": str(previous)},
        ).fetchone()
    finally:
        if own:
            con.close()
    return both, same


def index_problem(index: Path, data: list[Path], classes: Iterable[str]) -> str | None:
    """Why the text index does not line up with data/ (None when it does): the columns a
    build needs, one row per data row, each record_uid once and in data. Checked before an
    incremental build joins it, so that a bad index can never duplicate or drop a row."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar=false")
        columns = {r[0] for r in con.execute(
            "DESCRIBE SELECT * FROM read_parquet($f)", {"f": str(index)}).fetchall()}
        missing = {"record_uid", "text_sha256", *map(count_column, classes)} - columns
        if missing:
            return f"{TEXTS_FILE} lacks the columns {', '.join(sorted(missing))}"
        rows, uids, data_rows, data_uids, joined = con.execute(
            """SELECT (SELECT count(*) FROM read_parquet($i)),
                      (SELECT count(DISTINCT record_uid) FROM read_parquet($i)),
                      (SELECT count(*) FROM read_parquet($d)),
                      (SELECT count(DISTINCT record_uid) FROM read_parquet($d)),
                      (SELECT count(*) FROM read_parquet($i) i
                       JOIN read_parquet($d) d USING (record_uid))""",
            {"i": str(index), "d": [str(p) for p in data]},
        ).fetchone()
    except duckdb.Error as exc:
        return f"{TEXTS_FILE} cannot be read ({exc})"
    finally:
        con.close()
    if not rows == uids == data_rows == data_uids == joined:
        return (f"{TEXTS_FILE} does not line up with data/ ({rows} rows, {uids} records; "
                f"data has {data_rows} rows, {data_uids} records, {joined} in both)")
    return None
