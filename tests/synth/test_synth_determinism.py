"""Same seed, same bytes; another seed, other data; an existing folder is never overwritten."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from consentgate.contract.source import open_source
from consentgate.synth import generate


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    a = _hashes(generate(tmp_path / "a", 300, seed=42).out)
    b = _hashes(generate(tmp_path / "b", 300, seed=42).out)
    c = _hashes(generate(tmp_path / "c", 300, seed=43).out)
    assert a == b
    assert set(a) == set(c)
    for name in ("members.parquet", "records/part-00000.parquet", "ground_truth.parquet",
                 "preference_events.parquet", "education.parquet"):  # fmt: skip
        assert a[name] != c[name], name


def test_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "busy"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    with pytest.raises(FileExistsError, match="not empty"):
        generate(out, 50)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "precious"
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(FileExistsError):
        generate(afile, 50)
    # no partial output left next to them
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "busy"]


def test_empty_folder_is_fine_and_progress_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    seen: list[tuple[str, int]] = []
    stats = generate(out, 120, seed=1, progress=lambda stage, n: seen.append((stage, n)))
    stages = [s for s, _ in seen]
    for stage in ("members", "education", "groups", "preference_events", "records"):
        assert stage in stages
    assert seen[-1] == ("records", stats.records)
    assert open_source(out).count("members") == 120
    with pytest.raises(ValueError):
        generate(tmp_path / "none", 0)


@pytest.mark.parametrize("members", [1, 7])
def test_tiny_networks_follow_the_contract(tmp_path: Path, members: int) -> None:
    stats = generate(tmp_path / "tiny", members, seed=3)
    source = open_source(tmp_path / "tiny")
    assert source.count("members") == members
    assert source.count("records") == stats.records > 0
