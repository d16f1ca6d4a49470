"""``checkin targets import`` and ``checkin figures import``: load a long-format CSV file."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.base import EXIT_OK, CommandError
from bot.settings import Settings
from summaries.i18n import _

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from summaries.config.schema import Config


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``targets`` and ``figures`` command groups."""
    helps = {"targets": (_("import targets from CSV"),
                         _("import targets from a long-format CSV file")),
             "figures": (_("import figures from CSV"),
                         _("import figures from a long-format CSV file"))}
    for noun, (group_help, import_help) in helps.items():
        group = commands.add_parser(noun, help=group_help)
        group_sub = group.add_subparsers(dest="action", metavar="ACTION", required=True)
        imp = group_sub.add_parser("import", help=import_help)
        imp.add_argument("file", help=_("CSV file (UTF-8, header row required)"))
        imp.add_argument("--dry-run", action="store_true",
                         help=_("list what would change and write nothing"))
        imp.add_argument("-v", "--verbose", action="store_true",
                         help=_("list every change, not only the summary"))
        imp.set_defaults(handler=run_import, noun=noun)


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from bot.bootstrap import open_database
    from bot.cli.base import load_configuration
    from summaries.imports.importers import import_figures, import_targets
    from summaries.store.catalog import sync_config
    from summaries.store.db import dry_run, session_factory, unit_of_work

    config = load_configuration(settings)
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(_("{file}: file not found", file=args.file))
    importer = import_figures if args.noun == "figures" else import_targets
    engine = open_database(settings)
    work = dry_run if args.dry_run else unit_of_work  # a dry run keeps nothing
    try:
        with work(session_factory(engine)) as session:
            sync_config(session, config)
            report = importer(session, config, path, filename=args.file,
                              by=f"import:{path.name}", dry_run=args.dry_run)
            posted = closed_months(session, {month for month, _key in report.touched})
        if args.dry_run or args.verbose:
            for change in report.changes:
                print(f"  {change}")
        print(report.summary())
        for month in sorted(posted):
            names = sorted(d for m, d in report.touched if m == month)
            print(_corrects(config, args.file, month, names, dry_run=args.dry_run))
            if not args.dry_run:
                correct_digest(settings, config, engine, month, names)
    finally:
        engine.dispose()
    return EXIT_OK


def _corrects(config: Config, file: str, month: str, departments: list[str], *,
              dry_run: bool) -> str:
    """What the import does to a posted digest: one line naming the departments."""
    from bot.cli.shown import shown_departments, shown_month
    from summaries.periods import Month

    shown = shown_month(Month.parse(month), config.organization.locale)
    names = shown_departments(config, departments)
    if dry_run:
        return _("{file}: would correct the posted {month} digest ({departments})",
                 file=file, month=shown, departments=names)
    return _("{file}: corrects the posted {month} digest ({departments})",
             file=file, month=shown, departments=names)


def closed_months(session: Session, months: set[str]) -> set[str]:
    """The ``months`` whose period is closed: their digest is out, and a change corrects it."""
    from summaries.checkins.cycle import period_state
    from summaries.periods import Month, PeriodState

    return {m for m in months if period_state(session, Month.parse(m)) == PeriodState.CLOSED}


def correct_digest(settings: Settings, config: Config, engine: Engine, month: str,
                   departments: list[str]) -> None:
    """Update the posted digest of ``month`` in place for the corrected departments. The
    updates go through the outbox: sent now when Slack answers, else by the bot's next pass."""
    from bot.bootstrap import build_deps
    from bot.cycle.refreshing import refresh_digest

    deps = build_deps(settings, config, engine, workers=1)
    try:  # the month is read once for all of them
        refresh_digest(deps, month, *departments, deliver_now=bool(settings.slack_bot_token))
    finally:
        deps.listeners.shutdown(wait=False)
        deps.executor.shutdown(wait=False)
        deps.charts.stop()
