"""``checkin rename kpi|department OLD NEW [--dry-run]``: move stored data to a renamed key."""

from __future__ import annotations

import argparse

from bot.cli.base import EXIT_OK, CommandError
from bot.settings import Settings


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``rename`` command."""
    rename = commands.add_parser(
        "rename", help="move everything stored under a KPI or department key to its new key "
                       "(after the configuration says the new one)")
    rename.add_argument("kind", choices=("kpi", "department"))
    rename.add_argument("old", help="the key as stored")
    rename.add_argument("new", help="the key as the configuration now says")
    rename.add_argument("--dry-run", action="store_true",
                        help="say what would move and change nothing")
    rename.set_defaults(handler=run_rename)


def run_rename(args: argparse.Namespace, settings: Settings) -> int:
    from bot.bootstrap import load_configuration, open_database
    from summaries.errors import DomainError
    from summaries.store.db import dry_run, session_factory, unit_of_work
    from summaries.store.rename import rename

    config = load_configuration(settings)
    engine = open_database(settings)
    work = dry_run if args.dry_run else unit_of_work
    try:
        with work(session_factory(engine)) as session:
            moved = rename(session, config, args.kind, args.old, args.new)
    except DomainError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        engine.dispose()
    verb = "would move" if args.dry_run else "moved"
    print(f"{args.kind} {args.old} -> {args.new}: {verb} {moved.describe()}")
    return EXIT_OK
