"""The registry's rules: registering snapshots (idempotent, conflicts, supersedes), states,
and the runs' lifecycle, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from consentgate.registry import Registry, RegistryError
from tests.registry.conftest import Built, copy_snapshot, rewrite_manifest

UTC = dt.UTC


def test_register_reads_the_manifest(registry: Registry, built: Built) -> None:
    entry = registry.register_snapshot(built.s1)
    manifest = json.loads((built.s1 / "manifest.json").read_text())
    assert entry.snapshot_id == manifest["snapshot_id"] == built.s1_id
    assert entry.as_of == dt.datetime(2026, 1, 15, tzinfo=UTC)
    assert entry.policy_id == manifest["policy"]["id"]
    assert entry.policy_version == manifest["policy"]["version"]
    assert entry.policy_sha256 == manifest["policy"]["sha256"]
    assert entry.records_used == manifest["counts"]["records_used"] > 0
    assert entry.members_used == manifest["counts"]["members_used"] > 0
    assert entry.engine == "duckdb"
    assert entry.location == built.s1.resolve() and entry.location.is_absolute()
    assert entry.state == "published" and entry.supersedes is None and entry.purged_at is None
    import hashlib

    assert entry.manifest_sha256 == hashlib.sha256((built.s1 / "manifest.json").read_bytes()).hexdigest()
    for t in (entry.as_of, entry.built_at, entry.registered_at, entry.state_changed_at):
        assert t is not None and t.utcoffset() == dt.timedelta(0)
    assert registry.snapshot(entry.snapshot_id) == entry
    assert registry.snapshot(built.s1) == entry  # by folder too
    assert registry.snapshot(str(built.s1)) == entry


def test_registering_twice_changes_nothing(registry: Registry, built: Built, tmp_path: Path) -> None:
    first = registry.register_snapshot(built.s1)
    again = registry.register_snapshot(built.s1)
    assert again == first
    # the same manifest from a copy elsewhere is the same snapshot
    copy = tmp_path / "copy"
    shutil.copytree(built.s1, copy)
    assert registry.register_snapshot(copy) == first
    assert [s.snapshot_id for s in registry.snapshots()] == [first.snapshot_id]


def test_another_manifest_under_a_registered_id_is_refused(
    registry: Registry, built: Built, tmp_path: Path
) -> None:
    registry.register_snapshot(built.s1)
    changed = copy_snapshot(built.s1, tmp_path / "changed", index=False)
    rewrite_manifest(changed, built_at="2030-01-01T00:00:00Z")
    with pytest.raises(RegistryError, match="already registered with another manifest"):
        registry.register_snapshot(changed)
    with pytest.raises(RegistryError, match="another manifest"):
        registry.snapshot(changed)
    assert registry.snapshot(built.s1_id).built_at != dt.datetime(2030, 1, 1, tzinfo=UTC)


def test_bad_folders_and_manifests(registry: Registry, tmp_path: Path, built: Built) -> None:
    with pytest.raises(RegistryError, match=r"no manifest\.json"):
        registry.register_snapshot(tmp_path)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json")
    with pytest.raises(RegistryError, match="not valid JSON"):
        registry.register_snapshot(broken)
    partial = copy_snapshot(built.s1, tmp_path / "partial", index=False)
    manifest = json.loads((partial / "manifest.json").read_text())
    del manifest["policy"]["sha256"]
    (partial / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(RegistryError, match=r"no policy\.sha256"):
        registry.register_snapshot(partial)
    with pytest.raises(RegistryError, match="no snapshot 'snap-nope'"):
        registry.snapshot("snap-nope")
    assert registry.snapshots() == []


def _purged_copy(built: Built, dest: Path, new_id: str, t2: str) -> Path:
    folder = copy_snapshot(built.s1, dest, index=False)
    rewrite_manifest(folder, snapshot_id=new_id, supersedes=built.s1_id, purged_at=t2)
    return folder


def test_a_purged_snapshot_supersedes_the_older_one(
    registry: Registry, built: Built, tmp_path: Path
) -> None:
    registry.register_snapshot(built.s1)
    purged = registry.register_snapshot(
        _purged_copy(built, tmp_path / "p", "snap-purged", "2026-02-10T08:00:00Z")
    )
    assert purged.supersedes == built.s1_id
    assert purged.purged_at == dt.datetime(2026, 2, 10, 8, tzinfo=UTC)
    assert purged.state == "published"
    older = registry.snapshot(built.s1_id)
    assert older.state == "superseded" and older.superseded_by == "snap-purged"


def test_the_older_snapshot_registered_after_the_purge_is_superseded(
    registry: Registry, built: Built, tmp_path: Path
) -> None:
    registry.register_snapshot(
        _purged_copy(built, tmp_path / "p", "snap-purged", "2026-02-10T08:00:00Z")
    )
    older = registry.register_snapshot(built.s1)
    assert older.state == "superseded" and older.superseded_by == "snap-purged"


def test_states_only_move_forward(registry: Registry, built: Built) -> None:
    registry.register_snapshot(built.s1)
    assert registry.set_state(built.s1_id, "published").state == "published"  # no-op
    moved = registry.set_state(built.s1_id, "superseded", superseded_by="snap-x")
    assert moved.state == "superseded" and moved.superseded_by == "snap-x"
    assert registry.set_state(built.s1_id, "data_deleted").state == "data_deleted"
    with pytest.raises(RegistryError, match="cannot go back to published"):
        registry.set_state(built.s1_id, "published")
    with pytest.raises(RegistryError, match="unknown snapshot state"):
        registry.set_state(built.s1_id, "gone")
    with pytest.raises(RegistryError, match="no snapshot"):
        registry.set_state("snap-nope", "deleted")
    assert registry.set_state(built.s1_id, "deleted").state == "deleted"


def test_run_lifecycle(registry: Registry, built: Built) -> None:
    # an unregistered folder is registered by the run
    run = registry.start_run([built.s1], "assistant", "7", params={"lr": 0.001})
    assert run.run_id.startswith("run-") and len(run.run_id) == 36
    assert run.state == "running" and run.finished_at is None
    assert run.snapshot_ids == (built.s1_id,)
    assert run.snapshots[0] == registry.snapshot(built.s1_id)
    assert run.params == {"lr": 0.001}
    assert run.started_at.utcoffset() == dt.timedelta(0)
    done = registry.finish_run(run.run_id)
    assert done.state == "finished" and done.finished_at >= done.started_at
    assert done.finished_at.utcoffset() == dt.timedelta(0)
    with pytest.raises(RegistryError, match="already finished"):
        registry.finish_run(run.run_id)
    with pytest.raises(RegistryError, match="already finished"):
        registry.finish_run(run.run_id, failed=True)
    failed = registry.finish_run(registry.start_run(built.s1_id, "assistant", "8").run_id, failed=True)
    assert failed.state == "failed"
    with pytest.raises(RegistryError, match="no run 'run-nope'"):
        registry.finish_run("run-nope")
    assert [r.run_id for r in registry.runs()] == [run.run_id, failed.run_id]
    assert [r.run_id for r in registry.runs_using(built.s1_id)] == [run.run_id, failed.run_id]
    assert registry.runs(snapshot_id=built.s1_id) == registry.runs_using(built.s1_id)


def test_a_run_may_use_several_snapshots(registry: Registry, built: Built) -> None:
    run = registry.start_run([built.s2, built.s1, str(built.s1)], "assistant")
    assert set(run.snapshot_ids) == {built.s1_id, built.s2_id} and len(run.snapshot_ids) == 2
    assert run.snapshot_ids == (built.s1_id, built.s2_id)  # by as-of
    other = registry.start_run([built.s2_id], "other")
    assert [r.run_id for r in registry.runs_using(built.s1_id)] == [run.run_id]
    assert [r.run_id for r in registry.runs_using(built.s2_id)] == [run.run_id, other.run_id]
    with pytest.raises(RegistryError, match="no snapshot"):
        registry.runs_using("snap-nope")


@pytest.mark.parametrize("state", ["deleted", "data_deleted"])
def test_a_run_on_a_snapshot_without_data_is_refused(
    registry: Registry, built: Built, state: str
) -> None:
    registry.register_snapshot(built.s1)
    registry.set_state(built.s1_id, state)
    with pytest.raises(RegistryError, match=f"is {state}: a run may only use"):
        registry.start_run([built.s1_id], "assistant")
    with pytest.raises(RegistryError, match=f"is {state}"):
        registry.start_run([built.s1], "assistant")  # by folder too
    assert registry.runs() == []


def test_a_run_on_a_superseded_snapshot_is_refused_unless_it_reproduces_one(
    registry: Registry, built: Built
) -> None:
    registry.register_snapshot(built.s1)
    registry.register_snapshot(built.s2)
    registry.set_state(built.s1_id, "superseded", superseded_by=built.s2_id)
    with pytest.raises(RegistryError, match=f"superseded by {built.s2_id}: a purge took out"):
        registry.start_run([built.s2_id, built.s1_id], "assistant")
    assert registry.runs() == []  # nothing recorded, not even for the published one
    run = registry.start_run([built.s1_id], "assistant", allow_superseded=True)
    assert run.state == "running"


def test_run_arguments_are_checked(registry: Registry, built: Built) -> None:
    with pytest.raises(RegistryError, match="at least one snapshot"):
        registry.start_run([], "assistant")
    with pytest.raises(RegistryError, match="model must be a non-empty"):
        registry.start_run([built.s1], "  ")
    with pytest.raises(RegistryError, match="params must be JSON"):
        registry.start_run([built.s1], "m", params={"f": object()})
    with pytest.raises(RegistryError, match="no snapshot 'snap-nope'"):
        registry.start_run(["snap-nope"], "assistant")
    with pytest.raises(RegistryError, match=r"no manifest\.json"):
        registry.start_run([Path("/nonexistent/folder")], "assistant")


def test_models_are_derived_from_runs(registry: Registry, built: Built) -> None:
    a = registry.start_run([built.s1], "assistant", "1")
    registry.finish_run(a.run_id)
    b = registry.start_run([built.s2], "assistant", "2")
    c = registry.start_run([built.s2], "summariser")
    registry.finish_run(c.run_id, failed=True)
    registry.set_state(built.s1_id, "superseded")
    models = {(m.name, m.version): m for m in registry.models()}
    assert models[("assistant", "1")].state == "trained"
    assert models[("assistant", "1")].snapshot_states == {built.s1_id: "superseded"}
    assert models[("assistant", "2")].state == "training"
    assert models[("assistant", "2")].runs == (b.run_id,)
    assert models[("summariser", None)].state == "failed"
    assert models[("summariser", None)].failed_runs == 1


def test_read_only_refuses_writes(registry_url: str, built: Built) -> None:
    with Registry(registry_url) as writable:
        writable.register_snapshot(built.s1)
    with Registry.open_existing(registry_url) as reading:
        assert [s.snapshot_id for s in reading.snapshots()] == [built.s1_id]
        with pytest.raises(RegistryError, match="read-only"):
            reading.register_snapshot(built.s2)
        with pytest.raises(RegistryError, match="read-only"):
            reading.start_run([built.s1_id], "m")
    with Registry.open_existing(registry_url) as reading:
        assert [s.snapshot_id for s in reading.snapshots()] == [built.s1_id]


def test_a_registry_reopened_keeps_everything(registry_url: str, built: Built) -> None:
    with Registry(registry_url) as first:
        run = first.start_run([built.s1, built.s2], "assistant", "1")
    with Registry(registry_url) as second:
        assert second.run(run.run_id) == run
        assert len(second.snapshots()) == 2


def test_the_manifest_s_usage_index_is_kept_and_checked(
    registry: Registry, built: Built, tmp_path: Path
) -> None:
    from consentgate.registry import member_usage
    from consentgate.registry.usage import usage_index_of

    folder = copy_snapshot(built.s1, tmp_path / "s1", index=True)
    index = usage_index_of(folder)
    assert index is not None
    moved = folder / "elsewhere" / "index.parquet"
    moved.parent.mkdir()
    index.rename(moved)
    rewrite_manifest(folder, usage_index="elsewhere/index.parquet")
    entry = registry.register_snapshot(folder)
    assert entry.usage_index == "elsewhere/index.parquet"
    answer = member_usage(registry, built.opted)
    assert [s.snapshot_id for s in answer.snapshots] == [built.s1_id]
    assert answer.snapshots[0].method == "usage_index"

    for bad in ("../outside.parquet", "/abs/index.parquet", 7):
        other = copy_snapshot(built.s1, tmp_path / f"bad{abs(hash(bad))}", index=False)
        rewrite_manifest(other, snapshot_id="snap-bad", usage_index=bad)
        with pytest.raises(RegistryError, match="usage_index"):
            registry.register_snapshot(other)
