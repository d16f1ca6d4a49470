"""The messages that chase a missing summary beyond the manager's own reminders: the close-day
copy to the parent department's manager (``schedule.escalate``) and, once the digest is out,
one note to each manager it went out without.

Each is an outbox row with a key of its own (department and recipient, no round), so however
many reminder rounds fall on close day and however often the close runs, each goes out once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.blocks.reminders import Due, missed_close_message, parent_copy
from bot.cycle.localtime import reader_zone
from bot.deps import Deps
from bot.outbox.delivery import DeliveryReport, Outgoing, deliver, enqueue
from bot.people import reader_of
from summaries.checkins.lacking import Lacking, not_handed_in
from summaries.config import schema as schema
from summaries.dates import format_month
from summaries.i18n import speaking
from summaries.periods import Month, late_until


def escalation_key(period: str, department: str, recipient: str) -> str:
    return f"escalation:{period}:{department}:{recipient}"


def missed_key(period: str, department: str, recipient: str) -> str:
    return f"missed:{period}:{department}:{recipient}"


def parent_copies(deps: Deps, month: Month, number: int,
                  waiting: Sequence[schema.Department],
                  lacking: Mapping[str, Lacking]) -> list[Outgoing]:
    """With ``schedule.escalate``, on close day: a copy of each waiting department's reminder
    for its parent's manager (none for a top-level department, or one its own manager also
    runs: they have the reminder already)."""
    moments = deps.moments(month)
    now = deps.clock()
    if not deps.config.schedule.escalate or not moments.is_close_day(now):
        return []
    copies = []
    for department in waiting:
        parent = deps.config.department_by_key.get(department.parent_in(str(month)) or "")
        if parent is None or parent.manager == department.manager:
            continue
        due = Due(moments.close_at, now, reader_zone(deps, parent.manager), deps.locale)
        with speaking(reader_of(deps, parent.manager)):
            payload = parent_copy(department, parent, format_month(month, deps.locale),
                                  due=due, lacking=lacking[department.key], reminders=number)
        payload["channel"] = parent.manager
        copies.append(Outgoing(escalation_key(str(month), department.key, parent.manager),
                               "escalation", parent.manager, payload, period_key=str(month),
                               department_key=department.key))
    return copies


def tell_missing(deps: Deps, month: Month, closed_at: datetime) -> DeliveryReport:
    """Tell each manager whose summary is not in that the digest went out without it, and
    until when a late one is taken (call once the digest's header is posted)."""
    until = late_until(closed_at, deps.config.schedule.late_until_days)
    with deps.unit_of_work() as session:
        notes = []
        for department in not_handed_in(session, deps.config, month):
            to = department.manager
            with speaking(reader_of(deps, to)):
                shown = format_month(month, deps.locale)
                payload = missed_close_message(department, str(month), shown,
                                               late_until=until, zone=reader_zone(deps, to),
                                               locale=deps.locale)
            payload["channel"] = to
            notes.append(Outgoing(missed_key(str(month), department.key, to), "missed_close",
                                  to, payload, period_key=str(month),
                                  department_key=department.key))
        keys = enqueue(session, notes)
    return deliver(deps, keys)
