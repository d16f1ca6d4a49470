"""``/checkin``: status, edit, asks, the cycle's steps by hand, reopen, export and help, each for
the roles of SPEC section 1. Who may do what is checked here, on the server, every time."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks.admin import (
    help_message,
    no_role_message,
    one_line,
    picker_message,
    status_message,
    usage_line,
)
from bot.blocks.kpis import slack_date
from bot.commands.admin import export_period, reopen_department, run_step_by_hand
from bot.commands.asks import asks_reply
from bot.commands.away import away_reply, back_reply, skip_reply
from bot.cycle.manual import ACTIONS, NoOpenPeriod, default_period, this_month
from bot.deps import Deps
from bot.form.opening import open_form
from bot.ids import CHECKIN_COMMAND
from bot.notices import answer
from summaries.access import Viewer, viewer
from summaries.checkins.cycle import PeriodInfo, current_period, latest_opened, period_info
from summaries.checkins.forms import department_statuses
from summaries.checkins.skipping import skip_reasons
from summaries.dates import format_month
from summaries.errors import DomainError, echo
from summaries.lookup.matching import Named, find_one
from summaries.periods import Month

log = logging.getLogger(__name__)
_MONTH = re.compile(r"\d{4}-\d{1,2}")
FORMATS = ("xlsx", "csv")
SORRY = ("That did not work because of a problem on our side; it has been logged. Please try "
         "again in a minute.")


@dataclass
class Request:
    """One ``/checkin`` invocation: who, the words after the subcommand, and its body."""

    deps: Deps
    who: Viewer
    words: list[str]
    body: dict[str, Any]
    client: WebClient
    _ack: Ack
    acked: bool = False

    def ack(self, **message: Any) -> None:
        """Acknowledge, showing ``message`` (text and blocks) privately if given."""
        self._ack(**message)
        self.acked = True

    def answer(self, message: dict[str, Any]) -> None:
        """Show ``message`` in the acknowledgement if it has not gone yet, else after it."""
        if self.acked:
            self.reply(message)
        else:
            self.ack(**message)

    def reply(self, message: dict[str, Any]) -> None:
        answer(self.client, self.deps.settings.slack_api_url, self.body, message)

    def month(self) -> Month | None:
        """The YYYY-MM among the words, if any (removed from them); DomainError if malformed."""
        word = next((w for w in self.words if _MONTH.fullmatch(w)), None)
        if word is None:
            return None
        self.words.remove(word)
        try:
            return Month.parse(word)
        except ValueError:
            raise DomainError(f"{echo(word)} is not a month; write it as YYYY-MM, e.g. 2026-10.") \
                from None


def handle_checkin_command(deps: Deps, ack: Ack, body: dict[str, Any],
                           client: WebClient) -> None:
    """Check the role, acknowledge, then do the subcommand's work."""
    words = (body.get("text") or "").split()
    name = words[0].lower() if words else "help"
    who = viewer(deps.config, body["user_id"])
    entry = SUBCOMMANDS.get(name)
    usage = usage_line(CHECKIN_COMMAND, who.role)
    if who.role is None:
        ack(**no_role_message(deps.config))
        return
    if entry is None:
        ack(**one_line(f"There is no `{CHECKIN_COMMAND} {name}`. Usage: {usage}"))
        return
    roles, handler = entry
    if who.role not in roles:
        ack(**one_line(_not_allowed(name, roles)))
        return
    request = Request(deps, who, words[1:], body, client, ack)
    try:
        handler(request)
    except DomainError as problem:
        request.answer(one_line(f"{problem} Usage: {usage}"))
    except Exception:
        log.exception("/checkin %s failed", name)
        request.answer(one_line(SORRY))


def _not_allowed(name: str, roles: tuple[str, ...]) -> str:
    who = " and ".join(f"{r}s" for r in roles)
    return f"Sorry, only {who} can use `{CHECKIN_COMMAND} {name}`."


def _help(request: Request) -> None:
    request.ack(**help_message(CHECKIN_COMMAND, request.who,
                               request.deps.config.organization.name))


def _status(request: Request) -> None:
    request.ack()
    deps, who = request.deps, request.who
    month = request.month()
    _no_more_words(request)
    with deps.unit_of_work() as session:
        month = month or _working_month(deps, session)
        row = period_info(session, month)
        shown = None if who.sees_everything else set(who.managed)
        statuses = department_statuses(session, deps.config, month, shown)
        state = _state_line(deps, month, row)
        skipped = skip_reasons(session, month)
    request.reply(status_message(format_month(month, deps.locale), state, statuses,
                                 mention_managers=who.sees_everything, skipped=skipped))


def _edit(request: Request) -> None:
    request.ack()
    deps, who = request.deps, request.who
    month = request.month()
    with deps.unit_of_work() as session:
        month = month or _working_month(deps, session)
    if request.words:
        choices = [Named(d.key, d.name) for d in deps.config.departments
                   if who.is_admin or d.key in who.managed]
        keys = [find_one(" ".join(request.words), choices).key]
    else:
        keys = list(who.managed)
    if not keys:
        raise DomainError("You manage no department; as an admin, name the one to edit: "
                          f"`{CHECKIN_COMMAND} edit <department> [YYYY-MM]`.")
    if len(keys) == 1:
        open_form(deps, request.client, request.body["trigger_id"], who.user, str(month),
                  keys[0])
        return
    pairs = [(k, deps.config.department_by_key[k].name) for k in keys]
    request.reply(picker_message(format_month(month, deps.locale), str(month), pairs))


def _asks(request: Request) -> None:
    request.ack()
    request.reply(asks_reply(request.deps, request.who, request.words))


def _away(request: Request) -> None:
    request.ack()
    request.reply(away_reply(request.deps, request.who.user, request.words))


def _back(request: Request) -> None:
    request.ack()
    request.reply(back_reply(request.deps, request.who.user, request.words))


def _skip(request: Request) -> None:
    """``/checkin skip <reason>``: the month managers are working on has nothing to report."""
    request.ack()
    deps = request.deps
    with deps.unit_of_work() as session:
        month = _working_month(deps, session)
    request.reply(skip_reply(deps, request.who.user, request.who.managed, month,
                             " ".join(request.words)))


def _cycle_step(action: str) -> Callable[[Request], None]:
    def run(request: Request) -> None:
        deps = request.deps
        month = request.month()
        _no_more_words(request)
        try:
            month = month or default_period(deps, action)
        except NoOpenPeriod as exc:
            raise DomainError("No period is open; name one: "
                              f"`{CHECKIN_COMMAND} remind YYYY-MM`.") from exc
        request.ack(**one_line(f"Running {action} for {month}\u2026 I'll report here when it "
                              "is done."))
        _in_background(request, lambda: run_step_by_hand(deps, action, month))
    return run


def _reopen(request: Request) -> None:
    request.ack()
    deps = request.deps
    month = request.month()
    if not request.words:
        raise DomainError("Name the department to reopen.")
    with deps.unit_of_work() as session:
        month = month or _working_month(deps, session, closed_first=True)
    request.reply(reopen_department(deps, request.who.user, " ".join(request.words), month))


def _export(request: Request) -> None:
    deps = request.deps
    month = request.month()
    formats = [w.lower() for w in request.words if w.lower() in FORMATS]
    request.words[:] = [w for w in request.words if w.lower() not in FORMATS]
    _no_more_words(request)
    if len(formats) > 1:
        raise DomainError("Choose one format: xlsx or csv.")
    fmt = formats[0] if formats else "xlsx"
    with deps.unit_of_work() as session:
        month = month or _working_month(deps, session, closed_first=True)
    request.ack(**one_line(f"Preparing the {month} export ({fmt})\u2026 it will arrive in a direct "
                  "message."))
    trigger = str(request.body.get("trigger_id") or deps.clock().timestamp())
    _in_background(request, lambda: export_period(deps, request.who.user, month, fmt, trigger))


def _in_background(request: Request, work: Callable[[], dict[str, Any]]) -> None:
    """Run slow work off the listener's thread and report its outcome to the person."""
    def run() -> None:
        try:
            message = work()
        except DomainError as problem:
            message = one_line(str(problem))
        except Exception:
            log.exception("/checkin %s failed", " ".join(request.words))
            message = one_line(SORRY)
        request.reply(message)
    request.deps.executor.submit(run)


def _no_more_words(request: Request) -> None:
    if request.words:
        raise DomainError(f"I don't understand “{' '.join(request.words)}”.")


def _working_month(deps: Deps, session: Any, *, closed_first: bool = False) -> Month:
    """The month a subcommand means when none is named: the one managers are working on (or,
    for exports and reopening, the latest that has been opened), else last month."""
    period = None if closed_first else current_period(session, deps.config, deps.clock())
    month = period.month if period is not None else latest_opened(session)
    if month is not None:
        return month
    return this_month(deps.clock(), deps.config.organization.timezone).previous()


def _state_line(deps: Deps, month: Month, row: PeriodInfo | None) -> str:
    moments = deps.moments(month)
    if row is None or row.state == "pending":
        return f"opens {_when(deps, moments.open_at)}"
    if row.state == "open":
        return f"open, closes {_when(deps, moments.close_at)}"
    return f"closed {_when(deps, row.closed_at or moments.close_at)}"


def _when(deps: Deps, moment: datetime) -> str:
    return slack_date(moment, deps.locale)


SUBCOMMANDS: dict[str, tuple[tuple[str, ...], Callable[[Request], None]]] = {
    "help": (("manager", "leader", "admin"), _help),
    "status": (("manager", "leader", "admin"), _status),
    "edit": (("manager", "admin"), _edit),
    "asks": (("manager", "leader", "admin"), _asks),
    "away": (("manager", "admin"), _away),
    "back": (("manager", "admin"), _back),
    "skip": (("manager", "admin"), _skip),
    **{action: (("admin",), _cycle_step(action)) for action in ACTIONS},
    "reopen": (("admin",), _reopen),
    "export": (("leader", "admin"), _export),
}
