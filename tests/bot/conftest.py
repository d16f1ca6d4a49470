"""The real bot over HTTP on loopback, talking to a Slack stand-in, for end-to-end tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_app
from bot.bootstrap import build_deps
from bot.cycle.ledger import record_start
from bot.server import make_wsgi, start_server
from bot.settings import Settings
from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.store.catalog import sync_config
from summaries.store.db import unit_of_work
from tests.slackstandin import SlackDriver, SlackStandIn
from tests.support.botkit import (
    FAST_SLACK,
    SECRET,
    TOKEN,
    Bot,
    Clock,
    CountingExecutor,
    sample_text,
)
from tests.support.db import fresh_database
from tests.support.paths import DATA


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, upgraded database in DATABASE_URL, and the sample config in CHECKIN_CONFIG
    (for tests of the command line)."""
    from bot.cli.main import main

    with fresh_database(tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("CHECKIN_CONFIG", str(DATA / "checkin.yaml"))
        assert main(["db", "upgrade"]) == 0
        yield url


@pytest.fixture
def make_bot(engine: sa.Engine, session_maker: sessionmaker[Session],
             standin: SlackStandIn) -> Iterator[Callable[..., Bot]]:
    """Start bots on the test database; each is stopped after the test."""
    running: list[Bot] = []

    def start(config: Config | None = None, *, ack_budget: float = 2.0,
              double_click: float = 0.0, started: str | None = "2026-10",
              **overrides: Any) -> Bot:
        """A bot; tests reopen forms quickly, so double-click detection is off unless asked.
        It has been running since ``started`` (the ledger says so), or is a fresh install.

        Slack's rate limits are scaled up and retries made quick unless ``overrides`` say.
        """
        config = config or parse_config(sample_text())
        with unit_of_work(session_maker) as session:
            sync_config(session, config)
        settings = Settings(**{**FAST_SLACK, **overrides, "database_url": str(engine.url),
                               "slack_api_url": standin.api_url, "slack_bot_token": TOKEN,
                               "slack_signing_secret": SECRET})
        clock = Clock()
        deps = build_deps(settings, config, engine, clock=clock, ack_budget=ack_budget,
                          double_click=double_click,
                          executor=CountingExecutor(16, "checkin"),
                          listeners=CountingExecutor(5, "checkin-listener"))
        if started is not None:
            record_start(deps, started)
        server = start_server(make_wsgi(create_app(deps), deps))
        bot = Bot(deps, server, standin,
                  SlackDriver(f"{server.url}/slack/events", SECRET, standin), clock)
        running.append(bot)
        return bot

    yield start
    for bot in running:
        bot.server.stop()
        bot.deps.listeners.shutdown(wait=True)
        bot.deps.executor.shutdown(wait=True)


@pytest.fixture
def bot(make_bot: Callable[..., Bot]) -> Bot:
    """The bot with the sample organization of SPEC section 3."""
    return make_bot()
