"""The digest as Markdown and as a self-contained HTML page (Jinja2 templates beside this file).

Templates get display text already formatted in the organization's locale (see
:mod:`summaries.digest.text`); Markdown escapes user text with ``md``/``md_cell``, HTML with
autoescape.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from summaries.dates import format_month
from summaries.digest.model import DepartmentDigest, Digest, Trend
from summaries.digest.text import (
    COLUMNS,
    RowText,
    status_text,
    submitted_text,
    title_text,
    value_text,
)

# Characters Markdown would read as markup (tables, emphasis, links, HTML, headings, code).
_MARKUP = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|#"})


def md(text: str) -> str:
    """Escape user text for a Markdown paragraph; its line breaks are kept as hard breaks."""
    return "  \n".join(line.translate(_MARKUP) for line in text.splitlines())


def md_cell(text: str) -> str:
    """Escape user text for one Markdown table cell (a line break would end the row)."""
    if "\n" in text or "\r" in text:
        text = " ".join(text.split())
    return text.translate(_MARKUP)


def md_row(row: RowText) -> str:
    """A KPI row of a Markdown table."""
    return "| " + " | ".join(md_cell(cell) for cell in row.columns) + " |"


@dataclass(frozen=True)
class DepartmentView:
    """A department's part of a rendered digest."""

    department: DepartmentDigest
    status: str
    rows: list[RowText]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates from ``digest/render``: autoescape for ``*.html.j2``, never for Markdown."""
    env = Environment(loader=PackageLoader("summaries.digest", "render"), undefined=StrictUndefined,
                      autoescape=select_autoescape(enabled_extensions=("html.j2",),
                                                   default_for_string=False, default=False),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = md
    env.filters["md_cell"] = md_cell
    env.filters["md_row"] = md_row
    return env


def render_markdown(digest: Digest, *, chart: str | None = None) -> str:
    """The digest as Markdown; ``chart`` is the trend image's path or URL, if any."""
    return environment().get_template("digest.md.j2").render(**_view(digest, chart))


def render_html(digest: Digest, *, chart: str | None = None) -> str:
    """The digest as one self-contained HTML page (inline styles, a table per department)."""
    return environment().get_template("digest.html.j2").render(**_view(digest, chart))


def _view(digest: Digest, chart: str | None) -> dict[str, Any]:
    locale = digest.locale
    shown = [d for d in digest.departments if d.status != "missing" or d.imported]
    return {
        "digest": digest,
        "title": title_text(digest.period, locale, digest.organization),
        "submitted": submitted_text(digest.submitted, digest.total, digest.late),
        "columns": COLUMNS,
        "headline": [row.text(locale) for row in digest.headline],
        "departments": [DepartmentView(d, status_text(d.status, d.submitted_at, locale,
                                                      digest.timezone),
                                       [row.text(locale) for row in d.rows])
                        for d in shown],
        "trend": _trend(digest.trend, locale),
        "chart": chart,
    }


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
            cells.append(text if target is None else
                         f"{text} / {value_text(target, series.kpi, locale)}")
        rows.append((format_month(month, locale), cells))
    return {"names": [s.kpi.name for s in trend.series], "rows": rows}
