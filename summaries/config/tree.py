"""Walking an organization's tree: every department reachable from some by its edges."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

_K = TypeVar("_K")


def reachable(edges: Mapping[_K, Iterable[_K]], start: Iterable[_K]) -> set[_K]:
    """``start`` and every key reached from them along ``edges`` (a key's children, or its
    parents), each once."""
    found = set(start)
    pending = list(found)
    while pending:
        for other in edges.get(pending.pop(), ()):
            if other not in found:
                found.add(other)
                pending.append(other)
    return found
