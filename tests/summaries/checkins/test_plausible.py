"""Which figures are asked about before they are stored: more than rules.plausibility times
above or below last month's, in either direction, % KPIs by their points."""

from __future__ import annotations

from decimal import Decimal

import pytest

from summaries.checkins.plausible import fingerprint, implausible
from summaries.config.schema import Config
from tests.support.configtext import edited, line_of, problems


@pytest.mark.parametrize(("value", "previous", "asked"), [
    ("10592160", "1059216", True),   # ten times
    ("3177648", "1059216", False),   # exactly three times: within
    ("3177649", "1059216", True),
    ("353072", "1059216", False),    # a third, about
    ("100000", "1059216", True),     # a tenth
    ("0", "1059216", True),          # nothing at all
    ("-5", "120", True),             # the other sign
    ("5", None, False),              # no last month: nothing to compare with
    ("5", "0", False),               # nor with zero
    (None, "120", False),            # left empty
])
def test_a_figure_is_asked_about_beyond_the_factor(config: Config, value: str | None,
                                                   previous: str | None, asked: bool) -> None:
    kpis = {"revenue": config.kpi_by_key["revenue"]}
    found = implausible(Decimal(3), kpis,
                        {"revenue": Decimal(value) if value is not None else None},
                        {"revenue": Decimal(previous) if previous is not None else None})
    assert bool(found) is asked


def test_a_percentage_slip_is_caught_by_its_points(config: Config) -> None:
    kpis = {"churn_rate": config.kpi_by_key["churn_rate"]}
    found = implausible(Decimal(3), kpis, {"churn_rate": Decimal("0.034")},
                        {"churn_rate": Decimal("3.4")})
    assert [f.ratio for f in found] == [Decimal("0.01")]


def test_the_fingerprint_names_exactly_the_figures_shown(config: Config) -> None:
    kpis = {"revenue": config.kpi_by_key["revenue"]}
    ten = implausible(Decimal(3), kpis, {"revenue": Decimal(100)}, {"revenue": Decimal(10)})
    more = implausible(Decimal(3), kpis, {"revenue": Decimal(101)}, {"revenue": Decimal(10)})
    assert fingerprint(ten) == fingerprint(list(ten))
    assert fingerprint(ten) != fingerprint(more)


def test_plausibility_is_a_number_greater_than_one_reported_at_its_line() -> None:
    for bad in ("1", "0.5", "-3"):
        text = edited({"streak_months: 3 ": f"plausibility: {bad}\n  streak_months: 3 "})
        assert problems(text) == [
            f"checkin.yaml:{line_of(text, 'plausibility')}: rules.plausibility: must be a "
            "number greater than 1 (3 asks again about a figure more than 3\u00d7 or less "
            "than a third of last month's)"]
