"""Evaluating a month: roll-ups, derived KPIs, YTD pacing, status and rankings."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from summaries.digest.text import row_text
from summaries.engine.report import evaluate
from summaries.engine.targets import TargetRow
from summaries.formatting import format_ratio
from summaries.periods import Month
from tests.support.enginekit import OCT, Data, cell, org

D = Decimal


def test_month_figures_against_the_monthly_target() -> None:
    report = (Data().figure("solo", "revenue", "2026-10", 5250)
              .figure("solo", "revenue", "2026-09", 5000)
              .figure("solo", "revenue", "2025-10", 4000)
              .target("monthly", "revenue", 5245, dept="solo", month="2026-10", stretch="6000")
              .evaluate())
    c = cell(report, "solo", "revenue")
    assert (c.actual, c.target, c.stretch) == (D(5250), D(5245), D(6000))
    assert format_ratio(c.attainment or D(0)) == "100.1%"
    assert format_ratio(c.stretch_attainment or D(0)) == "87.5%"
    assert (c.previous, c.mom) == (D(5000), D("0.05"))
    assert (c.year_ago, c.yoy) == (D(4000), D("0.3125"))
    assert (c.target_band, c.status, c.source) == ("green", "green", "submitted")


def test_annual_plan_paced_flat_off_pace_is_amber() -> None:
    # 61.68 million planned for the year, 50.13 million done by the end of October.
    data = Data().target("annual", "revenue", 61680000, dept="solo", year=2026)
    data.series("solo", "revenue", "2026-01", [5013000] * 10)
    c = cell(data.evaluate(), "solo", "revenue")
    assert c.ytd == D(50130000)
    assert (format_ratio(c.ytd_share or D(0)), format_ratio(c.pace_share or D(0))) == (
        "81.3%", "83.3%")
    assert (c.pace_band, c.status) == ("amber", "amber")
    assert c.target is None  # the plan never becomes a monthly target


def test_phs_sets_ahead_of_the_annual_plan() -> None:
    data = Data().target("annual", "orders", 3360, dept="n1", year=2026)
    data.series("n1", "orders", "2026-01", [500] * 9 + [523])
    c = cell(data.evaluate(), "n1", "orders")
    assert format_ratio(c.ytd_share or D(0)) == "149.5%"
    assert c.pace_band == "green"


def test_phasing_weights_set_the_pace() -> None:
    weights = [1] * 9 + [3] * 3  # most of the year's plan falls in the last quarter
    data = Data().target("annual", "revenue", 1800, dept="solo", year=2026, phasing=weights)
    data.series("solo", "revenue", "2026-01", [100] * 10)
    c = cell(data.evaluate(), "solo", "revenue")
    assert c.pace_share == D(12) / D(18)
    assert format_ratio(c.ytd_share or D(0)) == "55.6%"
    assert c.pace_band == "red"  # 55.6% done against 66.7% due


def test_no_pace_band_in_the_grace_months_but_shares_are_shown() -> None:
    data = Data().target("annual", "revenue", 1200, dept="solo", year=2026)
    data.figure("solo", "revenue", "2026-02", 10)
    c = cell(data.evaluate(month=Month(2026, 2)), "solo", "revenue")
    assert c.pace_share == D(1) / D(12)  # the one month reported (SPEC 4: like with like)
    assert c.ytd_share is not None
    assert (c.pace_band, c.status) == (None, None)
    c = cell(data.evaluate(config=org(grace=0), month=Month(2026, 2)), "solo", "revenue")
    assert c.pace_band == "red"


def test_fiscal_year_starting_in_april_uses_the_plan_of_the_year_it_starts_in() -> None:
    config = org(fiscal_year_start=4)
    data = Data().target("annual", "revenue", 1200, dept="solo", year=2026)
    data.target("annual", "revenue", 9999, dept="solo", year=2025)
    data.series("solo", "revenue", "2026-03", [500, 100, 100, 100, 100, 100, 100, 100])
    c = cell(data.evaluate(config=config), "solo", "revenue")
    assert c.ytd == D(700)  # April to October; March belongs to the fiscal year before
    assert c.annual_plan == D(1200)
    assert c.pace_share == D(7) / D(12)
    january = cell(data.evaluate(config=config, month=Month(2027, 1)), "solo", "revenue")
    assert january.annual_plan == D(1200)


def test_missing_actual_leaves_the_pace_band_standing() -> None:
    data = Data().target("annual", "revenue", 1200, dept="solo", year=2026)
    data.series("solo", "revenue", "2026-01", [50] * 9)
    c = cell(data.evaluate(), "solo", "revenue")
    assert c.actual is None
    assert c.ytd == D(450)
    assert (c.pace_band, c.status) == ("red", "red")


def test_control_limit_breached_is_red_even_with_a_met_target() -> None:
    data = Data().target("max", "churn", "3.0").figure("solo", "churn", "2026-10", "3.40")
    data.target("monthly", "churn", "5", dept="solo", month="2026-10")
    c = cell(data.evaluate(), "solo", "churn")
    assert (c.target_band, c.breach, c.status) == ("green", "max", "red")
    data = Data().target("max", "churn", "3.0").figure("solo", "churn", "2026-10", "1.09")
    c = cell(data.evaluate(), "solo", "churn")
    assert (c.breach, c.status) == (None, "green")


def test_floor_breached_is_red() -> None:
    data = Data().target("min", "recovery", "98.0", month="2026-01")
    data.figure("n1", "recovery", "2026-10", "97.5")
    c = cell(data.evaluate(), "n1", "recovery")
    assert (c.limit_min, c.breach, c.status) == (D("98.0"), "min", "red")


def test_percent_kpi_band_is_in_points_with_the_kpis_own_tolerance() -> None:
    data = Data().target("monthly", "recovery", "98", dept="n1", month="2026-10")
    data.target("monthly", "recovery", "98", dept="n2", month="2026-10")
    data.figure("n1", "recovery", "2026-10", "97.2").figure("n2", "recovery", "2026-10", "96.9")
    report = data.evaluate()
    assert cell(report, "n1", "recovery").target_band == "amber"  # 0.8 points, tolerance 1
    assert cell(report, "n2", "recovery").target_band == "red"  # 1.1 points


def test_roll_up_adds_sums_and_averages_means() -> None:
    data = Data()
    for dept, revenue, churn in (("n1", 100, "2.0"), ("n2", 300, "4.0"), ("n3", 50, None)):
        data.figure(dept, "revenue", "2026-10", revenue)
        if churn:
            data.figure(dept, "churn", "2026-10", churn)
    report = data.evaluate()
    revenue = cell(report, "north", "revenue")
    assert (revenue.actual, revenue.source, revenue.coverage) == (D(450), "rollup", (3, 3))
    churn = cell(report, "north", "churn")
    assert (churn.actual, churn.coverage) == (D(3), (2, 2))  # n3 does not report churn


def test_a_roll_up_waits_for_every_child_missing_is_never_zero() -> None:
    data = Data().figure("n1", "revenue", "2026-10", 100).figure("n2", "revenue", "2026-10", 300)
    data.target("monthly", "revenue", 500, dept="north", month="2026-10")
    revenue = cell(data.evaluate(), "north", "revenue")
    assert (revenue.actual, revenue.coverage) == (None, (2, 3))
    assert (revenue.attainment, revenue.status) == (None, None)


def test_a_parents_own_figure_wins_over_the_roll_up() -> None:
    data = Data().figure("n1", "revenue", "2026-10", 100).figure("north", "revenue", "2026-10", 7)
    c = cell(data.evaluate(), "north", "revenue")
    assert (c.actual, c.source, c.coverage) == (D(7), "submitted", None)


def test_last_kpis_add_up_in_a_roll_up_and_take_the_latest_month_for_ytd() -> None:
    data = Data().series("n1", "customers", "2026-08", [10, 12, 13])
    data.series("n2", "customers", "2026-08", [5, 6, None])
    report = data.evaluate()
    assert cell(report, "n2", "customers").ytd == D(6)
    assert cell(report, "north", "customers").actual is None
    assert cell(report, "north", "customers").ytd == D(18)  # September, the latest complete


def test_derived_kpi_is_a_ratio_of_sums_for_roll_ups_and_ytd() -> None:
    data = Data()
    data.series("n1", "revenue", "2026-09", [100, 900]).series("n1", "orders", "2026-09", [1, 9])
    data.series("n2", "revenue", "2026-09", [50, 30]).series("n2", "orders", "2026-09", [5, 3])
    data.series("n3", "revenue", "2026-09", [0, 70]).series("n3", "orders", "2026-09", [0, 3])
    report = data.evaluate()
    assert cell(report, "n1", "avg_order").actual == D(100)
    assert cell(report, "n1", "avg_order").ytd == D(1000) / D(10)
    north = cell(report, "north", "avg_order")
    assert north.actual == D(1000) / D(15)  # not the mean of 100, 10 and 23.33
    assert north.ytd == D(1150) / D(21)
    assert north.source == "derived"


def test_derived_kpi_without_an_input_or_dividing_by_zero_has_no_value() -> None:
    data = Data().figure("n1", "revenue", "2026-10", 100)
    data.figure("n2", "revenue", "2026-10", 100).figure("n2", "orders", "2026-10", 0)
    report = data.evaluate()
    assert cell(report, "n1", "avg_order").actual is None
    assert cell(report, "n1", "avg_order").missing_inputs == ("orders",)
    assert cell(report, "n2", "avg_order").actual is None
    assert cell(report, "n2", "avg_order").missing_inputs == ()


def test_siblings_are_ranked_by_attainment_signed_by_direction() -> None:
    data = Data()
    for dept, revenue, churn in (("n1", 90, "2"), ("n2", 120, "3"), ("n3", 120, None)):
        data.figure(dept, "revenue", "2026-10", revenue)
        data.target("monthly", "revenue", 100, dept=dept, month="2026-10")
        if churn:
            data.figure(dept, "churn", "2026-10", churn)
            data.target("monthly", "churn", "2.5", dept=dept, month="2026-10")
    report = data.evaluate()
    ranks = {d: (cell(report, d, "revenue").rank, cell(report, d, "revenue").rank_of)
             for d in ("n1", "n2", "n3")}
    assert ranks == {"n1": (3, 3), "n2": (1, 3), "n3": (1, 3)}  # a tie shares the rank
    assert cell(report, "n1", "churn").rank == 1  # lower loss is better
    assert cell(report, "n2", "churn").rank == 2
    assert cell(report, "solo", "revenue").rank is None


def test_a_red_streak_counts_consecutive_red_months() -> None:
    data = Data().series("solo", "revenue", "2026-07", [50, 50, 50, 50])
    for month in ("2026-07", "2026-08", "2026-09", "2026-10"):
        data.target("monthly", "revenue", 100, dept="solo", month=month)
    assert cell(data.evaluate(), "solo", "revenue").red_streak == 3
    data.figure("solo", "revenue", "2026-09", 100)
    assert cell(data.evaluate(), "solo", "revenue").red_streak == 1


@pytest.mark.parametrize(("better", "expected"), [("higher", "red"), ("lower", "green")])
def test_direction_signs_the_status(better: str, expected: str) -> None:
    data = Data().figure("solo", "revenue", "2026-10", 80)
    data.target("monthly", "revenue", 100, dept="solo", month="2026-10")
    assert cell(data.evaluate(config=org(revenue_better=better)), "solo", "revenue").status == (
        expected)


def test_nothing_reported_gives_empty_cells_not_zeros() -> None:
    report = Data().target("monthly", "revenue", 100, dept="solo", month="2026-10").evaluate()
    c = cell(report, "solo", "revenue")
    assert (c.actual, c.attainment, c.mom, c.ytd, c.status) == (None, None, None, None, None)
    assert report.submitted_count == 0


def test_headline_figures_add_up_top_level_departments_and_their_plans() -> None:
    data = Data().figure("n1", "revenue", "2026-10", 100).figure("solo", "revenue", "2026-10", 50)
    data.figure("n2", "revenue", "2026-10", 0).figure("n3", "revenue", "2026-10", 0)
    data.target("monthly", "revenue", 200, dept="north", month="2026-10")
    data.target("monthly", "revenue", 100, dept="solo", month="2026-10")
    data.target("annual", "revenue", 1200, dept="north", year=2026)
    data.target("annual", "revenue", 1200, dept="solo", year=2026)
    [headline] = data.evaluate().headline
    assert (headline.kpi, headline.actual, headline.target) == ("revenue", D(150), D(300))
    assert headline.attainment == D("0.5")
    assert headline.annual_plan == D(2400)
    assert headline.pace_share == D(1) / D(12)  # October is the only month with figures
    assert headline.status == "red"


def test_evaluating_a_subset_of_departments() -> None:
    data = Data().figure("n1", "revenue", "2026-10", 100).figure("n2", "revenue", "2026-10", 50)
    data.figure("n3", "revenue", "2026-10", 0)
    everyone = data.evaluate()
    assert [d.key for d in everyone.departments] == ["north", "n1", "n2", "n3", "solo"]
    north = evaluate(org(), OCT, data.inputs(), closed=False, departments=["north"])
    assert [d.key for d in north.departments] == ["north"]
    assert cell(north, "north", "revenue").actual == D(150)


def test_a_month_not_reported_is_missing_not_also_off_pace() -> None:
    # Ahead of pace through September (75.0% of the plan against 75.0% due); October's figure
    # is missing. Pace counts the months reported, so October is missing, not off pace.
    data = Data().target("annual", "revenue", 1200, dept="solo", year=2026)
    data.series("solo", "revenue", "2026-01", [100] * 9)
    report = data.evaluate(closed=True)
    c = cell(report, "solo", "revenue")
    assert (c.actual, c.ytd, c.ytd_share) == (None, D(900), D("0.75"))
    assert c.pace_share == D(9) / D(12)
    assert c.pace_band == "green"
    solo = report.department("solo")
    assert solo is not None
    assert {f.rule for f in solo.flags} == {"missing"}  # no off_pace beside it
    september = cell(data.evaluate(month=Month(2026, 9)), "solo", "revenue")
    assert (september.ytd_share, september.pace_share) == (D("0.75"), D(9) / D(12))


def test_pace_with_phasing_counts_the_weights_of_the_months_reported() -> None:
    weights = [1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1, 1]  # October weighs three months
    data = Data().target("annual", "revenue", 1400, dept="solo", year=2026, phasing=weights)
    data.series("solo", "revenue", "2026-01", [100] * 9)  # October not reported
    c = cell(data.evaluate(), "solo", "revenue")
    assert c.pace_share == D(9) / D(14)  # October's three weights are not due yet
    data.figure("solo", "revenue", "2026-10", 300)
    assert cell(data.evaluate(), "solo", "revenue").pace_share == D(12) / D(14)


def test_a_parent_without_its_own_monthly_target_sums_its_childrens() -> None:
    data = Data()
    for dept, value, target in (("n1", 90, 100), ("n2", 120, 100), ("n3", 40, 50)):
        data.figure(dept, "revenue", "2026-10", value)
        data.target("monthly", "revenue", target, dept=dept, month="2026-10")
    data.target("monthly", "churn", "2.00", dept="n1", month="2026-10")
    data.target("monthly", "churn", "2.00", dept="n2", month="2026-10")
    north = cell(data.evaluate(), "north", "revenue")
    assert (north.actual, north.target, north.attainment) == (D(250), D(250), D(1))
    assert cell(data.evaluate(), "north", "churn").target is None  # a mean KPI: no roll-up
    data.target("monthly", "revenue", 260, dept="north", month="2026-10")
    assert cell(data.evaluate(), "north", "revenue").target == D(260)  # its own wins


def test_a_parent_target_waits_for_every_child_carrying_the_kpi() -> None:
    data = Data()
    data.target("monthly", "revenue", 100, dept="n1", month="2026-10")
    data.target("monthly", "revenue", 100, dept="n2", month="2026-10")
    assert cell(data.evaluate(), "north", "revenue").target is None  # n3 has none
    [headline] = data.target("monthly", "revenue", 50, dept="solo",
                             month="2026-10").evaluate().headline
    assert headline.target is None  # nor has the organization, through north
    data.target("monthly", "revenue", 50, dept="n3", month="2026-10")
    [headline] = data.evaluate().headline
    assert headline.target == D(300)  # north's 250, rolled up, and solo's 50


def test_annual_plans_roll_up_with_their_phasing_weighted_by_plan() -> None:
    data = Data()
    data.target("annual", "revenue", 1200, dept="n1", year=2026)
    data.target("annual", "revenue", 1200, dept="n2", year=2026,
                phasing=[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])  # all due in December
    data.target("annual", "revenue", 600, dept="n3", year=2026)
    for dept in ("n1", "n2", "n3"):
        data.series(dept, "revenue", "2026-01", [10] * 10)
    north = cell(data.evaluate(), "north", "revenue")
    assert north.annual_plan == D(3000)
    # Ten months of n1's and n3's flat plans are due (1,500 of 3,000), none of n2's.
    assert north.pace_share == D(1500) / D(3000)


def test_a_plan_revised_from_a_month_leaves_the_months_before_it_as_they_were() -> None:
    data = Data().target("annual", "revenue", 1200, dept="solo", year=2026)
    data.series("solo", "revenue", "2026-01", [100] * 10)
    march_before = cell(data.evaluate(month=Month(2026, 3)), "solo", "revenue")
    data.targets.append(TargetRow("annual", "revenue", "solo", "2026-09", 2026, D(2400), None,
                                  None, datetime(2026, 9, 2, tzinfo=UTC), 99))
    march_after = cell(data.evaluate(month=Month(2026, 3)), "solo", "revenue")
    assert (march_after.annual_plan, march_after.ytd_share, march_after.status) == (
        march_before.annual_plan, march_before.ytd_share, march_before.status)
    assert march_after.annual_plan == D(1200)
    october = cell(data.evaluate(), "solo", "revenue")
    assert october.annual_plan == D(2400)  # in force from September


def test_a_parent_with_its_own_figure_shows_its_childrens_total_where_it_differs() -> None:
    data = Data().figure("north", "revenue", "2026-10", 500)
    for dept in ("n1", "n2", "n3"):
        data.figure(dept, "revenue", "2026-10", 100)
    north = cell(data.evaluate(), "north", "revenue")
    assert (north.actual, north.source, north.children_total) == (D(500), "submitted", D(300))
    row = row_text(org().kpi_by_key["revenue"], north, "en")
    assert row.actual == "500 CNY (its departments: 300 CNY)"
    data.figure("north", "revenue", "2026-10", 300)
    assert cell(data.evaluate(), "north", "revenue").children_total is None  # they agree
