"""`consentgate redact` (standard input or a Parquet column) and `consentgate redaction eval`
(recall, precision and neutral lines changed on a labelled JSONL file)."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from consentgate.cli.common import UsageError, clear_errors, console, err_console
from consentgate.policy import DEFAULT_POLICY, load_policy

app = typer.Typer(help="Measure redaction on labelled texts.", no_args_is_help=True)

PolicyOpt = Annotated[str, typer.Option(help="Policy name (e.g. linkedin-2025) or TOML file.")]
ClassesOpt = Annotated[
    str | None,
    typer.Option(help="Only these classes, comma-separated (default: the policy's)."),
]


def make_redactor(policy: str = DEFAULT_POLICY, classes: str | None = None) -> Any:
    """The policy's redactor; ``classes`` (a,b,c) narrows or replaces its classes."""
    from consentgate.redaction import CLASSES, Redactor

    red = Redactor.from_policy(load_policy(policy))
    if classes is None:
        return red
    chosen = [c.strip() for c in classes.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in CLASSES]
    if unknown or not chosen:
        raise UsageError(
            f"--classes: unknown class {', '.join(unknown) or '(none given)'} "
            f"(known: {', '.join(CLASSES)})")
    return Redactor(classes=chosen, recognizers=red.recognizers)


def _finding(f: Any, row: int | None = None) -> str:
    obj = {"cls": f.cls, "start": f.start, "end": f.end, "value": f.value}
    if row is not None:
        obj = {"row": row, **obj}
    return json.dumps(obj, ensure_ascii=False)


def _open_findings(target: str | None) -> IO[str] | None:
    if target is None:
        return None
    if target == "-":
        return sys.stdout
    path = Path(target)
    if path.is_dir():
        raise UsageError(f"--findings {target}: is a folder")
    return path.open("w", encoding="utf-8")


def _redact_text(red: Any, findings: str | None, as_json: bool) -> None:
    text = sys.stdin.read()
    found = red.find(text)
    redacted = red.redact(text)
    counts = Counter(f.cls for f in found)
    if as_json:
        print(json.dumps({"text": redacted, "counts": dict(counts),
                          "findings": [json.loads(_finding(f)) for f in found]},
                         ensure_ascii=False))
    elif findings != "-":
        sys.stdout.write(redacted)
        sys.stdout.flush()
    out = _open_findings(findings)
    if out is not None:
        for f in found:
            out.write(_finding(f) + "\n")
        if out is not sys.stdout:
            out.close()


def _text_column(path: Path, column: str) -> tuple[Any, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not path.is_file():
        raise UsageError(f"--parquet {path}: no such file")
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise UsageError(f"--parquet {path}: not a readable Parquet file ({exc})") from None
    if column not in table.column_names:
        raise UsageError(f"{path} has no column {column!r} "
                         f"(columns: {', '.join(table.column_names) or 'none'})")
    kind = table.schema.field(column).type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise UsageError(f"column {column!r} of {path} is {kind}, not text (string)")
    return table, table.column_names.index(column)


def _redact_parquet(red: Any, path: Path, column: str, out: Path | None,
                    findings: str | None, as_json: bool) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if out is None:
        raise UsageError("--parquet needs --out (the Parquet file to write)")
    if out.is_dir():
        raise UsageError(f"--out {out}: is a folder")
    table, index = _text_column(path, column)
    sink = _open_findings(findings)
    counts: Counter = Counter()
    chunks, row = [], 0
    try:
        for chunk in table.column(index).chunks:
            chunks.append(red.redact_batch(chunk, counts))
            if sink is not None:
                for i, found in enumerate(red.find_batch(chunk)):
                    for f in found:
                        sink.write(_finding(f, row + i) + "\n")
            row += len(chunk)
    finally:
        if sink is not None and sink is not sys.stdout:
            sink.close()
    column_type = table.schema.field(index).type
    redacted = pa.chunked_array(chunks, type=column_type)
    result = table.set_column(index, table.schema.field(index), redacted)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        pq.write_table(result, tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    summary = {"rows": table.num_rows, "column": column, "out": str(out),
               "counts": {c: counts.get(c, 0) for c in red.classes}}
    target = err_console if findings == "-" else console
    if as_json:
        print(json.dumps(summary), file=sys.stderr if findings == "-" else sys.stdout)
        return
    grid = Table(title=f"{table.num_rows} rows, column {escape(column)} → {escape(str(out))}")
    grid.add_column("class")
    grid.add_column("values redacted", justify="right")
    for cls in red.classes:
        grid.add_row(cls, str(counts.get(cls, 0)))
    target.print(grid)


def redact(
    policy: PolicyOpt = DEFAULT_POLICY,
    classes: ClassesOpt = None,
    findings: Annotated[
        str | None,
        typer.Option(help="Write the findings as JSON lines (cls, start, end, value; with "
                     "--parquet also row) to this file; '-': to standard output, instead "
                     "of the redacted text."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    parquet: Annotated[
        Path | None, typer.Option(help="Redact a column of this Parquet file, not stdin.")
    ] = None,
    column: Annotated[str, typer.Option(help="With --parquet: the text column.")] = "text",
    out: Annotated[
        Path | None, typer.Option(help="With --parquet: the Parquet file to write.")
    ] = None,
) -> None:
    """Replace personal data by placeholders (<EMAIL>, <PHONE>, ...): the text on standard
    input to standard output, or one column of a Parquet file to a new Parquet file."""
    with clear_errors():
        red = make_redactor(policy, classes)
        if parquet is None:
            if out is not None:
                raise UsageError("--out goes with --parquet (standard input goes to stdout)")
            if findings == "-" and as_json:
                raise UsageError("--json already prints the findings; leave out --findings -")
            _redact_text(red, findings, as_json)
        else:
            _redact_parquet(red, parquet, column, out, findings, as_json)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def render(ev: Any, title: str, show_misses: int = 0) -> None:
    """The evaluation as tables: per class, then per country (recall)."""
    table = Table(title=title)
    for name in ("class", "planted", "found", "recall", "redacted (any class)", "findings",
                 "precision"):
        table.add_column(name, justify="left" if name == "class" else "right")
    rows = [*ev.classes.items(), ("all", ev.total)]
    for cls, s in rows:
        table.add_row(cls, str(s.planted), str(s.found), _pct(s.recall),
                      _pct(s.redacted_rate), str(s.findings), _pct(s.precision))
    console.print(table)
    console.print(f"neutral lines changed: {ev.neutral_changed} of {ev.neutral} "
                  f"({_pct(ev.neutral_changed_rate)})", highlight=False)
    if ev.ignored:
        console.print(f"[dim]{ev.ignored} labels of classes this redactor does not look for "
                      "were ignored[/]")
    countries = {k: v for k, v in ev.groups.get("country", {}).items() if k}
    if countries:
        by = Table(title="Recall per country")
        by.add_column("country")
        classes = list(ev.classes)
        for cls in classes:
            by.add_column(cls, justify="right")
        for country, cells in sorted(countries.items()):
            by.add_row(escape(country), *[_pct(cells[c].recall) if c in cells else "–"
                                          for c in classes])
        console.print(by)
    for title_, items in (("misses", ev.misses), ("false positives", ev.false_positives)):
        if show_misses and items:
            console.rule(f"first {min(show_misses, len(items))} {title_}")
            for ex in items[:show_misses]:
                how = f" (found as {', '.join(ex.found_as)})" if ex.found_as else ""
                console.print(f"[bold]{escape(ex.label)}[/] {escape(repr(ex.value))}{escape(how)}"
                              f" [dim]{escape(ex.entry)}[/]: {escape(ex.text)}", highlight=False)


@app.command("eval")
def eval_cmd(
    labelled: Annotated[Path, typer.Argument(help="Labelled JSONL: text, spans, neutral.")],
    policy: PolicyOpt = DEFAULT_POLICY,
    classes: ClassesOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    show_misses: Annotated[
        int, typer.Option(help="Also print this many misses and false positives.")
    ] = 0,
) -> None:
    """Score the redactor on labelled texts: recall and precision per class, recall per
    country, neutral lines changed."""
    from consentgate.redaction.evaluate import LabelledError, evaluate, read_labelled

    with clear_errors():
        red = make_redactor(policy, classes)
        if not labelled.is_file():
            raise UsageError(f"{labelled}: no such file")
        try:
            entries = read_labelled(labelled)
        except LabelledError as exc:
            raise UsageError(f"{labelled}: {exc}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{labelled}: not UTF-8 text") from None
        ev = evaluate(entries, red, examples=max(show_misses, 0))
        if as_json:
            data = ev.to_dict()
            if show_misses:
                data["misses"] = [vars(m) | {"found_as": list(m.found_as)} for m in ev.misses]
                data["false_positives"] = [vars(m) | {"found_as": []} for m in ev.false_positives]
            print(json.dumps(data, ensure_ascii=False))
        else:
            render(ev, f"Redaction on {labelled.name} ({len(entries)} entries)", show_misses)
