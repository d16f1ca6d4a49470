"""``checkin cycle open|remind|close``: run a cycle step now, finishing its Slack posts first."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.base import EXIT_FAILED, EXIT_OK
from bot.settings import Settings
from summaries.i18n import _, speak_from_now

if TYPE_CHECKING:  # the parser is built for every command, so heavy modules load on use
    from bot.outbox.delivery import DeliveryReport
    from summaries.periods import Month

EXIT_UNDELIVERED = EXIT_FAILED  # some posts did not go out


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``cycle`` command group."""
    cycle = commands.add_parser("cycle", help=_("run a step of the month-end cycle now"))
    steps = cycle.add_subparsers(dest="action", metavar="STEP", required=True)
    opener = steps.add_parser("open",
                              help=_("open a period and send each manager their prompt"))
    opener.add_argument("--period", help=_("YYYY-MM (default: this month)"))
    reminder = steps.add_parser("remind", help=_("remind managers who have not submitted, in "
                                                 "their prompt's thread"))
    reminder.add_argument("--period", help=_("YYYY-MM (default: the open period)"))
    reminder.add_argument("--round", type=int,
                          help=_("which reminder (default: the next one; give a number to "
                                 "finish a round that failed part-way)"))
    closer = steps.add_parser("close", help=_("close a period and post the digest to the "
                                               "leadership channel"))
    closer.add_argument("--period",
                        help=_("YYYY-MM (default: the open period, else last month)"))
    for parser in (opener, reminder, closer):
        parser.set_defaults(handler=run_cycle_step)


def run_cycle_step(args: argparse.Namespace, settings: Settings) -> int:
    """Run the step; exit 0 when every post went out, 1 with a summary when some did not."""
    from bot.bootstrap import start
    from bot.cli.base import CommandError
    from bot.cycle.manual import NoOpenPeriod, default_period, run_by_hand
    from summaries.errors import DomainError
    from summaries.periods import Month

    deps = start(settings)
    speak_from_now(deps.config.organization.locale)  # as bot.cli.base.load_configuration
    try:
        month = Month.parse(args.period) if args.period else default_period(deps, args.action)
        report = run_by_hand(deps, args.action, month, getattr(args, "round", None))
    except NoOpenPeriod as exc:
        raise CommandError(_("no period is open; give --period YYYY-MM")) from exc
    except (DomainError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    finally:
        deps.close()
    return _summarise(args.action, month, report)


def _summarise(action: str, month: Month, report: DeliveryReport) -> int:
    from bot.cycle.manual import summary

    lines = summary(action, month, report)
    print(lines[0])
    if report.ok:
        return EXIT_OK
    key, error = next(iter(report.failed.items()))
    print(_("{count} message(s) not delivered (first: {key}: {error}); they stay in the outbox "
            "and run the command again to send them", count=len(report.failed), key=key,
            error=error))
    return EXIT_UNDELIVERED
