"""Trend charts as PNG: matplotlib's object-oriented API on the Agg canvas, imported on use.

One panel per KPI, stacked in one column so that a phone showing the image full width (390
points) reads every label: the figure is 6 inches wide at 200 dpi, so a 13-point label shows
about 12 points tall there. What a panel draws is worked out first, as plain data
(:func:`panel`); drawing only places it.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from babel.dates import format_skeleton

from summaries.digest import fonts
from summaries.digest.model import Trend, TrendSeries
from summaries.digest.voice import voice, wrap_words
from summaries.formatting import babel_locale, compact_number, format_figure, format_number
from summaries.i18n import _

if TYPE_CHECKING:  # matplotlib itself loads on the first chart only
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

WIDTH_INCHES = 6.0
DPI = 200  # 1200 px wide: sharp on a phone's screen, small enough to upload
LEFT_INCHES, RIGHT_INCHES = 0.85, 0.2  # room for the y labels; the plot keeps the rest
TITLE_POINTS, PANEL_TITLE_POINTS, LABEL_POINTS = 15, 14, 13
AXES_INCHES = 2.0  # the plot area of a panel
MARGIN = 0.08  # of the values' span, above and below them
# Colours: the figure strong, the year before a lighter shade of it, limits in red.
STYLES: dict[str, dict[str, Any]] = {
    "actual": {"color": "#1f6fb2", "linewidth": 2.4, "marker": "o", "markersize": 5,
               "zorder": 5},
    "target": {"color": "#555555", "linewidth": 1.8, "linestyle": (0, (5, 3)), "zorder": 4},
    "year_before": {"color": "#9cc3e4", "linewidth": 1.8, "marker": "o", "markersize": 4.5,
                    "zorder": 3},
    "limit": {"color": "#d62728", "linewidth": 1.8, "zorder": 2},
    "floor": {"color": "#d62728", "linewidth": 1.8, "linestyle": (0, (6, 2, 1, 2)),
              "zorder": 2},
}
LEGEND_ORDER = ("actual", "target", "year_before", "limit", "floor")
MUTED = "#8a8a8a"
# matplotlib shares state between figures (fonts and their caches, the font family we set)
# and is not thread-safe: one chart at a time in a process (/kpi's worker, the digest's job).
DRAWING = threading.Lock()


@dataclass(frozen=True)
class Line:
    """One line of a panel: its role (a key of :data:`STYLES`), its legend label and a value
    per month, as a float for drawing (never for arithmetic); NaN is a gap."""

    role: str
    label: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Panel:
    """What one KPI's panel shows: its title, its lines (those with a value at all) and the
    y range, which holds every value of every line."""

    title: str
    lines: tuple[Line, ...]
    low: float
    high: float
    percent: bool

    def line(self, role: str) -> Line | None:
        """The line drawn for ``role``, if there is one."""
        return next((line for line in self.lines if line.role == role), None)


def trend_png(trend: Trend, locale: str, title: str, *, units: str | None = None) -> bytes:
    """One panel per headline KPI, stacked: actual with markers, the target dashed, the same
    months a year before in a lighter shade, the control limit and floor in red.

    The image is 1200 px wide and about 700 px tall per panel (the months every other one
    when their names would touch). Its words are the reader's (``summaries.digest.voice``:
    ``locale``'s unless the caller speaks another), large amounts in ``units`` (else the
    trend's, else those in force).
    """
    from PIL import Image  # matplotlib's own dependency

    pixels = io.BytesIO()
    # in fonts that draw its text (a fallback for Chinese, say): see fonts
    with DRAWING, voice(locale, units or trend.units):
        figure = fonts.draw(lambda: _figure(trend, locale, title),
                            lambda drawn: drawn.savefig(pixels, format="rgba", dpi=DPI))
        size = figure.canvas.get_width_height(physical=True)
    # A chart has few colours: as a palette PNG it is a third of the bytes (Slack, the outbox
    # and the HTML digest all carry it), with no visible difference.
    image = Image.frombytes("RGBA", size, pixels.getvalue())
    buffer = io.BytesIO()
    image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE).save(buffer, "png")
    return buffer.getvalue()


def trend_figure(trend: Trend, locale: str, title: str, *, units: str | None = None
                 ) -> Figure:
    """The figure :func:`trend_png` saves, to look into (tests)."""
    with DRAWING, voice(locale, units or trend.units):
        return fonts.draw(lambda: _figure(trend, locale, title))


def panel(series: TrendSeries, locale: str) -> Panel:
    """The lines of one KPI's panel and a y range that holds them all, the limit and the floor
    included, with a little room above and below."""
    kpi, count = series.kpi, len(series.actual)
    candidates = [Line("year_before", _("a year before"), _floats(series.year_before, count)),
                  Line("target", _("target"), _floats(series.target, count)),
                  Line("actual", _("actual"), _floats(series.actual, count))]
    for role, values in (("limit", series.limit_max), ("floor", series.limit_min)):
        latest = next((v for v in reversed(values) if v is not None), None)
        if latest is not None:
            shown = format_figure(latest, kpi.unit, kpi.decimals, locale)
            label = (_("limit {value}", value=shown) if role == "limit"
                     else _("floor {value}", value=shown))
            candidates.append(Line(role, label, _floats(values, count)))
    lines = tuple(line for line in candidates if line.role == "actual" or _any(line.values))
    low, high = y_range(v for line in lines for v in line.values)
    title = _("{name} ({unit})", name=kpi.name, unit=kpi.unit) if kpi.unit else kpi.name
    return Panel(title, lines, low, high, kpi.is_percent)


def y_range(values: Iterable[float]) -> tuple[float, float]:
    """From below the lowest to above the highest of ``values`` (NaN ignored)."""
    found = [v for v in values if math.isfinite(v)]
    if not found:
        return 0.0, 1.0
    low, high = min(found), max(found)
    room = (high - low) * MARGIN or abs(high) * 0.05 or 1.0
    return low - room, high + room


def step_points(values: Sequence[float]) -> tuple[list[float], list[float]]:
    """A value per month as a step line: level across each month's slot (x ± 0.5), NaN where
    a month has none; a value that changes steps at the boundary between months."""
    xs: list[float] = []
    ys: list[float] = []
    for position, value in enumerate(values):
        xs += [position - 0.5, position + 0.5]
        ys += [value, value]
    return xs, ys


def month_labels(trend: Trend, locale: str, every: int = 1) -> list[str]:
    """Short month names (every ``every``-th, counted back from the last month; the others
    blank), with the year under the first one shown and under each January."""
    babel = babel_locale(locale)
    labels, year_shown = [], False
    last = len(trend.months) - 1
    for position, month in enumerate(trend.months):
        if (last - position) % every:
            labels.append("")
            continue
        name = format_skeleton("MMM", month.first_day(), locale=babel)
        new_year = not year_shown or month.month <= every
        year = format_skeleton("y", month.first_day(), locale=babel)  # 2026, 2026年
        labels.append(f"{name}\n{year}" if new_year else name)
        year_shown = True
    return labels


def tick_labels(values: tuple[float, ...], locale: str, percent: bool = False,
                units: str | None = None) -> dict[float, str]:
    """Axis labels in the locale, compact for large numbers (``1.2M``; in ``units``, else
    those in force: Chinese ``1100万``), with as few decimals as keep neighbouring labels
    apart; ``%`` after each for a percent KPI."""
    large = max((abs(v) for v in values), default=0) >= 10_000
    labels: list[str] = []
    for digits in range(4):
        labels = [compact_number(v, locale, digits, units) if large
                  else format_number(Decimal(str(v)), digits, locale) for v in values]
        if len(set(labels)) == len(labels):
            break
    if percent:
        labels = [f"{label}%" for label in labels]
    return dict(zip(values, labels, strict=True))


def _floats(values: Sequence[Decimal | None], count: int) -> tuple[float, ...]:
    """Floats for drawing only; a missing month (or a list left empty) is NaN: a gap."""
    if not values:
        return (math.nan,) * count
    return tuple(math.nan if v is None else float(v) for v in values)


def _any(values: Iterable[float]) -> bool:
    return any(not math.isnan(v) for v in values)


def _wrap(text: str, points: float, inches: float) -> str:
    """``text`` in lines that fit ``inches`` at ``points`` (an average glyph: 0.6 em)."""
    return wrap_words(text, max(int(inches * 72 / (points * 0.6)), 10), 1 / 0.6)


def _figure(trend: Trend, locale: str, title: str) -> Figure:
    """Panels top-down, laid out in inches: title, then per panel its title, its legend, the
    plot and the month labels under it. Call under :data:`DRAWING`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, 1.0), dpi=DPI)
    canvas = FigureCanvasAgg(figure)
    renderer = canvas.get_renderer()
    usable = WIDTH_INCHES - LEFT_INCHES - RIGHT_INCHES
    heading = _wrap(title, TITLE_POINTS, WIDTH_INCHES - 0.3)
    top = 0.2 + (heading.count("\n") + 1) * TITLE_POINTS * 1.35 / 72 + 0.1
    labels = month_labels(trend, locale, _every(figure, renderer, trend, locale, usable))
    blocks = []  # (axes, panel title, inches above the plot, inches below it)
    for series in trend.series:
        shown = panel(series, locale)
        axes = figure.add_axes((0.0, 0.0, usable / WIDTH_INCHES, 0.5))
        _draw(axes, shown, labels, locale)
        name = _wrap(shown.title, PANEL_TITLE_POINTS, usable)
        legend = _legend(axes, usable * DPI, renderer)
        above = (name.count("\n") + 1) * PANEL_TITLE_POINTS * 1.3 / 72 + legend + 0.1
        below = 0.3 + (0.22 if any("\n" in label for label in labels) else 0)
        blocks.append((axes, name, above, below))
    height = top + sum(above + AXES_INCHES + below + 0.25 for _, _, above, below in blocks)
    figure.set_size_inches(WIDTH_INCHES, height)
    figure.text(0.15 / WIDTH_INCHES, 1 - 0.2 / height, heading, fontsize=TITLE_POINTS,
                fontweight="bold", va="top", linespacing=1.25)
    y = height - top
    for axes, name, above, below in blocks:
        figure.text(0.15 / WIDTH_INCHES, y / height, name, fontsize=PANEL_TITLE_POINTS,
                    fontweight="bold", va="top", linespacing=1.2)
        y -= above + AXES_INCHES
        axes.set_position((LEFT_INCHES / WIDTH_INCHES, y / height, usable / WIDTH_INCHES,
                           AXES_INCHES / height))
        y -= below + 0.25
    return figure


def _draw(axes: Axes, shown: Panel, labels: list[str], locale: str) -> None:
    """The panel's lines, limits as steps across each month's slot; the axes' ranges and
    labels; "no figures yet" where there are none."""
    from matplotlib.ticker import MaxNLocator

    positions = list(range(len(labels)))
    for line in sorted(shown.lines, key=lambda ln: LEGEND_ORDER.index(ln.role)):
        style = STYLES[line.role]
        if line.role in ("limit", "floor"):
            axes.plot(*step_points(line.values), label=line.label, **style)
        else:
            axes.plot(positions, line.values, label=line.label, **style)
    axes.set_xlim(-0.6, len(labels) - 0.4)
    axes.set_ylim(shown.low, shown.high)
    axes.set_xticks(positions, labels, fontsize=LABEL_POINTS)
    ticks = tuple(float(v) for v in MaxNLocator(nbins=4).tick_values(shown.low, shown.high)
                  if shown.low <= v <= shown.high)
    axes.set_yticks(ticks, list(tick_labels(ticks, locale, shown.percent).values()),
                    fontsize=LABEL_POINTS)
    axes.tick_params(length=3)
    axes.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    axes.spines[["top", "right"]].set_visible(False)
    actual = shown.line("actual")
    if actual is None or not _any(actual.values):
        axes.text(0.5, 0.5, _("no figures yet"), transform=axes.transAxes, ha="center",
                  va="center", color=MUTED, fontsize=LABEL_POINTS)


def _every(figure: Figure, renderer: RendererBase, trend: Trend, locale: str,
           inches: float) -> int:
    """1 if every month's name fits its slot of the x axis, else 2 (every other month)."""
    widest = 0.0
    for label in month_labels(trend, locale):
        probe = figure.text(0, 0, label.split("\n")[0], fontsize=LABEL_POINTS)
        widest = max(widest, probe.get_window_extent(renderer).width / DPI)
        probe.remove()
    return 1 if widest + 0.06 <= inches / max(len(trend.months), 1) else 2


def _legend(axes: Axes, width: float, renderer: RendererBase) -> float:
    """The legend in a row above the plot (two, or more, if one is wider than ``width``
    pixels), never over the data; the inches it takes."""
    handles, names = axes.get_legend_handles_labels()
    if not handles:
        return 0.0
    for columns in range(len(handles), 0, -1):
        legend = axes.legend(handles, names, loc="lower left", bbox_to_anchor=(0.0, 1.02),
                             ncols=columns, fontsize=LABEL_POINTS, frameon=False,
                             borderaxespad=0.0, borderpad=0.0, handlelength=1.8,
                             columnspacing=1.0, handletextpad=0.5)
        extent = legend.get_window_extent(renderer)
        if extent.width <= width or columns == 1:
            return float(extent.height) / DPI + 0.05
    return 0.0
