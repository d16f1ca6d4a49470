"""Flags: which rule fires when, with what severity and sentence."""

from __future__ import annotations

from summaries.config.schema import Config
from summaries.engine.flags import FlagSpec
from summaries.engine.flagwords import flag_text
from summaries.engine.report import PeriodReport
from summaries.periods import Month
from tests.support.enginekit import Data, org


def flags_of(report: PeriodReport, dept: str, rule: str | None = None) -> list[FlagSpec]:
    result = report.department(dept)
    assert result is not None
    return [f for f in result.flags if rule is None or f.rule == rule]


def only(report: PeriodReport, dept: str, rule: str) -> FlagSpec:
    [flag] = flags_of(report, dept, rule)
    return flag


def said(flag: FlagSpec, config: Config | None = None) -> str:
    """The flag's sentence as the test organization's reader reads it."""
    return flag_text(flag, config or org())


def test_control_limit_breach_is_red_with_a_plain_sentence() -> None:
    report = (Data().target("max", "churn", "3.0")
              .figure("solo", "churn", "2026-10", "3.40").evaluate())
    flag = only(report, "solo", "threshold")
    assert (flag.kpi, flag.severity) == ("churn", "red")
    assert said(flag) == "Loss rate 3.40% is above the 3.00% control limit."


def test_floor_breach_names_the_floor() -> None:
    report = (Data().target("min", "recovery", "98", month="2026-01")
              .figure("n1", "recovery", "2026-10", "97.5").evaluate())
    assert said(only(report, "n1", "threshold")) == (
        "Recovery rate 97.5% is below the 98.0% floor.")


def test_below_target_severity_follows_the_band() -> None:
    data = Data().figure("n1", "revenue", "2026-10", 2150000)
    data.target("monthly", "revenue", 2400000, dept="n1", month="2026-10")
    data.figure("n2", "revenue", "2026-10", 97).target("monthly", "revenue", 100, dept="n2",
                                                         month="2026-10")
    report = data.evaluate()
    red = only(report, "n1", "below_target")
    assert red.severity == "red"
    assert said(red) == "Revenue 2,150,000 CNY is 10.4% below the 2,400,000 CNY target."
    assert only(report, "n2", "below_target").severity == "amber"


def test_below_target_for_a_percent_kpi_speaks_in_points() -> None:
    report = (Data().target("monthly", "churn", "2.0", dept="solo", month="2026-10")
              .figure("solo", "churn", "2026-10", "8.25").evaluate())
    assert said(only(report, "solo", "below_target")) == (
        "Loss rate 8.25% is 6.25 points above the 2.00% target.")


def test_met_targets_and_unbreached_limits_raise_nothing() -> None:
    data = Data().target("max", "churn", "3.0").figure("solo", "churn", "2026-10", "1.09")
    data.target("monthly", "revenue", 100, dept="solo", month="2026-10")
    data.figure("solo", "revenue", "2026-10", 100)
    assert flags_of(data.evaluate(), "solo") == []


def test_off_pace_sentence() -> None:
    data = Data().target("annual", "revenue", 61680000, dept="solo", year=2026)
    data.series("solo", "revenue", "2026-01", [5013000] * 10)
    flag = only(data.evaluate(), "solo", "off_pace")
    assert flag.severity == "amber"
    assert said(flag) == ("Revenue year to date is 81.3% of the annual plan, against 83.3% "
                            "due by 2026-10.")


def test_moves_against_the_direction_beyond_the_rule_are_flagged() -> None:
    data = Data().series("solo", "revenue", "2025-10", [1000] + [None] * 10 + [1250, 800])
    flag = only(data.evaluate(), "solo", "mom_change")
    assert flag.severity == "amber"
    assert said(flag) == "Revenue fell 36.0% from last month (1,250 CNY → 800 CNY)."
    assert said(only(data.evaluate(), "solo", "yoy_change")) == (
        "Revenue fell 20.0% from the same month last year (1,000 CNY → 800 CNY).")
    data.figure("solo", "revenue", "2026-10", 850)  # exactly 15% down: not beyond the rule
    assert flags_of(data.evaluate(), "solo", "yoy_change") == []


def test_moves_in_the_good_direction_or_within_the_rule_are_not_flagged() -> None:
    data = Data().series("solo", "revenue", "2026-09", [100, 180])  # up is good
    data.series("solo", "churn", "2026-09", ["2.00", "2.50"])  # up 25%, but 0.5 points
    assert flags_of(data.evaluate(), "solo") == []  # a % KPI's rule is in points: 20
    data.series("solo", "churn", "2026-09", ["2.00", "23.50"])  # up 21.5 points: worse
    assert said(only(data.evaluate(), "solo", "mom_change")) == (
        "Loss rate rose 21.50 points from last month (2.00% → 23.50%).")


def test_a_streak_of_red_months() -> None:
    data = Data().series("solo", "revenue", "2026-08", [50, 50, 50])
    for month in ("2026-08", "2026-09", "2026-10"):
        data.target("monthly", "revenue", 100, dept="solo", month=month)
    flag = only(data.evaluate(), "solo", "streak")
    assert (flag.severity, said(flag)) == ("red", "Revenue has been red for 3 months in a row.")


def test_missing_only_once_the_period_is_closed() -> None:
    data = Data().submitted("n1")
    assert flags_of(data.evaluate(), "solo", "missing") == []
    closed = data.evaluate(closed=True)
    assert said(only(closed, "solo", "missing")) == (
        "Solo Office has not submitted its summary for 2026-10.")
    assert flags_of(closed, "n1", "missing") == []


def test_a_late_submission_is_flagged_and_not_missing() -> None:
    report = Data().submitted("solo", status="late").evaluate(closed=True)
    assert only(report, "solo", "late").severity == "amber"
    assert flags_of(report, "solo", "missing") == []


def test_each_line_of_a_raise_section_is_a_problem() -> None:
    text = "Tower permits delayed\n\n- Billing system slow\n  \nTower permits delayed\n"
    report = Data().submitted("solo", problems=text, sales="Need more\nstaff").evaluate()
    raised = flags_of(report, "solo", "raised")
    assert [said(f) for f in raised] == ["Problems and requests: Tower permits delayed",
                                           "Problems and requests: Billing system slow"]
    assert len({f.subject for f in raised}) == 2
    assert all(f.severity == "amber" and f.kpi == "" for f in raised)


def test_a_derived_kpi_that_cannot_be_computed_is_no_value() -> None:
    data = Data().submitted("n1").figure("n1", "revenue", "2026-10", 100)
    data.figure("n2", "revenue", "2026-10", 100).figure("n2", "orders", "2026-10", 0)
    report = data.evaluate()
    assert said(only(report, "n1", "no_value")) == (
        "Average order could not be calculated: no value for Orders.")
    assert said(only(report, "n2", "no_value")) == (
        "Average order could not be calculated: its formula divides by zero.")
    assert only(report, "n2", "no_value").severity == "info"
    assert flags_of(report, "north", "no_value") == []  # nothing reported, nothing to explain


def test_report_flags_are_in_severity_order() -> None:
    data = Data().submitted("solo", problems="Help").target("max", "churn", "3")
    data.figure("solo", "churn", "2026-10", "4")
    data.figure("n2", "revenue", "2026-10", 100).figure("n2", "orders", "2026-10", 0)
    severities = [f.severity for f in data.evaluate(month=Month(2026, 10)).flags]
    assert severities == sorted(severities, key=["red", "amber", "info"].index)
    assert severities[0] == "red"
    assert severities[-1] == "info"


def test_figures_in_sentences_follow_the_locale() -> None:
    data = Data().figure("n1", "revenue", "2026-10", 2150000)
    data.target("monthly", "revenue", 2400000, dept="n1", month="2026-10")
    german = org(locale="de")
    flag = only(data.evaluate(config=german), "n1", "below_target")
    assert said(flag, german) == (
        "Revenue 2.150.000 CNY is 10,4\xa0% below the 2.400.000 CNY target.")
