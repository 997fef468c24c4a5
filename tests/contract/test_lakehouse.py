"""Delta Lake and Iceberg sources: a snapshot built from either equals the one built from the
same data as Parquet, the contract check says the same things, and verify sees the source
move when a table gets a new commit or snapshot."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable, write_deltalake
from pyiceberg.catalog.sql import SqlCatalog
from typer.testing import CliRunner

from consentgate.cli import app
from consentgate.contract import TABLES, ContractError, open_source
from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
from consentgate.synth import generate

POLICY = load_policy("linkedin-2025")
T = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
NAMESPACE = "network"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "22" * 32)


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic network as Parquet: the reference every lakehouse build is compared with."""
    out = tmp_path_factory.mktemp("lake") / "parquet"
    generate(out, members=40, seed=3)
    return out


def tables_of(root: Path) -> dict[str, pa.Table]:
    out = {}
    for name in TABLES:
        path = root / f"{name}.parquet"
        out[name] = ds.dataset(path if path.exists() else root / name).to_table()
    return out


# partition columns are not in the data files: their values (strings, dates, nulls) come from
# the Delta log
PARTITIONS = {"records": ["visibility"], "members": ["country"], "education": ["end_date"]}


def write_delta(root: Path, tables: dict[str, pa.Table]) -> Path:
    """One Delta table per contract table, some partitioned."""
    for name, table in tables.items():
        write_deltalake(str(root / name), table, partition_by=PARTITIONS.get(name))
    return root


def write_iceberg(folder: Path, tables: dict[str, pa.Table], toml_name: str = "lake.toml") -> Path:
    """Iceberg tables in a SQLite SQL catalog, and the TOML file that names them."""
    folder.mkdir(parents=True, exist_ok=True)
    catalog = iceberg_catalog(folder)
    catalog.create_namespace(NAMESPACE)
    for name, table in tables.items():
        created = catalog.create_table(f"{NAMESPACE}.{name}", schema=table.schema)
        if table.num_rows:
            created.append(table)
    spec = folder / toml_name
    spec.write_text(
        f'[iceberg]\ncatalog = "catalog.db"\nname = "lake"\nnamespace = "{NAMESPACE}"\n'
        'warehouse = "warehouse"\n'
    )
    return spec


def iceberg_catalog(folder: Path) -> SqlCatalog:
    (folder / "warehouse").mkdir(exist_ok=True)
    return SqlCatalog("lake", uri=f"sqlite:///{folder / 'catalog.db'}",
                      warehouse=(folder / "warehouse").as_uri())


def build(source: Path, out: Path):
    return build_snapshot(BuildOptions(source=source, policy=POLICY, as_of=T, out=out))


def rows(folder: Path, drop: tuple[str, ...] = ()) -> list[dict]:
    table = pq.read_table(folder)
    table = table.drop_columns([c for c in drop if c in table.column_names])
    return sorted(table.to_pylist(), key=lambda r: r["record_uid"])


def assert_same_snapshot(lake: Path, parquet: Path) -> None:
    """Same records, texts and pseudonyms; the lineage differs only in the source's
    fingerprint, which names the files read."""
    data = rows(lake / "data")
    assert data and data == rows(parquet / "data")
    assert rows(lake / "lineage", ("source_fingerprint",)) == \
        rows(parquet / "lineage", ("source_fingerprint",))
    lake_report = json.loads((lake / "report.json").read_text())
    want = json.loads((parquet / "report.json").read_text())
    for part in ("members", "records", "redactions"):
        assert lake_report[part] == want[part]


@pytest.fixture(scope="module")
def parquet_snapshot(network: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("snaps") / "from-parquet"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONSENTGATE_PSEUDONYM_KEY", "22" * 32)
        build(network, out)
    return out


# -- a snapshot from each format equals the Parquet one ----------------------------------------
def test_delta_source_builds_the_parquet_snapshot_and_verify_sees_a_new_commit(
    network: Path, parquet_snapshot: Path, tmp_path: Path
) -> None:
    tables = tables_of(network)
    root = write_delta(tmp_path / "delta", tables)
    # a second commit that replaces the records: the source must read version 1 only, not
    # the files of version 0 that are still on disk
    write_deltalake(str(root / "records"), tables["records"], mode="overwrite",
                    partition_by=["visibility"])
    src = open_source(root)
    assert src.kind == "delta"
    assert src.count("records") == tables["records"].num_rows
    assert src.table_versions()["records"]["version"] == 1

    snap = tmp_path / "snap"
    res = build(root, snap)
    assert_same_snapshot(snap, parquet_snapshot)
    recorded = res.manifest["inputs"]["source"]
    assert recorded["kind"] == "delta" and recorded["path"] == str(root)
    assert recorded["tables"]["records"] == {
        "format": "delta", "location": str((root / "records").resolve()), "version": 1,
        "files_sha256": src.table_versions()["records"]["files_sha256"],
    }
    assert recorded["tables"]["members"]["version"] == 0
    assert verify_snapshot(snap, root, POLICY).ok
    # the fingerprint names the versions and files read, not where they lie
    copy = shutil.copytree(root, tmp_path / "copied")
    assert verify_snapshot(snap, copy, POLICY).ok

    # one more record: a new commit on one table
    extra = tables["records"].slice(0, 1).to_pylist()
    extra[0]["record_id"] = "late-arrival"
    write_deltalake(str(root / "records"), pa.Table.from_pylist(extra, tables["records"].schema),
                    mode="append", partition_by=["visibility"])
    after = verify_snapshot(snap, root, POLICY)
    moved = [v for v in after.violations if v.check == "source"]
    assert len(moved) == 1
    assert "records moved: Delta version 1 → 2" in moved[0].message
    assert "members" not in moved[0].message


def test_iceberg_source_builds_the_parquet_snapshot_and_verify_sees_a_new_snapshot(
    network: Path, parquet_snapshot: Path, tmp_path: Path
) -> None:
    tables = tables_of(network)
    spec = write_iceberg(tmp_path / "ice", tables)
    src = open_source(spec)
    assert src.kind == "iceberg"
    assert src.count("records") == tables["records"].num_rows
    assert src.read_table("members").schema.field("joined_at").type == \
        pa.timestamp("us", tz="UTC")

    snap = tmp_path / "snap"
    res = build(spec, snap)
    assert_same_snapshot(snap, parquet_snapshot)
    recorded = res.manifest["inputs"]["source"]
    catalog = iceberg_catalog(tmp_path / "ice")
    records = catalog.load_table(f"{NAMESPACE}.records")
    first = records.current_snapshot().snapshot_id
    assert recorded["kind"] == "iceberg"
    assert recorded["tables"]["records"]["snapshot_id"] == first
    assert recorded["tables"]["records"]["location"] == records.metadata.location
    assert verify_snapshot(snap, spec, POLICY).ok

    # a member deleted upstream, as an Iceberg copy-on-write delete: a new snapshot
    members = catalog.load_table(f"{NAMESPACE}.members")
    before = members.current_snapshot().snapshot_id
    gone = tables["members"]["member_id"][0].as_py()
    members.delete(f"member_id == '{gone}'")
    now = catalog.load_table(f"{NAMESPACE}.members").current_snapshot().snapshot_id
    assert open_source(spec).count("members") == tables["members"].num_rows - 1
    moved = [v for v in verify_snapshot(snap, spec, POLICY).violations if v.check == "source"]
    assert len(moved) == 1
    assert f"members moved: Iceberg snapshot {before} → {now}" in moved[0].message


def test_cli_builds_and_verifies_from_an_iceberg_file_and_a_delta_folder(
    network: Path, tmp_path: Path
) -> None:
    tables = tables_of(network)
    sources = [write_iceberg(tmp_path / "ice", tables), write_delta(tmp_path / "delta", tables)]
    for i, source in enumerate(sources):
        out = tmp_path / f"snap{i}"
        built = runner.invoke(app, ["build", "--source", str(source), "--as-of", "2025-12-01",
                                    "--out", str(out), "--quiet"])
        assert built.exit_code == 0, built.output
        assert built.output.strip().splitlines()[-1] == str(out)
        checked = runner.invoke(app, ["verify", str(out), "--source", str(source)])
        assert checked.exit_code == 0, checked.output
        assert "clean" in checked.output


def test_iceberg_file_may_name_the_catalog_by_url(network: Path, tmp_path: Path) -> None:
    spec = write_iceberg(tmp_path / "ice", tables_of(network))
    by_url = tmp_path / "by-url.toml"
    by_url.write_text(f'[iceberg]\nuri = "sqlite:///{tmp_path / "ice" / "catalog.db"}"\n'
                      f'name = "lake"\nnamespace = "{NAMESPACE}"\n')
    assert open_source(by_url).fingerprints() == open_source(spec).fingerprints()


def test_a_table_with_no_data_files_yet_is_empty_and_typed(tmp_path: Path) -> None:
    schema = TABLES["preference_events"].arrow_schema()
    spec = write_iceberg(tmp_path / "ice", {"preference_events": schema.empty_table()})
    DeltaTable.create(str(tmp_path / "delta" / "preference_events"), schema=schema)
    for source, version in ((spec, "snapshot_id"), (tmp_path / "delta", "version")):
        src = open_source(source, tables=["preference_events"])
        assert src.count("preference_events") == 0
        assert src.table_versions()["preference_events"][version] == \
            (None if version == "snapshot_id" else 0)
        got = src.read_table("preference_events").schema
        assert got.field("effective_at").type == pa.timestamp("us", tz="UTC")
        assert got.field("value").type == pa.bool_()


# -- the contract check's errors, for both formats ----------------------------------------------
def without_groups(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return {k: v for k, v in tables.items() if k != "groups"}


def without_visibility(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return dict(tables, records=tables["records"].drop_columns(["visibility"]))


def birth_date_as_text(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    members = tables["members"]
    i = members.schema.get_field_index("birth_date")
    text = pc.cast(members["birth_date"], pa.string())
    return dict(tables, members=members.set_column(i, pa.field("birth_date", pa.string()), text))


BROKEN = [
    (without_groups, "missing table 'groups'"),
    (without_visibility, r"table 'records' is missing column 'visibility'"),
    (birth_date_as_text, r"column members\.birth_date has type VARCHAR, expected date"),
]


def lake_writers():
    def delta(tmp: Path, tables):
        for name, table in tables.items():  # unpartitioned: the column may be missing
            write_deltalake(str(tmp / "delta" / name), table)
        return tmp / "delta"

    def iceberg(tmp: Path, tables):
        return write_iceberg(tmp / "ice", tables)

    return [pytest.param(delta, id="delta"), pytest.param(iceberg, id="iceberg")]


@pytest.mark.parametrize("writer", lake_writers())
@pytest.mark.parametrize(("breakage", "message"), BROKEN, ids=["table", "column", "type"])
def test_contract_errors_are_the_parquet_ones_and_nothing_is_built(
    network: Path, tmp_path: Path, writer, breakage, message: str
) -> None:
    tables = breakage(tables_of(network))
    source = writer(tmp_path, tables)
    with pytest.raises(ContractError, match=message) as lake_error:
        open_source(source)
    assert str(lake_error.value).startswith(f"{source}: ")
    out = tmp_path / "snap"
    with pytest.raises(ContractError, match=message):
        build(source, out)
    assert not out.exists()
    # the same breakage written as Parquet says the same thing
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    for name, table in tables.items():
        pq.write_table(table, parquet / f"{name}.parquet")
    with pytest.raises(ContractError) as parquet_error:
        open_source(parquet)
    assert str(lake_error.value).split(": ", 1)[1].split(" (")[0] == \
        str(parquet_error.value).split(": ", 1)[1].split(" (")[0]


def test_a_folder_with_one_delta_table_must_have_them_all(network: Path, tmp_path: Path) -> None:
    tables = tables_of(network)
    root = write_delta(tmp_path / "mixed", without_groups(tables))
    pq.write_table(tables["groups"], root / "groups.parquet")
    with pytest.raises(ContractError, match=r"missing table 'groups' \(expected a Delta table"):
        open_source(root)


def test_delta_column_mapping_is_refused_by_name(network: Path, tmp_path: Path) -> None:
    tables = tables_of(network)
    root = write_delta(tmp_path / "delta", without_groups(tables))
    write_deltalake(str(root / "groups"), tables["groups"],
                    configuration={"delta.columnMapping.mode": "name"})
    assert DeltaTable(str(root / "groups")).metadata().configuration[
        "delta.columnMapping.mode"] == "name"
    with pytest.raises(ContractError, match=r"Delta table 'groups'\): column mapping \('name'\)"):
        open_source(root)


def test_iceberg_renamed_column_is_refused_by_name(network: Path, tmp_path: Path) -> None:
    tables = tables_of(network)
    groups = tables["groups"].rename_columns(["group_id", "title", "sensitive"])
    spec = write_iceberg(tmp_path / "ice", dict(tables, groups=groups))
    table = iceberg_catalog(tmp_path / "ice").load_table(f"{NAMESPACE}.groups")
    with table.update_schema() as update:
        update.rename_column("title", "name")
    with pytest.raises(ContractError, match=r"network\.groups\): renamed column\(s\) name / title"):
        open_source(spec)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('namespace = "x"\n', r"in an \[iceberg\] table"),
        ('[iceberg]\ncatalog = "catalog.db"\n', "needs namespace"),
        ('[iceberg]\nnamespace = "n"\n', "needs one of catalog"),
        ('[iceberg]\ncatalog = "nowhere.db"\nnamespace = "n"\n', "no such Iceberg catalog file"),
        ('[iceberg]\ncatalog = "catalog.db"\nnamespace = "n"\nwarhouse = "w"\n',
         r"unknown key\(s\) in \[iceberg\]: warhouse"),
        ('[iceberg\n', "not a readable TOML Iceberg source"),
    ],
)
def test_iceberg_file_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    iceberg_catalog(tmp_path).create_namespace("n")  # catalog.db exists
    spec = tmp_path / "lake.toml"
    spec.write_text(text)
    with pytest.raises(ContractError, match=message):
        open_source(spec)


def test_iceberg_namespace_missing_is_named(network: Path, tmp_path: Path) -> None:
    spec = write_iceberg(tmp_path / "ice", tables_of(network))
    spec.write_text(spec.read_text().replace(f'"{NAMESPACE}"', '"elsewhere"'))
    with pytest.raises(ContractError, match="the catalog has no namespace 'elsewhere'"):
        open_source(spec)


# -- the other places a source is given -----------------------------------------------------------
@pytest.mark.parametrize("writer", lake_writers())
def test_consent_and_explain_from_a_lakehouse_source(
    network: Path, parquet_snapshot: Path, tmp_path: Path, writer
) -> None:
    tables = tables_of(network)
    consent = writer(tmp_path / "consent", {"preference_events": tables["preference_events"]})
    res = build_snapshot(BuildOptions(source=network, policy=POLICY, as_of=T,
                                      out=tmp_path / "snap", consent=str(consent)))
    assert rows(tmp_path / "snap" / "data") == rows(parquet_snapshot / "data")
    recorded = res.manifest["inputs"]["consent"]
    read = open_source(consent, tables=["preference_events"])
    assert read.kind in ("delta", "iceberg")
    assert recorded["fingerprints"] == read.fingerprints()
    assert recorded["tables"] == read.table_versions()
    assert recorded["tables"]["preference_events"]["format"] == read.kind

    source = writer(tmp_path / "full", tables)
    member = tables["members"]["member_id"][0].as_py()
    from_lake = runner.invoke(app, ["explain", "--source", str(source), "--member", member,
                                    "--as-of", "2025-12-01", "--json"])
    from_parquet = runner.invoke(app, ["explain", "--source", str(network), "--member", member,
                                       "--as-of", "2025-12-01", "--json"])
    assert from_lake.exit_code == 0, from_lake.output
    assert json.loads(from_lake.output) == json.loads(from_parquet.output)


@pytest.mark.spark
@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
def test_spark_engine_reads_delta_and_iceberg_sources(
    network: Path, parquet_snapshot: Path, tmp_path: Path
) -> None:
    pytest.importorskip("pyspark")
    tables = tables_of(network)
    for source in (write_delta(tmp_path / "delta", tables), write_iceberg(tmp_path / "ice", tables)):
        out = tmp_path / f"snap-{source.name}"
        build_snapshot(BuildOptions(source=source, policy=POLICY, as_of=T, out=out,
                                    engine="spark"))
        assert_same_snapshot(out, parquet_snapshot)


def test_purge_from_a_delta_source_after_an_opt_out_commit(
    network: Path, tmp_path: Path
) -> None:
    from consentgate.contract import SETTING_KEY
    from consentgate.snapshot.purge import PurgeOptions, purge_snapshot

    root = write_delta(tmp_path / "delta", tables_of(network))
    snap = tmp_path / "snap"
    build(root, snap)
    member = pq.read_table(snap / "lineage")["member_id"][0].as_py()
    events = DeltaTable(str(root / "preference_events")).to_pyarrow_table()
    opt_out = [dict(member_id=member, setting=SETTING_KEY, value=False,
                    effective_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), source="web")]
    write_deltalake(str(root / "preference_events"),
                    pa.Table.from_pylist(opt_out, events.schema), mode="append")
    t2 = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    purged = purge_snapshot(PurgeOptions(snapshot=snap, source=root, as_of=t2,
                                         out=tmp_path / "purged"))
    assert purged.withdrawn >= 1
    assert member not in set(pq.read_table(purged.out / "lineage")["member_id"].to_pylist())
    assert purged.manifest["inputs"]["source"]["tables"]["preference_events"]["version"] == 1
    assert verify_snapshot(purged.out, root, POLICY).ok
