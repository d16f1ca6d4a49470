"""How many reminders each department's manager was sent for a month (the digest names them)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from summaries.store.infra import OutboxMessage, OutboxState

REMINDER_KIND = "reminder"


def reminders_sent(session: Session, month: str) -> dict[str, int]:
    """Reminders delivered for ``month``, by department key."""
    rows = session.execute(
        select(OutboxMessage.department_key, func.count())
        .where(OutboxMessage.kind == REMINDER_KIND, OutboxMessage.period_key == month,
               OutboxMessage.state == OutboxState.SENT, OutboxMessage.department_key.is_not(None))
        .group_by(OutboxMessage.department_key)).tuples().all()
    return {key: count for key, count in rows if key is not None}
