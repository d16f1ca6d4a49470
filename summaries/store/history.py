"""When each department's stored history begins: what ``checkin config check`` compares with
the life the configuration gives it (SPEC 4.2)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from summaries.periods import SUBMITTED_STATES
from summaries.store.models import Department, Figure, Period, Submission


def first_months(session: Session, before: str) -> dict[str, str]:
    """By department key: the first month before ``before`` (``YYYY-MM``) for which it has a
    stored figure or a submitted summary. One grouped query each, whatever the history's size."""
    found: dict[str, str] = {}
    for model, kept in ((Figure, ()), (Submission, (Submission.status.in_(
            [str(s) for s in SUBMITTED_STATES]),))):
        rows = session.execute(
            select(Department.key, func.min(Period.key))
            .join(model, model.department_id == Department.id)
            .join(Period, model.period_id == Period.id)
            .where(Period.key < before, *kept)
            .group_by(Department.key)).tuples()
        for key, month in rows:
            if month is not None and (key not in found or month < found[key]):
                found[key] = month
    return found
