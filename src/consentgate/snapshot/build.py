"""`consentgate build`: one training snapshot, as of T, published atomically.

Stages: bind inputs -> member decisions -> record decisions and counts -> data (redacted,
pseudonymised) and lineage -> report -> manifest -> publish. Every stage but the last writes
into a private staging folder.

On DuckDB the records are read twice: once without text for the counts (an aggregate), once
with text for the used records only, in record_uid order, streamed out of the engine and
redacted batch by batch (in forked worker processes for large builds) while data and lineage
are written side by side. On Spark the record decisions are materialised and a pandas UDF
redacts inside the plan.

``progress`` is called with a message as each stage begins; if it also has a
``records(done, total)`` method, that is called as data records are written (DuckDB).
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from consentgate import __version__
from consentgate.contract.source import ContractError, open_source
from consentgate.engine.backends import ENGINES, Engine, bind_inputs, connect
from consentgate.engine.plan import Inputs, member_decisions, record_decisions
from consentgate.engine.transforms import pseudonym, record_uid, redact_udf
from consentgate.policy.model import Policy
from consentgate.snapshot.consent import open_consent
from consentgate.snapshot.keys import key_id, load_key
from consentgate.snapshot.manifest import file_entry, snapshot_id, utc_z, write_json
from consentgate.snapshot.publish import publish, staging
from consentgate.snapshot.report import build_report, write_html_report

DATA_COLUMNS = ("record_uid", "kind", "category", "created_at", "language", "author", "text")
LINEAGE_COLUMNS = ("record_uid", "record_id", "member_id", "source_fingerprint")
Progress = Callable[[str], None]
STREAM_BATCH_ROWS = 100_000
# Redact in worker processes when the source has at least this many records.
PARALLEL_MIN_ROWS = 200_000
REDACT_CHUNK_ROWS = 2_000  # gated rows (~1 in 7 of all) per task sent to a redaction worker
# DuckDB's memory when none is given: beyond it the sort spills to the work folder, so peak
# memory stays flat with size (measured: 1.2 GB for the whole build at 2M-16M records with
# 500MB, at the same speed as without a limit; DuckDB's own default is 80% of RAM).
DEFAULT_MEMORY_LIMIT = "512MB"


@dataclass
class BuildOptions:
    source: Path
    policy: Policy
    as_of: dt.datetime
    out: Path
    engine: str = "duckdb"
    consent: str | None = None  # a source path, or a ledger database URL
    key_file: Path | None = None
    threads: int | None = None
    memory_limit: str | None = None
    # worker processes for redaction on DuckDB (None: the threads, for large builds only)
    redact_workers: int | None = None


@dataclass
class BuildResult:
    out: Path
    manifest: dict
    report: dict
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)


def build_snapshot(opts: BuildOptions, progress: Progress | None = None) -> BuildResult:
    say = progress or (lambda _msg: None)
    # A progress object may also take records done: ``progress.records(done, total)``.
    tick = getattr(progress, "records", None) or (lambda _done, _total: None)
    if opts.engine not in ENGINES:
        raise ContractError(f"unknown engine {opts.engine!r}; choose one of {', '.join(ENGINES)}")
    if opts.as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware (UTC)")
    out = Path(opts.out)
    if out.exists():
        raise FileExistsError(f"{out} already exists: a snapshot is never overwritten")
    source = open_source(opts.source)
    key, _key_origin = load_key(opts.key_file)
    started = time.perf_counter()
    stages: dict[str, float] = {}

    def stage(name: str, t0: float) -> float:
        now = time.perf_counter()
        stages[name] = round(now - t0, 3)
        return now

    with staging(out) as tmp:
        consent_src, consent_info = open_consent(opts.consent, opts.as_of, tmp / "_consent")
        # Redaction workers are forked first, before the engine starts its threads.
        pool = _redaction_pool(opts, source) if opts.engine == "duckdb" else None
        try:
            engine = connect(
                opts.engine, tmp / "_work", opts.threads,
                opts.memory_limit or DEFAULT_MEMORY_LIMIT,
            )
        except BaseException:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            raise
        try:
            t0 = time.perf_counter()
            say("binding inputs")
            inputs = bind_inputs(engine, source, consent_src)
            fingerprints = source.fingerprints()
            source_fp = _combined_fingerprint(fingerprints)

            say("deciding members")
            decided_members = member_decisions(inputs, opts.policy, opts.as_of)
            # the author pseudonym, once per member rather than once per record
            members = engine.materialize(
                decided_members.mutate(author=_author(decided_members.member_id, opts, key)),
                "member_decisions",
            )
            member_counts = (
                members.group_by(["member_reason", "region"])
                .aggregate(n=ibis._.count())
                .to_pyarrow()
                .to_pylist()
            )
            t0 = stage("members", t0)
            run = _Run(engine, inputs, members, opts, source_fp, tmp, say, tick, stage, pool)
            if engine.name == "duckdb":
                record_counts, redactions = _duckdb_records(run, t0)
            else:
                record_counts, redactions = _spark_records(run, t0)
            t0 = time.perf_counter()
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            engine.close()
        shutil.rmtree(tmp / "_work", ignore_errors=True)
        shutil.rmtree(tmp / "_consent", ignore_errors=True)

        say("writing report and manifest")
        files = [file_entry(tmp, p) for p in sorted((tmp / "data").glob("*.parquet"))]
        files += [file_entry(tmp, p) for p in sorted((tmp / "lineage").glob("*.parquet"))]
        data_rows = sum(f["rows"] for f in files if f["path"].startswith("data/"))
        lineage_rows = sum(f["rows"] for f in files if f["path"].startswith("lineage/"))
        if data_rows != lineage_rows:
            raise RuntimeError(f"data has {data_rows} rows but lineage {lineage_rows}")
        snap_id = snapshot_id(opts.as_of, opts.policy.sha256, files)
        report = build_report(
            snapshot_id=snap_id,
            policy=opts.policy,
            as_of=opts.as_of,
            member_counts=member_counts,
            record_counts=record_counts,
            redactions=redactions,
        )
        if report["records"]["used"] != data_rows:
            raise RuntimeError(
                f"counts say {report['records']['used']} records used, data holds {data_rows}"
            )
        write_json(tmp / "report.json", report)
        write_html_report(tmp / "report.html", report)
        files.append(file_entry(tmp, tmp / "report.json"))
        files.append(file_entry(tmp, tmp / "report.html"))
        stage("report", t0)
        manifest = {
            "format": "consentgate-snapshot/1",
            "snapshot_id": snap_id,
            "as_of": report["as_of"],
            "built_at": utc_z(dt.datetime.now(dt.UTC).replace(microsecond=0)),
            "consentgate_version": __version__,
            "engine": opts.engine,
            "policy": {
                "id": opts.policy.id,
                "version": opts.policy.policy.version,
                "sha256": opts.policy.sha256,
                "data_use": opts.policy.policy.data_use,
            },
            "inputs": {
                "source": {
                    "kind": source.kind,
                    "path": str(source.path),
                    "fingerprints": fingerprints,
                    "fingerprint": source_fp,
                },
                "consent": consent_info,
            },
            "pseudonym_key_id": key_id(key),
            "counts": {
                "members": report["members"]["total"],
                "members_used": report["members"]["used"],
                "records": report["records"]["total"],
                "records_used": data_rows,
                "redactions": redactions,
            },
            "files": files,
        }
        write_json(tmp / "manifest.json", manifest)
        published = publish(tmp, out)
    seconds = time.perf_counter() - started
    return BuildResult(published, manifest, report, seconds, stages)


@dataclass
class _Run:
    """What the record stages share."""

    engine: Engine
    inputs: Inputs
    members: ibis.Table  # the materialised member decisions, with an ``author`` column
    opts: BuildOptions
    source_fp: str
    tmp: Path
    say: Progress
    tick: Callable[[int, int], None]
    stage: Callable[[str, float], float]
    pool: concurrent.futures.ProcessPoolExecutor | None  # redaction workers, or None


def _duckdb_records(run: _Run, t0: float) -> tuple[list[dict], dict[str, int]]:
    """Counts by reason, then data and lineage in one ordered pass over the used records.

    Record decisions are not materialised: the counts are one aggregate over the records'
    non-text columns, and the used records (text included) are read once, in record_uid
    order, redacted batch by batch (in worker processes for large builds) and written to
    data/ and lineage/ side by side. Returns the counts and the values redacted per class.
    """
    opts = run.opts
    run.say("deciding records")
    decided = record_decisions(run.inputs, opts.policy, opts.as_of, run.members)
    record_counts = _count_records(decided)
    t0 = run.stage("records", t0)
    used_total = sum(c["n"] for c in record_counts if c["reason"] == "used")

    run.say("writing data and lineage (redaction, pseudonyms)")
    expr = _used_records(run).order_by("record_uid")
    redactions = _write_data_and_lineage(
        run, expr, lambda done: run.tick(done, used_total)
    )
    run.stage("data", t0)
    return record_counts, redactions


def _used_records(run: _Run):
    """The used records with the data columns (text not yet redacted) and lineage's ids."""
    opts = run.opts
    with_text = record_decisions(
        run.inputs, opts.policy, opts.as_of, run.members,
        columns=("text", "created_at"), member_columns=("author",),
    )
    used = with_text.filter(with_text.reason == "used")
    return used.select(
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


def _count_records(decided) -> list[dict]:
    """Records by (reason, region, kind): what the report and the manifest count."""
    return (
        decided.group_by(["reason", "region", "kind"])
        .aggregate(n=ibis._.count())
        .to_pyarrow()
        .to_pylist()
    )


def _spark_records(run: _Run, t0: float) -> tuple[list[dict], dict[str, int]]:
    engine, opts = run.engine, run.opts
    run.say("deciding records")
    decided = engine.materialize(
        record_decisions(run.inputs, opts.policy, opts.as_of, run.members), "record_decisions"
    )
    record_counts = _count_records(decided)
    t0 = run.stage("records", t0)

    run.say("writing lineage")
    kept = decided.filter(decided.reason == "used")
    lineage = kept.select(
        record_uid=record_uid(kept.record_id),
        record_id=kept.record_id,
        member_id=kept.member_id,
        source_fingerprint=ibis.literal(run.source_fp),
    ).order_by("record_uid")
    _write(engine, lineage, run.tmp / "lineage")
    t0 = run.stage("lineage", t0)

    run.say("writing data (redaction, pseudonyms)")
    used = _used_records(run)
    redact = redact_udf(engine.name, opts.policy.redaction.classes)
    data = used.select(*DATA_COLUMNS[:-1], text=redact(used.text)).order_by("record_uid")
    _write(engine, data, run.tmp / "data")
    # Each value redacted adds one placeholder and none is ever removed, so the values
    # redacted are the placeholders written less those the texts already held.
    classes = opts.policy.redaction.classes
    before = _placeholders_in(used, classes)
    after = _count_placeholders(run.tmp / "data", classes)
    run.stage("data", t0)
    return record_counts, {c: after[c] - before[c] for c in classes}


def _author(member_id, opts: BuildOptions, key: bytes):
    if opts.policy.redaction.pseudonymize_author:
        return pseudonym(member_id, key)
    return member_id


def _placeholders_in(table, classes) -> dict[str, int]:
    """Placeholders (``<EMAIL>``, ...) in the ``text`` column of ``table``, per class,
    counted on the engine."""
    from consentgate.redaction import PLACEHOLDERS

    t = table.text.fill_null("")
    aggs = {
        c: ((t.length() - t.replace(PLACEHOLDERS[c], "").length()) // len(PLACEHOLDERS[c]))
        .sum()
        .fill_null(0)
        for c in classes
    }
    row = table.aggregate(**aggs).to_pyarrow().to_pylist()[0]
    return {c: int(row[c]) for c in classes}


def _combined_fingerprint(fingerprints: dict[str, str]) -> str:
    import hashlib

    h = hashlib.sha256()
    for name, fp in sorted(fingerprints.items()):
        h.update(f"{name}={fp}\n".encode())
    return h.hexdigest()


def _write(engine: Engine, expr, folder: Path) -> None:
    """Write an expression as Parquet under ``folder`` as part-NNNNN.parquet files."""
    folder.mkdir(parents=True, exist_ok=True)
    if engine.name == "duckdb":
        engine.con.to_parquet(expr, folder / "part-00000.parquet", compression="zstd")
        return
    spark_out = folder.parent / f"_{folder.name}_spark"
    engine.con.to_parquet(expr, spark_out, compression="zstd")
    parts = sorted(spark_out.glob("part-*.parquet"))
    for i, part in enumerate(parts):
        part.rename(folder / f"part-{i:05d}.parquet")
    if not parts:  # an empty result: still one (empty) file with the schema
        schema = expr.schema().to_pyarrow()
        pq.write_table(pa.Table.from_pylist([], schema=schema), folder / "part-00000.parquet")
    shutil.rmtree(spark_out)


def _redact_piece(
    classes: tuple[str, ...], texts: pa.Array, salary: pa.Array
) -> tuple[list[int], list[str], Counter]:
    """Worker-side: what redaction changes in one piece of gated texts (module level, so
    that it pickles by name). Only the changed rows travel back."""
    from consentgate.redaction import Redactor

    return Redactor(classes=classes).redact_gated(texts, salary)


def _redaction_pool(opts: BuildOptions, source):
    """Worker processes for redaction, or None to redact in this process.

    Forked (nothing to re-import, no ``__main__`` guard needed in callers) before the
    engine's threads start; each worker exits when this process goes away."""
    import concurrent.futures as cf
    import multiprocessing as mp

    if not opts.policy.redaction.classes:
        return None  # nothing to redact
    workers = opts.redact_workers
    if workers is None:
        workers = opts.threads or os.cpu_count() or 1
        if _records_in(source) < PARALLEL_MIN_ROWS:
            workers = 1
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        return None
    pool = cf.ProcessPoolExecutor(
        workers, mp_context=mp.get_context("fork"), initializer=_worker_init,
        initargs=(os.getpid(),),
    )
    for _ in range(workers):  # fork them all now
        pool.submit(int)
    return pool


def _records_in(source) -> int:
    if source.kind == "parquet":
        return sum(pq.ParquetFile(f).metadata.num_rows for f in source.parquet_files("records"))
    return source.count("records")


def _worker_init(parent: int) -> None:
    """In a worker: default signal handling, and exit when the parent is gone (a killed
    build must not leave workers behind)."""
    import signal
    import threading

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


# Dictionary encoding only where values repeat; no min/max statistics on free text.
_WRITER_OPTIONS = dict(
    compression="zstd",
    use_dictionary=["kind", "category", "language", "author", "source_fingerprint"],
    write_statistics=["record_uid", "kind", "category", "created_at", "language", "author",
                      "record_id", "member_id"],
)


def _write_data_and_lineage(run: _Run, expr, done: Callable[[int], None]) -> dict[str, int]:
    """Stream the used records out of the engine in record_uid order; write lineage as they
    come and data once each batch is redacted, keeping the order. The row gate (vectorised)
    runs here; with a pool, the rows it lets through are cut into pieces of
    REDACT_CHUNK_ROWS scanned in the worker processes, two batches in flight at a time
    (memory stays flat); the output is the same bytes either way.
    Returns the values redacted per class."""
    import collections

    from consentgate.redaction import Redactor
    from consentgate.redaction.redactor import apply_changes

    classes = tuple(run.opts.policy.redaction.classes)
    redactor = Redactor(classes=classes)
    pool, tmp = run.pool, run.tmp
    schema = expr.schema().to_pyarrow()
    data_schema = pa.schema([schema.field(c) for c in DATA_COLUMNS])
    lineage_schema = pa.schema(
        [schema.field("record_uid"), schema.field("record_id"), schema.field("member_id"),
         pa.field("source_fingerprint", pa.string())]
    )
    (tmp / "data").mkdir(parents=True, exist_ok=True)
    (tmp / "lineage").mkdir(parents=True, exist_ok=True)
    pending: collections.deque = collections.deque()
    in_flight = 2 if pool is not None else 0  # batches waiting for their redaction
    written = 0
    counts: Counter = Counter()
    with (
        pq.ParquetWriter(tmp / "data" / "part-00000.parquet", data_schema,
                         **_WRITER_OPTIONS) as data_w,
        pq.ParquetWriter(tmp / "lineage" / "part-00000.parquet", lineage_schema,
                         **_WRITER_OPTIONS) as lineage_w,
    ):

        def flush_one() -> None:
            nonlocal written
            batch, gated, pieces = pending.popleft()
            positions: list[int] = []
            values: list[str] = []
            for offset, piece in pieces:
                rows, texts, found = piece.result() if pool is not None else piece
                positions.extend(gated[offset + i] for i in rows)
                values.extend(texts)
                counts.update(found)
            texts = apply_changes(batch.column("text"), positions, values)
            columns = [batch.column(c) for c in DATA_COLUMNS[:-1]] + [texts]
            data_w.write_batch(pa.RecordBatch.from_arrays(columns, schema=data_schema))
            written += batch.num_rows
            done(written)

        fingerprint = pa.scalar(run.source_fp, pa.string())
        reader = run.engine.con.to_pyarrow_batches(expr, chunk_size=STREAM_BATCH_ROWS)
        for raw in reader:
            batch = raw.cast(schema)
            lineage_w.write_batch(
                pa.RecordBatch.from_arrays(
                    [batch.column("record_uid"), batch.column("record_id"),
                     batch.column("member_id"),
                     pa.repeat(fingerprint, batch.num_rows)],
                    schema=lineage_schema,
                )
            )
            # the vectorised gate here; only the rows it lets through go to the scan
            gated, salary = redactor.gate(batch.column("text"))
            texts = batch.column("text").take(gated)
            if pool is None:
                pieces = [(0, _redact_piece(classes, texts, salary))]
            else:
                # small compact pieces: both workers stay busy, and a pickled slice would
                # carry the whole array's buffers
                pieces = [
                    (i, pool.submit(_redact_piece, classes,
                                    pa.concat_arrays([texts.slice(i, REDACT_CHUNK_ROWS)]),
                                    pa.concat_arrays([salary.slice(i, REDACT_CHUNK_ROWS)])))
                    for i in range(0, len(texts), REDACT_CHUNK_ROWS)
                ]
            pending.append((batch, gated.to_pylist(), pieces))
            while len(pending) > in_flight:
                flush_one()
        while pending:
            flush_one()
    return {c: counts.get(c, 0) for c in classes}


def _count_placeholders(folder: Path, classes) -> dict[str, int]:
    """Placeholders per class in the Parquet files written under ``folder`` (read back
    with DuckDB; the same count as :func:`_placeholders_in`)."""
    con = ibis.duckdb.connect()
    try:
        files = [str(p) for p in sorted(folder.glob("*.parquet"))]
        return _placeholders_in(con.read_parquet(files), classes)
    finally:
        con.disconnect()


def manifest_of(snapshot: Path) -> dict:
    return json.loads((snapshot / "manifest.json").read_text())
