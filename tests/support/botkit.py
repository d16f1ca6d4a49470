"""What the bot's tests share: the signing secret and token, a settable clock, a running bot,
the sample configuration's text and Slack's limits made quick."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from bot.deps import ContextPool, Deps
from bot.server import RunningServer
from summaries.store.infra import OutboxMessage, OutboxState
from tests.slackstandin import SlackDriver, SlackStandIn
from tests.support.paths import DATA

SECRET = "test-signing-secret"
TOKEN = "xoxb-test"


@dataclass
class Clock:
    """A settable clock for the bot (UTC)."""

    now: datetime = field(default_factory=lambda: datetime(2026, 10, 30, 2, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Bot:
    """A running bot: its dependencies, its URL, a driver and the stand-in it talks to."""

    deps: Deps
    server: RunningServer
    slack: SlackStandIn
    driver: SlackDriver
    clock: Clock


def sample_text(**replacements: str) -> str:
    """The sample configuration's YAML, with text replaced."""
    text = (DATA / "checkin.yaml").read_text()
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


# Slack's limits scaled up 100-fold and quick retries, so tests are not slowed by pacing.
FAST_SLACK: dict[str, Any] = {
    "rate_post_per_minute": 30000.0, "rate_channel_per_second": 100.0,
    "rate_tier2_per_minute": 2000.0, "rate_tier3_per_minute": 5000.0,
    "rate_tier4_per_minute": 10000.0, "retry_backoff": 0.01}


class CountingExecutor(ContextPool):
    """The bot's worker pool (work runs in its submitter's context), knowing how many of its
    tasks are queued or running."""

    def __init__(self, workers: int, prefix: str) -> None:
        super().__init__(workers, thread_name_prefix=prefix)
        self._lock = threading.Lock()
        self._in_flight = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            self._in_flight += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._lock:
            self._in_flight -= 1

    @property
    def idle(self) -> bool:
        with self._lock:
            return self._in_flight == 0


def drain(bot: Bot, timeout: float = 15.0) -> None:
    """Wait until the bot has nothing left to do: no listener or worker task queued or running,
    and no outbox row waiting or being sent, twice in a row (a task may start another)."""
    pools = [bot.deps.listeners, bot.deps.executor]
    assert all(isinstance(p, CountingExecutor) for p in pools), "build the bot with botkit"
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2:
        assert time.monotonic() < deadline, "the bot did not settle"
        busy = not all(p.idle for p in pools if isinstance(p, CountingExecutor))
        with bot.deps.read_only() as session:
            busy = busy or bool(session.scalar(select(func.count()).select_from(OutboxMessage)
                                               .where(OutboxMessage.state.in_(UNSENT))))
        quiet = 0 if busy else quiet + 1
        time.sleep(0.02)


UNSENT = (OutboxState.PENDING, OutboxState.SENDING)
