"""Find a KPI or a department from what a person typed: its key, or a unique part of its name.

Matching ignores case and width in any script (NFKC, then case folding), so ``east``,
``EAST`` and full-width letters all find "East County Company". Latin and other spaced
scripts match from the start of a word; scripts written without spaces between words
(Chinese, Japanese kana, Thai and its neighbours) have no word starts to go by, so there any
part of the name will do: ``流失`` finds "重点客户流失率" and ``东城`` finds "东城县公司".
Hangul is written with spaces, so Korean names keep word starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from summaries.i18n import N_, _, pgettext
from summaries.textfold import fold

_WORD_BREAK = re.compile(r"[\s\-_/(),.·:;]+")

# Scripts written without spaces between words, by code point (Python has no script property).
_UNSPACED = (
    (0x0E00, 0x0EFF),    # Thai, Lao
    (0x1000, 0x109F),    # Myanmar
    (0x1780, 0x17FF),    # Khmer
    (0x2E80, 0x2FDF),    # CJK radicals, Kangxi radicals
    (0x3005, 0x3007),    # the iteration mark, the closing mark, the ideographic zero
    (0x3040, 0x30FF),    # Hiragana, Katakana (with ー)
    (0x31F0, 0x31FF),    # Katakana phonetic extensions
    (0x3400, 0x4DBF),    # CJK extension A
    (0x4E00, 0x9FFF),    # CJK unified ideographs
    (0xF900, 0xFAFF),    # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions B onwards
)


_UNSPACED_CHAR = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _UNSPACED)
                            + "]")


@dataclass(frozen=True)
class Named:
    """Something a person may name: a KPI or a department."""

    key: str
    name: str


@lru_cache(maxsize=8192)
def _folded_name(text: str) -> str:
    """``fold`` for configured keys and names, which every lookup folds again (a word typed
    as KPI and department together is tried at every cut, against every name)."""
    return fold(text)


def unspaced(char: str) -> bool:
    """Whether ``char`` belongs to a script written without spaces between words."""
    return _UNSPACED_CHAR.match(char) is not None


def find(word: str, items: Sequence[Named]) -> list[Named]:
    """The items ``word`` names, from the most exact way of naming them that finds any.

    In order: the key or the whole name; a prefix of the key or of the name; a prefix of a
    word inside the name (``income`` for "Business income"), where inside a script without
    spaces every character starts a word (``流失`` for "重点客户流失率"). Several items found
    the same way are all returned: the caller says the word is ambiguous and lists them. So
    an exact name beats a partial one, and the start of a name beats its middle.
    """
    wanted = fold(word)
    if not wanted:
        return []
    folded = [(item, _folded_name(item.key), _folded_name(item.name)) for item in items]
    tests: tuple[Callable[[str, str], bool], ...] = (
        lambda key, name: wanted in (key, name),
        lambda key, name: key.startswith(wanted) or name.startswith(wanted),
        lambda key, name: (any(part.startswith(wanted) for part in _WORD_BREAK.split(name))
                           or any(name.startswith(wanted, at) for at in _unspaced_starts(name))),
    )
    for test in tests:
        found = [item for item, key, name in folded if test(key, name)]
        if found:
            return found
    return []


def cuts(word: str) -> Iterator[tuple[str, str]]:
    """Each way of cutting ``word`` in two where a script without spaces meets itself or
    another: ``东城流失率`` may be a department and a KPI typed with nothing between them.
    A word wholly in a spaced script is never cut, so ``revenueeast`` stays one word."""
    for at in range(1, len(word)):
        if unspaced(word[at - 1]) or unspaced(word[at]):
            yield word[:at], word[at:]


@lru_cache(maxsize=8192)
def _unspaced_starts(name: str) -> tuple[int, ...]:
    """Where a word may start inside ``name`` besides its word breaks: at each character of
    a script without spaces, and right after one (``率ARPU``: the script changes). Kept, as
    names are few and looked through at every cut of a word typed without spaces."""
    marks = {found.start() for found in _UNSPACED_CHAR.finditer(name)}
    return tuple(sorted(at for at in marks | {at + 1 for at in marks} if 0 < at < len(name)))


def listed(names: Iterable[str]) -> str:
    """Names one after another as the reader's language lists them (``a, b``; ``甲、乙``)."""
    return pgettext("list separator", ", ").join(names)


# Which of several a word meant, by what it names: (when several match, when none does).
_WHICH = {"department": (N_("Which department? It could be: {names}."),
                         N_("Which department? Choose from: {names}.")),
          "KPI": (N_("Which KPI? It could be: {names}."), N_("Which KPI? Choose from: {names}."))}


def find_one(words: str, items: Sequence[Named], noun: str = "department") -> Named:
    """The one item ``words`` names; else a DomainError listing the candidates (or, when
    nothing matched, the first choices). ``noun`` says what they are: department or KPI."""
    from summaries.errors import DomainError

    found = find(words, items)
    if len(found) == 1:
        return found[0]
    names = listed(_("{name} ({key})", name=item.name, key=item.key)
                   for item in (found or items)[:20])
    several, none = _WHICH.get(noun, _WHICH["department"])
    raise DomainError(_(several if found else none, names=names))
