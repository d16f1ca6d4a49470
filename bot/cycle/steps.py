"""Cycle steps that talk to managers: open a period with its prompts, and remind."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from datetime import datetime, time
from typing import Any, Literal

from sqlalchemy.orm import Session

from bot.blocks.admin import period_words
from bot.blocks.kpis import slack_date
from bot.blocks.messages import prompt_message, standing_in
from bot.blocks.reminders import Due, reminder_message
from bot.cycle.localtime import reader_zone
from bot.cycle.nudges import parent_copies
from bot.deps import Deps
from bot.outbox.delivery import DeliveryReport, Outgoing, deliver, enqueue, sent_message
from bot.people import reader_of
from summaries.checkins.asks import open_asks
from summaries.checkins.away import absence_of
from summaries.checkins.cycle import open_month, period_state
from summaries.checkins.forms import department_statuses, input_kpis
from summaries.checkins.lacking import Lacking, drafts_lacking
from summaries.config import schema as schema
from summaries.dates import format_day, format_moment, format_month
from summaries.errors import DomainError
from summaries.i18n import N_, _, speaking
from summaries.periods import Month, PeriodState

log = logging.getLogger(__name__)
# Why no reminder goes out, by the state the period is in.
_NOT_OPEN = {PeriodState.PENDING: N_("{month} is pending; reminders go out while it is open."),
             PeriodState.CLOSED: N_("{month} is closed; reminders go out while it is open.")}


def prompt_key(period: str, department: schema.Department, recipient: str | None = None) -> str:
    """The prompt's outbox key: one per recipient, so a deputy's prompt is a message of its
    own (and the manager's, once they are back, another)."""
    return f"prompt:{period}:{department.key}:{recipient or department.manager}"


def _recipient(deps: Deps, session: Session, department: schema.Department
               ) -> tuple[str, dict[str, Any] | None]:
    """Who gets the department's prompt or reminder now: its manager, or while they are away
    their deputy, with the line telling the deputy why."""
    absence = absence_of(session, deps.config, department.manager, deps.clock())
    if absence is None:
        return department.manager, None
    with speaking(reader_of(deps, absence.deputy)):
        until = format_day(datetime.combine(absence.last_day, time()), deps.locale)
        return absence.deputy, standing_in(department.manager, department.name, until)


def open_period(deps: Deps, month: Month, only: Collection[str] | None = None
                ) -> DeliveryReport:
    """Open ``month`` and send each department's manager their prompt (once, ever); ``only``
    those departments' when given (managers whose local moment has come)."""
    with deps.unit_of_work() as session:
        open_month(session, month, deps.clock())
        keys = enqueue(session, [_prompt(deps, session, month, d)
                                 for d in deps.config.departments_in(str(month))
                                 if only is None or d.key in only])
    report = deliver(deps, keys)
    log.info("opened %s: %d prompts sent, %d failed", month, len(report.sent),
             len(report.failed))
    return report


def remind_period(deps: Deps, month: Month, number: int,
                  only: Collection[str] | None = None) -> DeliveryReport:
    """Reminder ``number`` in the prompt's thread, to managers who have not submitted (of
    ``only`` those departments, when given); on close day a copy may go up (see nudges)."""
    with deps.unit_of_work() as session:
        state = period_state(session, month)
        if state != PeriodState.OPEN:
            raise DomainError(_(_NOT_OPEN.get(state, _NOT_OPEN[PeriodState.CLOSED]),
                                month=period_words(month, deps.locale)))
        waiting = [s.department for s in department_statuses(session, deps.config, month)
                   if not s.submitted and (only is None or s.department.key in only)]
        prompt_keys = enqueue(session, [_prompt(deps, session, month, d) for d in waiting])
    # A reminder belongs in its prompt's thread, so any prompt still owed goes out first.
    report = deliver(deps, prompt_keys)
    reminders: list[Outgoing] = []
    with deps.unit_of_work() as session:
        lacking = drafts_lacking(session, deps.config, month, waiting)
        for department in waiting:
            to, note = _recipient(deps, session, department)
            prompt = sent_message(session, prompt_key(str(month), department, to))
            if prompt is None or not prompt.slack_ts:
                report.failed.setdefault(prompt_key(str(month), department, to),
                                         _("prompt not delivered; no thread to remind in"))
                continue
            asks = len(open_asks(session, deps.config, department.key, month))
            reminder = _reminder(deps, month, number, department, prompt.slack_channel or to,
                                 prompt.slack_ts, asks, to, lacking[department.key])
            if note is not None:
                reminder.payload["blocks"].append(note)
            reminders.append(reminder)
        reminders += parent_copies(deps, month, number, waiting, lacking)
        keys = enqueue(session, reminders)
    again = deliver(deps, keys)
    report.sent.extend(again.sent)
    report.failed.update(again.failed)
    return report


def _deadline(deps: Deps, month: Month) -> tuple[str, str]:
    close = deps.moments(month).close_at
    return slack_date(close, deps.locale), format_moment(close, deps.locale)


def _prompt(deps: Deps, session: Session, month: Month,
            department: schema.Department) -> Outgoing:
    """The prompt, with the department's asks still open from earlier months as they stand
    when it is written (it is sent once; the form shows them as they stand when opened)."""
    to, note = _recipient(deps, session, department)
    with speaking(reader_of(deps, to)):  # in the language of the person it goes to
        deadline, deadline_text = _deadline(deps, month)
        payload: dict[str, Any] = prompt_message(
            department, str(month), format_month(month, deps.locale),
            sections_count=len(deps.config.sections_of(department)),
            kpis_count=len(input_kpis(deps.config, department)),
            deadline=deadline, deadline_text=deadline_text,
            carried=open_asks(session, deps.config, department.key, month),
            locale=deps.locale, timezone=deps.config.organization.timezone)
    if note is not None:
        payload["blocks"].insert(1, note)
    payload["channel"] = to
    return Outgoing(prompt_key(str(month), department, to), "prompt", to, payload,
                    period_key=str(month), department_key=department.key)


def _reminder(deps: Deps, month: Month, number: int, department: schema.Department,
              channel: str, thread_ts: str, asks: int, to: str, lacking: Lacking) -> Outgoing:
    """A reminder that escalates as the close nears: it names the time left (in hours on the
    last day) and what the draft still lacks; the last configured round says it is the last."""
    due = Due(deps.moments(month).close_at, deps.clock(), reader_zone(deps, to), deps.locale)
    with speaking(reader_of(deps, to)):  # in the language of the person it goes to
        payload: dict[str, Any] = reminder_message(
            department, str(month), format_month(month, deps.locale), due=due,
            lacking=lacking, last=number >= len(deps.config.schedule.reminders), asks=asks)
    payload.update(channel=channel, thread_ts=thread_ts)
    key = f"reminder{number}:{month}:{department.key}:{to}"
    return Outgoing(key, "reminder", to, payload, period_key=str(month),
                    department_key=department.key)


class Step(str):
    """A step of a month's cycle by its name, as the ledger and the scheduler's jobs know it:
    ``open``, ``remind1``.. ``remindN`` or ``close``; anything else is a ValueError.

    With ``schedule.local_time`` an open or a reminder runs once per UTC offset its managers'
    moments fall at, named ``open@+0100`` or ``remind2@-0500`` (``offset``): the offset, not
    the zone's name, so zones that share a moment share a step and the name fits the ledger."""

    kind: Literal["open", "remind", "close"]
    round: int  # the reminder's number; 0 for open and close
    offset: str | None  # "+0100": the managers whose local moment falls then; None: everyone

    def __new__(cls, name: str) -> Step:
        step = super().__new__(cls, name)
        base, at, offset = name.partition("@")
        step.offset = offset or None
        if at and (base == "close" or not _OFFSET.fullmatch(offset)):
            base = ""  # only an open or a reminder runs per offset, and only at a real one
        if base in ("open", "close"):
            step.kind, step.round = "open" if base == "open" else "close", 0
        elif base.startswith("remind") and base[6:].isdigit() and int(base[6:]) >= 1:
            step.kind, step.round = "remind", int(base[6:])
        else:
            raise ValueError(f"unknown step {name!r}: expected open, remind<N> or close, "
                             "the first two optionally @+HHMM")
        return step

    @classmethod
    def reminder(cls, number: int, offset: str | None = None) -> Step:
        return cls(f"remind{number}" + (f"@{offset}" if offset else ""))


_OFFSET = re.compile(r"[+-](0\d|1[0-4])[0-5]\d")


def run_step(deps: Deps, step: Step, month: Month, only: Collection[str] | None = None
             ) -> DeliveryReport:
    """Run one step of ``month``'s cycle (an open or a reminder for ``only`` those
    departments, when given). It speaks the organization's language (the digest, the
    channel), and each direct message its reader's, whoever started it."""
    from bot.cycle.closing import close_period

    with speaking(deps.config.organization.locale):
        if step.kind == "open":
            return open_period(deps, month, only)
        if step.kind == "remind":
            return remind_period(deps, month, step.round, only)
        return close_period(deps, month)
