"""A KPI as one line of a confirmation or reply: partial roll-ups and lower-is-better."""

from __future__ import annotations

from bot.blocks.kpis import cell_line
from tests.support.enginekit import Data, cell, org


def test_a_roll_up_waiting_for_a_child_says_how_many_reported_not_a_partial_figure() -> None:
    data = Data().figure("n1", "revenue", "2026-10", 100).figure("n2", "revenue", "2026-10", 80)
    data.target("annual", "revenue", 1200, dept="north", year=2026)
    report = data.evaluate()
    north = cell(report, "north", "revenue")
    assert north.actual is None  # n3 has not reported: no sum of part of the children
    line = cell_line(north, org().kpi_by_key["revenue"], "en")
    assert "\u2014 (2 of 3 departments reported)" in line
    north_flags = report.department("north")
    assert north_flags is not None
    assert [f.rule for f in north_flags.flags if f.kpi == "revenue"] == []  # no false red


def test_a_lower_is_better_kpi_reads_over_or_under_its_target() -> None:
    data = Data().figure("solo", "churn", "2026-10", "2.80")
    data.target("monthly", "churn", "2.00", dept="solo", month="2026-10")
    line = cell_line(cell(data.evaluate(), "solo", "churn"), org().kpi_by_key["churn"], "en")
    assert "target 2.00% (40.0% over target)" in line


def test_the_home_tabs_month_line_says_a_roll_up_waits_for_a_child() -> None:
    from bot.blocks.kpis import compact_cell

    data = Data().figure("n1", "revenue", "2026-10", 100).figure("n2", "revenue", "2026-10", 80)
    north = cell(data.evaluate(), "north", "revenue")
    assert compact_cell(north, org().kpi_by_key["revenue"], "en") == (
        "\u2014 (2 of 3 departments reported)")
