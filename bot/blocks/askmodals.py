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
from summaries.i18n import N_, _, in_readers_language

# Block and action ids of the inputs: the same keys the domain's ValidationFailed names, so
# its messages land under the field they are about.
OUTCOME_BLOCK, TEXT_BLOCK, ASSIGNEE_BLOCK = "outcome", "text", "assignee"
OUTCOMES = ((AskAction.REPLY, N_("Reply only \u2014 keeps it open")),
            (AskAction.DECIDE, N_("Decided")), (AskAction.DECLINE, N_("Declined")))
# Slack's limit on a text input, and the domain's on a reply.
MAX_REPLY = 3000
# The ask quoted at the top of a modal that is about something else than reading it.
QUOTED_ASK = 1000
_DONE = {AskAction.RAISE: N_("raised it"), AskAction.EDIT: N_("edited it"),
         AskAction.ACKNOWLEDGE: N_("acknowledged it"), AskAction.REPLY: N_("replied"),
         AskAction.DECIDE: N_("decided it"), AskAction.DECLINE: N_("declined it"),
         AskAction.WITHDRAW: N_("withdrew it"), AskAction.UPDATE: N_("added an update")}


def _option(action: AskAction, label: str) -> dict[str, Any]:
    return {"text": plain(_(label), 75), "value": str(action)}


def _modal(callback: str | None, title: str, ask: Ask, blocks: list[Block],
           submit: str | None) -> dict[str, Any]:
    view: dict[str, Any] = {"type": "modal", "title": plain(title, MAX_VIEW_TITLE),
                            "close": plain(_("Cancel") if submit else _("Close")),
                            "private_metadata": str(ask.id), "blocks": blocks[:MAX_VIEW_BLOCKS]}
    if callback:
        view["callback_id"] = callback
    if submit:
        view["submit"] = plain(submit, MAX_VIEW_TITLE)
    return view


def _about(ask: Ask, department: str, month: str, locale: str, timezone: str) -> list[Block]:
    """The ask quoted (shortened), whose it is and where it stands."""
    shown, _cut = for_slack(ask, text_limit=QUOTED_ASK)
    state = state_text(shown, locale, timezone, mention)
    return [context(f"*{escape(department)}* \u00b7 {escape(month)} \u00b7 {state}"),
            *sections([f">{shown.text}"])]


@in_readers_language
def answer_view(ask: Ask, department: str, month: str, locale: str = "en",
                timezone: str = "UTC") -> dict[str, Any]:
    """Reply to an ask, or decide or decline it, with words the manager gets by DM."""
    choices = [_option(action, label) for action, label in OUTCOMES]
    blocks = [*_about(ask, department, month, locale, timezone),
              {"type": "input", "block_id": OUTCOME_BLOCK, "label": plain(_("Outcome")),
               "element": {"type": "radio_buttons", "action_id": OUTCOME_BLOCK,
                           "options": choices, "initial_option": choices[0]}},
              {"type": "input", "block_id": TEXT_BLOCK, "optional": True,
               "label": plain(_("Your reply")),
               "hint": plain(_("The department's manager gets it by direct message. Needed "
                               "to reply only or to decline; optional with a decision.")),
               "element": {"type": "plain_text_input", "action_id": TEXT_BLOCK,
                           "multiline": True, "max_length": MAX_REPLY}}]
    return _modal(ASK_ANSWER_CALLBACK, _("Reply or decide"), ask, blocks, _("Send"))


@in_readers_language
def assign_view(ask: Ask, department: str, month: str, locale: str = "en",
                timezone: str = "UTC") -> dict[str, Any]:
    """Assign an ask to a person, who gets it by DM with a button to answer it."""
    picker: dict[str, Any] = {"type": "users_select", "action_id": ASSIGNEE_BLOCK,
                              "placeholder": plain(_("Choose a person"))}
    if ask.assignee:
        picker["initial_user"] = ask.assignee
    blocks = [*_about(ask, department, month, locale, timezone),
              {"type": "input", "block_id": ASSIGNEE_BLOCK, "label": plain(_("Assign to")),
               "element": picker}]
    return _modal(ASK_ASSIGN_CALLBACK, _("Assign the ask"), ask, blocks, _("Assign"))


@in_readers_language
def full_view(ask: Ask, department: str, month: str, locale: str = "en",
              timezone: str = "UTC") -> dict[str, Any]:
    """The whole ask and everything that happened to it, for anyone to read."""
    shown, _cut = for_slack(ask)
    state = state_text(shown, locale, timezone, mention)
    blocks = [context(f"*{escape(department)}* \u00b7 {escape(month)} \u00b7 {state}"),
              *sections([shown.text])]
    if shown.history:
        zone = ZoneInfo(timezone)
        blocks += [section(_("*History*")),
                   *sections(_event_line(e, zone, locale) for e in shown.history)]
    return _modal(None, _("Ask of leadership"), ask, blocks, None)


def _event_line(event: Event, zone: ZoneInfo, locale: str) -> str:
    """``Nov 5 · @CEO decided it: words`` (the words already escaped)."""
    if event.action is AskAction.ASSIGN and event.assignee:
        done = _("assigned it to {person}", person=mention(event.assignee))
    else:
        done = _(_DONE[event.action]) if event.action in _DONE else str(event.action)
    if event.text:
        done = _("{done}: {words}", done=done, words=event.text)
    return f"{format_day(event.at.astimezone(zone), locale)} \u00b7 {mention(event.by)} {done}"

