"""Every snapshot carries a dataset card (README.md): Hugging Face `datasets` loads the data
through the card's configs (and nothing restricted), the YAML header parses and states the
purpose, policy, as-of and usage preference, the card is the same for the same inputs, it is
in the manifest, and verify checks that it says what the manifest says."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from consentgate.policy import load_policy
from consentgate.snapshot import BuildOptions, build_snapshot, verify_snapshot
from consentgate.snapshot.card import CARD_FILE, size_category
from consentgate.snapshot.manifest import file_entry, sha256_file
from consentgate.snapshot.purge import PurgeOptions, purge_snapshot
from tests.conftest import tiny_tables, ts, write_source

POLICY = load_policy("linkedin-2025")
T = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
DATA_COLUMNS = {"record_uid", "kind", "category", "created_at", "language", "author", "text"}


@pytest.fixture(autouse=True)
def _key_and_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "11" * 32)
    # the card must be enough: nothing is fetched from the Hub
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def build(source: Path, out: Path, as_of: dt.datetime = T) -> dict:
    return build_snapshot(BuildOptions(source=source, policy=POLICY, as_of=as_of,
                                       out=out)).manifest


def front_matter(card: str) -> tuple[dict, str]:
    yaml = pytest.importorskip("yaml")
    assert card.startswith("---\n")
    header, _, body = card[4:].partition("\n---\n")
    return yaml.safe_load(header), body


def test_datasets_loads_the_snapshot_folder_through_the_card(
    tiny_source: Path, tmp_path: Path
) -> None:
    datasets = pytest.importorskip("datasets")
    manifest = build(tiny_source, tmp_path / "snap")
    ds = datasets.load_dataset(str(tmp_path / "snap"), split="train",
                               cache_dir=str(tmp_path / "hf-cache"))
    assert ds.num_rows == manifest["counts"]["records_used"] == 3
    # the data columns only: lineage/ and usage/ (member ids) are never read
    assert set(ds.column_names) == DATA_COLUMNS
    assert "Écrivez-moi à <EMAIL> ou au <PHONE>" in ds["text"]
    assert "fr_adult" not in json.dumps(ds.to_list(), default=str)
    assert list(datasets.load_dataset(str(tmp_path / "snap"),
                                      cache_dir=str(tmp_path / "hf-cache"))) == ["train"]


def test_the_card_states_purpose_policy_as_of_and_usage_preference(
    tiny_source: Path, tmp_path: Path
) -> None:
    manifest = build(tiny_source, tmp_path / "snap")
    card = (tmp_path / "snap" / CARD_FILE).read_text(encoding="utf-8")
    meta, body = front_matter(card)
    assert meta["license"] == "other" and meta["license_name"]
    assert meta["language"] == ["fr"]  # the languages of the data
    assert meta["size_categories"] == ["n<1K"]
    assert meta["pretty_name"] == f"consentgate training snapshot {manifest['snapshot_id']}"
    assert "consentgate" in meta["tags"] and "policy:linkedin-2025" in meta["tags"]
    assert meta["configs"] == [{"config_name": "default", "data_files": [
        {"split": "train", "path": ["data/part-00000.parquet"]}]}]
    assert meta["consentgate"] == {
        "snapshot_id": manifest["snapshot_id"],
        "as_of": "2025-12-01T00:00:00Z",
        "purpose": "train_ai_system",
        "policy": {"id": "linkedin-2025", "version": POLICY.policy.version,
                   "sha256": POLICY.sha256},
        "usage_preference": "train-ai=y",
        "members_used": 1,
        "records_used": 3,
        "manifest": "manifest.json",
    }
    for section in ("## Purpose", "## Usage preference", "## Contents", "## How to verify it"):
        assert section in body
    assert "as of 2025-12-01T00:00:00Z" in body and POLICY.sha256 in body
    assert "`train_ai_system`" in body and "`train-ai=y`" in body
    data = manifest["files"][0]
    assert data["path"] == "data/part-00000.parquet" and data["sha256"] in body
    assert "consentgate verify <this folder>" in body
    # the Hub's own card reader agrees
    hub = pytest.importorskip("huggingface_hub")
    loaded = hub.DatasetCard.load(tmp_path / "snap" / CARD_FILE)
    assert loaded.data.license == "other"
    assert loaded.data.to_dict()["consentgate"]["as_of"] == "2025-12-01T00:00:00Z"


def test_the_card_is_in_the_manifest_the_same_for_the_same_inputs_and_verified(
    tiny_source: Path, tmp_path: Path
) -> None:
    a, b = build(tiny_source, tmp_path / "a"), build(tiny_source, tmp_path / "b")
    entry_a = next(f for f in a["files"] if f["path"] == CARD_FILE)
    entry_b = next(f for f in b["files"] if f["path"] == CARD_FILE)
    assert entry_a == entry_b
    assert entry_a["sha256"] == sha256_file(tmp_path / "a" / CARD_FILE)
    assert (tmp_path / "a" / CARD_FILE).read_bytes() == (tmp_path / "b" / CARD_FILE).read_bytes()
    check = verify_snapshot(tmp_path / "a", tiny_source, POLICY)
    assert check.ok, check.violations
    assert any(c.startswith("card:") for c in check.checks)


def test_verify_catches_a_changed_card_even_with_the_manifest_rehashed(
    tiny_source: Path, tmp_path: Path
) -> None:
    snap = tmp_path / "snap"
    build(tiny_source, snap)
    card = snap / CARD_FILE
    card.write_text(card.read_text().replace('"train-ai=y"', '"train-ai=n"'))
    check = verify_snapshot(snap, tiny_source, POLICY)
    assert {v.check for v in check.violations} == {"hash", "card"}

    # someone re-hashes the manifest to hide the change: the card still says something
    # the manifest does not
    manifest_path = snap / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"] = [file_entry(snap, snap / f["path"]) for f in manifest["files"]]
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    check = verify_snapshot(snap, tiny_source, POLICY)
    assert [(v.check, v.subject) for v in check.violations] == [("card", CARD_FILE)]

    card.unlink()
    check = verify_snapshot(snap, tiny_source, POLICY)
    assert ("hash", CARD_FILE) in [(v.check, v.subject) for v in check.violations]


def test_a_purged_snapshot_gets_its_own_card(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    src = write_source(tmp_path / "v1", tiny_tables())
    s1 = tmp_path / "s1"
    first = build(src, s1, as_of=ts(2026, 1, 15))
    later = tiny_tables()
    for record in later["records"]:
        if record["record_id"] == "fr_adult-p":
            record["deleted_at"] = ts(2026, 2, 1)
    src2 = write_source(tmp_path / "v2", later)
    purged = purge_snapshot(PurgeOptions(snapshot=s1, source=src2, as_of=ts(2026, 3, 1),
                                         out=tmp_path / "s1p")).manifest
    meta, body = front_matter((tmp_path / "s1p" / CARD_FILE).read_text(encoding="utf-8"))
    assert meta["consentgate"]["snapshot_id"] == purged["snapshot_id"] != first["snapshot_id"]
    assert meta["consentgate"]["supersedes"] == first["snapshot_id"]
    assert meta["consentgate"]["purged_at"] == "2026-03-01T00:00:00Z"
    assert meta["consentgate"]["as_of"] == "2026-01-15T00:00:00Z"
    assert meta["consentgate"]["records_used"] == 2
    assert f"supersedes `{first['snapshot_id']}`" in body and "records withdrawn: 1" in body
    check = verify_snapshot(tmp_path / "s1p", src2, POLICY)
    assert check.ok, check.violations
    ds = datasets.load_dataset(str(tmp_path / "s1p"), split="train",
                               cache_dir=str(tmp_path / "hf-cache"))
    rows = sum(pq.ParquetFile(p).metadata.num_rows
               for p in sorted((tmp_path / "s1p" / "data").glob("*.parquet")))
    assert ds.num_rows == rows == 2


def test_size_categories_follow_the_hub_buckets() -> None:
    assert size_category(0) == "n<1K" and size_category(999) == "n<1K"
    assert size_category(1_000) == "1K<n<10K" and size_category(99_999) == "10K<n<100K"
    assert size_category(2_000_000) == "1M<n<10M" and size_category(10**10) == "n>1B"
