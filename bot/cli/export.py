"""``checkin export``: a month's KPI rows, section texts and asks of leadership (with their
history) as CSV or XLSX files.

Nothing is written to the database: the period's state is read, not changed, and flags are
not stored.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.base import EXIT_OK
from bot.settings import Settings
from summaries.i18n import _

if TYPE_CHECKING:  # the parser is built for every command, so heavy modules load on use
    from summaries.periods import Month

FORMATS = ("csv", "xlsx")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``export`` command."""
    export = commands.add_parser("export", help=_("export a month's KPI rows, section texts "
                                                  "and asks as CSV or XLSX"))
    export.add_argument("--period", help=_("YYYY-MM (default: last month in the "
                                           "organization's time zone)"))
    export.add_argument("--format", choices=FORMATS,
                        help=_("csv or xlsx (default: xlsx for an .xlsx output, else csv)"))
    export.add_argument("--output", help=_("file to write (default: checkin-YYYY-MM.csv or "
                                           ".xlsx here); with csv the section texts, the asks "
                                           "and their history go beside it as "
                                           "<stem>-sections.csv, <stem>-asks.csv and "
                                           "<stem>-ask-history.csv"))
    export.add_argument("--revisions", action="store_true",
                        help=_("with csv, write the month's revision trail beside it as "
                               "<stem>-revisions.csv (xlsx always has a Revisions sheet)"))
    export.set_defaults(handler=run_export)


def default_period(timezone: str, now: datetime | None = None) -> Month:
    """Last month, as the calendar runs in ``timezone``."""
    from datetime import UTC

    from summaries.periods import this_month

    return this_month(now or datetime.now(UTC), timezone).previous()


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    """Export ``--period`` to ``--output`` (and, for csv, the other files beside it)."""
    from bot.cli.asks import reading
    from bot.cli.base import CommandError, load_configuration
    from bot.cli.outfiles import OutputProblem, write_outputs
    from summaries.digest.export import export_asks, export_files, export_stem
    from summaries.digest.load import load_digest
    from summaries.periods import Month

    try:
        month = Month.parse(args.period) if args.period else None
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    config = load_configuration(settings)
    month = month or default_period(config.organization.timezone)
    with reading(settings) as session:  # read only: no flags stored, nothing kept
        digest = load_digest(session, config, month, closed=None, revisions=True)
        asks = export_asks(session, config, month)
    fmt = args.format or ("xlsx" if args.output and Path(args.output).suffix.lower() == ".xlsx"
                          else "csv")
    output = Path(args.output) if args.output else Path(f"{export_stem(digest)}.{fmt}")
    files = export_files(digest, fmt, output.stem, revisions=args.revisions, asks=asks)
    # The first file is the one asked for; any other (csv's sections, asks) goes beside it.
    paths = [output] + [output.with_name(name) for name, _content in files[1:]]
    try:
        write_outputs([(path, content)
                       for path, (_name, content) in zip(paths, files, strict=True)])
    except OutputProblem as problem:
        raise CommandError(str(problem)) from None
    for path in paths:
        print(_("wrote {path}", path=path))
    return EXIT_OK
