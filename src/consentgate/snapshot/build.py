"""`consentgate build`: one training snapshot, as of T, published atomically.

A full build is the steps of ``consentgate.snapshot.steps`` in order:
read → decide → select → redact → write → report → publish. Every step but the last writes
into a private staging folder, so that a failed or killed build leaves no snapshot.

On DuckDB the records are read twice: once without text for the counts (an aggregate), once
with text for the used records only, in record_uid order, streamed out of the engine and
redacted batch by batch (in forked worker processes for large builds) while data and lineage
are written side by side. On Spark the record decisions are materialised and a pandas UDF
redacts inside the plan, on the executors, which also write the Parquet parts (docs/spark.md).

``progress`` is called with a message as each step begins; if it also has a
``records(done, total)`` method, that is called as data records are written (DuckDB).

With ``since``, the build is incremental: the same steps, but the redacted texts of
unchanged records come from that previous snapshot (``snapshot.incremental``): merged into
the record_uid-ordered stream on DuckDB, joined in by the engine on Spark.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq

from consentgate import __version__
from consentgate.contract.source import ContractError
from consentgate.engine.backends import ENGINES, bind_inputs, connect
from consentgate.redaction import Redactor
from consentgate.redaction.fingerprint import rules_fingerprint
from consentgate.snapshot.card import add_dataset_card
from consentgate.snapshot.context import BuildContext, BuildOptions, BuildResult, Progress
from consentgate.snapshot.keys import key_id, load_key
from consentgate.snapshot.manifest import file_entry, snapshot_id, utc_z
from consentgate.snapshot.report import purpose_entry
from consentgate.snapshot.steps.decide import decide_members
from consentgate.snapshot.steps.publish import (
    MANIFEST_FORMAT,
    content_files,
    publish,
    side_files,
    staging,
    write_manifest,
)
from consentgate.snapshot.steps.read import read_consent, read_source
from consentgate.snapshot.steps.redact import StreamRedactor, redaction_pool
from consentgate.snapshot.steps.report import build_report, write_report
from consentgate.snapshot.steps.select import count_records, decide_records, used_records
from consentgate.snapshot.steps.write import write_duckdb, write_spark, write_usage_index

__all__ = ["BuildOptions", "BuildResult", "build_snapshot", "manifest_of"]

# DuckDB's memory when none is given: beyond it the sort spills to the work folder, so peak
# memory stays flat with size (measured: 1.2 GB for the whole build at 2M-16M records with
# 500MB, at the same speed as without a limit; DuckDB's own default is 80% of RAM).
DEFAULT_MEMORY_LIMIT = "512MB"


def check_options(opts: BuildOptions) -> None:
    if opts.engine not in ENGINES:
        raise ContractError(f"unknown engine {opts.engine!r}; choose one of {', '.join(ENGINES)}")
    if opts.as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware (UTC)")
    if Path(opts.out).exists():
        raise FileExistsError(f"{opts.out} already exists: a snapshot is never overwritten")


def build_snapshot(opts: BuildOptions, progress: Progress | None = None) -> BuildResult:
    check_options(opts)
    opts.policy.setting_for(opts.purpose)  # an unknown purpose stops the build here
    out = Path(opts.out)
    key, _origin = load_key(opts.key_file)
    policy, as_of = opts.policy, opts.as_of
    memory = opts.memory_limit or DEFAULT_MEMORY_LIMIT
    rules = rules_fingerprint(policy.redaction.classes)
    prev = None
    previous = None  # the previous snapshot's texts, when they are reused
    if opts.since is not None:
        from consentgate.snapshot.incremental import open_previous

        prev = open_previous(opts.since, policy, policy.setting_for(opts.purpose).key, key,
                             rules)
        if progress is not None:
            progress(f"incremental: reusing texts of {prev.snapshot_id}" if prev.reusable
                     else f"incremental: nothing reused, full build: {'; '.join(prev.refused)}")

    with staging(out) as tmp:
        ctx = BuildContext(opts, tmp, progress)
        with ctx.step("read", "reading and checking the source"):
            read = read_source(opts.source, policy, tmp / "_work", memory)
            consent = read_consent(opts.consent, as_of, tmp / "_consent", policy)
        # Redaction workers are forked first, before the engine starts its threads.
        pool = None
        if opts.engine == "duckdb":
            pool = redaction_pool(policy.redaction.classes, opts.redact_workers, opts.threads,
                                  _records_in(read.source))
        try:
            engine = connect(opts.engine, tmp / "_work", opts.threads, memory,
                             verbose=opts.verbose, spark_master=opts.spark_master)
        except BaseException:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            raise
        try:
            inputs = bind_inputs(engine, read.source, consent.source)
            with ctx.step("members", "deciding members"):
                members = decide_members(engine, inputs, policy, as_of, key,
                                         opts.purpose)
            with ctx.step("records", "deciding records"):
                decided = decide_records(inputs, policy, as_of, members.table)
                # materialised where it is read twice: on Spark (the counts, then the
                # plan's stages), and when an incremental build compares with the previous
                # snapshot (the counts, then the withdrawn records' reasons)
                if engine.name == "spark" or (prev is not None and prev.intact):
                    decided = engine.materialize(decided, "record_decisions")
                record_counts = count_records(decided)
            used_total = sum(c["n"] for c in record_counts if c["reason"] == "used")
            used = used_records(inputs, policy, as_of, members.table,
                                ordered=engine.name != "duckdb")
            with ctx.step("data", "writing data and lineage (redaction, pseudonyms)"):
                if engine.name == "duckdb":
                    from consentgate.snapshot.incremental import with_text_hash
                    from consentgate.snapshot.reuse import PreviousTexts

                    used = with_text_hash(used, key)  # the text index, for a later --since
                    # the order data/ is written in, and the previous snapshot's order:
                    # its texts are merged in as the records stream out
                    used = used.order_by("record_uid")
                    if prev is not None and prev.reusable:
                        previous = PreviousTexts(prev.path, list(policy.redaction.classes))
                    redactor = StreamRedactor(tuple(policy.redaction.classes), pool,
                                              Redactor.from_policy(policy))
                    written = write_duckdb(engine, tmp, used, read.fingerprint, redactor,
                                           lambda n: ctx.tick(n, used_total), previous)
                else:
                    written = write_spark(engine, tmp, used, read.fingerprint,
                                          list(policy.redaction.classes),
                                          Redactor.from_policy(policy), key,
                                          prev.path if prev is not None and prev.reusable
                                          else None)
            changed = None
            if prev is not None and prev.intact:
                from consentgate.snapshot.incremental import changes

                with ctx.step("changes", "comparing with the previous snapshot"):
                    changed = changes(engine, prev, tmp, members.table, decided)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            master = engine.master
            engine.close()
        shutil.rmtree(tmp / "_work", ignore_errors=True)
        shutil.rmtree(tmp / "_consent", ignore_errors=True)
        with ctx.step("usage", "writing the per-member usage index"):
            write_usage_index(tmp, memory_limit=memory)

        with ctx.step("report", "writing report and manifest"):
            files = content_files(tmp)
            index = side_files(tmp)
            data_rows = sum(f["rows"] for f in files if f["path"].startswith("data/"))
            lineage_rows = sum(f["rows"] for f in files if f["path"].startswith("lineage/part-"))
            if not data_rows == lineage_rows == written.rows:
                raise RuntimeError(
                    f"data has {data_rows} rows, lineage {lineage_rows}, "
                    f"{written.rows} were written"
                )
            snap_id = snapshot_id(as_of, policy.sha256, files, _non_primary(policy, opts.purpose))
            report = build_report(
                snapshot_id=snap_id, policy=policy, as_of=as_of,
                member_counts=members.counts, record_counts=record_counts,
                redactions=written.redactions, engine=opts.engine, engine_master=master,
                consent=consent.info,
                built_at=ctx.started_at, build_seconds=ctx.seconds,
                data_quality=[f.to_json() for f in read.quality],
                purpose=purpose_entry(policy, opts.purpose),
            )
            if report["records"]["used"] != data_rows:
                raise RuntimeError(
                    f"counts say {report['records']['used']} records used, data holds {data_rows}"
                )
            extra: dict = {"redaction_rules": rules}
            if master:
                extra["spark_master"] = master
            if prev is not None:
                from consentgate.snapshot.incremental import incremental_entry

                report["incremental"] = incremental_entry(
                    prev, written.reused, written.redacted, changed,
                    previous.stopped if previous is not None else None)
                extra["incremental"] = report["incremental"]
            files += index + [file_entry(tmp, p) for p in write_report(tmp, report)]
            manifest = snapshot_manifest(
                snap_id=snap_id, opts=opts, report=report, key_id=key_id(key), files=files,
                source=read.manifest_entry(),
                consent=consent.info, redactions=written.redactions, started_at=ctx.started_at,
                extra=extra,
            )
            add_dataset_card(tmp, manifest)
            write_manifest(tmp, manifest)
        published = publish(tmp, out)
    result = BuildResult(published, manifest, report, ctx.seconds, ctx.stages,
                         [f.message() for f in read.quality])
    if opts.registry:
        register_published(opts.registry, published)
    return result


def snapshot_manifest(
    *, snap_id: str, opts: BuildOptions, report: dict, key_id: str | None, files: list[dict],
    source: dict, consent: dict, redactions: dict[str, int], started_at: dt.datetime,
    extra: dict | None = None,
) -> dict:
    policy = opts.policy
    manifest = {
        "format": MANIFEST_FORMAT,
        "snapshot_id": snap_id,
        "as_of": report["as_of"],
        "built_at": utc_z(started_at),
        "consentgate_version": __version__,
        "engine": opts.engine,
        "policy": {
            "id": policy.id,
            "version": policy.policy.version,
            "sha256": policy.sha256,
            "data_use": policy.policy.data_use,
        },
        "purpose": report["purpose"],
        "inputs": {"source": source, "consent": consent},
        "pseudonym_key_id": key_id,
        "counts": {
            "members": report["members"]["total"],
            "members_used": report["members"]["used"],
            "records": report["records"]["total"],
            "records_used": report["records"]["used"],
            "redactions": redactions,
        },
        "usage_index": "usage/members.parquet",
    }
    manifest.update(extra or {})
    manifest["files"] = files
    return manifest


def _non_primary(policy, purpose: str | None) -> str | None:  # type: ignore[no-untyped-def]
    """The purpose, when it is not the primary setting (whose snapshot ids stay as before)."""
    key = policy.setting_for(purpose).key
    return None if key == policy.setting.key else key


def register_published(registry: str, folder: Path) -> None:
    """Register a published snapshot (the registry is an optional extra of the flow)."""
    from consentgate.registry import Registry

    with Registry(registry) as reg:
        reg.register_snapshot(folder)


def _records_in(source) -> int:
    if source.kind == "parquet":
        return sum(pq.ParquetFile(f).metadata.num_rows for f in source.parquet_files("records"))
    return source.count("records")


def manifest_of(snapshot: Path) -> dict:
    return json.loads((Path(snapshot) / "manifest.json").read_text())
