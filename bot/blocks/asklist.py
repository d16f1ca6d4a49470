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
from summaries.periods import Month

Message = dict[str, Any]
INDENT = "\u2003"
# Room a list keeps besides its entries: the title, the closing hint, and a margin.
_LIST_BLOCKS, _LIST_CHARS = 2, 1_000
# The App Home is shared with the month's status: its asks stay short.
HOME_ASKS, HOME_SECTIONS, HOME_CHARS = 10, 4, 8_000
OPEN_WORDS = "open, acknowledged or assigned"


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
    lines = [f"\u2022 *{name}*: {escape(text)}" + (f" _{CUT_NOTE}_" if cut else "")]
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
    return full[:len(full) - len(said)] + escape(text) + (f" _{CUT_NOTE}_" if cut else "")


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
    where = f" of {department}" if department else ""
    kind = "" if every_state else "open "
    if not asks:
        hint = (f"Open asks are those {OPEN_WORDS}; `{CHECKIN_COMMAND} asks all` lists "
                "decided, declined and withdrawn ones too." if not every_state else
                "Asks are the lines of the sections that raise them to leadership.")
        text = f"No {kind}asks of leadership{where}."
        return {"text": escape(text), "blocks": [section(escape(text)), context(hint)]}
    title = (f"*{'Asks' if every_state else 'Open asks'} of leadership*{escape(where)} "
             f"\u00b7 {len(asks)}")
    groups = [(heading, [ask_entry(a, words) for a in found])
              for heading, found in by_month(asks, words.locale)]
    texts, shown = pack_entries(groups, blocks=MAX_MESSAGE_BLOCKS - _LIST_BLOCKS,
                                chars=MAX_MESSAGE_CHARS - _LIST_CHARS - len(title))
    if shown < len(asks):
        hint = (f"\u2026and {len(asks) - shown} more not shown. Name a department to see "
                f"fewer: `{CHECKIN_COMMAND} asks {'all' if every_state else 'open'} "
                "<department>`.")
    elif every_state:
        hint = "Every state: open, acknowledged, assigned, decided, declined and withdrawn."
    else:
        hint = (f"Open asks are those {OPEN_WORDS}; `{CHECKIN_COMMAND} asks all` lists "
                "the decided, declined and withdrawn ones too.")
    blocks: list[Block] = [section(title), *(section(t) for t in texts), context(hint)]
    fallback = f"{'Asks' if every_state else 'Open asks'} of leadership{where}: {len(asks)}"
    return {"text": escape(fallback), "blocks": blocks}


def home_asks(asks: Sequence[Ask], words: AskWords, *, everyone: bool) -> list[Block]:
    """The App Home's open asks, oldest first as given: every department's for leaders and
    admins, a manager's own departments' otherwise; at most :data:`HOME_ASKS`, then how many
    more ``/checkin asks`` lists."""
    whose = "" if everyone else " from your departments"
    if not asks:
        return [section(f"*Open asks of leadership*{whose}: none.")]
    entries = [ask_entry(a, words) for a in asks[:HOME_ASKS]]
    texts, shown = pack_entries([(None, entries)], blocks=HOME_SECTIONS, chars=HOME_CHARS)
    blocks: list[Block] = [section(f"*Open asks of leadership*{whose} \u00b7 {len(asks)}, "
                                   "oldest first"), *(section(t) for t in texts)]
    if shown < len(asks):
        blocks.append(context(f"\u2026and {len(asks) - shown} more: `{CHECKIN_COMMAND} asks`"))
    return blocks
