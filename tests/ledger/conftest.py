from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from consentgate.ledger import Ledger, NewEvent, init_ledger
from consentgate.policy import load_policy
from tests.ledger.pg import fresh_postgres_url

UTC = dt.UTC
KEY = "data_for_genai_improvement"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, initialised ledger: a SQLite file, or a database on a throwaway PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        url = fresh_postgres_url()
    init_ledger(url)
    return url


@pytest.fixture
def ledger(db_url: str) -> Iterator[Ledger]:
    with Ledger(db_url) as opened:
        yield opened


@pytest.fixture(scope="session")
def policy():  # type: ignore[no-untyped-def]
    return load_policy()


def change(member: str, value: bool, source: str = "web") -> NewEvent:
    return NewEvent(member_id=member, setting=KEY, value=value, source=source,
                    policy_id="linkedin-2025", policy_version="1.0.0",
                    notice_version="2025-11-03", language="fr", jurisdiction="FR")


def past(member: str, value: bool, when: dt.datetime, source: str = "import") -> NewEvent:
    return NewEvent(member_id=member, setting=KEY, value=value, source=source,
                    policy_id="linkedin-2025", policy_version="1.0.0", effective_at=when)


def fill(ledger: Ledger, n: int = 6) -> list:
    """n live changes by three members, alternating values."""
    return [ledger.record_change(change(f"m{i % 3}", i % 2 == 0)) for i in range(n)]


class StepClock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


