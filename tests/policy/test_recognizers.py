"""Extra recognizers in the policy file: loading, located errors, `policy show`, `policy diff`."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consentgate.cli import app
from consentgate.policy import PolicyError, load_policy, parse_policy
from consentgate.policy.diff import diff_policies
from consentgate.redaction import Redactor
from consentgate.redaction.custom import CustomScanner
from tests.policy.recognizers import AHV, EMPLOYEE, RECOGNIZERS, line_of, policy_text, write_policy

runner = CliRunner()
PATTERN = "pattern = '\\bEMP-\\d{6}\\b'"


def _problems(tables: str, classes: list[str] | None = None) -> tuple[str, list]:
    text = policy_text(tables, classes)
    with pytest.raises(PolicyError) as info:
        parse_policy(text.encode(), origin="custom.toml")
    assert all(f"custom.toml: line {p.line}, " in str(info.value) for p in info.value.problems)
    return text, info.value.problems


def _one(tables: str, classes: list[str] | None = None):  # type: ignore[no-untyped-def]
    text, problems = _problems(tables, classes)
    assert len(problems) == 1, problems
    return text, problems[0]


# -- loading --------------------------------------------------------------------------------
def test_a_policy_file_with_recognizers_loads_and_finds_values(tmp_path: Path) -> None:
    policy = load_policy(write_policy(tmp_path))
    emp, ahv = policy.redaction.recognizers
    assert (emp.name, emp.cls, emp.pattern) == ("employee_number", "national_id", r"\bEMP-\d{6}\b")
    assert emp.cues == ("employee", "staff number") and emp.cue_side == "before"
    assert emp.cue_required is True and emp.cue_window == 30 and emp.validator is None
    assert ahv.validator == "stdnum:ch.ssn" and ahv.cue_required is False and ahv.cues == ()
    assert ahv.cue_side == "either" and ahv.description == "Swiss AHV/AVS number"

    scanner = CustomScanner(policy.redaction.recognizers)
    text = (
        "Employee EMP-123456 retired. AHV 756.1234.5678.97, not 756.1234.5678.98. "
        "Order EMP-654321 shipped."
    )
    found = scanner.find(text)
    assert [(f.cls, f.value) for f in found] == [
        ("national_id", "EMP-123456"),
        ("national_id", "756.1234.5678.97"),
    ]
    assert all(text[f.start : f.end] == f.value for f in found)


def test_the_shipped_policy_declares_no_recognizer() -> None:
    policy = load_policy("linkedin-2025")
    assert policy.redaction.recognizers == ()
    assert Redactor.from_policy(policy).recognizers == ()


def test_cue_required_defaults_to_whether_cues_are_given() -> None:
    p = parse_policy(policy_text(EMPLOYEE.replace('cue_side = "before"', "cue_required = false")).encode())
    (r,) = p.redaction.recognizers
    assert r.cues and r.cue_required is False and r.cue_side == "either"


def test_phone_validator_with_regions_loads() -> None:
    tables = """
[[redaction.recognizers]]
name = "ch_phone"
class = "phone"
pattern = '\\b0\\d{2} ?\\d{3} ?\\d{2} ?\\d{2}\\b'
validator = "phone"
regions = ["CH", "LI"]
"""
    (r,) = parse_policy(policy_text(tables).encode()).redaction.recognizers
    assert r.regions == ("CH", "LI")
    found = CustomScanner([r]).find("Ruf an: 044 668 18 00 oder 099 999 99 99")
    assert [f.value for f in found] == ["044 668 18 00"]


def test_json_uses_the_file_s_field_names(tmp_path: Path) -> None:
    r = runner.invoke(app, ["policy", "show", "--json", str(write_policy(tmp_path))])
    assert r.exit_code == 0, r.output
    (emp, _ahv) = json.loads(r.output)["redaction"]["recognizers"]
    assert emp["class"] == "national_id" and emp["pattern"] == r"\bEMP-\d{6}\b"
    # what --json prints loads back
    data = json.loads(r.output)
    policy = load_policy(write_policy(tmp_path))
    assert type(policy.redaction).model_validate(data["redaction"]) == policy.redaction


def test_a_redactor_with_recognizers_pickles(tmp_path: Path) -> None:
    policy = load_policy(write_policy(tmp_path))
    redactor = Redactor.from_policy(policy)
    assert redactor.recognizers == policy.redaction.recognizers
    again = pickle.loads(pickle.dumps(redactor))
    assert again == redactor and again.recognizers == policy.redaction.recognizers
    scanner = CustomScanner(again.recognizers)
    scanner.find("Employee EMP-123456")  # compiled here
    copy = pickle.loads(pickle.dumps(scanner))
    assert copy == scanner
    assert [f.value for f in copy.find("staff number: EMP-123456")] == ["EMP-123456"]


# -- located errors ---------------------------------------------------------------------------
def test_bad_regex_names_line_field_and_position() -> None:
    text, p = _one(EMPLOYEE.replace(PATTERN, "pattern = 'EMP-(\\d{6}'"))
    assert p.field == "redaction.recognizers.0.pattern"
    assert p.line == line_of(text, "pattern = 'EMP-(")
    assert "not a valid regular expression" in p.message
    assert "missing )" in p.message and "position 4" in p.message
    assert "EMP-\u00bb(" in p.message  # the mark at the position


def test_pattern_that_can_match_nothing_is_refused() -> None:
    for pattern in ("'\\b'", "'\\d*'", "'(?=EMP)'", "'(?:x|)'"):
        _text, p = _one(EMPLOYEE.replace(PATTERN, f"pattern = {pattern}"))
        assert p.field == "redaction.recognizers.0.pattern"
        assert "empty string" in p.message, pattern


def test_nested_quantifiers_are_refused() -> None:
    for pattern in ("(a+)+", "(\\w+\\s?)*x", "(?:\\d+|x)+y", "((?:ab)*c?)+d"):
        _text, p = _one(EMPLOYEE.replace(PATTERN, f"pattern = '{pattern}'"))
        assert "nested unbounded repetitions" in p.message, pattern
    for pattern in ("(?:[a-z]+\\.)+[a-z]+", "(?:\\w+\\s)*\\w+", "(a++)+", "(?:\\d{3}-)+\\d+"):
        parse_policy(policy_text(EMPLOYEE.replace(PATTERN, f"pattern = '{pattern}'")).encode())


def test_unknown_validator_lists_the_valid_names() -> None:
    text, p = _one(EMPLOYEE + AHV.replace('"stdnum:ch.ssn"', '"lunh"'))
    assert p.field == "redaction.recognizers.1.validator"
    assert p.line == line_of(text, 'validator = "lunh"')
    for name in ("'luhn'", "'iban'", "'phone'", "'email'", "stdnum:<module>"):
        assert name in p.message
    assert "did you mean 'luhn'" in p.message


def test_unknown_stdnum_module_suggests_one() -> None:
    _text, p = _one(AHV.replace('"stdnum:ch.ssn"', '"stdnum:ch.sssn"'))
    assert p.field == "redaction.recognizers.0.validator"
    assert "no python-stdnum module 'ch.sssn'" in p.message and "stdnum:ch.ssn" in p.message
    _text, p = _one(AHV.replace('"stdnum:ch.ssn"', '"stdnum:util"'))
    assert "has no is_valid" in p.message


def test_class_not_in_the_policys_classes() -> None:
    text, problems = _problems(RECOGNIZERS, classes=["email", "phone"])
    assert [p.field for p in problems] == [
        "redaction.recognizers.0.class",
        "redaction.recognizers.1.class",
    ]
    assert [p.line for p in problems] == [line_of(text, "class =", 0), line_of(text, "class =", 1)]
    assert "'national_id' is not in redaction.classes (email, phone)" in problems[0].message
    text, p = _one(EMPLOYEE.replace('class = "national_id"', 'class = "passport"'))
    assert p.field == "redaction.recognizers.0.class" and "national_id" in p.message


def test_duplicate_name_points_at_the_second() -> None:
    text, p = _one(EMPLOYEE + AHV.replace('"ch_ahv"', '"employee_number"'))
    assert p.field == "redaction.recognizers.1.name"
    assert p.line == line_of(text, 'name = "employee_number"', 1)
    assert "already the name of recognizer 1" in p.message


def test_bad_window_side_and_cue_settings() -> None:
    for window in (0, 201):
        text, p = _one(EMPLOYEE + f"cue_window = {window}\n")
        assert p.field == "redaction.recognizers.0.cue_window"
        assert p.line == line_of(text, "cue_window")
    _text, p = _one(EMPLOYEE.replace('"before"', '"front"'))
    assert p.field == "redaction.recognizers.0.cue_side" and "'either'" in p.message
    text, p = _one(EMPLOYEE + AHV + "cue_required = true\n")
    assert p.field == "redaction.recognizers.1.cue_required"
    assert p.line == line_of(text, "cue_required") and "needs cues" in p.message
    _text, p = _one(EMPLOYEE.replace('"staff number"', '"Employee"'))
    assert p.field == "redaction.recognizers.0.cues" and "listed twice" in p.message


def test_bad_name_regions_and_unknown_keys() -> None:
    _text, p = _one(EMPLOYEE.replace('"employee_number"', '"EmployeeNumber"'))
    assert p.field == "redaction.recognizers.0.name" and "snake_case" in p.message
    _text, p = _one(AHV + 'regions = ["CH"]\n')
    assert p.field == "redaction.recognizers.0.regions" and "phone" in p.message
    _text, p = _one(AHV.replace('"stdnum:ch.ssn"', '"phone"') + 'regions = ["UK", "CH"]\n')
    assert p.field == "redaction.recognizers.0.regions" and "UK" in p.message
    text, p = _one(EMPLOYEE + "window = 3\n")
    assert p.field == "redaction.recognizers.0.window" and p.line == line_of(text, "window")


def test_policy_validate_counts_and_rejects(tmp_path: Path) -> None:
    r = runner.invoke(app, ["policy", "validate", str(write_policy(tmp_path))])
    assert r.exit_code == 0 and "2 extra recognizers" in r.output
    bad = write_policy(tmp_path, EMPLOYEE.replace(PATTERN, "pattern = '[0-9'"), "bad.toml")
    r = runner.invoke(app, ["policy", "validate", str(bad)])
    assert r.exit_code == 2
    assert "bad.toml" in r.output and "redaction.recognizers.0.pattern" in r.output
    assert "position 0" in r.output


# -- policy show ------------------------------------------------------------------------------
def test_policy_show_lists_the_recognizers(tmp_path: Path) -> None:
    r = runner.invoke(app, ["policy", "show", str(write_policy(tmp_path))], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    out = r.output
    assert "Extra recognizers" in out
    for text in ("employee_number", "ch_ahv", r"\bEMP-\d{6}\b", "stdnum:ch.ssn",
                 "<NATIONAL_ID>", "employee, staff number", "required, before (30 chars)",
                 r"756[.\s]?\d{4}", "Swiss AHV/AVS number"):
        assert text in out, text
    r = runner.invoke(app, ["policy", "show", "linkedin-2025"], env={"COLUMNS": "200"})
    assert "Extra recognizers" not in r.output


# -- policy diff ------------------------------------------------------------------------------
def _diff(a_tables: str, b_tables: str) -> dict:
    a = parse_policy(policy_text(a_tables).encode())
    b = parse_policy(policy_text(b_tables).encode())
    return {c.subject: c for c in diff_policies(a, b)}


def test_diff_added_and_removed_recognizers() -> None:
    shipped = load_policy("linkedin-2025")
    custom = parse_policy(policy_text().encode())
    added = {c.subject: c for c in diff_policies(shipped, custom)}
    for name in ("employee_number", "ch_ahv"):
        c = added[f"redaction.recognizers.{name}"]
        assert c.before is None and c.widens is False  # more is redacted
    assert "stdnum:ch.ssn" in added["redaction.recognizers.ch_ahv"].after
    removed = {c.subject: c for c in diff_policies(custom, shipped)}
    assert removed["redaction.recognizers.employee_number"].widens is True
    assert "(absent)" in removed["redaction.recognizers.employee_number"].describe()
    assert diff_policies(custom, custom) == []


def test_diff_weakening_a_recognizer_widens() -> None:
    # a validator added: fewer matches are values
    c = _diff(EMPLOYEE, EMPLOYEE + 'validator = "luhn"\n')
    assert c["redaction.recognizers.employee_number.validator"].widens is True
    c = _diff(EMPLOYEE + 'validator = "luhn"\n', EMPLOYEE)
    assert c["redaction.recognizers.employee_number.validator"].widens is False
    # a cue requirement added
    c = _diff(AHV, AHV + 'cues = ["AHV"]\n')
    assert c["redaction.recognizers.ch_ahv.cue_required"].widens is True
    c = _diff(EMPLOYEE, EMPLOYEE + "cue_required = false\n")
    assert c["redaction.recognizers.employee_number.cue_required"].widens is False
    # fewer cue words, a narrower window or side
    c = _diff(EMPLOYEE, EMPLOYEE.replace(', "staff number"', ""))
    assert c["redaction.recognizers.employee_number.cues"].widens is True
    c = _diff(EMPLOYEE, EMPLOYEE.replace('"staff number"', '"staff number", "emp"'))
    assert c["redaction.recognizers.employee_number.cues"].widens is False
    c = _diff(EMPLOYEE, EMPLOYEE + "cue_window = 10\n")
    assert c["redaction.recognizers.employee_number.cue_window"].widens is True
    c = _diff(EMPLOYEE, EMPLOYEE.replace('"before"', '"either"'))
    assert c["redaction.recognizers.employee_number.cue_side"].widens is False
    c = _diff(EMPLOYEE, EMPLOYEE.replace('"before"', '"after"'))
    assert c["redaction.recognizers.employee_number.cue_side"].widens is True
    # a changed pattern may match less; a description changes nothing
    c = _diff(EMPLOYEE, EMPLOYEE.replace("{6}", "{7}"))
    assert c["redaction.recognizers.employee_number.pattern"].widens is True
    c = _diff(EMPLOYEE, EMPLOYEE.replace("Our staff", "The staff"))
    assert c["redaction.recognizers.employee_number.description"].widens is None
    # the order decides which of two overlapping recognizers wins
    c = _diff(EMPLOYEE + AHV, AHV + EMPLOYEE)
    assert c["redaction.recognizers order"].widens is None


def test_cli_diff_marks_a_removed_recognizer(tmp_path: Path) -> None:
    a = write_policy(tmp_path, RECOGNIZERS, "a.toml")
    b = write_policy(tmp_path, EMPLOYEE, "b.toml")
    r = runner.invoke(app, ["policy", "diff", str(a), str(b)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    line = next(x for x in r.output.splitlines() if "recognizers.ch_ahv" in x)
    assert "more data" in line
