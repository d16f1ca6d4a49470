"""The trend chart: what each KPI's panel draws (actual, target, limit or floor, the year
before), that its axis holds the limits, gaps stay gaps, and the image fits a phone."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from matplotlib.lines import Line2D

from summaries.config.loader import load_config
from summaries.config.schema import Config
from summaries.digest.charts import (
    month_labels,
    panel,
    step_points,
    tick_labels,
    trend_figure,
    trend_png,
)
from summaries.digest.load import load_month, load_trend
from summaries.digest.model import Trend, TrendSeries
from summaries.periods import Month, months_between
from tests.support.importkit import EXAMPLES, example_database

D = Decimal
OCT = Month(2026, 10)
MONTHS = months_between(Month(2025, 11), OCT)


@pytest.fixture(scope="module")
def example() -> Config:
    return load_config(EXAMPLES / "checkin.yaml")


def year_earlier(csv: str) -> str:
    """The example's figures of November 2025 to September 2026, again a year earlier."""
    lines = csv.splitlines()
    rows = [lines[0]]
    for line in lines[1:]:
        kpi, department, month, value = line.split(",")
        if "2025-11" <= month <= "2026-09":
            rows.append(f"{kpi},{department},{Month.parse(month).shift(-12)},{value}")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def trends(example: Config) -> tuple[Trend, Trend]:
    """The example's October 2026 trend as the close reads it and as ``load_trend`` does, with
    the history repeated a year earlier (the example itself holds 13 months)."""
    figures = (EXAMPLES / "history" / "figures.csv").read_text("utf-8")
    with example_database(example, plans=False, more_figures=year_earlier(figures)) as db:
        _, closing = load_month(db, example, OCT)
        looked_up = load_trend(db, example, OCT)
    assert closing is not None
    assert looked_up is not None
    return closing, looked_up


def ydata(line: Line2D) -> list[float]:
    return [float(v) for v in line.get_ydata()]


def series_of(trend: Trend, key: str) -> TrendSeries:
    return next(s for s in trend.series if s.kpi.key == key)


def test_the_trend_carries_limits_floors_and_the_year_before(
        trends: tuple[Trend, Trend]) -> None:
    closing, looked_up = trends
    assert closing == looked_up  # the close reads back only as far as the year before needs
    assert closing.months == MONTHS
    churn, arrears = series_of(closing, "churn_rate"), series_of(closing, "arrears_recovery")
    assert churn.limit_max == [D("3.0")] * 12
    assert churn.limit_min == [None] * 12
    assert arrears.limit_min == [None, None] + [D("98.0")] * 10  # in force from January
    for series in closing.series:
        assert series.year_before[:11] == series.actual[:11]  # the same figures, a year before
    assert churn.year_before[11] is not None  # October 2025, from the example itself


def test_the_axis_holds_the_arrears_floor(trends: tuple[Trend, Trend]) -> None:
    arrears = series_of(trends[0], "arrears_recovery")
    lowest = min(v for v in arrears.actual if v is not None)
    assert lowest > D("98.0")  # the figures alone would start the axis above the floor
    shown = panel(arrears, "en")
    floor = shown.line("floor")
    assert floor is not None
    assert floor.label == "floor 98.0%"
    assert math.isnan(floor.values[0])
    assert floor.values[2:] == (98.0,) * 10
    assert shown.low < 98.0 < float(lowest) < shown.high
    assert shown.percent


def test_the_loss_rate_spike_is_drawn_against_its_limit(trends: tuple[Trend, Trend]) -> None:
    churn = series_of(trends[0], "churn_rate")
    assert churn.actual[-1] == D("3.40")
    shown = panel(churn, "en")
    limit = shown.line("limit")
    assert limit is not None
    assert limit.label == "limit 3.00%"
    assert shown.low < 3.0 < 3.4 < shown.high
    calm = TrendSeries(churn.kpi, [D("1.2"), D("1.76")], [None, None], limit_max=[D(3)] * 2)
    calm_panel = panel(calm, "en")
    assert calm_panel.low < 1.2
    assert 3.0 < calm_panel.high < 3.5  # the limit stays in sight, with a little room


def test_every_series_reaches_its_panel(trends: tuple[Trend, Trend]) -> None:
    figure = trend_figure(trends[0], "en", "Northfield")
    legends = []
    for axes in figure.axes:
        legend = axes.get_legend()
        assert legend is not None
        legends.append([text.get_text() for text in legend.get_texts()])
        low, high = axes.get_ylim()
        drawn = [v for line in axes.get_lines() for v in ydata(line) if not math.isnan(v)]
        assert low <= min(drawn)
        assert max(drawn) <= high
    assert legends == [
        ["actual", "target", "a year before"],  # business income
        ["actual", "target", "a year before"],  # broadband
        ["actual", "a year before", "limit 3.00%"],
        ["actual", "a year before", "floor 98.0%"]]


def test_a_missing_month_is_a_gap_never_zero(example: Config) -> None:
    revenue = example.kpi_by_key["revenue"]
    series = TrendSeries(revenue, [D(5), None, D(7)], [D(6), D(6), None],
                         year_before=[None, D(4), D(5)])
    shown = panel(series, "en")
    actual, target = shown.line("actual"), shown.line("target")
    assert actual is not None
    assert target is not None
    assert actual.values[:1] == (5.0,)
    assert math.isnan(actual.values[1])
    assert math.isnan(target.values[2])
    assert shown.line("limit") is None
    assert shown.line("floor") is None
    assert shown.low > 0  # no zero dragged in for the missing month
    trend = Trend([Month(2026, m) for m in (8, 9, 10)], [series])
    [axes] = trend_figure(trend, "en", "Revenue").axes
    drawn = {line.get_label(): ydata(line) for line in axes.get_lines()}
    assert math.isnan(drawn["actual"][1])
    assert math.isnan(drawn["a year before"][0])


def test_a_kpi_chart_without_limits_draws_actual_and_target(example: Config) -> None:
    kpi = example.kpi_by_key["churn_rate"]
    trend = Trend(MONTHS[:3], [TrendSeries(kpi, [D("1.5"), D("1.7"), None], [D(2)] * 3)])
    [axes] = trend_figure(trend, "en", "Loss rate").axes
    legend = axes.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["actual", "target"]
    assert all(label.get_text().endswith("%") for label in axes.get_yticklabels())


def test_the_png_is_as_wide_as_a_phone_shows_it_sharp(trends: tuple[Trend, Trend]) -> None:
    png = trend_png(trends[0], "en", "Northfield · headline KPIs")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == 1200
    assert 4 * 500 < height < 4 * 800  # one panel a row, stacked


def test_labels_tick_in_the_unit_and_step_across_months(trends: tuple[Trend, Trend]) -> None:
    assert tick_labels((98.0, 98.5, 99.0), "en", percent=True) == {
        98.0: "98.0%", 98.5: "98.5%", 99.0: "99.0%"}
    assert tick_labels((98.0, 99.0), "de", percent=True) == {98.0: "98%", 99.0: "99%"}
    assert list(tick_labels((9e6, 1e7), "en").values()) == ["9M", "10M"]
    assert month_labels(trends[0], "en")[:3] == ["Nov\n2025", "Dec", "Jan\n2026"]
    every_other = month_labels(trends[0], "en", every=2)
    assert every_other[-3:] == ["Aug", "", "Oct"]
    assert every_other[:4] == ["", "Dec\n2025", "", "Feb\n2026"]
    xs, ys = step_points([3.0, math.nan, 2.5])
    assert xs == [-0.5, 0.5, 0.5, 1.5, 1.5, 2.5]
    assert ys[:2] == [3.0, 3.0]
    assert math.isnan(ys[2])
    assert ys[4:] == [2.5, 2.5]
