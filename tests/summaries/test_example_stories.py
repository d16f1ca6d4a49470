"""The example organization's October 2026, loaded from its CSV history, tells its stories."""

from __future__ import annotations

from decimal import Decimal

import pytest

from summaries.checkins.evaluation import evaluate_period
from summaries.config.loader import load_config
from summaries.config.schema import Config
from summaries.engine.flagwords import flag_text
from summaries.engine.report import PeriodReport
from summaries.formatting import format_ratio
from tests.support.enginekit import cell
from tests.support.importkit import EXAMPLES, example_database


@pytest.fixture(scope="module")
def example() -> Config:
    return load_config(EXAMPLES / "checkin.yaml")


@pytest.fixture(scope="module")
def october(example: Config) -> PeriodReport:
    # One load for the module: these tests read the report, the database is not under test.
    with example_database(example) as db:
        report = evaluate_period(db, example, "2026-10", closed=True)
    return report


def messages(report: PeriodReport, dept: str, rule: str) -> list[str]:
    return [flag_text(f) for f in report.flags if f.department == dept and f.rule == rule]


def test_key_accounts_loss_rate_breaks_the_control_limit(october: PeriodReport) -> None:
    churn = cell(october, "key-accounts", "churn_rate")
    assert (churn.actual, churn.status) == (Decimal("3.40"), "red")
    assert messages(october, "key-accounts", "threshold") == [
        "Key customer loss rate 3.40% is above the 3.00% control limit."]


def test_key_accounts_revenue_is_behind_the_annual_plan(october: PeriodReport) -> None:
    revenue = cell(october, "key-accounts", "revenue")
    assert revenue.annual_plan == Decimal(61680000)
    assert format_ratio(revenue.ytd_share or Decimal(0)) == "81.3%"
    assert format_ratio(revenue.pace_share or Decimal(0)) == "83.3%"
    assert revenue.pace_band == "amber"


def test_west_county_arrears_recovery_is_under_the_floor(october: PeriodReport) -> None:
    assert messages(october, "west-county", "threshold") == [
        "Arrears recovery rate 96.9% is below the 98.0% floor."]


def test_north_county_revenue_has_three_red_months(october: PeriodReport) -> None:
    assert messages(october, "north-county", "streak") == [
        "Business income has been red for 3 months in a row."]


def test_marketing_shows_its_counties_rolled_up(october: PeriodReport) -> None:
    counties = [cell(october, d, "revenue").actual
                for d in ("east-county", "west-county", "north-county")]
    marketing = cell(october, "marketing", "revenue")
    assert marketing.actual == sum((c or Decimal(0) for c in counties), Decimal(0))
    assert marketing.coverage == (3, 3)
    assert [cell(october, d, "revenue").rank for d in ("east-county", "west-county",
                                                       "north-county")] == [1, 2, 3]


def test_nobody_submitted_in_the_imported_history(october: PeriodReport,
                                                  example: Config) -> None:
    assert october.submitted_count == 0
    assert len([f for f in october.flags if f.rule == "missing"]) == len(example.departments)
    assert cell(october, "east-county", "revenue").source == "imported"
