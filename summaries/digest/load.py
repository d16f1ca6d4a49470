"""Read a month's digest from storage: evaluate it (reading only) and add the headline trend."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from summaries.checkins.asks import digest_asks
from summaries.checkins.evaluation import (
    evaluate_period,
    load_figures,
    load_inputs,
    load_targets,
    months_needed,
)
from summaries.checkins.keptmonth import Keeping, evaluate_kept, headline_inputs
from summaries.config.schema import Config
from summaries.digest.alloc import building
from summaries.digest.model import TREND_MONTHS, Digest, RevisionRow, Trend, compile_digest
from summaries.digest.trend import build_trend
from summaries.engine.figurebook import FigureTable
from summaries.engine.problems import Earlier, earlier_problems
from summaries.engine.report import PeriodReport
from summaries.periods import Month, months_between
from summaries.store.figures import revisions_in
from summaries.store.flags import stored_flags
from summaries.store.reminders import reminders_sent


def load_month(session: Session, config: Config, month: Month | str, *,
               closed: bool | None = True, keeping: Keeping | None = None
               ) -> tuple[PeriodReport, Trend | None]:
    """The month's report and its headline trend, from one read of the inputs; nothing is
    written (the close stores the report's flags with ``refresh_flags``).

    ``closed=None`` takes the stored period's state. With ``keeping``, the departments'
    results kept from an earlier read that are still current are reused, and ``keeping``
    receives those evaluated afresh, for the caller to keep (:mod:`summaries.checkins.keptmonth`).
    """
    period = month if isinstance(month, Month) else Month.parse(month)
    if keeping is not None:
        inputs, report = evaluate_kept(session, config, period, closed=closed, keeping=keeping)
    else:
        inputs = load_inputs(session, config, period)
        report = evaluate_period(session, config, period, closed=closed, inputs=inputs)
    trend = None
    if config.headline_kpis():
        months = months_between(period.shift(1 - TREND_MONTHS), period)
        figures = _with_trend_months(session, config, months, inputs.figures,
                                     months_needed(config, period))
        trend = build_trend(config, months, figures, inputs.targets)
    return report, trend


def _with_trend_months(session: Session, config: Config, months: list[Month],
                       figures: FigureTable, read: list[Month]) -> FigureTable:
    """``figures`` (of the months ``read``) with the headline KPIs' figures of the trend's
    ``months`` and of the year before them that they lack: what the trend needs, no more."""
    lacking = sorted({m.shift(-back) for m in months for back in (0, 12)} - set(read))
    if not lacking:
        return figures
    more, _ = load_figures(session, lacking[0], lacking[-1], kpis=headline_inputs(config),
                           months=lacking)
    if not more:
        return figures
    merged = dict(figures)  # the report's own table stays as it was read
    for key, by_month in more.items():
        merged[key] = {**by_month, **figures.get(key, {})}
    return merged


def load_digest(session: Session, config: Config, month: Month | str, *,
                closed: bool | None = True, revisions: bool = False,
                keeping: Keeping | None = None) -> Digest:
    """The month's digest, compiled from its report and trend (with the revision trail, for
    an export, when asked); nothing is written (``keeping``: as for :func:`load_month`)."""
    with building():
        report, trend = load_month(session, config, month, closed=closed, keeping=keeping)
        trail = tuple(RevisionRow(*row) for row in revisions_in(session, str(report.period)))
        digest = compile_digest(config, report, trend, figure_revisions(trail),
                                load_earlier(session, config, report.period),
                                reminders_sent(session, str(report.period)),
                                digest_asks(session, config, report.period))
    return replace(digest, revisions=trail) if revisions else digest


def load_earlier(session: Session, config: Config, month: Month) -> list[Earlier] | None:
    """Last month's problems: from the flags stored when it closed, or else (history that
    never closed here) from evaluating it; None before the first month with figures."""
    previous = month.shift(-1)
    stored = stored_flags(session, str(previous), problems=True)  # as earlier_problems reads
    if stored is None:
        report = evaluate_period(session, config, previous, closed=True)
        if not any(c.actual is not None for d in report.departments for c in d.cells):
            return None
        stored = report.flags
    return earlier_problems(stored)


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
    organization-level target, limits and floors, and the same months a year before; None
    without a headline KPI."""
    if not config.headline_kpis() or months < 1:
        return None
    first = month.shift(1 - months)
    stored = headline_inputs(config)
    figures, _ = load_figures(session, first.shift(-12), month, kpis=stored)  # the year before
    targets = load_targets(session, first, month, config.organization.fiscal_year_start,
                           kpis=stored)
    return build_trend(config, months_between(first, month), figures, targets)
