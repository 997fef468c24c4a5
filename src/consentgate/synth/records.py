"""Records: every kind of the contract, with realistic counts, visibilities, groups, times,
deletions and texts, generated one chunk of members at a time (vectorised)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from consentgate.contract.schema import RECORD_KINDS, RECORDS, VISIBILITIES
from consentgate.synth import timeline
from consentgate.synth.arrow import char_len, ints_to_str, join, keyed_uniform, pick, scatter
from consentgate.synth.groups import Groups
from consentgate.synth.lang import LANGUAGES, MODULES, common
from consentgate.synth.members import Members
from consentgate.synth.pii import Pools
from consentgate.synth.slots import MemberLookups, RecordSlots, natid_variants
from consentgate.synth.texts import Rendered, Spans, render, render_segments

KI = {k: i for i, k in enumerate(RECORD_KINDS)}
K = len(RECORD_KINDS)
PROFILE = np.array([k.startswith("profile_") for k in RECORD_KINDS])
GROUP_KINDS = ("group_post", "group_comment", "group_message")
AI_PAIR = ("ai_prompt", "ai_output")

# kind: (presence probability, Poisson rate, rate scaled by the member's activity)
VOLUME: dict[str, tuple[float, float, bool]] = {
    "profile_name": (1.0, 0.0, False),
    "profile_photo": (0.85, 0.0, False),
    "profile_headline": (1.0, 0.0, False),
    "profile_summary": (0.7, 0.0, False),
    "profile_experience": (1.0, 1.3, False),
    "profile_education": (0.85, 0.3, False),
    "profile_skills": (0.9, 0.0, False),
    "profile_location": (1.0, 0.0, False),
    "profile_certification": (0.0, 0.6, False),
    "profile_volunteering": (0.0, 0.3, False),
    "profile_publication": (0.0, 0.12, False),
    "profile_patent": (0.0, 0.04, False),
    "profile_endorsement": (0.0, 2.2, True),
    "profile_recommendation": (0.0, 0.6, True),
    "post": (0.0, 6.5, True),
    "article": (0.0, 0.6, True),
    "comment": (0.0, 8.5, True),
    "poll_response": (0.0, 1.6, True),
    "group_post": (0.0, 1.5, True),
    "group_comment": (0.0, 2.6, True),
    "group_message": (0.0, 1.6, True),
    "ai_prompt": (0.0, 2.6, True),
    "ai_output": (0.0, 0.0, True),  # one per prompt
    "resume": (0.0, 0.4, False),
    "screening_answer": (0.0, 0.8, True),
    "job_application": (0.0, 1.1, True),
    "salary": (0.0, 0.2, False),
    "private_message": (0.0, 5.5, True),
    "inmail": (0.0, 0.8, True),
    "search_query": (0.0, 3.2, True),
    "feedback": (0.0, 0.35, True),
    "login_credential": (1.0, 0.1, False),
    "payment_method": (0.0, 0.15, False),
}

# kind: probabilities of public, connections, group, private
_PROFILE_VIS = (0.93, 0.05, 0.0, 0.02)
_PRIVATE = (0.0, 0.0, 0.0, 1.0)
VISIBILITY: dict[str, tuple[float, float, float, float]] = {
    **{k: _PROFILE_VIS for k in RECORD_KINDS if k.startswith("profile_")},
    "post": (0.85, 0.15, 0.0, 0.0),
    "article": (0.95, 0.05, 0.0, 0.0),
    "comment": (0.9, 0.1, 0.0, 0.0),
    "poll_response": (0.85, 0.15, 0.0, 0.0),
    "group_post": (0.25, 0.0, 0.75, 0.0),
    "group_comment": (0.25, 0.0, 0.75, 0.0),
    "group_message": (0.1, 0.0, 0.9, 0.0),
    "resume": (0.0, 0.1, 0.0, 0.9),
    **{
        k: _PRIVATE
        for k in (
            "ai_prompt",
            "ai_output",
            "screening_answer",
            "job_application",
            "salary",
            "private_message",
            "inmail",
            "search_query",
            "feedback",
            "login_credential",
            "payment_method",
        )
    },
}

# kind: (share of records that get a planted personal-data sentence, class weights)
PLANT: dict[str, tuple[float, dict[str, float]]] = {
    "profile_headline": (0.03, {"email": 0.7, "phone": 0.3}),
    "profile_summary": (0.12, {"email": 0.6, "phone": 0.4}),
    "post": (0.12, {"email": 0.5, "phone": 0.35, "salary": 0.15}),
    "article": (0.1, {"email": 0.6, "phone": 0.3, "salary": 0.1}),
    "comment": (0.1, {"email": 0.5, "phone": 0.4, "salary": 0.1}),
    "group_post": (
        0.15,
        {"email": 0.35, "phone": 0.35, "salary": 0.15, "national_id": 0.05, "iban": 0.1},
    ),
    "group_comment": (0.12, {"email": 0.4, "phone": 0.45, "salary": 0.15}),
    "group_message": (0.18, {"email": 0.35, "phone": 0.45, "iban": 0.1, "salary": 0.1}),
    "ai_prompt": (
        0.2,
        {"email": 0.25, "phone": 0.25, "salary": 0.2, "national_id": 0.1, "iban": 0.1, "card": 0.1},
    ),
    "ai_output": (0.12, {"email": 0.35, "phone": 0.35, "salary": 0.3}),
    "resume": (0.6, {"email": 0.5, "phone": 0.45, "national_id": 0.05}),
    "screening_answer": (0.15, {"phone": 0.4, "email": 0.3, "national_id": 0.3}),
    "job_application": (0.3, {"email": 0.4, "phone": 0.4, "national_id": 0.2}),
    "private_message": (
        0.18,
        {"phone": 0.35, "email": 0.3, "iban": 0.15, "salary": 0.15, "national_id": 0.05},
    ),
    "inmail": (0.2, {"email": 0.45, "phone": 0.35, "salary": 0.2}),
    "feedback": (0.2, {"card": 0.35, "iban": 0.25, "email": 0.3, "phone": 0.1}),
}
PII_CLASSES = ("email", "phone", "iban", "card", "national_id", "salary")

# kind: share of records that get a decoy sentence
DECOY_RATE: dict[str, float] = {
    "post": 0.12,
    "article": 0.3,
    "comment": 0.06,
    "group_post": 0.15,
    "group_comment": 0.05,
    "group_message": 0.1,
    "private_message": 0.08,
    "inmail": 0.05,
    "ai_prompt": 0.1,
    "ai_output": 0.1,
    "feedback": 0.15,
    "resume": 0.05,
    "profile_summary": 0.05,
}

# kinds a member who does not write English sometimes writes in English anyway
ENGLISH_SWITCH = (
    "post",
    "article",
    "comment",
    "ai_prompt",
    "ai_output",
    "search_query",
    "group_post",
)

_DAY = timeline.US_PER_DAY
_YEAR = 365 * _DAY
RECENT = timeline.to_us(dt.date(2025, 6, 1))


def templates_for(kind: str, lang: str) -> tuple[list[list[str]], str]:
    mod = MODULES[lang]
    spec = mod.TEMPLATES.get(kind) or common.TEMPLATES[kind]
    return spec, mod.SEPARATORS.get(kind, " ")


@dataclass
class RunContext:
    seed: int
    members: Members
    lookups: MemberLookups
    groups: Groups
    pools: Pools

    @property
    def seed_key(self) -> int:
        return int(np.random.SeedSequence([self.seed, 7]).generate_state(2, np.uint64)[0])


@dataclass
class Chunk:
    records: pa.Table
    ground_truth: pa.Table
    decoys: pa.Table
    by_kind: np.ndarray
    by_class: dict[str, int] = field(default_factory=dict)
    decoys_by_class: dict[str, int] = field(default_factory=dict)


SPAN_SCHEMA = pa.schema(
    [
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("cls", pa.string(), nullable=False),
        pa.field("value", pa.string(), nullable=False),
        pa.field("start", pa.int32(), nullable=False),
        pa.field("end", pa.int32(), nullable=False),
        pa.field("detail", pa.string(), nullable=False),
    ]
)


def _counts(rng: np.random.Generator, ctx: RunContext, mem: np.ndarray) -> np.ndarray:
    m = ctx.members
    nm = len(mem)
    hi = np.where(m.has_deleted[mem], m.deleted[mem], timeline.END)
    span_years = (hi - m.joined[mem]) / _YEAR
    factor = m.activity[mem] * (0.3 + 0.7 * np.clip(span_years / 3, 0, 1))
    counts = np.zeros((nm, K), dtype=np.int64)
    for kind, (presence, rate, scaled) in VOLUME.items():
        c = np.zeros(nm, dtype=np.int64)
        if presence:
            c += rng.random(nm) < presence
        if rate:
            c += rng.poisson(rate * factor if scaled else np.full(nm, rate))
        counts[:, KI[kind]] = c
    counts[:, KI["ai_output"]] = counts[:, KI["ai_prompt"]]
    return counts


def _created(
    rng: np.random.Generator, kind: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    n = len(kind)
    width = np.maximum(hi - lo, 1)
    u = rng.random(n)
    mode = rng.random(n)
    t = lo + (width * u).astype(np.int64)
    profile = PROFILE[kind]
    early = profile & (mode < 0.7)
    t = np.where(early, lo + (np.minimum(width, 30 * _DAY) * u).astype(np.int64), t)
    activity = ~profile
    recent_lo = np.maximum(lo, RECENT)
    recent = activity & (mode >= 0.5) & (mode < 0.8) & (recent_lo < hi)
    t = np.where(recent, recent_lo + ((hi - recent_lo) * u).astype(np.int64), t)
    us_, eu = timeline.rollout_us()[0], timeline.rollout_us()[-1]
    for instant, m_lo, m_hi in ((eu, 0.8, 0.93), (us_, 0.93, 0.995)):
        near = instant + ((2 * u - 1) * 14 * _DAY).astype(np.int64)
        ok = activity & (mode >= m_lo) & (mode < m_hi) & (near >= lo) & (near < hi)
        t = np.where(ok, near, t)
    exact = activity & (mode >= 0.995)
    for instant, sel in ((eu, u < 0.67), (us_, u >= 0.67)):
        ok = exact & sel & (lo <= instant) & (instant < hi)
        t = np.where(ok, instant, t)
    return t


class _ChunkBuilder:
    def __init__(self, ctx: RunContext, chunk: int, m0: int, m1: int, first_record: int) -> None:
        self.ctx = ctx
        self.rng = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence([ctx.seed, 2, chunk]))
        )
        self.mem = np.arange(m0, m1)
        self.first_record = first_record

    def build(self) -> Chunk:
        ctx, rng = self.ctx, self.rng
        m = ctx.members
        mem = self.mem
        counts = _counts(rng, ctx, mem)
        member = np.repeat(np.repeat(mem, K), counts.ravel())
        kind = np.repeat(np.tile(np.arange(K), len(mem)), counts.ravel())
        n0 = len(kind)
        pair = np.full(n0, -1, dtype=np.int64)
        prompts = np.flatnonzero(kind == KI["ai_prompt"])
        outputs = np.flatnonzero(kind == KI["ai_output"])
        pair[prompts] = np.arange(len(prompts))
        pair[outputs] = np.arange(len(outputs))

        kind_min = np.full(K, timeline.START, dtype=np.int64)
        kind_min[[KI[k] for k in AI_PAIR]] = timeline.GENAI_START
        lo = np.maximum(m.joined[member], kind_min[kind])
        hi = np.where(m.has_deleted[member], m.deleted[member], timeline.END)
        created = _created(rng, kind, lo, hi)
        created[outputs] = np.minimum(
            created[prompts] + rng.integers(1, 31, len(outputs)) * timeline.US_PER_SECOND,
            hi[outputs] - 1,
        )
        keep = lo < hi
        member, kind, created, pair = member[keep], kind[keep], created[keep], pair[keep]
        order = np.lexsort((kind, created, member))
        member, kind, created, pair = member[order], kind[order], created[order], pair[order]
        n = len(kind)

        # keys: one per record; an AI output shares its prompt's key (same names and numbers)
        seq = self.first_record + np.arange(n, dtype=np.int64)
        keys = seq.astype(np.uint64)
        is_prompt = (kind == KI["ai_prompt"]) & (pair >= 0)
        is_output = (kind == KI["ai_output"]) & (pair >= 0)
        prompt_key = np.zeros(max(len(prompts), 1), dtype=np.uint64)
        prompt_key[pair[is_prompt]] = keys[is_prompt]
        keys[is_output] = prompt_key[pair[is_output]]

        deleted, has_deleted = self._deleted(member, created)
        visibility = self._visibility(kind)
        group = self._groups(kind, member)
        lang = m.text_lang[member].copy()
        switch = np.isin(kind, [KI[k] for k in ENGLISH_SWITCH]) & (lang != 0)
        switch &= keyed_uniform(keys, ctx.seed_key, "english_switch") < 0.08
        lang[switch] = 0

        slots = RecordSlots(
            ctx.seed_key, keys, member, np.maximum(group, 0), m, ctx.lookups, ctx.groups, ctx.pools
        )
        text, spans = self._texts(kind, lang, slots)
        text, spans = self._plant(text, spans, kind, lang, member, slots)
        text, spans = self._decoys(text, spans, kind, lang, slots)

        record_id = join(["r", ints_to_str(seq + 1, 10)], n)
        group_id = ctx.groups.group_id.take(np.maximum(group, 0))
        group_id = pc.if_else(pa.array(group >= 0), group_id, pa.nulls(n, pa.string()))
        records = pa.Table.from_arrays(
            [
                record_id,
                m.member_id.take(member),
                pick(RECORD_KINDS, kind),
                pick(VISIBILITIES, visibility),
                group_id,
                pa.array(created, type=pa.timestamp("us", tz="UTC")),
                pa.array(deleted, type=pa.timestamp("us", tz="UTC"), mask=~has_deleted),
                text,
            ],
            schema=RECORDS.arrow_schema(),
        )
        gt = self._span_table(record_id, [s for s in spans if not s.decoy])
        dec = self._span_table(record_id, [s for s in spans if s.decoy])
        return Chunk(
            records,
            gt,
            dec,
            np.bincount(kind, minlength=K),
            _value_counts(gt),
            _value_counts(dec),
        )

    # -- columns ------------------------------------------------------------------------------
    def _deleted(self, member: np.ndarray, created: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m, rng = self.ctx.members, self.rng
        n = len(member)
        deleted = np.zeros(n, dtype=np.int64)
        cascade = m.has_deleted[member] & (rng.random(n) < 0.5)
        deleted[cascade] = m.deleted[member][cascade]
        own = ~cascade & (rng.random(n) < 0.03) & (created < timeline.END)
        u = rng.random(n)
        deleted[own] = created[own] + ((timeline.END - created[own]) * u[own]).astype(np.int64) + 1
        eu = timeline.rollout_us()[-1]
        exact = own & (u < 0.05) & (created < eu)
        deleted[exact] = eu
        return deleted, cascade | own

    def _visibility(self, kind: np.ndarray) -> np.ndarray:
        table = np.array([VISIBILITY[k] for k in RECORD_KINDS])
        cum = np.cumsum(table, axis=1)
        u = self.rng.random(len(kind))
        return np.minimum((u[:, None] >= cum[kind]).sum(axis=1), len(VISIBILITIES) - 1)

    def _groups(self, kind: np.ndarray, member: np.ndarray) -> np.ndarray:
        rng, groups = self.rng, self.ctx.groups
        group = np.full(len(kind), -1, dtype=np.int64)
        rows = np.flatnonzero(np.isin(kind, [KI[k] for k in GROUP_KINDS]))
        lang = self.ctx.members.text_lang[member[rows]]
        group[rows] = groups.pick(lang, rng.random(len(rows)), rng.random(len(rows)))
        n_ghost = max(1 if len(rows) >= 100 else 0, round(0.005 * len(rows)))
        ghost_rows = rng.permutation(rows)[:n_ghost]
        ghosts = groups.ghosts
        group[ghost_rows] = ghosts[rng.integers(0, len(ghosts), len(ghost_rows))]
        return group

    # -- texts --------------------------------------------------------------------------------
    def _texts(
        self, kind: np.ndarray, lang: np.ndarray, slots: RecordSlots
    ) -> tuple[pa.Array, list[Spans]]:
        n = len(kind)
        code = lang * K + kind
        order = np.argsort(code, kind="stable")
        bounds = np.flatnonzero(np.diff(code[order])) + 1
        pieces: list[tuple[np.ndarray, pa.Array]] = []
        spans: list[Spans] = []
        for rows in np.split(order, bounds):
            if not len(rows):
                continue
            k = RECORD_KINDS[int(kind[rows[0]])]
            li = int(lang[rows[0]])
            spec, sep = templates_for(k, LANGUAGES[li])
            name = "ai_pair" if k in AI_PAIR else k
            out = render_segments(spec, sep, rows, li, slots, name)
            pieces.append((rows, out.text))
            spans.extend(s.moved(rows[s.idx]) for s in out.spans)
        return scatter(pieces, n), spans

    def _sentences(
        self,
        rows: np.ndarray,
        names: list[str],
        key: np.ndarray,
        lang: np.ndarray,
        slots: RecordSlots,
        table: str,
    ) -> Rendered:
        """One sentence per row, drawn from the row language's ``PII[names[key]]`` (table
        "pii") or ``DECOYS`` (table "decoy")."""
        code = (
            np.unique(np.stack([lang[rows], key]), axis=1)
            if len(rows)
            else np.zeros((2, 0), dtype=np.int64)
        )
        pieces: list[tuple[np.ndarray, pa.Array]] = []
        spans: list[Spans] = []
        for li, k in code.T:
            loc = np.flatnonzero((lang[rows] == li) & (key == k))
            mod = MODULES[LANGUAGES[int(li)]]
            name = names[int(k)]
            templates = mod.DECOYS if table == "decoy" else mod.PII[name]
            out = render(templates, rows[loc], int(li), slots, f"{table}.{name}")
            pieces.append((loc, out.text))
            spans.extend(s.moved(loc[s.idx]) for s in out.spans)
        return Rendered(scatter(pieces, len(rows)), spans)

    def _plant(
        self,
        text: pa.Array,
        spans: list[Spans],
        kind: np.ndarray,
        lang: np.ndarray,
        member: np.ndarray,
        slots: RecordSlots,
    ) -> tuple[pa.Array, list[Spans]]:
        rng = self.rng
        n = len(kind)
        rate = np.zeros(K)
        for k, (r, _) in PLANT.items():
            rate[KI[k]] = r
        rows = np.flatnonzero(rng.random(n) < rate[kind])
        cls = np.empty(len(rows), dtype=object)
        u = rng.random(len(rows))
        for k, (_, weights) in PLANT.items():
            loc = np.flatnonzero(kind[rows] == KI[k])
            names = list(weights)
            cum = np.cumsum([weights[c] for c in names])
            cum /= cum[-1]
            cls[loc] = np.array(names, dtype=object)[
                np.minimum(np.searchsorted(cum, u[loc], side="right"), len(names) - 1)
            ]
        # template table per row: the class, or national_id:<variant>
        table_key = cls.copy()
        nat = np.flatnonzero(cls == "national_id")
        look = self.ctx.lookups
        for li in np.unique(lang[rows[nat]]) if len(nat) else []:
            sel = nat[lang[rows[nat]] == li]
            mem = member[rows[sel]]
            table_key[sel] = "national_id:" + natid_variants(
                int(li), look.nino_country[mem], look.pt_country[mem]
            )
        if len(rows):
            uniq, key_idx = np.unique(table_key.astype(str), return_inverse=True)
            names = [str(x) for x in uniq]
        else:
            names, key_idx = [], np.zeros(0, dtype=np.int64)
        sentences = self._sentences(rows, names, key_idx, lang, slots, "pii")
        return self._attach(text, spans, rows, sentences, kind)

    def _decoys(
        self,
        text: pa.Array,
        spans: list[Spans],
        kind: np.ndarray,
        lang: np.ndarray,
        slots: RecordSlots,
    ) -> tuple[pa.Array, list[Spans]]:
        rate = np.zeros(K)
        for k, r in DECOY_RATE.items():
            rate[KI[k]] = r
        rows = np.flatnonzero(self.rng.random(len(kind)) < rate[kind])
        key = np.zeros(len(rows), dtype=np.int64)
        sentences = self._sentences(rows, ["decoys"], key, lang, slots, "decoy")
        return self._attach(text, spans, rows, sentences, kind)

    def _attach(
        self,
        text: pa.Array,
        spans: list[Spans],
        rows: np.ndarray,
        sentence: Rendered,
        kind: np.ndarray,
    ) -> tuple[pa.Array, list[Spans]]:
        """Append (or, for some rows, prepend as a first line) each row's sentence."""
        if not len(rows):
            return text, spans
        n = len(text)
        base = text.take(rows)
        base_len = char_len(base)
        sent_len = char_len(sentence.text)
        prepend = self.rng.random(len(rows)) < 0.3
        k = kind[rows]
        sep_idx = np.where(k == KI["article"], 1, np.where(k == KI["resume"], 2, 0))
        sep_opts = [" ", "\n\n", "\n"]
        sep = pick(sep_opts, sep_idx)
        sep_len = np.array([len(s) for s in sep_opts])[sep_idx]
        appended = join([base, sep, sentence.text], len(rows))
        prepended = join([sentence.text, "\n", base], len(rows))
        new = pc.if_else(pa.array(prepend), prepended, appended)
        shift = np.zeros(n, dtype=np.int64)
        shift[rows[prepend]] = sent_len[prepend] + 1
        moved = [s.moved(s.idx, shift[s.idx]) for s in spans]
        offset = np.where(prepend, 0, base_len + sep_len)
        moved.extend(s.moved(rows[s.idx], offset[s.idx]) for s in sentence.spans)
        mask = np.zeros(n, dtype=bool)
        mask[rows] = True
        return pc.replace_with_mask(text, pa.array(mask), new), moved

    @staticmethod
    def _span_table(record_id: pa.Array, spans: list[Spans]) -> pa.Table:
        if not spans:
            return SPAN_SCHEMA.empty_table()
        pos = np.concatenate([s.idx for s in spans])
        start = np.concatenate([s.start for s in spans])
        value = pa.concat_arrays([s.value for s in spans])
        cls = pa.concat_arrays([pick([s.cls], np.zeros(len(s.idx), dtype=np.int64)) for s in spans])
        detail = pa.concat_arrays(
            [
                s.detail
                if isinstance(s.detail, pa.Array)
                else pick([s.detail], np.zeros(len(s.idx), dtype=np.int64))
                for s in spans
            ]
        )
        end = start + char_len(value)
        order = np.lexsort((start, pos))
        return pa.Table.from_arrays(
            [
                record_id.take(pos[order]),
                cls.take(order),
                value.take(order),
                pa.array(start[order].astype(np.int32)),
                pa.array(end[order].astype(np.int32)),
                detail.take(order),
            ],
            schema=SPAN_SCHEMA,
        )


def _value_counts(table: pa.Table) -> dict[str, int]:
    if table.num_rows == 0:
        return {}
    vc = pc.value_counts(table["cls"]).to_pylist()
    return {d["values"]: int(d["counts"]) for d in vc}


def build_chunk(ctx: RunContext, chunk: int, m0: int, m1: int, first_record: int) -> Chunk:
    return _ChunkBuilder(ctx, chunk, m0, m1, first_record).build()
