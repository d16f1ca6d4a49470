"""Away and nothing to report (SPEC 5.3): ``/checkin away``, ``back`` and ``skip``, and the
"Nothing to report this month" button and modal. Who may do what is checked on the server by
the use cases in :mod:`summaries.checkins.away` and :mod:`summaries.checkins.skipping`."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks.common import section
from bot.blocks.modal import notice_view
from bot.blocks.skipping import away_line, deputy_notice, skip_view, skipped_notice
from bot.deps import Deps
from bot.home import refresh_home
from bot.ids import CHECKIN_COMMAND, SKIP_REASON_BLOCK, read_open_value
from bot.outbox.delivery import Outgoing, deliver, enqueue
from summaries.checkins.away import Absence, confirmation_recipients, end_away, set_away
from summaries.checkins.cycle import fillable_period
from summaries.checkins.skipping import REASON_FIELD, Skipped, skip_month
from summaries.checkins.submissions import authorize_department
from summaries.dates import format_day, format_month
from summaries.errors import DomainError, ValidationFailed
from summaries.i18n import N_, _
from summaries.periods import Month

log = logging.getLogger(__name__)
# Slack sends a mention in a command's text as <@U123|name> (or <@U123> without the name).
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
AWAY_USAGE = N_("`{command} away YYYY-MM-DD YYYY-MM-DD @deputy` (admins: add `for @manager`)")
BACK_USAGE = N_("`{command} back` (admins: `{command} back for @manager`)")
TITLE = N_("Monthly check-in")


def _message(text: str) -> dict[str, Any]:
    """A reply of our own mrkdwn (mentions included; the caller escapes what it quotes)."""
    return {"text": re.sub(r"<@([A-Z0-9]+)>", r"@\1", text), "blocks": [section(text)]}


def _for_whom(user: str, words: list[str]) -> tuple[str, list[str]]:
    """The manager meant (``for @manager`` at the end, else the person asking) and the rest."""
    if len(words) >= 2 and words[-2].lower() == "for":
        return _mention(words[-1]), words[:-2]
    return user, words


def _mention(word: str) -> str:
    found = _MENTION.match(word)
    if found is None:
        raise DomainError(_("Name a person with @, as in @someone; {typed} is not one.",
                            typed=repr(word[:40])))
    return found.group(1)


def _day(word: str) -> date:
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise DomainError(_("{typed} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20.",
                            typed=repr(word[:20]))) from None


def _days(deps: Deps, absence: Absence) -> tuple[str, str]:
    first, last = (format_day(datetime.combine(d, time()), deps.locale)
                   for d in (absence.first_day, absence.last_day))
    return first, last


def away_reply(deps: Deps, user: str, words: list[str]) -> dict[str, Any]:
    """Set a manager away with a deputy; the deputy is told by DM."""
    manager, rest = _for_whom(user, words)
    if len(rest) != 3:
        raise DomainError(_("Give the first and last day away and the deputy: {usage}.",
                            usage=_(AWAY_USAGE, command=CHECKIN_COMMAND)))
    first, last, deputy = _day(rest[0]), _day(rest[1]), _mention(rest[2])
    with deps.unit_of_work() as session:
        absence = set_away(session, deps.config, by=user, manager=manager, first=first,
                           last=last, deputy=deputy, now=deps.clock())
        start, end = _days(deps, absence)
        keys = enqueue(session, [Outgoing(
            f"deputy:{absence.row_id}:{deputy}", "notice", deputy,
            {**deputy_notice(manager, start, end, user), "channel": deputy})])
    deliver(deps, keys)
    return _message(":palm_tree: " + away_line(manager, deputy, start, end))


def back_reply(deps: Deps, user: str, words: list[str]) -> dict[str, Any]:
    """End a manager's absence now: their prompts and reminders come to them again."""
    manager, rest = _for_whom(user, words)
    if rest:
        raise DomainError(_("Nothing more is needed: {usage}.",
                            usage=_(BACK_USAGE, command=CHECKIN_COMMAND)))
    with deps.unit_of_work() as session:
        ended = end_away(session, deps.config, by=user, manager=manager, now=deps.clock())
    start, end = _days(deps, ended)
    return _message(_(":wave: <@{manager}> is back: the absence from {start} to {end} with "
                      "<@{deputy}> as deputy is over; prompts and reminders go to <@{manager}> "
                      "again.", manager=manager, start=start, end=end, deputy=ended.deputy))


def skip_reply(deps: Deps, user: str, managed: tuple[str, ...], month: Month,
               reason: str) -> dict[str, Any]:
    """``/checkin skip <reason>``: mark the one department ``user`` manages."""
    if len(managed) != 1:
        raise DomainError(
            _("Use the \u201cNothing to report this month\u201d button in the department's "
              "prompt or on the App Home: you manage no department.") if not managed else
            _("Use the \u201cNothing to report this month\u201d button in the department's "
              "prompt or on the App Home: you manage more than one department."))
    skipped, recipients = _mark(deps, user, month, managed[0], reason)
    _after_skip(deps, user, month, skipped, recipients)
    return _message(_("Marked: {department} has nothing to report for {month}.",
                      department=skipped.department.name,
                      month=format_month(month, deps.locale)))


def _mark(deps: Deps, user: str, month: Month, department: str, reason: str
          ) -> tuple[Skipped, list[str]]:
    """Mark the month; and who is to be told (the deputy too while the manager is away)."""
    now = deps.clock()
    with deps.unit_of_work() as session:
        skipped = skip_month(session, deps.config, month=month, department=department,
                             user=user, reason=reason, now=now)
        return skipped, confirmation_recipients(session, deps.config, department, user, now)


def _after_skip(deps: Deps, user: str, month: Month, skipped: Skipped,
                recipients: list[str]) -> None:
    """Tell of a marked month by DM, update a posted digest, refresh App Home; the month is
    marked already, so a failure here is only logged."""
    department, now = skipped.department.key, deps.clock()
    if skipped.changed:
        name, label = skipped.department.name, format_month(month, deps.locale)
        message = skipped_notice(name, label, skipped.reason, user, changed=True)
        stamp = f"{now.timestamp():.0f}"
        try:
            with deps.unit_of_work() as session:
                keys = enqueue(session, [Outgoing(
                    f"skipped:{month}:{department}:{to}:{stamp}", "confirmation", to,
                    {**message, "channel": to}, period_key=str(month),
                    department_key=department) for to in recipients])
            deliver(deps, keys)
        except Exception:  # marked already; an undelivered notice stays in the outbox
            log.exception("telling of %s %s skipped failed", department, month)
    if skipped.late:
        from bot.cycle.refreshing import update_digest  # the digest's modules load when needed

        update_digest(deps, str(month), department)  # off this thread, gathered
    refresh_home(deps, user)


def open_skip_modal(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """The "Nothing to report this month" button: the modal asking why, if the clicking user
    may mark the department's month; a notice saying why not otherwise."""
    user, trigger = body["user"]["id"], body["trigger_id"]
    try:
        period, department = read_open_value(body["actions"][0].get("value", ""))
        month = Month.parse(period)
        with deps.read_only() as session:
            spec = authorize_department(deps.config, department, user, session, deps.clock())
            fillable_period(session, deps.config, month, deps.clock(), department)
    except ValueError:
        client.views_open(trigger_id=trigger, view=notice_view(
            _(TITLE), _("This button is not one of ours any more; use the App Home.")))
        return
    except DomainError as exc:
        client.views_open(trigger_id=trigger, view=notice_view(_(TITLE), str(exc)))
        return
    client.views_open(trigger_id=trigger, view=skip_view(
        period, department, spec.name, format_month(month, deps.locale)))


def handle_skip_submit(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """The modal's reason: mark the month, or say under the field why not."""
    view, user = body["view"], body["user"]["id"]
    try:
        period, department = read_open_value(view.get("private_metadata", ""))
        month = Month.parse(period)
        state = view.get("state", {}).get("values", {})
        reason = ((state.get(SKIP_REASON_BLOCK) or {}).get(REASON_FIELD) or {}).get("value")
        skipped, recipients = _mark(deps, user, month, department, str(reason or ""))
    except ValidationFailed as exc:
        ack(response_action="errors", errors={SKIP_REASON_BLOCK: " ".join(exc.errors.values())})
        return
    except ValueError:
        ack(response_action="update", view=notice_view(
            _(TITLE), _("This form is not one of ours any more; use the App Home.")))
        return
    except DomainError as exc:
        ack(response_action="errors", errors={SKIP_REASON_BLOCK: str(exc)})
        return
    ack()
    _after_skip(deps, user, month, skipped, recipients)
