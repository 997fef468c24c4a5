"""``training_run``: the run is finished on success and failed on an exception; MLflow
(a real local tracking store) gets each snapshot as a dataset input; OpenLineage (the
client's real FileTransport) gets START, then COMPLETE or FAIL, with the snapshots as
inputs."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from consentgate.registry import Registry, RegistryError, training_run
from tests.registry.conftest import Built

# MLflow's tracking store on SQLAlchemy 2.1
pytestmark = pytest.mark.filterwarnings("ignore:The ``noload`` loader strategy:DeprecationWarning")


class Boom(RuntimeError):
    pass


def test_the_run_is_finished_on_success(tmp_path: Path, built: Built) -> None:
    url = str(tmp_path / "registry.db")
    with (
        training_run(url, [built.s1, built.s2], "assistant", "7", params={"epochs": 2}) as run,
        Registry.open_existing(url) as registry,
    ):
        assert registry.run(run.run_id).state == "running"
    assert run.snapshot_ids == (built.s1_id, built.s2_id)
    assert run.snapshots[0].snapshot_id == built.s1_id
    with Registry.open_existing(url) as registry:
        done = registry.run(run.run_id)
    assert done.state == "finished" and done.finished_at is not None
    assert done.params == {"epochs": 2} and done.model_version == "7"


def test_an_exception_marks_the_run_failed_and_is_re_raised(tmp_path: Path, built: Built) -> None:
    url = str(tmp_path / "registry.db")
    with pytest.raises(Boom), training_run(url, [built.s1], "assistant") as run:
        raise Boom("out of memory")
    with Registry.open_existing(url) as registry:
        assert registry.run(run.run_id).state == "failed"
    # KeyboardInterrupt too
    with pytest.raises(KeyboardInterrupt), training_run(url, [built.s1], "assistant") as run2:
        raise KeyboardInterrupt
    with Registry.open_existing(url) as registry:
        assert registry.run(run2.run_id).state == "failed"


def test_a_refused_run_starts_nothing(tmp_path: Path, built: Built) -> None:
    url = str(tmp_path / "registry.db")
    with Registry(url) as registry:
        registry.register_snapshot(built.s1)
        registry.set_state(built.s1_id, "deleted")
    entered = False
    with pytest.raises(RegistryError, match="is deleted"), training_run(url, [built.s1_id], "m"):
        entered = True
    assert not entered
    with Registry.open_existing(url) as registry:
        assert registry.runs() == []


def test_an_open_registry_can_be_passed(tmp_path: Path, built: Built) -> None:
    with Registry(tmp_path / "registry.db") as registry:
        with training_run(registry, built.s1, "assistant") as run:
            pass
        assert registry.run(run.run_id).state == "finished"  # still open


@pytest.mark.parametrize("extra", ["mlflow", "openlineage"])
def test_a_missing_extra_is_named(
    tmp_path: Path, built: Built, monkeypatch: pytest.MonkeyPatch, extra: str
) -> None:
    # the package cannot be imported, as where the extra is not installed
    for name in list(sys.modules):
        if name == extra or name.startswith(f"{extra}."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, extra, None)
    url = tmp_path / "registry.db"
    kwargs = {"mlflow": True} if extra == "mlflow" else {"openlineage": tmp_path / "ol.jsonl"}
    with (
        pytest.raises(RegistryError, match=rf"pip install 'consentgate\[{extra}\]'"),
        training_run(str(url), [built.s1], "m", **kwargs),
    ):
        pass
    assert not url.exists()  # nothing was recorded


# -- MLflow -----------------------------------------------------------------------------------
@pytest.fixture
def mlflow_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    monkeypatch.setenv("DO_NOT_TRACK", "true")
    import mlflow

    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'mlflow.db'}")
    mlflow.set_experiment("consentgate-tests")
    try:
        yield mlflow
    finally:
        while mlflow.active_run() is not None:
            mlflow.end_run()
        mlflow.set_tracking_uri(previous)


def _inputs(mlflow, run_id: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {d.dataset.name: d for d in mlflow.get_run(run_id).inputs.dataset_inputs}


def test_mlflow_logs_each_snapshot_as_a_dataset_input(
    mlflow_store, tmp_path: Path, built: Built  # type: ignore[no-untyped-def]
) -> None:
    mlflow = mlflow_store
    url = str(tmp_path / "registry.db")
    with training_run(url, [built.s1, built.s2], "assistant", "7", mlflow=True,
                      params={"lr": 0.01}) as run:
        assert mlflow.active_run().info.run_id == run.mlflow_run_id
        mlflow.log_metric("loss", 0.5)
    assert mlflow.active_run() is None  # the run it started is ended
    with Registry.open_existing(url) as registry:
        recorded = registry.run(run.run_id)
    assert recorded.mlflow_run_id == run.mlflow_run_id and recorded.state == "finished"
    logged = mlflow.get_run(run.mlflow_run_id)
    assert logged.info.status == "FINISHED"
    assert logged.data.tags["consentgate.run_id"] == run.run_id
    assert logged.data.params["lr"] == "0.01"
    inputs = _inputs(mlflow, run.mlflow_run_id)
    assert set(inputs) == {built.s1_id, built.s2_id}
    for snap in run.snapshots:
        found = inputs[snap.snapshot_id]
        assert found.dataset.digest == snap.manifest_sha256[:32]
        assert json.loads(found.dataset.source) == {"uri": str(snap.location)}
        tags = {t.key: t.value for t in found.tags}
        assert tags["consentgate.as_of"] == snap.as_of.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert tags["consentgate.manifest_sha256"] == snap.manifest_sha256
        assert tags["consentgate.policy_sha256"] == snap.policy_sha256
        assert tags["consentgate.location"] == str(snap.location)
        assert tags["mlflow.data.context"] == "training"
    assert tags_of(inputs[built.s1_id])["consentgate.as_of"] == "2026-01-15T00:00:00Z"


def tags_of(found) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {t.key: t.value for t in found.tags}


def test_mlflow_inside_an_active_run_leaves_it_open(
    mlflow_store, tmp_path: Path, built: Built  # type: ignore[no-untyped-def]
) -> None:
    mlflow = mlflow_store
    with mlflow.start_run() as outer:
        with training_run(str(tmp_path / "r.db"), [built.s1], "assistant", mlflow=True) as run:
            pass
        assert run.mlflow_run_id == outer.info.run_id
        assert mlflow.active_run() is not None
    assert set(_inputs(mlflow, outer.info.run_id)) == {built.s1_id}


def test_mlflow_marks_a_failed_run(
    mlflow_store, tmp_path: Path, built: Built  # type: ignore[no-untyped-def]
) -> None:
    mlflow = mlflow_store
    url = str(tmp_path / "registry.db")
    with pytest.raises(Boom), training_run(url, [built.s1], "assistant", mlflow=True) as run:
        raise Boom("diverged")
    assert mlflow.get_run(run.mlflow_run_id).info.status == "FAILED"
    with Registry.open_existing(url) as registry:
        assert registry.run(run.run_id).state == "failed"


# -- OpenLineage --------------------------------------------------------------------------------
def _events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_openlineage_start_and_complete(tmp_path: Path, built: Built) -> None:
    events_file = tmp_path / "lineage.jsonl"
    url = str(tmp_path / "registry.db")
    with training_run(url, [built.s1, built.s2], "assistant", "7",
                      openlineage=events_file) as run:
        assert [e["eventType"] for e in _events(events_file)] == ["START"]
    events = _events(events_file)
    assert [e["eventType"] for e in events] == ["START", "COMPLETE"]
    with Registry.open_existing(url) as registry:
        recorded = registry.run(run.run_id)
    assert recorded.openlineage_run_id == run.openlineage_run_id
    for event in events:
        assert event["run"]["runId"] == run.openlineage_run_id
        assert event["job"] == {"namespace": "consentgate", "name": "assistant", "facets": {}}
        assert [(d["namespace"], d["name"]) for d in event["inputs"]] == [
            ("consentgate", built.s1_id), ("consentgate", built.s2_id)
        ]
        assert [d["name"] for d in event["outputs"]] == ["model/assistant"]
        assert event["outputs"][0]["facets"]["version"]["datasetVersion"] == "7"
        first = event["inputs"][0]["facets"]
        snap = run.snapshots[0]
        assert first["version"]["datasetVersion"] == snap.manifest_sha256
        facet = first["consentgate_snapshot"]
        assert facet["asOf"] == "2026-01-15T00:00:00Z"
        assert facet["policyId"] == snap.policy_id
        assert facet["policySha256"] == snap.policy_sha256
        assert facet["manifestSha256"] == snap.manifest_sha256
        assert facet["location"] == str(snap.location)
        assert event["producer"].startswith("https://")


def test_openlineage_fail(tmp_path: Path, built: Built) -> None:
    events_file = tmp_path / "lineage.jsonl"
    with pytest.raises(Boom), training_run(str(tmp_path / "r.db"), [built.s1], "assistant",
                                           openlineage=str(events_file)):
        raise Boom("loss is NaN")
    events = _events(events_file)
    assert [e["eventType"] for e in events] == ["START", "FAIL"]
    error = events[1]["run"]["facets"]["errorMessage"]
    assert error["message"] == "Boom: loss is NaN"
    assert error["programmingLanguage"] == "python"
    assert "raise Boom" in error["stackTrace"]


def test_openlineage_with_a_client(tmp_path: Path, built: Built) -> None:
    from openlineage.client import OpenLineageClient
    from openlineage.client.transport.file import FileConfig, FileTransport

    out = tmp_path / "events.jsonl"
    client = OpenLineageClient(transport=FileTransport(FileConfig(log_file_path=str(out),
                                                                  append=True)))
    with training_run(str(tmp_path / "r.db"), [built.s1], "m", openlineage=client):
        pass
    assert [e["eventType"] for e in _events(out)] == ["START", "COMPLETE"]
    with (
        pytest.raises(RegistryError, match="openlineage must be"),
        training_run(str(tmp_path / "r.db"), [built.s1], "m", openlineage=42),
    ):
        pass
