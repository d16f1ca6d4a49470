"""How the digest's figures read: changes of % KPIs in points, lower-is-better attainment."""

from __future__ import annotations

from decimal import Decimal as D

from summaries.digest.text import attainment_text, change_text, row_text
from tests.support.enginekit import Data, cell, org


def test_a_percentage_kpi_changes_in_points_everything_else_relatively() -> None:
    data = Data().series("solo", "churn", "2026-09", ["1.76", "3.40"])
    data.series("solo", "revenue", "2026-09", [1000, 1250])
    report = data.evaluate()
    config = org()
    churn = cell(report, "solo", "churn")
    assert churn.mom == D("1.64")  # points, not +93.2%
    assert change_text(churn.mom, config.kpi_by_key["churn"], "en") == "+1.64 pts"
    revenue = cell(report, "solo", "revenue")
    assert change_text(revenue.mom, config.kpi_by_key["revenue"], "en") == "+25.0%"
    assert row_text(config.kpi_by_key["churn"], churn, "en").mom == "+1.64 pts"


def test_lower_is_better_attainment_reads_as_over_or_under_the_target() -> None:
    data = Data().series("solo", "churn", "2026-10", ["2.80"])
    data.target("monthly", "churn", "2.00", dept="solo", month="2026-10")
    config = org()
    churn = config.kpi_by_key["churn"]
    over = cell(data.evaluate(), "solo", "churn")
    assert over.attainment == D("1.4")  # exports keep actual / target
    assert attainment_text(over, churn, "en") == "40.0% over target"
    data.series("solo", "churn", "2026-10", ["1.50"])
    under = cell(data.evaluate(), "solo", "churn")
    assert attainment_text(under, churn, "en") == "25.0% under target"
    revenue = Data().series("solo", "revenue", "2026-10", [1400])
    revenue.target("monthly", "revenue", 1000, dept="solo", month="2026-10")
    assert attainment_text(cell(revenue.evaluate(), "solo", "revenue"),
                           config.kpi_by_key["revenue"], "en") == "140.0%"


def test_a_figure_counts_as_revised_only_once_it_changed_after_it_was_first_given() -> None:
    from datetime import UTC, datetime

    from summaries.digest.load import figure_revisions
    from summaries.digest.model import RevisionRow

    first, later = datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 9, tzinfo=UTC)
    trail = [RevisionRow("east", "kpi:revenue", None, "100", "submitted", "U0EAST", first),
             RevisionRow("east", "kpi:orders", None, "5", "submitted", "U0EAST", first),
             RevisionRow("east", "section:sales", None, "Fine.", "submitted", "U0EAST", first),
             RevisionRow("east", "section:sales", "Fine.", "Good.", "submitted", "U0EAST",
                         later),
             RevisionRow("east", "kpi:revenue", "100", "90", "csv", "import:fix.csv", later)]
    assert figure_revisions(trail) == {("east", "revenue"): (later, "import:fix.csv")}
