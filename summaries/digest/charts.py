"""Trend charts as PNG: matplotlib's object-oriented API on the Agg canvas, imported on use."""

from __future__ import annotations

import io
import math
import threading
import warnings
from decimal import Decimal
from typing import TYPE_CHECKING

from babel.dates import format_skeleton
from babel.numbers import format_compact_decimal

from summaries.digest.model import Trend, TrendSeries
from summaries.formatting import babel_locale, format_number

if TYPE_CHECKING:  # matplotlib itself loads inside trend_png only
    from matplotlib.axes import Axes

WIDTH_INCHES = 12.0
PANEL_HEIGHT_INCHES = 3.2
TITLE_HEIGHT_INCHES = 0.7
DPI = 100  # 1200 px wide: sharp in Slack's preview, small to upload
COLUMNS = 3
ACTUAL_COLOR, TARGET_COLOR = "#1f6fb2", "#8a8a8a"
# matplotlib shares state between figures (fonts and their caches, the warnings filter we set)
# and is not thread-safe: one chart at a time in a process (/kpi's worker, the digest's job).
DRAWING = threading.Lock()


def trend_png(trend: Trend, locale: str, title: str) -> bytes:
    """One small panel per headline KPI: actual with markers, target dashed; month labels.

    The image is 1200 px wide and 70 + 320 px per row of three panels tall.
    """
    with DRAWING:
        return _draw(trend, locale, title)


def _draw(trend: Trend, locale: str, title: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    count = max(len(trend.series), 1)
    columns = 2 if count == 4 else min(count, COLUMNS)
    rows = math.ceil(count / columns)
    height = TITLE_HEIGHT_INCHES + PANEL_HEIGHT_INCHES * rows
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.suptitle(title, fontsize=15, fontweight="bold", y=1 - 0.25 / height)
    figure.subplots_adjust(left=0.06, right=0.98, bottom=0.6 / height,
                           top=1 - TITLE_HEIGHT_INCHES / height, wspace=0.28, hspace=0.45)
    labels = month_labels(trend, locale)
    for index, series in enumerate(trend.series):
        _panel(figure.add_subplot(rows, columns, index + 1), series, labels, locale)
    buffer = io.BytesIO()
    with warnings.catch_warnings():  # names in scripts the default font lacks draw as boxes
        warnings.simplefilter("ignore", UserWarning)
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def month_labels(trend: Trend, locale: str) -> list[str]:
    """Short month names, with the year under the first month and every January."""
    babel = babel_locale(locale)
    labels = []
    for position, month in enumerate(trend.months):
        name = format_skeleton("MMM", month.first_day(), locale=babel)
        labels.append(f"{name}\n{month.year}" if position == 0 or month.month == 1 else name)
    return labels


def _values(values: list[Decimal | None]) -> list[float]:
    """Floats for drawing only (never for arithmetic); a missing month is a gap."""
    return [math.nan if v is None else float(v) for v in values]


def tick_labels(values: tuple[float, ...], locale: str) -> dict[float, str]:
    """Axis labels in the locale, compact for large numbers (``1.2M``), with as few decimals
    as keep neighbouring labels apart."""
    babel = babel_locale(locale)
    large = max((abs(v) for v in values), default=0) >= 10_000
    labels: list[str] = []
    for digits in range(4):
        labels = [format_compact_decimal(v, locale=babel, fraction_digits=digits) if large
                  else format_number(Decimal(str(v)), digits, locale) for v in values]
        if len(set(labels)) == len(labels):
            break
    return dict(zip(values, labels, strict=True))


def _panel(axes: Axes, series: TrendSeries, labels: list[str], locale: str) -> None:
    positions = list(range(len(labels)))
    actual, target = _values(series.actual), _values(series.target)
    axes.plot(positions, actual, color=ACTUAL_COLOR, marker="o", markersize=4, linewidth=2,
              label="actual")
    if any(not math.isnan(v) for v in target):
        axes.plot(positions, target, color=TARGET_COLOR, linestyle="--", linewidth=1.5,
                  label="target")
        axes.legend(loc="best", fontsize=8, frameon=False)
    unit = f" ({series.kpi.unit})" if series.kpi.unit else ""
    axes.set_title(f"{series.kpi.name}{unit}", fontsize=11, loc="left")
    axes.set_xticks(positions, labels, fontsize=8)
    low, high = axes.get_ylim()
    ticks = tuple(float(v) for v in axes.get_yticks() if low <= v <= high)
    axes.set_yticks(ticks, list(tick_labels(ticks, locale).values()), fontsize=8)
    axes.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    axes.spines[["top", "right"]].set_visible(False)
    if all(math.isnan(v) for v in actual):
        axes.text(0.5, 0.5, "no figures yet", transform=axes.transAxes, ha="center",
                  va="center", color=TARGET_COLOR)
