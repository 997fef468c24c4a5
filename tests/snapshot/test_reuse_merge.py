"""The merge that brings a previous snapshot's texts into an incremental build
(``snapshot.reuse.PreviousTexts``): the same answer as a lookup by (record_uid, text hash)
whatever the batch boundaries on either side, and a stop, never a wrong text, when the
previous files are out of order or out of step."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consentgate.snapshot.reuse import PreviousTexts
from consentgate.snapshot.texts import TEXTS_FILE

CLASSES = ("email", "phone")


def uid(i: int) -> str:
    return f"{i:032x}"


def write_previous(folder: Path, rows: list[tuple[str, str | None, str | None, int, int]],
                   *, index_order: list[int] | None = None, parts: int = 1,
                   data_groups: int = 7, index_groups: int = 5) -> Path:
    """A snapshot's data/ and text index from (uid, hash, text, n_email, n_phone) rows, in
    the order given, in row groups of these sizes (the merge reads a row group at a time);
    ``index_order`` writes the index in another order than data/."""
    (folder / "data").mkdir(parents=True)
    (folder / TEXTS_FILE).parent.mkdir(parents=True)
    size = max(1, -(-len(rows) // parts))
    for p in range(parts):
        chunk = rows[p * size:(p + 1) * size]
        pq.write_table(pa.table({"record_uid": pa.array([r[0] for r in chunk], pa.string()),
                                 "text": pa.array([r[2] for r in chunk], pa.string())}),
                       folder / "data" / f"part-{p:05d}.parquet", row_group_size=data_groups)
    order = index_order if index_order is not None else list(range(len(rows)))
    idx = [rows[i] for i in order]
    pq.write_table(pa.table({
        "record_uid": pa.array([r[0] for r in idx], pa.string()),
        "text_sha256": pa.array([r[1] for r in idx], pa.string()),
        "n_email": pa.array([r[3] for r in idx], pa.int32()),
        "n_phone": pa.array([r[4] for r in idx], pa.int32()),
    }), folder / TEXTS_FILE, row_group_size=index_groups)
    return folder


def run(prev: PreviousTexts, batches: list[list[tuple[str, str | None]]]):
    out = []
    for batch in batches:
        r = prev.lookup(pa.array([u for u, _ in batch], pa.string()),
                        pa.array([h for _, h in batch], pa.string()))
        texts = r.texts.to_pylist()
        out.extend((bool(r.hit[i]), texts[i], int(r.counts["email"][i]),
                    int(r.counts["phone"][i])) for i in range(len(batch)))
    return out


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), data_groups=st.integers(1, 9),
       index_groups=st.integers(1, 9), parts=st.integers(1, 3))
def test_the_merge_is_a_lookup_by_uid_and_hash(tmp_path_factory, seed, data_groups,
                                                index_groups, parts) -> None:
    rng = random.Random(seed)
    universe = sorted(rng.sample(range(500), 80))
    before = sorted(rng.sample(universe, rng.randint(0, 60)))
    after = sorted(rng.sample(universe, rng.randint(0, 60)))
    rows, known = [], {}
    for i in before:
        h = rng.choice([None, f"h{i}"])
        text = None if h is None else f"text {i} <EMAIL>"
        rows.append((uid(i), h, text, rng.randint(0, 2), rng.randint(0, 2)))
        known[uid(i)] = rows[-1]
    folder = write_previous(tmp_path_factory.mktemp("prev"), rows, parts=parts,
                            data_groups=data_groups, index_groups=index_groups)
    wanted = []
    for i in after:
        u = uid(i)
        h = rng.choice([f"h{i}", f"h{i}", f"edited{i}", None])
        wanted.append((u, h))
    cuts = sorted(rng.sample(range(1, max(2, len(wanted))), min(3, max(0, len(wanted) - 1))))
    batches = [wanted[a:b] for a, b in zip([0, *cuts], [*cuts, len(wanted)], strict=True)]
    batches = [b for b in batches if b]
    prev = PreviousTexts(folder, CLASSES)
    got = run(prev, batches)
    expected = []
    for u, h in wanted:
        old = known.get(u)
        if old is not None and old[1] == h:
            expected.append((True, old[2], old[3], old[4]))
        else:
            expected.append((False, None, 0, 0))
    assert got == expected
    assert prev.stopped is None


def test_an_index_out_of_step_with_data_stops_reuse(tmp_path: Path) -> None:
    rows = [(uid(i), f"h{i}", f"t{i}", 1, 0) for i in range(10)]
    folder = write_previous(tmp_path / "p", rows, index_order=[0, 1, 2, 4, 3, 5, 6, 7, 8, 9])
    prev = PreviousTexts(folder, CLASSES)
    got = run(prev, [[(uid(i), f"h{i}") for i in range(10)]])
    # nothing is reused past the rows that pair up, and nothing wrong is ever returned
    assert all(not hit for hit, *_ in got)
    assert "not the data row beside it" in prev.stopped
    assert not any(run(prev, [[(uid(20), "h20")]])[0][:1])


def test_a_previous_snapshot_out_of_order_stops_reuse(tmp_path: Path) -> None:
    order = [0, 1, 2, 3, 5, 4, 6, 7]
    rows = [(uid(i), f"h{i}", f"t{i}", 0, 1) for i in order]
    prev = PreviousTexts(write_previous(tmp_path / "p", rows, data_groups=4, index_groups=4),
                         CLASSES)
    got = run(prev, [[(uid(0), "h0"), (uid(1), "h1")], [(uid(6), "h6"), (uid(7), "h7")]])
    assert got[:2] == [(True, "t0", 0, 1), (True, "t1", 0, 1)]
    assert got[2:] == [(False, None, 0, 0)] * 2
    assert "not in record_uid order" in prev.stopped


def test_batches_out_of_order_stop_reuse(tmp_path: Path) -> None:
    rows = [(uid(i), f"h{i}", f"t{i}", 0, 0) for i in range(6)]
    prev = PreviousTexts(write_previous(tmp_path / "p", rows), CLASSES)
    got = run(prev, [[(uid(3), "h3")], [(uid(1), "h1")], [(uid(5), "h5")]])
    assert got == [(True, "t3", 0, 0), (False, None, 0, 0), (False, None, 0, 0)]
    assert "did not come in record_uid order" in prev.stopped


def test_index_and_data_of_different_lengths_stop_reuse(tmp_path: Path) -> None:
    rows = [(uid(i), f"h{i}", f"t{i}", 0, 0) for i in range(6)]
    folder = write_previous(tmp_path / "p", rows)
    pq.write_table(pa.table({"record_uid": [uid(i) for i in range(4)],
                             "text": [f"t{i}" for i in range(4)]}),
                   folder / "data" / "part-00000.parquet")
    prev = PreviousTexts(folder, CLASSES)
    got = run(prev, [[(uid(i), f"h{i}") for i in range(6)]])
    assert not any(hit for hit, *_ in got)
    assert "different numbers of rows" in prev.stopped


@pytest.mark.parametrize("empty", ["previous", "batch"])
def test_empty_sides(tmp_path: Path, empty: str) -> None:
    rows = [] if empty == "previous" else [(uid(1), "h1", "t1", 0, 0)]
    prev = PreviousTexts(write_previous(tmp_path / "p", rows), CLASSES)
    batch = [(uid(1), "h1")] if empty == "previous" else []
    assert run(prev, [batch]) == [(False, None, 0, 0)] * len(batch)
    assert prev.stopped is None
