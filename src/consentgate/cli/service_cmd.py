"""`consentgate serve`: the settings page and JSON API, on uvicorn.

``serve`` is a plain function the main command line can register as a command; ``app`` holds
it together with ``token`` (mint a member token, as the platform would) for use on its own.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

app = typer.Typer(help="The member settings service.", no_args_is_help=True,
                  pretty_exceptions_enable=False)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    sys.exit(2)


# What `serve --workers N` hands its worker processes (they build their own app from it).
SERVE_OPTIONS_ENV = "CONSENTGATE_SERVE_OPTIONS"
KEY_FILE_ENV = "CONSENTGATE_LEDGER_KEY_FILE"  # as consentgate.ledger.signing reads them
KEY_ENV = "CONSENTGATE_LEDGER_KEY"

SERVICE_MODULES = ("fastapi", "uvicorn", "babel", "itsdangerous", "jwt", "jinja2")


def require_service_extra() -> None:
    """One clear line, not an import traceback, when the ``service`` extra is missing."""
    import importlib

    missing = []
    for module in SERVICE_MODULES:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module)
    if missing:
        _fail(f"the settings service needs the 'service' extra ({', '.join(missing)} missing): "
              "pip install 'consentgate[service]'")


def _load(db: str, policy: str, source: Path | None, demo: bool,  # type: ignore[no-untyped-def]
          registry: str | None = None):
    require_service_extra()
    from sqlalchemy.exc import SQLAlchemyError

    from consentgate.cli.common import one_line
    from consentgate.contract.source import ContractError
    from consentgate.ledger import init_ledger
    from consentgate.ledger.errors import LedgerError
    from consentgate.policy import PolicyError, load_policy
    from consentgate.service.config import ConfigError, ServiceConfig

    try:
        rules = load_policy(policy)
        if source is not None:
            # checked before anything is created: a bad --source leaves no ledger behind
            from consentgate.contract.source import open_source

            open_source(source, tables=("members", "education"))
        config = ServiceConfig.from_env(db, rules, source, demo, registry=registry)
        init_ledger(db)  # create or upgrade: idempotent
        if registry is not None:
            _check_registry(registry)
    except LedgerError as exc:
        _fail(one_line(str(exc)))
    except (ConfigError, PolicyError, ContractError) as exc:
        _fail(str(exc))
    except SQLAlchemyError as exc:
        # the ledger's database cannot be reached or read (PostgreSQL down, a locked file)
        _fail(f"the ledger's database failed: {one_line(str(getattr(exc, 'orig', None) or exc))}")
    return config


def _check_registry(registry: str) -> None:
    """The registry must exist (it is only read here): say so at start, not per page."""
    from consentgate.registry import Registry, RegistryError

    try:
        Registry.open_existing(registry).close()
    except RegistryError as exc:
        _fail(f"--registry: {exc}")


@app.command()
def serve(
    db: Annotated[str, typer.Option("--db", help="Ledger: SQLite file or database URL.")],
    source: Annotated[Path | None, typer.Option(
        "--source", help="Platform data (folder or DuckDB file): member country, language, "
        "and who is a minor.")] = None,
    policy: Annotated[str, typer.Option("--policy", help="Shipped policy name or file.")]
    = "linkedin-2025",
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Offer a demo sign-in (any member id, "
                                       "no platform token); never in production.")] = False,
    registry: Annotated[str | None, typer.Option(
        "--registry", help="Registry of snapshots and training runs (SQLite file or URL): "
        "the page then tells each member whether their data was used.")] = None,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=64, help="Server processes (uvicorn workers), each with its "
        "own ledger committer; appends stay serialised by the database's lock.")] = 1,
) -> None:
    """Serve the settings page and the JSON API (secrets from CONSENTGATE_* variables)."""
    config = _load(db, policy, source, demo, registry)
    import uvicorn

    from consentgate.service.app import create_app

    _configure_logging()
    if demo:
        typer.echo(f"demo mode: sign in at http://{host}:{port}/demo", err=True)
        typer.echo(f"demo admin key (X-Admin-Key): {config.admin_key}", err=True)
    # access_log off: uvicorn's access log prints paths and query strings; ours does not.
    options = dict(host=host, port=port, access_log=False, log_level="info",
                   server_header=False)
    if workers == 1:
        uvicorn.run(create_app(config), **options)  # type: ignore[arg-type]
        return
    # Each worker builds its app from these options; the secrets this process made up
    # (demo keys, the session key) go along so that every worker signs and checks alike.
    os.environ[SERVE_OPTIONS_ENV] = json.dumps(
        {"db": db, "policy": policy, "source": str(source) if source else None,
         "demo": demo, "registry": registry})
    os.environ["CONSENTGATE_TOKEN_SECRET"] = config.token_secret
    os.environ["CONSENTGATE_SESSION_SECRET"] = config.session_secret
    if config.admin_key is not None:
        os.environ["CONSENTGATE_ADMIN_KEY"] = config.admin_key
    if config.signing_key is not None and not (os.environ.get(KEY_FILE_ENV)
                                               or os.environ.get(KEY_ENV)):
        # the demo's key, made up for this run: every worker signs the log's heads with it
        os.environ[KEY_ENV] = config.signing_key.private_pem()
    uvicorn.run("consentgate.cli.service_cmd:worker_app", factory=True, workers=workers,
                **options)  # type: ignore[arg-type]


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # SQL statements carry member ids in their parameters: never let them reach the log.
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    # the usage answer opens the ledger read-only per request: no migration chatter per page
    logging.getLogger("alembic").setLevel(logging.WARNING)


def worker_app():  # type: ignore[no-untyped-def]
    """The app of one `serve --workers N` process (uvicorn calls it in each worker)."""
    from consentgate.policy import load_policy
    from consentgate.service.app import create_app
    from consentgate.service.config import ServiceConfig

    _configure_logging()
    options = json.loads(os.environ[SERVE_OPTIONS_ENV])
    source = Path(options["source"]) if options["source"] else None
    config = ServiceConfig.from_env(options["db"], load_policy(options["policy"]), source,
                                    options["demo"], registry=options["registry"])
    return create_app(config)


@app.command()
def token(
    member: Annotated[str, typer.Option("--member", help="Member id (the token's sub).")],
    minutes: Annotated[int, typer.Option(help="Lifetime in minutes (at most 1440).",
                                         min=1, max=1440)] = 5,
    lang: Annotated[str | None, typer.Option(help="en or fr")] = None,
) -> None:
    """Print a member token signed with CONSENTGATE_TOKEN_SECRET, as the platform makes them
    (for trying the API with curl)."""
    require_service_extra()
    from consentgate.policy import load_policy
    from consentgate.service.auth import mint_member_token
    from consentgate.service.config import ConfigError, ServiceConfig

    try:
        config = ServiceConfig.from_env("unused", load_policy())
    except ConfigError as exc:
        _fail(str(exc))
    typer.echo(mint_member_token(config, member, dt.timedelta(minutes=minutes), lang))
