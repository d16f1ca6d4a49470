"""Run work against Slack's 3-second acknowledgement deadline without ever missing it."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Attempt(Generic[T]):
    """Work started in the background: finished in time (with its result or error), or not."""

    future: Future[T]
    in_time: bool

    def result(self) -> T:
        """The work's result, waiting for it if needed; raises what the work raised."""
        return self.future.result()


def within(executor: Executor, budget: float, work: Callable[[], T]) -> Attempt[T]:
    """Start ``work`` and wait for it at most ``budget`` seconds (none at all for 0: the work
    counts as late even if a fast thread finishes it before we look)."""
    # The work runs in a copy of this request's context: its reader's language goes with it.
    future = executor.submit(contextvars.copy_context().run, work)
    if budget <= 0:
        return Attempt(future, in_time=False)
    try:
        future.exception(timeout=budget)
    except FutureTimeout:
        return Attempt(future, in_time=False)
    return Attempt(future, in_time=True)
