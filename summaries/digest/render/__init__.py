"""The digest as Markdown and as a self-contained HTML page (Jinja2 templates beside this file).

Templates get display text already formatted in the organization's locale (see
:mod:`summaries.digest.text`), and its words (the reader's, if the caller speaks for one: see
:mod:`summaries.digest.voice`); Markdown escapes user text with ``md``/``md_cell``, HTML with
autoescape. The HTML page needs no other file: its styles are inline and its trend chart is
embedded as a ``data:`` URI (see :func:`render_html`; the page's own parts are in
:mod:`summaries.digest.render.html`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup

from summaries.dates import format_month
from summaries.digest.alloc import building
from summaries.digest.askwords import ask_note
from summaries.digest.header import (
    SECTIONS,
    ProblemLine,
    by_worst_problem,
    department_lines,
    header_view,
)
from summaries.digest.model import DepartmentDigest, Digest, Trend
from summaries.digest.render.html import HtmlDepartment, html_rows, html_view, revised_text
from summaries.digest.render.parts import parts_in_use, printed
from summaries.digest.text import (
    RowText,
    columns,
    status_text,
    submitted_text,
    title_text,
    value_text,
)
from summaries.digest.voice import since_word, status_word, voice
from summaries.i18n import _, ngettext, pgettext

# Characters Markdown would read as markup (tables, emphasis, links, HTML, headings, code),
# each escaped with a backslash.
_MARKUP = "\\`*_[]<>|#"
_MARKUP_AT = re.compile(f"[{re.escape(_MARKUP)}]")
_PLAIN = frozenset(_MARKUP).isdisjoint  # most cells (numbers, words) have none


def md(text: str) -> str:
    """Escape user text for a Markdown paragraph; its line breaks are kept as hard breaks."""
    return "  \n".join(_escaped(line) for line in text.splitlines())


def md_cell(text: str) -> str:
    """Escape user text for one Markdown table cell (a line break would end the row)."""
    if "\n" in text or "\r" in text:
        text = " ".join(text.split())
    return text if _PLAIN(text) else _escaped(text)


def _escaped(text: str) -> str:
    """A backslash before each markup character (a pattern, not ``str.translate``: a long
    answer in Chinese escapes 20 times faster)."""
    return _MARKUP_AT.sub(r"\\\g<0>", text)


def md_row(row: RowText) -> str:
    """A KPI row of a Markdown table."""
    return "| " + " | ".join(md_cell(cell) for cell in row.columns) + " |"


def md_rows(rows: list[RowText]) -> str:
    """KPI rows of a Markdown table, a line each (joined here: a department has dozens)."""
    return "".join(f"{md_row(row)}\n" for row in rows)


def md_table(rows: list[RowText], columns: list[str]) -> str:
    """A Markdown table of KPI rows under the ``columns`` headings (our words, not escaped)."""
    return (f"| {' | '.join(columns)} |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
            + md_rows(rows))


def md_problem(line: ProblemLine, with_department: bool = True) -> str:
    """A problem as one line of a Markdown list, its line break included: its severity,
    department (unless the department's own section lists it), text, and new, worse or
    recurring and minor marks (a function, not a macro: a month at scale has thousands)."""
    parts = [f"- **{status_word(line.severity)}**"]
    if with_department:
        parts.append(f" · **{md_cell(line.department)}**")
    parts += pgettext("after a label", ": "), md_cell(line.text)
    if line.since:
        parts.append(f" *{since_word(line.since)}*")
    if line.minor:
        parts.append(f" *{_('(minor)')}*")
    return "".join(parts) + "\n"


@dataclass(frozen=True)
class DepartmentView:
    """A department's part of a rendered digest."""

    department: DepartmentDigest
    status: str
    rows: list[RowText]
    problems: list[ProblemLine] = field(default_factory=list)
    behind: list[str] = field(default_factory=list)  # a parent's gaps, by department
    revised: list[str] = field(default_factory=list)  # "Business income: revised Nov 4 by …"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates from ``digest/render``: autoescape for ``*.html.j2``, never for Markdown."""
    env = Environment(loader=PackageLoader("summaries.digest", "render"), undefined=StrictUndefined,
                      autoescape=select_autoescape(enabled_extensions=("html.j2",),
                                                   default_for_string=False, default=False),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = md
    env.globals.update(_=_, ngettext=ngettext, pgettext=pgettext)  # the reader's words
    env.filters["status_word"] = status_word  # red, amber, green, info in words
    env.filters["since_word"] = since_word  # new, worse, recurring in words
    env.filters["md_cell"] = md_cell
    env.filters["md_table"] = md_table
    env.filters["md_problem"] = md_problem
    return env


def render_markdown(digest: Digest, *, chart: str | None = None) -> str:
    """The digest as Markdown; ``chart`` is the trend image's path or URL, if any."""
    with building(), voice(digest.locale, digest.compact_units):  # texts alive till written
        view = _view(digest, chart)
        view["parts"] = _parts(digest, view, "md", [(d, "") for d in _shown(digest)])
        return _filled("digest.md.j2", view)


def _parts(digest: Digest, view: dict[str, Any], form: str,
           anchors: list[tuple[DepartmentDigest, str]]) -> list[str]:
    """Each shown department's part in ``form`` (``department.<form>.j2``, given the
    department's anchor on the page, if the form has them); inside
    :func:`~summaries.digest.render.parts.reusing`, the part rendered before wherever the
    department is as it was."""
    template = environment().get_template(f"department.{form}.j2")
    locale, zone = digest.locale, ZoneInfo(digest.timezone)

    def rendered(department: DepartmentDigest, anchor: str) -> str:
        shown = _department_view(digest, department, locale, zone)
        context = {"view": shown, "columns": view["columns"], "ask_note": view["ask_note"]}
        if form == "html":
            context["item"] = HtmlDepartment(shown, anchor,
                                             html_rows(department.rows, locale, zone))
        return _filled(template, context)

    parts = parts_in_use()
    if parts is None:
        return [rendered(department, anchor) for department, anchor in anchors]
    names = printed(digest.names)
    return [parts.part(department, f"{names} {anchor}", form,
                       partial(rendered, department, anchor))
            for department, anchor in anchors]


def render_html(digest: Digest, *, chart: bytes | None = None,
                chart_problem: str | None = None) -> str:
    """The digest as one self-contained HTML page: inline styles, a table of contents, tables
    that stay readable on a phone, and ``chart``, the trend chart's PNG (as
    :func:`~summaries.digest.render.html.draw_chart` draws it), embedded as a ``data:`` URI.
    Without it the page says so, and why if ``chart_problem`` tells, and keeps the trend as a
    table."""
    with building(), voice(digest.locale, digest.compact_units):  # as render_markdown
        view = _view(digest, None)
        view |= html_view(digest, _shown(digest), chart, chart_problem)
        view["html_parts"] = [Markup(part) for part in  # written by the template: escaped
                              _parts(digest, view, "html", view.pop("anchors"))]
        return _filled("digest.html.j2", view)


def _filled(name: str | Template, view: dict[str, Any]) -> str:
    """The template ``name`` rendered with ``view``, as ``Template.render`` renders it, and the
    context Jinja made for it emptied after: its macros refer back to it, a cycle only the
    garbage collector breaks, so the whole digest it holds (a million objects at 500
    departments) would outlive the rendering until a collection walked it all. Emptied, the
    digest goes as soon as its caller lets go of it."""
    template = environment().get_template(name) if isinstance(name, str) else name
    context = template.new_context(view)
    try:
        return template.environment.concat(template.root_render_func(context))
    except Exception:
        template.environment.handle_exception()  # raises, with the template's lines
    finally:
        context.vars.clear()
        context.parent.clear()  # the context's own copy of the globals and ``view``


def _view(digest: Digest, chart: str | None) -> dict[str, Any]:
    """What the page's template shows above and beside the departments' parts."""
    locale = digest.locale
    return {
        "digest": digest,
        "title": title_text(digest.period, locale, digest.organization),
        "submitted": submitted_text(digest.submitted, digest.total, digest.late,
                                    len(digest.skipped)),
        "columns": columns(),
        "headline": [row.text(locale) for row in digest.headline],
        "header": header_view(digest, SECTIONS),
        "trend": _trend(digest.trend, locale),
        "chart": chart,
        "ask_note": lambda ask: ask_note(ask, digest.period, locale, digest.timezone),
    }


def _shown(digest: Digest) -> list[DepartmentDigest]:
    """The departments with a part, worst problem first: all but those missing without
    imported figures (the header lists them)."""
    return [d for d in by_worst_problem(digest) if d.status != "missing" or d.imported]


def _department_view(digest: Digest, department: DepartmentDigest, locale: str,
                     zone: ZoneInfo) -> DepartmentView:
    return DepartmentView(department, status_text(department.status, department.submitted_at,
                                                  locale, digest.timezone),
                          [row.text(locale) for row in department.rows],
                          *department_lines(digest, department),
                          [_("{kpi}: {revised}", kpi=r.kpi.name,
                             revised=revised_text(r, locale, zone))
                           for r in department.rows if r.revised is not None])


def _trend(trend: Trend | None, locale: str) -> dict[str, Any] | None:
    """The trend as a table: a row per month, a column per headline KPI (actual / target)."""
    if trend is None or not trend.series:
        return None
    rows = []
    for index, month in enumerate(trend.months):
        cells = []
        for series in trend.series:
            text = value_text(series.actual[index], series.kpi, locale)
            target = series.target[index]
            cells.append(text if target is None else _(
                "{actual} / {target}", actual=text, target=value_text(target, series.kpi, locale)))
        rows.append((format_month(month, locale), cells))
    return {"names": [s.kpi.name for s in trend.series], "rows": rows}

