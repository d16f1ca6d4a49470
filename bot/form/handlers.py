"""The check-in form's use cases for the listeners: build a step, keep a draft, store, confirm."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, replace

from sqlalchemy.exc import IntegrityError, OperationalError

from bot.blocks.carried import carried_lines
from bot.blocks.messages import confirmation_message
from bot.blocks.modal import checkin_view
from bot.deps import Deps
from bot.form.state import carry_choices, check_values, split_steps
from bot.home import deadline
from bot.ids import FormRef
from bot.outbox.delivery import DeliveryReport, Outgoing, deliver, enqueue
from bot.people import reader_of
from summaries.checkins.away import confirmation_recipients
from summaries.checkins.cycle import confirmation_data, fillable_period
from summaries.checkins.evaluation import refresh_flags
from summaries.checkins.forms import Carried, FormContext, carry_over, form_fields, load_form
from summaries.checkins.plausible import confirm_plausible
from summaries.checkins.submissions import (
    SubmissionResult,
    authorize_department,
    read_draft,
    record_submission,
    save_draft,
)
from summaries.dates import format_month
from summaries.digest.load import load_revised
from summaries.engine.problems import asks_of, find_problems
from summaries.errors import ValidationFailed
from summaries.i18n import speaking
from summaries.periods import Month, SubmissionStatus

log = logging.getLogger(__name__)
# Concurrent submits of one form meet at the database's unique keys; the loser tries again.
STORE_ATTEMPTS = 3


def load_step(deps: Deps, period: str, department: str, user: str
              ) -> tuple[FormContext, str]:
    """The form of a department's month and when it is due, after checking who asks and that
    it is open."""
    month = Month.parse(period)
    with deps.unit_of_work() as session:  # a deputy may while their manager is away
        spec = authorize_department(deps.config, department, user, session, deps.clock())
        row, reopened = fillable_period(session, deps.config, month, deps.clock(), department)
        due = deadline(deps, month, row, reopened)
        return load_form(session, deps.config, month, spec), due


def form_view(deps: Deps, period: str, department: str, user: str, step: int = 0, *,
              typed: dict[str, str | None] | None = None,
              notes: list[str] | None = None, version: int = 0) -> dict[str, object]:
    """The modal for one step of the form, prefilled (``typed`` values win over stored ones);
    ``version`` marks its inputs when it replaces a view that must show new values (see
    :func:`bot.blocks.modal.versioned`)."""
    form, due = load_step(deps, period, department, user)
    if typed:
        values = dict(form.values)
        for key, value in typed.items():
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
        form = replace(form, values=values)
    steps = split_steps(form.fields)
    ref = FormRef(period, department, max(0, min(step, len(steps) - 1)), len(steps))
    return checkin_view(form, ref, steps, locale=deps.locale, deadline=due, notes=notes,
                        timezone=deps.config.organization.timezone, version=version)


def keep_draft(deps: Deps, ref: FormRef, user: str, values: dict[str, str | None]) -> None:
    """Fold what was typed on one step into the department's draft."""
    with deps.unit_of_work() as session:
        save_draft(session, deps.config, period=ref.period, department=ref.department,
                   user=user, values=values, merge=True, now=deps.clock())


@dataclass(frozen=True)
class Stored(SubmissionResult):
    """A stored form: the submission, and what it did to the asks carried over."""

    carried: tuple[Carried, ...] = ()


def store_form(deps: Deps, ref: FormRef, user: str, values: dict[str, str | None],
               confirmed: str | None = None) -> Stored:
    """Record the whole form: earlier steps from the draft, this step from ``values``; the
    carried asks are withdrawn or updated in the same unit of work, so either both are kept
    or neither is. Figures far from last month's raise Unconfirmed, storing nothing, unless
    ``confirmed`` is the mark of the confirmation the manager gave for exactly those."""
    with deps.read_only() as session:  # a deputy may while their manager is away
        spec = authorize_department(deps.config, ref.department, user, session, deps.clock())
    month = Month.parse(ref.period)
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            now = deps.clock()  # one moment for the checks and everything stored
            with deps.unit_of_work() as session:
                fillable_period(session, deps.config, month, now, ref.department)
                merged = {**read_draft(session, period=ref.period, department=ref.department),
                          **values}
                checked = check_values(deps.config, ref.department, merged,
                                       form_fields(deps.config, spec))
                if checked.errors:
                    raise ValidationFailed(checked.errors)
                confirm_plausible(session, deps.config, month, spec, checked.figures, confirmed)
                result = record_submission(
                    session, deps.config, period=ref.period, department=ref.department,
                    user=user, answers=checked.answers, figures=checked.figures, now=now)
                carried = carry_over(session, deps.config, month=month, user=user, now=now,
                                     department=ref.department, choices=carry_choices(merged))
                return Stored(**asdict(result), carried=tuple(carried))
        except (IntegrityError, OperationalError):
            if attempt == STORE_ATTEMPTS:
                raise
            log.info("submit of %s %s met a concurrent one; trying again", ref.department,
                     ref.period)
    raise AssertionError("unreachable")


def confirm(deps: Deps, ref: FormRef, user: str,
            result: SubmissionResult) -> DeliveryReport | None:
    """DM the manager their figures against target and their flags, and what became of the
    asks carried over; nothing if nothing changed (a double submit)."""
    carried = result.carried if isinstance(result, Stored) else ()
    if not (result.first_submission or result.changed_fields or carried):
        return None
    month = Month.parse(ref.period)
    with deps.unit_of_work() as session:
        shown = confirmation_data(session, deps.config, month, ref.department)
        refresh_flags(session, shown.report)  # the flags the manager is told of are kept
        # To whoever submitted, the manager, and the deputy acting for them (SPEC 5.3).
        recipients = confirmation_recipients(session, deps.config, ref.department, user,
                                             deps.clock())
    with deps.read_only() as session:  # not in the write above: keep SQLite's lock short
        revised = {kpi: when for (department, kpi), when in load_revised(session, month).items()
                   if department == ref.department}
    revisions = shown.revisions
    until = deadline(deps, month, shown.period, shown.reopened_until)
    department = shown.report.department(ref.department)
    if department is None:
        return None
    # A change of carried asks alone is news too: its asks' latest changes tell it apart.
    version = ".".join([str(revisions), *(_last_event(c) for c in carried)])
    outgoing = []
    for to in recipients:
        with speaking(reader_of(deps, to)):  # each recipient in their own language
            messages = confirmation_message(
                department, deps.config.kpi_by_key, ref.period, format_month(month, deps.locale),
                first=result.first_submission, late=result.status == SubmissionStatus.LATE,
                changed=len(result.changed_fields), editable_until=until, locale=deps.locale,
                problems=find_problems(deps.config, [department], ref.period),
                asks=asks_of(deps.config, department), revised=revised,
                carried=carried_lines(carried))
        outgoing += [Outgoing(f"confirm:{ref.period}:{ref.department}:{to}:{version}:{n}",
                              "confirmation", to, {**payload, "channel": to},
                              period_key=ref.period, department_key=ref.department)
                     for n, payload in enumerate(messages)]
    with deps.unit_of_work() as session:
        keys = enqueue(session, outgoing)
    return deliver(deps, keys)


def _last_event(carried: Carried) -> str:
    last = carried.ask.last_change
    return f"{carried.ask.id}@{last.at.timestamp():.0f}" if last is not None else ""
