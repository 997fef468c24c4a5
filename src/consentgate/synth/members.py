"""Members (country, language, age, join and deletion times), their education rows and the
per-member attributes their texts reuse (name, title, employer, city, schools)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from consentgate.contract.schema import EDUCATION, MEMBERS
from consentgate.synth import geography, timeline
from consentgate.synth.arrow import ints_to_str, join, strings
from consentgate.synth.lang import LANGUAGES
from consentgate.synth.texts import lexicon

_D = timeline.to_day
REF = _D(timeline.REF_DATE)


def quota(n: int, share: float, minimum: int = 0) -> int:
    return max(minimum, round(n * share)) if n else 0


def _years(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _md(year: np.ndarray, month: int, day: int) -> np.ndarray:
    """Day numbers of (year, month, day), vectorised over years."""
    base = (np.asarray(year) - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (month - 1)
    return (base.astype("datetime64[D]") + (day - 1)).astype(np.int64)


def _add_years(days: np.ndarray, years: int) -> np.ndarray:
    """The same calendar day ``years`` later; 29 February becomes 1 March in a common year
    (as the reference evaluator counts birthdays)."""
    d = np.asarray(days).astype("datetime64[D]")
    month_start = d.astype("datetime64[M]")
    dom = (d - month_start.astype("datetime64[D]")).astype(np.int64)
    target = month_start + np.timedelta64(12 * years, "M")
    first = target.astype("datetime64[D]")
    month_len = ((target + 1).astype("datetime64[D]") - first).astype(np.int64)
    out = np.where(dom < month_len, first + dom, (target + 1).astype("datetime64[D]"))
    return out.astype(np.int64)


@dataclass
class Members:
    n: int
    member_id: pa.Array
    country: np.ndarray  # object: str or None
    language: np.ndarray  # object: str or None
    text_lang: np.ndarray  # index into LANGUAGES: the language the member writes in
    birth: np.ndarray  # days since epoch (valid where has_birth)
    has_birth: np.ndarray
    joined: np.ndarray  # microseconds since epoch
    deleted: np.ndarray  # microseconds since epoch (valid where has_deleted)
    has_deleted: np.ndarray
    activity: np.ndarray
    first_g: np.ndarray
    last_g: np.ndarray
    company_g: np.ndarray
    attrs: dict[str, pa.Array] = field(default_factory=dict)
    education: pa.Table | None = None

    def table(self) -> pa.Table:
        schema = MEMBERS.arrow_schema()
        cols = [
            self.member_id,
            pa.array(self.country, type=pa.string()),
            pa.array(self.birth.astype(np.int32), type=pa.date32(), mask=~self.has_birth),
            pa.array(self.joined, type=pa.timestamp("us", tz="UTC")),
            pa.array(self.deleted, type=pa.timestamp("us", tz="UTC"), mask=~self.has_deleted),
            pa.array(self.language, type=pa.string()),
        ]
        return pa.Table.from_arrays(cols, schema=schema)

    def is_minor_at_ref(self) -> np.ndarray:
        adult_day = _add_years(self.birth, 18)
        return self.has_birth & (adult_day > REF)


def _countries(rng: np.random.Generator, n: int) -> np.ndarray:
    codes = list(geography.COUNTRY_WEIGHTS)
    w = np.array([geography.COUNTRY_WEIGHTS[c] for c in codes])
    w = w / w.sum()
    n_null = quota(n, 0.02, 1)
    n_invalid = quota(n, 0.002, 2) if n >= 20 else 0
    rest = max(n - n_null - n_invalid, 0)
    counts = np.floor(w * rest).astype(np.int64)
    counts += rng.multinomial(rest - counts.sum(), w)
    if rest >= 3 * len(codes):  # every country present
        for i in np.flatnonzero(counts == 0):
            j = int(np.argmax(counts))
            counts[j] -= 1
            counts[i] += 1
    values = np.empty(n, dtype=object)
    values[:rest] = np.repeat(np.array(codes, dtype=object), counts)
    values[rest : rest + n_null] = None
    invalid = geography.INVALID_COUNTRIES
    values[rest + n_null :] = [invalid[i % len(invalid)] for i in range(n_invalid)]
    return values[rng.permutation(n)]


def _languages(rng: np.random.Generator, country: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(country)
    lang = np.full(n, "en", dtype=object)
    u = rng.random(n)
    known = np.array([c in geography.COUNTRY_WEIGHTS for c in country])
    for code, options in geography.COUNTRY_LANGUAGES.items():
        rows = np.flatnonzero(country == code)
        cum = 0.0
        for language, p in options:
            lang[rows[(u[rows] >= cum) & (u[rows] < cum + p)]] = language
            cum += p
    unknown = np.flatnonzero(~known)
    lang[unknown] = np.array(LANGUAGES, dtype=object)[
        np.minimum((rng.random(len(unknown)) ** 2 * len(LANGUAGES)).astype(np.int64), 7)
    ]
    text_lang = np.array([LANGUAGES.index(x) for x in lang], dtype=np.int64)
    column = lang.copy()
    column[rng.random(n) < 0.01] = None  # language unknown to the platform
    return column, text_lang


def _births(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(birth days, has_birth, category) with category 0 adult, 1 minor, 2/3 boundary births,
    4 leap day, 5 unknown."""
    order = rng.permutation(n)
    sizes = [
        quota(n, 0.035, 3 if n >= 100 else 0),  # minors aged 15-17 on REF_DATE
        quota(n, 0.005, 2 if n >= 100 else 0),  # turn 18 around the European rollout
        quota(n, 0.003, 2 if n >= 100 else 0),  # turn 18 around the US rollout
        quota(n, 0.0005, 1 if n >= 100 else 0),  # born on 29 February
        quota(n, 0.08, 1),  # no birth date
    ]
    category = np.zeros(n, dtype=np.int64)
    pos = 0
    for cat, size in enumerate(sizes, start=1):
        size = min(size, n - pos)
        category[order[pos : pos + size]] = cat
        pos += size
    birth = np.zeros(n, dtype=np.int64)
    # adults: age bins 18-24, 25-34, 35-44, 45-54, 55-70
    adults = np.flatnonzero(category == 0)
    bins = np.array([[18, 25], [25, 35], [35, 45], [45, 55], [55, 71]])
    which = rng.choice(len(bins), size=len(adults), p=[0.16, 0.34, 0.26, 0.15, 0.09])
    age = bins[which, 0] + rng.random(len(adults)) * (bins[which, 1] - bins[which, 0])
    birth[adults] = REF - np.floor(age * 365.2425).astype(np.int64) - 1
    minors = np.flatnonzero(category == 1)
    lo = _D(dt.date(2007, 11, 4))  # 18th birthday after REF_DATE
    hi = _D(dt.date(2010, 11, 3))  # 15th birthday on or before REF_DATE
    birth[minors] = rng.integers(lo, hi + 1, len(minors))
    for cat, rollout in ((2, timeline.rollouts()[-1]), (3, timeline.rollouts()[0])):
        rows = np.flatnonzero(category == cat)
        eighteen = _D(rollout.replace(year=rollout.year - 18))
        offsets = rng.integers(-10, 11, len(rows))
        offsets[: (len(rows) + 2) // 3] = 0  # a third exactly 18 on the rollout day
        offsets[(len(rows) + 2) // 3 : (len(rows) + 2) // 3 + len(rows) // 6] = 1
        birth[rows] = eighteen + offsets
    leap = np.flatnonzero(category == 4)
    birth[leap] = np.where(
        np.arange(len(leap)) % 2 == 0, _D(dt.date(2008, 2, 29)), _D(dt.date(2004, 2, 29))
    )
    has_birth = category != 5
    return birth, has_birth, category


def _joined(rng: np.random.Generator, birth: np.ndarray, has_birth: np.ndarray) -> np.ndarray:
    n = len(birth)
    span = timeline.END - timeline.START
    t = timeline.START + (span * rng.random(n) ** 0.6).astype(np.int64)
    lower = np.where(
        has_birth,
        np.maximum(timeline.START, _add_years(birth, 14) * timeline.US_PER_DAY),
        timeline.START,
    )
    late = t < lower
    u = rng.random(n)
    t = np.where(late, lower + ((timeline.END - lower) * u).astype(np.int64), t)
    # a few join exactly at a rollout instant
    for instant in timeline.rollout_us():
        rows = rng.permutation(n)[: quota(n, 0.001, 1)]
        rows = rows[lower[rows] <= instant]
        t[rows] = instant
    return np.minimum(t, timeline.END - timeline.US_PER_DAY)


def _deleted(rng: np.random.Generator, joined: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(joined)
    rows = rng.permutation(n)[: quota(n, 0.03, 2)]
    deleted = np.zeros(n, dtype=np.int64)
    has = np.zeros(n, dtype=bool)
    has[rows] = True
    u = rng.random(len(rows))
    deleted[rows] = joined[rows] + ((timeline.END - joined[rows]) * u).astype(np.int64) + 1
    eu = timeline.rollout_us()[-1]
    exact = rows[: max(1, len(rows) // 20)]
    exact = exact[joined[exact] < eu]
    deleted[exact] = eu
    return deleted, has


def _attributes(rng: np.random.Generator, m: Members) -> None:
    lex = lexicon()
    n = m.n
    tl = m.text_lang
    m.first_g = lex.pick("first", tl, rng.random(n))
    m.last_g = lex.pick("last", tl, rng.random(n))
    m.company_g = lex.pick("company", tl, rng.random(n))
    first = lex.take("first", m.first_g)
    last = lex.take("last", m.last_g)
    attrs = {
        "first": first,
        "last": last,
        "name": join([first, " ", last], n),
        "title": lex.take("title", lex.pick("title", tl, rng.random(n))),
        "company": lex.take("company", m.company_g),
        "uni": lex.take("uni", lex.pick("uni", tl, rng.random(n))),
        "hs": lex.take("hs", lex.pick("hs", tl, rng.random(n))),
        "degree": lex.take("degree", lex.pick("degree", tl, rng.random(n))),
    }
    # city and country name: of the member's country; for a member with no (valid) country,
    # of the first home country of the member's language
    home = np.array([geography.LANGUAGE_HOME[lang][0] for lang in LANGUAGES], dtype=object)
    known = np.array([c in geography.CITIES for c in m.country])
    place = np.where(known, m.country, home[tl])
    countries = list(geography.CITIES)
    flat = [c for k in countries for c in geography.CITIES[k]]
    counts = np.array([len(geography.CITIES[k]) for k in countries])
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    cidx = np.array([countries.index(c) for c in place])
    city_idx = offsets[cidx] + (rng.random(n) * counts[cidx]).astype(np.int64)
    attrs["city"] = strings(flat).take(city_idx)
    names = np.array(
        [geography.country_name(c, LANGUAGES[t]) for c, t in zip(place, tl, strict=True)],
        dtype=object,
    )
    attrs["country_name"] = strings(names)
    m.attrs = attrs


def _education(rng: np.random.Generator, m: Members) -> pa.Table:
    n = m.n
    has = m.has_birth
    birth = np.where(has, m.birth, REF - 30 * 365)
    by = _years(birth)
    age = (REF - birth) / 365.2425
    rows: list[tuple[np.ndarray, pa.Array, str, np.ndarray, np.ndarray]] = []
    lex = lexicon()
    null = np.iinfo(np.int64).min

    def add(
        idx: np.ndarray, school: pa.Array, level: str, start: np.ndarray, end: np.ndarray
    ) -> None:
        if len(idx):
            rows.append((idx, school, level, start.astype(np.int64), end.astype(np.int64)))

    hs = m.attrs["hs"]
    uni = m.attrs["uni"]
    u = rng.random(n)
    v = rng.random(n)
    # minors: most are in secondary school now
    idx = np.flatnonzero(has & (age < 18) & (u < 0.75))
    end = np.where(v[idx] < 0.5, null, _md(np.maximum(by[idx] + 18, 2026), 6, 30))
    add(idx, hs.take(idx), "secondary", _md(by[idx] + 11, 9, 1), end)
    # young adults: secondary school ended recently, on a rollout day, or not yet
    idx = np.flatnonzero(has & (age >= 18) & (age < 21) & (u < 0.6))
    end = _md(by[idx] + 18, 7, 4)
    w = rng.random(len(idx))
    boundary = np.array([_D(d) for d in timeline.rollouts()] + [REF + 1])
    end = np.where(w < 0.15, boundary[(w * 20).astype(np.int64) % len(boundary)], end)
    end = np.where((w >= 0.15) & (w < 0.3), np.where(w < 0.22, null, _D(dt.date(2026, 6, 30))), end)
    add(idx, hs.take(idx), "secondary", _md(by[idx] + 11, 9, 1), end)
    # older adults: secondary school long ago
    idx = np.flatnonzero(has & (age >= 21) & (u < 0.25))
    add(idx, hs.take(idx), "secondary", _md(by[idx] + 11, 9, 1), _md(by[idx] + 18, 6, 30))
    # adult learners back in secondary school
    adults = np.flatnonzero(has & (age >= 25))
    idx = np.sort(rng.permutation(adults)[: quota(len(adults), 0.003, 1 if len(adults) else 0)])
    add(
        idx,
        hs.take(idx),
        "secondary",
        np.full(len(idx), _D(dt.date(2024, 9, 2))),
        np.where(rng.random(len(idx)) < 0.5, null, _D(dt.date(2026, 6, 30))),
    )
    # no birth date: school is the only signal
    idx = np.flatnonzero(~has & (u < 0.15))
    start = _md(rng.integers(2020, 2025, len(idx)), 9, 1)
    add(idx, hs.take(idx), "secondary", start, np.full(len(idx), null))
    idx = np.flatnonzero(~has & (u >= 0.15) & (u < 0.35))
    y = rng.integers(1990, 2013, len(idx))
    add(idx, hs.take(idx), "secondary", _md(y, 9, 1), _md(y + 7, 6, 30))
    # higher education
    cand = np.flatnonzero((has & (age >= 19) & (v < 0.65)) | (~has & (v < 0.4)))
    y1 = np.where(
        has[cand],
        by[cand] + 18 + (rng.random(len(cand)) < 0.4),
        rng.integers(1990, 2024, len(cand)),
    )
    y2 = y1 + rng.integers(3, 6, len(cand))
    start, end = _md(y1, 9, 1), _md(y2, 6, 30)
    end = np.where((end > REF) & (rng.random(len(cand)) < 0.4), null, end)
    add(cand, uni.take(cand), "higher", start, end)
    second = cand[rng.random(len(cand)) < 0.25]
    sy = np.where(has[second], by[second] + 18, 2000) + 5
    other_uni = lex.take("uni", lex.pick("uni", m.text_lang[second], rng.random(len(second))))
    end2 = _md(sy + 2, 6, 30)
    end2 = np.where((end2 > REF) & (rng.random(len(second)) < 0.4), null, end2)
    add(second, other_uni, "higher", _md(sy, 9, 1), end2)
    # other: bootcamps and courses
    idx = np.flatnonzero((~has | (age >= 18)) & (rng.random(n) < 0.08))
    start = rng.integers(_D(dt.date(2015, 1, 1)), _D(dt.date(2025, 10, 1)), len(idx))
    camp = lex.take("bootcamp", lex.pick("bootcamp", m.text_lang[idx], rng.random(len(idx))))
    add(idx, camp, "other", start, start + rng.integers(90, 181, len(idx)))

    if not rows:
        return EDUCATION.arrow_schema().empty_table()
    member = np.concatenate([r[0] for r in rows])
    school = pa.concat_arrays([r[1] for r in rows])
    level = np.concatenate([np.full(len(r[0]), r[2], dtype=object) for r in rows])
    start = np.concatenate([r[3] for r in rows])
    end = np.concatenate([r[4] for r in rows])
    order = np.lexsort((start, member))
    member, level, start, end = member[order], level[order], start[order], end[order]
    school = school.take(order)
    return pa.Table.from_arrays(
        [
            m.member_id.take(member),
            school,
            pa.array(level, type=pa.string()),
            pa.array(start.astype(np.int32), type=pa.date32()),
            pa.array(
                np.where(end == null, 0, end).astype(np.int32), type=pa.date32(), mask=end == null
            ),
        ],
        schema=EDUCATION.arrow_schema(),
    )


def generate_members(n: int, seed: int) -> Members:
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 1])))
    country = _countries(rng, n)
    language, text_lang = _languages(rng, country)
    birth, has_birth, _ = _births(rng, n)
    joined = _joined(rng, birth, has_birth)
    deleted, has_deleted = _deleted(rng, joined)
    activity = rng.lognormal(0.0, 0.8, n) / np.exp(0.32)
    member_id = join(["m", ints_to_str(np.arange(1, n + 1), 8)], n)
    m = Members(
        n=n,
        member_id=member_id,
        country=country,
        language=language,
        text_lang=text_lang,
        birth=birth,
        has_birth=has_birth,
        joined=joined,
        deleted=deleted,
        has_deleted=has_deleted,
        activity=activity,
        first_g=np.zeros(0, dtype=np.int64),
        last_g=np.zeros(0, dtype=np.int64),
        company_g=np.zeros(0, dtype=np.int64),
    )
    _attributes(rng, m)
    m.education = _education(rng, m)
    return m
