"""Which month the cycle starts with (SPEC 4.2, first start): ``schedule.start``; else the
earliest period the bot has worked on; else, on a fresh install, the first month whose open
moment is still ahead, kept in the ledger. A past month is never opened and closed back to
back on the first day."""

from __future__ import annotations

from datetime import datetime

from bot.cycle.ledger import first_recorded, record_start
from bot.deps import Deps
from summaries.checkins.cycle import earliest_opened
from summaries.periods import Month, this_month


def first_month(deps: Deps, now: datetime) -> Month:
    """The first period the scheduler runs."""
    configured = deps.config.schedule.start
    if configured is not None:
        return Month.parse(configured)
    with deps.read_only() as session:
        opened = earliest_opened(session)
    recorded = first_recorded(deps)
    known = [m for m in (opened, Month.parse(recorded) if recorded else None) if m is not None]
    if known:
        return min(known)
    this = this_month(now, deps.config.organization.timezone)
    first = next((m for m in (this.previous(), this) if deps.moments(m).open_at >= now),
                 this.shift(1))
    record_start(deps, str(first))
    return first
