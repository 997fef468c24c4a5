"""`consentgate registry …`, `consentgate runs …` and `consentgate usage`, through the real
command line: output that wraps instead of truncating, values printed literally, one JSON
object, and one clear error line (exit 2, no traceback) for every bad registry."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consentgate.cli import app
from consentgate.registry import Registry
from tests.registry.conftest import Built, cli, copy_snapshot

runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})


def ok(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_commands_work_together(registry_url: str, snaps: tuple[Path, Path], built: Built) -> None:
    s1, s2 = snaps
    assert "registry ready" in ok("registry", "init", "--registry", registry_url)
    assert "registry ready" in ok("registry", "init", "--registry", registry_url)  # idempotent
    out = ok("registry", "register", "--registry", registry_url, str(s1))
    assert built.s1_id in out
    # runs start registers an unregistered folder, and prints the run id last
    out = ok("runs", "start", "--registry", registry_url, "--snapshot", built.s1_id,
             "--snapshot", str(s2), "--model", "assistant", "--model-version", "7",
             "--param", "lr=0.001")
    run_id = out.strip().splitlines()[-1]
    assert run_id.startswith("run-") and len(run_id) == 36
    other = ok("runs", "start", "--registry", registry_url, "--snapshot", built.s2_id,
               "--model", "other").strip().splitlines()[-1]
    assert "finished" in ok("runs", "finish", "--registry", registry_url, run_id)
    assert "failed" in ok("runs", "finish", "--registry", registry_url, other, "--failed")
    result = invoke("runs", "finish", "--registry", registry_url, run_id)
    assert result.exit_code == 2 and "already finished" in result.stderr

    listed = json.loads(ok("runs", "list", "--registry", registry_url, "--json"))
    assert [(r["run_id"], r["state"]) for r in listed["runs"]] == [
        (run_id, "finished"), (other, "failed")
    ]
    assert listed["runs"][0]["snapshots"] == [built.s1_id, built.s2_id]
    assert listed["runs"][0]["params"] == {"lr": "0.001"}
    only_s1 = json.loads(ok("runs", "list", "--registry", registry_url, "--snapshot",
                            built.s1_id, "--json"))
    assert [r["run_id"] for r in only_s1["runs"]] == [run_id]

    shown = json.loads(ok("registry", "show", "--registry", registry_url, "--json"))
    assert set(shown) >= {"snapshots", "runs", "models"}
    assert [s["snapshot_id"] for s in shown["snapshots"]] == [built.s1_id, built.s2_id]
    assert {(m["name"], m["version"], m["state"]) for m in shown["models"]} == {
        ("assistant", "7", "trained"), ("other", None, "failed")
    }

    # usage --json: exactly the snapshots holding the member, exactly the runs using them
    data = json.loads(ok("usage", "--registry", registry_url, "--member", built.opted,
                         "--consent", str(built.consent), "--json"))
    assert [s["snapshot_id"] for s in data["snapshots"]] == [built.s1_id]
    assert data["snapshots"][0]["records"] > 0
    assert [(r["run_id"], r["model"]) for r in data["runs"]] == [(run_id, "assistant")]
    assert data["first_snapshot_after_opt_out"]["snapshot_id"] == built.s2_id
    assert data["first_snapshot_after_opt_out"]["holds_member"] is False
    nobody = json.loads(ok("usage", "--registry", registry_url, "--member", "m-none", "--json"))
    assert nobody["snapshots"] == [] and nobody["runs"] == []

    text = ok("usage", "--registry", registry_url, "--member", built.opted, "--consent",
              str(built.consent))
    assert "of your records are in 1 of the 2 training snapshot(s)" in text
    assert "You turned the setting off on 2026-02-01" in text
    assert "does not hold your records" in text
    text = ok("usage", "--registry", registry_url, "--member", "m-none")
    assert "None of your records" in text


def _first_column(output: str, header: str) -> str:
    """The text of a table's first column, rows folded over several lines joined up."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if header in line)
    cells = []
    for line in lines[start + 2 :]:
        if not line.startswith("│"):
            if line.startswith("└"):
                break
            continue
        cells.append(line.split("│")[1].strip())
    return "".join(cells)


def test_registry_show_fits_80_columns_and_prints_values_literally(
    tmp_path: Path, built: Built
) -> None:
    """At 80 columns a table would fold every id and path: each item is a short paragraph
    instead, wrapped between words; values print as they are (no markup); a terminal wide
    enough gets the tables."""
    url = str(tmp_path / "registry.db")
    s1 = copy_snapshot(built.s1, tmp_path / "folder [public] with a long name", index=True)
    run_id = ok("runs", "start", "--registry", url, "--snapshot", str(s1), "--model",
                "consentgate[spark]", "--model-version", "[bold]v1[/bold]").split()[-1]
    out = ok("registry", "show", "--registry", url)
    lines = out.splitlines()
    assert all(len(line) <= 80 and line == line.rstrip() for line in lines), out
    assert "…" not in out and "┏" not in out
    assert f"  • {built.s1_id}" in lines  # ids are never folded
    flat = " ".join(out.split())
    assert f"{run_id}: consentgate[spark] [bold]v1[/bold], running" in " ".join(
        line.strip() for line in lines)
    assert "consentgate[spark] [bold]v1[/bold]: training" in flat
    assert "folder[public]withalongname" in "".join(out.split())
    assert "policy linkedin-2025" in flat and "published" in flat

    wide = runner.invoke(app, ["registry", "show", "--registry", url],
                         env={"COLUMNS": "300", "NO_COLOR": "1"})
    assert wide.exit_code == 0 and "┏" in wide.stdout
    assert _first_column(wide.stdout, "snapshot") == built.s1_id
    assert "consentgate[spark]" in wide.stdout and "[bold]v1[/bold]" in wide.stdout

    text = ok("usage", "--registry", url, "--member", built.opted)
    assert "model consentgate[spark] [bold]v1[/bold]" in " ".join(text.split())
    assert all(len(line) <= 80 for line in text.splitlines())


READ_COMMANDS = [
    ("registry", "show"),
    ("runs", "list"),
    ("usage", "--member", "m1"),
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c))
def test_read_only_commands_create_nothing(tmp_path: Path, command: tuple[str, ...]) -> None:
    missing = tmp_path / "missing.db"
    result = invoke(*command, "--registry", str(missing))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no registry at")
    assert "consentgate registry init" in result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
    result = invoke(*command, "--registry", f"sqlite:///{missing}")
    assert result.exit_code == 2 and list(tmp_path.iterdir()) == []


def _bad_registries(tmp_path: Path) -> dict[str, str]:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    noise = tmp_path / "noise.db"
    noise.write_bytes(os.urandom(4096))
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE things (x)")
    folder = tmp_path / "folder.db"
    folder.mkdir()
    return {
        "mysql": "mysql://user:secret@localhost/db",
        "postgres-unreachable": "postgresql://nobody:secret@127.0.0.1:1/none",
        "empty-file": str(empty),
        "random-bytes": str(noise),
        "folder": str(folder),
        "no-such-folder": str(tmp_path / "no" / "such" / "registry.db"),
        "memory": "sqlite://",
        "not-a-url": "://nothing",
        "http": "http://example.org/registry",
        "bad-port": "postgresql://u:secret@host:notaport/db",
        "other-sqlite": str(other),
    }


# what the error says, for commands that read and for commands that write
EXPECTED = {
    "mysql": ("unsupported database 'mysql'", "unsupported database 'mysql'"),
    "postgres-unreachable": ("cannot open the registry at", "cannot open the registry at"),
    "empty-file": ("empty file (0 bytes)", "empty file (0 bytes)"),
    "random-bytes": ("not a SQLite database", "not a SQLite database"),
    "folder": ("is a folder", "is a folder"),
    "no-such-folder": ("no registry at", "no such folder"),
    "memory": ("needs a SQLite file path", "needs a SQLite file path"),
    "not-a-url": ("not a database URL", "not a database URL"),
    "http": ("unsupported database 'http'", "unsupported database 'http'"),
    "bad-port": ("not a database URL", "not a database URL"),
    # a SQLite database of something else: readers say it is no registry; writers add the
    # registry's tables beside the others (as beside the ledger's), tested further down
    "other-sqlite": ("no registry at", None),
}


@pytest.mark.parametrize("case", list(EXPECTED))
@pytest.mark.parametrize(
    "command",
    [("registry", "show"), ("usage", "--member", "m1"), ("runs", "list"),
     ("registry", "init"), ("runs", "start", "--snapshot", "snap-x", "--model", "m")],
    ids=["show", "usage", "runs-list", "init", "runs-start"],
)
def test_every_bad_registry_is_one_clear_error(
    tmp_path: Path, case: str, command: tuple[str, ...]
) -> None:
    writes = command[1] in ("init", "start")
    expected = EXPECTED[case][1 if writes else 0]
    if expected is None:
        return
    url = _bad_registries(tmp_path)[case]
    before = sorted(tmp_path.rglob("*"))
    result = invoke(*command, "--registry", url)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.output
    assert "secret" not in result.output
    assert sorted(tmp_path.rglob("*")) == before  # nothing created


def test_writing_beside_another_application_s_tables(tmp_path: Path, built: Built) -> None:
    url = _bad_registries(tmp_path)["other-sqlite"]
    ok("registry", "init", "--registry", url)
    ok("registry", "register", "--registry", url, str(built.s1))
    with sqlite3.connect(url) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "things" in tables and "registry_snapshots" in tables


def test_writing_commands_create_and_migrate_on_first_use(tmp_path: Path, built: Built) -> None:
    url = str(tmp_path / "new.db")
    out = ok("runs", "start", "--registry", url, "--snapshot", str(built.s1), "--model", "m")
    with Registry.open_existing(url) as registry:
        assert [r.run_id for r in registry.runs()] == [out.strip().splitlines()[-1]]


def test_user_errors_of_the_run_commands(tmp_path: Path, built: Built) -> None:
    url = str(tmp_path / "registry.db")
    ok("registry", "register", "--registry", url, str(built.s1))
    ok("registry", "set-state", "--registry", url, built.s1_id, "deleted")
    result = invoke("runs", "start", "--registry", url, "--snapshot", built.s1_id, "--model", "m")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: snapshot {built.s1_id} is deleted")
    result = invoke("runs", "finish", "--registry", url, "run-nope")
    assert result.exit_code == 2 and "no run 'run-nope'" in result.stderr
    result = invoke("runs", "start", "--registry", url, "--snapshot", "snap-nope", "--model", "m")
    assert result.exit_code == 2 and "no snapshot 'snap-nope'" in result.stderr
    result = invoke("registry", "set-state", "--registry", url, built.s1_id, "published")
    assert result.exit_code == 2 and "cannot go back" in result.stderr
    result = invoke("runs", "start", "--registry", url, "--snapshot", built.s1_id,
                    "--model", "m", "--param", "novalue")
    assert result.exit_code == 2 and "KEY=VALUE" in result.stderr


def test_a_real_process_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    done = cli("registry", "show", "--registry", "mysql://u:secret@h/db")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: unsupported database 'mysql' in mysql://u:***@h/db: use a SQLite file or a "
        "postgresql:// URL"
    ]
    missing = tmp_path / "r.db"
    done = cli("usage", "--registry", str(missing), "--member", "m1", "--json")
    assert done.returncode == 2 and done.stdout == "" and not missing.exists()
    assert "Traceback" not in done.stderr


def test_usage_exits_1_and_says_so_when_a_snapshot_cannot_be_searched(
    tmp_path: Path, snaps: tuple[Path, Path], built: Built
) -> None:
    s1, s2 = snaps
    url = str(tmp_path / "registry.db")
    ok("registry", "register", "--registry", url, str(s1), str(s2))
    nobody = invoke("usage", "--registry", url, "--member", "m-none")
    assert nobody.exit_code == 0
    assert "so no training run used your data" in " ".join(nobody.stdout.split())
    shutil.rmtree(s2)
    text = invoke("usage", "--registry", url, "--member", built.opted, "--consent",
                  str(built.consent))
    assert text.exit_code == 1, text.output
    flat = " ".join(text.stdout.split())
    assert f"The first snapshot built after that, {built.s2_id}" in flat
    assert "could not be searched" in flat
    nobody = invoke("usage", "--registry", url, "--member", "m-none")
    assert nobody.exit_code == 1
    flat = " ".join(nobody.stdout.split())
    assert "so no training run used your data" not in flat
    assert "1 could not be searched: this answer is incomplete" in flat
    data = invoke("usage", "--registry", url, "--member", "m-none", "--json")
    assert data.exit_code == 1 and json.loads(data.stdout)["complete"] is False


def test_runs_start_refuses_a_superseded_snapshot_unless_asked(
    tmp_path: Path, snaps: tuple[Path, Path], built: Built
) -> None:
    s1, s2 = snaps
    url = str(tmp_path / "registry.db")
    ok("registry", "register", "--registry", url, str(s1), str(s2))
    ok("registry", "set-state", "--registry", url, built.s1_id, "superseded")
    refused = invoke("runs", "start", "--registry", url, "--snapshot", built.s1_id,
                     "--model", "m")
    assert refused.exit_code == 2 and "--allow-superseded" in refused.stderr
    assert json.loads(ok("runs", "list", "--registry", url, "--json"))["runs"] == []
    allowed = invoke("runs", "start", "--registry", url, "--snapshot", built.s1_id,
                     "--model", "m", "--allow-superseded")
    assert allowed.exit_code == 0, allowed.output
    assert "holds records that its members withdrew" in " ".join(allowed.stderr.split())
    assert allowed.stdout.strip().splitlines()[-1].startswith("run-")
