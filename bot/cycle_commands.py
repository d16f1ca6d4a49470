"""``checkin cycle open|remind|close``: run a cycle step now, finishing its Slack posts first."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:  # the parser is built for every command, so heavy modules load on use
    from bot.delivery import DeliveryReport
    from bot.deps import Deps
    from summaries.periods import Month

EXIT_OK, EXIT_UNDELIVERED, EXIT_BAD_INPUT = 0, 1, 2


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``cycle`` command group."""
    cycle = commands.add_parser("cycle", help="run a step of the month-end cycle now")
    steps = cycle.add_subparsers(dest="action", metavar="STEP", required=True)
    opener = steps.add_parser("open", help="open a period and send each manager their prompt")
    opener.add_argument("--period", help="YYYY-MM (default: this month)")
    reminder = steps.add_parser("remind", help="remind managers who have not submitted, in "
                                               "their prompt's thread")
    reminder.add_argument("--period", help="YYYY-MM (default: the open period)")
    reminder.add_argument("--round", type=int,
                          help="which reminder (default: the next one; give a number to finish "
                               "a round that failed part-way)")
    closer = steps.add_parser("close", help="close a period and post the digest to the "
                                             "leadership channel")
    closer.add_argument("--period", help="YYYY-MM (default: the open period, else last month)")
    for parser in (opener, reminder, closer):
        parser.set_defaults(handler=run_cycle_step)


def run_cycle_step(args: argparse.Namespace, settings: Settings) -> int:
    """Run the step; exit 0 when every post went out, 1 with a summary when some did not."""
    from bot.cli import CommandError
    from bot.jobs import run_step
    from bot.ledger import record_manual
    from bot.serve import build_deps
    from summaries.errors import DomainError

    deps = build_deps(settings)
    try:
        month = _period(deps, args)
        step = args.action
        if step == "remind":
            step = f"remind{args.round or _next_round(deps, month)}"
        report = run_step(deps, step, month)
        first_error = next(iter(report.failed.items()), None)
        record_manual(deps, step, str(month), report.ok,
                      None if first_error is None else f"{first_error[0]}: {first_error[1]}")
    except (DomainError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    finally:
        deps.close()
    return _summarise(args.action, month, report)


def _period(deps: Deps, args: argparse.Namespace) -> Month:
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from summaries.errors import DomainError
    from summaries.models import Period
    from summaries.periods import Month
    if args.period:
        return Month.parse(args.period)
    zone = ZoneInfo(deps.config.organization.timezone)
    this_month = Month.of(deps.clock().astimezone(zone).date())
    if args.action == "open":
        return this_month
    with deps.unit_of_work() as session:
        key = session.scalars(select(Period.key).where(Period.state == "open")
                              .order_by(Period.key.desc())).first()
    if key is not None:
        return Month.parse(key)
    if args.action == "close":
        return this_month.previous()  # closing happens early in the next month
    raise DomainError("no period is open; give --period YYYY-MM")


def _next_round(deps: Deps, month: Month) -> int:
    from sqlalchemy import select

    from summaries.models import OutboxMessage
    with deps.unit_of_work() as session:
        kinds = session.scalars(select(OutboxMessage.key).where(
            OutboxMessage.period_key == str(month), OutboxMessage.kind == "reminder"))
        rounds = {int(key.split(":", 1)[0].removeprefix("reminder")) for key in kinds}
    return max(rounds, default=0) + 1


def _summarise(action: str, month: Month, report: DeliveryReport) -> int:
    print(f"{action} {month}: {len(report.sent)} message(s) sent")
    if report.ok:
        return EXIT_OK
    first = next(iter(report.failed.items()))
    print(f"{len(report.failed)} message(s) not delivered (first: {first[0]}: {first[1]}); "
          "they stay in the outbox: run the command again to send them")
    return EXIT_UNDELIVERED
