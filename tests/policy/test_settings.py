"""Several settings (purposes) in one policy: the shipped rows, the older single [setting]
format, validation with located errors, and what `policy diff` flags."""

from __future__ import annotations

import pytest

from consentgate.policy import PolicyError, load_policy, parse_policy
from consentgate.policy.diff import diff_policies
from consentgate.policy.loader import resolve
from consentgate.policy.model import UnknownSetting

SHIPPED = resolve("linkedin-2025").read_text(encoding="utf-8")
POLICY = load_policy("linkedin-2025")

MICROSOFT_ROW = SHIPPED[SHIPPED.index('[[settings]]\nkey = "microsoft_ai_sharing"'):
                        SHIPPED.index('[[settings]]\nkey = "data_sharing"')]


def _problems(text: str) -> list:
    with pytest.raises(PolicyError) as info:
        parse_policy(text.encode(), origin="broken.toml")
    return info.value.problems


def test_shipped_rows() -> None:
    assert POLICY.setting_keys() == ["data_for_genai_improvement", "microsoft_ai_sharing",
                                     "data_sharing", "other_ai_uses"]
    genai, microsoft, ads, other = POLICY.settings
    assert POLICY.setting is genai and POLICY.setting_for(None) is genai
    assert POLICY.purpose_of(genai) == "train_ai_system" and genai.recipient == "LinkedIn"
    assert microsoft.name["en"] == (
        "Sharing data with our parent company, Microsoft, for its AI training purposes")
    assert microsoft.recipient == "Microsoft" and microsoft.regions == ["gb"]
    assert POLICY.purpose_of(microsoft) == "train_ai_system"
    gb, us = POLICY.region_for("GB"), POLICY.region_for("US")
    assert POLICY.shown_in(microsoft, gb) and not POLICY.shown_in(microsoft, us)
    assert POLICY.region_default(gb, microsoft) is True
    assert POLICY.purpose_of(ads) == "marketing.advertising.third_party.targeted"
    assert ads.gpc_opts_out and ads.gpc_regions == ["us"]
    assert not POLICY.shown_in(ads, POLICY.region_for("FR"))  # outside the EU/EEA and CH only
    # other AI uses: an objection (GDPR Art. 21), in the EU/EEA, Switzerland and the UK
    assert other.mechanism == "objection" and other.default is True
    assert POLICY.shown_in(other, POLICY.region_for("FR")) and not POLICY.shown_in(other, us)
    # the notice: 2025-09-18 -> 2025-11-03 is 46 days, in the regions of that rollout
    assert genai.notice_days == 46
    assert POLICY.notice_required(genai, POLICY.region_for("FR"))
    assert not POLICY.notice_required(genai, us)
    assert POLICY.notice_required(microsoft, gb)
    for s in POLICY.settings:
        assert {"en", "fr"} <= set(s.name) and {"en", "fr"} <= set(s.toggle), s.key
    with pytest.raises(UnknownSetting, match=r"no setting 'marketing'.*data_sharing"):
        POLICY.setting_for("marketing")


def _legacy() -> str:
    """The shipped policy written the older way: one [setting] table."""
    start = SHIPPED.index("# The settings, one [[settings]]")
    end = SHIPPED.index("# The member's country")
    old = (
        '[setting]\nkey = "data_for_genai_improvement"\ndefault = true\n'
        'name = { en = "Data for Generative AI Improvement" }\n'
        'toggle = { en = "Use my data for training content creation AI models" }\n'
        'path = { en = ["Me", "Settings & Privacy"] }\nretroactive = false\n\n'
    )
    return SHIPPED[:start] + old + SHIPPED[end:]


def test_older_single_setting_still_loads() -> None:
    p = parse_policy(_legacy().encode())
    assert p.setting_keys() == ["data_for_genai_improvement"]
    assert p.purpose_of(p.setting) == "train_ai_system"  # the policy's data_use
    assert p.setting.notice_days is None and p.setting.regions is None
    # errors name the table as written
    (problem,) = _problems(_legacy().replace("retroactive = false\n\n", "retroactive = 3\n\n", 1))
    assert problem.field == "setting.retroactive" and problem.line is not None


def test_both_forms_at_once_are_refused() -> None:
    (problem,) = _problems(_legacy() + "\n" + MICROSOFT_ROW)
    assert "not both" in problem.message


def test_setting_errors_are_located() -> None:
    bad_region = SHIPPED.replace('regions = ["gb"]', 'regions = ["uk"]')
    (problem,) = _problems(bad_region)
    assert problem.field == "settings.1.regions" and "'uk' is not a region id" in problem.message
    assert SHIPPED.splitlines()[problem.line - 1].startswith("regions = ")

    twice = SHIPPED.replace('key = "data_sharing"', 'key = "microsoft_ai_sharing"')
    (problem,) = _problems(twice)
    assert problem.field == "settings.2.key" and "already the key of setting 2" in problem.message

    bad_use = SHIPPED.replace('purpose = "marketing.advertising.third_party.targeted"',
                              'purpose = "selling_data"')
    (problem,) = _problems(bad_use)
    assert problem.field == "settings.2.purpose" and "not a fideslang data use" in problem.message

    no_gpc_regions = SHIPPED.replace('gpc_regions = ["us"]\n', "")
    (problem,) = _problems(no_gpc_regions)
    assert problem.field == "settings.2" and "gpc_regions" in problem.message

    negative = SHIPPED.replace("notice_days = 46\nnotice_regions", "notice_days = -1\nnotice_regions")
    (problem,) = _problems(negative)
    assert problem.field == "settings.0.notice_days"


def _changes(text: str) -> dict:
    return {c.subject: c for c in diff_policies(POLICY, parse_policy(text.encode()))}


def test_diff_flags_widening_changes_of_every_purpose() -> None:
    # a new purpose
    extra = MICROSOFT_ROW.replace('key = "microsoft_ai_sharing"', 'key = "microsoft_ads"')
    c = _changes(SHIPPED + "\n" + extra)["settings.microsoft_ads"]
    assert c.widens is True and c.before is None

    # a purpose removed: less
    start = SHIPPED.index('[[settings]]\nkey = "data_sharing"')
    end = SHIPPED.index("# The member's country")
    assert _changes(SHIPPED[:start] + SHIPPED[end:])["settings.data_sharing"].widens is False

    # a region added where the setting is shown
    c = _changes(SHIPPED.replace('regions = ["gb"]', 'regions = ["gb", "ch"]'))
    assert c["settings.microsoft_ai_sharing.regions"].widens is True
    assert _changes(SHIPPED.replace('regions = ["gb"]\ndefault = true',
                                    'regions = ["gb"]\ndefault = false')
                    )["settings.microsoft_ai_sharing.default"].widens is False

    # a default turned on in one region (off everywhere else)
    off = SHIPPED.replace('regions = ["gb"]\ndefault = true', 'regions = ["gb"]\ndefault = false')
    on_in_gb = off.replace('regions = ["gb"]\ndefault = false',
                           'regions = ["gb"]\ndefault = false\nregion_defaults = { gb = true }')
    c = {x.subject: x for x in diff_policies(parse_policy(off.encode()),
                                              parse_policy(on_in_gb.encode()))}
    assert c["settings.microsoft_ai_sharing.default"].widens is True

    # a recipient added (or changed)
    no_recipient = SHIPPED.replace('recipient = "Microsoft"\n', "")
    c = {x.subject: x for x in diff_policies(parse_policy(no_recipient.encode()), POLICY)}
    assert c["settings.microsoft_ai_sharing.recipient"].widens is True

    # a shorter notice, none at all, and GPC no longer counting as an opt-out
    c = _changes(SHIPPED.replace("notice_days = 46\nnotice_regions", "notice_days = 30\nnotice_regions"))
    assert c["settings.data_for_genai_improvement.notice_days"].widens is True
    c = _changes(SHIPPED.replace("notice_days = 46\nnotice_regions", "notice_days = 60\nnotice_regions"))
    assert c["settings.data_for_genai_improvement.notice_days"].widens is False
    c = _changes(SHIPPED.replace("notice_days = 46\nnote =", "note ="))
    assert c["settings.microsoft_ai_sharing.notice_days"].widens is True
    c = _changes(SHIPPED.replace('gpc_opts_out = true\ngpc_regions = ["us"]\n', ""))
    assert c["settings.data_sharing.gpc_regions"].widens is True

    # a label only: neutral
    c = _changes(SHIPPED.replace('name = { en = "Data sharing"', 'name = { en = "Sharing"'))
    assert c["settings.data_sharing.name"].widens is None
    assert diff_policies(POLICY, POLICY) == []


def test_cli_show_lists_every_setting_and_diff_marks_a_new_purpose(tmp_path) -> None:
    from typer.testing import CliRunner

    from consentgate.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["policy", "show"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "Setting microsoft_ai_sharing: train_ai_system for Microsoft" in out
    assert "GPC opts out in us" in out and "told 46 days ahead" in out
    derived = tmp_path / "derived.toml"
    derived.write_text(SHIPPED + "\n" + MICROSOFT_ROW.replace(
        'key = "microsoft_ai_sharing"', 'key = "microsoft_ads"'), encoding="utf-8")
    r = runner.invoke(app, ["policy", "diff", "linkedin-2025", str(derived)])
    assert r.exit_code == 0, r.output
    line = next(x for x in r.output.splitlines() if "settings.microsoft_ads" in x)
    assert "more data" in line or "more data" in r.output
