"""Asks of leadership in the digest (SPEC 5.2): each ask with where it stands, and the controls
leaders act with. The header stays short for its 30-second read (an ask shortened at a word, a
menu per ask); the department's reply in the thread shows each ask whole, with buttons.

User text reaches Slack escaped; people are named by mentions. Pure builders, no Slack calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from bot.blocks.common import (
    MAX_BUTTON_TEXT,
    Block,
    button,
    context,
    escape,
    pack_lines,
    plain,
    section,
    sections,
)
from bot.blocks.text import render
from bot.ids import ASK_ACKNOWLEDGE, ASK_ANSWER, ASK_ASSIGN, ASK_FULL, ASK_MENU
from summaries.digest.askwords import CUT_NOTE, ask_note, carried_groups, short_text
from summaries.digest.header import AskLine
from summaries.engine.asks import Ask, AskState, Event
from summaries.i18n import N_, _, in_readers_language, reading, speaking
from summaries.periods import Month

# A reply quoted in the thread (the full-text view shows all of it); the header quotes none.
REPLY_IN_THREAD = 1500
# Context elements hold at most this much text each (Slack: 10 elements).
_CONTEXT_TEXT = 2000
# What the header's menu offers, by the value prefix its option carries.
MENU_ACKNOWLEDGE, MENU_ANSWER, MENU_ASSIGN, MENU_FULL = "acknowledge", "answer", "assign", "full"
ASK_BLOCK = "ask"  # block id prefix of an ask's row of controls: ``ask:<id>``
# The header's menu, by what an option does.
MENU_LABELS = {MENU_ACKNOWLEDGE: N_("Acknowledge"), MENU_ANSWER: N_("Reply or decide\u2026"),
               MENU_ASSIGN: N_("Assign\u2026"), MENU_FULL: N_("Show full text")}


def mention(user: str) -> str:
    """A person as Slack shows them (an id is never user text, but escape it all the same)."""
    return f"<@{escape(user)}>"


def menu_value(verb: str, ask_id: int) -> str:
    return f"{verb}:{ask_id}"


def read_menu_value(value: str) -> tuple[str, int]:
    """The verb and ask id of a menu option; ValueError when it is not one of ours."""
    verb, _colon, number = value.partition(":")
    if verb not in (MENU_ACKNOWLEDGE, MENU_ANSWER, MENU_ASSIGN, MENU_FULL):
        raise ValueError(f"not an ask menu option: {value[:40]!r}")
    return verb, int(number)


def ask_id_of_block(block_id: str) -> int:
    """The ask id of a row of controls (``ask:<id>``); ValueError otherwise."""
    prefix, _colon, number = block_id.partition(":")
    if prefix != ASK_BLOCK:
        raise ValueError(f"not an ask's controls: {block_id[:40]!r}")
    return int(number)


def for_slack(ask: Ask, text_limit: int | None = None,
              reply_limit: int | None = None) -> tuple[Ask, bool]:
    """The ask with every word a person typed (the ask, replies, updates) shortened to its
    limit and escaped, so the sentences of ``askwords`` can name people with mentions while a
    typed ``<!channel>`` pings nobody; and whether anything was shortened."""
    cut = False

    def shown(text: str | None, limit: int | None) -> str | None:
        nonlocal cut
        if not text:
            return text
        short, was_cut = short_text(text, limit) if limit else (text, False)
        cut = cut or was_cut
        return escape(short)

    history = tuple(replace(e, text=shown(e.text, reply_limit)) for e in ask.history)
    return replace(ask, text=shown(ask.text, text_limit) or "", history=history), cut


def ask_state_note(ask: Ask, month: Month, locale: str, timezone: str,
                   reply_limit: int | None, *, said: bool = True) -> tuple[str, bool]:
    """Where the ask stands as mrkdwn (age, state, and unless ``said`` is false the last
    reply and update); and whether a reply or update was shortened."""
    shown, cut = for_slack(ask, reply_limit=reply_limit)
    return ask_note(shown, month, locale, timezone, mention, said=said), cut and said


@in_readers_language
def header_ask_blocks(lines: Sequence[AskLine], month: Month, locale: str,
                      timezone: str) -> list[Block]:
    """One line per ask: department, the ask (shortened), where it stands. A stored ask is a
    section of its own with a menu of what leaders do (a button to read it whole once it has
    ended); asks not stored (a preview) share sections, being nothing to act on."""
    blocks: list[Block] = []
    pending: list[str] = []
    for line in lines:
        ask = line.ask
        text, cut = short_text(ask.text)
        note, reply_cut = ask_state_note(ask, month, locale, timezone, None, said=False)
        mark = f" _{_(CUT_NOTE)}_" if cut and ask.id is not None else (
            " " + _("_(shortened; in full in the thread)_") if cut else "")
        words = _("\u2022 *{department}*: {ask}{mark} \u2014 {note}",
                  department=escape(line.department), ask=escape(text), mark=mark, note=note)
        if ask.id is None:
            pending.append(words)
            continue
        blocks += sections(pending)
        pending = []
        accessory = ask_menu(ask, cut or reply_cut)
        for n, part in enumerate(pack_lines([words])):  # the menu goes on the first part
            blocks.append(section(part, accessory=accessory if n == 0 else None))
    return blocks + sections(pending)


def ask_menu(ask: Ask, cut: bool) -> dict[str, Any] | None:
    """The header's menu on a stored ask: acknowledge (while nobody has), reply or decide,
    assign, and the whole text when it was shortened; a button for the whole text once it has
    ended; nothing on an ended ask shown whole."""
    assert ask.id is not None
    if not ask.live:
        return button(_("Show full text"), ASK_FULL, str(ask.id)) if cut else None
    verbs = [MENU_ACKNOWLEDGE] if ask.state is AskState.OPEN else []
    verbs += [MENU_ANSWER, MENU_ASSIGN] + ([MENU_FULL] if cut else [])
    return {"type": "overflow", "action_id": ASK_MENU,
            "options": [{"text": plain(_(MENU_LABELS[verb]), MAX_BUTTON_TEXT),
                         "value": menu_value(verb, ask.id)} for verb in verbs]}


def reply_ask_blocks(asks: Sequence[Ask], carried: Sequence[Ask], month: Month, locale: str,
                     timezone: str) -> list[Block]:
    """A department's asks in its reply: this month's, then those still open from earlier
    months by the month they were raised in; each whole, where it stands, and its controls."""
    blocks: list[Block] = []
    with speaking(reading(locale)):
        if asks:
            blocks.append(section(_("*Asks of leadership* ({n})", n=len(asks))))
            blocks += _asks(asks, month, locale, timezone)
        for group in carried_groups(carried, month, locale):
            blocks.append(section(f"*{escape(group.title)}*"))
            blocks += _asks(group.asks, month, locale, timezone)
    return blocks


def _asks(asks: Iterable[Ask], month: Month, locale: str, timezone: str) -> list[Block]:
    blocks: list[Block] = []
    pending: list[str] = []
    for ask in asks:
        if ask.id is None:  # a preview: nothing stored to act on, nothing happened yet
            pending.append(f"\u2022 {escape(ask.text)}")
            continue
        blocks += sections(pending)
        pending = []
        note, cut = ask_state_note(ask, month, locale, timezone, REPLY_IN_THREAD)
        blocks += sections([f"\u2022 {escape(ask.text)}"])
        blocks.append(context(*pack_lines([note], _CONTEXT_TEXT)))
        controls = ask_controls(ask, cut)
        if controls is not None:
            blocks.append(controls)
    return blocks + sections(pending)


def ask_controls(ask: Ask, cut: bool) -> Block | None:
    """The row under a stored ask in the thread: acknowledge (while nobody has), reply or
    decide, a person picker to assign it, and the whole reply when it was shortened; only the
    last once the ask has ended."""
    assert ask.id is not None
    value = str(ask.id)
    elements: list[dict[str, Any]] = []
    if ask.live:
        if ask.state is AskState.OPEN:
            elements.append(button(_("Acknowledge"), ASK_ACKNOWLEDGE, value))
        elements.append(button(_("Reply or decide"), ASK_ANSWER, value, style="primary"))
        picker: dict[str, Any] = {"type": "users_select", "action_id": ASK_ASSIGN,
                                  "placeholder": plain(_("Assign to\u2026"))}
        if ask.assignee:
            picker["initial_user"] = ask.assignee
        elements.append(picker)
    if cut:
        elements.append(button(_("Show full text"), ASK_FULL, value))
    if not elements:
        return None
    return {"type": "actions", "block_id": f"{ASK_BLOCK}:{ask.id}", "elements": elements}


def outcome_message(ask: Ask, event: Event, department: str, month: str) -> dict[str, Any]:
    """The direct message telling the department's manager what leadership did with their
    ask: who, what, and the reply or decision in full."""
    words = render("ask_outcome", action=str(event.action), by=event.by, department=department,
                   month=month, assignee=event.assignee or "", ask=ask.text,
                   reply=event.text or "")
    return {"text": render("ask_outcome_fallback", action=str(event.action),
                           department=department, month=month, ask=ask.text),
            "blocks": sections(words.splitlines())}


def assigned_message(ask: Ask, event: Event, department: str, month: str,
                     manager: str) -> dict[str, Any]:
    """The direct message handing an ask to the person it was assigned to, with the button
    to reply to it or decide it."""
    assert ask.id is not None
    words = render("ask_assigned", by=event.by, department=department, month=month,
                   ask=ask.text, manager=manager)
    controls = {"type": "actions", "block_id": f"{ASK_BLOCK}:{ask.id}", "elements": [
        button(_("Reply or decide"), ASK_ANSWER, str(ask.id), style="primary")]}
    return {"text": render("ask_assigned_fallback", department=department, month=month,
                           ask=ask.text),
            "blocks": [*sections(words.splitlines()), controls]}
