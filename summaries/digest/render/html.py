"""What only the HTML page of the digest needs: its table of contents, its KPI rows with their
revisions, the trend as a table, and the trend chart drawn and embedded as a ``data:`` URI.

The page itself is ``digest.html.j2``; :func:`summaries.digest.render.render_html` renders it
with :func:`html_view` on top of the view every format shares.
"""

from __future__ import annotations

import base64
import logging
import re
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from summaries.dates import format_day, format_month
from summaries.digest.header import SECTIONS, header_view
from summaries.digest.model import DepartmentDigest, Digest, KpiRow, Trend
from summaries.digest.render.parts import kept_chart
from summaries.digest.text import value_text
from summaries.digest.voice import counted, voice
from summaries.i18n import _, current

if TYPE_CHECKING:
    from summaries.digest.render import DepartmentView

log = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CSS_DPI = 96  # CSS pixels per inch: a 200 dpi chart shows at 96/200 of its pixels, sharp


@dataclass(frozen=True)
class HtmlRow:
    """A KPI row of an HTML table: its cells, status and, if changed after it was first
    given, ``Revised <day> by <who>``."""

    columns: tuple[str, ...]
    status: str
    revised: str


@dataclass(frozen=True)
class HtmlDepartment:
    """A department's part of the page, with its anchor for the table of contents."""

    view: DepartmentView
    anchor: str
    rows: list[HtmlRow]


@dataclass(frozen=True)
class TocEntry:
    """A line of the table of contents: the anchor it links to, its label, and sub-entries."""

    anchor: str
    label: str
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True)
class TrendCell:
    """A headline KPI in a month of the trend table: actual, and the target if there is one."""

    actual: str
    target: str | None


def draw_chart(digest: Digest, title: str) -> tuple[bytes | None, str | None]:
    """The trend chart of ``digest`` for the page: ``(png, None)``; ``(None, why)`` when it
    cannot be drawn (matplotlib missing or failing); ``(None, None)`` with no trend to draw."""
    if digest.trend is None or not digest.trend.series:
        return None, None
    with voice(digest.locale, digest.compact_units):
        try:
            return trend_chart(digest.trend, digest.locale, title), None  # units: voice
        except ImportError:
            log.warning("the digest's trend chart needs matplotlib, which is not installed")
            return None, _("matplotlib, which draws it, is not installed")
        except Exception as exc:  # the page without its chart beats no page
            log.warning("the digest's trend chart could not be drawn", exc_info=True)
            return None, _("drawing it failed: {error}", error=type(exc).__name__)


def trend_chart(trend: Trend, locale: str, title: str) -> bytes:
    """The trend chart's PNG: inside :func:`~summaries.digest.render.parts.reusing`, the one
    kept with the rendering before while it is drawn from the same trend and title; else
    drawn (matplotlib loads only then)."""

    def draw() -> bytes:
        from summaries.digest.charts import trend_png

        return trend_png(trend, locale, title)

    found = kept_chart((trend, title), draw)
    assert found is not None  # drawing gives a PNG or raises
    return found


def html_view(digest: Digest, shown: list[DepartmentDigest], chart: bytes | None,
              problem: str | None) -> dict[str, Any]:
    """The page's own template variables, on top of the shared view: the departments
    ``shown`` each with its anchor (``anchors``), the table of contents, the chart (``chart``,
    its PNG, or ``problem``, why there is none)."""
    locale, zone = digest.locale, ZoneInfo(digest.timezone)
    taken: set[str] = set()
    anchors = [(department, _anchor(department.key, taken)) for department in shown]
    trend = trend_table(digest.trend, locale)
    toc = [TocEntry("headline", _("Headline KPIs"))] if digest.headline else []
    header = header_view(digest, SECTIONS)
    toc += ([TocEntry("asks", counted(_("Asks of leadership"), len(header.asks)))]
            if header.asks or header.carried else [])
    label = _("Problems") if digest.rules.header == "all" else _("Red problems")
    toc += [TocEntry("problems", counted(label, len(header.problems) + header.hidden)),
            TocEntry("not-submitted", counted(_("Not submitted"), len(digest.missing)))]
    toc += [TocEntry("trend", _("Trend"))] if trend else []
    toc += [TocEntry("departments", _("Departments"),
                     tuple(TocEntry(anchor, department.name) for department, anchor in anchors))
            ] if anchors else []
    return {
        "lang": current().replace("_", "-"),  # the words' language: en, zh-Hans
        "headline_rows": html_rows(digest.headline, locale, zone),
        "anchors": anchors,
        "html_trend": trend,
        "toc": toc,
        "titles": {entry.anchor: entry.label for entry in toc},
        "chart_uri": data_uri(chart) if chart and trend else None,
        "chart_size": png_size(chart) if chart and trend else None,
        "chart_problem": problem,
    }


def html_rows(found: list[KpiRow], locale: str, zone: ZoneInfo) -> list[HtmlRow]:
    """KPI rows as an HTML table shows them."""
    return [HtmlRow(row.text(locale).columns, row.text(locale).status,
                    revised_text(row, locale, zone)) for row in found]


def revised_text(row: KpiRow, locale: str, zone: ZoneInfo) -> str:
    """``Revised Nov 4 by U0KA`` (the day in the organization's time zone), or empty."""
    if row.revised is None:
        return ""
    at, by = row.revised
    return _("Revised {day} by {who}", day=format_day(at.astimezone(zone), locale), who=by)


def trend_table(trend: Trend | None, locale: str) -> dict[str, Any] | None:
    """The trend as a table: a row per month, a cell per headline KPI (actual, target)."""
    if trend is None or not trend.series:
        return None
    rows = []
    for index, month in enumerate(trend.months):
        cells = [TrendCell(value_text(series.actual[index], series.kpi, locale),
                           None if series.target[index] is None else
                           value_text(series.target[index], series.kpi, locale))
                 for series in trend.series]
        rows.append((format_month(month, locale), cells))
    return {"names": [s.kpi.name for s in trend.series], "rows": rows}


def data_uri(png: bytes) -> str:
    """The image inline: ``data:image/png;base64,…``."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def png_size(png: bytes) -> tuple[int, int] | None:
    """The size to show a PNG at, in CSS pixels: its pixels, scaled by its resolution (the
    ``pHYs`` chunk) when it says it is sharper than a screen's 96 dpi; None if not a PNG."""
    if len(png) < 24 or not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", png[16:24])
    dpi = _png_dpi(png)
    if dpi is not None and dpi > CSS_DPI:
        width, height = round(width * CSS_DPI / dpi), round(height * CSS_DPI / dpi)
    return width, height


def _png_dpi(png: bytes) -> float | None:
    """Dots per inch from the ``pHYs`` chunk (before the image data), if it gives metres."""
    at = 8
    while at + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        if kind == b"pHYs" and length == 9 and at + 17 <= len(png):
            per_metre, _, unit = struct.unpack(">IIB", png[at + 8:at + 17])
            return per_metre * 0.0254 if unit == 1 and per_metre else None
        if kind in (b"IDAT", b"IEND"):
            return None
        at += 12 + length
    return None


def _anchor(key: str, taken: set[str]) -> str:
    """``department-<key>``, made safe for a URL fragment and unique in the page."""
    anchor = base = "department-" + re.sub(r"[^a-z0-9_-]+", "-", key.lower())
    count = 1
    while anchor in taken:
        count += 1
        anchor = f"{base}-{count}"
    taken.add(anchor)
    return anchor
