"""Slack-like rate limits: token buckets per method and per (method, channel)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Retry-After when a bucket never refills (a rate of zero).
NEVER_SECONDS = 60


@dataclass
class TokenBucket:
    """`capacity` tokens, refilled at `rate` tokens a second; one call takes one token."""

    capacity: int
    rate: float
    tokens: float
    stamp: float

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(float(self.capacity), self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait(self, now: float) -> float:
        """Seconds until a token is available (0 when one is available now)."""
        self._refill(now)
        if self.tokens >= 1:
            return 0.0
        if self.rate <= 0:
            return math.inf
        return (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


@dataclass(frozen=True)
class _Limit:
    capacity: int
    rate: float  # tokens a second


@dataclass
class RateLimits:
    """Per-method and per-channel buckets; `check` answers a call's Retry-After or None."""

    clock: Callable[[], float] = time.monotonic
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _method: dict[str, _Limit] = field(default_factory=dict)
    _channel: dict[str, _Limit] = field(default_factory=dict)
    _buckets: dict[tuple[str, str | None], TokenBucket] = field(default_factory=dict)
    limited: int = 0

    def limit(self, method: str, per_minute: float, burst: int = 1) -> None:
        """At most `burst` calls of `method` at once, refilled at `per_minute` a minute."""
        if burst < 1 or per_minute < 0:
            raise ValueError("burst must be at least 1 and per_minute not negative")
        with self._lock:
            self._method[method] = _Limit(burst, per_minute / 60)
            self._buckets.pop((method, None), None)

    def limit_per_channel(self, method: str, per_second: float, burst: int = 1) -> None:
        """At most `burst` calls of `method` at once per channel, refilled at `per_second`."""
        if burst < 1 or per_second < 0:
            raise ValueError("burst must be at least 1 and per_second not negative")
        with self._lock:
            self._channel[method] = _Limit(burst, per_second)
            for key in [k for k in self._buckets if k[0] == method and k[1] is not None]:
                del self._buckets[key]

    def clear(self) -> None:
        """Remove every limit and bucket."""
        with self._lock:
            self._method.clear()
            self._channel.clear()
            self._buckets.clear()

    def refill(self) -> None:
        """Keep the limits but forget the buckets (all full again) and the 429 count."""
        with self._lock:
            self._buckets.clear()
            self.limited = 0

    def count_limited(self) -> None:
        """Count a 429 answered for another reason (an injected failure)."""
        with self._lock:
            self.limited += 1

    def _bucket(self, key: tuple[str, str | None], limit: _Limit, now: float) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = TokenBucket(limit.capacity, limit.rate, float(limit.capacity), now)
            self._buckets[key] = bucket
        return bucket

    def check(self, method: str, channel: str | None) -> int | None:
        """Take a token from each bucket that applies; if any is empty, take none and answer
        the whole seconds (at least 1) until all have one."""
        with self._lock:
            now = self.clock()
            buckets: list[TokenBucket] = []
            if (limit := self._method.get(method)) is not None:
                buckets.append(self._bucket((method, None), limit, now))
            if channel and (limit := self._channel.get(method)) is not None:
                buckets.append(self._bucket((method, channel), limit, now))
            wait = max((b.wait(now) for b in buckets), default=0.0)
            if wait <= 0:
                for bucket in buckets:
                    bucket.take()
                return None
            self.limited += 1
            if math.isinf(wait):
                return NEVER_SECONDS
            return max(1, math.ceil(wait - 1e-9))
