"""``training_run``: what a training script wraps its training in, so that the registry knows
which model was trained on which snapshots, and optionally MLflow and OpenLineage too.

.. code-block:: python

    from consentgate.registry import training_run

    with training_run("registry.db", ["snapshots/2026-01-15"], "assistant", "7",
                      mlflow=True, openlineage="lineage-events.jsonl") as run:
        train(...)          # an exception marks the run failed, and is re-raised
    print(run.run_id)

MLflow (extra ``mlflow``): inside the active MLflow run, or a new one that ends with the
block, each snapshot is logged as a dataset input (``mlflow.log_input``): its name is the
snapshot id, its digest the first 32 hex digits of the sha256 of its ``manifest.json`` (MLflow
keeps at most 36 characters), its source the snapshot folder, and its tags the as-of,
policy, full manifest sha256 and state. The MLflow run id is recorded in the registry.

OpenLineage (extra ``openlineage``): a START event on entry, COMPLETE on success, FAIL (with
the error message) on an exception. Inputs: the snapshots (namespace ``consentgate``, name the
snapshot id, a version facet with the manifest sha256, and a ``consentgate_snapshot`` facet
with the as-of, policy and location); output: the model (``model/NAME``); job: the model
name. ``openlineage`` is a client (``OpenLineageClient``), a path (events appended to that
file, one JSON object per line, with the client's FileTransport), or True (a client
configured the client's own way: ``OPENLINEAGE_URL``, ``openlineage.yml``, …).
"""

from __future__ import annotations

import traceback
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from consentgate import __version__
from consentgate.registry.errors import RegistryError
from consentgate.registry.store import Registry, RunEntry, SnapshotEntry
from consentgate.registry.times import utc_z

NAMESPACE = "consentgate"
PRODUCER = f"https://pypi.org/project/consentgate/{__version__}"
MLFLOW_DIGEST_CHARS = 32  # MLflow keeps dataset digests of at most 36 characters


def _missing(extra: str, exc: ModuleNotFoundError) -> RegistryError:
    return RegistryError(
        f"{extra} support needs the {exc.name!r} package: pip install 'consentgate[{extra}]'"
    )


def _import_mlflow() -> Any:
    try:
        import mlflow
    except ModuleNotFoundError as exc:
        raise _missing("mlflow", exc) from exc
    return mlflow


def _import_openlineage() -> Any:
    try:
        import openlineage.client
    except ModuleNotFoundError as exc:
        raise _missing("openlineage", exc) from exc
    return openlineage.client


@contextmanager
def training_run(
    registry_url: str | Path | Registry,
    snapshots: Sequence[str | Path | SnapshotEntry] | str | Path,
    model: str,
    model_version: str | None = None,
    *,
    mlflow: bool = False,
    openlineage: Any = None,
    params: dict[str, Any] | None = None,
    allow_superseded: bool = False,
) -> Iterator[RunEntry]:
    """Start a run of ``model`` on ``snapshots`` on entry, finish it on a normal exit, mark
    it failed on an exception (which is re-raised). Yields the :class:`RunEntry`.
    A superseded snapshot is refused unless ``allow_superseded`` (see
    :meth:`Registry.start_run`)."""
    # Missing extras are reported before anything is recorded.
    mlflow_mod = _import_mlflow() if mlflow else None
    lineage = _Lineage(openlineage) if openlineage not in (None, False) else None
    owned = not isinstance(registry_url, Registry)
    registry = Registry(registry_url) if owned else registry_url  # type: ignore[arg-type]
    try:
        run = registry.start_run(snapshots, model, model_version, params,
                                 allow_superseded=allow_superseded)
        mlflow_run = None
        try:
            if mlflow_mod is not None:
                mlflow_run = _MlflowRun(mlflow_mod, run)
                run = registry.set_external_ids(run.run_id, mlflow_run_id=mlflow_run.run_id)
            if lineage is not None:
                lineage_id = lineage.start(run)
                run = registry.set_external_ids(run.run_id, openlineage_run_id=lineage_id)
        except BaseException:
            registry.finish_run(run.run_id, failed=True)
            if mlflow_run is not None:
                mlflow_run.end(failed=True)
            raise
        try:
            yield run
        except BaseException as exc:
            registry.finish_run(run.run_id, failed=True)
            try:
                if lineage is not None:
                    lineage.fail(run, exc)
            finally:
                if mlflow_run is not None:
                    mlflow_run.end(failed=True)
            raise
        finished = registry.finish_run(run.run_id)
        try:
            if lineage is not None:
                lineage.complete(finished)
        finally:
            if mlflow_run is not None:
                mlflow_run.end(failed=False)
    finally:
        if owned:
            registry.close()


# -- MLflow ---------------------------------------------------------------------------------
class _MlflowRun:
    """The MLflow run the snapshots are logged into: the active one (left open), or a new
    one (ended with the block)."""

    def __init__(self, mlflow: Any, run: RunEntry) -> None:
        self.mlflow = mlflow
        active = mlflow.active_run()
        self.owned = active is None
        self.active = active if active is not None else mlflow.start_run(run_name=run.model)
        self.run_id: str = self.active.info.run_id
        try:
            mlflow.set_tags(
                {
                    "consentgate.run_id": run.run_id,
                    "consentgate.model": run.model,
                    "consentgate.model_version": run.model_version or "",
                    "consentgate.snapshots": ",".join(run.snapshot_ids),
                }
            )
            if run.params:
                mlflow.log_params({k: _param(v) for k, v in run.params.items()})
            for snap in run.snapshots:
                log_snapshot_input(mlflow, snap)
        except BaseException:
            self.end(failed=True)
            raise

    def end(self, failed: bool) -> None:
        if self.owned:
            self.mlflow.end_run(status="FAILED" if failed else "FINISHED")
            self.owned = False


def _param(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) else str(value)


def mlflow_digest(snapshot: SnapshotEntry) -> str:
    return snapshot.manifest_sha256[:MLFLOW_DIGEST_CHARS]


def log_snapshot_input(mlflow: Any, snapshot: SnapshotEntry, context: str = "training") -> None:
    """Log one snapshot as a dataset input of the active MLflow run."""
    from mlflow.data.meta_dataset import MetaDataset

    dataset = MetaDataset(
        source=_local_source(str(snapshot.location)),
        name=snapshot.snapshot_id,
        digest=mlflow_digest(snapshot),
    )
    mlflow.log_input(
        dataset,
        context=context,
        tags={
            "consentgate.as_of": _z(snapshot),
            "consentgate.policy_id": snapshot.policy_id,
            "consentgate.policy_version": snapshot.policy_version,
            "consentgate.policy_sha256": snapshot.policy_sha256,
            "consentgate.manifest_sha256": snapshot.manifest_sha256,
            "consentgate.location": str(snapshot.location),
            "consentgate.state": snapshot.state,
            "consentgate.records": str(snapshot.records_used),
        },
    )


def _local_source(location: str) -> Any:
    """MLflow's source for a local folder (source type ``local``)."""
    import json

    from mlflow.data.dataset_source_registry import get_dataset_source_from_json

    return get_dataset_source_from_json(json.dumps({"uri": location}), source_type="local")


def _z(snapshot: SnapshotEntry) -> str:
    return utc_z(snapshot.as_of)


# -- OpenLineage ----------------------------------------------------------------------------
class _Lineage:
    """OpenLineage events for one run."""

    def __init__(self, target: Any) -> None:
        ol = _import_openlineage()
        from openlineage.client import OpenLineageClient

        if isinstance(target, OpenLineageClient):
            self.client = target
        elif target is True:
            self.client = OpenLineageClient()
        elif isinstance(target, str | Path):
            from openlineage.client.transport.file import FileConfig, FileTransport

            self.client = OpenLineageClient(
                transport=FileTransport(FileConfig(log_file_path=str(target), append=True))
            )
        else:
            raise RegistryError(
                "openlineage must be an OpenLineageClient, a file path, True or None; "
                f"got {type(target).__name__}"
            )
        self.ol = ol
        self.run_uuid = ""

    def start(self, run: RunEntry) -> str:
        self.run_uuid = str(uuid.UUID(run.run_id.removeprefix("run-")))
        self._emit("START", run)
        return self.run_uuid

    def complete(self, run: RunEntry) -> None:
        self._emit("COMPLETE", run)

    def fail(self, run: RunEntry, exc: BaseException) -> None:
        from openlineage.client.facet_v2 import error_message_run

        facet = error_message_run.ErrorMessageRunFacet(
            message=f"{type(exc).__name__}: {exc}",
            programmingLanguage="python",
            stackTrace="".join(traceback.format_exception(exc)),
        )
        self._emit("FAIL", replace(run, state="failed"), {"errorMessage": facet})

    def _emit(self, state: str, run: RunEntry, run_facets: dict[str, Any] | None = None) -> None:
        import datetime as dt

        from openlineage.client.event_v2 import Job, Run, RunEvent, RunState

        event = RunEvent(
            eventType=RunState[state],
            eventTime=dt.datetime.now(dt.UTC).isoformat(),
            run=Run(runId=self.run_uuid, facets=run_facets or {}),
            job=Job(namespace=NAMESPACE, name=run.model),
            inputs=[_input_dataset(s) for s in run.snapshots],
            outputs=[_model_dataset(run)],
            producer=PRODUCER,
        )
        self.client.emit(event)


def _snapshot_facet_class() -> Any:
    import attr
    from openlineage.client.generated.base import DatasetFacet

    @attr.define
    class ConsentgateSnapshotDatasetFacet(DatasetFacet):
        """What consentgate knows of a snapshot (a custom facet: prefixed ``consentgate_``)."""

        snapshotId: str
        asOf: str
        state: str
        policyId: str
        policyVersion: str
        policySha256: str
        manifestSha256: str
        location: str
        recordsUsed: int

        @staticmethod
        def _get_schema() -> str:
            return "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetFacet"

    return ConsentgateSnapshotDatasetFacet


_FACET_CLASS: Any = None


def _input_dataset(snapshot: SnapshotEntry) -> Any:
    global _FACET_CLASS
    from openlineage.client.event_v2 import InputDataset
    from openlineage.client.facet_v2 import dataset_version_dataset

    if _FACET_CLASS is None:
        _FACET_CLASS = _snapshot_facet_class()
    return InputDataset(
        namespace=NAMESPACE,
        name=snapshot.snapshot_id,
        facets={
            "version": dataset_version_dataset.DatasetVersionDatasetFacet(
                datasetVersion=snapshot.manifest_sha256
            ),
            "consentgate_snapshot": _FACET_CLASS(
                snapshotId=snapshot.snapshot_id,
                asOf=_z(snapshot),
                state=snapshot.state,
                policyId=snapshot.policy_id,
                policyVersion=snapshot.policy_version,
                policySha256=snapshot.policy_sha256,
                manifestSha256=snapshot.manifest_sha256,
                location=str(snapshot.location),
                recordsUsed=snapshot.records_used,
            ),
        },
    )


def _model_dataset(run: RunEntry) -> Any:
    from openlineage.client.event_v2 import OutputDataset
    from openlineage.client.facet_v2 import dataset_version_dataset

    facets: dict[str, Any] = {}
    if run.model_version is not None:
        facets["version"] = dataset_version_dataset.DatasetVersionDatasetFacet(
            datasetVersion=run.model_version
        )
    return OutputDataset(namespace=NAMESPACE, name=f"model/{run.model}", facets=facets)


__all__ = ["NAMESPACE", "log_snapshot_input", "mlflow_digest", "training_run"]
