"""``checkin targets import`` and ``checkin figures import``: load a long-format CSV file."""

from __future__ import annotations

import argparse

from bot.cli.base import EXIT_OK, CommandError
from bot.settings import Settings


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``targets`` and ``figures`` command groups."""
    for noun in ("targets", "figures"):
        group = commands.add_parser(noun, help=f"import {noun} from CSV")
        group_sub = group.add_subparsers(dest="action", metavar="ACTION", required=True)
        imp = group_sub.add_parser("import", help=f"import {noun} from a long-format CSV file")
        imp.add_argument("file", help="CSV file (UTF-8, header row required)")
        imp.add_argument("--dry-run", action="store_true",
                         help="list what would change and write nothing")
        imp.add_argument("-v", "--verbose", action="store_true",
                         help="list every change, not only the summary")
        imp.set_defaults(handler=run_import, noun=noun)


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from bot.bootstrap import load_configuration, open_database
    from summaries.imports.importers import import_figures, import_targets
    from summaries.store.catalog import sync_config
    from summaries.store.db import dry_run, session_factory, unit_of_work

    config = load_configuration(settings)
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
