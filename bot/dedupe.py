"""Remember Slack deliveries already handled, so a retried event or a double click acts once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from summaries.store.infra import ReceivedRequest

# Slack retries an event for about an hour; remembering a day is plenty.
KEEP = timedelta(days=1)


def first_time(session: Session, key: str, now: datetime,
               window: timedelta | None = None) -> bool:
    """True the first time ``key`` is seen, or when ``window`` has passed since it last was."""
    seen = session.get(ReceivedRequest, key)
    if seen is None:
        try:
            with session.begin_nested():
                session.add(ReceivedRequest(key=key, received_at=now))
            return True
        except IntegrityError:  # the same delivery is being handled right now elsewhere
            return False
    if window is not None and seen.received_at < now - window:
        seen.received_at = now
        return True
    return False


def forget_old(session: Session, now: datetime) -> int:
    """Drop what is older than a day; return how many rows went."""
    result = session.execute(delete(ReceivedRequest)
                             .where(ReceivedRequest.received_at < now - KEEP))
    return int(getattr(result, "rowcount", 0) or 0)
