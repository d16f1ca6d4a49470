"""Injected trouble for the stand-in: failures, random server errors, delays, rate limits.

Every setting is thread-safe and none is held while a call waits, so other calls keep being
served. `SlackStandIn.reset()` forgets the one-shot settings (`fail_next`, `delay_next`), refills
every rate-limit bucket and zeroes `rate_limited_count()`, but keeps the standing settings:
`limit`, `limit_per_channel`, `fail_randomly` and `latency`.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from typing import TypeVar

from tests.slackstandin.ratelimit import RateLimits


@dataclass
class Failure:
    """An injected error answer: HTTP `status` with `{"ok": false, "error": error}`."""

    error: str
    status: int
    times: int = 1
    retry_after: str = "1"  # what a 429 says in its Retry-After header


@dataclass
class Omission:
    """Apply the call, but leave `field` out of its (ok) answer, as a misbehaving proxy might."""

    field: str
    times: int = 1


@dataclass
class Delay:
    """Wait `seconds` before answering; after the call's effect when `after_effect`."""

    seconds: float
    after_effect: bool
    times: int = 1


@dataclass
class _RandomFailure:
    share: float
    failure: Failure
    rng: random.Random


class Faults:
    """The injected trouble, shared by the server's request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, list[Failure]] = {}
        self._random: dict[str, _RandomFailure] = {}
        self._delays: dict[str, list[Delay]] = {}
        self._omissions: dict[str, list[Omission]] = {}
        self.latency = 0.0
        self.limits = RateLimits()

    def reset(self) -> None:
        """Forget one-shot failures and delays; refill rate-limit buckets."""
        with self._lock:
            self._failures.clear()
            self._delays.clear()
            self._omissions.clear()
        self.limits.refill()

    def add_failure(self, method: str, failure: Failure) -> None:
        with self._lock:
            self._failures.setdefault(method, []).append(failure)

    def take_failure(self, method: str) -> Failure | None:
        """The next queued failure of `method`, if any (used up one call at a time)."""
        with self._lock:
            return _take(self._failures.get(method))

    def set_random(self, method: str, share: float, failure: Failure, seed: int | None) -> None:
        if not 0 <= share <= 1:
            raise ValueError("share must be between 0 and 1")
        with self._lock:
            if share == 0:
                self._random.pop(method, None)
            else:
                self._random[method] = _RandomFailure(share, failure, random.Random(seed))

    def random_failure(self, method: str) -> Failure | None:
        """A failure for this call of `method` with the configured probability, else None."""
        with self._lock:
            setting = self._random.get(method)
            if setting is None or setting.rng.random() >= setting.share:
                return None
            return setting.failure

    def add_delay(self, method: str, delay: Delay) -> None:
        with self._lock:
            self._delays.setdefault(method, []).append(delay)

    def take_delay(self, method: str) -> Delay | None:
        """The next queued delay of `method`, if any (used up one call at a time)."""
        with self._lock:
            return _take(self._delays.get(method))

    def add_omission(self, method: str, omission: Omission) -> None:
        with self._lock:
            self._omissions.setdefault(method, []).append(omission)

    def take_omission(self, method: str) -> Omission | None:
        """The next queued omission of `method`, if any (used up one call at a time)."""
        with self._lock:
            return _take(self._omissions.get(method))


Q = TypeVar("Q", "Failure", "Delay", "Omission")


def _take(queue: list[Q] | None) -> Q | None:
    """Use the head of ``queue`` once; it leaves the queue when its ``times`` run out."""
    if not queue:
        return None
    head = queue[0]
    head.times -= 1
    if head.times <= 0:
        queue.pop(0)
    return head


def wait(delay: Delay | None, *, after_effect: bool) -> None:
    """Sleep for `delay` when it belongs on this side of the call's effect (no lock is held)."""
    if delay is not None and delay.after_effect == after_effect and delay.seconds > 0:
        time.sleep(delay.seconds)


class FaultControls:
    """The public fault-injection API of `SlackStandIn` (mixed in; see the module docstring)."""

    faults: Faults

    def fail_next(
        self, method: str, *, error: str = "internal_error", status: int = 500, times: int = 1,
        retry_after: str = "1",
    ) -> None:
        """Make the next `times` calls of `method` answer HTTP `status` with `error`, no effect.

        `method` may also be `response_url` or `upload_url`. A 429 always says `ratelimited`
        with `Retry-After: <retry_after>` (any text, as a misbehaving server might send).
        """
        if status == 429:
            error = "ratelimited"
        self.faults.add_failure(method, Failure(error, status, times, retry_after))

    def omit_next(self, method: str, field: str, *, times: int = 1) -> None:
        """Make the next `times` calls of `method` take effect but answer without `field`."""
        self.faults.add_omission(method, Omission(field, times))

    def fail_randomly(
        self,
        method: str,
        share: float,
        status: int = 500,
        error: str = "internal_error",
        seed: int | None = None,
    ) -> None:
        """Make each call of `method` fail (HTTP `status`, `error`, no effect) with probability
        `share`, drawn from a generator seeded with `seed`; `share=0` turns it off."""
        if status == 429:
            error = "ratelimited"
        self.faults.set_random(method, share, Failure(error, status), seed)

    def delay_next(
        self, method: str, seconds: float, *, times: int = 1, after_effect: bool = False
    ) -> None:
        """Make the next `times` calls of `method` (whatever their outcome) wait `seconds`
        before answering: before the call's effect, or after it when `after_effect` (a client
        that times out then cannot know the call took effect)."""
        self.faults.add_delay(method, Delay(seconds, after_effect, times))

    def latency(self, seconds: float) -> None:
        """Add `seconds` of delay before every Web API call is handled (0 turns it off)."""
        if seconds < 0:
            raise ValueError("latency must not be negative")
        self.faults.latency = seconds

    def limit(self, method: str, per_minute: float, burst: int = 1) -> None:
        """Rate-limit `method`: a token bucket of `burst` calls refilled at `per_minute`."""
        self.faults.limits.limit(method, per_minute, burst)

    def limit_per_channel(self, method: str, per_second: float, burst: int = 1) -> None:
        """Rate-limit `method` per channel (a user id counts as its DM channel)."""
        self.faults.limits.limit_per_channel(method, per_second, burst)

    def clear_limits(self) -> None:
        """Remove every rate limit."""
        self.faults.limits.clear()

    def rate_limited_count(self) -> int:
        """How many HTTP 429 answers the stand-in has given (limits and injected 429s)."""
        return self.faults.limits.limited
