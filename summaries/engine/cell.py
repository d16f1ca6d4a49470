"""One cell of the comparison: what the product shows for a department, a KPI and a month."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from summaries.engine.targets import Status


@dataclass(slots=True)
class Cell:
    """Everything the product shows for one department, KPI and month.

    Ratios (attainment, mom, yoy, ytd_share, pace_share) are plain ratios: 1.495 is 149.5%.
    """

    department: str
    kpi: str
    month: str
    actual: Decimal | None
    source: str | None  # submitted | imported | rollup | derived
    coverage: tuple[int, int] | None = None  # rolled up: children with a value, of carrying
    missing_inputs: tuple[str, ...] = ()  # derived: inputs without a value
    target: Decimal | None = None
    stretch: Decimal | None = None
    attainment: Decimal | None = None
    stretch_attainment: Decimal | None = None
    previous: Decimal | None = None
    mom: Decimal | None = None
    year_ago: Decimal | None = None
    yoy: Decimal | None = None
    ytd: Decimal | None = None
    annual_plan: Decimal | None = None
    ytd_share: Decimal | None = None
    pace_share: Decimal | None = None
    limit_max: Decimal | None = None
    limit_min: Decimal | None = None
    breach: str | None = None  # "max" or "min"
    target_band: Status | None = None
    pace_band: Status | None = None
    status: Status | None = None
    red_streak: int = 0  # red months in a row ending with this one (up to the rule's length)
    rank: int | None = None  # among siblings by attainment, 1 = best
    rank_of: int | None = None
    # A parent reporting its own figure: its children's total, where that differs from it.
    children_total: Decimal | None = None
