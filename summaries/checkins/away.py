"""Managers away with a deputy (SPEC 5.3): who acts for a department at a moment, and setting
or ending an absence from Slack. Services flush and never commit: callers own transactions.

An absence comes from the configuration's ``away:`` or from ``/checkin away``; on a day a
stored one covers, the stored ones decide (the latest set first), so ``/checkin back`` can end
a configured absence too. Days are the organization's calendar days, both ends included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.config import schema as schema
from summaries.config.schema import Config
from summaries.errors import DomainError, PermissionDenied
from summaries.i18n import _
from summaries.store.models import AwayRow


@dataclass(frozen=True)
class Absence:
    """A manager away from ``first_day`` to ``last_day``, with ``deputy`` acting for them;
    ``row_id`` is the stored row's (None for one from the configuration)."""

    manager: str
    deputy: str
    first_day: date
    last_day: date
    row_id: int | None = None


def local_day(config: Config, at: datetime) -> date:
    """The organization's calendar day at moment ``at``: absences are set in its days."""
    return at.astimezone(ZoneInfo(config.organization.timezone)).date()


def absence_of(session: Session, config: Config, manager: str, at: datetime
               ) -> Absence | None:
    """The absence of ``manager`` in force at ``at``, or None when they are at work."""
    day = local_day(config, at)
    rows = session.scalars(
        select(AwayRow).where(AwayRow.manager == manager, AwayRow.first_day <= day,
                              AwayRow.last_day >= day)
        .order_by(AwayRow.set_at.desc(), AwayRow.id.desc())).all()
    if rows:  # stored ones cover this day: they decide, ended or not
        row = rows[0]
        if row.ended_at is not None and row.ended_at <= at:
            return None
        return Absence(row.manager, row.deputy, row.first_day, row.last_day, row.id)
    for entry in config.away:
        if entry.manager == manager and entry.from_ <= day <= entry.until:
            return Absence(entry.manager, entry.deputy, entry.from_, entry.until)
    return None


def acting_deputy(session: Session, config: Config, department: schema.Department,
                  at: datetime) -> str | None:
    """The deputy acting for ``department``'s manager at ``at``, or None."""
    absence = absence_of(session, config, department.manager, at)
    return absence.deputy if absence is not None else None


def recipient(session: Session, config: Config, department: schema.Department,
              at: datetime) -> str:
    """Who gets ``department``'s prompt or reminder at ``at``: the deputy while its manager is
    away, else the manager."""
    return acting_deputy(session, config, department, at) or department.manager


def managed_by(config: Config, manager: str) -> list[schema.Department]:
    """The departments ``manager`` heads."""
    return [d for d in config.departments if d.manager == manager]


def _authorize(config: Config, by: str, manager: str) -> None:
    if by != manager and not config.is_admin(by):
        raise PermissionDenied(_("Only the manager themself or an admin can set them away or "
                                 "back."))
    if not managed_by(config, manager):
        raise DomainError(_("<@{manager}> manages no department.", manager=manager))


def set_away(session: Session, config: Config, *, by: str, manager: str, first: date,
             last: date, deputy: str, now: datetime) -> Absence:
    """Set ``manager`` away from ``first`` to ``last`` with ``deputy`` acting for them; a
    later setting wins over an earlier one on the days both cover."""
    _authorize(config, by, manager)
    if deputy == manager:
        raise DomainError(_("A manager cannot be their own deputy; name someone else."))
    if last < first:  # the days as typed in the command: 2026-11-20
        raise DomainError(_("The last day ({last}) comes before the first ({first}).",
                            last=last, first=first))
    if last < local_day(config, now):
        raise DomainError(_("{day} has passed; give dates from today on.", day=last))
    row = AwayRow(manager=manager, deputy=deputy, first_day=first, last_day=last, set_by=by,
                  set_at=now)
    session.add(row)
    session.flush()
    return Absence(manager, deputy, first, last, row.id)


def end_away(session: Session, config: Config, *, by: str, manager: str,
             now: datetime) -> Absence:
    """End ``manager``'s absence now (or, when they are not away, cancel the ones still to
    come); DomainError when there is none."""
    _authorize(config, by, manager)
    current = absence_of(session, config, manager, now)
    if current is not None:
        if current.row_id is None:  # configured: a stored copy, ended now, overrides it
            session.add(AwayRow(manager=manager, deputy=current.deputy,
                                first_day=current.first_day, last_day=current.last_day,
                                set_by=by, set_at=now, ended_at=now))
        else:
            row = session.get(AwayRow, current.row_id)
            if row is not None:
                row.ended_at = now
        session.flush()
        return current
    ahead = session.scalars(select(AwayRow).where(
        AwayRow.manager == manager, AwayRow.first_day > local_day(config, now),
        AwayRow.ended_at.is_(None)).order_by(AwayRow.first_day)).all()
    if not ahead:
        raise DomainError(_("<@{manager}> is not away.", manager=manager))
    for row in ahead:
        row.ended_at = now
    session.flush()
    first = ahead[0]
    return Absence(manager, first.deputy, first.first_day, first.last_day, first.id)


def confirmation_recipients(session: Session, config: Config, department: str, user: str,
                            at: datetime) -> list[str]:
    """Who is told of a submission by ``user``: them, and while the department's manager is
    away both the manager and the deputy acting for them (an admin's edit stays theirs)."""
    spec = config.department_by_key[department]
    deputy = acting_deputy(session, config, spec, at)
    if deputy is None or user not in (deputy, spec.manager):
        return [user]
    return [user, spec.manager if user == deputy else deputy]
