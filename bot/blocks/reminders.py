"""Messages that chase a summary: the escalating reminder in the prompt's thread, its copy to
the parent department's manager on close day, and the note at the close to a manager whose
summary the digest went out without.

Each names the moment in the reader's time zone twice over: a Slack date token in the blocks
(Slack renders it in whatever zone the reader's client is in), and in the plain-text fallback
the moment in the zone the caller gives (the manager's own with ``schedule.local_time``), read
as "today 18:00" or "tomorrow 18:00" when it is that close."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.common import section
from bot.blocks.kpis import slack_date
from bot.blocks.messages import open_button
from bot.blocks.text import render
from summaries.checkins.lacking import Lacking
from summaries.config import schema as schema
from summaries.dates import format_moment
from summaries.i18n import _, reading, speaking


@dataclass(frozen=True)
class Due:
    """A deadline as a message states it, seen from ``now`` by a reader in ``zone``."""

    moment: datetime
    now: datetime
    zone: str
    locale: str = "en"

    @property
    def left(self) -> tuple[int, str]:
        """How long is left, rounded, in the largest unit that is at least one: (8, "hour");
        (0, "") once it has passed. Below a day hours, so the last call names them."""
        seconds = (self.moment - self.now).total_seconds()
        if seconds <= 0:
            return 0, ""
        if seconds < 3600:
            return max(1, round(seconds / 60)), "minute"
        if seconds < 86400:
            return round(seconds / 3600), "hour"
        return round(seconds / 86400), "day"

    def values(self) -> dict[str, Any]:
        """The templates' ``due.j2`` values, for the blocks (``when``: Slack's date token) and
        for the fallback (``when_text``: today/tomorrow or the date, in ``zone``)."""
        count, unit = self.left
        local = self.moment.astimezone(ZoneInfo(self.zone))
        days = (local.date() - self.now.astimezone(ZoneInfo(self.zone)).date()).days
        clock = f"{local:%H:%M}"
        if days == 0:
            text = _("today {clock}", clock=clock)
        elif days == 1:
            text = _("tomorrow {clock}", clock=clock)
        else:
            text = format_moment(local, self.locale)
        return {"left_count": count, "left_unit": unit,
                "when": slack_date(local, self.locale), "when_text": text}


def _both(name: str, due: Due, **values: Any) -> tuple[str, str]:
    """A message's mrkdwn text and its plain-text fallback, from ``name``.j2 and its fallback."""
    facts = due.values()
    text = render(name, **values, **facts)
    fallback = render(f"{name}_fallback", **values, **{**facts, "when": facts["when_text"]})
    return text, fallback


def reminder_message(department: schema.Department, period: str, month: str, *, due: Due,
                     lacking: Lacking, last: bool, asks: int = 0) -> dict[str, Any]:
    """A reminder for the prompt's thread: how long is left, what the draft still lacks, and
    the ``asks`` still open from earlier months (the prompt lists them; this counts them).
    The ``last`` one says so."""
    text, fallback = _both("reminder", due, department=department.name, month=month,
                           lacking=lacking, last=last, asks=asks)
    return {"text": fallback,
            "blocks": [section(text, accessory=open_button(period, department.key, _("Fill in")))]}


def parent_copy(department: schema.Department, parent: schema.Department, month: str, *,
                due: Due, lacking: Lacking, reminders: int) -> dict[str, Any]:
    """The close-day copy for the parent department's manager: the facts only. No form
    button, since only the department's manager or an admin may fill it in."""
    text, fallback = _both("reminder_parent", due, department=department.name,
                           parent=parent.name, manager=department.manager, month=month,
                           lacking=lacking, reminders=reminders)
    return {"text": fallback, "blocks": [section(text)]}


def missed_close_message(department: schema.Department, period: str, month: str, *,
                         late_until: datetime, zone: str, locale: str) -> dict[str, Any]:
    """The note at the close: the digest went out without this summary, and until when a late
    one is still taken, with the button to fill it in."""
    local = late_until.astimezone(ZoneInfo(zone))
    with speaking(reading(locale)):  # the reader's words; else the organization's
        text = render("missed_close", department=department.name, month=month,
                      until=slack_date(local, locale))
        fallback = render("missed_close_fallback", department=department.name, month=month,
                          until=format_moment(local, locale))
        return {"text": fallback, "blocks": [
            section(text, accessory=open_button(period, department.key,
                                                _("Fill in late summary")))]}
