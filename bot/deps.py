"""The process's dependencies, built once at start-up and handed to every listener and job."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.chartqueue import ChartQueue
from bot.outbox.pacing import Pacer, Rates
from bot.settings import Settings
from bot.throttle import Throttle
from summaries.config.schema import Config
from summaries.periods import Month
from summaries.schedule import BusinessCalendar, CycleMoments, cycle_moments
from summaries.store.db import read_only, session_factory, unit_of_work
from summaries.store.types import utcnow

# How long a request may spend before its acknowledgement goes out (Slack allows 3 s).
ACK_BUDGET_SECONDS = 2.0


# The client answers people while they wait (a modal to open, a reply): a 429 asking for longer
# than this is not waited out; the call fails at once and the person is told.
MAX_CLIENT_RETRY_AFTER = 3.0


class ShortRateLimitRetry(RateLimitErrorRetryHandler):
    """Slack SDK's 429 retry, but only for a Retry-After that is a number and short."""

    def _can_retry(self, *, state: RetryState, request: HttpRequest,
                   response: HttpResponse | None = None, error: Exception | None = None) -> bool:
        if response is None or response.status_code != 429:
            return False
        value = next((v for k, v in response.headers.items() if k.lower() == "retry-after"),
                     None)
        raw = value[0] if isinstance(value, list) and value else value
        # The SDK reads the header with int() and sleeps that long: whole seconds only.
        text = str(raw).strip() if raw is not None else "1"
        return text.isascii() and text.isdigit() and int(text) <= MAX_CLIENT_RETRY_AFTER


def make_client(settings: Settings, *, retries: bool = True) -> WebClient:
    """A Web API client on ``SLACK_API_URL`` that waits out short 429s and retries 5xx
    briefly."""
    handlers = [ConnectionErrorRetryHandler(max_retry_count=1),
                ShortRateLimitRetry(max_retry_count=2),
                ServerErrorRetryHandler(max_retry_count=2)] if retries else []
    return WebClient(token=settings.slack_bot_token or None, base_url=settings.slack_api_url,
                     timeout=max(1, round(settings.slack_timeout)), retry_handlers=handlers)


@dataclass
class Deps:
    """Settings, configuration, database sessions, the Slack client and a worker pool."""

    settings: Settings
    config: Config
    engine: Engine
    client: WebClient
    sessions: sessionmaker[Session] = field(init=False)
    executor: ThreadPoolExecutor = field(init=False)
    calendar: BusinessCalendar = field(init=False)
    clock: Callable[[], datetime] = utcnow
    ack_budget: float = ACK_BUDGET_SECONDS
    # Two clicks on the same button by the same person within this many (real) seconds are
    # one click: the second opens nothing.
    double_click: float = 1.0
    workers: int = 16
    pacer: Pacer = field(init=False)
    # The outbox's client: it paces and retries by itself, so the SDK's handlers stay out.
    poster: WebClient = field(init=False)
    # Slash commands counted per person, and charts drawn off the request threads.
    throttle: Throttle = field(init=False)
    charts: ChartQueue = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = session_factory(self.engine)
        self.executor = ThreadPoolExecutor(self.workers, thread_name_prefix="checkin")
        self.calendar = BusinessCalendar.from_config(self.config.schedule.holidays)
        self.pacer = Pacer(Rates.from_settings(self.settings))
        self.poster = WebClient(token=self.client.token, base_url=self.client.base_url,
                                timeout=self.client.timeout, retry_handlers=[])
        self.throttle = Throttle(self.settings.user_burst, self.settings.user_refill)
        self.charts = ChartQueue(self.settings.chart_queue)

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

    def moments(self, month: Month) -> CycleMoments:
        """When ``month``'s cycle opens, reminds, closes and stops taking late summaries."""
        return cycle_moments(month, self.config.schedule, self.config.organization.timezone,
                             self.calendar)

    @property
    def locale(self) -> str:
        return self.config.organization.locale

    def close(self) -> None:
        """Stop the worker pool and the chart worker, and release database connections."""
        self.executor.shutdown(wait=True, cancel_futures=False)
        self.charts.stop()
        self.engine.dispose()
