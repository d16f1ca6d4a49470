"""Cycle steps run by hand, from the command line or by an admin in Slack.

A hand run always runs (steps are idempotent) and is recorded in the step ledger, so the
scheduler does not repeat it.
"""

from __future__ import annotations

from bot.cycle.ledger import record_manual, steps_run
from bot.cycle.steps import Step, run_step
from bot.deps import Deps
from bot.outbox.delivery import DeliveryReport
from summaries.checkins.cycle import latest_open
from summaries.errors import DomainError
from summaries.i18n import _, ngettext
from summaries.periods import Month, this_month

ACTIONS = ("open", "remind", "close")


class NoOpenPeriod(DomainError):
    """A reminder was asked for without a period, and none is open."""

    def __init__(self) -> None:
        super().__init__(_("no period is open, so there is nobody to remind; name the period"))


def default_period(deps: Deps, action: str) -> Month:
    """The period a step applies to when none is named: this month for ``open``; the open
    period for ``remind`` and ``close`` (``close`` falls back to last month)."""
    if action == "open":
        return this_month(deps.clock(), deps.config.organization.timezone)
    with deps.unit_of_work() as session:
        month = latest_open(session)
    if month is not None:
        return month
    if action == "close":
        # closing happens early in the next month
        return this_month(deps.clock(), deps.config.organization.timezone).previous()
    raise NoOpenPeriod


def next_round(deps: Deps, month: Month) -> int:
    """The number of the next reminder of ``month`` (1 for the first): one after the last
    round the step ledger has, run on schedule or by hand."""
    rounds = [Step(name).round for name in steps_run(deps, str(month))
              if name.startswith("remind")]
    return max(rounds, default=0) + 1


def run_by_hand(deps: Deps, action: str, month: Month,
                round_number: int | None = None) -> DeliveryReport:
    """Run ``open``, ``remind`` (the next round unless given) or ``close`` for ``month`` now
    and record it in the ledger."""
    if action not in ACTIONS:
        raise ValueError(f"unknown step {action!r}: expected open, remind or close")
    step = Step(action) if action != "remind" else Step.reminder(
        round_number or next_round(deps, month))
    report = run_step(deps, step, month)
    first_error = next(iter(report.failed.items()), None)
    record_manual(deps, step, str(month), report.ok,
                  None if first_error is None else f"{first_error[0]}: {first_error[1]}")
    return report


def summary(action: str, month: Month, report: DeliveryReport) -> list[str]:
    """One line on what was sent, and one on what was not (if anything)."""
    lines = [ngettext("{action} {month}: {n} message sent", "{action} {month}: {n} messages sent",
                      len(report.sent), action=action, month=month)]
    if not report.ok:
        key, error = next(iter(report.failed.items()))
        lines.append(ngettext(
            "{n} message not delivered (first: {key}: {error}); it stays in the outbox and goes "
            "out on the next run", "{n} messages not delivered (first: {key}: {error}); they "
            "stay in the outbox and go out on the next run", len(report.failed), key=key,
            error=error))
    return lines
