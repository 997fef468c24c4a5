"""The first hour of a new user: every command of the README's tour answers bad input with
one `error:` line and exit code 2 (never a traceback), read-only commands create nothing,
and what is printed is what is true (no value swallowed by the terminal formatter)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consentgate.cli import app
from consentgate.ledger import init_ledger
from consentgate.policy.loader import resolve
from tests.conftest import tiny_tables, write_source

runner = CliRunner()
SHIPPED = resolve("linkedin-2025").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("CONSENTGATE_PSEUDONYM_KEY", "7e" * 32)


@pytest.fixture
def src(tmp_path: Path) -> Path:
    return write_source(tmp_path / "src", tiny_tables())


def _bad_ledgers(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "zero.db").write_bytes(b"")
    (tmp_path / "noise.db").write_bytes(os.urandom(4096))
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (a)")
    return {
        "missing": f"sqlite:///{tmp_path / 'missing.db'}",
        "zero-byte": f"sqlite:///{tmp_path / 'zero.db'}",
        "random bytes": f"sqlite:///{tmp_path / 'noise.db'}",
        "not a ledger": f"sqlite:///{other}",
        "mysql": "mysql://user:secret@localhost/ledger",
        "unreachable postgres": "postgresql://nobody@127.0.0.1:1/none",
    }


def _assert_clean_error(result, *also: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "error:" in result.output
    for text in also:
        assert text in result.output, (text, result.output)


def test_build_and_verify_on_bad_consent_ledgers(src: Path, tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    r = runner.invoke(app, ["build", "--source", str(src), "--as-of", "2026-01-15",
                            "--out", str(snap), "-q"])
    assert r.exit_code == 0, r.output
    before = sorted(p.name for p in tmp_path.iterdir())
    for case, url in _bad_ledgers(tmp_path).items():
        before = sorted(p.name for p in tmp_path.iterdir())
        r = runner.invoke(app, ["build", "--source", str(src), "--as-of", "2026-01-15",
                                "--out", str(tmp_path / "new"), "--consent", url])
        _assert_clean_error(r)
        assert "secret" not in r.output, case  # no password in messages
        r = runner.invoke(app, ["verify", str(snap), "--source", str(src), "--consent", url])
        _assert_clean_error(r)
        # nothing created: no snapshot, no database file
        assert sorted(p.name for p in tmp_path.iterdir()) == before, case
    assert not (tmp_path / "missing.db").exists()
    assert (tmp_path / "zero.db").stat().st_size == 0


def test_read_only_ledger_commands_create_nothing(tmp_path: Path) -> None:
    db = tmp_path / "nope.db"
    for args in (["ledger", "verify", "--db", str(db)],
                 ["ledger", "show", "--db", str(db), "--member", "m1"],
                 ["ledger", "export", "--db", str(db), "--as-of", "2026-01-01",
                  "--out", str(tmp_path / "x.parquet")]):
        r = runner.invoke(app, args)
        _assert_clean_error(r, "no ledger at")
    assert list(tmp_path.iterdir()) == []


def test_ledger_verify_on_a_dropped_table_is_an_error_not_tampering(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    init_ledger(str(db))
    with sqlite3.connect(db) as con:
        con.execute("DROP TRIGGER IF EXISTS ledger_events_no_delete")
        con.execute("DROP TABLE ledger_events")
    r = runner.invoke(app, ["ledger", "verify", "--db", str(db)])
    _assert_clean_error(r, "ledger_events", "missing")


def test_ledger_show_warns_about_an_unknown_member(tmp_path: Path, src: Path) -> None:
    db = tmp_path / "ledger.db"
    init_ledger(str(db))
    r = runner.invoke(app, ["ledger", "show", "--db", str(db), "--member", "who"])
    assert r.exit_code == 1 and "warning:" in r.output and "check the member id" in r.output
    r = runner.invoke(app, ["ledger", "show", "--db", str(db), "--member", "who",
                            "--source", str(src)])
    assert r.exit_code == 1 and "no member 'who'" in r.output
    # a real member without events: the region's default, exit 0
    r = runner.invoke(app, ["ledger", "show", "--db", str(db), "--member", "fr_adult",
                            "--source", str(src)])
    assert r.exit_code == 0 and "on (default)" in r.output


def test_erasure_is_recorded_with_a_receipt(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    init_ledger(str(db))
    r = runner.invoke(app, ["ledger", "erase", "--db", str(db), "--member", "fr_adult"])
    assert r.exit_code == 0, r.output
    receipt_id = r.output.strip().splitlines()[-1]
    from consentgate.ledger import Ledger
    from consentgate.ledger.receipts import receipt_27560
    from consentgate.policy import load_policy

    with Ledger(str(db), read_only=True) as ledger:
        event = ledger.find(receipt_id)
    assert event.setting == "erasure" and event.value is True
    receipt = receipt_27560(event, load_policy())
    assert receipt["event"][0]["event_type"] == "erasure_request"
    assert receipt["event"][0]["validity_duration"] == "permanent"
    r = runner.invoke(app, ["ledger", "show", "--db", str(db), "--member", "fr_adult"])
    assert r.exit_code == 0 and "erasure requested" in r.output
    r = runner.invoke(app, ["ledger", "verify", "--db", str(db)])
    assert r.exit_code == 0


def test_serve_with_a_missing_source_creates_no_ledger(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    r = runner.invoke(app, ["serve", "--db", str(db), "--source", str(tmp_path / "missing"),
                            "--demo"])
    assert r.exit_code == 2 and "no such source" in r.output
    assert not db.exists()


def test_serve_without_the_service_extra_says_which_extra(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['fastapi'] = None; sys.modules['uvicorn'] = None\n"
        "from consentgate.cli import main; sys.argv = ['consentgate', 'serve', '--db', "
        f"{str(tmp_path / 'l.db')!r}, '--demo']; main()"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2, p.stderr
    assert "pip install 'consentgate[service]'" in p.stderr
    assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "l.db").exists()


def test_a_postgresql_url_without_the_driver_says_which_extra() -> None:
    for args in (["registry", "show", "--registry"], ["ledger", "verify", "--db"],
                 ["usage", "--member", "m1", "--registry"]):
        code = (
            "import sys; sys.modules['psycopg'] = None\n"
            "from consentgate.cli import main; sys.argv = ['consentgate', "
            f"*{args!r}, 'postgresql://nobody@127.0.0.1:1/x']; main()"
        )
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           timeout=60)
        assert p.returncode == 2, (args, p.stderr)
        assert "pip install 'consentgate[postgres]'" in p.stderr, p.stderr
        assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1


def test_unknown_policy_name_lists_the_shipped_ones(src: Path, tmp_path: Path) -> None:
    for args in (["policy", "show", "linkdin-2025"],
                 ["build", "--source", str(src), "--as-of", "2026-01-15", "--out",
                  str(tmp_path / "s"), "--policy", "linkdin-2025"]):
        r = runner.invoke(app, args)
        _assert_clean_error(r, "no policy named 'linkdin-2025'", "linkedin-2025")
        assert "invalid policy" not in r.output


def test_policy_diff_marks_every_widening_change(tmp_path: Path) -> None:
    from consentgate.policy import load_policy, parse_policy
    from consentgate.policy.diff import diff_policies

    base = load_policy("linkedin-2025")
    # Switzerland out of its region: it falls into the rest of the world, which started
    # in 2024, a year before
    moved = SHIPPED.replace('countries = ["CH"]\n', 'countries = ["LI"]\n', 1)
    assert moved != SHIPPED
    moved = moved.replace('"IS", "LI", "NO"', '"IS", "NO"')
    changes = {c.subject: c for c in diff_policies(base, parse_policy(moved.encode()))}
    ch = next(c for s, c in changes.items() if s.startswith("countries") and "CH" in s)
    assert ch.widens is True and "rest_of_world" in ch.after
    # another setting key: every recorded opt-out is ignored
    key = SHIPPED.replace('key = "data_for_genai_improvement"', 'key = "ai_training"')
    changes = {c.subject: c for c in diff_policies(base, parse_policy(key.encode()))}
    assert changes["setting.key"].widens is True
    # a look-back removed lets older records through; one added holds them back
    with_lookback = SHIPPED.replace("[lookback]\n", "[lookback]\nmax_age_days = 365\n")
    assert with_lookback != SHIPPED
    lb = parse_policy(with_lookback.encode())
    assert {c.subject: c.widens for c in diff_policies(lb, base)}["lookback.max_age_days"]
    assert {c.subject: c.widens for c in diff_policies(base, lb)}["lookback.max_age_days"] is False


def test_policy_diff_prints_bracketed_values_literally(tmp_path: Path) -> None:
    derived = SHIPPED.replace(
        '[kinds.search_query]\ncategory = "user.behavior.search_history"\nused = false\n',
        '[kinds.search_query]\ncategory = "user.behavior.search_history"\nused = true\n'
        'visibility = ["public"]\n',
    )
    derived = derived.replace('note = "Unsure in the sources (non-GenAI search history); left '
                              'out. A derived policy may switch it on."', 'note = "on"')
    f = tmp_path / "d.toml"
    f.write_text(derived, encoding="utf-8")
    r = runner.invoke(app, ["policy", "diff", "linkedin-2025", str(f)])
    assert r.exit_code == 0, r.output
    # the formatter used to swallow "[public]" as a style tag, leaving "[] ->"
    assert "[] -> [public]" in r.output


def test_error_messages_keep_bracketed_text(tmp_path: Path) -> None:
    code = ("from consentgate.cli.common import fail; "
            "fail(\"the Spark engine needs the 'spark' extra: pip install 'consentgate[spark]'\")")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "pip install 'consentgate[spark]'" in p.stderr


def test_on_off_words_not_python_booleans(src: Path) -> None:
    r = runner.invoke(app, ["policy", "show"])
    assert r.exit_code == 0
    assert "on by default" in r.output and "True" not in r.output and "False" not in r.output
    r = runner.invoke(app, ["explain", "--source", str(src), "--member", "fr_optout",
                            "--as-of", "2026-01-15"])
    assert r.exit_code == 0
    assert "True" not in r.output and "False" not in r.output and "None" not in r.output
    assert " off " in r.output  # the history's value column and the setting at T


def test_explain_json_holds_what_the_text_shows(src: Path) -> None:
    r = runner.invoke(app, ["explain", "--source", str(src), "--member", "fr_optout",
                            "--as-of", "2026-01-15", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["member"]["country"] == "FR" and data["member"]["birth_date"] == "1979-01-09"
    assert data["member"]["joined_at"].startswith("2011-01-01")
    assert data["setting_word"] == "off"
    assert data["preference_history"] == [{
        "effective_at": "2025-10-01T00:00:00+00:00", "setting": "data_for_genai_improvement",
        "value": False, "source": "web", "counts_at_as_of": True}]


def test_eighty_columns_wrap_and_never_cut(src: Path, tmp_path: Path) -> None:
    env = dict(os.environ, COLUMNS="80", TERM="dumb")
    out = tmp_path / "snap"
    p = subprocess.run([sys.executable, "-m", "consentgate.cli", "build", "--source", str(src),
                        "--as-of", "2026-01-15", "--out", str(out)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    snap_id = json.loads((out / "manifest.json").read_text())["snapshot_id"]
    assert snap_id in p.stdout and "…" not in p.stdout
    p = subprocess.run([sys.executable, "-m", "consentgate.cli", "policy", "show"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0 and "…" not in p.stdout
    # every line fits, but the one with the sha256 and the file path (kept whole to copy)
    assert max(len(line) for line in p.stdout.splitlines() if "sha256:" not in line) <= 80
    # the 30 EU/EEA country codes are folded over lines, not cut: the last one is there
    assert "SE" in p.stdout and "every other ISO country" in p.stdout
