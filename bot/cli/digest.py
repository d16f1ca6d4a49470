"""``checkin digest``: render a month's digest (Markdown, Block Kit JSON or HTML) without posting.

Nothing is written to the database: the period's state is read, not changed, and flags are
not stored.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.base import EXIT_OK
from bot.settings import Settings
from summaries.i18n import _

if TYPE_CHECKING:  # the parser is built for every command, so heavy modules load on use
    from summaries.config.schema import Config
    from summaries.digest.model import Digest
    from summaries.periods import Month

FORMATS = ("md", "blocks", "html")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``digest`` command."""
    digest = commands.add_parser("digest",
                                 help=_("render a month's digest without posting it"))
    digest.add_argument("--period", required=True, help=_("YYYY-MM"))
    digest.add_argument("--format", choices=FORMATS, default="md",
                        help=_("md (default), blocks (Block Kit JSON) or html"))
    digest.add_argument("--output", help=_("file to write (default: standard output); with md "
                                           "the trend chart is written beside it, html "
                                           "embeds it"))
    digest.set_defaults(handler=run_digest)


def read_digest(settings: Settings, config: Config, month: Month, *,
                revisions: bool = False) -> Digest:
    """The month's digest, read without changing anything (no flags stored, nothing kept);
    with ``revisions``, the month's revision trail too (for exports)."""
    from bot.bootstrap import open_database
    from summaries.digest.load import load_digest
    from summaries.store.db import read_only, session_factory

    engine = open_database(settings)
    try:
        with read_only(session_factory(engine)) as session:
            digest = load_digest(session, config, month, closed=None, revisions=revisions)
    finally:
        engine.dispose()
    return digest


def run_digest(args: argparse.Namespace, settings: Settings) -> int:
    """Render the digest of ``--period`` and write it (and its chart) out."""
    from bot.cli.base import CommandError, load_configuration
    from bot.cli.outfiles import OutputProblem, check_output, write_outputs
    from summaries.periods import Month

    try:
        month = Month.parse(args.period)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    output = Path(args.output) if args.output else None
    try:
        if output is not None:
            check_output(output)
            if args.format == "md":
                check_output(_chart_path(output))
        digest = read_digest(settings, load_configuration(settings), month)
        chart = _write_chart(digest, output) if output is not None and args.format == "md" \
            else None
        text = _render(digest, args.format, chart)
        if output is None:
            sys.stdout.write(text)
        else:
            write_outputs([(output, text.encode("utf-8"))])
            print(_("wrote {path}", path=output), file=sys.stderr)
    except OutputProblem as problem:
        raise CommandError(str(problem)) from None
    return EXIT_OK


def _chart_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}-trend.png")


def _render(digest: Digest, kind: str, chart: str | None) -> str:
    if kind == "blocks":
        import json

        from bot.blocks.digest import department_messages, header_messages
        from summaries.digest.header import by_worst_problem

        replies = {d.key: department_messages(digest, d.key) for d in by_worst_problem(digest)}
        return json.dumps({"header": header_messages(digest),
                           "departments": {key: found for key, found in replies.items() if found}},
                          ensure_ascii=False, indent=2) + "\n"
    from summaries.digest.render import render_markdown

    return _render_html(digest) if kind == "html" else render_markdown(digest, chart=chart)


def _render_html(digest: Digest) -> str:
    """The page with its trend chart embedded; without it (and saying why) if it cannot be
    drawn."""
    from bot.blocks.digest import chart_title
    from summaries.digest.render import render_html
    from summaries.digest.render.html import draw_chart

    png, problem = draw_chart(digest, chart_title(digest))
    if problem:
        print(_("the trend chart is left out of the page: {problem}", problem=problem),
              file=sys.stderr)
    return render_html(digest, chart=png, chart_problem=problem)


def _write_chart(digest: Digest, output: Path) -> str | None:
    """Write the trend chart as ``<stem>-trend.png`` beside ``output``; its name, or None."""
    if digest.trend is None or not digest.trend.series:
        return None
    from bot.blocks.digest import chart_title
    from bot.cli.outfiles import write_outputs
    from summaries.digest.charts import trend_png

    path = _chart_path(output)
    write_outputs([(path, trend_png(digest.trend, digest.locale, chart_title(digest)))])
    print(_("wrote the trend chart to {path}", path=path), file=sys.stderr)
    return path.name
