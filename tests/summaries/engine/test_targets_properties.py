"""Property-based tests of the comparison arithmetic (SPEC section 4), without an organization."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from summaries.engine.targets import accumulate, attainment, band, breach, gap, pace_share, worst
from tests.support.strategies import STATUSES, amounts, assert_mirrored, tolerances, weights


@settings(max_examples=300)
@given(actual=amounts, target=amounts, tolerance=tolerances, points=st.booleans())
def test_band_swaps_green_and_red_with_the_direction(
        actual: Decimal, target: Decimal, tolerance: Decimal, points: bool) -> None:
    higher = band(actual, target, "higher", tolerance, points)
    lower = band(actual, target, "lower", tolerance, points)
    allowed = tolerance if points else tolerance / 100
    assert_mirrored(higher, lower, gap(actual, target, "higher", points), allowed)
    assert band(actual, target, "none", tolerance, points) is None
    if not points and target == 0:
        assert higher is None


@settings(max_examples=200)
@given(actual=st.none() | amounts, target=st.none() | amounts)
def test_attainment_is_actual_over_target_exactly(actual: Decimal | None,
                                                  target: Decimal | None) -> None:
    found = attainment(actual, target)
    if actual is None or target is None or target == 0:
        assert found is None
    else:
        assert found == actual / target


@settings(max_examples=200)
@given(values=st.lists(st.none() | amounts, max_size=14))
def test_accumulate_skips_missing_months(values: list[Decimal | None]) -> None:
    present = [v for v in values if v is not None]
    if not present:
        for rule in ("sum", "mean", "last"):
            assert accumulate(values, rule) is None
        return
    assert accumulate(values, "sum") == sum(present, Decimal(0))
    assert accumulate(values, "mean") == sum(present, Decimal(0)) / len(present)
    assert accumulate(values, "last") == present[-1]
    for rule in ("sum", "mean", "last"):  # a month without a value changes nothing
        assert accumulate([None, *values, None], rule) == accumulate(present, rule)


@settings(max_examples=200)
@given(index=st.integers(1, 12), weight=st.decimals(min_value=Decimal("0.01"), max_value=10**6,
                                                    places=2), phasing=weights)
def test_pace_share_flat_and_phased(index: int, weight: Decimal,
                                    phasing: tuple[Decimal, ...]) -> None:
    flat = pace_share(range(1, index + 1), None)
    assert flat == Decimal(index) / 12
    assert pace_share(range(1, index + 1), (weight,) * 12) == flat
    assert pace_share(range(1, 13), phasing) == 1
    shares = [pace_share(range(1, i + 1), phasing) for i in range(1, 13)]
    assert all(s is not None and 0 <= s <= 1 for s in shares)
    assert shares == sorted(shares)  # type: ignore[type-var]
    assert pace_share(range(1, index + 1), (Decimal(0),) * 12) is None


@settings(max_examples=200)
@given(value=st.none() | amounts, limit_max=st.none() | amounts, limit_min=st.none() | amounts)
def test_a_breach_is_a_value_beyond_a_limit(value: Decimal | None, limit_max: Decimal | None,
                                             limit_min: Decimal | None) -> None:
    found = breach(value, limit_max, limit_min)
    over = value is not None and limit_max is not None and value > limit_max
    under = value is not None and limit_min is not None and value < limit_min
    assert (found is not None) == (over or under)
    if over:
        assert found == "max"


@given(statuses=st.lists(st.sampled_from(STATUSES), max_size=5))
def test_worst_is_the_worst_present(statuses: list[str | None]) -> None:
    found = worst(statuses)  # type: ignore[arg-type]
    present = [s for s in statuses if s is not None]
    if not present:
        assert found is None
    else:
        assert found == max(present, key=["green", "amber", "red"].index)
