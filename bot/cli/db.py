"""``checkin db upgrade``: create or migrate the database schema."""

from __future__ import annotations

import argparse

from bot.cli.base import EXIT_FAILED, EXIT_OK, CommandError
from bot.settings import Settings
from summaries.i18n import _


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``db`` command group."""
    db = commands.add_parser("db", help=_("manage the database"))
    db_sub = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help=_("create or migrate the schema ($DATABASE_URL)")) \
        .set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from summaries.errors import first_line
    from summaries.store.db import make_engine
    from summaries.store.migrate import current_revision, upgrade

    engine = make_engine(settings.database_url)
    try:
        before = current_revision(engine)
        upgrade(engine)
        after = current_revision(engine)
    except Exception as exc:  # an unreachable database is an operator problem, not a bug
        raise CommandError(_("database upgrade failed: {error}", error=first_line(exc)),
                           EXIT_FAILED) from exc
    finally:
        engine.dispose()
    if before == after:
        print(_("database already at revision {revision}", revision=after))
    elif before:
        print(_("database upgraded from {before} to revision {revision}", before=before,
                revision=after))
    else:
        print(_("database upgraded from empty to revision {revision}", revision=after))
    return EXIT_OK
