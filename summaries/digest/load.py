"""Read a month's digest from storage: evaluate it (reading only) and add the headline trend."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from summaries.checkins.evaluation import evaluate_period, load_figures, load_inputs, load_targets
from summaries.config.schema import Config
from summaries.digest.model import (
    TREND_MONTHS,
    Digest,
    RevisionRow,
    Trend,
    build_trend,
    compile_digest,
)
from summaries.engine.figurebook import formulas_of, stored_inputs
from summaries.engine.report import PeriodReport
from summaries.periods import Month, months_between
from summaries.store.figures import revisions_in


def load_month(session: Session, config: Config, month: Month | str, *,
               closed: bool | None = True) -> tuple[PeriodReport, Trend | None]:
    """The month's report and its headline trend, from one read of the inputs; nothing is
    written (the close stores the report's flags with ``refresh_flags``).

    ``closed=None`` takes the stored period's state.
    """
    period = month if isinstance(month, Month) else Month.parse(month)
    inputs = load_inputs(session, config, period)  # a year back at least: the trend's too
    report = evaluate_period(session, config, period, closed=closed, inputs=inputs)
    trend = None
    if config.headline_kpis():
        months = months_between(period.shift(1 - TREND_MONTHS), period)
        trend = build_trend(config, months, inputs.figures, inputs.targets)
    return report, trend


def load_digest(session: Session, config: Config, month: Month | str, *,
                closed: bool | None = True, revisions: bool = False) -> Digest:
    """The month's digest, compiled from its report and trend (with the revision trail, for
    an export, when asked); nothing is written."""
    report, trend = load_month(session, config, month, closed=closed)
    trail = tuple(RevisionRow(*row) for row in revisions_in(session, str(report.period)))
    digest = compile_digest(config, report, trend, figure_revisions(trail))
    return replace(digest, revisions=trail) if revisions else digest


def load_revised(session: Session, month: Month) -> dict[tuple[str, str],
                                                        tuple[datetime, str]]:
    """:func:`figure_revisions` of ``month``, read from storage."""
    return figure_revisions(RevisionRow(*row) for row in revisions_in(session, str(month)))


def figure_revisions(trail: Iterable[RevisionRow]) -> dict[tuple[str, str],
                                                         tuple[datetime, str]]:
    """The figures changed after they were first given (more than one revision), by
    department and KPI: when and by whom they last changed."""
    counts: dict[tuple[str, str], int] = {}
    last: dict[tuple[str, str], tuple[datetime, str]] = {}
    for row in trail:  # oldest first
        if row.field.startswith("kpi:"):
            key = (row.department, row.field.removeprefix("kpi:"))
            counts[key] = counts.get(key, 0) + 1
            last[key] = (row.changed_at, row.changed_by)
    return {key: when for key, when in last.items() if counts[key] > 1}


def load_trend(session: Session, config: Config, month: Month, months: int = TREND_MONTHS
               ) -> Trend | None:
    """The organization's headline KPIs over the ``months`` up to ``month``, against their
    organization-level target; None without a headline KPI."""
    kpis = config.headline_kpis()
    if not kpis or months < 1:
        return None
    first = month.shift(1 - months)
    formulas = formulas_of(config.kpis)
    stored = {key for kpi in kpis for key in stored_inputs(formulas, kpi.key)}
    figures, _ = load_figures(session, first, month, kpis=stored)
    targets = load_targets(session, first, month, config.organization.fiscal_year_start,
                           kpis=stored)
    return build_trend(config, months_between(first, month), figures, targets)
