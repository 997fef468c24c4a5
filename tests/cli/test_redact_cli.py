"""`consentgate redact` (standard input, a Parquet column, findings) and `consentgate
redaction eval`: real files, a real process for stdin; bad input is one `error:` line, exit
code 2 and no output file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from consentgate.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
EMAIL = "jo.smith@example.com"
TEXT = f"Write to {EMAIL} about the offer.\n"


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "consentgate.cli", *args], input=stdin,
                          capture_output=True, text=True, env=env, check=False)


def test_stdin_to_stdout_in_a_real_process(tmp_path: Path) -> None:
    found = tmp_path / "findings.jsonl"
    proc = _cli("redact", "--findings", str(found), stdin=TEXT)
    assert proc.returncode == 0, proc.stderr
    assert "<EMAIL>" in proc.stdout and EMAIL not in proc.stdout
    assert proc.stdout.endswith("about the offer.\n")
    rows = [json.loads(line) for line in found.read_text().splitlines()]
    email = [r for r in rows if r["cls"] == "email"]
    assert email == [{"cls": "email", "start": 9, "end": 9 + len(EMAIL), "value": EMAIL}]


def test_findings_to_stdout_and_json() -> None:
    res = runner.invoke(app, ["redact", "--findings", "-", "--classes", "email"], input=TEXT)
    assert res.exit_code == 0
    assert [json.loads(x)["value"] for x in res.stdout.splitlines()] == [EMAIL]
    res = runner.invoke(app, ["redact", "--json", "--classes", "email"], input=TEXT)
    assert res.exit_code == 0
    out = json.loads(res.stdout)
    assert out["text"] == "Write to <EMAIL> about the offer.\n"
    assert out["counts"] == {"email": 1}
    assert out["findings"][0]["value"] == EMAIL


def _table(path: Path) -> None:
    pq.write_table(pa.table({
        "id": pa.array([1, 2, 3], type=pa.int64()),
        "text": pa.array([TEXT, None, "nothing to see"], type=pa.large_string()),
    }), path)


def test_parquet_column_redacted(tmp_path: Path) -> None:
    src, out, found = tmp_path / "in.parquet", tmp_path / "out.parquet", tmp_path / "f.jsonl"
    _table(src)
    res = runner.invoke(app, ["redact", "--parquet", str(src), "--out", str(out),
                              "--findings", str(found), "--classes", "email,phone"])
    assert res.exit_code == 0, res.output
    assert "email" in res.stdout and "3 rows" in res.stdout
    table = pq.read_table(out)
    assert table.schema == pq.read_table(src).schema
    assert table.column("id").to_pylist() == [1, 2, 3]
    texts = table.column("text").to_pylist()
    assert texts[0] == "Write to <EMAIL> about the offer.\n"
    assert texts[1] is None and texts[2] == "nothing to see"
    rows = [json.loads(x) for x in found.read_text().splitlines()]
    assert {(r["row"], r["cls"], r["value"]) for r in rows} == {(0, "email", EMAIL)}
    res = runner.invoke(app, ["redact", "--parquet", str(src), "--out", str(out), "--json",
                              "--classes", "email"])
    assert json.loads(res.stdout)["counts"] == {"email": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--parquet", "{d}/missing.parquet", "--out", "{d}/out.parquet"], "no such file"),
        (["--parquet", "{d}/in.parquet", "--out", "{d}/out.parquet", "--column", "body"],
         "has no column 'body'"),
        (["--parquet", "{d}/in.parquet", "--out", "{d}/out.parquet", "--column", "id"],
         "is int64, not text"),
        (["--parquet", "{d}/in.parquet", "--out", "{d}/out.parquet", "--classes", "email,name"],
         "unknown class name"),
        (["--parquet", "{d}/noise.parquet", "--out", "{d}/out.parquet"], "not a readable Parquet"),
        (["--parquet", "{d}/in.parquet"], "--parquet needs --out"),
        (["--out", "{d}/out.parquet"], "--out goes with --parquet"),
        (["--policy", "no-such-policy", "--parquet", "{d}/in.parquet", "--out", "{d}/out.parquet"],
         "no-such-policy"),
    ],
)
def test_bad_input_exits_2_without_output(tmp_path: Path, args: list[str], message: str) -> None:
    _table(tmp_path / "in.parquet")
    (tmp_path / "noise.parquet").write_bytes(b"not parquet at all" * 10)
    res = runner.invoke(app, ["redact", *[a.format(d=tmp_path) for a in args]], input="x")
    assert res.exit_code == 2
    assert res.stderr.startswith("error:") and len(res.stderr.strip().splitlines()) == 1
    assert message in res.stderr
    assert not (tmp_path / "out.parquet").exists()
    assert not list(tmp_path.glob(".out.parquet.tmp-*"))


def test_redaction_eval(tmp_path: Path) -> None:
    path = tmp_path / "labelled.jsonl"
    rows = [
        {"id": "a", "country": "GB", "text": TEXT,
         "spans": [{"start": 9, "end": 9 + len(EMAIL), "label": "email"}]},
        {"id": "n", "text": "Version 2.4.1 was released in 2023.", "neutral": True},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    res = runner.invoke(app, ["redaction", "eval", str(path)])
    assert res.exit_code == 0, res.output
    assert "email" in res.stdout and "neutral lines changed" in res.stdout
    assert "GB" in res.stdout
    res = runner.invoke(app, ["redaction", "eval", str(path), "--json", "--show-misses", "5"])
    data = json.loads(res.stdout)
    assert data["classes"]["email"]["planted"] == 1 and data["neutral"] == 1
    assert isinstance(data["misses"], list)


def test_redaction_eval_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok"}\n{"text": "ab", "spans": [{"start": 0, "end": 5, '
                    '"label": "phone"}]}\n', encoding="utf-8")
    res = runner.invoke(app, ["redaction", "eval", str(path)])
    assert res.exit_code == 2 and "line 2" in res.stderr and res.stderr.startswith("error:")
    res = runner.invoke(app, ["redaction", "eval", str(tmp_path / "none.jsonl")])
    assert res.exit_code == 2 and "no such file" in res.stderr
