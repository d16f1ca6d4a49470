"""How far a figure misses what it is held to: the size behind materiality, impact and "worse".

A miss is measured three ways (SPEC 4.1): ``unit`` in the KPI's own unit (points for ``%``
KPIs), ``relative`` to what was missed (the target, the plan due, the limit or floor), and
``size``, the figure compared month to month and against ``rules.materiality``: points for
``%`` KPIs, the relative miss for the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from summaries.config.schema import Kpi
from summaries.engine.cell import Cell


@dataclass(frozen=True)
class Miss:
    unit: Decimal  # in the KPI's unit, always positive
    relative: Decimal | None  # a ratio: 0.175 is 17.5%; None where the reference is 0
    size: Decimal | None  # points for % KPIs, else ``relative``


def _miss(kpi: Kpi, value: Decimal, reference: Decimal) -> Miss:
    unit = abs(value - reference)
    relative = unit / abs(reference) if reference != 0 else None
    return Miss(unit, relative, unit if kpi.is_percent else relative)


def miss_of(kpi: Kpi, cell: Cell, rule: str) -> Miss | None:
    """The miss a flag of ``rule`` reports on ``cell``; None for rules that miss nothing
    (changes, streaks, a missing summary, raised lines)."""
    if rule == "below_target" and cell.actual is not None and cell.target is not None:
        return _miss(kpi, cell.actual, cell.target)
    if rule == "threshold" and cell.actual is not None:
        limit = cell.limit_max if cell.breach == "max" else cell.limit_min
        return _miss(kpi, cell.actual, limit) if limit is not None else None
    if rule == "off_pace":
        return _pace_miss(kpi, cell)
    return None


def _pace_miss(kpi: Kpi, cell: Cell) -> Miss | None:
    if cell.ytd_share is None or cell.pace_share is None or cell.annual_plan is None:
        return None
    if kpi.accumulate == "sum":  # the share of the plan due that is not there yet
        short = abs(cell.pace_share - cell.ytd_share)
        relative = short / cell.pace_share if cell.pace_share else None
        return Miss(short * abs(cell.annual_plan), relative,
                    short * 100 if kpi.is_percent else relative)
    if cell.ytd is None:
        return None
    return _miss(kpi, cell.ytd, cell.annual_plan)
