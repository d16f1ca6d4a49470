"""When each step of a month's cycle runs, as the scheduler plans and reconciles it.

By default every step runs at the organization's moments. With ``schedule.local_time`` the open
and each reminder run once per UTC offset at which a manager's own local moment falls
(``open@+0100`` when a manager in Berlin reaches 09:00 in winter): a ledger row per offset, so
each such moment runs once across restarts and replicas, and the outbox keys keep each message
once whichever step sends it. The close stays one step at the organization's moment.

An offset's step serves every department whose manager's moment has come by then, not only
the managers at that offset: a manager whose zone changed between two steps is still served by
the next one, and the outbox makes anyone already served a no-op.
"""

from __future__ import annotations

from datetime import datetime

from bot.cycle.localtime import reader_zone
from bot.cycle.steps import Step
from bot.deps import Deps
from summaries.periods import Month
from summaries.schedule import CycleMoments, cycle_moments, timeline


def offset_tag(moment: datetime) -> str:
    """The UTC offset of an aware ``moment`` as a step names it: ``+0800``, ``-0330``."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("moment must be timezone-aware")
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{rest:02d}"


def _name(kind: str, number: int, offset: str | None = None) -> str:
    base = f"remind{number}" if kind == "remind" else kind
    return f"{base}@{offset}" if offset else base


def timetable(deps: Deps, month: Month) -> list[tuple[datetime, Step]]:
    """Every step of ``month``'s cycle with its moment, in time order (ValueError when the
    holiday calendar leaves no business day for one)."""
    moments = deps.moments(month)
    if not deps.config.schedule.local_time:
        return [(moment, Step(_name(kind, number))) for kind, number, moment in timeline(moments)]
    found: dict[str, datetime] = {}
    for zone in sorted(set(manager_zones(deps, month).values())):
        for kind, number, moment in timeline(_local(deps, month, zone)):
            if kind != "close":
                found.setdefault(_name(kind, number, offset_tag(moment)), moment)
    found["close"] = moments.close_at
    return sorted(((moment, Step(name)) for name, moment in found.items()),
                  key=lambda item: item[0])


def manager_zones(deps: Deps, month: Month) -> dict[str, str]:
    """By department key: the time zone its manager's prompts and reminders follow."""
    return {d.key: reader_zone(deps, d.manager) for d in deps.config.departments_in(str(month))}


def recipients_due(deps: Deps, month: Month, step: Step, now: datetime) -> set[str] | None:
    """The departments a per-offset ``step`` serves at ``now``: those whose manager's own
    moment for it has come. None for a step that serves everyone (no offset)."""
    if step.offset is None:
        return None
    local: dict[str, CycleMoments] = {}
    due = set()
    for key, zone in manager_zones(deps, month).items():
        moments = local.get(zone) or local.setdefault(zone, _local(deps, month, zone))
        if step.kind == "open":
            moment = moments.open_at
        elif step.round <= len(moments.reminders):
            moment = moments.reminders[step.round - 1]
        else:
            continue
        if moment <= now:
            due.add(key)
    return due


def _local(deps: Deps, month: Month, zone: str) -> CycleMoments:
    """``month``'s moments at the schedule's times of day in ``zone`` (the same days)."""
    return cycle_moments(month, deps.config.schedule, zone, deps.calendar)
