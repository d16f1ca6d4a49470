"""Values worked out from a configuration once, and kept while that configuration is in force.

Lookups and books ask for the same trees and lists on every request; working them out again
from hundreds of departments costs more than the request's own reads. Each value is kept under
the configuration object itself: by its id, with the object kept beside the value, so an id
reused by a newer configuration is never mistaken for the old one. A process has one or two
configurations at a time (the one in force, and the one a reload replaces); when a table is
full it is emptied and fills again with what is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from summaries.config.schema import Config

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class PerConfig(Generic[K, V]):
    """At most ``limit`` values, by configuration and ``key``."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._kept: dict[tuple[int, K], tuple[Config, V]] = {}

    def get(self, config: Config, key: K, build: Callable[[], V]) -> V:
        """The value kept for ``config`` and ``key``; else ``build()``'s, kept."""
        found = self._kept.get((id(config), key))
        if found is not None and found[0] is config:
            return found[1]
        value = build()
        if len(self._kept) >= self._limit:
            self._kept.clear()
        self._kept[id(config), key] = (config, value)
        return value
