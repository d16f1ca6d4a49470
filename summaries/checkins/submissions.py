"""Use cases over the stored history. Services flush and never commit: callers own transactions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.checkins.asks import sync_asks
from summaries.checkins.away import acting_deputy
from summaries.config import schema as schema
from summaries.config.schema import Config
from summaries.dates import format_month
from summaries.errors import DomainError, PermissionDenied, ValidationFailed
from summaries.i18n import _
from summaries.numbers import OutOfBounds, check_bounds, decimals_problem
from summaries.periods import Month, PeriodState, SubmissionStatus, accepts_submissions, late_until
from summaries.store.figures import FigureValue, add_revision, get_or_create_period, set_figures
from summaries.store.models import Department, Kpi, Period, SectionAnswer, Submission
from summaries.store.types import utcnow

MAX_SECTION_CHARS = 3000


@dataclass(frozen=True)
class SubmissionResult:
    """What recording a submission did."""

    submission_id: int
    status: str
    first_submission: bool
    changed_fields: tuple[str, ...]
    after_close: bool = False  # the period was closed: a posted digest needs updating


def authorize_department(config: Config, department_key: str, user_id: str,
                         session: Session | None = None,
                         now: datetime | None = None) -> schema.Department:
    """Return the department if ``user_id`` manages it, is an admin, or (given a ``session``
    to look absences up in) is the deputy acting for its manager ``now``; else
    PermissionDenied."""
    department = config.department_by_key.get(department_key)
    if department is None:
        raise DomainError(_("There is no department {key}.", key=repr(department_key)))
    if user_id == department.manager or config.is_admin(user_id):
        return department
    if session is not None and acting_deputy(session, config, department,
                                             now or utcnow()) == user_id:
        return department
    raise PermissionDenied(_(
        "Only the manager of {department} (or their deputy while they are away) or an admin "
        "can fill in its summary.", department=department.name))


def validate_submission(config: Config, department: schema.Department,
                        answers: Mapping[str, str],
                        figures: Mapping[str, Decimal | None]) -> dict[str, str]:
    """Check answers and figures against the department's template; map field to message."""
    errors: dict[str, str] = {}
    sections = {s.key: s for s in config.sections_of(department)}
    for key, text in answers.items():
        if key not in sections:
            errors[f"section:{key}"] = _("not a section of this department's summary")
        elif len(text) > MAX_SECTION_CHARS:
            errors[f"section:{key}"] = _("at most {limit} characters; this has {count}",
                                         limit=format(MAX_SECTION_CHARS, ","),
                                         count=format(len(text), ","))
    for section in sections.values():
        if section.required and not answers.get(section.key, "").strip():
            errors[f"section:{section.key}"] = _("{name} is required", name=section.title)
    kpis = {k.key: k for k in config.kpis_of(department)}
    for key in config.required_kpis(department):
        if figures.get(key) is None:
            errors[f"kpi:{key}"] = _("{name} is required", name=kpis[key].name)
    for key, value in figures.items():
        kpi = kpis.get(key)
        if kpi is None:
            errors[f"kpi:{key}"] = _("not a KPI of this department")
        elif kpi.formula:
            errors[f"kpi:{key}"] = _("{name} is calculated from other figures", name=kpi.name)
        elif key in config.from_children(department):
            errors[f"kpi:{key}"] = _("{name} adds up the figures of the departments below "
                                     "{department}", name=kpi.name, department=department.name)
        elif value is not None:
            problem = check_figure(kpi, value)
            if problem:
                errors[f"kpi:{key}"] = problem
    return errors


def check_figure(kpi: schema.Kpi, value: Decimal) -> str | None:
    """Why ``value`` is not acceptable for ``kpi``, or None."""
    try:
        check_bounds(value)
    except OutOfBounds as exc:
        return str(exc)
    precision = decimals_problem(value, kpi.input_decimals)
    if precision:
        return precision
    if kpi.min is not None and value < kpi.min:
        return _("must be at least {value}", value=_bound(kpi, kpi.min))
    if kpi.max is not None and value > kpi.max:
        return _("must be at most {value}", value=_bound(kpi, kpi.max))
    return None


def _bound(kpi: schema.Kpi, value: Decimal) -> str:
    """A KPI's bound with its unit: ``0%``, ``5 CNY``."""
    return f"{value}%" if kpi.is_percent else (f"{value} {kpi.unit}" if kpi.unit else
                                               str(value))


def record_submission(
    session: Session, config: Config, *, period: str, department: str, user: str,
    answers: Mapping[str, str], figures: Mapping[str, Decimal | None],
    now: datetime | None = None,
) -> SubmissionResult:
    """Store a department's answers and figures together, keeping a revision of each change.

    Keys absent from ``answers``/``figures`` are left as they are; an empty text or a None
    figure clears the value. Recording the same values again changes nothing.
    """
    now = now or utcnow()  # one moment for the submission, its revisions and figures
    spec = authorize_department(config, department, user, session, now)
    errors = validate_submission(config, spec, answers, figures)
    if errors:
        raise ValidationFailed(errors)
    period_row = get_or_create_period(session, str(Month.parse(period)), now)
    dept = department_row(session, department)
    submission = submission_row(session, period_row, dept, now)
    late = late_status(config, period_row, submission, now)
    # A month marked "nothing to report" and then filled in is submitted after all.
    first = submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.SKIPPED)
    changed = _store_answers(session, submission, answers, user, now)
    for section in config.sections_of(spec):
        if section.raises and f"section:{section.key}" in changed:
            sync_asks(session, period_id=period_row.id, department_id=dept.id,
                      section_key=section.key, text=answers[section.key], by=user, at=now)
    kpi_ids = dict(session.execute(
        select(Kpi.key, Kpi.id).where(Kpi.key.in_(list(figures)))).tuples().all())
    stored = set_figures(session, [
        FigureValue(period_row.id, dept.id, kpi_ids[key], key, value)
        for key, value in figures.items()], by=user, source="submitted", now=now)
    changed.extend(f"kpi:{figure.kpi_key}" for figure in stored)
    if first:
        submission.status = SubmissionStatus.LATE if late else SubmissionStatus.SUBMITTED
        submission.submitted_by, submission.submitted_at = user, now
        submission.skip_reason = None
    if changed or first:
        submission.updated_by, submission.updated_at = user, now
    submission.draft, submission.draft_updated_at = None, None
    session.flush()
    return SubmissionResult(submission.id, submission.status, first, tuple(changed), late)


def late_status(config: Config, period: Period, submission: Submission,
                now: datetime) -> bool:
    """Whether a submission now is after the close; refused after the late window unless an
    admin reopened it."""
    if period.state != PeriodState.CLOSED:
        return False
    if not accepts_submissions(period.state, period.closed_at, now,
                               config.schedule.late_until_days, submission.reopened_until):
        raise DomainError(_("{month} is closed and no longer takes late submissions.",
                            month=format_month(Month.parse(period.key),
                                               config.organization.locale)))
    return True


def department_row(session: Session, key: str) -> Department:
    """The stored row of a configured department."""
    row = session.scalars(select(Department).where(Department.key == key)).first()
    if row is None:
        raise DomainError(_("Department {key} is not in the database yet; restart the bot.",
                            key=repr(key)))
    return row


def submission_row(session: Session, period: Period, dept: Department,
                   now: datetime) -> Submission:
    """The department's submission of the period, locked for the change to come; a draft
    when there is none yet."""
    row = session.scalars(select(Submission).where(
        Submission.period_id == period.id, Submission.department_id == dept.id)
        .with_for_update()).first()
    if row is None:
        row = Submission(period_id=period.id, department_id=dept.id,
                         status=SubmissionStatus.DRAFT, created_at=now)
        session.add(row)
        session.flush()
    return row


def _store_answers(session: Session, submission: Submission, answers: Mapping[str, str],
                   user: str, now: datetime) -> list[str]:
    existing = {a.section_key: a for a in submission.answers}
    changed: list[str] = []
    for key, raw in answers.items():
        text = raw.strip()
        row = existing.get(key)
        old = row.text if row is not None else None
        if (old or "") == text:
            continue
        if not text and row is not None:
            submission.answers.remove(row)
        elif row is None:
            submission.answers.append(SectionAnswer(section_key=key, text=text))
        else:
            row.text = text
        add_revision(session, submission.period_id, submission.department_id,
                     f"section:{key}", old, text or None, user, "submitted", now)
        changed.append(f"section:{key}")
    return changed


def save_draft(session: Session, config: Config, *, period: str, department: str, user: str,
               values: Mapping[str, Any], merge: bool = False,
               now: datetime | None = None) -> None:
    """Keep what a manager typed but did not submit; the next form starts from it.

    With ``merge`` the values are folded into the draft already kept (one step of a long form).
    """
    now = now or utcnow()
    authorize_department(config, department, user, session, now)
    period_row = get_or_create_period(session, str(Month.parse(period)), now)
    submission = submission_row(session, period_row, department_row(session, department), now)
    draft = dict(submission.draft or {}) if merge else {}
    draft.update(values)
    submission.draft, submission.draft_updated_at = draft, now
    session.flush()


@dataclass(frozen=True)
class Reopened:
    """An admin's reopening of one department's summary."""

    department: schema.Department
    until: datetime
    status: str  # the submission's: draft (never submitted), submitted or late


def reopen_submission(session: Session, config: Config, *, period: Month, department: str,
                      by: str, now: datetime) -> Reopened:
    """Let ``department``'s manager edit its summary of a closed ``period`` again, for
    ``late_until_days`` from now. Admins only."""
    if not config.is_admin(by):
        raise PermissionDenied(_("Only admins can reopen a summary."))
    spec = config.department_by_key.get(department)
    if spec is None:
        raise DomainError(_("There is no department {key}.", key=repr(department)))
    row = session.scalars(select(Period).where(Period.key == str(period))).first()
    shown = format_month(period, config.organization.locale)
    if row is None or row.state == PeriodState.PENDING:
        raise DomainError(_("The check-in for {month} has not opened yet; nothing to reopen.",
                            month=shown))
    if row.state == PeriodState.OPEN:
        raise DomainError(_("The check-in for {month} is still open: {department}'s manager "
                            "can fill in and edit it until it closes. Nothing to reopen.",
                            month=shown, department=spec.name))
    submission = submission_row(session, row, department_row(session, department), now)
    submission.reopened_until = late_until(now, config.schedule.late_until_days)
    submission.reopened_by = by
    session.flush()
    return Reopened(spec, submission.reopened_until, submission.status)


def read_draft(session: Session, *, period: str, department: str) -> dict[str, Any]:
    """The draft kept for a department's month, or an empty one."""
    draft = session.scalars(
        select(Submission.draft).join(Period, Submission.period_id == Period.id)
        .join(Department, Submission.department_id == Department.id)
        .where(Period.key == period, Department.key == department)).first()
    return dict(draft or {})
