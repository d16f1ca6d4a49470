"""The composition root: load the configuration, open the database, and build the Slack
clients and :class:`~bot.deps.Deps` from their parts. ``checkin serve``, the cycle commands,
the demo, the benches and the tests all build the process here."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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

from bot.chartqueue import ChartQueue
from bot.deps import ACK_BUDGET_SECONDS, ContextPool, Deps
from bot.liveconfig import LiveConfig
from bot.outbox.pacing import Pacer, Rates
from bot.settings import EXIT_FAILED, Settings, StartupError
from bot.throttle import Throttle
from summaries.config.schema import Config
from summaries.errors import first_line
from summaries.i18n import _
from summaries.store.db import session_factory, unit_of_work
from summaries.store.types import utcnow

LISTENER_THREADS = 5  # Bolt's own default

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


def make_poster(client: WebClient) -> WebClient:
    """The outbox's client: the same workspace and timeout, no retry handlers (the outbox
    paces and retries by itself)."""
    return WebClient(token=client.token, base_url=client.base_url, timeout=client.timeout,
                     retry_handlers=[])


def build_deps(settings: Settings, config: Config, engine: Engine,
               client: WebClient | None = None, *, poster: WebClient | None = None,
               clock: Callable[[], datetime] = utcnow, ack_budget: float = ACK_BUDGET_SECONDS,
               double_click: float = 1.0, workers: int = 16,
               executor: ThreadPoolExecutor | None = None,
               listeners: ThreadPoolExecutor | None = None) -> Deps:
    """The process's dependencies: ``client`` defaults to Slack's Web API at the settings'
    address, ``poster`` (the outbox's) to one like it without retries, the worker pool to
    ``workers`` threads and Bolt's listener pool to five."""
    client = client if client is not None else make_client(settings)
    return Deps(
        settings=settings, live=LiveConfig(config), engine=engine,
        sessions=session_factory(engine),
        client=client, poster=poster if poster is not None else make_poster(client),
        pacer=Pacer(Rates.from_settings(settings)),
        executor=executor or ContextPool(workers, thread_name_prefix="checkin"),
        listeners=listeners or ContextPool(LISTENER_THREADS,
                                           thread_name_prefix="checkin-listener"),
        throttle=Throttle(settings.user_burst, settings.user_refill),
        charts=ChartQueue(settings.chart_queue), clock=clock, ack_budget=ack_budget,
        double_click=double_click)


def load_configuration(settings: Settings) -> Config:
    """Load the configuration named by the settings (raises InputError when invalid)."""
    from summaries.config.loader import load_config

    return load_config(settings.config_path)


def open_database(settings: Settings) -> Engine:
    """An engine on a database whose schema is current, or a StartupError saying what to do."""
    from summaries.store.db import make_engine
    from summaries.store.migrate import current_revision, head_revision

    engine = make_engine(settings.database_url)
    try:
        current = current_revision(engine)
    except Exception as exc:
        engine.dispose()
        raise StartupError(_("cannot open the database: {reason}", reason=first_line(exc)),
                           EXIT_FAILED) from exc
    if current != head_revision():
        engine.dispose()
        raise StartupError(_("the database schema is not current: run `checkin db upgrade` "
                             "first"))
    return engine


def sync_configuration(engine: Engine, config: Config) -> None:
    """Bring the database's departments and KPIs in line with the configuration, and raise
    the asks of summaries stored before asks were (SPEC 5.2)."""
    from sqlalchemy.exc import IntegrityError

    from summaries.checkins.asks import backfill_asks
    from summaries.store.catalog import sync_config

    try:
        with unit_of_work(session_factory(engine)) as session:
            sync_config(session, config)
            backfill_asks(session, config)  # summaries written before asks were stored
    except IntegrityError:  # another process (a replica, a second command) synced it first
        with unit_of_work(session_factory(engine)) as session:
            sync_config(session, config)
            backfill_asks(session, config)


def start(settings: Settings) -> Deps:
    """Load the configuration, open the (current) database, sync the configuration into it,
    and build the dependencies."""
    config = load_configuration(settings)
    engine = open_database(settings)
    sync_configuration(engine, config)
    return build_deps(settings, config, engine)
