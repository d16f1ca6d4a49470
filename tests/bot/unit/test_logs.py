"""Logs: JSON lines with their fields, and no secret in any record, even at DEBUG."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_app
from bot.bootstrap import build_deps
from bot.cli.main import main
from bot.logs import JsonFormatter, Redactor, configure_logging, secrets_of
from bot.server import make_wsgi, start_server
from bot.settings import Settings
from summaries.config.loader import parse_config
from summaries.store.catalog import sync_config
from summaries.store.db import unit_of_work
from tests.slackstandin import SlackDriver, SlackStandIn
from tests.support.botkit import FAST_SLACK, sample_text
from tests.support.paths import DATA

TOKEN = "xoxb-123-secret"
SIGNING_SECRET = "s3cr3t-value"
APP_TOKEN = "xapp-1-A0TEST-42-abcdef"
DB_PASSWORD = "db-pa55word"
DB_URL = f"postgresql+psycopg://checkin:{DB_PASSWORD}@db.internal:5432/checkin"
SECRETS = (TOKEN, SIGNING_SECRET, APP_TOKEN, DB_PASSWORD)
SETTINGS = Settings(slack_bot_token=TOKEN, slack_signing_secret=SIGNING_SECRET,
                    slack_app_token=APP_TOKEN, database_url=DB_URL, log_format="json")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Put the root logger back as it was: these tests install handlers and levels."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def lines(text: str) -> list[dict[str, Any]]:
    """The JSON objects of ``text``, one a line (each line must parse)."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_json_lines_carry_time_level_logger_message_and_extras(
        capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(SETTINGS, "INFO")
    log = logging.getLogger("checkin.test")
    log.info("opened %s: %d prompts", "2026-10", 12, extra={"period": "2026-10", "sent": 12,
                                                             "thing": object()})
    log.debug("not shown at INFO")
    [entry] = lines(capsys.readouterr().err)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "checkin.test"
    assert entry["message"] == "opened 2026-10: 12 prompts"
    assert entry["time"].endswith("Z")
    moment = datetime.fromisoformat(entry["time"])
    assert moment.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - moment) < timedelta(minutes=1)
    assert (entry["period"], entry["sent"]) == ("2026-10", 12)
    assert "thing" not in entry  # not JSON: left out, not misquoted


def test_json_formatter_includes_the_exception() -> None:
    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1,
                                                   "step failed", None, sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "step failed"
    assert entry["exception"].startswith("Traceback (most recent call last)")
    assert "RuntimeError: the database went away" in entry["exception"]


def test_text_format_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Settings(slack_bot_token=TOKEN), "INFO")
    logging.getLogger("checkin.test").warning("token is %s", TOKEN)
    err = capsys.readouterr().err
    assert " WARNING checkin.test: token is [redacted]" in err


def test_redactor_hides_configured_secrets_tokens_and_url_passwords() -> None:
    redactor = Redactor(secrets_of(SETTINGS))
    text = redactor.redact(f"bot {TOKEN} sig {SIGNING_SECRET} app {APP_TOKEN} url {DB_URL} "
                           "other xoxp-999-888-abc and xoxe.xoxp-1-zz and "
                           "https://user:hunter2@example.com/x")
    for secret in (*SECRETS, "xoxp-999-888-abc", "xoxe.xoxp-1-zz", "hunter2"):
        assert secret not in text
    assert "postgresql+psycopg://checkin:***@db.internal:5432/checkin" in text
    assert "https://user:***@example.com/x" in text
    assert text.count("[redacted]") >= 5
    # Short configured values are not looked for, or every "x" would go.
    assert Redactor(["x"]).redact("xylophone") == "xylophone"


def test_no_secret_reaches_the_logs_by_any_path(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(SETTINGS, "DEBUG")
    log = logging.getLogger("checkin.test")
    log.info("connecting to %s", DB_URL)
    log.info("token=%s secret=%s", TOKEN, SIGNING_SECRET, extra={"headers": {"auth": TOKEN},
                                                                  "tokens": [APP_TOKEN]})
    log.warning(f"formatted in place: {APP_TOKEN}")
    try:
        raise ValueError(f"bad credentials {TOKEN} for {DB_URL}")
    except ValueError:
        log.exception("failed")
    log.info("where", stack_info=True, extra={"note": SIGNING_SECRET})
    err = capsys.readouterr().err
    entries = lines(err)
    assert len(entries) == 5
    for secret in SECRETS:
        assert secret not in err
    assert entries[1]["headers"] == {"auth": "[redacted]"}
    assert entries[3]["exception"].endswith(
        "ValueError: bad credentials [redacted] for "
        "postgresql+psycopg://checkin:***@db.internal:5432/checkin")


def test_debug_output_of_a_real_slash_command_holds_no_secret(
        engine: sa.Engine, session_maker: sessionmaker[Session],
        capsys: pytest.CaptureFixture[str]) -> None:
    config = parse_config(sample_text())
    with unit_of_work(session_maker) as session:
        sync_config(session, config)
    with SlackStandIn(token=TOKEN) as slack:
        # The engine is the test database; the URL with a password is what the process would
        # have been given, so the filter knows it.
        settings = Settings(**{**FAST_SLACK, "database_url": DB_URL, "log_format": "json",
                               "slack_api_url": slack.api_url, "slack_bot_token": TOKEN,
                               "slack_signing_secret": SIGNING_SECRET,
                               "slack_app_token": APP_TOKEN})
        configure_logging(settings, "DEBUG")
        deps = build_deps(settings, config, engine)
        server = start_server(make_wsgi(create_app(deps), deps))
        try:
            driver = SlackDriver(f"{server.url}/slack/events", SIGNING_SECRET, slack)
            reply = driver.command("U0EAST", "/kpi", "revenue")
            assert reply.status == 200, reply.body
            assert reply.response_url is not None
            if not reply.json:
                slack.wait_for_response(reply.response_url)
            assert driver.app_home_opened("U0EAST").status == 200
            slack.wait_for("views.publish", 1)
            logging.getLogger("checkin.test").debug("settings: %r, url %s", settings, DB_URL)
        finally:
            server.stop()
            deps.executor.shutdown(wait=True)
    err = capsys.readouterr().err
    entries = lines(err)
    loggers = {entry["logger"].split(".")[0] for entry in entries}
    assert {"slack_sdk", "bot"} <= loggers, loggers  # the libraries' debug output went through
    for secret in SECRETS:
        assert secret not in err


def test_log_format_must_be_text_or_json(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert Settings.from_env({"LOG_FORMAT": "JSON"}).log_format == "json"
    assert Settings.from_env({}).log_format == "text"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    assert main(["config", "check", "--config", str(DATA / "checkin.yaml")]) == 2
    assert capsys.readouterr().err == \
        "checkin: LOG_FORMAT: must be one of text, json, not 'xml'\n"


def test_checkin_exits_2_naming_log_format() -> None:
    env = {**os.environ, "LOG_FORMAT": "yaml", "CHECKIN_CONFIG": str(DATA / "checkin.yaml")}
    done = subprocess.run([sys.executable, "-m", "bot", "config", "check"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "LOG_FORMAT" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unknown_log_level_is_named(monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOG_LEVEL", "chatty")
    assert main(["config", "check", "--config", str(DATA / "checkin.yaml")]) == 2
    assert capsys.readouterr().err == "checkin: LOG_LEVEL: not a logging level: 'CHATTY'\n"


def test_building_the_app_from_the_environment_warns_about_nothing(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from summaries.config.loader import load_config
    from summaries.store.db import make_engine

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")
    settings = Settings(slack_signing_secret="secret", slack_bot_token="xoxb-from-the-environment")
    deps = build_deps(settings, load_config(DATA / "checkin.yaml"), make_engine("sqlite://"))
    try:
        with caplog.at_level(logging.WARNING):
            create_app(deps)
    finally:
        deps.close()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
