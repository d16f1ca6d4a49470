"""``/checkin``: status, edit, asks, the cycle's steps by hand, reopen, export and help, each for
the roles of SPEC section 1. Who may do what is checked here, on the server, every time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks.admin import (
    help_message,
    no_role_message,
    not_allowed,
    one_line,
    period_words,
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
from summaries.i18n import N_, _, reading, speaking
from summaries.lookup.matching import Named, find_one
from summaries.lookup.months import is_month_word, month_of
from summaries.periods import Month

log = logging.getLogger(__name__)
FORMATS = ("xlsx", "csv")
SORRY = N_("That did not work because of a problem on our side; it has been logged. Please "
           "try again in a minute.")


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
        """The month among the words, if any (removed from them): YYYY-MM, or as Chinese
        writes it (``2026年10月``, ``10月``, ``上月``); DomainError if malformed."""
        word = next((w for w in self.words if is_month_word(w)), None)
        if word is None:
            return None
        self.words.remove(word)
        today = this_month(self.deps.clock(), self.deps.config.organization.timezone)
        try:
            return month_of(word, today)
        except ValueError:
            raise DomainError(_("{typed} is not a month; write it as YYYY-MM, e.g. 2026-10.",
                                typed=echo(word))) from None


def handle_checkin_command(deps: Deps, ack: Ack, body: dict[str, Any],
                           client: WebClient) -> None:
    """Check the role, acknowledge, then do the subcommand's work, in the reader's language
    (the organization's unless a reader's own was set for this request)."""
    with speaking(reading(deps.locale)):
        _checkin_command(deps, ack, body, client)


def _checkin_command(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    words = (body.get("text") or "").split()
    name = words[0].lower() if words else "help"
    who = viewer(deps.config, body["user_id"])
    entry = SUBCOMMANDS.get(name)
    usage = usage_line(CHECKIN_COMMAND, who.role)
    if who.role is None:
        ack(**no_role_message(deps.config))
        return
    if entry is None:
        typed = " ".join((CHECKIN_COMMAND, name))
        ack(**one_line(_("There is no `{command}`. Usage: {usage}", command=typed, usage=usage)))
        return
    roles, handler = entry
    if who.role not in roles:
        ack(**one_line(not_allowed(f"{CHECKIN_COMMAND} {name}", roles)))
        return
    request = Request(deps, who, words[1:], body, client, ack)
    try:
        handler(request)
    except DomainError as problem:
        request.answer(one_line(_("{problem} Usage: {usage}", problem=problem, usage=usage)))
    except Exception:
        log.exception("/checkin %s failed", name)
        request.answer(one_line(_(SORRY)))



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
        raise DomainError(_("You manage no department; as an admin, name the one to edit: "
                            "`{command} edit <department> [YYYY-MM]`.", command=CHECKIN_COMMAND))
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
            raise DomainError(_("No period is open; name one: `{command} remind YYYY-MM`.",
                                command=CHECKIN_COMMAND)) from exc
        request.ack(**one_line(_("Running {action} for {month}\u2026 I'll report here when it "
                                 "is done.", action=action,
                                 month=period_words(month, deps.locale))))
        _in_background(request, lambda: run_step_by_hand(deps, action, month))
    return run


def _reopen(request: Request) -> None:
    request.ack()
    deps = request.deps
    month = request.month()
    if not request.words:
        raise DomainError(_("Name the department to reopen."))
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
        raise DomainError(_("Choose one format: xlsx or csv."))
    fmt = formats[0] if formats else "xlsx"
    with deps.unit_of_work() as session:
        month = month or _working_month(deps, session, closed_first=True)
    request.ack(**one_line(_("Preparing the {month} export ({format})\u2026 it will arrive in a "
                             "direct message.", month=period_words(month, deps.locale),
                             format=fmt)))
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
            message = one_line(_(SORRY))
        request.reply(message)
    request.deps.executor.submit(run)


def _no_more_words(request: Request) -> None:
    if request.words:
        raise DomainError(_("I don't understand \u201c{words}\u201d.",
                            words=" ".join(request.words)))


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
        return _("opens {when}", when=_when(deps, moments.open_at))
    if row.state == "open":
        return _("open, closes {when}", when=_when(deps, moments.close_at))
    return _("closed {when}", when=_when(deps, row.closed_at or moments.close_at))


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
