"""The arithmetic of SPEC section 4, with the figures of the reports the product was modelled on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from summaries.engine.targets import (
    TargetBook,
    TargetRow,
    accumulate,
    attainment,
    band,
    breach,
    change,
    gap,
    pace_share,
    worst,
)
from summaries.formatting import format_ratio

D = Decimal
T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("actual", "target", "shown"),
    [
        ("5250", "5245", "100.1%"),  # fixed-line installations against plan
        ("5023", "3360", "149.5%"),  # PHS sets sold against the annual plan
        ("1449", "800", "181.1%"),  # class A broadband households
        ("50130000", "61680000", "81.3%"),  # revenue by October against the annual plan
    ],
)
def test_attainment_of_the_modelled_reports(actual: str, target: str, shown: str) -> None:
    value = attainment(D(actual), D(target))
    assert value is not None
    assert format_ratio(value) == shown


def test_attainment_is_empty_without_a_value_or_with_a_zero_target() -> None:
    assert attainment(None, D(10)) is None
    assert attainment(D(10), None) is None
    assert attainment(D(10), D(0)) is None
    assert attainment(D(0), D(10)) == 0  # a zero actual is a value, not missing


def test_attainment_ignores_direction_and_sign() -> None:
    assert attainment(D("3.4"), D("3.0")) == D("3.4") / D("3.0")
    assert attainment(D(-50), D(100)) == D("-0.5")


def test_change_is_relative_to_the_size_of_the_previous_value() -> None:
    assert change(D(120), D(100)) == D("0.2")
    assert change(D(80), D(100)) == D("-0.2")
    assert change(D(-50), D(-100)) == D("0.5")  # less negative is up
    assert change(D("3.40"), D("1.09")) == (D("3.40") - D("1.09")) / D("1.09")
    assert change(D(5), D(0)) is None
    assert change(None, D(5)) is None


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("sum", D(9)), ("mean", D(3)), ("last", D(4))],
)
def test_ytd_skips_months_without_a_value(rule: str, expected: Decimal) -> None:
    assert accumulate([D(2), None, D(3), D(4), None], rule) == expected


def test_ytd_of_nothing_is_empty_never_zero() -> None:
    assert accumulate([None, None], "sum") is None
    assert accumulate([], "mean") is None


def test_flat_pace_is_months_elapsed_over_twelve() -> None:
    assert format_ratio(pace_share(range(1, 11), None) or D(0)) == "83.3%"
    assert pace_share(range(1, 13), None) == 1


def test_phased_pace_sums_the_weights_so_far() -> None:
    weights = (D(1),) * 6 + (D(3),) * 6  # a back-loaded year
    assert pace_share(range(1, 7), weights) == D(6) / D(24)
    assert pace_share(range(1, 13), weights) == 1


def test_phasing_weights_of_zero_give_no_pace() -> None:
    assert pace_share(range(1, 4), (D(0),) * 12) is None


@pytest.mark.parametrize(
    ("actual", "target", "better", "expected"),
    [
        ("100", "100", "higher", "green"),
        ("96", "100", "higher", "amber"),  # 4% short, within 5%
        ("95", "100", "higher", "amber"),  # exactly at the tolerance
        ("94", "100", "higher", "red"),
        ("104", "100", "lower", "amber"),
        ("106", "100", "lower", "red"),
        ("90", "100", "lower", "green"),
        ("-90", "-100", "higher", "green"),  # gap relative to abs(target)
        ("90", "100", "none", None),
    ],
)
def test_relative_band(actual: str, target: str, better: str, expected: str | None) -> None:
    assert band(D(actual), D(target), better, D(5)) == expected


def test_percent_kpis_compare_in_points() -> None:
    # Arrears recovery 97.5% against a 98% target: 0.5 points short, the KPI allows 1 point.
    assert band(D("97.5"), D("98"), "higher", D(1), points=True) == "amber"
    assert band(D("96.9"), D("98"), "higher", D(1), points=True) == "red"
    # A loss rate 0.4 points over target with 5 points of tolerance is amber, not red.
    assert band(D("3.40"), D("3.00"), "lower", D(5), points=True) == "amber"
    assert gap(D("3.40"), D("3.00"), "lower", points=True) == D("-0.40")


def test_band_of_a_zero_target_is_empty_unless_in_points() -> None:
    assert band(D(5), D(0), "higher", D(5)) is None
    assert band(D(6), D(0), "lower", D(5), points=True) == "red"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1.09", None), ("3.40", "max"), ("3.0", None), ("97.5", "min"), ("98.0", None)],
)
def test_control_limits_and_floors(value: str, expected: str | None) -> None:
    limit_max = D("3.0") if D(value) < 10 else None
    limit_min = D("98.0") if D(value) >= 10 else None
    assert breach(D(value), limit_max, limit_min) == expected


def test_worst_status_ignores_missing_components() -> None:
    assert worst(["green", None, "amber"]) == "amber"
    assert worst([None, "red", "green"]) == "red"
    assert worst([None, None]) is None


def row(kind: str, value: str, *, department: str | None = "east", month: str | None = None,
        year: int | None = None, days: int = 0, stretch: str | None = None) -> TargetRow:
    return TargetRow(kind, "revenue", department, month, year, D(value),
                     D(stretch) if stretch else None, None, T0 + timedelta(days=days))


def test_a_later_monthly_target_replaces_an_earlier_one() -> None:
    book = TargetBook([row("monthly", "120", month="2026-10", days=5, stretch="130"),
                       row("monthly", "100", month="2026-10")])
    found = book.monthly("revenue", "east", "2026-10")
    assert found is not None
    assert (found.value, found.stretch) == (D(120), D(130))
    assert book.monthly("revenue", "east", "2026-09") is None
    assert book.monthly("revenue", "west", "2026-10") is None


def test_a_limit_holds_from_its_month_on_and_history_keeps_the_old_one() -> None:
    book = TargetBook([row("max", "3.0", department=None),
                       row("max", "2.5", department=None, month="2026-07", days=30)])
    assert book.limit("max", "revenue", "east", "2026-06") == D("3.0")
    assert book.limit("max", "revenue", "east", "2026-07") == D("2.5")
    assert book.limit("max", "revenue", "east", "2027-01") == D("2.5")
    assert book.limit("min", "revenue", "east", "2027-01") is None


def test_a_floor_starting_later_is_not_in_force_before() -> None:
    book = TargetBook([row("min", "98", department=None, month="2026-01")])
    assert book.limit("min", "revenue", "east", "2025-12") is None
    assert book.limit("min", "revenue", "east", "2026-01") == D(98)


def test_a_departments_own_limit_beats_the_one_for_everyone() -> None:
    book = TargetBook([row("max", "3.0", department=None, days=9),
                       row("max", "2.0", department="east")])
    assert book.limit("max", "revenue", "east", "2026-10") == D("2.0")
    assert book.limit("max", "revenue", "west", "2026-10") == D("3.0")


def test_a_limit_recorded_again_without_from_replaces_the_old_one_everywhere() -> None:
    book = TargetBook([row("max", "3.0", department=None),
                       row("max", "2.8", department=None, days=3)])
    assert book.limit("max", "revenue", "east", "2020-01") == D("2.8")


def test_annual_plans_are_found_by_fiscal_year() -> None:
    book = TargetBook([row("annual", "1000", year=2026), row("annual", "1200", year=2026, days=1)])
    plan = book.annual("revenue", "east", 2026)
    assert plan is not None
    assert plan.value == D(1200)
    assert book.annual("revenue", "east", 2025) is None
