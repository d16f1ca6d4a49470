"""What the bot's tests share: the signing secret and token, a settable clock, a running bot,
the sample configuration's text and Slack's limits made quick."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.deps import Deps
from bot.server import RunningServer
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
