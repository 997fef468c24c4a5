"""`consentgate registry …`, `consentgate runs …` and `consentgate usage`: the registry of
snapshots, training runs and models, and the member's answer to "was my data used?".

Only typer and Rich are imported up front; the registry (SQLAlchemy, Alembic, pyarrow) is
loaded when a command runs. User errors are one line ``error: …`` on stderr and exit code 2.
Every value printed through Rich is escaped, and tables fold long values rather than cut
them.
"""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from consentgate.cli.common import clear_errors, fail

if TYPE_CHECKING:
    import datetime as dt

    from consentgate.registry.store import ModelEntry, RunEntry, SnapshotEntry
    from consentgate.registry.usage import MemberUsage

registry_app = typer.Typer(
    help="The registry of snapshots, training runs and models.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
runs_app = typer.Typer(
    help="Training runs: which model was trained on which snapshots.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

RegistryOption = Annotated[
    str,
    typer.Option(
        "--registry",
        envvar="CONSENTGATE_REGISTRY",
        help="SQLite file path, or a URL (sqlite:///…, postgresql://…). "
        "May be the consent ledger's database.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def _out() -> Console:
    return Console(highlight=False)


def _err() -> Console:
    return Console(stderr=True, highlight=False)


def _t(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    return value.strftime("%Y-%m-%d %H:%M:%S UTC")


def _e(value: object) -> str:
    return escape("—" if value is None else str(value))


def _table(title: str, *columns: str) -> Table:
    table = Table(title=escape(title), title_justify="left", show_lines=False)
    for name in columns:
        table.add_column(escape(name), overflow="fold")
    return table


def _print_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, indent=2, ensure_ascii=False))


# -- registry ---------------------------------------------------------------------------------
@registry_app.command("init")
def init(registry: RegistryOption) -> None:
    """Create the registry (or upgrade it to this version's schema). Safe to run twice;
    shares a database with the consent ledger."""
    with clear_errors():
        from consentgate.registry import Registry

        with Registry(registry) as opened:
            typer.echo(f"registry ready: {opened.shown}")


@registry_app.command("register")
def register(
    registry: RegistryOption,
    folders: Annotated[list[str], typer.Argument(help="Snapshot folders (with manifest.json).")],
) -> None:
    """Register published snapshots (idempotent: a folder registered again changes nothing)."""
    with clear_errors():
        from pathlib import Path

        from consentgate.registry import Registry

        out = _out()
        with Registry(registry) as opened:
            for folder in folders:
                entry = opened.register_snapshot(Path(folder))
                out.print(
                    f"registered {_e(entry.snapshot_id)} (as of {_e(_t(entry.as_of))}, "
                    f"{entry.records_used:,} records, {_e(entry.state)})"
                )


@registry_app.command("set-state")
def set_state(
    registry: RegistryOption,
    snapshot_id: Annotated[str, typer.Argument(help="The snapshot id.")],
    state: Annotated[
        str, typer.Argument(help="superseded, data_deleted or deleted (states only move forward).")
    ],
    superseded_by: Annotated[
        str | None, typer.Option("--superseded-by", help="The snapshot that replaces it.")
    ] = None,
) -> None:
    """Record that a snapshot was superseded, or that its data (or all of it) was deleted."""
    with clear_errors():
        from consentgate.registry import Registry

        with Registry(registry) as opened:
            entry = opened.set_state(snapshot_id, state, superseded_by=superseded_by)
        _out().print(f"{_e(entry.snapshot_id)}: {_e(entry.state)}")


@registry_app.command("show")
def show(registry: RegistryOption, as_json: JsonOption = False) -> None:
    """The registered snapshots, training runs and models."""
    with clear_errors():
        from consentgate.registry import Registry

        with Registry.open_existing(registry) as opened:
            snapshots = opened.snapshots()
            runs = opened.runs()
            models = opened.models()
            shown = opened.shown
        if as_json:
            _print_json(
                {
                    "registry": shown,
                    "snapshots": [s.to_json() for s in snapshots],
                    "runs": [r.to_json() for r in runs],
                    "models": [m.to_json() for m in models],
                }
            )
            return
        out = _out()
        _wrapped(out, f"registry {shown}")
        _snapshots_table(out, snapshots)
        _runs_table(out, runs)
        _models_table(out, models)


def _fits(out: Console, table: Table) -> bool:
    """Whether the table fits the terminal without folding a value; when it does not (ids,
    instants and paths need about 200 columns), one short paragraph per item is printed
    instead, which wraps between words."""
    unbounded = out.options.update_width(10_000)
    return Measurement.get(out, unbounded, table).maximum <= out.width


def _items(out: Console, title: str, items: list[tuple[str, list[str]]]) -> None:
    """``title``, then each item as its head line and indented detail lines, wrapped here
    between words (a word longer than a line is split, never cut) and printed as they are,
    without markup."""
    _wrapped(out, title)
    for head, lines in items:
        # the bullet is glued to the head (a no-break space) so it never stands alone
        _wrapped(out, f"•\u00a0{head}", "  ", "    ")
        for line in lines:
            _wrapped(out, line, "    ", "    ")


def _wrapped(out: Console, text: str, first: str = "", rest: str = "  ") -> None:
    """Plain text (no markup), wrapped between words to the terminal, no trailing spaces."""
    for piece in textwrap.wrap(text, width=max(out.width, 24), initial_indent=first,
                               subsequent_indent=rest, break_on_hyphens=False):
        out.print(piece.replace("\u00a0", " "), markup=False, highlight=False, soft_wrap=True)


def _snapshots_table(out: Console, snapshots: list[SnapshotEntry]) -> None:
    if not snapshots:
        out.print("no snapshots registered")
        return
    title = f"{len(snapshots)} snapshot(s)"
    table = _table(title, "snapshot", "as of", "state", "policy", "records", "location",
                   "superseded by")
    for s in snapshots:
        table.add_row(
            _e(s.snapshot_id),
            _e(_t(s.as_of)),
            _e(s.state),
            _e(f"{s.policy_id} {s.policy_version}"),
            _e(f"{s.records_used:,}"),
            _e(s.location),
            _e(s.superseded_by),
        )
    if _fits(out, table):
        out.print(table)
        return
    _items(out, title, [
        (s.snapshot_id, [
            f"as of {_t(s.as_of)}, {s.state}"
            + (f" by {s.superseded_by}" if s.superseded_by else ""),
            f"policy {s.policy_id} {s.policy_version}, {s.records_used:,} records",
            f"at {s.location}",
        ])
        for s in snapshots
    ])


def _runs_table(out: Console, runs: list[RunEntry]) -> None:
    if not runs:
        out.print("no training runs")
        return
    title = f"{len(runs)} training run(s)"
    table = _table(title, "run", "model", "version", "state", "started", "finished",
                   "snapshots")
    for r in runs:
        table.add_row(
            _e(r.run_id),
            _e(r.model),
            _e(r.model_version),
            _e(r.state),
            _e(_t(r.started_at)),
            _e(_t(r.finished_at)),
            _e("\n".join(r.snapshot_ids)),
        )
    if _fits(out, table):
        out.print(table)
        return
    _items(out, title, [
        (f"{r.run_id}: {r.model}"
         + (f" {r.model_version}" if r.model_version else "") + f", {r.state}", [
            f"started {_t(r.started_at)}"
            + (f", finished {_t(r.finished_at)}" if r.finished_at else ""),
            f"on {', '.join(r.snapshot_ids)}",
        ])
        for r in runs
    ])


def _models_table(out: Console, models: list[ModelEntry]) -> None:
    if not models:
        out.print("no models")
        return
    title = f"{len(models)} model(s)"
    rows = []
    for m in models:
        runs = f"{len(m.runs)} ({m.finished_runs} finished, {m.failed_runs} failed"
        runs += f", {m.running_runs} running)" if m.running_runs else ")"
        rows.append((m, runs, [f"{sid} ({state})" for sid, state in m.snapshot_states.items()]))
    table = _table(title, "model", "version", "state", "runs", "trained on")
    for m, runs, on in rows:
        table.add_row(_e(m.name), _e(m.version), _e(m.state), _e(runs), _e("\n".join(on) or None))
    if _fits(out, table):
        out.print(table)
        return
    _items(out, title, [
        (m.name + (f" {m.version}" if m.version else "") + f": {m.state}", [
            f"runs: {runs}",
            *([f"trained on {', '.join(on)}"] if on else []),
        ])
        for m, runs, on in rows
    ])


# -- runs ---------------------------------------------------------------------------------------
def _params(items: list[str] | None) -> dict[str, str] | None:
    if not items:
        return None
    params: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            fail(f"--param {item!r}: write KEY=VALUE")
        params[key] = value
    return params


@runs_app.command("start")
def runs_start(
    registry: RegistryOption,
    snapshot: Annotated[
        list[str],
        typer.Option(
            "--snapshot",
            help="A snapshot id or folder (a folder not yet registered is registered). "
            "Repeat for several.",
        ),
    ],
    model: Annotated[str, typer.Option("--model", help="The model's name.")],
    model_version: Annotated[
        str | None, typer.Option("--model-version", help="The model's version.")
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="KEY=VALUE recorded with the run.")
    ] = None,
    allow_superseded: Annotated[
        bool,
        typer.Option(
            "--allow-superseded",
            help="Allow a superseded snapshot, to reproduce an earlier run: it holds records "
            "that a purge withdrew.",
        ),
    ] = False,
) -> None:
    """Start a training run; prints the run id on the last line. A superseded snapshot (a
    purge replaced it) is refused unless --allow-superseded."""
    with clear_errors():
        from consentgate.registry import Registry

        params = _params(param)
        with Registry(registry) as opened:
            run = opened.start_run(snapshot, model, model_version, params,
                                   allow_superseded=allow_superseded)
        err = _err()
        for s in run.snapshots:
            if s.state == "superseded":
                err.print(
                    f"warning: snapshot {_e(s.snapshot_id)} is superseded by "
                    f"{_e(s.superseded_by)}; it holds records that its members withdrew"
                )
        version = f" {run.model_version}" if run.model_version else ""
        _out().print(
            f"started run of {_e(run.model)}{_e(version)} on {_e(', '.join(run.snapshot_ids))}"
        )
        typer.echo(run.run_id)


@runs_app.command("finish")
def runs_finish(
    registry: RegistryOption,
    run_id: Annotated[str, typer.Argument(help="The run id `runs start` printed.")],
    failed: Annotated[bool, typer.Option("--failed", help="The run failed.")] = False,
) -> None:
    """Mark a running run finished (or failed)."""
    with clear_errors():
        from consentgate.registry import Registry

        with Registry(registry) as opened:
            run = opened.finish_run(run_id, failed=failed)
        _out().print(f"{_e(run.run_id)}: {_e(run.state)} at {_e(_t(run.finished_at))}")


@runs_app.command("list")
def runs_list(
    registry: RegistryOption,
    snapshot: Annotated[
        str | None, typer.Option("--snapshot", help="Only the runs that used this snapshot.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The training runs, oldest first."""
    with clear_errors():
        from consentgate.registry import Registry

        with Registry.open_existing(registry) as opened:
            runs = opened.runs(opened.snapshot(snapshot).snapshot_id) if snapshot else opened.runs()
        if as_json:
            _print_json({"runs": [r.to_json() for r in runs]})
            return
        _runs_table(_out(), runs)


# -- usage -------------------------------------------------------------------------------------
def usage(
    registry: RegistryOption,
    member: Annotated[str, typer.Option("--member", help="The member id.")],
    consent: Annotated[
        str | None,
        typer.Option(
            "--consent",
            help="Where the member's setting history is: a ledger URL, or a source "
            "(folder or DuckDB file) with preference_events. Default: the registry's own "
            "database, when it also holds the ledger.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Was this member's data used? The snapshots that hold their records, the training runs
    and models that used those snapshots, and their setting's history.

    Exit code 1 when a registered snapshot could not be searched (its folder moved, its
    index unreadable): the answer is then incomplete, and says which."""
    with clear_errors():
        from consentgate.registry import member_usage

        answer = member_usage(registry, member, consent)
        if as_json:
            _print_json(answer.to_json())
        else:
            print_usage(_out(), answer)
    if not answer.complete:
        raise typer.Exit(1)


def print_usage(out: Console, u: MemberUsage) -> None:
    out.print(f"[bold]Member {_e(u.member_id)}[/] — checked {_e(_t(u.checked_at))}")
    searched = len(u.searched)
    if not u.snapshots and not u.complete:
        out.print(
            f"None of your records is in the {searched} training snapshot(s) searched, but "
            f"{len(u.unreadable)} could not be searched: this answer is incomplete (see the "
            "problems below)."
        )
    elif not u.snapshots:
        out.print(
            f"None of your records is in the {searched} training snapshot(s) searched, so no "
            "training run used your data."
        )
    else:
        total = sum(s.records for s in u.snapshots)
        out.print(
            f"{total:,} of your records are in {len(u.snapshots)} of the {searched} training "
            "snapshot(s) searched:"
        )
        # one paragraph per snapshot and per run: they wrap at any width, where a table of
        # ids and kind lists folds word by word
        for s in u.snapshots:
            kinds = ", ".join(f"{k} {n:,}" for k, n in s.records_by_kind.items())
            created = (
                f"; created {s.first_created_at:%Y-%m-%d} to {s.last_created_at:%Y-%m-%d}"
                if s.first_created_at and s.last_created_at
                else ""
            )
            out.print(
                f"  • {_e(s.snapshot_id)} (as of {_e(_t(s.as_of))}, {_e(s.state)}): "
                f"{s.records:,} record(s){': ' + _e(kinds) if kinds else ''}{_e(created)}",
                highlight=False,
            )
        if not u.runs:
            out.print("No training run has used those snapshots.")
        else:
            out.print(f"{len(u.runs)} training run(s) used them:")
            for r in u.runs:
                version = f" {r.model_version}" if r.model_version else ""
                out.print(
                    f"  • {_e(r.run_id)}: model {_e(r.model)}{_e(version)}, {_e(r.state)}, "
                    f"started {_e(_t(r.started_at))}, finished {_e(_t(r.finished_at))}, on "
                    f"{_e(', '.join(r.snapshots))}",
                    highlight=False,
                )
    _print_setting(out, u)
    if u.deleted_snapshots:
        out.print(
            f"{len(u.deleted_snapshots)} deleted snapshot(s) were not searched (nothing of "
            "them is left): "
            + _e(", ".join(s.snapshot_id for s in u.deleted_snapshots))
        )
    for problem in u.problems:
        out.print(f"[bold red]problem:[/] {_e(problem)}")


def _print_setting(out: Console, u: MemberUsage) -> None:
    if u.history is None:
        out.print(
            "Your setting's history was not looked up (no consent ledger in this database; "
            "give --consent)."
        )
        return
    words = {
        "on": "on",
        "off": "off",
        "default": "not changed by you (the policy's default for your region applies)",
        "conflict": "unclear (changes at the same instant disagree), so your data is not used",
    }
    out.print(f"Your setting {_e(u.setting)} is {_e(words.get(u.setting_now or '', '—'))}.")
    if u.history:
        table = _table("History", "when", "setting", "value", "source", "receipt")
        for e in u.history:
            value = {True: "on", False: "off"}.get(e.value, "?") if e.setting != "erasure" else (
                "requested" if e.value else "withdrawn"
            )
            table.add_row(
                _e(_t(e.effective_at)), _e(e.setting), _e(value), _e(e.source), _e(e.receipt_id)
            )
        out.print(table)
    if u.erasure_requested_at is not None:
        out.print(f"You asked for your data to be erased on {_e(_t(u.erasure_requested_at))}.")
    if u.opted_out_at is not None:
        first = u.first_snapshot_after_opt_out
        text = f"You turned the setting off on {_e(_t(u.opted_out_at))}. "
        if first is None:
            text += "No snapshot has been built since."
        elif first["holds_member"] is None:
            text += (
                f"The first snapshot built after that, {_e(first['snapshot_id'])} (as of "
                f"{_e(first['as_of'])}), could not be searched."
            )
        elif first["holds_member"]:
            text += (
                f"The first snapshot built after that, {_e(first['snapshot_id'])} (as of "
                f"{_e(first['as_of'])}), still holds your records."
            )
        else:
            text += (
                f"The first snapshot built after that, {_e(first['snapshot_id'])} (as of "
                f"{_e(first['as_of'])}), does not hold your records."
            )
        out.print(text)
