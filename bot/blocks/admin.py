"""``/checkin`` replies: help by role, the period's status, and the department picker."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.blocks.common import Block, context, escape, long_list, section
from bot.blocks.messages import open_button
from bot.ids import OPEN_ACTION, OPEN_BLOCK
from summaries.access import Viewer
from summaries.checkins.forms import DepartmentStatus
from summaries.config.schema import Config

Message = dict[str, Any]
STATUS_MARKS = {"submitted": ":white_check_mark:", "late": ":ballot_box_with_check:",
                "draft": ":pencil2:", "skipped": ":heavy_minus_sign:",
                None: ":hourglass_flowing_sand:"}
MAX_BUTTONS = 25  # an actions block holds at most 25 elements

COMMANDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("status [YYYY-MM]", "where this month's summaries stand", ("manager", "leader", "admin")),
    ("edit [YYYY-MM]", "open your summary to fill in or edit", ("manager", "admin")),
    ("asks [open|all] [department]", "the asks of leadership you may see: open ones, or all",
     ("manager", "leader", "admin")),
    ("skip <reason>", "mark this month nothing to report, saying why", ("manager", "admin")),
    ("away YYYY-MM-DD YYYY-MM-DD @deputy [for @manager]",
     "a deputy gets the prompts and may submit while you are away", ("manager", "admin")),
    ("back [for @manager]", "end an absence now", ("manager", "admin")),
    ("open|remind|close [YYYY-MM]", "run a step of the cycle now", ("admin",)),
    ("reopen <department> [YYYY-MM]", "let a manager edit a closed summary again",
     ("admin",)),
    ("export [YYYY-MM] [xlsx|csv]", "the month's KPIs and summaries, sent to you by DM",
     ("leader", "admin")),
    ("help", "this list", ("manager", "leader", "admin")),
)


def usage_line(command: str, role: str | None) -> str:
    """``/checkin status [YYYY-MM] · /checkin edit …``: what ``role`` may run."""
    allowed = [f"`{command} {usage}`" for usage, _, roles in COMMANDS
               if role is not None and role in roles]
    return " \u00b7 ".join(allowed) if allowed else f"`{command} help`"


def help_message(command: str, who: Viewer, organization: str) -> Message:
    """Every subcommand the person may use, with what it does."""
    role = who.role
    lines = [f"`{command} {usage}`: {what}" for usage, what, roles in COMMANDS
             if role is not None and role in roles]
    title = (f"*Monthly check-in at {escape(organization)}*: you are "
             f"{'an' if role == 'admin' else 'a'} {role}.")
    blocks: list[Block] = [section(title), section("\n".join(lines)),
                           context("Look figures up with `/kpi`; `/kpi` alone lists what "
                                   "you can see.")]
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
    count = f"{done} of {len(statuses)} submitted" + (f" ({late} late)" if late else "")
    lines = []
    for entry in sorted(statuses, key=lambda s: s.submitted):  # the missing ones first
        words = {"submitted": "submitted", "late": "submitted late",
                 "draft": "draft started"}.get(entry.status or "", "not started")
        if entry.status == "skipped":
            words = f"nothing to report: {escape((skipped or {}).get(entry.department.key, ''))}"
        if entry.has_draft and entry.submitted:
            words += ", unsent edits in a draft"
        who = f" \u00b7 <@{entry.department.manager}>" if mention_managers else ""
        lines.append(f"{STATUS_MARKS.get(entry.status, '')} *{escape(entry.department.name)}*: "
                     f"{words}{who}")
    title = f"*{escape(month_name)}* \u00b7 {state_line} \u00b7 {count}"
    return long_list(f"{month_name}: {count}", title, lines,
                     "Figures: `/kpi`. Summaries open from the buttons in your DMs.",
                     "department")


def picker_message(month_name: str, period: str,
                   departments: Sequence[tuple[str, str]]) -> Message:
    """Buttons to open each department's form (for a manager of several)."""
    buttons = [{**open_button(period, key, name), "action_id": f"{OPEN_ACTION}:{n}"}
               for n, (key, name) in enumerate(departments)]  # action ids must differ
    blocks: list[Block] = [section(f"Which summary for *{escape(month_name)}*?")]
    blocks += [{"type": "actions", "elements": buttons[i:i + MAX_BUTTONS]}
               for i in range(0, len(buttons), MAX_BUTTONS)]
    return {"text": f"Which summary for {month_name}?", "blocks": blocks[:50]}


def reopened_message(department: str, month_name: str, period: str, department_key: str,
                     admin: str, until: str) -> Message:
    """The DM to a manager whose summary an admin reopened."""
    text = (f"<@{admin}> reopened the *{escape(month_name)}* summary of "
            f"*{escape(department)}*. You can fill it in or edit it until {until}.")
    return {"text": escape(f"Your {month_name} summary of {department} was reopened"),
            "blocks": [section(text), {"type": "actions", "block_id": OPEN_BLOCK,
                                       "elements": [open_button(period, department_key)]}]}


def no_role_message(config: Config) -> dict[str, Any]:
    """The polite refusal for someone the configuration names in no role."""
    admins = " or ".join(f"<@{a}>" for a in config.organization.admins) or "an admin"
    return {"text": "You have no role in the monthly check-in.", "blocks": [section(
        f"Sorry, you have no role in {escape(config.organization.name)}'s monthly check-in, "
        f"so there is nothing here for you. Ask {admins} to add you as a manager or leader.")]}
