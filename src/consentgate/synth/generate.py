"""``generate``: write a synthetic professional network that ``open_source`` accepts, with the
ground truth of every personal-data value planted in its texts and of the decoys."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from consentgate.contract.schema import RECORD_KINDS
from consentgate.synth import timeline
from consentgate.synth.groups import generate_groups
from consentgate.synth.lang import LANGUAGES
from consentgate.synth.members import generate_members
from consentgate.synth.notifications import generate_notifications
from consentgate.synth.pii import Pools
from consentgate.synth.preferences import generate_preferences
from consentgate.synth.records import SPAN_SCHEMA, RunContext, build_chunk
from consentgate.synth.slots import MemberLookups
from consentgate.synth.writer import StreamWriter, write_json, write_table

GENERATOR_VERSION = "1.0.0"
CHUNK_MEMBERS = 5_000  # ~250k records per records/part-NNNNN.parquet

Progress = Callable[[str, int], None]


@dataclass
class GenerateStats:
    """What ``generate`` wrote."""

    out: Path
    members: int
    seed: int
    counts: dict[str, int] = field(default_factory=dict)  # rows per contract table
    records_by_kind: dict[str, int] = field(default_factory=dict)
    ground_truth: int = 0
    ground_truth_by_class: dict[str, int] = field(default_factory=dict)
    decoys: int = 0
    decoys_by_class: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)  # relative path -> bytes
    seconds: float = 0.0

    @property
    def records(self) -> int:
        return self.counts.get("records", 0)

    @property
    def bytes_written(self) -> int:
        return sum(self.files.values())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["out"] = str(self.out)
        data["records"] = self.records
        data["bytes_written"] = self.bytes_written
        return data


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a directory; choose a new output folder")
    if out.is_dir() and any(out.iterdir()):
        raise FileExistsError(
            f"{out} exists and is not empty; refusing to overwrite it"
            " (choose a new or an empty folder)"
        )


def _pool_size(members: int) -> int:
    return int(min(1000, max(64, members // 20)))


def generate(
    out: Path, members: int, seed: int = 0, progress: Progress | None = None
) -> GenerateStats:
    """Generate a network of ``members`` members (about 50 records each) into the new folder
    ``out``. The same (members, seed) always gives byte-identical Parquet files.

    ``progress(stage, count)`` is called after each step: ``members``, ``education``,
    ``groups``, ``preference_events``, ``pools`` and, after each chunk, ``records`` with the
    number of records written so far.
    """
    out = Path(out)
    _check_out(out)
    if members < 1:
        raise ValueError("members must be at least 1")
    if seed < 0:
        raise ValueError("seed must be a non-negative integer")
    started = time.perf_counter()
    report: Progress = progress or (lambda stage, n: None)
    stats = GenerateStats(out=out, members=members, seed=seed)

    out.parent.mkdir(parents=True, exist_ok=True)
    # build next to the destination, then rename: a failed run leaves no half-written folder
    work = out.parent / f".{out.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.partial"
    work.mkdir()
    try:
        _generate_into(work, members, seed, report, stats)
        _check_out(out)
        if out.is_dir():
            out.rmdir()
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    stats.seconds = time.perf_counter() - started
    return stats


def _generate_into(work: Path, n: int, seed: int, report: Progress, stats: GenerateStats) -> None:
    files = stats.files
    m = generate_members(n, seed)
    files["members.parquet"] = write_table(m.table(), work / "members.parquet")
    stats.counts["members"] = n
    report("members", n)
    assert m.education is not None
    files["education.parquet"] = write_table(m.education, work / "education.parquet")
    stats.counts["education"] = m.education.num_rows
    report("education", m.education.num_rows)

    lang_share = np.bincount(m.text_lang, minlength=len(LANGUAGES)) / n
    groups = generate_groups(n, seed, lang_share)
    files["groups.parquet"] = write_table(groups.table(), work / "groups.parquet")
    stats.counts["groups"] = groups.n_real
    report("groups", groups.n_real)

    prefs = generate_preferences(m, seed)
    files["preference_events.parquet"] = write_table(prefs, work / "preference_events.parquet")
    stats.counts["preference_events"] = prefs.num_rows
    report("preference_events", prefs.num_rows)

    notices = generate_notifications(m, seed)
    files["notifications.parquet"] = write_table(notices, work / "notifications.parquet")
    stats.counts["notifications"] = notices.num_rows
    report("notifications", notices.num_rows)

    pools = Pools(seed, _pool_size(n))
    report("pools", _pool_size(n))
    ctx = RunContext(seed, m, MemberLookups(m), groups, pools)

    (work / "records").mkdir()
    by_kind = np.zeros(len(RECORD_KINDS), dtype=np.int64)
    gt_by: dict[str, int] = {}
    dec_by: dict[str, int] = {}
    gt_writer = StreamWriter(work / "ground_truth.parquet", SPAN_SCHEMA)
    dec_writer = StreamWriter(work / "decoys.parquet", SPAN_SCHEMA)
    written = 0
    for chunk, m0 in enumerate(range(0, n, CHUNK_MEMBERS)):
        part = build_chunk(ctx, chunk, m0, min(n, m0 + CHUNK_MEMBERS), written)
        name = f"records/part-{chunk:05d}.parquet"
        files[name] = write_table(part.records, work / name)
        gt_writer.write(part.ground_truth)
        dec_writer.write(part.decoys)
        written += part.records.num_rows
        by_kind += part.by_kind
        for target, source in ((gt_by, part.by_class), (dec_by, part.decoys_by_class)):
            for k, v in source.items():
                target[k] = target.get(k, 0) + v
        report("records", written)
    files["ground_truth.parquet"] = gt_writer.close()
    files["decoys.parquet"] = dec_writer.close()
    stats.counts["records"] = written
    stats.records_by_kind = {k: int(v) for k, v in zip(RECORD_KINDS, by_kind, strict=True)}
    stats.ground_truth_by_class = dict(sorted(gt_by.items()))
    stats.ground_truth = sum(gt_by.values())
    stats.decoys_by_class = dict(sorted(dec_by.items()))
    stats.decoys = sum(dec_by.values())

    meta = {
        "generator": "consentgate.synth",
        "version": GENERATOR_VERSION,
        "seed": seed,
        "members": n,
        "chunk_members": CHUNK_MEMBERS,
        "counts": dict(sorted(stats.counts.items())),
        "records_by_kind": stats.records_by_kind,
        "ground_truth": stats.ground_truth,
        "ground_truth_by_class": stats.ground_truth_by_class,
        "decoys": stats.decoys,
        "decoys_by_class": stats.decoys_by_class,
        "rollouts": [d.isoformat() for d in timeline.rollouts()],
        "time_frame": {"start": "2004-01-01", "end": "2026-10-31T23:59:59Z"},
        "files": dict(sorted(files.items())),
    }
    files["generator.json"] = write_json(meta, work / "generator.json")
