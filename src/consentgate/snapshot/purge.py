"""Withdrawals reach every snapshot: a takedown list of a snapshot as of T2, and a purge that
publishes the snapshot less those records.

``list_withdrawals``: read → decide again at T2 → the withdrawn records as a Parquet list.
``purge_snapshot``:  read → decide again at T2 → write (the kept rows, copied as they are)
→ usage index → report → publish, then register it (the old one is then superseded) and,
with ``delete_unused``, retire the old snapshot: deleted outright if no training run used
it, its data deleted (manifest, report and lineage kept for audit) if one did.

A purged snapshot keeps its as-of time T1 (its content is what a build at T1 held) and
records every instant it was purged at; ``verify`` checks each of its records is allowed at
all of them.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from consentgate.contract.source import ContractError
from consentgate.engine.backends import ENGINES, bind_inputs, connect
from consentgate.policy import load_policy
from consentgate.policy.model import Policy
from consentgate.snapshot.build import DEFAULT_MEMORY_LIMIT, manifest_of, snapshot_manifest
from consentgate.snapshot.card import add_dataset_card
from consentgate.snapshot.consent import check_same_consent
from consentgate.snapshot.context import BuildContext, BuildOptions, Progress
from consentgate.snapshot.manifest import (
    file_differences,
    file_entry,
    sha256_file,
    snapshot_id,
    utc_z,
)
from consentgate.snapshot.report import purpose_entry, purpose_of_manifest
from consentgate.snapshot.steps.publish import (
    content_files,
    publish,
    side_files,
    staging,
    write_manifest,
)
from consentgate.snapshot.steps.read import read_consent, read_source
from consentgate.snapshot.steps.report import build_report, write_report
from consentgate.snapshot.steps.withdraw import decide_again, write_withdrawals
from consentgate.snapshot.steps.write import copy_kept, count_placeholders, write_usage_index
from consentgate.snapshot.texts import TEXTS_FOLDER
from consentgate.snapshot.verify import DELETION_FILE, parse_time


@dataclass
class PurgeOptions:
    snapshot: Path  # the snapshot to purge (a folder)
    source: Path
    as_of: dt.datetime  # T2: what a build then would no longer include goes
    out: Path  # the new snapshot's folder (must not exist)
    policy: Policy | None = None  # default: the snapshot's own (same sha256)
    consent: str | None = None
    engine: str = "duckdb"
    threads: int | None = None
    memory_limit: str | None = None
    registry: str | None = None
    delete_unused: bool = False
    verbose: bool = False


@dataclass
class PurgeResult:
    out: Path
    manifest: dict
    report: dict
    withdrawn: int
    by_reason: dict[str, int]
    seconds: float
    retired: str | None = None  # "deleted" or "data_deleted" (delete_unused), else None
    stages: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class WithdrawalsResult:
    out: Path
    rows: int
    by_reason: dict[str, int]
    snapshot_id: str
    seconds: float


def _snapshot(folder: Path) -> dict:
    folder = Path(folder)
    if not (folder / "manifest.json").is_file():
        raise FileNotFoundError(f"{folder} is not a snapshot (no manifest.json)")
    try:
        return manifest_of(folder)
    except ValueError as exc:
        raise ContractError(f"{folder}/manifest.json is not readable JSON: {exc}") from exc


def check_intact(folder: Path, manifest: dict, parts: tuple[str, ...]) -> None:
    """The snapshot's files in ``parts`` (folders) are those its manifest lists, unchanged:
    a withdrawal list or a purge computed from a changed lineage or data would be wrong in
    ways nobody could see afterwards."""
    found = file_differences(folder, manifest, parts)
    changed = sorted(path for path, kind in found if kind != "unlisted")
    unlisted = [path for path, kind in found if kind == "unlisted"]
    if changed or unlisted:
        names = ", ".join([*(f"{p} (changed or missing)" for p in changed[:3]),
                           *(f"{p} (not in the manifest)" for p in unlisted[:3])])
        raise ContractError(
            f"{folder}: its files differ from its manifest ({names}): run `consentgate "
            "verify` on it and restore the published files first"
        )


def snapshot_policy(manifest: dict, policy: Policy | None) -> Policy:
    """The policy to decide again with: the one given, or the snapshot's own, which must
    be the same file (sha256) it was built with."""
    if policy is not None:
        return policy
    built = manifest["policy"]
    found = load_policy(built["id"])
    if found.sha256 != built["sha256"]:
        raise ContractError(
            f"the policy {built['id']!r} has changed since the snapshot was built "
            f"(sha256 {built['sha256'][:12]}… then, {found.sha256[:12]}… now): give the one "
            "to decide with, --policy FILE"
        )
    return found


def _instants(manifest: dict, t2: dt.datetime) -> list[str]:
    as_of = parse_time(manifest["as_of"])
    if t2 < as_of:
        raise ContractError(
            f"--as-of {utc_z(t2)} is before the snapshot's own as-of time {manifest['as_of']}: "
            "a withdrawal list looks forward"
        )
    earlier = manifest.get("purge", {}).get("instants", [])
    if earlier and t2 < parse_time(earlier[-1]):
        raise ContractError(
            f"--as-of {utc_z(t2)} is before the snapshot's last purge ({earlier[-1]})"
        )
    return [*earlier, utc_z(t2)]


def _decide(
    snapshot: Path, manifest: dict, policy: Policy, source_path: Path, consent: str | None,
    t2: dt.datetime, workdir: Path, engine_name: str, threads: int | None,
    memory_limit: str, verbose: bool,
):  # type: ignore[no-untyped-def]
    """read → decide again: (source read, consent read, the withdrawal)."""
    if engine_name not in ENGINES:
        raise ContractError(f"unknown engine {engine_name!r}; choose one of {', '.join(ENGINES)}")
    if (Path(snapshot) / DELETION_FILE).exists():
        raise ContractError(f"{snapshot}: its data was deleted; there is nothing to withdraw")
    check_same_consent(consent, manifest.get("inputs", {}).get("consent"),
                       f"snapshot {manifest['snapshot_id']}")
    read = read_source(source_path, policy, workdir, memory_limit)
    consent_read = read_consent(consent, t2, workdir / "_consent")
    engine = connect(engine_name, workdir, threads, memory_limit, verbose=verbose)
    try:
        inputs = bind_inputs(engine, read.source, consent_read.source)
        withdrawal = decide_again(engine, inputs, policy, t2, snapshot)
    finally:
        engine.close()
    return read, consent_read, withdrawal


def list_withdrawals(
    snapshot: Path, source: Path, as_of: dt.datetime, out: Path, *,
    policy: Policy | None = None, consent: str | None = None, engine: str = "duckdb",
    threads: int | None = None, memory_limit: str | None = None, verbose: bool = False,
) -> WithdrawalsResult:
    """Every record of ``snapshot`` that a build at ``as_of`` would no longer include, as a
    Parquet file of (record_uid, reason)."""
    import time

    started = time.perf_counter()
    manifest = _snapshot(snapshot)
    pol = snapshot_policy(manifest, policy)
    _instants(manifest, as_of)
    check_intact(Path(snapshot), manifest, ("lineage",))
    if Path(out).exists():
        raise FileExistsError(f"{out} already exists: a withdrawal list is never overwritten")
    work = Path(tempfile.mkdtemp(prefix="cg-withdrawals-"))
    try:
        _read, _consent, withdrawal = _decide(
            snapshot, manifest, pol, source, consent, as_of, work, engine, threads,
            memory_limit or DEFAULT_MEMORY_LIMIT, verbose,
        )
        rows = write_withdrawals(withdrawal, out)
        by_reason = withdrawal.by_reason()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return WithdrawalsResult(Path(out), rows, by_reason, manifest["snapshot_id"],
                             time.perf_counter() - started)


def purge_snapshot(opts: PurgeOptions, progress: Progress | None = None) -> PurgeResult:
    old = Path(opts.snapshot)
    manifest = _snapshot(old)
    policy = snapshot_policy(manifest, opts.policy)
    instants = _instants(manifest, opts.as_of)
    out = Path(opts.out)
    if out.exists():
        raise FileExistsError(f"{out} already exists: a snapshot is never overwritten")
    if out.resolve() == old.resolve():
        raise FileExistsError("the purged snapshot needs a new folder (--out)")
    if opts.delete_unused and not opts.registry:
        raise ContractError(
            "--delete-unused needs --registry: only the registry knows which training runs "
            "used the snapshot"
        )
    if not (old / DELETION_FILE).exists():
        check_intact(old, manifest, ("data", "lineage", TEXTS_FOLDER))
    if opts.delete_unused:
        _check_registered(opts.registry, manifest["snapshot_id"])  # type: ignore[arg-type]
    memory = opts.memory_limit or DEFAULT_MEMORY_LIMIT
    as_of = parse_time(manifest["as_of"])

    with staging(out) as tmp:
        ctx = BuildContext(
            BuildOptions(source=opts.source, policy=policy, as_of=as_of, out=out,
                         engine=opts.engine, consent=opts.consent,
                         purpose=purpose_of_manifest(manifest)),
            tmp, progress,
        )
        with ctx.step("withdraw", f"deciding the snapshot's records again as of "
                      f"{utc_z(opts.as_of)}"):
            read, consent, withdrawal = _decide(
                old, manifest, policy, opts.source, opts.consent, opts.as_of, tmp / "_work",
                opts.engine, opts.threads, memory, opts.verbose,
            )
            withdrawn = withdrawal.withdrawn_uids()
            by_reason = withdrawal.by_reason()
            member_counts, record_counts = withdrawal.counts()
        with ctx.step("data", "copying the kept records"):
            kept = copy_kept(old, tmp, withdrawn,
                             lambda n: ctx.tick(n, manifest["counts"]["records_used"]))
        shutil.rmtree(tmp / "_work", ignore_errors=True)
        with ctx.step("usage", "writing the per-member usage index"):
            write_usage_index(tmp, memory_limit=memory)
        with ctx.step("report", "writing report and manifest"):
            result = _report_and_manifest(
                tmp, old, manifest, policy, opts, instants, kept, len(withdrawn), by_reason,
                member_counts, record_counts, read, consent, ctx,
            )
        published = publish(tmp, out)
    report, new_manifest = result
    retired = None
    if opts.registry:
        from consentgate.snapshot.build import register_published

        register_published(opts.registry, published)
        if opts.delete_unused:
            retired = retire(opts.registry, old, manifest["snapshot_id"],
                             new_manifest["snapshot_id"])
    return PurgeResult(published, new_manifest, report, len(withdrawn), by_reason, ctx.seconds,
                       retired, ctx.stages)


def _report_and_manifest(
    tmp: Path, old: Path, manifest: dict, policy: Policy, opts: PurgeOptions,
    instants: list[str], kept: int, withdrawn: int, by_reason: dict[str, int],
    member_counts: list[dict], record_counts: list[dict], read, consent, ctx: BuildContext,
) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    as_of = ctx.opts.as_of  # the snapshot's own as-of time, T1
    files = content_files(tmp)
    purpose = ctx.opts.purpose
    key = policy.setting_for(purpose).key
    snap_id = snapshot_id(as_of, policy.sha256, files,
                          None if key == policy.setting.key else key)
    files += side_files(tmp)  # the text index, less the withdrawn rows: not in the id
    classes = list(policy.redaction.classes)
    placeholders = count_placeholders(tmp / "data", classes)
    old_manifest_sha = sha256_file(old / "manifest.json")
    purge = {
        "supersedes": manifest["snapshot_id"],
        "supersedes_manifest_sha256": old_manifest_sha,
        "purged_at": instants[-1],
        "instants": instants,
        "withdrawn": withdrawn,
        "withdrawn_by_reason": by_reason,
        "note": "counts are over the records of the superseded snapshot; redactions are "
        "the placeholders in the kept texts (copied, not redacted again)",
    }
    report = build_report(
        snapshot_id=snap_id, policy=policy, as_of=as_of, member_counts=member_counts,
        record_counts=record_counts, redactions=placeholders, engine=opts.engine,
        consent=consent.info, built_at=ctx.started_at, build_seconds=ctx.seconds,
        data_quality=[f.to_json() for f in read.quality], purge=purge,
        purpose=purpose_entry(policy, purpose),
    )
    if report["records"]["used"] != kept:
        raise RuntimeError(f"counts say {report['records']['used']} records kept, data holds {kept}")
    files += [file_entry(tmp, p) for p in write_report(tmp, report)]
    new_manifest = snapshot_manifest(
        snap_id=snap_id, opts=ctx.opts, report=report, key_id=manifest.get("pseudonym_key_id"),
        files=files,
        source=read.manifest_entry(),
        consent=consent.info, redactions=placeholders, started_at=ctx.started_at,
        extra={"supersedes": manifest["snapshot_id"], "purged_at": instants[-1],
               "purge": purge,
               # the kept texts were redacted with the superseded snapshot's rules
               **({"redaction_rules": manifest["redaction_rules"]}
                  if "redaction_rules" in manifest else {})},
    )
    add_dataset_card(tmp, new_manifest)
    write_manifest(tmp, new_manifest)
    return report, new_manifest


def _check_registered(registry_url: str, snapshot_id: str) -> None:
    """--delete-unused trusts the registry's runs: a snapshot it does not know may have been
    used by runs it never heard of, so nothing is purged or deleted."""
    from consentgate.registry import Registry

    with Registry(registry_url, read_only=True) as reg:
        known = reg.find_snapshot(snapshot_id) is not None
        shown = reg.shown
    if not known:
        raise ContractError(
            f"--delete-unused: snapshot {snapshot_id} is not in the registry {shown}, so "
            "nobody can tell whether a training run used it: register it first "
            "(consentgate registry register), or purge without --delete-unused"
        )


def retire(registry_url: str, folder: Path, old_id: str, new_id: str) -> str:
    """After a purge: delete the superseded snapshot outright if no training run used it;
    if one did, delete its data and keep its manifest, report, lineage and usage index for
    audit (and for the members' answers). Returns the state it is left in."""
    from consentgate.registry import Registry

    with Registry(registry_url) as reg:
        runs = reg.runs_using(old_id)
        if not runs:
            shutil.rmtree(folder)
            reg.set_state(old_id, "deleted")
            return "deleted"
        data = sorted((folder / "data").glob("*"))
        (folder / DELETION_FILE).write_text(json.dumps({
            "deleted_at": utc_z(dt.datetime.now(dt.UTC).replace(microsecond=0)),
            "reason": f"purged: superseded by {new_id}; used by training run(s) "
                      f"{', '.join(r.run_id for r in runs)}, so the manifest, report, lineage "
                      "and usage index are kept for audit",
            "superseded_by": new_id,
            "files": [p.relative_to(folder).as_posix() for p in data],
        }, indent=2) + "\n")
        for p in data:
            p.unlink()
        reg.set_state(old_id, "data_deleted")
        return "data_deleted"
