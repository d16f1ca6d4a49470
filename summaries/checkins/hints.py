"""What each KPI input of the check-in form says under it: last month's figure, this month's
target, and the control limit or floor in force, so a manager types a figure knowing what it
will be judged against (SPEC 5.3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from summaries.checkins.evaluation import load_figures, load_targets
from summaries.config import schema as schema
from summaries.config.schema import Config
from summaries.engine.figurebook import FigureBook
from summaries.engine.targets import TargetBook
from summaries.periods import Month


@dataclass(frozen=True)
class KpiHint:
    """Last month's figure, this month's target, and the limit (``max``) and floor (``min``)
    in force this month, for a KPI input's hint and the plausibility check."""

    previous_month: str
    previous: Decimal | None
    target: Decimal | None
    limit: Decimal | None = None
    floor: Decimal | None = None


def kpi_hints(session: Session, config: Config, month: Month, department: schema.Department,
              kpis: Sequence[schema.Kpi]) -> dict[str, KpiHint]:
    """The hint of each of ``kpis`` in ``department``'s form of ``month``, by KPI key."""
    if not kpis:
        return {}
    previous = month.shift(-1)
    keys = [k.key for k in kpis]
    figures, sources = load_figures(session, previous, previous,
                                    config.descendants(department.key), keys)
    book = FigureBook.for_config(config, figures, sources)
    targets = TargetBook(load_targets(session, month, month,
                                      config.organization.fiscal_year_start))
    hints = {}
    for key in keys:
        row = targets.monthly(key, department.key, str(month))
        hints[key] = KpiHint(str(previous), book.value(department.key, key, str(previous)),
                             row.value if row is not None else None,
                             targets.limit("max", key, department.key, str(month)),
                             targets.limit("min", key, department.key, str(month)))
    return hints
