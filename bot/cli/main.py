"""The ``checkin`` console script. Heavy modules load inside the command that needs them."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from summaries.config.schema import Config

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class CommandError(Exception):
    """A problem to report in one line, with an exit status, and no traceback."""

    def __init__(self, message: str, status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar of ``checkin``."""
    parser = argparse.ArgumentParser(
        prog="checkin",
        description="Monthly management check-ins in Slack: summaries, KPIs against targets, "
                    "and a leadership digest.",
    )
    parser.add_argument("--config", help="configuration file (default: $CHECKIN_CONFIG "
                                         "or checkin.yaml)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    config = commands.add_parser("config", help="work with the configuration file")
    config_sub = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = config_sub.add_parser("check", help="validate the configuration; exit 2 if invalid")
    check.add_argument("--config", dest="sub_config", help="configuration file")
    check.set_defaults(handler=_config_check)

    db = commands.add_parser("db", help="manage the database")
    db_sub = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="create or migrate the schema ($DATABASE_URL)") \
        .set_defaults(handler=_db_upgrade)

    from bot.cli.cycle import add_parser as add_cycle_parser
    from bot.cli.demo import add_parser as add_demo_parser
    from bot.cli.digest import add_parser as add_digest_parser
    from bot.cli.export import add_parser as add_export_parser

    add_cycle_parser(commands)
    add_digest_parser(commands)
    add_export_parser(commands)
    add_demo_parser(commands)

    serve = commands.add_parser("serve", help="run the bot: Slack requests over HTTP "
                                              "(or Socket Mode), /healthz and /metrics")
    serve.add_argument("--port", type=int, help="HTTP port (default: $PORT or 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    serve.add_argument("--socket-mode", action="store_true",
                       help="receive Slack requests over Socket Mode ($SLACK_APP_TOKEN)")
    serve.add_argument("--no-scheduler", action="store_true",
                       help="do not run the cycle's steps on schedule (another process does)")
    serve.set_defaults(handler=_serve)

    for noun in ("targets", "figures"):
        group = commands.add_parser(noun, help=f"import {noun} from CSV")
        group_sub = group.add_subparsers(dest="action", metavar="ACTION", required=True)
        imp = group_sub.add_parser("import", help=f"import {noun} from a long-format CSV file")
        imp.add_argument("file", help="CSV file (UTF-8, header row required)")
        imp.add_argument("--dry-run", action="store_true",
                         help="list what would change and write nothing")
        imp.add_argument("-v", "--verbose", action="store_true",
                         help="list every change, not only the summary")
        imp.set_defaults(handler=_import_csv, noun=noun)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        print(f"checkin: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    config_path = getattr(args, "sub_config", None) or args.config
    if config_path:
        settings = replace(settings, config_path=config_path)
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    from summaries.errors import InputError

    try:
        _configure_logging(settings, serving=handler is _serve)
        return handler(args, settings)
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except CommandError as exc:
        print(f"checkin: {exc}", file=sys.stderr)
        return exc.status
    except BrokenPipeError:  # `checkin … | head` stopped reading: end quietly
        silence_stdout()
        return EXIT_FAILED
    except Exception as exc:  # one line, never a traceback (LOG_LEVEL=DEBUG logs it)
        logging.getLogger("bot.cli.main").debug("the command failed", exc_info=exc)
        print(f"checkin: {failure_line(exc)}", file=sys.stderr)
        return EXIT_FAILED


def failure_line(exc: BaseException) -> str:
    """What went wrong, in one line that holds no SQL, parameters or payload."""
    cause = getattr(exc, "orig", None)  # a database error: the driver's own message
    if type(exc).__module__.startswith("sqlalchemy"):
        detail = _first_line(cause) if cause is not None else type(exc).__name__
        return f"database error: {detail}"
    if isinstance(exc, OSError):
        return f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}"
    return f"failed: {type(exc).__name__}: {_first_line(exc)[:200]}"


def silence_stdout() -> None:
    """Send what is left of standard output nowhere (its reader is gone), so the interpreter's
    final flush does not fail too."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def load_settings_config(settings: Settings) -> Config:
    """Load the configuration named by the settings (raises InputError when invalid)."""
    from summaries.config.loader import load_config

    return load_config(settings.config_path)


def _config_check(args: argparse.Namespace, settings: Settings) -> int:
    config = load_settings_config(settings)
    print(f"{settings.config_path}: OK: {len(config.departments)} departments, "
          f"{len(config.kpis)} KPIs, {len(config.sections)} sections, "
          f"{len(config.targets)} targets")
    return EXIT_OK


def _configure_logging(settings: Settings, *, serving: bool) -> None:
    """Redacted logs on standard error: ``serve`` at LOG_LEVEL; a one-shot command prints only
    warnings unless LOG_LEVEL asks for more, so its output stays its own."""
    import os

    from bot.logs import configure_logging

    level = settings.log_level if serving or os.environ.get("LOG_LEVEL") else "WARNING"
    try:
        configure_logging(settings, level)
    except ValueError as exc:  # logging's own message would not name the variable
        raise CommandError(f"LOG_LEVEL: not a logging level: {settings.log_level!r}") from exc


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.serve import run

    if not settings.slack_signing_secret:
        raise CommandError("SLACK_SIGNING_SECRET is not set: the bot cannot verify Slack's "
                           "requests, so it will not start")
    if not settings.slack_bot_token:
        raise CommandError("SLACK_BOT_TOKEN is not set")
    if args.socket_mode and not settings.slack_app_token:
        raise CommandError("--socket-mode needs SLACK_APP_TOKEN (an app-level xapp- token)")
    run(settings, host=args.host, port=args.port or settings.port, socket_mode=args.socket_mode,
        scheduler=not args.no_scheduler)
    return EXIT_OK


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from summaries.store.db import make_engine
    from summaries.store.migrate import current_revision, upgrade

    engine = make_engine(settings.database_url)
    try:
        before = current_revision(engine)
        upgrade(engine)
        after = current_revision(engine)
    except Exception as exc:  # an unreachable database is an operator problem, not a bug
        raise CommandError(f"database upgrade failed: {_first_line(exc)}", EXIT_FAILED) from exc
    finally:
        engine.dispose()
    state = "already at" if before == after else f"upgraded from {before or 'empty'} to"
    print(f"database {state} revision {after}")
    return EXIT_OK


def _import_csv(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from summaries.imports.importers import import_figures, import_targets
    from summaries.store.catalog import sync_config
    from summaries.store.db import dry_run, session_factory, unit_of_work

    config = load_settings_config(settings)
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{args.file}: file not found")
    importer = import_figures if args.noun == "figures" else import_targets
    engine = open_database(settings)
    work = dry_run if args.dry_run else unit_of_work  # a dry run keeps nothing
    try:
        with work(session_factory(engine)) as session:
            sync_config(session, config)
            report = importer(session, config, path, filename=args.file,
                              by=f"import:{path.name}", dry_run=args.dry_run)
    finally:
        engine.dispose()
    if args.dry_run or args.verbose:
        for change in report.changes:
            print(f"  {change}")
    print(report.summary())
    return EXIT_OK


def open_database(settings: Settings) -> Engine:
    """An engine on a database whose schema is current, or a CommandError saying what to do."""
    from summaries.store.db import make_engine
    from summaries.store.migrate import current_revision, head_revision

    engine = make_engine(settings.database_url)
    try:
        current = current_revision(engine)
    except Exception as exc:
        engine.dispose()
        raise CommandError(f"cannot open the database: {_first_line(exc)}", EXIT_FAILED) from exc
    if current != head_revision():
        engine.dispose()
        raise CommandError("the database schema is not current: run `checkin db upgrade` first")
    return engine


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
