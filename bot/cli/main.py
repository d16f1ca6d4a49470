"""The ``checkin`` console script: the parser and the one place errors become exit statuses.
Each command lives in its own module; heavy modules load inside the command that needs them."""

from __future__ import annotations

import argparse
import contextvars
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace

from bot.cli import asks, config, cycle, db, demo, digest, export, imports, rename, serve
from bot.cli.base import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    CommandError,
    Handler,
    failure_line,
    silence_stdout,
)
from bot.cli.language import argparse_speaking, environment_locale
from bot.settings import Settings, StartupError
from summaries.i18n import _, speak_from_now, speaking


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar of ``checkin``: each command adds its own part."""
    parser = argparse.ArgumentParser(
        prog="checkin",
        description=_("Monthly management check-ins in Slack: summaries, KPIs against "
                      "targets, and a leadership digest."),
    )
    parser.add_argument("--config", help=_("configuration file (default: $CHECKIN_CONFIG "
                                           "or checkin.yaml)"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (config, db, cycle, digest, export, asks, demo, serve, imports, rename):
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status. Until the configuration is loaded the command
    line speaks the environment's language; the command, the organization's (SPEC 11)."""
    with speaking(environment_locale()), argparse_speaking():
        args = build_parser().parse_args(argv)
        try:
            settings = Settings.from_env()
        except ValueError as exc:
            print(f"checkin: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    config_path = getattr(args, "sub_config", None) or args.config
    if config_path:
        settings = replace(settings, config_path=config_path)
    # The command runs in a context of its own: it speaks the environment's language (the
    # demo's, with --locale) until it loads the configuration, then the organization's.
    return contextvars.copy_context().run(_speaking_run, args, settings)


def _speaking_run(args: argparse.Namespace, settings: Settings) -> int:
    speak_from_now(getattr(args, "demo_locale", None) or environment_locale())
    return _run(args, settings)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the command ``args`` name: the one place errors become exit statuses."""
    handler: Handler = args.handler
    from summaries.errors import InputError

    try:
        _configure_logging(settings, serving=getattr(args, "serving", False))
        return handler(args, settings)
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except (CommandError, StartupError) as exc:
        print(f"checkin: {exc}", file=sys.stderr)
        return exc.status
    except BrokenPipeError:  # `checkin … | head` stopped reading: end quietly
        silence_stdout()
        return EXIT_FAILED
    except Exception as exc:  # one line, never a traceback (LOG_LEVEL=DEBUG logs it)
        logging.getLogger("bot.cli.main").debug("the command failed", exc_info=exc)
        print(f"checkin: {failure_line(exc)}", file=sys.stderr)
        return EXIT_FAILED


def _configure_logging(settings: Settings, *, serving: bool) -> None:
    """Redacted logs on standard error: ``serve`` at LOG_LEVEL; a one-shot command prints only
    warnings unless LOG_LEVEL asks for more, so its output stays its own."""
    import os

    from bot.logs import configure_logging

    level = settings.log_level if serving or os.environ.get("LOG_LEVEL") else "WARNING"
    try:
        configure_logging(settings, level)
    except ValueError as exc:  # logging's own message would not name the variable
        raise CommandError(_("LOG_LEVEL: not a logging level: {level}",
                             level=repr(settings.log_level))) from exc
