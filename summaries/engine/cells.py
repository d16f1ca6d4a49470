"""Evaluate one month for every department and KPI (SPEC section 4), from figures and targets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from summaries.config.schema import Config, Kpi
from summaries.engine.cell import Cell
from summaries.engine.figurebook import FigureBook
from summaries.engine.targets import (
    AnnualPlan,
    Status,
    TargetBook,
    accumulate,
    attainment,
    band,
    breach,
    change,
    pace_share,
    points_change,
    ratio,
    worst,
)
from summaries.periods import Month


@lru_cache(maxsize=256)
def fiscal_months(month: Month, start: int) -> tuple[str, ...]:
    """The months of ``month``'s fiscal year up to and including it, as ``YYYY-MM``."""
    index = month.fiscal_index(start)
    return tuple(str(month.shift(i - index)) for i in range(1, index + 1))


def share(phasing: tuple[Decimal, ...] | None, month: int) -> Decimal:
    """The share of an annual plan due in fiscal month ``month`` (0-based): its phasing weight
    over all twelve, or a twelfth when flat."""
    if phasing is None:
        return Decimal(1) / 12
    total = sum(phasing, Decimal(0))
    return phasing[month] / total if total else Decimal(0)


@lru_cache(maxsize=256)
def month_key(month: Month, offset: int = 0) -> str:
    """``YYYY-MM`` of the month ``offset`` months from ``month``."""
    return str(month.shift(offset))


@dataclass(frozen=True)
class Pace:
    """The year-to-date components of one department, KPI and month."""

    ytd: Decimal | None
    plan: Decimal | None
    ytd_share: Decimal | None
    pace_share: Decimal | None
    band: Status | None


@dataclass
class Engine:
    """Compute cells from a figure book and a target book under the configuration's rules."""

    config: Config
    book: FigureBook
    targets: TargetBook
    _tolerance: dict[str, Decimal] = field(default_factory=dict)
    # Annual plans by department, KPI, fiscal year and month: a parent's sums its children's,
    # asked for at every cell and every month of a red streak (the books do not change).
    _plans: dict[tuple[str, str, int, str | None], AnnualPlan | None] = field(
        default_factory=dict)
    # Monthly targets the same way: a parent's adds up its children's, each of them asked for
    # its own cell too (and the organization's adds up everyone's).
    _monthly: dict[tuple[str, str, str], tuple[Decimal, Decimal | None] | None] = field(
        default_factory=dict)

    def tolerance(self, kpi: Kpi) -> Decimal:
        """The KPI's own tolerance, else the rule's (percent, or points for % KPIs)."""
        if kpi.key not in self._tolerance:
            own = kpi.tolerance
            self._tolerance[kpi.key] = own if own is not None else self.config.rules.tolerance
        return self._tolerance[kpi.key]

    def cell(self, dept: str, kpi: Kpi, month: Month) -> Cell:
        """The full comparison for one department, KPI and month."""
        key, period = kpi.key, month_key(month)
        book = self.book
        actual, source, coverage = book.shown(dept, key, period)
        cell = Cell(dept, key, period, actual, source, coverage=coverage,
                    missing_inputs=book.missing_inputs(dept, key, period)
                    if actual is None and kpi.formula else ())
        if source in ("submitted", "imported") and book.children_in(dept, period):
            below = book.children_total(dept, key, period)
            cell.children_total = below if below is not None and below != actual else None
        monthly = self.monthly_target(dept, kpi, period)
        if monthly is not None:
            cell.target, cell.stretch = monthly
            cell.attainment = attainment(actual, cell.target)
            cell.stretch_attainment = attainment(actual, cell.stretch)
        # A % KPI changes in points, any other relatively (SPEC 4).
        moved = points_change if kpi.is_percent else change
        cell.previous = book.value(dept, key, month_key(month, -1))
        cell.mom = moved(actual, cell.previous)
        cell.year_ago = book.value(dept, key, month_key(month, -12))
        cell.yoy = moved(actual, cell.year_ago)
        pace = self.pace(dept, kpi, month)
        cell.ytd, cell.annual_plan = pace.ytd, pace.plan
        cell.ytd_share, cell.pace_share, cell.pace_band = pace.ytd_share, pace.pace_share, pace.band
        cell.limit_max = self.targets.limit("max", key, dept, period)
        cell.limit_min = self.targets.limit("min", key, dept, period)
        cell.breach = breach(actual, cell.limit_max, cell.limit_min)
        cell.target_band = band(actual, cell.target, kpi.better, self.tolerance(kpi),
                                kpi.is_percent)
        cell.status = self._status(actual, cell.target_band, pace.band, cell.limit_max,
                                   cell.limit_min, cell.breach)
        cell.red_streak = self._red_streak(dept, kpi, month, cell.status)
        return cell

    def pace(self, dept: str, kpi: Kpi, month: Month) -> Pace:
        """YTD against the annual plan, and the pace band after the grace months."""
        start = self.config.organization.fiscal_year_start
        index = month.fiscal_index(start)
        months = fiscal_months(month, start)
        book = self.book
        shown = None if book.derived(kpi.key) else book.values(dept, kpi.key, months)
        ytd = book.ytd(dept, kpi.key, months) if shown is None else accumulate(
            shown, kpi.accumulate)
        plan = self.annual_plan(dept, kpi, month.fiscal_year(start), month_key(month))
        if plan is None:
            return Pace(ytd, None, None, None, None)
        # A mean or last KPI's plan is a level due every month, not a total built up over the
        # year: its whole plan is due from the first month (see the README's notes on pacing).
        # A sum KPI's share due counts the months the year to date holds: a month without a
        # figure is missing from both, so a month not reported is never also off pace.
        due: Decimal | None = Decimal(1)
        if kpi.accumulate == "sum":
            shown = shown if shown is not None else book.values(dept, kpi.key, months)
            reported = [n for n, value in enumerate(shown, 1) if value is not None]
            due = pace_share(reported, plan.phasing)
        share = ratio(ytd, plan.value)
        pace_band = None
        if index > self.config.rules.pacing_grace_months:
            pace_band = band(share, due, kpi.better, self.tolerance(kpi))
        return Pace(ytd, plan.value, share, due, pace_band)

    def _rolls_up(self, dept: str, kpi: Kpi, month: str | None) -> list[str] | None:
        """The children whose targets add up to ``dept``'s, for a total KPI (a ``sum`` KPI
        that is not derived) carried below it (and existing in ``month``, when given); None
        where targets do not roll up."""
        children = self.book.children_in(dept, month)
        if kpi.accumulate != "sum" or kpi.formula or not children:
            return None
        return [c for c in children if self.book.carries(c, kpi.key, month)
                and (month is None or self.book.exists(c, month))] or None

    def monthly_target(self, dept: str, kpi: Kpi, month: str
                       ) -> tuple[Decimal, Decimal | None] | None:
        """The monthly target and stretch: the department's own, else for a total KPI the sum
        of its children's, when every child carrying the KPI has one (SPEC 4)."""
        key = (dept, kpi.key, month)
        if key not in self._monthly:
            self._monthly[key] = self._monthly_target(dept, kpi, month)
        return self._monthly[key]

    def _monthly_target(self, dept: str, kpi: Kpi, month: str
                        ) -> tuple[Decimal, Decimal | None] | None:
        own = self.targets.monthly(kpi.key, dept, month)
        if own is not None:
            return own.value, own.stretch
        children = self._rolls_up(dept, kpi, month)
        if children is None:
            return None
        parts = [self.monthly_target(c, kpi, month) for c in children]
        if any(p is None for p in parts):
            return None
        found = [p for p in parts if p is not None]
        stretches = [s for _, s in found if s is not None]
        return (sum((v for v, _ in found), Decimal(0)),
                sum(stretches, Decimal(0)) if len(stretches) == len(found) else None)

    def annual_plan(self, dept: str, kpi: Kpi, fiscal_year: int,
                    month: str | None = None) -> AnnualPlan | None:
        """The annual plan: the department's own, else for a total KPI the sum of its
        children's plans, when every child carrying the KPI has one; its phasing is theirs,
        weighted by their plans, so the share due is the children's together."""
        key = (dept, kpi.key, fiscal_year, month)
        if key not in self._plans:
            self._plans[key] = self._annual_plan(dept, kpi, fiscal_year, month)
        return self._plans[key]

    def _annual_plan(self, dept: str, kpi: Kpi, fiscal_year: int,
                     month: str | None) -> AnnualPlan | None:
        own = self.targets.annual(kpi.key, dept, fiscal_year, month)
        if own is not None:
            return own
        children = self._rolls_up(dept, kpi, month)
        if children is None:
            return None
        plans = [self.annual_plan(c, kpi, fiscal_year, month) for c in children]
        if any(p is None for p in plans):
            return None
        found = [p for p in plans if p is not None]
        total = sum((p.value for p in found), Decimal(0))
        if all(p.phasing is None for p in found):
            return AnnualPlan(total, None)
        weights = [sum((p.value * share(p.phasing, n) for p in found), Decimal(0))
                   for n in range(12)]
        return AnnualPlan(total, tuple(weights))

    @staticmethod
    def _status(actual: Decimal | None, target_band: Status | None, pace_band: Status | None,
                limit_max: Decimal | None, limit_min: Decimal | None,
                breached: str | None) -> Status | None:
        limit: Status | None = None
        if actual is not None and (limit_max is not None or limit_min is not None):
            limit = "red" if breached else "green"
        return worst((target_band, pace_band, limit))

    def status(self, dept: str, kpi: Kpi, month: Month) -> Status | None:
        """Only the status of one department, KPI and month."""
        key, period = kpi.key, month_key(month)
        actual = self.book.value(dept, key, period)
        monthly = self.monthly_target(dept, kpi, period)
        target_band = None
        if monthly is not None:
            target_band = band(actual, monthly[0], kpi.better, self.tolerance(kpi),
                               kpi.is_percent)
        limit_max = self.targets.limit("max", key, dept, period)
        limit_min = self.targets.limit("min", key, dept, period)
        pace_band = None
        if self.annual_plan(dept, kpi, month.fiscal_year(
                self.config.organization.fiscal_year_start), str(month)) is not None:
            pace_band = self.pace(dept, kpi, month).band
        return self._status(actual, target_band, pace_band, limit_max, limit_min,
                            breach(actual, limit_max, limit_min))

    def _red_streak(self, dept: str, kpi: Kpi, month: Month, status: Status | None) -> int:
        wanted = self.config.rules.streak_months
        count = 0
        while count < wanted and (status if count == 0 else self.status(
                dept, kpi, month.shift(-count))) == "red":
            count += 1
        return count


def rank_siblings(cells: Iterable[Cell], parents: dict[str, str | None],
                  kpis: dict[str, Kpi]) -> None:
    """Rank departments that share a parent by attainment, per KPI (1 = best)."""
    groups: dict[tuple[str | None, str], list[Cell]] = {}
    for cell in cells:
        spec = kpis.get(cell.kpi)
        if cell.attainment is not None and spec is not None and spec.better != "none":
            groups.setdefault((parents.get(cell.department), cell.kpi), []).append(cell)
    for (_, kpi), group in groups.items():
        if len(group) < 2:
            continue
        sign = 1 if kpis[kpi].better == "lower" else -1
        ordered = sorted(group, key=lambda c: (sign * (c.attainment or 0), c.department))
        previous: Decimal | None = None
        rank = 0
        for position, cell in enumerate(ordered, start=1):
            if cell.attainment != previous:
                rank, previous = position, cell.attainment
            cell.rank, cell.rank_of = rank, len(ordered)
