from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from consentgate.policy import PolicyError, load_policy, parse_policy, shipped_policies
from consentgate.policy.loader import resolve

SHIPPED = resolve("linkedin-2025").read_text(encoding="utf-8")


def _broken(old: str, new: str, count: int = 1) -> bytes:
    assert old in SHIPPED, old
    return SHIPPED.replace(old, new, count).encode()


def _problems(data: bytes) -> list:
    with pytest.raises(PolicyError) as info:
        parse_policy(data, origin="broken.toml")
    return info.value.problems


def test_shipped_policy_loads_with_every_design_rule() -> None:
    assert "linkedin-2025" in shipped_policies()
    p = load_policy("linkedin-2025")
    assert p.policy.data_use == "train_ai_system"
    assert p.setting.key == "data_for_genai_improvement"
    assert p.setting.default is True
    assert p.setting.toggle["en"] == "Use my data for training content creation AI models"
    assert p.setting.name["fr"] == "Données pour l'amélioration de l'IA générative"
    assert p.setting.path["en"][-1] == "Data for Generative AI Improvement"
    assert len(p.sha256) == 64
    # regions and start dates
    assert p.region_for("FR").training_start == dt.date(2025, 11, 3)
    for c in ("NO", "IS", "LI", "CH", "GB", "CA", "HK", "DE", "PL"):
        assert p.region_for(c).training_start == dt.date(2025, 11, 3), c
    assert p.region_for("US").training_start == dt.date(2024, 9, 18)
    assert p.region_for("BR").id == "rest_of_world"
    assert p.region_for(None) is None
    assert p.region_for("UK") is None  # not ISO: fail closed
    eu = next(r for r in p.regions if r.id == "eu_eea")
    assert len(eu.countries) == 30
    # kinds
    never = set(p.never_used_kinds())
    assert {
        "private_message",
        "inmail",
        "salary",
        "job_application",
        "login_credential",
        "payment_method",
        "search_query",
    } == never
    assert p.kinds["post"].visibility == ["public"]
    assert set(p.kinds["group_message"].visibility) == {"public", "group"}
    assert p.kinds["group_post"].group
    assert set(p.kinds["ai_prompt"].visibility) == {"public", "connections", "group", "private"}
    from consentgate.contract import RECORD_KINDS

    assert set(p.kinds) == set(RECORD_KINDS)
    assert p.minors.adult_age == 18 and p.minors.secondary_school_means_minor
    assert p.groups.exclude_sensitive and p.groups.missing_group_is_sensitive
    assert set(p.redaction.classes) == {"email", "phone", "iban", "card", "national_id", "salary"}


def test_policy_by_path_and_unknown_name(tmp_path: Path) -> None:
    f = tmp_path / "mine.toml"
    f.write_text(SHIPPED, encoding="utf-8")
    assert load_policy(f).sha256 == load_policy("linkedin-2025").sha256
    with pytest.raises(PolicyError, match=r"no policy named .no-such-policy.*linkedin-2025"):
        load_policy("no-such-policy")


def test_syntax_error_names_the_line() -> None:
    (p,) = _problems(_broken('id = "linkedin-2025"', 'id = "linkedin-2025'))
    assert p.field == "syntax"
    assert p.line == SHIPPED.splitlines().index('id = "linkedin-2025"') + 1


def test_unknown_category_names_field_and_line() -> None:
    problems = _problems(
        _broken(
            '[kinds.post]\ncategory = "user.content.public.member_generated"',
            '[kinds.post]\ncategory = "user.content.nonsense"',
        )
    )
    (p,) = problems
    assert p.field == "kinds.post.category"
    assert "fideslang" in p.message
    assert SHIPPED.splitlines()[p.line - 1].startswith("category")
    assert SHIPPED.splitlines()[p.line - 2] == "[kinds.post]"


def test_unknown_data_use_rejected() -> None:
    (p,) = _problems(_broken('data_use = "train_ai_system"', 'data_use = "train_robots"'))
    assert p.field == "policy.data_use"


def test_extension_must_hang_off_a_known_parent() -> None:
    problems = _problems(_broken('parent_key = "user.financial"', 'parent_key = "user.money"'))
    assert any(p.field.endswith("parent_key") for p in problems)


def test_bad_country_code_rejected_with_line() -> None:
    (p,) = _problems(_broken('countries = ["GB"]', 'countries = ["UK"]'))
    assert p.field == "regions.2.countries"
    assert "UK" in p.message
    assert SHIPPED.splitlines()[p.line - 1] == 'countries = ["GB"]'


def test_country_in_two_regions_rejected() -> None:
    problems = _problems(_broken('countries = ["CH"]', 'countries = ["FR"]'))
    assert "FR" in problems[0].message


def test_used_kind_without_visibility_rejected() -> None:
    (p,) = _problems(
        _broken(
            '[kinds.article]\ncategory = "user.content.public.member_generated"\nused = true\nvisibility = ["public"]',
            '[kinds.article]\ncategory = "user.content.public.member_generated"\nused = true',
        )
    )
    assert p.field == "kinds.article"


def test_unknown_field_and_bad_value_types() -> None:
    problems = _problems(_broken("adult_age = 18", 'adult_age = "eighteen"\nshoe_size = 3'))
    fields = {p.field for p in problems}
    assert {"minors.adult_age", "minors.shoe_size"} <= fields


def test_missing_section_reported() -> None:
    start = SHIPPED.index("# The settings, one [[settings]]")
    end = SHIPPED.index("# The member's country")
    (p,) = _problems((SHIPPED[:start] + SHIPPED[end:]).encode())
    assert p.field == "settings" and "required" in p.message.lower()


def test_lookback_cutoff() -> None:
    p = parse_policy(_broken("# one, for example: since", "max_age_days = 365\n# since"))
    assert p.lookback.cutoff(dt.date(2026, 1, 1)) == dt.date(2025, 1, 1)
