"""Why the numbers moved and where the year ends (SPEC 4.1): contributors and projections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from summaries.config.schema import Kpi
from summaries.engine.cell import Cell
from summaries.engine.report import DepartmentResult

TOP_CONTRIBUTORS = 3


@dataclass(frozen=True)
class Contributors:
    """A gap to the monthly target split by the departments that report the KPI themselves.

    ``parts`` are the largest few (department key, gap), largest first; ``others`` is the sum
    of the rest (None when there is no rest); ``unreported`` names reporters without a figure
    or a target, whose part is unknown.
    """

    kpi: str
    gap: Decimal
    parts: tuple[tuple[str, Decimal], ...]
    others: Decimal | None
    others_count: int
    unreported: tuple[str, ...] = ()


class Tree:
    """The month's departments by parent, built once for every split of the month."""

    def __init__(self, results: Sequence[DepartmentResult], period: str) -> None:
        self.children: dict[str | None, list[DepartmentResult]] = {}
        for result in results:
            self.children.setdefault(result.spec.parent_in(period), []).append(result)

    def reporters(self, kpi: str, root: str | None) -> list[DepartmentResult]:
        """The departments under ``root`` (None: the whole organization) whose own figures
        make its figure: a department reporting the KPI itself, or else its children."""
        found: list[DepartmentResult] = []
        stack = list(reversed(self.children.get(root, [])))
        while stack:
            result = stack.pop()
            cell = result.cell(kpi)
            if cell is None:
                continue
            below = self.children.get(result.key, [])
            if cell.source == "rollup" and below:
                stack.extend(reversed(below))
            else:
                found.append(result)
        return found


def contributors(kpi: Kpi, cell: Cell | None, tree: Tree, root: str | None,
                 top: int = TOP_CONTRIBUTORS) -> Contributors | None:
    """``cell``'s gap to its monthly target split by the reporters below ``root``; None for
    a KPI that does not add up (not ``sum``, or derived), without a gap, or with a single
    reporter (the split would only repeat the gap)."""
    if root is not None and root not in tree.children:
        return None  # nothing below it
    if kpi.accumulate != "sum" or kpi.formula or cell is None:
        return None
    if cell.actual is None or cell.target is None:
        return None
    parts: list[tuple[str, Decimal]] = []
    unknown: list[str] = []
    for result in tree.reporters(kpi.key, root):
        own = result.cell(kpi.key)
        if own is not None and own.actual is not None and own.target is not None:
            parts.append((result.key, own.actual - own.target))
        else:
            unknown.append(result.key)
    if len(parts) + len(unknown) < 2:
        return None
    parts.sort(key=lambda part: (-abs(part[1]), part[0]))
    shown, rest = parts[:top], parts[top:]
    gap = cell.actual - cell.target
    # Those that made the gap first, then those that offset it; each by size.
    shown.sort(key=lambda part: ((part[1] < 0) != (gap < 0), -abs(part[1]), part[0]))
    others = sum((part for _, part in rest), Decimal(0)) if rest else None
    return Contributors(kpi.key, gap, tuple(shown), others, len(rest), tuple(unknown))


@dataclass(frozen=True)
class Projection:
    """Where the year ends at the pace so far, against the annual plan."""

    value: Decimal
    plan: Decimal

    @property
    def gap(self) -> Decimal:
        return self.value - self.plan


def projection(kpi: Kpi, cell: Cell | None) -> Projection | None:
    """The year to date plus the rest of the year at the pace so far (following the phasing
    weights where the plan has them): the year to date ÷ the share of the year's weight its
    reported months carry. For ``sum`` totals with an annual plan only."""
    if kpi.accumulate != "sum" or kpi.formula or cell is None:
        return None
    if cell.ytd is None or cell.annual_plan is None or not cell.pace_share:
        return None
    return Projection(cell.ytd / cell.pace_share, cell.annual_plan)
