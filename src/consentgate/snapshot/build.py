"""`consentgate build`: one training snapshot, as of T, published atomically.

Stages: bind inputs -> member decisions -> record decisions and counts -> data (redacted,
pseudonymised) -> lineage -> report -> manifest -> publish. Every stage but the last writes
into a private staging folder.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from consentgate import __version__
from consentgate.contract.source import ContractError, open_source
from consentgate.engine.backends import ENGINES, Engine, bind_inputs, connect
from consentgate.engine.plan import member_decisions, record_decisions
from consentgate.engine.transforms import pseudonym, record_uid, redact_udf
from consentgate.policy.model import Policy
from consentgate.snapshot.consent import open_consent
from consentgate.snapshot.keys import key_id, load_key
from consentgate.snapshot.manifest import file_entry, snapshot_id, write_json
from consentgate.snapshot.publish import publish, staging
from consentgate.snapshot.report import build_report, write_html_report

DATA_COLUMNS = ("record_uid", "kind", "category", "created_at", "language", "author", "text")
LINEAGE_COLUMNS = ("record_uid", "record_id", "member_id", "source_fingerprint")
Progress = Callable[[str], None]
STREAM_BATCH_ROWS = 100_000


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


@dataclass
class BuildResult:
    out: Path
    manifest: dict
    report: dict
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)


def build_snapshot(opts: BuildOptions, progress: Progress | None = None) -> BuildResult:
    say = progress or (lambda _msg: None)
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
        engine = connect(opts.engine, tmp / "_work", opts.threads, opts.memory_limit)
        try:
            t0 = time.perf_counter()
            say("binding inputs")
            inputs = bind_inputs(engine, source, consent_src)
            fingerprints = source.fingerprints()
            source_fp = _combined_fingerprint(fingerprints)

            say("deciding members")
            members = engine.materialize(
                member_decisions(inputs, opts.policy, opts.as_of), "member_decisions"
            )
            member_counts = (
                members.group_by(["member_reason", "region"])
                .aggregate(n=ibis._.count())
                .to_pyarrow()
                .to_pylist()
            )
            t0 = stage("members", t0)

            say("deciding records")
            decided = engine.materialize(
                record_decisions(inputs, opts.policy, opts.as_of, members), "record_decisions"
            )
            record_counts = (
                decided.group_by(["reason", "region", "kind"])
                .aggregate(n=ibis._.count())
                .to_pyarrow()
                .to_pylist()
            )
            t0 = stage("records", t0)

            say("writing lineage")
            kept = decided.filter(decided.reason == "used")
            lineage = kept.select(
                record_uid=record_uid(kept.record_id),
                record_id=kept.record_id,
                member_id=kept.member_id,
                source_fingerprint=ibis.literal(source_fp),
            ).order_by("record_uid")
            _write(engine, lineage, tmp / "lineage")
            t0 = stage("lineage", t0)

            say("writing data (redaction, pseudonyms)")
            with_text = record_decisions(
                inputs, opts.policy, opts.as_of, members, columns=("text", "created_at")
            )
            used = with_text.filter(with_text.reason == "used")
            author = (
                pseudonym(used.member_id, key)
                if opts.policy.redaction.pseudonymize_author
                else used.member_id
            )
            columns = dict(
                record_uid=record_uid(used.record_id),
                kind=used.kind,
                category=used.category,
                created_at=used.created_at,
                language=used.language,
                author=author,
            )
            classes = opts.policy.redaction.classes
            if engine.name == "duckdb":
                # DuckDB calls Python UDFs chunk by chunk under the GIL, which halves the
                # throughput here; redacting the plan's ordered Arrow stream is twice as fast.
                data = used.select(**columns, text=used.text).order_by("record_uid")
                _write_redacted_stream(engine, data, tmp / "data", classes)
            else:
                redact = redact_udf(engine.name, classes)
                data = used.select(**columns, text=redact(used.text)).order_by("record_uid")
                _write(engine, data, tmp / "data")
            t0 = stage("data", t0)
        finally:
            engine.close()
        shutil.rmtree(tmp / "_work", ignore_errors=True)
        shutil.rmtree(tmp / "_consent", ignore_errors=True)

        say("writing report and manifest")
        redactions = _count_placeholders(tmp / "data", opts.policy.redaction.classes)
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
            "as_of": opts.as_of.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "built_at": dt.datetime.now(dt.UTC)
            .isoformat(timespec="seconds")
            .replace("+00:00", "Z"),
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


def _write_redacted_stream(engine: Engine, expr, folder: Path, classes) -> None:
    """Stream the plan's rows out of the engine in order, redact each batch, write Parquet."""
    from consentgate.redaction import Redactor

    redactor = Redactor(classes=tuple(classes))
    folder.mkdir(parents=True, exist_ok=True)
    schema = expr.schema().to_pyarrow()
    text_at = schema.get_field_index("text")
    with pq.ParquetWriter(folder / "part-00000.parquet", schema, compression="zstd") as writer:
        for batch in engine.con.to_pyarrow_batches(expr, chunk_size=STREAM_BATCH_ROWS):
            columns = list(batch.cast(schema).columns)
            columns[text_at] = redactor.redact_batch(columns[text_at])
            writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=schema))


def _count_placeholders(folder: Path, classes) -> dict[str, int]:
    """How many values of each class were replaced, counted on the written data."""
    import duckdb

    from consentgate.redaction import PLACEHOLDERS

    con = duckdb.connect()
    files = [str(p) for p in sorted(folder.glob("*.parquet"))]
    exprs = ", ".join(
        f"coalesce(sum(len(string_split(text, '{PLACEHOLDERS[c]}')) - 1), 0)" for c in classes
    )
    row = con.execute(f"SELECT {exprs} FROM read_parquet($files)", {"files": files}).fetchall()[0]
    return {c: int(n) for c, n in zip(classes, row, strict=True)}


def manifest_of(snapshot: Path) -> dict:
    return json.loads((snapshot / "manifest.json").read_text())
