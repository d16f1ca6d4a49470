"""The modals of an ask of leadership (SPEC 5.2): reply or decide, assign, and the whole ask
with its history. The ask's id travels in ``private_metadata``; the server checks again, at
submission, who may do what."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.asks import for_slack, mention
from bot.blocks.common import (
    MAX_VIEW_BLOCKS,
    MAX_VIEW_TITLE,
    Block,
    context,
    escape,
    plain,
    section,
    sections,
)
from bot.ids import ASK_ANSWER_CALLBACK, ASK_ASSIGN_CALLBACK
from summaries.dates import format_day
from summaries.digest.askwords import state_text
from summaries.engine.asks import Ask, AskAction, Event

# Block and action ids of the inputs: the same keys the domain's ValidationFailed names, so
# its messages land under the field they are about.
OUTCOME_BLOCK, TEXT_BLOCK, ASSIGNEE_BLOCK = "outcome", "text", "assignee"
OUTCOMES = ((AskAction.REPLY, "Reply only \u2014 keeps it open"),
            (AskAction.DECIDE, "Decided"), (AskAction.DECLINE, "Declined"))
# Slack's limit on a text input, and the domain's on a reply.
MAX_REPLY = 3000
# The ask quoted at the top of a modal that is about something else than reading it.
QUOTED_ASK = 1000
_DONE = {AskAction.RAISE: "raised it", AskAction.EDIT: "edited it",
         AskAction.ACKNOWLEDGE: "acknowledged it", AskAction.REPLY: "replied",
         AskAction.DECIDE: "decided it", AskAction.DECLINE: "declined it",
         AskAction.WITHDRAW: "withdrew it", AskAction.UPDATE: "added an update"}


def _option(action: AskAction, label: str) -> dict[str, Any]:
    return {"text": plain(label, 75), "value": str(action)}


def _modal(callback: str | None, title: str, ask: Ask, blocks: list[Block],
           submit: str | None) -> dict[str, Any]:
    view: dict[str, Any] = {"type": "modal", "title": plain(title, MAX_VIEW_TITLE),
                            "close": plain("Cancel" if submit else "Close"),
                            "private_metadata": str(ask.id), "blocks": blocks[:MAX_VIEW_BLOCKS]}
    if callback:
        view["callback_id"] = callback
    if submit:
        view["submit"] = plain(submit, MAX_VIEW_TITLE)
    return view


def _about(ask: Ask, department: str, month: str, locale: str, timezone: str) -> list[Block]:
    """The ask quoted (shortened), whose it is and where it stands."""
    shown, _ = for_slack(ask, text_limit=QUOTED_ASK)
    state = state_text(shown, locale, timezone, mention)
    return [context(f"*{escape(department)}* \u00b7 {escape(month)} \u00b7 {state}"),
            *sections([f">{shown.text}"])]


def answer_view(ask: Ask, department: str, month: str, locale: str = "en",
                timezone: str = "UTC") -> dict[str, Any]:
    """Reply to an ask, or decide or decline it, with words the manager gets by DM."""
    choices = [_option(action, label) for action, label in OUTCOMES]
    blocks = [*_about(ask, department, month, locale, timezone),
              {"type": "input", "block_id": OUTCOME_BLOCK, "label": plain("Outcome"),
               "element": {"type": "radio_buttons", "action_id": OUTCOME_BLOCK,
                           "options": choices, "initial_option": choices[0]}},
              {"type": "input", "block_id": TEXT_BLOCK, "optional": True,
               "label": plain("Your reply"),
               "hint": plain("The department's manager gets it by direct message. Needed to "
                             "reply only or to decline; optional with a decision."),
               "element": {"type": "plain_text_input", "action_id": TEXT_BLOCK,
                           "multiline": True, "max_length": MAX_REPLY}}]
    return _modal(ASK_ANSWER_CALLBACK, "Reply or decide", ask, blocks, "Send")


def assign_view(ask: Ask, department: str, month: str, locale: str = "en",
                timezone: str = "UTC") -> dict[str, Any]:
    """Assign an ask to a person, who gets it by DM with a button to answer it."""
    picker: dict[str, Any] = {"type": "users_select", "action_id": ASSIGNEE_BLOCK,
                              "placeholder": plain("Choose a person")}
    if ask.assignee:
        picker["initial_user"] = ask.assignee
    blocks = [*_about(ask, department, month, locale, timezone),
              {"type": "input", "block_id": ASSIGNEE_BLOCK, "label": plain("Assign to"),
               "element": picker}]
    return _modal(ASK_ASSIGN_CALLBACK, "Assign the ask", ask, blocks, "Assign")


def full_view(ask: Ask, department: str, month: str, locale: str = "en",
              timezone: str = "UTC") -> dict[str, Any]:
    """The whole ask and everything that happened to it, for anyone to read."""
    shown, _ = for_slack(ask)
    state = state_text(shown, locale, timezone, mention)
    blocks = [context(f"*{escape(department)}* \u00b7 {escape(month)} \u00b7 {state}"),
              *sections([shown.text])]
    if shown.history:
        zone = ZoneInfo(timezone)
        blocks += [section("*History*"),
                   *sections(_event_line(e, zone, locale) for e in shown.history)]
    return _modal(None, "Ask of leadership", ask, blocks, None)


def _event_line(event: Event, zone: ZoneInfo, locale: str) -> str:
    """``Nov 5 · @CEO decided it: words`` (the words already escaped)."""
    done = (f"assigned it to {mention(event.assignee)}" if event.action is AskAction.ASSIGN
            and event.assignee else _DONE.get(event.action, str(event.action)))
    words = f": {event.text}" if event.text else ""
    return (f"{format_day(event.at.astimezone(zone), locale)} \u00b7 {mention(event.by)} "
            f"{done}{words}")

