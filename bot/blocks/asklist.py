"""Asks of leadership as lists a person reads in Slack (SPEC 5.2): ``/checkin asks`` and the
App Home. Pure Block Kit builders: the asks come in already read and filtered for the reader.

Each ask is one entry of a few lines: its department and text (escaped, a long one shortened
at a word and saying so), where it stands and how long it has waited, and the last reply. A
list longer than one message keeps whole entries and says how many more there are."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.blocks.common import (
    MAX_MESSAGE_BLOCKS,
    MAX_MESSAGE_CHARS,
    MAX_SECTION_TEXT,
    Block,
    context,
    escape,
    section,
)
from bot.ids import CHECKIN_COMMAND
from summaries.dates import format_month
from summaries.digest.askwords import (
    CUT_NOTE,
    age_text,
    answer_text,
    short_text,
    state_text,
    update_text,
)
from summaries.engine.asks import Ask
from summaries.i18n import N_, _, reading, speaking
from summaries.periods import Month

Message = dict[str, Any]
INDENT = "\u2003"
# Room a list keeps besides its entries: the title, the closing hint, and a margin.
_LIST_BLOCKS, _LIST_CHARS = 2, 1_000
# The App Home is shared with the month's status: its asks stay short.
HOME_ASKS, HOME_SECTIONS, HOME_CHARS = 10, 4, 8_000
# The words of a list of asks, by (every state or open ones only, a department named or not).
_NONE = {(False, False): N_("No open asks of leadership."),
         (True, False): N_("No asks of leadership."),
         (False, True): N_("No open asks of leadership of {department}."),
         (True, True): N_("No asks of leadership of {department}.")}
_TITLE = {(False, False): N_("*Open asks of leadership* \u00b7 {n}"),
          (True, False): N_("*Asks of leadership* \u00b7 {n}"),
          (False, True): N_("*Open asks of leadership* of {department} \u00b7 {n}"),
          (True, True): N_("*Asks of leadership* of {department} \u00b7 {n}")}
_FALLBACK = {(False, False): N_("Open asks of leadership: {n}"),
             (True, False): N_("Asks of leadership: {n}"),
             (False, True): N_("Open asks of leadership of {department}: {n}"),
             (True, True): N_("Asks of leadership of {department}: {n}")}


def mention(user: str) -> str:
    return f"<@{user}>"


@dataclass(frozen=True)
class AskWords:
    """How asks are worded for one reader: department names, the month ages count to, and
    the organization's locale and time zone for days."""

    names: Mapping[str, str]
    month: Month
    locale: str = "en"
    timezone: str = "UTC"


def ask_entry(ask: Ask, words: AskWords) -> str:
    """One ask as mrkdwn: ``• *Department*: text``, then its state (with its age while it
    waits) and, if any, the last reply and the manager's latest update."""
    text, cut = short_text(" ".join(ask.text.split()))
    name = escape(words.names.get(ask.department, ask.department))
    lines = [_("\u2022 *{department}*: {ask}", department=name, ask=escape(text))
             + (f" _{_(CUT_NOTE)}_" if cut else "")]
    where = state_text(ask, words.locale, words.timezone, mention)
    if ask.live:
        where += f" \u00b7 {age_text(ask, words.month)}"
    lines.append(INDENT + where)
    answer, update = ask.answer, ask.update
    for full, said in ((answer_text(ask, words.locale, words.timezone, mention),
                        answer.text if answer else None),
                       (update_text(ask, words.locale, words.timezone),
                        update.text if update else None)):
        line = _quoted(full, said)
        if line:
            lines.append(f"{INDENT}\u21b3 {line}")
    return "\n".join(lines)


def _quoted(full: str | None, said: str | None) -> str | None:
    """``full`` (our words, then what a person ``said``) with their words escaped and
    shortened: our part holds mentions and days that must stay as they are."""
    if not full or not said or not full.endswith(said):
        return None
    text, cut = short_text(" ".join(said.split()))
    return full[:len(full) - len(said)] + escape(text) + (f" _{_(CUT_NOTE)}_" if cut else "")


def pack_entries(groups: Sequence[tuple[str | None, Sequence[str]]], *, blocks: int,
                 chars: int) -> tuple[list[str], int]:
    """Section texts holding the groups' entries in order (each group's heading starts a
    new section), whole entries only, within ``blocks`` sections and ``chars`` characters;
    and how many entries they hold (the first that does not fit ends the list)."""
    texts: list[str] = []
    used = shown = 0
    for heading, entries in groups:
        for number, entry in enumerate(entries):
            starts = number == 0 and bool(heading)
            piece = f"{heading}\n{entry}" if starts else entry
            joins = (bool(texts) and not starts
                     and len(texts[-1]) + 1 + len(piece) <= MAX_SECTION_TEXT)
            if used + len(piece) > chars or (not joins and len(texts) >= blocks):
                return texts, shown
            if joins:
                texts[-1] += "\n" + piece
            else:
                texts.append(piece)
            used += len(piece) + 1
            shown += 1
    return texts, shown


def by_month(asks: Sequence[Ask], locale: str) -> list[tuple[str, list[Ask]]]:
    """The asks under a heading per month raised, in the order given."""
    groups: dict[str, list[Ask]] = {}
    for ask in asks:
        groups.setdefault(ask.period or "", []).append(ask)
    return [(f"*{format_month(Month.parse(key), locale)}* ({len(found)})" if key else "",
             found) for key, found in groups.items()]


def asks_message(asks: Sequence[Ask], words: AskWords, *, every_state: bool,
                 department: str | None = None) -> Message:
    """The answer to ``/checkin asks``: the asks by month raised, newest first, with how many
    did not fit; ``department`` names the one asked about, if any."""
    with speaking(reading(words.locale)):
        return _asks_message(asks, words, every_state, department)


def _asks_message(asks: Sequence[Ask], words: AskWords, every_state: bool,
                  department: str | None) -> Message:
    kind = (every_state, bool(department))
    if not asks:
        hint = (_("Open asks are those open, acknowledged or assigned; `{command} asks all` "
                  "lists decided, declined and withdrawn ones too.", command=CHECKIN_COMMAND)
                if not every_state else
                _("Asks are the lines of the sections that raise them to leadership."))
        text = _(_NONE[kind], department=department)
        return {"text": escape(text), "blocks": [section(escape(text)), context(hint)]}
    title = _(_TITLE[kind], department=escape(department or ""), n=len(asks))
    groups = [(heading, [ask_entry(a, words) for a in found])
              for heading, found in by_month(asks, words.locale)]
    texts, shown = pack_entries(groups, blocks=MAX_MESSAGE_BLOCKS - _LIST_BLOCKS,
                                chars=MAX_MESSAGE_CHARS - _LIST_CHARS - len(title))
    if shown < len(asks):
        hint = _("\u2026and {more} more not shown. Name a department to see fewer: "
                 "`{command} asks {scope} <department>`.", more=len(asks) - shown,
                 command=CHECKIN_COMMAND, scope="all" if every_state else "open")
    elif every_state:
        hint = _("Every state: open, acknowledged, assigned, decided, declined and withdrawn.")
    else:
        hint = _("Open asks are those open, acknowledged or assigned; `{command} asks all` "
                 "lists the decided, declined and withdrawn ones too.", command=CHECKIN_COMMAND)
    blocks: list[Block] = [section(title), *(section(t) for t in texts), context(hint)]
    fallback = _(_FALLBACK[kind], department=department, n=len(asks))
    return {"text": escape(fallback), "blocks": blocks}


def home_asks(asks: Sequence[Ask], words: AskWords, *, everyone: bool) -> list[Block]:
    """The App Home's open asks, oldest first as given: every department's for leaders and
    admins, a manager's own departments' otherwise; at most :data:`HOME_ASKS`, then how many
    more ``/checkin asks`` lists."""
    with speaking(reading(words.locale)):
        if not asks:
            return [section(_("*Open asks of leadership*: none.") if everyone else
                            _("*Open asks of leadership* from your departments: none."))]
        entries = [ask_entry(a, words) for a in asks[:HOME_ASKS]]
        texts, shown = pack_entries([(None, entries)], blocks=HOME_SECTIONS, chars=HOME_CHARS)
        title = (_("*Open asks of leadership* \u00b7 {n}, oldest first", n=len(asks))
                 if everyone else _("*Open asks of leadership* from your departments \u00b7 "
                                    "{n}, oldest first", n=len(asks)))
        blocks: list[Block] = [section(title), *(section(t) for t in texts)]
        if shown < len(asks):
            blocks.append(context(_("\u2026and {more} more: `{command} asks`",
                                    more=len(asks) - shown, command=CHECKIN_COMMAND)))
    return blocks
