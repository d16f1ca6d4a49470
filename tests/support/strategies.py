"""Hypothesis strategies and checks shared by the engine's property tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from hypothesis import strategies as st

from summaries.engine.flags import FlagSpec

STATUSES = (None, "green", "amber", "red")
# Stored figures are NUMERIC(28, 8): twenty digits before the point, eight after.
LARGEST = Decimal(10) ** 20 - Decimal("1e-8")
K = TypeVar("K")
V = TypeVar("V")

amounts = st.one_of(
    st.just(Decimal(0)),
    st.sampled_from([Decimal(0), Decimal(1), Decimal(-1), Decimal("0.00000001"), Decimal(100),
                     LARGEST, -LARGEST]),
    st.decimals(min_value=-1000, max_value=1000, places=2),
    st.decimals(min_value=-LARGEST, max_value=LARGEST, places=8),
    # many decimals, beyond what storage keeps
    st.decimals(min_value=-10**6, max_value=10**6, allow_nan=False, allow_infinity=False),
)
weights = st.lists(st.one_of(st.just(Decimal(0)), st.decimals(min_value=0, max_value=100,
                                                               places=2)),
                   min_size=12, max_size=12).filter(lambda w: sum(w) > 0).map(tuple)
tolerances = st.decimals(min_value=0, max_value=100, places=3)


def assert_mirrored(higher: str | None, lower: str | None, gap_higher: Decimal | None,
                    allowed: Decimal) -> None:
    """Bands of the same comparison under ``better: higher`` and ``better: lower``.

    Red or amber under one direction is green under the other; green under one with a gap
    strictly beyond the tolerance is red under the other; both exist or neither does.
    """
    assert (higher is None) == (lower is None)
    if higher is None:
        return
    assert gap_higher is not None
    for one, other, signed in ((higher, lower, gap_higher), (lower, higher, -gap_higher)):
        if one in ("red", "amber"):
            assert other == "green"
        if one == "green" and signed > allowed:
            assert other == "red"
        if one == "green" and 0 < signed <= allowed:
            assert other == "amber"
        if signed == 0:
            assert one == other == "green"


def figure_table(found: Mapping[tuple[str, str, str], Decimal]
                 ) -> dict[tuple[str, str], dict[str, Decimal]]:
    """Figures keyed by (department, KPI, month) as the engine's table by (department, KPI)."""
    table: dict[tuple[str, str], dict[str, Decimal]] = {}
    for (dept, kpi, month), value in found.items():
        table.setdefault((dept, kpi), {})[month] = value
    return table


def backwards(mapping: Mapping[K, V]) -> dict[K, V]:
    """The same mapping, its keys inserted in the opposite order."""
    return dict(list(mapping.items())[::-1])


def by_cell(flags: Sequence[FlagSpec]) -> dict[tuple[str, str], dict[str, str]]:
    """Severity of each rule's flag, by (department, KPI)."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for flag in flags:
        found.setdefault((flag.department, flag.kpi), {})[flag.rule] = flag.severity
    return found
