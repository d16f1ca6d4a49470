"""``checkin config check``: validate the configuration file."""

from __future__ import annotations

import argparse

from bot.cli.base import EXIT_OK
from bot.settings import Settings


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``config`` command group."""
    config = commands.add_parser("config", help="work with the configuration file")
    config_sub = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = config_sub.add_parser("check", help="validate the configuration; exit 2 if invalid")
    check.add_argument("--config", dest="sub_config", help="configuration file")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bootstrap import load_configuration

    config = load_configuration(settings)
    print(f"{settings.config_path}: OK: {len(config.departments)} departments, "
          f"{len(config.kpis)} KPIs, {len(config.sections)} sections, "
          f"{len(config.targets)} targets")
    return EXIT_OK
