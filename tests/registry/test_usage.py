"""The member's usage answer on real snapshots: exactly the snapshots that hold their
records and exactly the runs that used those, the index read row group by row group, and
the older format (no index) searched through lineage and data."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from consentgate.registry import Registry, member_usage
from consentgate.registry.usage import lookup_usage, usage_from_lineage, usage_index_of
from consentgate.snapshot.usage_index import (
    USAGE_ROW_GROUP_ROWS,
    USAGE_SCHEMA,
    write_usage_index,
)
from tests.registry.conftest import OFF_AT, Built, copy_snapshot, rewrite_manifest

UTC = dt.UTC


def _runs(registry: Registry, s1: Path, s2: Path) -> dict[str, str]:
    a = registry.start_run([s1], "assistant", "1")
    registry.finish_run(a.run_id)
    b = registry.start_run([s2], "assistant", "2")
    c = registry.start_run([s1, s2], "summariser", "1")
    registry.finish_run(c.run_id, failed=True)
    return {"s1": a.run_id, "s2": b.run_id, "both": c.run_id}


@pytest.mark.parametrize("index", [True, False], ids=["usage-index", "lineage-join"])
def test_a_member_in_s1_only_gets_s1_and_its_runs(
    registry: Registry, built: Built, tmp_path: Path, index: bool
) -> None:
    s1 = copy_snapshot(built.s1, tmp_path / "s1", index=index)
    s2 = copy_snapshot(built.s2, tmp_path / "s2", index=index)
    runs = _runs(registry, s1, s2)

    answer = member_usage(registry, built.opted)
    assert [s.snapshot_id for s in answer.snapshots] == [built.s1_id]
    assert {r.run_id for r in answer.runs} == {runs["s1"], runs["both"]}
    assert all(r.snapshots == [built.s1_id] for r in answer.runs)
    assert answer.searched == [built.s1_id, built.s2_id]
    assert answer.snapshots[0].method == ("usage_index" if index else "lineage_join")

    # the records counted are the lineage's
    lineage = pq.read_table(s1 / "lineage" / "part-00000.parquet", columns=["member_id"])
    expected = sum(1 for m in lineage["member_id"].to_pylist() if m == built.opted)
    held = answer.snapshots[0]
    assert held.records == expected == sum(held.records_by_kind.values()) > 0
    assert held.categories and held.first_created_at <= held.last_created_at
    assert held.first_created_at.tzinfo is not None

    # a member in both gets both, and every run
    both = member_usage(registry, built.both)
    assert [s.snapshot_id for s in both.snapshots] == [built.s1_id, built.s2_id]
    assert {r.run_id for r in both.runs} == set(runs.values())


def test_a_member_in_no_snapshot_gets_empty_lists(
    registry: Registry, snaps: tuple[Path, Path], built: Built
) -> None:
    _runs(registry, *snaps)
    for member in ("m99999999", "nobody'; drop table x; --"):
        answer = member_usage(registry, member)
        assert answer.snapshots == [] and answer.runs == []
        assert answer.searched == [built.s1_id, built.s2_id]
        data = answer.to_json()
        assert data["snapshots"] == [] and data["runs"] == [] and data["used"] is False


def test_the_index_and_the_lineage_join_agree(built: Built, tmp_path: Path) -> None:
    s1 = copy_snapshot(built.s1, tmp_path / "s1", index=False)
    index = pq.read_table(write_usage_index(s1, tmp_path / "usage.parquet"))
    joined = usage_from_lineage(s1).rows
    assert index.schema == USAGE_SCHEMA
    assert index.equals(joined)
    assert index.num_rows > 0
    assert sum(index["records"].to_pylist()) == pq.ParquetFile(
        s1 / "data" / "part-00000.parquet"
    ).metadata.num_rows
    # sorted by member then kind, as the build writes it
    keys = list(zip(index["member_id"].to_pylist(), index["kind"].to_pylist(), strict=True))
    assert keys == sorted(keys)
    # when the build itself wrote an index, it says the same
    from_build_file = usage_index_of(built.s1)
    if from_build_file is not None:
        from_build = pq.read_table(from_build_file).select(USAGE_SCHEMA.names)
        assert from_build.cast(USAGE_SCHEMA).equals(index)


class CountingFile(io.RawIOBase):
    """A file that counts what is read from it."""

    def __init__(self, path: Path) -> None:
        self._f = open(path, "rb")  # noqa: SIM115
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._f.seek(offset, whence)

    def tell(self) -> int:
        return self._f.tell()

    def read(self, n: int = -1) -> bytes:
        data = self._f.read(n)
        self.bytes_read += len(data)
        return data

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = self._f.readinto(buffer)
        self.bytes_read += n or 0
        return n or 0

    def close(self) -> None:
        self._f.close()
        super().close()


def _big_index(path: Path, members: int = 100_000) -> pa.Table:
    ids = [f"m{i:08d}" for i in range(members) for _ in range(3)]
    kinds = ["comment", "post", "profile_name"] * members
    t0 = dt.datetime(2020, 1, 1, tzinfo=UTC)
    table = pa.table(
        {
            "member_id": ids,
            "kind": kinds,
            "category": ["user.content"] * len(ids),
            "records": pa.array([(i % 7) + 1 for i in range(len(ids))], pa.int64()),
            "first_created_at": pa.array([t0] * len(ids), pa.timestamp("us", tz="UTC")),
            "last_created_at": pa.array([t0] * len(ids), pa.timestamp("us", tz="UTC")),
        },
        schema=USAGE_SCHEMA,
    )
    pq.write_table(table, path, row_group_size=USAGE_ROW_GROUP_ROWS, write_statistics=True)
    return table


def test_the_lookup_reads_only_the_row_groups_that_may_hold_the_member(tmp_path: Path) -> None:
    path = tmp_path / "usage.parquet"
    table = _big_index(path)
    meta = pq.ParquetFile(path).metadata
    groups = meta.num_row_groups
    assert groups >= 20
    size = path.stat().st_size
    # what reading the footer costs (pyarrow reads the file's tail, 64 KiB at least), and
    # the largest row group as stored
    footer = max(64 * 1024, meta.serialized_size + 8)
    largest = max(
        sum(meta.row_group(g).column(c).total_compressed_size for c in range(meta.num_columns))
        for g in range(groups)
    )
    assert footer + largest < size / 5
    for member in ("m00000000", "m00031337", "m00059999"):
        counting = CountingFile(path)
        found = lookup_usage(counting, member)
        counting.close()
        assert found.row_groups_total == groups
        assert found.row_groups_read == 1
        assert counting.bytes_read <= footer + largest, (counting.bytes_read, size)
        expected = table.filter(pa.compute.equal(table["member_id"], member))
        assert found.rows.equals(expected)
    # a member whose rows straddle two row groups: both are read, nothing is lost
    straddling = table["member_id"][USAGE_ROW_GROUP_ROWS].as_py()
    first = table["member_id"][USAGE_ROW_GROUP_ROWS - 1].as_py()
    assert straddling == first
    found = lookup_usage(path, straddling)
    assert found.row_groups_read == 2 and found.rows.num_rows == 3
    # a member outside every range reads no row group at all
    counting = CountingFile(path)
    found = lookup_usage(counting, "zzz")
    assert found.row_groups_read == 0 and found.rows.num_rows == 0
    assert counting.bytes_read <= footer


def test_member_usage_reads_few_row_groups_of_a_big_index(
    registry: Registry, built: Built, tmp_path: Path
) -> None:
    s1 = copy_snapshot(built.s1, tmp_path / "s1", index=True)
    _big_index(usage_index_of(s1))  # replaced by a big one
    registry.register_snapshot(s1)
    answer = member_usage(registry, "m00012345")
    assert answer.row_groups_total >= 20 and answer.row_groups_read == 1
    assert [s.records for s in answer.snapshots] == [
        sum(((i % 7) + 1) for i in range(12345 * 3, 12345 * 3 + 3))
    ]


def test_deleted_data_deleted_and_unreadable_snapshots(
    registry: Registry, built: Built, tmp_path: Path
) -> None:
    s1 = copy_snapshot(built.s1, tmp_path / "s1", index=False)
    s2 = copy_snapshot(built.s2, tmp_path / "s2", index=True)
    gone = copy_snapshot(built.s1, tmp_path / "gone", index=True)
    rewrite_manifest(gone, snapshot_id="snap-gone")
    registry.register_snapshot(s1)
    registry.register_snapshot(s2)
    registry.register_snapshot(gone)
    # S1's data is deleted, its lineage kept: still searched (counts from lineage only)
    shutil.rmtree(s1 / "data")
    registry.set_state(built.s1_id, "data_deleted")
    # S2 is deleted: not searched, listed apart
    registry.set_state(built.s2_id, "deleted")
    # "gone" says published but its folder was removed: reported, not a crash
    shutil.rmtree(gone)

    answer = member_usage(registry, built.both)
    assert [s.snapshot_id for s in answer.snapshots] == [built.s1_id]
    held = answer.snapshots[0]
    assert held.state == "data_deleted" and held.records > 0 and held.records_by_kind == {}
    assert [s.snapshot_id for s in answer.deleted_snapshots] == [built.s2_id]
    assert answer.searched == [built.s1_id]
    assert [u["snapshot_id"] for u in answer.unreadable] == ["snap-gone"]
    assert any("snap-gone" in p for p in answer.problems)
    data = answer.to_json()
    assert data["deleted_snapshots"][0]["snapshot_id"] == built.s2_id
    assert data["deleted_snapshots"][0]["searched"] is False


def test_history_and_the_first_snapshot_after_the_opt_out(
    registry: Registry, snaps: tuple[Path, Path], built: Built, tmp_path: Path
) -> None:
    s1, s2 = snaps
    registry.register_snapshot(s1)
    registry.register_snapshot(s2)
    answer = member_usage(registry, built.opted, consent=built.consent)
    assert answer.consent_source == str(built.consent)
    assert [(e.setting, e.value, e.effective_at) for e in answer.history or []] == [
        ("data_for_genai_improvement", False, OFF_AT)
    ]
    assert answer.setting_now == "off"
    assert answer.opted_out_at == OFF_AT
    assert answer.first_snapshot_after_opt_out == {
        "snapshot_id": built.s2_id, "as_of": "2026-03-01T00:00:00Z", "state": "published",
        "holds_member": False,
    }
    assert answer.problems == []

    # a later snapshot that still holds the member is a problem the answer names
    late = copy_snapshot(built.s1, tmp_path / "late", index=True)
    rewrite_manifest(late, snapshot_id="snap-late", as_of="2026-04-01T00:00:00Z")
    registry.register_snapshot(late)
    answer = member_usage(registry, built.opted, consent=built.consent)
    assert [s.snapshot_id for s in answer.snapshots] == [built.s1_id, "snap-late"]
    assert answer.first_snapshot_after_opt_out["snapshot_id"] == built.s2_id
    assert len(answer.problems) == 1 and "snap-late" in answer.problems[0]

    # without a consent source or a ledger in the registry, no history
    plain = member_usage(registry, built.opted)
    assert plain.history is None and plain.opted_out_at is None
    # a member without events: the default applies
    other = member_usage(registry, built.both, consent=built.consent)
    assert other.history == [] and other.setting_now == "default"


def test_an_opt_out_then_back_on_is_not_in_force(
    registry: Registry, snaps: tuple[Path, Path], built: Built, tmp_path: Path
) -> None:
    events = pq.read_table(built.consent / "preference_events.parquet")
    on_again = pa.Table.from_pylist(
        [{"member_id": built.opted, "setting": "data_for_genai_improvement", "value": True,
          "effective_at": dt.datetime(2026, 2, 20, tzinfo=UTC), "source": "web"},
         {"member_id": built.opted, "setting": "data_for_genai_improvement", "value": False,
          "effective_at": dt.datetime(2026, 3, 10, tzinfo=UTC), "source": "web"},
         {"member_id": built.opted, "setting": "data_for_genai_improvement", "value": False,
          "effective_at": dt.datetime(2026, 3, 20, tzinfo=UTC), "source": "web"}],
        schema=events.schema,
    )
    consent = tmp_path / "consent"
    consent.mkdir()
    pq.write_table(pa.concat_tables([events, on_again]), consent / "preference_events.parquet")
    for s in snaps:
        registry.register_snapshot(s)
    answer = member_usage(registry, built.opted, consent=consent)
    # the opt-out in force began on 10 March (the first "off" after the last "on")
    assert answer.opted_out_at == dt.datetime(2026, 3, 10, tzinfo=UTC)
    assert answer.first_snapshot_after_opt_out is None  # none built since
    assert len(answer.history or []) == 4


def test_member_usage_opens_a_url_read_only(registry_url: str, built: Built, tmp_path: Path) -> None:
    with Registry(registry_url) as registry:
        registry.register_snapshot(copy_snapshot(built.s1, tmp_path / "s1", index=True))
    answer = member_usage(registry_url, built.opted)
    assert [s.snapshot_id for s in answer.snapshots] == [built.s1_id]
    from consentgate.registry import RegistryError

    missing = tmp_path / "missing.db"
    with pytest.raises(RegistryError, match="no registry at"):
        member_usage(str(missing), built.opted)
    assert not missing.exists()


def test_history_from_a_ledger_url(
    registry: Registry, snaps: tuple[Path, Path], built: Built, tmp_path: Path
) -> None:
    from consentgate.ledger import Ledger, NewEvent, init_ledger
    from consentgate.registry import RegistryError
    from tests.ledger.conftest import past

    for s in snaps:
        registry.register_snapshot(s)
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    init_ledger(url)
    with Ledger(url) as ledger:
        ledger.import_events([past(built.opted, False, OFF_AT)])
        erasure = ledger.record_change(
            NewEvent(member_id=built.opted, setting="erasure", value=True, source="web",
                     policy_id="linkedin-2025", policy_version="1.0.0")
        )
    answer = member_usage(registry, built.opted, consent=url)
    assert [(e.setting, e.value) for e in answer.history or []] == [
        ("data_for_genai_improvement", False), ("erasure", True)
    ]
    assert all(e.receipt_id and e.recorded_at for e in answer.history or [])
    assert answer.erasure_requested_at == erasure.effective_at
    assert answer.to_json()["erasure_requested_at"] is not None
    assert answer.first_snapshot_after_opt_out["snapshot_id"] == built.s2_id

    missing = tmp_path / "no-ledger.db"
    with pytest.raises(RegistryError, match="no consent ledger at"):
        member_usage(registry, built.opted, consent=f"sqlite:///{missing}")
    assert not missing.exists()
    with pytest.raises(RegistryError, match="consent source"):
        member_usage(registry, built.opted, consent=tmp_path / "no-source")


def test_an_index_without_statistics_or_with_other_columns_still_answers(tmp_path: Path) -> None:
    path = tmp_path / "full.parquet"
    table = _big_index(path, members=30_000)
    member = "m00012345"
    expected = table.filter(pa.compute.equal(table["member_id"], member))
    # no statistics: every row group is read, the answer is the same
    bare = tmp_path / "bare.parquet"
    pq.write_table(table, bare, row_group_size=USAGE_ROW_GROUP_ROWS, write_statistics=False)
    found = lookup_usage(bare, member)
    assert found.row_groups_read == found.row_groups_total > 1
    assert found.rows.equals(expected)
    # other column order, an extra column, no category or timestamps: still read
    other = tmp_path / "other.parquet"
    pq.write_table(
        table.select(["records", "kind", "member_id"]).append_column(
            "extra", pa.array(["x"] * table.num_rows)
        ),
        other, row_group_size=USAGE_ROW_GROUP_ROWS,
    )
    found = lookup_usage(other, member)
    assert found.row_groups_read == 1
    assert found.rows["records"].to_pylist() == expected["records"].to_pylist()
    assert found.rows["category"].null_count == found.rows.num_rows


def test_the_setting_key_is_the_contract_s() -> None:
    from consentgate.contract.schema import SETTING_KEY
    from consentgate.registry import usage

    assert usage.SETTING_KEY == SETTING_KEY


def test_an_unsearchable_snapshot_after_the_opt_out_is_not_passed_over(
    registry: Registry, snaps: tuple[Path, Path], built: Built, tmp_path: Path
) -> None:
    """S2 (the first snapshot after the opt-out) cannot be read: the answer must not claim
    that none was built since, nor let a later one stand in for it, and says it is
    incomplete."""
    s1, s2 = snaps
    later = copy_snapshot(built.s2, tmp_path / "later", index=True)
    rewrite_manifest(later, snapshot_id="snap-later", as_of="2026-04-01T00:00:00Z")
    for folder in (s1, s2, later):
        registry.register_snapshot(folder)
    index = usage_index_of(s2)
    assert index is not None
    index.write_bytes(b"not parquet" * 100)

    answer = member_usage(registry, built.opted, consent=built.consent)
    assert not answer.complete and answer.to_json()["complete"] is False
    assert [u["snapshot_id"] for u in answer.unreadable] == [built.s2_id]
    assert answer.first_snapshot_after_opt_out == {
        "snapshot_id": built.s2_id, "as_of": "2026-03-01T00:00:00Z", "state": "published",
        "holds_member": None,
    }
    # the snapshots that could be read still answer
    assert [s.snapshot_id for s in answer.snapshots] == [built.s1_id]

    shutil.rmtree(s2)  # moved away: the same
    answer = member_usage(registry, built.opted, consent=built.consent)
    assert answer.first_snapshot_after_opt_out["holds_member"] is None
    assert member_usage(registry, built.both).complete is False
