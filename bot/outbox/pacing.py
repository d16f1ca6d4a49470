"""Pace Web API calls to Slack's published rate limits, so a fan-out is never throttled.

Each method has a workspace rate (its tier's calls per minute) and ``chat.postMessage`` also a
per-channel rate. A call reserves the next free slot of every rate it is subject to and sleeps
until the latest of them; a 429 holds the method (and channel) back for its ``Retry-After``
and slows its pace down (by half again, at most eightfold), and each call that gets through
eases it back, so a rate set above what the workspace really allows settles below it instead
of drawing a 429 on every burst. The rates are settings, so a test or benchmark can scale
Slack's limits up on both sides.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.settings import Settings

# Slack's tiers for the methods the outbox uses (https://api.slack.com/docs/rate-limits).
METHOD_TIERS: Mapping[str, int] = {
    "chat.update": 3,
    "chat.delete": 3,
    "conversations.open": 3,
    "conversations.history": 3,
    "conversations.replies": 3,
    "files.getUploadURLExternal": 4,
    "files.completeUploadExternal": 4,
    "chat.postEphemeral": 4,
    "views.publish": 4,
}
# Methods that are limited per channel as well as per workspace.
PER_CHANNEL = frozenset({"chat.postMessage"})
SLOWDOWN, MAX_SLOWDOWN, EASE = 1.5, 8.0, 0.98


@dataclass(frozen=True)
class Rates:
    """Calls per second allowed for each method and, where Slack limits it, per channel."""

    per_method: Mapping[str, float]
    per_channel: float
    default: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Rates:
        """Slack's limits as configured (per minute in settings, per second here)."""
        tiers = {2: settings.rate_tier2_per_minute, 3: settings.rate_tier3_per_minute,
                 4: settings.rate_tier4_per_minute}
        per_method = {method: tiers[tier] / 60 for method, tier in METHOD_TIERS.items()}
        per_method["chat.postMessage"] = settings.rate_post_per_minute / 60
        return cls(per_method, settings.rate_channel_per_second,
                   settings.rate_tier3_per_minute / 60)

    def of(self, method: str) -> float:
        return self.per_method.get(method, self.default)


class Pacer:
    """Hands out call slots so calls of a method are spaced by its rate (thread-safe)."""

    def __init__(self, rates: Rates, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.rates = rates
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._next: dict[tuple[str, str], float] = {}
        self._slowdown: dict[tuple[str, str], float] = {}

    def _lanes(self, method: str, channel: str | None) -> list[tuple[tuple[str, str], float]]:
        lanes = [((method, ""), self.rates.of(method))]
        if channel and method in PER_CHANNEL:
            lanes.insert(0, ((method, channel), self.rates.per_channel))
        return lanes

    def _reserve(self, lane: tuple[str, str], rate: float) -> float:
        """Take the lane's next free slot; return how long until it comes."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(lane, now))
            self._next[lane] = start + self._slowdown.get(lane, 1.0) / rate
            if len(self._next) > 10_000:  # forget conversations whose slots are long past
                self._next = {k: v for k, v in self._next.items() if v > now or not k[1]}
            return start - now

    def wait(self, method: str, channel: str | None = None) -> float:
        """Sleep until a call of ``method`` (to ``channel``) is within the limits.

        The conversation's slot is awaited before the workspace's is taken, so a call that
        waits for its conversation does not hold up calls to others meanwhile.
        """
        waited = 0.0
        for lane, rate in self._lanes(method, channel):
            delay = self._reserve(lane, rate)
            if delay > 0:
                self._sleep(delay)
                waited += delay
        return waited

    def hold(self, method: str, seconds: float, channel: str | None = None) -> None:
        """Slack answered 429: make no call of ``method`` for ``seconds``."""
        with self._lock:
            until = self._clock() + seconds
            for lane, _ in self._lanes(method, channel):
                self._next[lane] = max(self._next.get(lane, until), until)
                self._slowdown[lane] = min(MAX_SLOWDOWN,
                                           self._slowdown.get(lane, 1.0) * SLOWDOWN)

    def passed(self, method: str, channel: str | None = None) -> None:
        """A call got through: ease a slowed-down pace back towards the configured rate."""
        with self._lock:
            for lane, _ in self._lanes(method, channel):
                factor = self._slowdown.get(lane)
                if factor is not None:
                    eased = factor * EASE
                    if eased <= 1.0:
                        del self._slowdown[lane]
                    else:
                        self._slowdown[lane] = eased
