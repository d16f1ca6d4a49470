"""The configuration in force, which a re-read of the file replaces whole (SPEC 4.2): every
request and step reads it afresh, so a new file is in force for the next one."""

from __future__ import annotations

import threading

from summaries.config.schema import Config
from summaries.schedule import BusinessCalendar


class LiveConfig:
    """The current configuration and the business calendar made from it, swapped together."""

    def __init__(self, config: Config) -> None:
        self._lock = threading.Lock()
        self._state = (config, BusinessCalendar.from_config(config.schedule.holidays))

    @property
    def current(self) -> Config:
        return self._state[0]

    @property
    def calendar(self) -> BusinessCalendar:
        return self._state[1]

    def replace(self, config: Config) -> None:
        """Put ``config`` in force (one assignment: a reader sees the old or the new, whole)."""
        state = (config, BusinessCalendar.from_config(config.schedule.holidays))
        with self._lock:
            self._state = state
