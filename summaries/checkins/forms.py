"""What a manager's check-in form and home screen show: current values, hints, history, status."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.checkins.evaluation import (
    first_month_needed,
    load_figures,
    load_targets,
)
from summaries.config import schema as schema
from summaries.config.schema import Config
from summaries.engine.cell import Cell
from summaries.engine.cells import Engine
from summaries.engine.figurebook import FigureBook
from summaries.engine.targets import TargetBook
from summaries.errors import DomainError
from summaries.periods import (
    SUBMITTED_STATES,
    Month,
    PeriodState,
    SubmissionStatus,
    accepts_submissions,
    months_between,
)
from summaries.store.figures import format_value
from summaries.store.models import Department, Figure, Kpi, Period, Submission

SECTION, KPI = "section", "kpi"


def field_id(kind: str, key: str) -> str:
    """The form field of a section or KPI: ``section:<key>`` or ``kpi:<key>``."""
    return f"{kind}:{key}"


@dataclass(frozen=True)
class KpiHint:
    """Last month's shown value and this month's target, for a KPI input's hint."""

    previous_month: str
    previous: Decimal | None
    target: Decimal | None


@dataclass(frozen=True)
class FormContext:
    """Everything the check-in form of one department and month shows."""

    period: Month
    department: schema.Department
    sections: tuple[schema.Section, ...]
    kpis: tuple[schema.Kpi, ...]
    values: dict[str, str]
    origin: str
    status: str | None
    hints: dict[str, KpiHint]

    @property
    def fields(self) -> list[str]:
        """Every input of the form, sections first, in template order."""
        return ([field_id(SECTION, s.key) for s in self.sections]
                + [field_id(KPI, k.key) for k in self.kpis])


def input_kpis(config: Config, department: schema.Department) -> list[schema.Kpi]:
    """The KPIs a department types in: not derived KPIs (calculated), nor a parent's KPIs
    that its children carry (their roll-up, unless it reports its own)."""
    rolled = config.from_children(department)
    return [k for k in config.kpis_of(department) if not k.formula and k.key not in rolled]


def form_fields(config: Config, department: schema.Department) -> list[str]:
    """Every input of a department's form, sections first, in template order."""
    return _fields(config.sections_of(department), input_kpis(config, department))


def ensure_fillable(session: Session, config: Config, month: Month,
                    now: datetime, department: str | None = None) -> Period:
    """The period if its summaries (``department``'s, when given) can be filled in now; else a
    DomainError saying why. An admin's reopening lets one department past the late window."""
    period = session.scalars(select(Period).where(Period.key == str(month))).first()
    if period is None or period.state == PeriodState.PENDING:
        raise DomainError(f"The check-in for {month} is not open yet.")
    if period.state == PeriodState.CLOSED:
        until = reopened_until(session, period, department) if department is not None else None
        if not accepts_submissions(period.state, period.closed_at, now,
                                   config.schedule.late_until_days, until):
            raise DomainError(
                f"The check-in for {month} is closed and no longer takes late "
                "submissions. Ask an admin to reopen it.")
    return period


def reopened_until(session: Session, period: Period, department: str) -> datetime | None:
    """Until when an admin reopened ``department``'s summary of ``period`` (None: never)."""
    return session.scalar(
        select(Submission.reopened_until).join(Department,
                                               Submission.department_id == Department.id)
        .where(Submission.period_id == period.id, Department.key == department))


def load_form(session: Session, config: Config, month: Month,
              department: schema.Department) -> FormContext:
    """The form as it should open: from the draft, else the current submission, else empty."""
    sections = tuple(config.sections_of(department))
    kpis = tuple(input_kpis(config, department))
    submission = session.scalars(
        select(Submission).join(Period, Submission.period_id == Period.id)
        .join(Department, Submission.department_id == Department.id)
        .where(Period.key == str(month), Department.key == department.key)).first()
    status = submission.status if submission is not None else None
    if submission is not None and submission.draft:
        values, origin = _draft_values(submission.draft), "draft"
    elif submission is not None and status != SubmissionStatus.DRAFT:
        values, origin = _stored_values(session, submission), "submission"
    else:
        values, origin = {}, "empty"
    wanted = set(_fields(sections, kpis))
    values = {k: v for k, v in values.items() if k in wanted}
    return FormContext(month, department, sections, kpis, values, origin, status,
                       _hints(session, config, month, department, kpis))


def _fields(sections: Sequence[schema.Section], kpis: Sequence[schema.Kpi]) -> list[str]:
    return ([field_id(SECTION, s.key) for s in sections]
            + [field_id(KPI, k.key) for k in kpis])


def _draft_values(draft: dict[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in draft.items() if v is not None}


def _stored_values(session: Session, submission: Submission) -> dict[str, str]:
    values = {field_id(SECTION, a.section_key): a.text for a in submission.answers}
    rows = session.execute(
        select(Kpi.key, Figure.value).join(Kpi, Figure.kpi_id == Kpi.id)
        .where(Figure.period_id == submission.period_id,
               Figure.department_id == submission.department_id)).tuples()
    for key, value in rows:
        values[field_id(KPI, key)] = format_value(value) or ""
    return values


def _hints(session: Session, config: Config, month: Month, department: schema.Department,
           kpis: Sequence[schema.Kpi]) -> dict[str, KpiHint]:
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
                             row.value if row is not None else None)
    return hints


@dataclass(frozen=True)
class DepartmentStatus:
    """Where one department's summary stands for a period."""

    department: schema.Department
    status: str | None
    submitted_at: datetime | None
    has_draft: bool

    @property
    def submitted(self) -> bool:
        return self.status in SUBMITTED_STATES


def department_statuses(session: Session, config: Config, month: Month,
                        departments: Collection[str] | None = None) -> list[DepartmentStatus]:
    """Each department's submission state for ``month``, in configuration order."""
    rows = session.execute(
        # A cleared draft may be stored as JSON null (older rows); its moment is SQL NULL.
        select(Department.key, Submission.status, Submission.submitted_at,
               Submission.draft_updated_at.is_not(None))
        .join(Period, Submission.period_id == Period.id)
        .join(Department, Submission.department_id == Department.id)
        .where(Period.key == str(month))).tuples().all()
    found = {key: (status, at, bool(draft)) for key, status, at, draft in rows}
    wanted = set(departments) if departments is not None else None
    result = []
    for spec in config.departments_in(str(month)):  # a department expected that month
        if wanted is not None and spec.key not in wanted:
            continue
        status, at, draft = found.get(spec.key, (None, None, False))
        result.append(DepartmentStatus(spec, status, at, draft))
    return result


def kpi_history(session: Session, config: Config, departments: Collection[str],
                last: Month, months: int = 3) -> dict[tuple[str, str, str], Cell]:
    """Cells of ``departments``' KPIs for the ``months`` months up to ``last``.

    Figures and targets are read once for the whole window, so a home screen costs one pass.
    """
    first = last.shift(1 - months)
    wanted: set[str] = set()
    for key in departments:
        wanted |= config.descendants(key)
    figures, sources = load_figures(session, first_month_needed(config, first), last, wanted)
    book = FigureBook.for_config(config, figures, sources)
    targets = TargetBook(load_targets(session, first_month_needed(config, first), last,
                                      config.organization.fiscal_year_start))
    engine = Engine(config, book, targets)
    cells: dict[tuple[str, str, str], Cell] = {}
    for key in departments:
        spec = config.department_by_key[key]
        for kpi in config.kpis_of(spec):
            for month in months_between(first, last):
                cells[(key, kpi.key, str(month))] = engine.cell(key, kpi, month)
    return cells
