"""Database probes with a deadline, so a hanging database cannot hold /healthz or /metrics.

Each probe runs on one thread of its own; while a check is still out, later callers wait for
that same check instead of starting another, so a database that hangs for minutes ties up one
thread, not one per probe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Generic, TypeVar

T = TypeVar("T")
# Kubernetes' probes give up after 3 s (liveness) and 5 s (readiness): answer well before.
PROBE_DEADLINE_SECONDS = 1.5


class ProbeTimeout(Exception):
    """The check did not finish before its deadline."""


class Probe(Generic[T]):
    """Run ``check`` at most once at a time, waiting at most ``deadline`` seconds for it."""

    def __init__(self, check: Callable[[], T], deadline: float = PROBE_DEADLINE_SECONDS) -> None:
        self.check = check
        self.deadline = deadline
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="probe")
        self._lock = threading.Lock()
        self._running: Future[T] | None = None

    def __call__(self) -> T:
        """The check's result, or ProbeTimeout when it is still running at the deadline."""
        with self._lock:
            if self._running is None or self._running.done():
                self._running = self._pool.submit(self.check)
            running = self._running
        try:
            return running.result(timeout=self.deadline)
        except FutureTimeout as exc:
            raise ProbeTimeout(f"no answer within {self.deadline:g} s") from exc
