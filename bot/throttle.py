"""A limit per person on slash commands, so one person asking very fast cannot starve others.

Each person has a token bucket: ``burst`` commands at once, then one more every ``every``
seconds. It is kept as the moment the bucket will be full again (the generic cell rate
algorithm), one number a person, and a person whose bucket is full is forgotten. Each process
counts on its own: with several replicas a person gets that allowance from each.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from summaries.i18n import _

# Forget people whose bucket is full again once this many are remembered (then twice as many
# as are left), so the table stays as small as the number of people asking right now.
_TIDY_AT = 1024


class Throttle:
    """Token buckets by person: ``burst`` requests at once, then one every ``every`` seconds."""

    def __init__(self, burst: int, every: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if burst < 1 or every <= 0:
            raise ValueError("a throttle needs a burst of 1 or more and a positive refill time")
        self.burst, self.every = burst, every
        self._clock = clock
        self._full_at: dict[str, float] = {}
        self._lock = threading.Lock()
        self._tidy_at = _TIDY_AT

    def take(self, who: str) -> float:
        """Count one request by ``who``: 0 when it may go ahead, else the seconds until one
        may (this request is then not counted)."""
        with self._lock:
            now = self._clock()
            full_at = max(self._full_at.get(who, now), now)
            wait = full_at - now - (self.burst - 1) * self.every
            if wait > 0:
                return wait
            self._full_at[who] = full_at + self.every
            if len(self._full_at) >= self._tidy_at:
                self._forget_full(now)
            return 0.0

    def _forget_full(self, now: float) -> None:
        self._full_at = {who: at for who, at in self._full_at.items() if at > now}
        self._tidy_at = max(_TIDY_AT, 2 * len(self._full_at))


def too_fast(wait: float) -> str:
    """The polite answer to a request beyond the limit."""
    return _("One moment: you're asking faster than I can answer. Try again in {seconds} s.",
             seconds=max(1, math.ceil(wait)))
