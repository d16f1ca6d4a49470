"""Find a KPI or a department from what a person typed: its key, or a unique prefix of its name.

Matching ignores case and width in any script (NFKC, then case folding), so ``east``,
``EAST`` and full-width letters all find "East County Company", and ``东`` finds "东城分公司".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_WORD_BREAK = re.compile(r"[\s\-_/(),.·:;]+")


@dataclass(frozen=True)
class Named:
    """Something a person may name: a KPI or a department."""

    key: str
    name: str


def fold(text: str) -> str:
    """``text`` as matching compares it: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def find(word: str, items: Sequence[Named]) -> list[Named]:
    """The items ``word`` names, from the most exact way of naming them that finds any.

    In order: the key or the whole name; a prefix of the key or of the name; a prefix of a
    word inside the name (``income`` for "Business income"). Several items found the same
    way are all returned: the caller says the word is ambiguous and lists them.
    """
    wanted = fold(word)
    if not wanted:
        return []
    folded = [(item, fold(item.key), fold(item.name)) for item in items]
    tests: tuple[Callable[[str, str], bool], ...] = (
        lambda key, name: wanted in (key, name),
        lambda key, name: key.startswith(wanted) or name.startswith(wanted),
        lambda key, name: any(part.startswith(wanted) for part in _WORD_BREAK.split(name)),
    )
    for test in tests:
        found = [item for item, key, name in folded if test(key, name)]
        if found:
            return found
    return []


def find_one(words: str, items: Sequence[Named], noun: str = "department") -> Named:
    """The one item ``words`` names; else a DomainError listing the candidates (or, when
    nothing matched, the first choices)."""
    from summaries.errors import DomainError

    found = find(words, items)
    if len(found) == 1:
        return found[0]
    listed = ", ".join(f"{item.name} ({item.key})" for item in (found or items)[:20])
    raise DomainError(f"Which {noun}? {'It could be' if found else 'Choose from'}: {listed}.")
