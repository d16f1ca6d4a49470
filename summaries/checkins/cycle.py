"""The month's cycle as the bot drives it: open and close a period, where one stands, which
month a command means, and what a confirmation shows. The bot reads periods only through
these functions and the :class:`PeriodInfo` they return, never through the stored rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.checkins.evaluation import evaluate_period
from summaries.checkins.forms import ensure_fillable, reopened_until
from summaries.config.schema import Config
from summaries.engine.report import PeriodReport
from summaries.periods import Month, PeriodState, accepts_submissions, submission_deadline
from summaries.store.figures import get_or_create_period, revision_count
from summaries.store.models import Period


@dataclass(frozen=True)
class PeriodInfo:
    """Where a stored period stands (a snapshot: nothing changes through it)."""

    key: str
    state: PeriodState
    opened_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def month(self) -> Month:
        return Month.parse(self.key)

    def deadline(self, close_at: datetime, late_days: int,
                 reopened: datetime | None = None) -> tuple[datetime, bool]:
        """When a summary is due, and whether that is the late deadline (see
        :func:`summaries.periods.submission_deadline`)."""
        return submission_deadline(self.state, self.closed_at, close_at, late_days, reopened)


def _info(row: Period) -> PeriodInfo:
    return PeriodInfo(row.key, PeriodState(row.state), row.opened_at, row.closed_at)


def period_info(session: Session, month: Month) -> PeriodInfo | None:
    """The stored period of ``month``, or None before anything created it."""
    row = session.scalars(select(Period).where(Period.key == str(month))).first()
    return _info(row) if row is not None else None


def period_state(session: Session, month: Month) -> PeriodState:
    """``month``'s state; pending when no period is stored yet."""
    info = period_info(session, month)
    return info.state if info is not None else PeriodState.PENDING


def open_month(session: Session, month: Month, now: datetime) -> PeriodInfo:
    """Open ``month`` (created if need be); a period already open or closed stays as it is."""
    row = get_or_create_period(session, str(month))
    if row.state == PeriodState.PENDING:
        row.state, row.opened_at = PeriodState.OPEN, now
    return _info(row)


def close_month(session: Session, month: Month, now: datetime) -> PeriodInfo:
    """Close ``month`` (created if need be); a closed period keeps the moment it closed."""
    row = get_or_create_period(session, str(month))
    if row.state != PeriodState.CLOSED:
        row.state, row.closed_at = PeriodState.CLOSED, now
    return _info(row)


def latest_open(session: Session) -> Month | None:
    """The latest month that is open now."""
    key = session.scalars(select(Period.key).where(Period.state == PeriodState.OPEN)
                          .order_by(Period.key.desc())).first()
    return Month.parse(key) if key is not None else None


def latest_opened(session: Session) -> Month | None:
    """The latest month that has been opened (open or closed)."""
    key = session.scalars(select(Period.key).where(Period.state != PeriodState.PENDING)
                          .order_by(Period.key.desc())).first()
    return Month.parse(key) if key is not None else None


def earliest_opened(session: Session) -> Month | None:
    """The first month that has been opened (open or closed)."""
    key = session.scalars(select(Period.key).where(Period.state != PeriodState.PENDING)
                          .order_by(Period.key)).first()
    return Month.parse(key) if key is not None else None


def current_period(session: Session, config: Config, now: datetime) -> PeriodInfo | None:
    """The period managers are working on: the latest open one, else one still taking late
    submissions."""
    latest = session.scalars(select(Period).where(Period.state != PeriodState.PENDING)
                             .order_by(Period.key.desc()).limit(3)).all()
    for period in latest:
        if period.state == PeriodState.OPEN:
            return _info(period)
    for period in latest:
        if accepts_submissions(period.state, period.closed_at, now,
                               config.schedule.late_until_days):
            return _info(period)
    return None


def fillable_period(session: Session, config: Config, month: Month, now: datetime,
                    department: str) -> tuple[PeriodInfo, datetime | None]:
    """The period if ``department``'s summary can be filled in now, with the end of an admin's
    reopening (None: not reopened); else a DomainError saying why."""
    row = ensure_fillable(session, config, month, now, department)
    return _info(row), reopened_until(session, row, department)


def revisions(session: Session, month: Month, department: str) -> int:
    """How many changes ``department``'s summary of ``month`` has had (a version number)."""
    row = get_or_create_period(session, str(month))
    return revision_count(session, row.id, department)


@dataclass(frozen=True)
class Confirmation:
    """What a manager's confirmation shows: their month against target, and its state."""

    report: PeriodReport
    period: PeriodInfo
    revisions: int
    reopened_until: datetime | None


def confirmation_data(session: Session, config: Config, month: Month,
                      department: str) -> Confirmation:
    """The department's month evaluated (read only: whoever sends the confirmation decides
    whether its flags are stored), with the period's state and the summary's version."""
    report = evaluate_period(session, config, month, departments=[department])
    row = session.scalars(select(Period).where(Period.key == str(month))).one()
    return Confirmation(report, _info(row), revision_count(session, row.id, department),
                        reopened_until(session, row, department))
