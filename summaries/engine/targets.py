"""Comparison arithmetic of SPEC section 4 and the book of dated targets, with no storage in it.

Every function returns None ("no value") where an input is missing or a divisor is zero; a
missing figure is never read as zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from operator import attrgetter
from typing import Literal, NamedTuple

Status = Literal["green", "amber", "red"]
Direction = Literal["higher", "lower", "none"]
Accumulate = Literal["sum", "mean", "last"]
_RANK: dict[str, int] = {"green": 0, "amber": 1, "red": 2}
_HUNDRED = Decimal(100)


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator ÷ denominator, or None for a missing input or a zero divisor."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def attainment(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """actual ÷ target, whatever the KPI's direction."""
    return ratio(actual, target)


def change(actual: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """(actual - previous) ÷ abs(previous): month over month or year over year."""
    if actual is None or previous is None or previous == 0:
        return None
    return (actual - previous) / abs(previous)


def points_change(actual: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """actual - previous: the change of a ``%`` KPI, in points (1.76% to 3.40% is +1.64)."""
    if actual is None or previous is None:
        return None
    return actual - previous


def accumulate(values: Iterable[Decimal | None], rule: str) -> Decimal | None:
    """Year to date over months in order, skipping months without a value."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if rule == "sum":
        return sum(present, Decimal(0))
    if rule == "mean":
        return sum(present, Decimal(0)) / len(present)
    return present[-1]  # last: the latest month that has a value


def pace_share(fiscal_months: Iterable[int], phasing: Sequence[Decimal] | None
               ) -> Decimal | None:
    """Share of the annual plan due over ``fiscal_months`` (their numbers, 1..12): the months
    whose figures the year to date holds, so that pace compares like with like."""
    months = list(fiscal_months)
    if phasing is None:
        return Decimal(len(months)) / 12
    total = sum(phasing, Decimal(0))
    return ratio(sum((phasing[i - 1] for i in months), Decimal(0)), total)


def gap(actual: Decimal | None, target: Decimal | None, better: str,
        points: bool = False) -> Decimal | None:
    """How far ``actual`` is on the good side of ``target``: relative, or in points."""
    if actual is None or target is None or better == "none":
        return None
    if points:
        signed = actual - target
    else:
        if target == 0:
            return None
        signed = (actual - target) / abs(target)
    return -signed if better == "lower" else signed


def band(actual: Decimal | None, target: Decimal | None, better: str, tolerance: Decimal,
         points: bool = False) -> Status | None:
    """green on or past target, amber within ``tolerance`` (percent, or points), else red."""
    found = gap(actual, target, better, points)
    if found is None:
        return None
    if found >= 0:
        return "green"
    allowed = tolerance if points else tolerance / _HUNDRED
    return "amber" if found >= -allowed else "red"


def breach(value: Decimal | None, limit_max: Decimal | None,
           limit_min: Decimal | None) -> Literal["max", "min"] | None:
    """Which control limit (``max``) or floor (``min``) ``value`` breaks, if any."""
    if value is None:
        return None
    if limit_max is not None and value > limit_max:
        return "max"
    if limit_min is not None and value < limit_min:
        return "min"
    return None


def worst(statuses: Iterable[Status | None]) -> Status | None:
    """The worst of the statuses that exist; None when none does."""
    found: Status | None = None
    for status in statuses:
        if status is not None and (found is None or _RANK[status] > _RANK[found]):
            found = status
    return found


def severity_rank(status: str) -> int:
    """Order for sorting: red first, then amber, then anything else."""
    return -_RANK.get(status, -1)


class TargetRow(NamedTuple):
    """One stored target, in storage-free form (keys, not ids). A named tuple: a month reads
    tens of thousands, and a frozen dataclass costs six times as much to build."""

    kind: str  # monthly | annual | max | min
    kpi: str
    department: str | None  # None: every department (limits and floors only)
    month: str | None  # monthly: its month; max/min: from (None = every month)
    year: int | None
    value: Decimal
    stretch: Decimal | None
    phasing: tuple[Decimal, ...] | None
    recorded_at: datetime
    order: int = 0  # tie-break between rows recorded at the same instant


@dataclass(frozen=True)
class AnnualPlan:
    value: Decimal
    phasing: tuple[Decimal, ...] | None


class TargetBook:
    """The target in force for a KPI, department and month, from dated rows.

    A later row replaces an earlier one for the same month or year; a limit or floor holds from
    its ``from`` month on (every month without one); a department's own limit beats one for
    every department.
    """

    def __init__(self, rows: Iterable[TargetRow]) -> None:
        self._monthly: dict[tuple[str, str, str], TargetRow] = {}
        self._annual: dict[tuple[str, str, int], list[TargetRow]] = {}
        self._limits: dict[tuple[str, str, str | None], list[TargetRow]] = {}
        for row in sorted(rows, key=attrgetter("recorded_at", "order")):
            if row.kind == "monthly" and row.department and row.month:
                self._monthly[(row.kpi, row.department, row.month)] = row
            elif row.kind == "annual" and row.department and row.year is not None:
                self._annual.setdefault((row.kpi, row.department, row.year), []).append(row)
            elif row.kind in ("max", "min"):
                self._limits.setdefault((row.kind, row.kpi, row.department), []).append(row)
        for found in (*self._limits.values(), *self._annual.values()):
            # Latest "from" first; among equal ones the latest recorded (stable sort keeps order).
            found.reverse()
            found.sort(key=lambda r: r.month or "", reverse=True)

    def monthly(self, kpi: str, department: str, month: str) -> TargetRow | None:
        """The explicit monthly target (with its stretch), if any."""
        return self._monthly.get((kpi, department, month))

    def annual(self, kpi: str, department: str, fiscal_year: int,
               month: str | None = None) -> AnnualPlan | None:
        """The annual plan of the fiscal year starting in ``fiscal_year`` in force in ``month``:
        a revision ``from`` a later month leaves the months before it as they were (SPEC 4.2).
        Without ``month``, the plan in force at the year's end."""
        for row in self._annual.get((kpi, department, fiscal_year), ()):
            if row.month is None or month is None or row.month <= month:
                return AnnualPlan(row.value, row.phasing)
        return None

    def limit(self, kind: str, kpi: str, department: str, month: str) -> Decimal | None:
        """The control limit (``max``) or floor (``min``) in force, if any."""
        for owner in (department, None):
            for row in self._limits.get((kind, kpi, owner), ()):
                if row.month is None or row.month <= month:
                    return row.value
        return None
