"""Settings read once from the environment into a frozen object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class Settings:
    """Everything the process needs from its environment; secrets never appear in repr."""

    database_url: str = "sqlite:///checkin.db"
    config_path: str = "checkin.yaml"
    slack_api_url: str = DEFAULT_API_URL
    port: int = 3000
    log_level: str = "INFO"
    slack_bot_token: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``env`` (default: the process environment)."""
        env = os.environ if env is None else env
        api_url = env.get("SLACK_API_URL") or DEFAULT_API_URL
        return cls(
            database_url=env.get("DATABASE_URL") or cls.database_url,
            config_path=env.get("CHECKIN_CONFIG") or cls.config_path,
            slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
            port=int(env.get("PORT") or cls.port),
            log_level=(env.get("LOG_LEVEL") or cls.log_level).upper(),
            slack_bot_token=env.get("SLACK_BOT_TOKEN", ""),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
            slack_app_token=env.get("SLACK_APP_TOKEN", ""),
        )
