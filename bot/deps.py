"""The process's dependencies, handed to every listener and job (built by :mod:`bot.bootstrap`)."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.chartqueue import ChartQueue
from bot.gathered import Gathered
from bot.keptmonth import KeptLookups
from bot.liveconfig import LiveConfig
from bot.outbox.pacing import Pacer
from bot.settings import Settings
from bot.throttle import Throttle
from summaries.config.schema import Config
from summaries.periods import Month
from summaries.schedule import BusinessCalendar, CycleMoments, cycle_moments
from summaries.store.db import quick_read, read_only, unit_of_work
from summaries.store.types import utcnow


def product_code() -> str:
    """The stamp of the product's code (the domain and the Slack edge): what is kept from a
    month's evaluation or rendering is kept under it, so an upgrade or an edit makes anew."""
    import bot
    import summaries
    from summaries.digest.stored import code_stamp

    return code_stamp(Path(summaries.__file__).parent, Path(bot.__file__).parent)


# How long a request may spend before its acknowledgement goes out (Slack allows 3 s).
ACK_BUDGET_SECONDS = 2.0
_T = TypeVar("_T")


class ContextPool(ThreadPoolExecutor):
    """A thread pool whose work runs in a copy of the submitter's context, so what a request
    set for itself (the reader's language, :func:`summaries.i18n.speaking`) goes with the
    work it hands on, and nothing leaks from one piece of work to the next."""

    def submit(self, fn: Callable[..., _T], /, *args: Any, **kwargs: Any) -> Future[_T]:
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)


@dataclass(frozen=True)
class Deps:
    """What every listener and job works with, built once by :mod:`bot.bootstrap` and given
    its parts: settings, configuration, database, the Slack clients, the outbox's pacer, the
    worker pool, the per-person allowance and the chart worker."""

    settings: Settings
    live: LiveConfig  # the configuration in force: re-reading the file replaces it
    engine: Engine
    sessions: sessionmaker[Session]
    client: WebClient  # answers people while they wait; retries briefly by itself
    # The outbox's client: it paces and retries by itself, so the SDK's handlers stay out.
    poster: WebClient
    pacer: Pacer
    executor: ThreadPoolExecutor
    # Bolt runs each listener here after Slack's request is answered (Bolt's default: five).
    listeners: ThreadPoolExecutor
    # Slash commands counted per person, and charts drawn off the request threads.
    throttle: Throttle
    charts: ChartQueue
    clock: Callable[[], datetime] = utcnow
    ack_budget: float = ACK_BUDGET_SECONDS
    # Two clicks on the same button by the same person within this many (real) seconds are
    # one click: the second opens nothing.
    double_click: float = 1.0
    # The latest month read once for /kpi, while nothing changes.
    kept: KeptLookups = field(default_factory=KeptLookups)
    # Updates of posted digests, one at a time on the worker pool, changes gathered.
    updates: Gathered = field(default_factory=Gathered)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session committed at the end of the block, rolled back if it raises."""
        with unit_of_work(self.sessions) as session:
            yield session

    @contextmanager
    def read_only(self) -> Iterator[Session]:
        """A session that only reads: a write raises, nothing is committed."""
        with read_only(self.sessions) as session:
            yield session

    @contextmanager
    def quick_read(self) -> Iterator[Session]:
        """A session for a few reads answered at once (see :func:`quick_read`)."""
        with quick_read(self.sessions) as session:
            yield session

    def moments(self, month: Month) -> CycleMoments:
        """When ``month``'s cycle opens, reminds, closes and stops taking late summaries."""
        return cycle_moments(month, self.config.schedule, self.config.organization.timezone,
                             self.calendar)

    @property
    def config(self) -> Config:
        """The configuration in force now."""
        return self.live.current

    @property
    def calendar(self) -> BusinessCalendar:
        return self.live.calendar

    @property
    def locale(self) -> str:
        return self.config.organization.locale

    def close(self) -> None:
        """Stop the listener and worker pools and the chart worker, and release database
        connections."""
        self.listeners.shutdown(wait=True, cancel_futures=False)
        self.executor.shutdown(wait=True, cancel_futures=False)
        self.charts.stop()
        self.kept.wait()
        self.engine.dispose()
