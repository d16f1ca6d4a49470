"""A department's monthly values of one KPI as the engine shows them, read straight from the
store: the tests' window onto roll-ups and derived values month by month."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from summaries.checkins.evaluation import load_figures
from summaries.config.schema import Config
from summaries.engine.figurebook import FigureBook, formulas_of, stored_inputs
from summaries.periods import Month, months_between


@dataclass(frozen=True)
class SeriesPoint:
    """One month of a KPI series: the value (None when missing) and where it came from."""

    month: str
    value: Decimal | None
    source: str | None


def read_kpi_series(session: Session, config: Config, *, kpi: str, department: str,
                    first: Month, last: Month) -> list[SeriesPoint]:
    """A department's monthly values of one KPI from ``first`` to ``last``, gaps as None.

    The values are those the engine shows: a parent's roll-up where it has no figure of its
    own, and a derived KPI computed month by month from its inputs.
    """
    needed = stored_inputs(formulas_of(config.kpis), kpi)
    figures, sources = load_figures(session, first, last, config.descendants(department),
                                    needed)
    book = FigureBook.for_config(config, figures, sources)
    return [SeriesPoint(month, book.value(department, kpi, month),
                        book.source(department, kpi, month))
            for month in (str(m) for m in months_between(first, last))]
