from __future__ import annotations

from pathlib import Path

import pytest

from consentgate.synth import GenerateStats, generate

MEMBERS = 1500
SEED = 11


@pytest.fixture(scope="session")
def network(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerateStats]:
    """One network shared by the synth tests (about 75k records, a few seconds)."""
    out = tmp_path_factory.mktemp("synth") / "net"
    stats = generate(out, MEMBERS, seed=SEED)
    return out, stats


@pytest.fixture(scope="session")
def net(network: tuple[Path, GenerateStats]) -> Path:
    return network[0]
