"""Asks of leadership carried over from earlier months (SPEC 5.2), as the manager's prompt, form
and confirmation show them: each with its words (a long one shortened at a word, saying so),
how long it has waited and leadership's last reply, so the manager can keep, withdraw or update
it knowing where it stands. The words come from ``summaries.digest.askwords``, as the digest's."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.blocks.common import (
    MAX_LABEL,
    MAX_MESSAGE_CHARS,
    Block,
    context,
    escape,
    pack_lines,
    plain,
    section,
)
from bot.blocks.text import render
from bot.ids import CARRY_BLOCK, CARRY_CHOICE, CARRY_UPDATE, CARRY_UPDATE_BLOCK
from summaries.checkins.asks import MAX_REPLY_CHARS
from summaries.checkins.forms import KEEP, WITHDRAW, Carried
from summaries.digest.askwords import (
    CUT_NOTE,
    SHORT_ASK,
    age_text,
    answer_text,
    short_text,
    state_text,
    update_text,
)
from summaries.engine.asks import Ask, AskState
from summaries.i18n import N_, _, in_readers_language, pgettext
from summaries.periods import Month

# The part of a prompt its carried asks may fill; the rest is left for the prompt's own words.
PROMPT_ASK_CHARS = MAX_MESSAGE_CHARS // 2
# Blocks one ask takes in the form: its words, its keep-or-withdraw choice, its update.
FORM_ASK_BLOCKS = 3
CHOICES = ((KEEP, N_("Keep open")), (WITHDRAW, N_("Withdraw")))
# What the form did to an ask that had ended meanwhile, by how it ended.
_ENDED = {AskState.DECIDED: N_("{ask}: already decided, so nothing was changed"),
          AskState.DECLINED: N_("{ask}: already declined, so nothing was changed"),
          AskState.WITHDRAWN: N_("{ask}: already withdrawn, so nothing was changed")}
# People are marked while the words around them are escaped, then become Slack mentions.
_MARK, _END = "\ue000", "\ue001"
_MARKED = re.compile(f"{_MARK}([A-Za-z0-9]+){_END}")


def _marked(user: str) -> str:
    return f"{_MARK}{user}{_END}"


def with_mentions(text: str) -> str:
    """``text`` (people marked by :func:`_marked`) escaped for mrkdwn, the people mentioned:
    the manager's and leaders' words ping nobody, the leader who replied is named."""
    mentioned = _MARKED.sub(lambda m: f"<@{m.group(1)}>", escape(text))
    return mentioned.replace(_MARK, "").replace(_END, "")


def _said(words: Callable[[Callable[[str], str]], str | None]) -> str | None:
    """A reply or update line naming people, shortened like the ask and escaped."""
    text = words(_marked)
    return with_mentions(short_text(text, SHORT_ASK)[0]) if text else None


def ask_text(ask: Ask, month: Month, locale: str = "en", timezone: str = "UTC") -> str:
    """One carried ask in mrkdwn: its words in bold, then how long it has waited and where
    it stands, then leadership's last reply (or that there is none yet) and the manager's last
    update."""
    words, cut = short_text(ask.text)
    first = f"*{escape(words)}*" + (f" _{_(CUT_NOTE)}_" if cut else "")
    where = [age_text(ask, month)]
    if ask.state is not AskState.OPEN:
        where.append(state_text(ask, locale, timezone, _marked))
    reply = _said(lambda person: answer_text(ask, locale, timezone, person))
    update = _said(lambda _person: update_text(ask, locale, timezone))
    joined = pgettext("clause separator", ", ").join(where)
    lines = [first, f"_{with_mentions(joined)}_",
             f"> {reply}" if reply else _("_No reply from leadership yet._")]
    return "\n".join(lines + ([update] if update else []))


@in_readers_language
def prompt_asks(asks: Sequence[Ask], month: Month, locale: str = "en", timezone: str = "UTC",
                chars: int = PROMPT_ASK_CHARS) -> list[Block]:
    """The prompt's part on the department's open asks: a heading, then each ask as long as
    they fit in ``chars`` (the prompt is one message), then how many more there are."""
    if not asks:
        return []
    lines: list[str] = []  # the asks, a blank line between two
    shown = used = 0
    for ask in asks:
        text = ask_text(ask, month, locale, timezone)
        if used + len(text) > chars:
            break
        lines += ["", text] if lines else [text]
        shown, used = shown + 1, used + len(text) + 2
    blocks = [section(render("prompt_asks", count=len(asks)))]
    blocks += [section(t.strip("\n")) for t in pack_lines(lines)]
    if shown < len(asks):
        blocks.append(context(render("prompt_asks_more", more=len(asks) - shown)))
    return blocks


@in_readers_language
def form_asks(asks: Sequence[Ask], month: Month, values: Mapping[str, str], room: int, *,
              locale: str = "en", timezone: str = "UTC") -> list[Block]:
    """The form's part on the department's open asks, in at most ``room`` blocks (a modal holds
    100): a heading, then per ask its words and two optional inputs, keep or withdraw and an
    update, prefilled from ``values``; the asks that do not fit are counted."""
    if not asks or room < 1 + FORM_ASK_BLOCKS:
        return []
    shown = list(asks)
    if 1 + FORM_ASK_BLOCKS * len(asks) > room:  # one block is kept to count the rest
        shown = shown[:(room - 2) // FORM_ASK_BLOCKS]
    blocks = [section(render("prompt_asks_form", count=len(asks)))]
    for ask in shown:
        blocks += [section(ask_text(ask, month, locale, timezone)),
                   choice_input(ask, values.get(f"{CARRY_BLOCK}:{ask.id}")),
                   update_input(ask, values.get(f"{CARRY_UPDATE_BLOCK}:{ask.id}"))]
    if len(shown) < len(asks):
        blocks.append(context(render("prompt_asks_more", more=len(asks) - len(shown))))
    return blocks


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": plain(_(label)), "value": value}


def choice_input(ask: Ask, chosen: str | None) -> Block:
    """Keep the ask open (the default: nothing chosen) or withdraw it."""
    element: dict[str, Any] = {"type": "static_select", "action_id": CARRY_CHOICE,
                               "placeholder": plain(_("Keep open")),
                               "options": [_option(v, label) for v, label in CHOICES]}
    initial = next((_option(v, label) for v, label in CHOICES if v == chosen), None)
    if initial is not None:
        element["initial_option"] = initial
    words = short_text(ask.text, 60)[0]
    return {"type": "input", "block_id": f"{CARRY_BLOCK}:{ask.id}", "optional": True,
            "label": plain(_("Keep or withdraw \u201c{ask}\u201d", ask=words), MAX_LABEL),
            "element": element}


def update_input(ask: Ask, typed: str | None) -> Block:
    """News for leadership on the ask, added to its history when the form is submitted."""
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": CARRY_UPDATE,
                               "multiline": True, "max_length": MAX_REPLY_CHARS}
    if typed:
        element["initial_value"] = typed[:MAX_REPLY_CHARS]
    return {"type": "input", "block_id": f"{CARRY_UPDATE_BLOCK}:{ask.id}", "optional": True,
            "label": plain(_("Add an update")), "element": element,
            "hint": plain(_("Leadership sees it with the ask in the next digest."))}


def carried_lines(carried: Sequence[Carried]) -> list[str]:
    """What the submitted form did to the carried asks, one mrkdwn line each, for the
    confirmation: withdrawn, updated, or not changed because it ended meanwhile."""
    lines = []
    for done in carried:
        words = f"*{escape(short_text(done.ask.text)[0])}*"
        if done.ended:
            said = _(_ENDED.get(done.ask.state, _ENDED[AskState.WITHDRAWN]), ask=words)
        elif done.withdrawn:
            said = (_("{ask}: withdrawn (with your update)", ask=words) if done.updated
                    else _("{ask}: withdrawn", ask=words))
        else:
            said = _("{ask}: your update was added", ask=words)
        lines.append(f"\u2022 {said}")
    return lines
