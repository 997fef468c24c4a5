"""What every command shares: parsing the as-of instant, opening inputs, clear errors."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

import duckdb
from rich.console import Console
from rich.markup import escape

from consentgate.contract.source import ContractError
from consentgate.policy.loader import PolicyError

console = Console()
err_console = Console(stderr=True)


class UsageError(ValueError):
    """Bad command-line input; the message says what to write instead."""


def parse_as_of(text: str) -> dt.datetime:
    """ISO 8601 date or date-time; naive means UTC, 'Z' and offsets are converted to UTC.
    A bare date means the start of that day (00:00 UTC)."""
    raw = text.strip()
    try:
        if len(raw) == 10:
            day = dt.date.fromisoformat(raw)
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise UsageError(
            f"--as-of {text!r} is not an ISO 8601 date or date-time "
            "(for example 2025-11-03 or 2025-11-03T12:00:00Z)"
        ) from exc
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def one_line(message: str) -> str:
    """A database driver's message on one line: psycopg's "connection refused" goes on with
    an indented hint on a line of its own."""
    return " ".join(part.strip() for part in message.strip().splitlines() if part.strip())


def fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    sys.exit(code)


def warn(message: str) -> None:
    err_console.print(f"[yellow]warning:[/] {escape(message)}", highlight=False, soft_wrap=True)


def say(message: str, style: str | None = None, soft: bool = False) -> None:
    """Print text that holds data (ids, values, paths) literally: never as Rich markup.
    Prose wraps at the terminal's width; ``soft``: a line to copy (an id, a path) is left
    whole."""
    console.print(escape(message), style=style, highlight=False, soft_wrap=soft)


def on_off(value: bool | None, none: str = "unreadable") -> str:
    """A setting as users read it."""
    return {True: "on", False: "off"}.get(value, none)  # type: ignore[arg-type]


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn the errors users can cause into one readable message and exit code 2."""
    from consentgate.ledger.errors import LedgerError
    from consentgate.policy.model import UnknownSetting
    from consentgate.registry.errors import RegistryError

    try:
        yield
    except (LedgerError, RegistryError) as exc:
        # they may carry the database driver's words (a PostgreSQL server not answering)
        fail(one_line(str(exc)))
    except (
        UsageError, ContractError, PolicyError, UnknownSetting, FileExistsError,
        FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError,
    ) as exc:
        fail(str(exc))
    except duckdb.OutOfMemoryException as exc:
        # not the input's fault: say which knob there is (nothing was published)
        fail(f"the engine ran out of memory (raise its limit with --memory-limit, where the "
             f"command has one; the default is 512MB): {one_line(str(exc))}")
    except duckdb.Error as exc:
        # e.g. a Parquet file whose pages are corrupt: nothing was published
        fail(f"the engine could not read the input: {exc}")
    except Exception as exc:
        # a database under a ledger or registry failing (lost connection, dropped table)
        if type(exc).__module__.startswith("sqlalchemy"):
            orig = getattr(exc, "orig", None) or exc
            fail(f"the database failed: {one_line(str(orig))}")
        raise


def run_cleanly(fn: Callable[[], None]) -> None:
    with clear_errors():
        fn()
