"""Every name Slack and the bot share: slash commands, action, callback and block ids, message
metadata event types, and the codecs of what buttons and views carry. A listener and the view
it answers both read them from here, so a renamed id cannot leave one behind."""

from __future__ import annotations

import json
from dataclasses import dataclass

# Slash commands (deploy/slack-manifest.yml declares the same).
KPI_COMMAND = "/kpi"
CHECKIN_COMMAND = "/checkin"

# The check-in modal: its callback id, the action id of every input, the back button.
CALLBACK_ID = "checkin_submit"
VALUE_ACTION = "value"
BACK_ACTION = "checkin_back"
# The button that opens the form (in prompts, reminders, the home tab and admin replies).
OPEN_ACTION = "checkin_open"

# Asks of leadership (SPEC 5.2): the buttons on an ask (their value is the ask's id), the
# header's menu, and the modals they open (the ask's id in ``private_metadata``).
ASK_ACKNOWLEDGE = "ask_acknowledge"
ASK_ANSWER = "ask_answer"  # opens the reply-or-decide modal
ASK_ASSIGN = "ask_assign"  # a user picker in the thread; the header's menu opens a modal
ASK_MENU = "ask_menu"  # the header's overflow menu on each ask
ASK_FULL = "ask_full"  # shows an ask's whole text
ASK_ANSWER_CALLBACK = "ask_answer_submit"
ASK_ASSIGN_CALLBACK = "ask_assign_submit"
# The check-in form's asks carried over from earlier months: block ``carry:<ask id>`` holds
# a keep-or-withdraw choice, block ``carryupdate:<ask id>`` an update.
CARRY_BLOCK = "carry"
CARRY_UPDATE_BLOCK = "carryupdate"
CARRY_CHOICE = "carry_choice"
CARRY_UPDATE = "carry_update"

# "Nothing to report this month" (SPEC 5.3): the button (its value as ``open_value``) and
# the modal asking why (the same value in ``private_metadata``), with its reason input.
SKIP_ACTION = "checkin_skip"
SKIP_CALLBACK = "checkin_skip_submit"
SKIP_REASON_BLOCK = "skip_reason"

# The check-in form's paste box (its block id's kind names no section or KPI) and its action;
# the button under a section that brings last month's answer into it (value: the section).
PASTE_BLOCK = "paste"
PASTE_ACTION = "paste_figures"
LAST_TEXT_ACTION = "checkin_last_text"
LAST_TEXT_BLOCK = "lasttext"
# The confirmation of figures far from last month's, and its Back button.
PLAUSIBLE_CALLBACK = "checkin_plausible"
PLAUSIBLE_BACK = "checkin_plausible_back"

# Block ids of the action rows.
OPEN_BLOCK = "checkin"
EDIT_BLOCK = "edit"
NAV_BLOCK = "nav"

# Message metadata event types: a digest part, and any message the outbox sent.
EVENT_TYPE = "checkin_digest"
OUTBOX_EVENT = "checkin_outbox"


def open_value(period: str, department: str) -> str:
    """The ``checkin_open`` button's value; the server re-checks who may use it."""
    return json.dumps({"p": period, "d": department}, separators=(",", ":"))


def read_open_value(value: str) -> tuple[str, str]:
    """Period and department from a ``checkin_open`` value; ValueError when malformed."""
    try:
        data = json.loads(value)
        return str(data["p"]), str(data["d"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("not a check-in button") from exc


@dataclass(frozen=True)
class FormRef:
    """Which form a view is: period, department and step, carried in ``private_metadata``."""

    period: str
    department: str
    step: int = 0
    steps: int = 1

    @property
    def last_step(self) -> bool:
        return self.step >= self.steps - 1

    def dumps(self) -> str:
        """The compact JSON kept in the view's ``private_metadata``."""
        return json.dumps({"p": self.period, "d": self.department, "s": self.step,
                           "n": self.steps}, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str) -> FormRef:
        """Read a reference back; ValueError when it is not one of ours."""
        try:
            data = json.loads(text)
            period, department = data["p"], data["d"]
            if not isinstance(period, str) or not isinstance(department, str):
                raise TypeError("period and department must be text")
            return cls(period, department, int(data.get("s", 0)), int(data.get("n", 1)))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a check-in form reference: {text[:80]!r}") from exc

    def at(self, step: int) -> FormRef:
        return FormRef(self.period, self.department, step, self.steps)
