"""Settings read once from the environment into a frozen object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_API_URL = "https://slack.com/api/"
LOG_FORMATS = ("text", "json")

# Exit statuses of the command line: done, failed, or refused as given.
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class StartupError(Exception):
    """The process cannot start as configured; the message says what to do, ``status`` is the
    exit status a command ends with."""

    def __init__(self, message: str, status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Settings:
    """Everything the process needs from its environment; secrets never appear in repr."""

    database_url: str = field(default="sqlite:///checkin.db", repr=False)  # may hold a password
    config_path: str = "checkin.yaml"
    slack_api_url: str = DEFAULT_API_URL
    port: int = 3000
    log_level: str = "INFO"
    # "text" for people reading a terminal, "json" (one object a line) for log collectors.
    log_format: str = "text"
    # Slack's published limits, which the outbox paces itself to (calls per minute, except the
    # per-channel rate of chat.postMessage, per second). Scale them together for a stand-in.
    rate_post_per_minute: float = 300.0
    rate_channel_per_second: float = 1.0
    rate_tier2_per_minute: float = 20.0
    rate_tier3_per_minute: float = 50.0
    rate_tier4_per_minute: float = 100.0
    # Seconds to wait for a Web API answer before the call counts as timed out.
    slack_timeout: float = 15.0
    # The outbox's first wait after a 5xx or timeout; it doubles on each further attempt.
    retry_backoff: float = 0.5
    # Days a delivered message's payload (chart bytes included) is kept in the outbox.
    outbox_retention_days: float = 30.0
    # Recipients the outbox serves at once (each recipient's messages stay in order).
    delivery_workers: int = 4
    # Slash commands one person may send at once, then one more every user_refill seconds;
    # beyond that they are asked to wait (each process counts on its own).
    user_burst: int = 5
    user_refill: float = 3.0
    # Charts waiting to be drawn (one at a time) before further ones are skipped.
    chart_queue: int = 8
    slack_bot_token: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``env`` (default: the process environment)."""
        env = os.environ if env is None else env
        api_url = env.get("SLACK_API_URL") or DEFAULT_API_URL
        return cls(
            database_url=_database_url(env.get("DATABASE_URL") or cls.database_url),
            config_path=env.get("CHECKIN_CONFIG") or cls.config_path,
            slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
            port=int(env.get("PORT") or cls.port),
            log_level=(env.get("LOG_LEVEL") or cls.log_level).upper(),
            log_format=_choice(env, "LOG_FORMAT", LOG_FORMATS, cls.log_format),
            rate_post_per_minute=_positive(env, "CHECKIN_RATE_POST_PER_MINUTE",
                                           cls.rate_post_per_minute),
            rate_channel_per_second=_positive(env, "CHECKIN_RATE_CHANNEL_PER_SECOND",
                                              cls.rate_channel_per_second),
            rate_tier2_per_minute=_positive(env, "CHECKIN_RATE_TIER2_PER_MINUTE",
                                            cls.rate_tier2_per_minute),
            rate_tier3_per_minute=_positive(env, "CHECKIN_RATE_TIER3_PER_MINUTE",
                                            cls.rate_tier3_per_minute),
            rate_tier4_per_minute=_positive(env, "CHECKIN_RATE_TIER4_PER_MINUTE",
                                            cls.rate_tier4_per_minute),
            slack_timeout=_positive(env, "CHECKIN_SLACK_TIMEOUT", cls.slack_timeout),
            retry_backoff=_positive(env, "CHECKIN_RETRY_BACKOFF", cls.retry_backoff),
            outbox_retention_days=_positive(env, "CHECKIN_OUTBOX_RETENTION_DAYS",
                                            cls.outbox_retention_days),
            delivery_workers=int(_positive(env, "CHECKIN_DELIVERY_WORKERS",
                                           cls.delivery_workers)),
            user_burst=_count(env, "CHECKIN_USER_BURST", cls.user_burst),
            user_refill=_positive(env, "CHECKIN_USER_REFILL_SECONDS", cls.user_refill),
            chart_queue=_count(env, "CHECKIN_CHART_QUEUE", cls.chart_queue),
            slack_bot_token=env.get("SLACK_BOT_TOKEN", ""),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            slack_app_token=env.get("SLACK_APP_TOKEN", ""),
        )


def _database_url(raw: str) -> str:
    """DATABASE_URL checked without importing the database layer (``--help`` stays quick)."""
    from summaries.store.db import database_url

    try:
        return database_url(raw)
    except ValueError as exc:
        raise ValueError(f"DATABASE_URL: {exc}") from None


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    """One of ``choices`` from ``env[name]`` (any case), or ``default`` when unset."""
    raw = env.get(name)
    if not raw:
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ValueError(f"{name}: must be one of {', '.join(choices)}, not {raw!r}")
    return value


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    """A positive number from ``env[name]``, or ``default`` when unset."""
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}: not a number: {raw!r}") from None
    if not value > 0:
        raise ValueError(f"{name}: must be more than 0, not {raw}")
    return value


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of 1 or more from ``env[name]``, or ``default`` when unset."""
    value = _positive(env, name, default)
    if not float(value).is_integer():  # also refuses inf
        raise ValueError(f"{name}: must be a whole number, not {env[name]}")
    return int(value)
