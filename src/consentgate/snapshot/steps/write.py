"""Step 5, write: data/ and lineage/ side by side, then the per-member usage index.

data/part-*.parquet     record_uid, kind, category, created_at, language, author, text
lineage/part-*.parquet  record_uid, record_id, member_id, source_fingerprint (restricted)
reuse/texts.parquet     record_uid, keyed hash of the source text, values redacted per
                        class (restricted; DuckDB builds): what the next incremental build
                        reuses (``snapshot.texts``)
usage/members.parquet   member_id, kind, category, records, first/last created_at
                        (restricted, like lineage/): one row per member and kind, sorted
                        by member, in
                        small row groups with min/max statistics, so that "was this
                        member used?" reads one row group of a snapshot, not all of it.
"""

from __future__ import annotations

import shutil
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from consentgate.engine.backends import Engine
from consentgate.snapshot.manifest import data_files, lineage_files
from consentgate.snapshot.reuse import PreviousTexts, Reuse
from consentgate.snapshot.steps.redact import StreamRedactor
from consentgate.snapshot.steps.select import DATA_COLUMNS
from consentgate.snapshot.texts import TEXTS_FILE, texts_schema
from consentgate.snapshot.texts import WRITER_OPTIONS as TEXTS_WRITER_OPTIONS
from consentgate.snapshot.usage_index import write_usage_index

__all__ = ["copy_kept", "write_batches", "write_duckdb", "write_spark", "write_usage_index"]

STREAM_BATCH_ROWS = 100_000

# Dictionary encoding only where values repeat; no min/max statistics on free text.
WRITER_OPTIONS = dict(
    compression="zstd",
    use_dictionary=["kind", "category", "language", "author", "source_fingerprint"],
    write_statistics=["record_uid", "kind", "category", "created_at", "language", "author",
                      "record_id", "member_id"],
)


@dataclass(frozen=True)
class Written:
    rows: int
    redactions: dict[str, int]  # values redacted, per class (reused texts' counts included)
    reused: int = 0  # texts taken from the previous snapshot (incremental builds)
    redacted: int = 0  # texts that went through redaction


def _schemas(schema: pa.Schema) -> tuple[pa.Schema, pa.Schema]:
    data = pa.schema([schema.field(c) for c in DATA_COLUMNS])
    lineage = pa.schema([schema.field("record_uid"), schema.field("record_id"),
                         schema.field("member_id"), pa.field("source_fingerprint", pa.string())])
    return data, lineage


def write_batches(
    tmp: Path,
    batches: Iterable[pa.RecordBatch],
    schema: pa.Schema,
    fingerprint: str,
    redactor: StreamRedactor,
    done: Callable[[int], None] = lambda _n: None,
    previous: PreviousTexts | None = None,
) -> Written:
    """Write lineage as the batches come and data once each is redacted, keeping their
    order; ``schema`` holds the data columns plus record_id and member_id.

    With a ``text_sha256`` column, the text index (``reuse/texts.parquet``) is written
    beside them. With ``previous`` (an incremental build; the batches then need
    ``text_sha256``), rows whose text is found in the previous snapshot reach the redactor
    with a null text (so it skips them) and get the previous redacted text and counts back
    here."""
    data_schema, lineage_schema = _schemas(schema)
    keep_texts = "text_sha256" in schema.names
    if previous is not None and not keep_texts:
        raise ValueError("reusing texts needs the text_sha256 column")
    classes = tuple(redactor.classes)
    index_schema = texts_schema(classes)
    (tmp / "data").mkdir(parents=True, exist_ok=True)
    (tmp / "lineage").mkdir(parents=True, exist_ok=True)
    written = reused = 0
    totals = dict.fromkeys(classes, 0)
    fp = pa.scalar(fingerprint, pa.string())
    reuses: deque[Reuse] = deque()  # one per batch in the redactor, in the same order
    with ExitStack() as stack:
        data_w = stack.enter_context(pq.ParquetWriter(
            tmp / "data" / "part-00000.parquet", data_schema, **WRITER_OPTIONS))
        lineage_w = stack.enter_context(pq.ParquetWriter(
            tmp / "lineage" / "part-00000.parquet", lineage_schema, **WRITER_OPTIONS))
        texts_w = None
        if keep_texts:
            (tmp / TEXTS_FILE).parent.mkdir(parents=True, exist_ok=True)
            texts_w = stack.enter_context(pq.ParquetWriter(
                tmp / TEXTS_FILE, index_schema, **TEXTS_WRITER_OPTIONS))

        def put(pairs) -> None:
            nonlocal written, reused
            for batch, texts, counts in pairs:
                if previous is not None:
                    hit, old_texts, old_counts = reuses.popleft()
                    if hit.any():
                        texts = pc.if_else(pa.array(hit), old_texts, texts)
                        counts = {c: np.where(hit, old_counts[c], counts[c]) for c in classes}
                        reused += int(hit.sum())
                for c in classes:
                    totals[c] += int(counts[c].sum())
                columns = [batch.column(c) for c in DATA_COLUMNS[:-1]] + [texts]
                data_w.write_batch(pa.RecordBatch.from_arrays(columns, schema=data_schema))
                if texts_w is not None:
                    texts_w.write_batch(pa.RecordBatch.from_arrays(
                        [batch.column("record_uid"), batch.column("text_sha256")]
                        + [pa.array(counts[c], pa.int32()) for c in classes],
                        schema=index_schema,
                    ))
                written += batch.num_rows
                done(written)

        for raw in batches:
            batch = raw.cast(schema)
            lineage_w.write_batch(pa.RecordBatch.from_arrays(
                [batch.column("record_uid"), batch.column("record_id"),
                 batch.column("member_id"), pa.repeat(fp, batch.num_rows)],
                schema=lineage_schema,
            ))
            if previous is not None:  # a reused text is not redacted again: nulls are skipped
                reuse = previous.lookup(batch.column("record_uid"), batch.column("text_sha256"))
                reuses.append(reuse)
                if reuse.hit.any():
                    text = batch.column("text")
                    batch = batch.set_column(
                        batch.schema.get_field_index("text"), batch.schema.field("text"),
                        pc.if_else(pa.array(reuse.hit), pa.scalar(None, text.type), text))
            redactor.submit(batch)
            put(redactor.ready())
        put(redactor.drain())
    return Written(written, totals, reused, written - reused)


def write_duckdb(
    engine: Engine, tmp: Path, used, fingerprint: str, redactor: StreamRedactor,
    done: Callable[[int], None] = lambda _n: None, previous: PreviousTexts | None = None,
) -> Written:
    """The used records streamed out of DuckDB in record_uid order, redacted, written."""
    schema = used.schema().to_pyarrow()
    reader = engine.con.to_pyarrow_batches(used, chunk_size=STREAM_BATCH_ROWS)
    return write_batches(tmp, reader, schema, fingerprint, redactor, done, previous)


def write_spark(
    engine: Engine, tmp: Path, used, fingerprint: str, classes: list[str], redactor=None
) -> Written:
    """On Spark, lineage and data are each one plan, redacted by a pandas UDF in the plan.
    Each value redacted adds one placeholder and none is ever removed, so the values
    redacted are the placeholders written less those the texts already held."""
    from consentgate.engine.transforms import redact_udf

    lineage = used.select(
        record_uid=used.record_uid, record_id=used.record_id, member_id=used.member_id,
        source_fingerprint=ibis.literal(fingerprint),
    ).order_by("record_uid")
    _write_expr(engine, lineage, tmp / "lineage")
    redact = redact_udf(engine.name, classes if redactor is None else redactor)
    data = used.select(*DATA_COLUMNS[:-1], text=redact(used.text)).order_by("record_uid")
    _write_expr(engine, data, tmp / "data")
    before = placeholders_in(used, classes)
    after = count_placeholders(tmp / "data", classes)
    rows = sum(pq.ParquetFile(f).metadata.num_rows for f in data_files(tmp))
    return Written(rows, {c: after[c] - before[c] for c in classes})


def _write_expr(engine: Engine, expr, folder: Path) -> None:
    """An expression as Parquet under ``folder``, as part-NNNNN.parquet files."""
    folder.mkdir(parents=True, exist_ok=True)
    spark_out = folder.parent / f"_{folder.name}_spark"
    engine.con.to_parquet(expr, spark_out, compression="zstd")
    parts = sorted(spark_out.glob("part-*.parquet"))
    for i, part in enumerate(parts):
        part.rename(folder / f"part-{i:05d}.parquet")
    if not parts:  # an empty result: still one (empty) file with the schema
        schema = expr.schema().to_pyarrow()
        pq.write_table(pa.Table.from_pylist([], schema=schema), folder / "part-00000.parquet")
    shutil.rmtree(spark_out)


def placeholders_in(table, classes) -> dict[str, int]:
    """Placeholders (``<EMAIL>``, ...) in the ``text`` column of ``table``, per class,
    counted on the engine."""
    from consentgate.redaction import PLACEHOLDERS

    if not classes:
        return {}
    t = table.text.fill_null("")
    aggs = {
        c: ((t.length() - t.replace(PLACEHOLDERS[c], "").length()) // len(PLACEHOLDERS[c]))
        .sum()
        .fill_null(0)
        for c in classes
    }
    row = table.aggregate(**aggs).to_pyarrow().to_pylist()[0]
    return {c: int(row[c]) for c in classes}


def count_placeholders(folder: Path, classes) -> dict[str, int]:
    """Placeholders per class in the Parquet files written under ``folder``."""
    con = ibis.duckdb.connect()
    con.raw_sql("SET enable_progress_bar=false")
    try:
        files = [str(p) for p in sorted(folder.glob("part-*.parquet"))]
        return placeholders_in(con.read_parquet(files), classes)
    finally:
        con.disconnect()


def copy_kept(snapshot: Path, tmp: Path, withdrawn, done: Callable[[int], None] = lambda _n: None
              ) -> int:
    """data/ and lineage/ (and the text index, when there is one) of an existing snapshot,
    less the withdrawn records (a sorted array of record_uids, see ``steps.withdraw``), in
    the order they are in; texts and pseudonyms are copied as they are (already redacted).
    Returns the rows kept."""
    from consentgate.snapshot.steps.withdraw import is_withdrawn

    kept_rows = {}
    parts = [("data", data_files(snapshot), "part-00000.parquet", WRITER_OPTIONS),
             ("lineage", lineage_files(snapshot), "part-00000.parquet", WRITER_OPTIONS)]
    index = Path(snapshot) / TEXTS_FILE
    if index.is_file():  # the text index too, so that a later --since can start from it
        parts.append(("reuse", [index], Path(TEXTS_FILE).name, TEXTS_WRITER_OPTIONS))
    for folder, files, name, options in parts:
        if not files:
            raise FileNotFoundError(f"{snapshot}: no {folder}/part-*.parquet to purge from")
        (tmp / folder).mkdir(parents=True, exist_ok=True)
        schema = pq.read_schema(files[0])
        kept = 0
        with pq.ParquetWriter(tmp / folder / name, schema, **options) as writer:
            for f in files:
                for batch in pq.ParquetFile(f).iter_batches(batch_size=STREAM_BATCH_ROWS):
                    mask = ~is_withdrawn(batch.column("record_uid"), withdrawn)
                    part = batch.filter(pa.array(mask))
                    if part.num_rows:
                        writer.write_batch(part.cast(schema))
                    kept += part.num_rows
                    if folder == "data":
                        done(kept)
        kept_rows[folder] = kept
    if len(set(kept_rows.values())) != 1:
        raise RuntimeError(
            f"{snapshot}: data, lineage (and the text index) do not hold the same records "
            f"({kept_rows} kept): verify it first"
        )
    return kept_rows["data"]
