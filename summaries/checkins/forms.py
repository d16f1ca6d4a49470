"""What a manager's check-in form and home screen show: current values, hints, history, status;
and what the form does to the asks it carries over from earlier months."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.checkins.asks import act_on_ask, open_asks, read_ask
from summaries.checkins.evaluation import (
    first_month_needed,
    load_figures,
    load_targets,
)
from summaries.checkins.hints import KpiHint, kpi_hints
from summaries.checkins.lastmonth import last_month_texts
from summaries.config import schema as schema
from summaries.config.schema import Config
from summaries.dates import format_month
from summaries.engine.asks import Ask, AskAction, AskState
from summaries.engine.cell import Cell
from summaries.engine.cells import Engine
from summaries.engine.figurebook import FigureBook
from summaries.engine.targets import TargetBook
from summaries.errors import DomainError, ValidationFailed
from summaries.i18n import _
from summaries.numberwords import input_text
from summaries.periods import (
    SUBMITTED_STATES,
    Month,
    PeriodState,
    SubmissionStatus,
    accepts_submissions,
    months_between,
)
from summaries.store.models import Department, Figure, Kpi, Period, Submission

SECTION, KPI = "section", "kpi"
# A carried ask's fields: ``carry:<id>`` keeps or withdraws it, ``carryupdate:<id>`` adds news
# (the same words as the form's block ids in ``bot.ids``, so a draft keeps them as typed).
CARRY, CARRY_NOTE = "carry", "carryupdate"
KEEP, WITHDRAW = "keep", "withdraw"


def field_id(kind: str, key: str) -> str:
    """The form field of a section or KPI: ``section:<key>`` or ``kpi:<key>``."""
    return f"{kind}:{key}"


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
    carried: tuple[Ask, ...] = ()  # the department's asks from earlier months, still open
    # Last month's submitted text of each section that had one (its "use last month's" button).
    last_texts: dict[str, str] = field(default_factory=dict)
    required: frozenset[str] = frozenset()  # the KPIs this department must give a figure for

    @property
    def fields(self) -> list[str]:
        """Every input of the form: the figures first (SPEC 5.3), then the sections."""
        return _fields(self.sections, self.kpis)

    @property
    def carry_fields(self) -> list[str]:
        """The inputs of the carried asks: each one's choice, then its update."""
        return [field_id(kind, str(a.id)) for a in self.carried for kind in (CARRY, CARRY_NOTE)]


def input_kpis(config: Config, department: schema.Department) -> list[schema.Kpi]:
    """The KPIs a department types in: not derived KPIs (calculated), nor a parent's KPIs
    that its children carry (their roll-up, unless it reports its own)."""
    rolled = config.from_children(department)
    return [k for k in config.kpis_of(department) if not k.formula and k.key not in rolled]


def form_fields(config: Config, department: schema.Department) -> list[str]:
    """Every input of a department's form: the figures, then the sections."""
    return _fields(config.sections_of(department), input_kpis(config, department))


def ensure_fillable(session: Session, config: Config, month: Month,
                    now: datetime, department: str | None = None) -> Period:
    """The period if its summaries (``department``'s, when given) can be filled in now; else a
    DomainError saying why. An admin's reopening lets one department past the late window."""
    period = session.scalars(select(Period).where(Period.key == str(month))).first()
    shown = format_month(month, config.organization.locale)
    if period is None or period.state == PeriodState.PENDING:
        raise DomainError(_("The check-in for {month} is not open yet.", month=shown))
    if period.state == PeriodState.CLOSED:
        until = reopened_until(session, period, department) if department is not None else None
        if not accepts_submissions(period.state, period.closed_at, now,
                                   config.schedule.late_until_days, until):
            raise DomainError(_(
                "The check-in for {month} is closed and no longer takes late submissions. "
                "Ask an admin to reopen it.", month=shown))
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
    locale = config.organization.locale
    if submission is not None and status != SubmissionStatus.DRAFT and not submission.draft:
        values, origin = _stored_values(session, submission, locale), "submission"
    else:  # figures already imported for the month come first, the draft over them
        imported = _month_figures(session, month, department.key, locale)
        kept: dict[str, Any] = dict(submission.draft or {}) if submission is not None else {}
        values = {k: v for k, v in imported.items() if k not in kept}  # a cleared one too
        values |= _draft_values(kept)
        origin = "draft" if kept else ("imported" if imported else "empty")
    carried = tuple(open_asks(session, config, department.key, month))
    form = FormContext(month, department, sections, kpis, values, origin, status,
                       kpi_hints(session, config, month, department, kpis), carried,
                       last_month_texts(session, month, department.key),
                       config.required_kpis(department))
    wanted = set(form.fields) | set(form.carry_fields)
    return replace(form, values={k: v for k, v in values.items() if k in wanted})


def _fields(sections: Sequence[schema.Section], kpis: Sequence[schema.Kpi]) -> list[str]:
    """Figures before words: the numbers are quick to give and what the digest leads with."""
    return ([field_id(KPI, k.key) for k in kpis]
            + [field_id(SECTION, s.key) for s in sections])


def _draft_values(draft: dict[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in draft.items() if v is not None}


def _stored_values(session: Session, submission: Submission, locale: str) -> dict[str, str]:
    values = {field_id(SECTION, a.section_key): a.text for a in submission.answers}
    rows = session.execute(
        select(Kpi.key, Figure.value).join(Kpi, Figure.kpi_id == Kpi.id)
        .where(Figure.period_id == submission.period_id,
               Figure.department_id == submission.department_id)).tuples()
    return values | _as_typed(rows, locale)


def _month_figures(session: Session, month: Month, department: str,
                   locale: str) -> dict[str, str]:
    """The figures stored for the department's month (imported, or from an earlier
    submission), as the form's inputs show them."""
    rows = session.execute(
        select(Kpi.key, Figure.value).join(Kpi, Figure.kpi_id == Kpi.id)
        .join(Period, Figure.period_id == Period.id)
        .join(Department, Figure.department_id == Department.id)
        .where(Period.key == str(month), Department.key == department)).tuples()
    return _as_typed(rows, locale)


def _as_typed(rows: Iterable[tuple[str, Decimal | None]], locale: str) -> dict[str, str]:
    # As a figure reads back in the form: the locale's decimal mark (97,5 in German).
    return {field_id(KPI, key): input_text(value, locale) if value is not None else ""
            for key, value in rows}


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


@dataclass(frozen=True)
class Carried:
    """What a submitted form did to one carried ask: withdrew it, added an update, or nothing
    because it was decided, declined or withdrawn after the form showed it (``ended``)."""

    ask: Ask
    withdrawn: bool = False
    updated: bool = False
    ended: bool = False


def carry_over(session: Session, config: Config, *, month: Month, department: str, user: str,
               choices: Mapping[int, tuple[bool, str | None]], now: datetime) -> list[Carried]:
    """Withdraw or update the carried asks as ``department``'s form says (``choices`` by ask
    id: whether to withdraw it, the update to add), in the submission's unit of work
    (:func:`act_on_ask` checks the permission again). Only the department's own asks from
    before ``month`` are touched: another department's (a forged form) is ignored, so the
    summary is stored all the same. An ask that ended since the form opened keeps its end; a
    double submit changes nothing more (:func:`act_on_ask` acts once)."""
    done: list[Carried] = []
    for ask_id, (withdraw, update) in choices.items():
        ask = read_ask(session, config, ask_id)
        if ask is None or ask.department != department or (ask.period or "") >= str(month):
            continue
        if not ask.live:  # withdrawn already: a double submit, nothing to say
            done += [Carried(ask, ended=True)] if ask.state != AskState.WITHDRAWN else []
            continue
        updated = withdrawn = False
        try:  # the form checks the update's length first; this names the field if not
            if update is not None:  # an update is added before the ask is withdrawn
                ask, updated = _act(session, config, ask_id, user, now, AskAction.UPDATE,
                                    update)
        except ValidationFailed as exc:
            raise ValidationFailed({field_id(CARRY_NOTE, str(ask_id)): m
                                    for m in exc.errors.values()}) from None
        if withdraw:
            ask, withdrawn = _act(session, config, ask_id, user, now, AskAction.WITHDRAW)
        if updated or withdrawn:
            done.append(Carried(ask, withdrawn=withdrawn, updated=updated))
    return done


def _act(session: Session, config: Config, ask_id: int, user: str, now: datetime,
         action: AskAction, text: str | None = None) -> tuple[Ask, bool]:
    outcome = act_on_ask(session, config, ask_id=ask_id, user=user, action=action, now=now,
                         text=text)
    return outcome.ask, outcome.changed

