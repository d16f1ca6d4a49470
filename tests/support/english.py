"""English left in text meant for a Chinese reader: the words a test finds after taking out
what the organization wrote itself (names, units, answers) and what needs no catalogue
(codes, units, Slack's and HTML's own markup)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

# Words a Chinese reader sees untranslated on purpose: currency codes, the chart library.
ALLOWED = frozenset({"CNY", "USD", "EUR", "matplotlib"})
_HIDDEN = re.compile(r"<(style|script)\b.*?</\1>|<!DOCTYPE[^>]*>|data:[\w/+;,=.-]+",
                     re.S | re.I)
_READ = re.compile(r'\b(?:alt|aria-label|title)="([^"]*)"')  # attributes people read
_TAG = re.compile(r"<[^>]+>")  # HTML tags, Slack mentions and dates
_EMOJI = re.compile(r":[a-z0-9_+-]+:")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*[A-Za-z]")


def _plain(text: str) -> str:
    """Markup out, entities and Markdown escapes undone, white space single."""
    text = _HIDDEN.sub(" ", text)
    text = _TAG.sub(lambda tag: " " + " ".join(_READ.findall(tag.group())) + " ", text)
    text = html.unescape(_EMOJI.sub(" ", text)).replace("\\", "")
    return " ".join(text.split())


def english_words(text: str, own: Iterable[str] = (), allowed: Iterable[str] = ()
                  ) -> list[str]:
    """The English words (two letters or more) of ``text`` once ``own`` (the organization's
    own words: names, units, written answers) and the markup of Slack, Markdown and HTML
    are taken out; a word in :data:`ALLOWED` or ``allowed`` is fine."""
    text = _plain(text)
    for words in sorted({" ".join(w.split()) for w in own if w.strip()}, key=len,
                        reverse=True):
        text = text.replace(words, " ")
    fine = ALLOWED | set(allowed)
    return [w for w in _WORD.findall(text) if w not in fine]
