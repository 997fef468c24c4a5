"""Every template of every language fills without a missing slot, and the planting tables
cover every class and national-id variant a member of that language can get."""

from __future__ import annotations

import numpy as np
import pytest

from consentgate.contract.schema import RECORD_KINDS
from consentgate.synth.groups import generate_groups
from consentgate.synth.lang import LANGUAGES, MODULES, common
from consentgate.synth.members import generate_members
from consentgate.synth.pii import Pools
from consentgate.synth.records import PII_CLASSES, templates_for
from consentgate.synth.slots import MemberLookups, RecordSlots, natid_variants
from consentgate.synth.texts import render, slug


@pytest.fixture(scope="module")
def slots() -> RecordSlots:
    members = generate_members(200, seed=3)
    groups = generate_groups(200, 3, np.full(len(LANGUAGES), 1 / len(LANGUAGES)))
    pools = Pools(3, 8)
    n = 40
    return RecordSlots(
        seed_key=99,
        keys=np.arange(n, dtype=np.uint64),
        member=np.arange(n) * 5,
        group=np.arange(n) % len(groups.theme),
        members=members,
        lookups=MemberLookups(members),
        groups=groups,
        pools=pools,
    )


def _all_templates(lang: str) -> list[tuple[str, str]]:
    mod = MODULES[lang]
    out = []
    for kind in RECORD_KINDS:
        spec, _ = templates_for(kind, lang)
        out += [(kind, t) for seg in spec for t in seg]
    out += [(f"pii:{k}", t) for k, ts in mod.PII.items() for t in ts]
    out += [("decoy", t) for t in mod.DECOYS]
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_fills(lang: str, slots: RecordSlots) -> None:
    li = LANGUAGES.index(lang)
    rows = np.arange(len(slots.keys))
    for kind, template in _all_templates(lang):
        out = render([template], rows, li, slots, "t")
        texts = out.text.to_pylist()
        assert len(texts) == len(rows)
        for text in texts:
            assert "{" not in text and "}" not in text, (lang, kind, template, text)
        for span in out.spans:
            for i, start, value in zip(span.idx, span.start, span.value.to_pylist(), strict=True):
                assert texts[i][start : start + len(value)] == value


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_kind_and_plant_table_exists(lang: str) -> None:
    mod = MODULES[lang]
    for kind in RECORD_KINDS:
        assert kind in mod.TEMPLATES or kind in common.TEMPLATES, (lang, kind)
    for cls in PII_CLASSES:
        if cls != "national_id":
            assert mod.PII.get(cls), (lang, cls)
    li = LANGUAGES.index(lang)
    for nino in (False, True):
        for pt in (False, True):
            variant = natid_variants(li, np.array([nino]), np.array([pt]))[0]
            assert mod.PII.get(f"national_id:{variant}"), (lang, variant)
    assert len(mod.WORDS["month"]) == 12
    assert mod.DATE_FORMATS and mod.TIME_FORMATS and mod.DECOYS


def test_slug() -> None:
    assert slug("Élodie") == "elodie"
    assert slug("O'Brien") == "obrien"
    assert slug("Wiśniewska") == "wisniewska"
    assert slug("Yılmaz") == "yilmaz"
    assert slug("Łukasz") == "lukasz"
    assert slug("de Jong") == "dejong"
