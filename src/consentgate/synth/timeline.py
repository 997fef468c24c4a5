"""The time frame of the synthetic network (all UTC), in microseconds and days since epoch."""

from __future__ import annotations

import datetime as dt
from functools import cache

from consentgate.policy import load_policy

UTC = dt.UTC
US_PER_DAY = 86_400_000_000
US_PER_SECOND = 1_000_000


def to_us(value: dt.datetime | dt.date) -> int:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    return int((value - dt.datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()) * US_PER_SECOND


def to_day(value: dt.date) -> int:
    return (value - dt.date(1970, 1, 1)).days


START = to_us(dt.date(2004, 1, 1))  # first members join
END = to_us(dt.datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC))  # the last instant generated
GENAI_START = to_us(dt.date(2023, 3, 1))  # the GenAI writing features appear
ANNOUNCED = to_us(dt.date(2025, 9, 18))  # the EU/UK change is announced: a wave of opt-outs
REF_DATE = dt.date(2025, 11, 3)  # ages are drawn relative to this day


@cache
def rollouts() -> tuple[dt.date, ...]:
    """The training start dates of the shipped policy's regions, oldest first
    (2024-09-18 for the US and the rest of the world, 2025-11-03 for Europe and others)."""
    return tuple(sorted({r.training_start for r in load_policy().regions}))


def rollout_us() -> tuple[int, ...]:
    return tuple(to_us(d) for d in rollouts())
