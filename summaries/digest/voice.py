"""Which language and which compact units a digest is worded in, and the words every medium
shares: status, severity and since-last-month words, list separators.

A digest is written for its organization: the renderers speak the organization's language
(``digest.locale``) and write large amounts in its ``compact_units``, unless the caller already
speaks for one reader (``summaries.i18n.speaking`` around the call): then that reader's.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from summaries.formatting import compacting, units_in_force
from summaries.i18n import _, current, pgettext, reading, speaking

# Characters as wide as they are tall (Chinese, Japanese, Korean, full-width punctuation).
_WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_PIECES = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+|\s+")


@contextmanager
def voice(locale: str, units: str | None = None) -> Iterator[None]:
    """Inside, words and numbers in the reader's language if a caller set one, else
    ``locale``'s; large amounts in ``units`` (None: those in force). Entered once per line of
    a digest, it changes nothing where a reader and those units are in force already."""
    if reading("") and units in (None, units_in_force()):
        yield
        return
    with speaking(reading(locale)), compacting(units):
        yield


def voice_key(locale: str) -> tuple[str, str]:
    """What text worded now depends on: the catalogue and the locale numbers are written in
    (a memo of worded text keys on it)."""
    return current(), reading(locale)


def status_word(status: str | None) -> str:
    """A KPI's status or a problem's severity as a word: ``red``, ``amber``, ``green``,
    ``info``; other values as they are."""
    return _status_words(current()).get(status or "", status or "")


def since_word(since: str) -> str:
    """How a problem stands since last month: ``new``, ``worse``, ``recurring``."""
    return _since_words(current()).get(since, since)


@lru_cache(maxsize=8)
def _status_words(language: str) -> dict[str, str]:
    """The status words of ``language`` (the one spoken now: the cache keys on it)."""
    return {"red": pgettext("status", "red"), "amber": pgettext("status", "amber"),
            "green": pgettext("status", "green"), "info": pgettext("status", "info")}


@lru_cache(maxsize=8)
def _since_words(language: str) -> dict[str, str]:
    return {"new": pgettext("since last month", "new"),
            "worse": pgettext("since last month", "worse"),
            "recurring": pgettext("since last month", "recurring")}


def listing(items: Iterable[str]) -> str:
    """Items of a list in a sentence: ``a, b, c`` (Chinese ``a、b、c``)."""
    return pgettext("list separator", ", ").join(items)


def clauses(items: Iterable[str]) -> str:
    """Parts of one sentence: ``a, b`` (Chinese with a full-width comma)."""
    return pgettext("clause separator", ", ").join(items)


def counted(title: str, count: int) -> str:
    """A list's title with how many it holds: ``Asks of leadership (5)``."""
    return _("{title} ({count})", title=title, count=count)


def wrap_words(text: str, width: int, wide: float = 2.0) -> str:
    """``text`` in lines of at most ``width`` average characters, a Chinese character
    counting ``wide`` of them; broken at spaces, and between Chinese characters."""
    if not re.search(f"[{_WIDE}]", text):
        return "\n".join(textwrap.wrap(text, width) or [""])
    lines, line, used = [], "", 0.0
    for piece in _PIECES.findall(text):
        size = wide if re.match(f"[{_WIDE}]", piece) else len(piece)
        if line and used + size > width and not piece.isspace():
            lines.append(line.rstrip())
            line, used = "", 0.0
        if line or not piece.isspace():
            line, used = line + piece, used + size
    return "\n".join([*lines, line.rstrip()])
