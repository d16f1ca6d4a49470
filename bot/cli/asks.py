"""``checkin asks``: the asks of leadership (SPEC 5.2) as CSV for a spreadsheet or Markdown for
a report, filtered by month, state and department.

The command line acts as an admin: it sees every department's asks. Nothing is written to
the database. The CSV has the columns of the export's asks file, guarded the same way
against formula injection.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.base import EXIT_OK, CommandError
from bot.settings import Settings
from summaries.i18n import _, ngettext, pgettext

if TYPE_CHECKING:  # the parser is built for every command, so heavy modules load on use
    from sqlalchemy.orm import Session

    from summaries.config.schema import Config
    from summaries.engine.asks import Ask

FORMATS = ("csv", "md")
STATE_WORDS = ("open", "acknowledged", "assigned", "decided", "declined", "withdrawn")
GROUPS = ("live", "all")  # live: open, acknowledged or assigned


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``asks`` command."""
    asks = commands.add_parser("asks",
                               help=_("list the asks of leadership as CSV or Markdown"))
    asks.add_argument("--period", help=_("YYYY-MM: only the asks raised that month (default: "
                                         "every month)"))
    asks.add_argument("--state", action="append", metavar="STATE",
                      help=_("{states}, live (the first three) or all; repeat it or separate "
                             "with commas (default: live)", states=", ".join(STATE_WORDS)))
    asks.add_argument("--department",
                      help=_("one department, by key or name (default: all)"))
    asks.add_argument("--format", choices=FORMATS,
                      help=_("csv or md (default: csv for a .csv output, else md)"))
    asks.add_argument("--output", help=_("file to write (default: standard output)"))
    asks.set_defaults(handler=run_asks)


def chosen_states(values: Sequence[str] | None) -> set[str] | None:
    """The states ``--state`` names (None for every state); CommandError for a word that
    names none."""
    words = [w.strip().lower() for value in values or ["live"] for w in value.split(",")]
    states: set[str] = set()
    for word in words:
        if word == "all":
            return None
        if word == "live":
            states |= set(STATE_WORDS[:3])
        elif word in STATE_WORDS:
            states.add(word)
        else:
            raise CommandError(_("--state: unknown state {word}; use {choices}",
                                 word=repr(word), choices=", ".join(STATE_WORDS + GROUPS)))
    return states


@contextmanager
def reading(settings: Settings) -> Iterator[Session]:
    """A session on the configured database that only reads; the engine is let go after."""
    from bot.bootstrap import open_database
    from summaries.store.db import read_only, session_factory

    engine = open_database(settings)
    try:
        with read_only(session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def run_asks(args: argparse.Namespace, settings: Settings) -> int:
    """Write the asks ``--period``, ``--state`` and ``--department`` choose."""
    from bot.cli.base import load_configuration
    from bot.cli.outfiles import OutputProblem, check_output, write_outputs
    from summaries.checkins.asks import find_asks
    from summaries.digest.export import ASK_COLUMNS, ask_rows, csv_bytes, every_department
    from summaries.periods import Month

    try:
        period = str(Month.parse(args.period)) if args.period else None
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    states = chosen_states(args.state)
    output = Path(args.output) if args.output else None
    fmt = args.format or ("csv" if output is not None and output.suffix.lower() == ".csv"
                          else "md")
    config = load_configuration(settings)
    department = _department(config, args.department)
    try:
        if output is not None:
            check_output(output)
        with reading(settings) as session:
            found = find_asks(session, config, every_department(config), period=period,
                              department=department, live_only=False, states=states)
        content = (csv_bytes(ASK_COLUMNS, ask_rows(found)) if fmt == "csv"
                   else markdown(found, config).encode("utf-8"))
        if output is None:
            sys.stdout.write(content.decode("utf-8-sig"))
        else:
            write_outputs([(output, content)])
            print(ngettext("wrote {path} ({n} ask)", "wrote {path} ({n} asks)", len(found),
                           path=output), file=sys.stderr)
    except OutputProblem as problem:
        raise CommandError(str(problem)) from None
    return EXIT_OK


def _department(config: Config, words: str | None) -> str | None:
    """The key of the department ``--department`` names, by key or name as ``/checkin``
    matches them."""
    if words is None:
        return None
    from summaries.errors import DomainError
    from summaries.lookup.matching import Named, find_one

    try:
        return find_one(words, [Named(d.key, d.name) for d in config.departments]).key
    except DomainError as problem:
        raise CommandError(_("--department: {problem}", problem=problem)) from None


def md_columns() -> tuple[str, ...]:
    """The Markdown table's column headings."""
    return (pgettext("asks table", "id"), pgettext("asks table", "month"),
            pgettext("asks table", "department"), pgettext("asks table", "section"),
            pgettext("asks table", "ask"), pgettext("asks table", "state"),
            pgettext("asks table", "last reply"))


def markdown(asks: Sequence[Ask], config: Config) -> str:
    """The asks as a Markdown table, user text escaped; the full texts, never shortened."""
    from bot.cli.shown import shown_month
    from summaries.digest.askwords import answer_text, state_text
    from summaries.digest.render import md_cell
    from summaries.periods import Month

    organization = config.organization
    locale, zone = organization.locale, organization.timezone
    lines = [_("# Asks of leadership: {organization}", organization=md_cell(organization.name)),
             ""]
    if not asks:
        return "\n".join([*lines, _("No asks match."), ""])
    columns = md_columns()
    lines += [ngettext("{n} ask, newest month first.", "{n} asks, newest month first.",
                       len(asks)), "",
              "| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    names = {d.key: d.name for d in config.departments}
    for ask in asks:
        month = pgettext("asks table: a month", "{month}", month=shown_month(
            Month.parse(ask.period), locale)) if ask.period else ""
        cells = (str(ask.id or ""), month, names.get(ask.department, ask.department),
                 ask.section, ask.text, state_text(ask, locale, zone),
                 answer_text(ask, locale, zone) or "")
        lines.append("| " + " | ".join(md_cell(cell) for cell in cells) + " |")
    return "\n".join([*lines, ""])
