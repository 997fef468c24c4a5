"""Preference events: members turning "Data for Generative AI Improvement" off and on over
time, around the rollout dates, with the awkward cases the rules must handle (events exactly
at midnight of a rollout day, same-instant events that disagree, opt-ins by minors, events of
another setting that must be ignored)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from consentgate.contract.schema import PREFERENCE_EVENTS, SETTING_KEY
from consentgate.synth import timeline
from consentgate.synth.members import Members, quota

OTHER_SETTING = "data_sharing"
MICROSOFT_SETTING = "microsoft_ai_sharing"  # the UK-only row
_SETTINGS = (SETTING_KEY, OTHER_SETTING, MICROSOFT_SETTING)
SOURCES = ("web", "api", "import", "objection_form", "gpc")
_OFF_SOURCES = (0.5, 0.08, 0.1, 0.2, 0.12)
_ON_SOURCES = (0.7, 0.15, 0.15, 0.0, 0.0)
_DAY = timeline.US_PER_DAY
AFTER_ROLLOUT = timeline.to_us(dt.date(2026, 3, 1))

# scenario shares among members with events
SCENARIOS = {
    "off": 0.5,
    "off_on": 0.2,
    "off_on_off": 0.1,
    "on": 0.08,
    "conflict": 0.04,
    "duplicate": 0.03,
    "other_setting": 0.05,
}


class _Events:
    def __init__(self) -> None:
        self.member: list[np.ndarray] = []
        self.value: list[np.ndarray] = []
        self.time: list[np.ndarray] = []
        self.source: list[np.ndarray] = []
        self.setting: list[np.ndarray] = []

    def add(
        self,
        member: np.ndarray,
        value: np.ndarray | bool,
        time: np.ndarray,
        source: np.ndarray,
        setting: str = SETTING_KEY,
    ) -> None:
        n = len(member)
        self.member.append(member)
        self.value.append(np.broadcast_to(np.asarray(value, dtype=bool), (n,)).copy())
        self.time.append(time.astype(np.int64))
        self.source.append(source.astype(np.int64))
        self.setting.append(np.full(n, _SETTINGS.index(setting)))


def _sources(rng: np.random.Generator, n: int, on: bool) -> np.ndarray:
    p = np.array(_ON_SOURCES if on else _OFF_SOURCES)
    return rng.choice(len(SOURCES), size=n, p=p / p.sum())


def _times(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """When a member first changes the setting: spread over the years, with waves before and
    after each rollout and some changes exactly at a rollout's first instant."""
    n = len(lo)
    us_, eu = timeline.rollout_us()[0], timeline.rollout_us()[-1]
    mode = rng.random(n)
    u = rng.random(n)
    t = lo + ((hi - lo) * u).astype(np.int64)
    windows = (
        (0.25, 0.60, timeline.ANNOUNCED, eu),  # announcement to rollout
        (0.60, 0.80, eu, AFTER_ROLLOUT),  # just after the European rollout
        (0.80, 0.90, us_ - 60 * _DAY, us_ + 60 * _DAY),  # around the US rollout
    )
    for m_lo, m_hi, w_lo, w_hi in windows:
        a = np.maximum(lo, w_lo)
        b = np.minimum(hi, w_hi)
        ok = (mode >= m_lo) & (mode < m_hi) & (a < b)
        t = np.where(ok, a + ((b - a) * u).astype(np.int64), t)
    for m_lo, m_hi, instant in ((0.90, 0.95, eu), (0.95, 1.0, us_)):
        ok = (mode >= m_lo) & (mode < m_hi) & (lo <= instant) & (instant < hi)
        t = np.where(ok, instant, t)
    return t


def _later(rng: np.random.Generator, t: np.ndarray, hi: np.ndarray, mean_days: float) -> np.ndarray:
    step = (rng.exponential(mean_days, len(t)) * _DAY).astype(
        np.int64
    ) + 60 * timeline.US_PER_SECOND
    return np.minimum(t + step, hi - 1)


def generate_preferences(m: Members, seed: int) -> pa.Table:
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 4])))
    n = m.n
    hi = np.where(m.has_deleted, m.deleted, timeline.END)
    room = hi - m.joined > 2 * _DAY
    ev = _Events()

    chosen = np.flatnonzero(room & (rng.random(n) < 0.2))
    names = list(SCENARIOS)
    p = np.array([SCENARIOS[s] for s in names])
    scenario = rng.choice(len(names), size=len(chosen), p=p / p.sum())
    # make sure the rare scenarios exist in small networks too
    rare = [names.index(x) for x in ("conflict", "duplicate", "other_setting")]
    if len(chosen) >= 3 * len(names):
        common = np.flatnonzero(scenario == names.index("off"))
        spots = rng.permutation(common)[: len(rare)]
        for spot, i in zip(spots, rare, strict=False):
            if not np.any(scenario == i):
                scenario[spot] = i
    for i, name in enumerate(names):
        who = chosen[scenario == i]
        if not len(who):
            continue
        lo, top = m.joined[who], hi[who]
        t1 = _times(rng, lo, top)
        k = len(who)
        if name == "off":
            ev.add(who, False, t1, _sources(rng, k, False))
        elif name in ("off_on", "off_on_off"):
            t2 = _later(rng, t1, top, 120)
            ev.add(who, False, t1, _sources(rng, k, False))
            ev.add(who, True, t2, _sources(rng, k, True))
            if name == "off_on_off":
                ev.add(who, False, _later(rng, t2, top, 90), _sources(rng, k, False))
        elif name == "on":
            ev.add(who, True, t1, _sources(rng, k, True))
        elif name == "conflict":
            # two channels record different values at the same instant
            ev.add(who, False, t1, np.full(k, SOURCES.index("web")))
            ev.add(who, True, t1, np.full(k, SOURCES.index("api")))
            resolved = rng.random(k) < 0.5
            ev.add(
                who[resolved],
                False,
                _later(rng, t1[resolved], top[resolved], 30),
                np.full(int(resolved.sum()), SOURCES.index("web")),
            )
        elif name == "duplicate":
            ev.add(who, False, t1, np.full(k, SOURCES.index("import")))
            ev.add(who, False, t1, np.full(k, SOURCES.index("web")))
        elif name == "other_setting":
            ev.add(who, False, t1, _sources(rng, k, False), setting=OTHER_SETTING)

    # another setting's events next to real ones (must be ignored)
    extra = np.flatnonzero(room & (rng.random(n) < 0.02))
    if len(extra):
        on = rng.random(len(extra)) < 0.3
        source = np.where(on, _sources(rng, len(extra), True), _sources(rng, len(extra), False))
        ev.add(extra, on, _times(rng, m.joined[extra], hi[extra]), source, setting=OTHER_SETTING)

    # UK members who refuse Microsoft's AI training, some of whom keep LinkedIn's on
    uk = np.flatnonzero(room & (m.country == "GB") & (rng.random(n) < 0.15))
    if len(uk):
        ev.add(uk, False, _times(rng, m.joined[uk], hi[uk]), _sources(rng, len(uk), False),
               setting=MICROSOFT_SETTING)

    # minors who switch the setting on explicitly (they stay excluded)
    minors = np.flatnonzero(m.is_minor_at_ref() & room)
    who = rng.permutation(minors)[: quota(len(minors), 0.12, 1 if len(minors) else 0)]
    if len(who):
        ev.add(who, True, _times(rng, m.joined[who], hi[who]), _sources(rng, len(who), True))

    if not ev.member:
        return PREFERENCE_EVENTS.arrow_schema().empty_table()
    member = np.concatenate(ev.member)
    time = np.concatenate(ev.time)
    value = np.concatenate(ev.value)
    source = np.concatenate(ev.source)
    which = np.concatenate(ev.setting)
    seq = np.arange(len(member))
    order = np.lexsort((seq, time, member))
    setting = np.array(_SETTINGS, dtype=object)[which[order]]
    return pa.Table.from_arrays(
        [
            m.member_id.take(member[order]),
            pa.array(setting, type=pa.string()),
            pa.array(value[order]),
            pa.array(time[order], type=pa.timestamp("us", tz="UTC")),
            pa.array(np.array(SOURCES, dtype=object)[source[order]], type=pa.string()),
        ],
        schema=PREFERENCE_EVENTS.arrow_schema(),
    )
