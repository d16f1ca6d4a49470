"""Evaluate a stored month: read figures, targets and summaries, compare, keep the flags."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    Text,
    and_,
    cast,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from summaries.config.schema import Config
from summaries.engine.figurebook import FigureTable, SourceTable
from summaries.engine.report import PeriodInputs, PeriodReport, SubmissionState, evaluate
from summaries.engine.targets import TargetRow
from summaries.periods import Month, PeriodState, SubmissionStatus
from summaries.store.figures import AmountReader, get_or_create_period, plain_rows
from summaries.store.flags import store_flags
from summaries.store.models import (
    Department,
    Figure,
    Kpi,
    Period,
    SectionAnswer,
    Submission,
    Target,
)
from summaries.store.types import stored_text


def evaluate_period(session: Session, config: Config, period: Month | str, *,
                    departments: Collection[str] | None = None, closed: bool | None = None,
                    inputs: PeriodInputs | None = None) -> PeriodReport:
    """Compare the month for the organization (or for ``departments``); reads only.

    ``closed`` defaults to the stored period's state; ``missing`` flags appear only once the
    period is closed. ``inputs`` already read with :func:`load_inputs` (for the same scope) are
    used instead of reading them again. :func:`refresh_flags` stores the report's flags.
    """
    month = period if isinstance(period, Month) else Month.parse(period)
    if closed is None:
        closed = is_closed(session, month)
    scope = list(departments) if departments is not None else [
        d.key for d in config.departments]
    if inputs is None:
        inputs = load_inputs(session, config, month, needed_departments(config, scope))
    return evaluate(config, month, inputs, closed=closed, departments=scope)


def is_closed(session: Session, month: Month) -> bool:
    """Whether ``month`` is stored as closed."""
    state = session.scalars(select(Period.state).where(Period.key == str(month))).first()
    return state == PeriodState.CLOSED


def refresh_flags(session: Session, report: PeriodReport) -> None:
    """The one writer of flags: store ``report``'s flags for the departments it evaluated
    (their earlier flags that no longer hold are resolved). Two writers at once (a manager's
    confirmation as the month closes) meet at the flags' unique key: the loser reads what the
    other stored and updates it instead."""
    period = get_or_create_period(session, str(report.period))
    scope = [d.key for d in report.departments]
    try:
        with session.begin_nested():
            store_flags(session, period.id, report.flags, scope)
    except IntegrityError:
        with session.begin_nested():
            store_flags(session, period.id, report.flags, scope)


def first_month_needed(config: Config, month: Month) -> Month:
    """The earliest month an evaluation reads: a year back, or the start of a streak's year."""
    start = config.organization.fiscal_year_start
    streak_start = month.shift(-(config.rules.streak_months - 1))
    fiscal_start = streak_start.shift(1 - streak_start.fiscal_index(start))
    return min(month.shift(-12), fiscal_start)


def months_needed(config: Config, month: Month) -> list[Month]:
    """The months whose figures an evaluation of ``month`` reads, oldest first: the month a
    year before and the one before, and the fiscal year to date of each month of a red streak
    ending with ``month`` (all from :func:`first_month_needed` on; late in a fiscal year, the
    months between a year back and the year's start are not among them)."""
    start = config.organization.fiscal_year_start
    wanted = {month.shift(-12), month.shift(-1)}
    for back in range(config.rules.streak_months):
        streak = month.shift(-back)
        wanted.update(streak.shift(-n) for n in range(streak.fiscal_index(start)))
    return sorted(wanted)


def needed_departments(config: Config, scope: Collection[str]) -> set[str]:
    """The departments whose figures an evaluation of ``scope`` reads.

    Its siblings (for ranking) and everyone's descendants (for roll-ups) come along.
    """
    wanted = set(scope)
    for key in scope:
        spec = config.department_by_key.get(key)
        if spec is not None:
            wanted.update(d.key for d in config.departments if d.parent_key == spec.parent_key)
    for key in list(wanted):
        wanted |= config.descendants(key)
    return wanted


def load_inputs(session: Session, config: Config, month: Month,
                departments: Collection[str] | None = None) -> PeriodInputs:
    """Read what evaluating ``month`` needs: figures of the months looked back on
    (:func:`months_needed`), targets, and this month's submissions and answers."""
    earliest = first_month_needed(config, month)
    if departments is not None and len(departments) == len(config.departments):
        departments = None  # everyone: no filter to send
    figures, sources = load_figures(session, earliest, month, departments,
                                    months=months_needed(config, month))
    targets = load_targets(session, earliest, month, config.organization.fiscal_year_start)
    return PeriodInputs(figures, sources, targets, *load_summaries(session, month))


def load_figures(session: Session, first: Month, last: Month,
                 departments: Collection[str] | None = None,
                 kpis: Collection[str] | None = None, *,
                 months: Collection[Month] | None = None) -> tuple[FigureTable, SourceTable]:
    """Stored figures from ``first`` to ``last`` (only ``months`` of them, when given) by
    (department, KPI), then month; and the source of those not submitted (imported)."""
    periods = keys_by_id(session, Period, Period.key >= str(first), Period.key <= str(last),
                    *(() if months is None else (Period.key.in_([str(m) for m in months]),)))
    if not periods:
        return {}, {}
    depts = keys_by_id(session, Department, *(() if departments is None
                                         else (Department.key.in_(list(departments)),)))
    kpi_keys = keys_by_id(session, Kpi, *(() if kpis is None else (Kpi.key.in_(list(kpis)),)))
    # By ids, without joins: the keys come from the three small lookups above.
    query = (select(Figure.department_id, Figure.kpi_id, Figure.period_id,
                    stored_text(Figure.value), Figure.source)
             .where(Figure.period_id.in_(list(periods))))
    if departments is not None:
        query = query.where(Figure.department_id.in_(list(depts)))
    if kpis is not None:
        query = query.where(Figure.kpi_id.in_(list(kpi_keys)))
    figures: dict[tuple[str, str], dict[str, Decimal]] = {}
    sources: dict[tuple[str, str, str], str] = {}
    amount = AmountReader()
    by_ids: dict[tuple[int, int], dict[str, Decimal]] = {}  # one key per pair, not per figure
    for dept_id, kpi_id, period_id, value, source in plain_rows(session, query):
        found = amount(value)
        if found is None:
            continue
        series = by_ids.get((dept_id, kpi_id))
        if series is None:
            series = by_ids[(dept_id, kpi_id)] = figures[(depts[dept_id], kpi_keys[kpi_id])] = {}
        series[periods[period_id]] = found
        if source != "submitted":
            sources[(depts[dept_id], kpi_keys[kpi_id], periods[period_id])] = source
    return figures, sources


def keys_by_id(session: Session, model: type[Department | Kpi | Period],
          *where: ColumnElement[bool]) -> dict[int, str]:
    """Keys by id of the rows of a small table (departments, KPIs, periods)."""
    return dict(session.execute(select(model.id, model.key).where(*where)).tuples().all())


def load_targets(session: Session, first: Month | None = None,
                 last: Month | None = None, fiscal_year_start: int = 1,
                 kpis: Collection[str] | None = None,
                 departments: Collection[str] | None = None) -> tuple[TargetRow, ...]:
    """Stored target rows, keyed by KPI and department keys.

    With ``first`` and ``last``, only the monthly targets of those months and the annual plans
    of their fiscal years are read (limits and floors always are); with ``kpis``, only theirs;
    with ``departments``, only theirs and those set for every department.
    """
    kpi_keys = keys_by_id(session, Kpi, *(() if kpis is None else (Kpi.key.in_(list(kpis)),)))
    depts = keys_by_id(session, Department, *(() if departments is None
                                         else (Department.key.in_(list(departments)),)))
    # By ids, without joins, as the figures are read.
    query = select(Target.kind, Target.kpi_id, Target.department_id, Target.month, Target.year,
                   stored_text(Target.value), stored_text(Target.stretch),
                   _as_text(Target.phasing),
                   _raw(Target.recorded_at), Target.id)
    if kpis is not None:
        query = query.where(Target.kpi_id.in_(list(kpi_keys)))
    if departments is not None:
        query = query.where(or_(Target.department_id.is_(None),
                                Target.department_id.in_(list(depts))))
    if first is not None and last is not None:
        years = range(first.fiscal_year(fiscal_year_start), last.fiscal_year(fiscal_year_start) + 1)
        query = query.where(or_(
            Target.kind.in_(("max", "min")),
            and_(Target.kind == "monthly", Target.month >= str(first), Target.month <= str(last)),
            and_(Target.kind == "annual", Target.year.in_(list(years)))))
    amount, when = AmountReader().exact, _recorded_reader(session)
    return tuple(
        TargetRow(kind, kpi_keys[kpi], depts[dept] if dept is not None else None, month, year,
                  amount(value), amount(stretch) if stretch is not None else None,
                  _phasing(phasing), when(recorded_at), order)
        for kind, kpi, dept, month, year, value, stretch, phasing, recorded_at, order
        in plain_rows(session, query))


def _recorded_reader(session: Session) -> Callable[[Any], datetime]:
    """The column's own conversion of ``recorded_at``, once per distinct stored value (an
    import records all its rows at one instant)."""
    dialect = session.get_bind().dialect
    convert: Any = Target.__table__.c.recorded_at.type.dialect_impl(dialect).result_processor(
        dialect, None)
    seen: dict[Any, datetime] = {}

    def read(value: Any) -> datetime:
        found = seen.get(value)
        if found is None:
            found = seen[value] = convert(value) if convert is not None else value
        return found

    return read


def _raw(column: ColumnExpressionArgument[Any]) -> ColumnElement[Any]:
    """A column read as the driver gives it, to be converted once in the loop that reads it.

    A month at scale reads hundreds of thousands of amounts; the column types' per-value
    processing cost more than the query itself (see ``read_amount``).
    """
    return type_coerce(column, NullType())


def _as_text(column: ColumnExpressionArgument[Any]) -> ColumnElement[Any]:
    """A JSON column read as its text: the driver's JSON parsing is skipped for the rows that
    hold none (PostgreSQL's driver parses a JSON ``null`` at every row: a month's targets
    mostly have no phasing)."""
    return cast(column, Text)


def _phasing(stored: str | None) -> tuple[Decimal, ...] | None:
    """Phasing weights from the column's JSON text (a list of decimal strings)."""
    if stored is None or stored == "null":  # SQL NULL, or the JSON null a None is stored as
        return None
    return tuple(Decimal(w) for w in json.loads(stored))


def load_summaries(session: Session, month: Month, departments: Collection[str] | None = None
                   ) -> tuple[dict[str, SubmissionState], dict[str, dict[str, str]]]:
    """The month's submission states and answers by department (of ``departments``, when
    given), read as plain rows."""
    query = (select(Submission.id, Department.key, Submission.status, Submission.submitted_by,
                    Submission.submitted_at, Submission.updated_at, Submission.skip_reason)
             .join(Period, Submission.period_id == Period.id)
             .join(Department, Submission.department_id == Department.id)
             .where(Period.key == str(month)))
    if departments is not None:
        query = query.where(Department.key.in_(list(departments)))
    rows = session.execute(query).tuples().all()
    states = {dept: SubmissionState(SubmissionStatus(status), by, submitted, updated, reason)
              for _, dept, status, by, submitted, updated, reason in rows}
    answers: dict[str, dict[str, str]] = {}
    if rows:
        keys = {row[0]: row[1] for row in rows}
        answered = (select(SectionAnswer.submission_id, SectionAnswer.section_key,
                           SectionAnswer.text)
                    .where(SectionAnswer.submission_id.in_(list(keys)))
                    .order_by(SectionAnswer.id))  # as written: the same in every read
        for submission_id, section, text in plain_rows(session, answered):
            answers.setdefault(keys[submission_id], {})[section] = text
    return states, answers
