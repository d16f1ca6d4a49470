"""``/checkin`` replies: help by role, the period's status, and the department picker."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import reduce
from typing import Any

from bot.blocks.common import Block, context, escape, long_list, section
from bot.blocks.messages import open_button
from bot.ids import OPEN_ACTION, OPEN_BLOCK
from summaries.access import Viewer
from summaries.checkins.forms import DepartmentStatus
from summaries.config.schema import Config
from summaries.dates import format_month
from summaries.i18n import N_, _, current
from summaries.periods import Month

Message = dict[str, Any]
STATUS_MARKS = {"submitted": ":white_check_mark:", "late": ":ballot_box_with_check:",
                "draft": ":pencil2:", "skipped": ":heavy_minus_sign:",
                None: ":hourglass_flowing_sand:"}
MAX_BUTTONS = 25  # an actions block holds at most 25 elements
STATUS_WORDS = {"submitted": N_("submitted"), "late": N_("submitted late"),
                "draft": N_("draft started")}

# Each subcommand's usage (its name stays as typed; the words in brackets are the reader's),
# what it does, and who may use it.
COMMANDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (N_("status [YYYY-MM]"), N_("where this month's summaries stand"),
     ("manager", "leader", "admin")),
    (N_("edit [YYYY-MM]"), N_("open your summary to fill in or edit"), ("manager", "admin")),
    (N_("asks [open|all] [department]"),
     N_("the asks of leadership you may see: open ones, or all"), ("manager", "leader", "admin")),
    (N_("skip <reason>"), N_("mark this month nothing to report, saying why"),
     ("manager", "admin")),
    (N_("away YYYY-MM-DD YYYY-MM-DD @deputy [for @manager]"),
     N_("a deputy gets the prompts and may submit while you are away"), ("manager", "admin")),
    (N_("back [for @manager]"), N_("end an absence now"), ("manager", "admin")),
    (N_("open|remind|close [YYYY-MM]"), N_("run a step of the cycle now"), ("admin",)),
    (N_("reopen <department> [YYYY-MM]"), N_("let a manager edit a closed summary again"),
     ("admin",)),
    (N_("export [YYYY-MM] [xlsx|csv]"), N_("the month's KPIs and summaries, sent to you by DM"),
     ("leader", "admin")),
    ("help", N_("this list"), ("manager", "leader", "admin")),
)
# Who someone is in the check-in, as its help greets them; who may use a subcommand.
YOU_ARE = {"manager": N_("*Monthly check-in at {organization}*: you are a manager."),
           "leader": N_("*Monthly check-in at {organization}*: you are a leader."),
           "admin": N_("*Monthly check-in at {organization}*: you are an admin.")}
ROLE_WORDS = {"manager": N_("managers"), "leader": N_("leaders"), "admin": N_("admins")}


def period_words(month: Month, locale: str) -> str:
    """A month as a reply to an admin's command names it: its key (``2026-10``) in English,
    as it always has; other languages write the month their way (``2026年10月``)."""
    return str(month) if current() == "en" else format_month(month, locale)


def joined(words: Iterable[str], joint: str) -> str:
    """``a and b and c`` (``joint`` is the marked pair: "{first} and {second}")."""
    return reduce(lambda first, second: _(joint, first=first, second=second), words)


def not_allowed(command: str, roles: Sequence[str]) -> str:
    """The refusal of ``command`` to someone whose role is not among ``roles``."""
    who = joined((_(ROLE_WORDS[r]) if r in ROLE_WORDS else r for r in roles),
                 N_("{first} and {second}"))
    return _("Sorry, only {roles} can use `{command}`.", roles=who, command=command)


def usage_line(command: str, role: str | None) -> str:
    """``/checkin status [YYYY-MM] · /checkin edit …``: what ``role`` may run."""
    allowed = [f"`{command} {_(usage)}`" for usage, _what, roles in COMMANDS
               if role is not None and role in roles]
    return " \u00b7 ".join(allowed) if allowed else f"`{command} help`"


def help_message(command: str, who: Viewer, organization: str) -> Message:
    """Every subcommand the person may use, with what it does."""
    role = who.role
    lines = [_("`{usage}`: {what}", usage=" ".join((command, _(usage))), what=_(what))
             for usage, what, roles in COMMANDS if role is not None and role in roles]
    title = _(YOU_ARE.get(role or "", YOU_ARE["manager"]), organization=escape(organization))
    blocks: list[Block] = [section(title), section("\n".join(lines)),
                           context(_("Look figures up with `/kpi`; `/kpi` alone lists what "
                                     "you can see."))]
    return {"text": f"{command} help", "blocks": blocks}


def one_line(text: str) -> Message:
    """A one-line answer (plain text, escaped here)."""
    return {"text": escape(text), "blocks": [section(escape(text))]}


def status_message(month_name: str, state_line: str, statuses: Sequence[DepartmentStatus],
                   *, mention_managers: bool, skipped: Mapping[str, str] | None = None
                   ) -> Message:
    """Each department's summary for the month, and how many are in (``state_line`` is our
    own mrkdwn, dates included); ``skipped`` gives the reasons of months with nothing to
    report, by department key."""
    done = sum(1 for s in statuses if s.submitted)
    late = sum(1 for s in statuses if s.status == "late")
    count = (_("{done} of {total} submitted ({late} late)", done=done, total=len(statuses),
               late=late) if late else
             _("{done} of {total} submitted", done=done, total=len(statuses)))
    lines = []
    for entry in sorted(statuses, key=lambda s: s.submitted):  # the missing ones first
        status = entry.status or ""
        words = _(STATUS_WORDS[status]) if status in STATUS_WORDS else _("not started")
        if entry.status == "skipped":
            words = _("nothing to report: {reason}",
                      reason=escape((skipped or {}).get(entry.department.key, "")))
        if entry.has_draft and entry.submitted:
            words = _("{status}, unsent edits in a draft", status=words)
        who = f" \u00b7 <@{entry.department.manager}>" if mention_managers else ""
        lines.append(_("{mark} *{department}*: {status}{who}",
                       mark=STATUS_MARKS.get(entry.status, ""),
                       department=escape(entry.department.name), status=words, who=who))
    title = f"*{escape(month_name)}* \u00b7 {state_line} \u00b7 {count}"
    return long_list(f"{month_name}: {count}", title, lines,
                     _("Figures: `/kpi`. Summaries open from the buttons in your DMs."),
                     "department")


def picker_message(month_name: str, period: str,
                   departments: Sequence[tuple[str, str]]) -> Message:
    """Buttons to open each department's form (for a manager of several)."""
    buttons = [{**open_button(period, key, name), "action_id": f"{OPEN_ACTION}:{n}"}
               for n, (key, name) in enumerate(departments)]  # action ids must differ
    blocks: list[Block] = [section(_("Which summary for *{month}*?", month=escape(month_name)))]
    blocks += [{"type": "actions", "elements": buttons[i:i + MAX_BUTTONS]}
               for i in range(0, len(buttons), MAX_BUTTONS)]
    return {"text": _("Which summary for {month}?", month=month_name), "blocks": blocks[:50]}


def reopened_message(department: str, month_name: str, period: str, department_key: str,
                     admin: str, until: str) -> Message:
    """The DM to a manager whose summary an admin reopened."""
    text = _("<@{admin}> reopened the *{month}* summary of *{department}*. You can fill it in "
             "or edit it until {until}.", admin=admin, month=escape(month_name),
             department=escape(department), until=until)
    return {"text": escape(_("Your {month} summary of {department} was reopened",
                             month=month_name, department=department)),
            "blocks": [section(text), {"type": "actions", "block_id": OPEN_BLOCK,
                                       "elements": [open_button(period, department_key)]}]}


def no_role_message(config: Config) -> dict[str, Any]:
    """The polite refusal for someone the configuration names in no role."""
    mentions = [f"<@{a}>" for a in config.organization.admins]
    admins = joined(mentions, N_("{first} or {second}")) if mentions else _("an admin")
    return {"text": _("You have no role in the monthly check-in."), "blocks": [section(_(
        "Sorry, you have no role in {organization}'s monthly check-in, so there is nothing "
        "here for you. Ask {admins} to add you as a manager or leader.",
        organization=escape(config.organization.name), admins=admins))]}
