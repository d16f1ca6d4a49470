"""Small Block Kit pieces, Slack's limits, and escaping of user text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from summaries.i18n import _, ngettext

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_VIEW_TITLE = 24
MAX_BUTTON_TEXT = 75
MAX_LABEL = 2000
MAX_PLACEHOLDER = 150
# Slack refuses a message whose blocks carry much over 13,000 characters (msg_blocks_too_long),
# far below the 40,000 it documents for text: keep well under it.
MAX_MESSAGE_CHARS = 12_000
# Room a long list keeps for its heading and its "and N more" line.
_RESERVED_BLOCKS, _RESERVED_CHARS = 4, 1_000

STATUS_EMOJI = {"green": ":large_green_circle:", "amber": ":large_orange_circle:",
                "red": ":red_circle:"}
SEVERITY_EMOJI = {"red": ":red_circle:", "amber": ":large_orange_circle:",
                  "info": ":large_blue_circle:"}


def escape(text: str) -> str:
    """Escape user text for mrkdwn, so ``<!channel>`` or ``<@U123>`` pings nobody."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Shorten a label or title to ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def plain(text: str, limit: int | None = None) -> dict[str, Any]:
    """A plain_text object (emoji on), clipped to ``limit`` when given."""
    return {"type": "plain_text", "text": clip(text, limit) if limit else text, "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, MAX_HEADER_TEXT)}


def section(text: str, *, accessory: dict[str, Any] | None = None,
            block_id: str | None = None) -> Block:
    """A mrkdwn section; ``text`` must already fit (see :func:`pack_lines`)."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id is not None:
        block["block_id"] = block_id
    return block


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:10]]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(text, MAX_BUTTON_TEXT),
                               "action_id": action_id, "value": value}
    if style is not None:
        element["style"] = style
    return element


def pack_lines(lines: Iterable[str], limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Join lines into as few texts of at most ``limit`` characters as possible.

    Nothing is dropped: a single line longer than ``limit`` is split across texts, at a space
    where there is one and never inside an escape (``&amp;``) or a ``<...>`` token.
    """
    texts: list[str] = []
    current = ""
    for line in lines:
        while len(line) > limit:
            if current:
                texts.append(current)
                current = ""
            cut = cut_point(line, limit)
            texts.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            texts.append(current)
            candidate = line
        current = candidate
    if current:
        texts.append(current)
    return texts


# Spans a split must not cut: mrkdwn escapes and Slack's <...> tokens (mentions, dates, links).
_ATOMIC = re.compile(r"&(?:amp|lt|gt);|<[^<>\n]{1,200}>")


def cut_point(text: str, limit: int) -> int:
    """Where to split ``text`` (longer than ``limit``): after a space in the second half of the
    allowance if there is one, else at ``limit``; moved back out of an escape or token."""
    cut = limit
    space = max(text.rfind(" ", limit // 2, limit), text.rfind("\t", limit // 2, limit))
    if space > 0:
        cut = space + 1
    for found in _ATOMIC.finditer(text, max(0, cut - 202), cut + 202):
        if found.start() < cut < found.end():
            return found.start() if found.start() > 0 else limit
    return cut


def sections(lines: Iterable[str]) -> list[Block]:
    """Section blocks holding ``lines``, packed within the section text limit."""
    return [section(text) for text in pack_lines(lines)]


def block_chars(block: Block) -> int:
    """The characters of text a block carries (what Slack's per-message size counts)."""
    total = 0
    for key in ("text", "fields", "elements"):
        value = block.get(key)
        items = value if isinstance(value, list) else [value] if value else []
        total += sum(len(item.get("text", "")) for item in items if isinstance(item, dict)
                     and isinstance(item.get("text"), str))
    for row in block.get("rows") or ():  # a table's cells
        total += sum(len(cell.get("text", "")) for cell in row if isinstance(cell, dict)
                     and isinstance(cell.get("text"), str))
    return total


def chunk_blocks(blocks: list[Block], limit: int = MAX_MESSAGE_BLOCKS,
                 chars: int = MAX_MESSAGE_CHARS) -> list[list[Block]]:
    """Blocks in order, grouped into messages of at most ``limit`` blocks and ``chars`` text."""
    parts: list[list[Block]] = [[]]
    used = 0
    for block in blocks:
        size = block_chars(block)
        if parts[-1] and (len(parts[-1]) >= limit or used + size > chars):
            parts.append([])
            used = 0
        parts[-1].append(block)
        used += size
    return parts


def split_message(text: str, blocks: list[Block],
                  limit: int = MAX_MESSAGE_BLOCKS) -> list[dict[str, Any]]:
    """One message, or several in order when the blocks exceed Slack's per-message limits."""
    parts = chunk_blocks(blocks, limit)
    return [{"text": text if n == 0 else _("{text} (continued)", text=text), "blocks": part}
            for n, part in enumerate(parts)]


def _not_shown(count: int, noun: str, hint: str) -> str:
    """``…and 3 more departments not shown. <hint>``: the lines a long list left out."""
    if noun == "department":
        return ngettext("\u2026and {n} more department not shown. {hint}",
                        "\u2026and {n} more departments not shown. {hint}", count, hint=hint)
    if noun == "KPI":
        return ngettext("\u2026and {n} more KPI not shown. {hint}",
                        "\u2026and {n} more KPIs not shown. {hint}", count, hint=hint)
    if noun == "line":
        return ngettext("\u2026and {n} more line not shown. {hint}",
                        "\u2026and {n} more lines not shown. {hint}", count, hint=hint)
    return _("\u2026and {n} more not shown. {hint}", n=count, hint=hint)


def long_list(text: str, title: str, lines: Sequence[str], hint: str,
              noun: str, *, more: int = 0) -> dict[str, Any]:
    """A title, ``lines`` packed into sections, and a hint; lines beyond one message's limits
    (and ``more`` left out beforehand) are counted instead of shown, as ``noun``s: one of
    ``department``, ``KPI`` or ``line`` (anything else is counted without a noun)."""
    blocks: list[Block] = [section(title)]
    used = block_chars(blocks[0]) + len(hint)
    shown = 0
    for chunk in pack_lines(lines):
        size = len(chunk)
        if (len(blocks) >= MAX_MESSAGE_BLOCKS - _RESERVED_BLOCKS
                or used + size > MAX_MESSAGE_CHARS - _RESERVED_CHARS):
            break
        blocks.append(section(chunk))
        used += size
        shown += chunk.count("\n") + 1
    if shown < len(lines) or more:
        hint = _not_shown(len(lines) - shown + more, noun, hint)
    blocks.append(context(hint))
    return {"text": escape(text), "blocks": blocks}  # ``text`` is plain: names, typed words
