"""Cycle steps that talk to managers: open a period with its prompts, and remind."""

from __future__ import annotations

import logging
from typing import Any, Literal

from sqlalchemy.orm import Session

from bot.blocks.kpis import slack_date
from bot.blocks.messages import prompt_message, reminder_message
from bot.deps import Deps
from bot.outbox.delivery import DeliveryReport, Outgoing, deliver, enqueue, sent_message
from summaries.checkins.asks import open_asks
from summaries.checkins.cycle import open_month, period_state
from summaries.checkins.forms import department_statuses, input_kpis
from summaries.config import schema as schema
from summaries.config.schema import Config
from summaries.dates import format_moment, format_month
from summaries.errors import DomainError
from summaries.periods import Month, PeriodState

log = logging.getLogger(__name__)


def prompt_key(period: str, department: schema.Department) -> str:
    return f"prompt:{period}:{department.key}:{department.manager}"


def open_period(deps: Deps, month: Month) -> DeliveryReport:
    """Open ``month`` and send each department's manager their prompt (once, ever)."""
    with deps.unit_of_work() as session:
        open_month(session, month, deps.clock())
        keys = enqueue(session, [_prompt(deps, session, month, d)
                                 for d in deps.config.departments_in(str(month))])
    report = deliver(deps, keys)
    log.info("opened %s: %d prompts sent, %d failed", month, len(report.sent),
             len(report.failed))
    return report


def remind_period(deps: Deps, month: Month, number: int) -> DeliveryReport:
    """Reminder ``number`` in the prompt's thread, to managers who have not submitted."""
    with deps.unit_of_work() as session:
        state = period_state(session, month)
        if state != PeriodState.OPEN:
            raise DomainError(f"{month} is {state}; reminders go out while it is open.")
        waiting = [s.department for s in department_statuses(session, deps.config, month)
                   if not s.submitted]
        prompt_keys = enqueue(session, [_prompt(deps, session, month, d) for d in waiting])
    # A reminder belongs in its prompt's thread, so any prompt still owed goes out first.
    report = deliver(deps, prompt_keys)
    reminders: list[Outgoing] = []
    with deps.unit_of_work() as session:
        for department in waiting:
            prompt = sent_message(session, prompt_key(str(month), department))
            if prompt is None or not prompt.slack_ts:
                report.failed.setdefault(prompt_key(str(month), department),
                                         "prompt not delivered; no thread to remind in")
                continue
            asks = len(open_asks(session, deps.config, department.key, month))
            reminders.append(_reminder(deps, month, number, department, prompt.slack_channel
                                       or department.manager, prompt.slack_ts, asks))
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
    deadline, deadline_text = _deadline(deps, month)
    payload: dict[str, Any] = prompt_message(
        department, str(month), format_month(month, deps.locale),
        sections_count=len(deps.config.sections_of(department)),
        kpis_count=len(input_kpis(deps.config, department)),
        deadline=deadline, deadline_text=deadline_text,
        carried=open_asks(session, deps.config, department.key, month),
        locale=deps.locale, timezone=deps.config.organization.timezone)
    payload["channel"] = department.manager
    return Outgoing(prompt_key(str(month), department), "prompt", department.manager, payload,
                    period_key=str(month), department_key=department.key)


def _reminder(deps: Deps, month: Month, number: int, department: schema.Department,
              channel: str, thread_ts: str, asks: int = 0) -> Outgoing:
    deadline, deadline_text = _deadline(deps, month)
    payload: dict[str, Any] = reminder_message(
        department, str(month), format_month(month, deps.locale), deadline=deadline,
        deadline_text=deadline_text, asks=asks)
    payload.update(channel=channel, thread_ts=thread_ts)
    key = f"reminder{number}:{month}:{department.key}:{department.manager}"
    return Outgoing(key, "reminder", department.manager, payload, period_key=str(month),
                    department_key=department.key)


class Step(str):
    """A step of a month's cycle by its name, as the ledger and the scheduler's jobs know it:
    ``open``, ``remind1``.. ``remindN`` or ``close``; anything else is a ValueError."""

    kind: Literal["open", "remind", "close"]
    round: int  # the reminder's number; 0 for open and close

    def __new__(cls, name: str) -> Step:
        step = super().__new__(cls, name)
        if name in ("open", "close"):
            step.kind, step.round = "open" if name == "open" else "close", 0
        elif name.startswith("remind") and name[6:].isdigit() and int(name[6:]) >= 1:
            step.kind, step.round = "remind", int(name[6:])
        else:
            raise ValueError(f"unknown step {name!r}: expected open, remind<N> or close")
        return step

    @classmethod
    def reminder(cls, number: int) -> Step:
        return cls(f"remind{number}")


def step_names(config: Config) -> list[Step]:
    """The steps of a cycle in order: ``open``, ``remind1``.. ``remindN``, ``close``."""
    reminders = [Step.reminder(n) for n in range(1, len(config.schedule.reminders) + 1)]
    return [Step("open"), *reminders, Step("close")]


def run_step(deps: Deps, step: Step, month: Month) -> DeliveryReport:
    """Run one step of ``month``'s cycle."""
    if step.kind == "open":
        return open_period(deps, month)
    if step.kind == "remind":
        return remind_period(deps, month, step.round)
    from bot.cycle.closing import close_period

    return close_period(deps, month)
