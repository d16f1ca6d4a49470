"""``checkin digest``: render a month's digest (Markdown, Block Kit JSON or HTML) without posting.

The period's state is read, not changed, and flags are not stored. The rendering is kept (in
``stored_renderings``, under a key made of everything it was made from), so the next read of an
unchanged month is one row; see :mod:`summaries.digest.stored`.
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
    from summaries.store.renderings import Rendering

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


def read_rendering_of(settings: Settings, config: Config, month: Month, kind: str,
                      chart_name: str | None) -> Rendering:
    """The month's digest in ``kind``: kept from an earlier read of the unchanged month, or
    rendered from the database (and kept); nothing about the month is changed."""
    from bot.bootstrap import open_database
    from bot.deps import product_code
    from summaries.digest.stored import read_rendering
    from summaries.store.db import session_factory

    code = product_code()
    form = f"{kind}+chart" if chart_name else kind
    engine = open_database(settings)
    try:
        return read_rendering(session_factory(engine), config, month, form,
                              lambda digest: _render(digest, kind, chart_name), code=code,
                              detail=chart_name or "")
    finally:
        engine.dispose()


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
        chart_name = None
        if output is not None:
            check_output(output)
            if args.format == "md":
                check_output(_chart_path(output))
                chart_name = _chart_path(output).name
        rendering = read_rendering_of(settings, load_configuration(settings), month,
                                      args.format, chart_name)
        if output is None:
            sys.stdout.write(rendering.text)
            return EXIT_OK
        if args.format == "md" and rendering.chart is not None:  # the page embeds its own
            write_outputs([(_chart_path(output), rendering.chart)])
            print(_("wrote the trend chart to {path}", path=_chart_path(output)),
                  file=sys.stderr)
        write_outputs([(output, rendering.text.encode("utf-8"))])
        print(_("wrote {path}", path=output), file=sys.stderr)
    except OutputProblem as problem:
        raise CommandError(str(problem)) from None
    return EXIT_OK


def _chart_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}-trend.png")


def _render(digest: Digest, kind: str, chart_name: str | None) -> tuple[Rendering, bool]:
    """The digest in ``kind``, and whether the rendering is worth keeping."""
    from summaries.store.renderings import Rendering

    if kind == "blocks":
        import json

        from bot.blocks.digest import department_messages, header_messages
        from summaries.digest.header import by_worst_problem

        replies = {d.key: department_messages(digest, d.key) for d in by_worst_problem(digest)}
        return Rendering(json.dumps(
            {"header": header_messages(digest),
             "departments": {key: found for key, found in replies.items() if found}},
            ensure_ascii=False, indent=2) + "\n"), True
    if kind == "html":
        return _render_html(digest)
    from summaries.digest.render import render_markdown

    chart = _chart(digest) if chart_name is not None else None
    return Rendering(render_markdown(digest, chart=chart_name if chart else None), chart), True


def _render_html(digest: Digest) -> tuple[Rendering, bool]:
    """The page with its trend chart embedded; without it (and saying why) if it cannot be
    drawn, and then not kept: a later read tries the chart again."""
    from bot.blocks.digest import chart_title
    from summaries.digest.render import render_html
    from summaries.digest.render.html import draw_chart
    from summaries.store.renderings import Rendering

    png, problem = draw_chart(digest, chart_title(digest))
    if problem:
        print(_("the trend chart is left out of the page: {problem}", problem=problem),
              file=sys.stderr)
    return Rendering(render_html(digest, chart=png, chart_problem=problem)), not problem


def _chart(digest: Digest) -> bytes | None:
    """The trend chart's PNG to write beside the Markdown; None without a trend."""
    if digest.trend is None or not digest.trend.series:
        return None
    from bot.blocks.digest import chart_title
    from summaries.digest.render.html import trend_chart

    return trend_chart(digest.trend, digest.locale, chart_title(digest))  # drawn once per trend
