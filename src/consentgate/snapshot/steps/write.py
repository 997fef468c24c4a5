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
from consentgate.snapshot.reuse import PreviousTexts, Reuse, row_groups
from consentgate.snapshot.steps.redact import StreamRedactor
from consentgate.snapshot.steps.select import DATA_COLUMNS
from consentgate.snapshot.texts import TEXTS_FILE, count_column, same_texts, texts_schema
from consentgate.snapshot.texts import WRITER_OPTIONS as TEXTS_WRITER_OPTIONS
from consentgate.snapshot.usage_index import write_usage_index

__all__ = ["copy_kept", "write_batches", "write_duckdb", "write_spark", "write_usage_index"]

STREAM_BATCH_ROWS = 100_000
# the columns a Spark incremental build joins in: a reusable text was found, and that text
REUSE_HIT, REUSE_TEXT = "reuse_hit", "reuse_text"

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
    engine: Engine, tmp: Path, used, fingerprint: str, classes: list[str], redactor=None,
    key: bytes | None = None, previous: Path | None = None,
) -> Written:
    """On Spark, lineage and data are each one plan, redacted by a pandas UDF in the plan.
    Each value redacted adds one placeholder and none is ever removed, so the values
    redacted are the placeholders written less those the texts already held.

    With ``key``, the text index is written too (``_write_spark_index``), its hashes made
    by a UDF that gets the text key as a broadcast (``texts.spark_text_hash``). With ``previous``
    (an incremental build: a snapshot folder whose index and texts can be trusted), the
    records whose record_uid and source-text hash are in its index keep its redacted text:
    the engine joins them in (a distributed join; on DuckDB the build merges instead) and
    the UDF gets a null text for them, which it skips. Their placeholders are those a
    redaction would write, so the counts stay placeholders written less placeholders held."""
    from consentgate.engine.transforms import redact_udf
    from consentgate.snapshot.texts import spark_text_hash

    lineage = used.select(
        record_uid=used.record_uid, record_id=used.record_id, member_id=used.member_id,
        source_fingerprint=ibis.literal(fingerprint),
    ).order_by("record_uid")
    _write_expr(engine, lineage, tmp / "lineage")
    redact = redact_udf(engine.name, classes if redactor is None else redactor)
    source = used
    reused = 0
    text_hash, shared = spark_text_hash(engine.con._session, key) if key else (None, None)
    try:
        if previous is not None and text_hash is not None:
            used = _join_previous(engine, used, previous, text_hash)
            hit = used[REUSE_HIT]
            text = ibis.ifelse(hit, used[REUSE_TEXT],
                               redact(ibis.ifelse(hit, ibis.null().cast("string"), used.text)))
        else:
            text = redact(used.text)
        data = used.select(*DATA_COLUMNS[:-1], text=text).order_by("record_uid")
        _write_expr(engine, data, tmp / "data")
        before = placeholders_in(source, classes)
        after = count_placeholders(tmp / "data", classes)
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in data_files(tmp))
        if text_hash is not None:
            _write_spark_index(engine, tmp, source, text_hash, classes)
        if previous is not None and text_hash is not None:
            # the texts kept are the records whose uid and hash both indexes hold: counted
            # on the driver from the two index files, not by running the join once more
            reused = same_texts(tmp / TEXTS_FILE, previous / TEXTS_FILE)[1]
    finally:
        if shared is not None:
            shared.destroy()
    return Written(rows, {c: after[c] - before[c] for c in classes}, reused, rows - reused)


def _join_previous(engine: Engine, used, previous: Path, text_hash):
    """``used`` with, for each record whose uid and source-text hash are in the previous
    snapshot's index, its redacted text there (``reuse_text``) and ``reuse_hit``."""
    used = used.mutate(text_sha256=text_hash(used.text))
    index = engine.read_parquet([previous / TEXTS_FILE], "cg_prev_texts")
    texts = engine.read_parquet(data_files(previous), "cg_prev_data")
    idx = index.select(p_uid=index.record_uid, p_hash=index.text_sha256)
    old = texts.select(d_uid=texts.record_uid, **{REUSE_TEXT: texts.text})
    found = idx.join(old, idx.p_uid == old.d_uid)
    j = used.left_join(found, [used.record_uid == found.p_uid,
                               used.text_sha256.identical_to(found.p_hash)])
    return j.select(*[used[c] for c in used.columns if c != "text_sha256"],
                    **{REUSE_HIT: j.p_uid.notnull(), REUSE_TEXT: j[REUSE_TEXT]})


def _write_spark_index(engine: Engine, tmp: Path, used, text_hash, classes) -> None:
    """The text index of a Spark build, ``reuse/texts.parquet``: the keyed hash of each
    used record's source text and the values redacted in it per class (placeholders in the
    written text less those in the source), in record_uid order, one row per data row.
    The executors compute it from data/ as written (so nothing is redacted twice); the
    driver joins their parts into the one file the index is."""
    written = engine.read_parquet(data_files(tmp), "cg_written")
    src = used.select(s_uid=used.record_uid, text_sha256=text_hash(used.text),
                      **{f"s_{c}": _placeholders(used.text, c) for c in classes})
    j = src.join(written, src.s_uid == written.record_uid)
    index = j.select(
        record_uid=j.s_uid, text_sha256=j.text_sha256,
        **{count_column(c): (_placeholders(j.text, c) - j[f"s_{c}"]).cast("int32")
           for c in classes},
    ).order_by("record_uid")
    parts = tmp / "_reuse_parts"
    _write_expr(engine, index, parts)
    schema = texts_schema(classes)
    target = tmp / TEXTS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(target, schema, **TEXTS_WRITER_OPTIONS) as out:
        for table in row_groups(sorted(parts.glob("part-*.parquet")), schema.names):
            out.write_table(table.select(schema.names).cast(schema))
    shutil.rmtree(parts)


def _placeholders(text, cls: str):
    from consentgate.redaction import PLACEHOLDERS

    t = text.fill_null("")
    mark = PLACEHOLDERS[cls]
    return (t.length() - t.replace(mark, "").length()) // len(mark)


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
    if not classes:
        return {}
    aggs = {c: _placeholders(table.text, c).sum().fill_null(0) for c in classes}
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
