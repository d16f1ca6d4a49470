"""The door of /slack/events: nothing unverified acts, nothing oversized is read, garbage is
answered quietly, and a hanging database does not hold the probes."""

from __future__ import annotations

import json
import logging
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_app
from bot.gate import MAX_BODY_BYTES
from bot.logs import Redactor
from bot.notices import usable_response_url
from bot.server import make_wsgi, start_server
from bot.settings import DEFAULT_API_URL
from summaries.store.db import make_engine
from summaries.store.infra import ReceivedRequest
from tests.slackstandin.driver import FORM, VERIFICATION_TOKEN, sign
from tests.support.botkit import SECRET, Bot
from tests.support.flows import open_form, open_october


def raw_post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST raw bytes; the status and the body of the answer."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def signed(body: bytes, content_type: str = FORM) -> dict[str, str]:
    """Slack's signing headers for raw bytes, as Slack computes them."""
    import hashlib
    import hmac

    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body,
                      hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}",
            "Content-Type": content_type}


def command_body(user: str = "U0CEO", response_url: str = "https://evil.example/steal") -> str:
    return urlencode({"token": VERIFICATION_TOKEN, "team_id": "T0TEST", "user_id": user,
                      "command": "/kpi", "text": "revenue trend", "channel_id": "C0LEADERS",
                      "response_url": response_url, "trigger_id": "1.2.abcdef"})


# What the settling request itself calls: the bot's own identity, and its reader's language.
READER_LOOKUP = ("auth.test", "users.info")


def stored_requests(session_maker: sessionmaker[Session]) -> int:
    with session_maker() as session:
        return session.scalar(select(func.count()).select_from(ReceivedRequest)) or 0


def settle(bot: Bot) -> None:
    """A signed request through the same path, answered: earlier work has had its turn."""
    assert bot.driver.command("U0EAST", "/checkin", "help").status == 200


@pytest.mark.parametrize("timestamp", ["abc", "1.5", "9" * 400, "-5", "1e9", "0x1F"])
def test_a_malformed_timestamp_is_401_and_causes_nothing(
        bot: Bot, session_maker: sessionmaker[Session], timestamp: str,
        caplog: pytest.LogCaptureFixture) -> None:
    body = command_body()
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=00",
               "Content-Type": FORM}
    with caplog.at_level(logging.DEBUG):
        status, answer = raw_post(bot.driver.bot_url, body.encode(), headers)
        settle(bot)
    assert status == 401
    assert json.loads(answer) == {"error": "malformed timestamp"}
    # Nothing was posted for the forged request: the only calls are the settling /checkin
    # help's look-up of its reader; its answer is given in the acknowledgement.
    assert [c.method for c in bot.slack.calls if c.method not in READER_LOOKUP] == []
    assert stored_requests(session_maker) == 0
    refusals = [r for r in caplog.records if r.name == "bot.gate"]
    assert len(refusals) == 1
    assert "evil.example" not in caplog.text
    assert "revenue" not in caplog.text
    assert "malformed timestamp" in refusals[0].getMessage()


@pytest.mark.parametrize("case", ["unsigned", "stale", "wrong secret"])
def test_unverified_requests_get_401_without_a_slack_call(bot: Bot, case: str) -> None:
    body = command_body()
    if case == "unsigned":
        headers = {"Content-Type": FORM}
    else:
        headers = sign("not-the-secret" if case == "wrong secret" else SECRET, body,
                       int(time.time()) - (400 if case == "stale" else 0))
        headers["Content-Type"] = FORM
    status, _ = raw_post(bot.driver.bot_url, body.encode(), headers)
    settle(bot)
    assert status == 401
    assert [c.method for c in bot.slack.calls if c.method not in READER_LOOKUP] == []


def test_oversized_bodies_are_refused_before_they_are_read(
        bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    marker = "BODYMARKER"
    body = (command_body() + "&filler=" + marker * (MAX_BODY_BYTES // len(marker))).encode()
    assert len(body) > MAX_BODY_BYTES
    with caplog.at_level(logging.DEBUG):
        unsigned = raw_post(bot.driver.bot_url, body, {"Content-Type": FORM})
        well_signed = raw_post(bot.driver.bot_url, body, signed(body))
    assert unsigned[0] == 413
    assert well_signed[0] == 413
    assert marker not in caplog.text
    assert sum("over the size limit" in r.getMessage() for r in caplog.records) == 2


def test_a_response_url_is_used_only_on_slacks_own_hosts() -> None:
    slack = "https://hooks.slack.com/commands/T0/1/abc"
    assert usable_response_url(slack, DEFAULT_API_URL) == slack
    for foreign in ("https://evil.example/x", "http://hooks.slack.com/commands/T0/1/a",
                    "https://hooks.slack.com.evil.example/x", "https://slack.com@evil.example/",
                    None, 42, ""):
        assert usable_response_url(foreign, DEFAULT_API_URL) is None
    # Against a stand-in, every response_url is answered at the stand-in.
    assert usable_response_url("https://evil.example/response/abc",
                               "http://127.0.0.1:9999/api/") == "http://127.0.0.1:9999/response/abc"


@pytest.mark.parametrize(("body", "content_type"), [
    (b"payload=not-json", FORM), (b"payload=%5B%5D", FORM), (b"payload=null", FORM),
    (b"[]", "application/json"), (b"null", "application/json"), (b"{", "application/json"),
    (b"\xff\xfe\x00garbage", FORM), (b"payload=%7B%22type%22%3A3%7D", FORM),
    (b"just-words", FORM), (b"", FORM)])
def test_signed_garbage_is_a_quiet_no_op(bot: Bot, body: bytes, content_type: str,
                                         caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        status, answer = raw_post(bot.driver.bot_url, body, signed(body, content_type))
    assert (status, answer) == (200, b"")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_a_view_with_garbage_private_metadata_is_answered_without_a_traceback(
        bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    for garbage in ("not-json", "[]", "null", '{"s": "five"}', '{"p": 7, "d": []}'):
        forged = {**view, "private_metadata": garbage}
        with caplog.at_level(logging.INFO):
            reply = bot.driver.view_submission("U0EAST", forged, {})
        assert reply.status == 200, (garbage, reply.body)
    assert not [r for r in caplog.records if r.exc_info], caplog.text


@pytest.fixture
def hanging_database() -> Iterator[str]:
    """A PostgreSQL URL whose server accepts connections and then never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    listener.settimeout(0.1)
    yield f"postgresql+psycopg://nobody@127.0.0.1:{listener.getsockname()[1]}/none"
    held.clear()
    listener.close()


def test_a_hanging_database_makes_the_probes_answer_503_within_two_seconds(
        bot: Bot, hanging_database: str) -> None:
    deps = replace(bot.deps, engine=make_engine(hanging_database))
    server = start_server(make_wsgi(create_app(deps), deps))
    try:
        for _ in range(3):  # later probes find the first still out, and do not wait longer
            started = time.monotonic()
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"{server.url}/healthz", timeout=10)
            assert refused.value.code == 503
            assert time.monotonic() - started < 2.5
        started = time.monotonic()
        with urllib.request.urlopen(f"{server.url}/metrics", timeout=10) as response:
            exposition = response.read().decode()
        assert time.monotonic() - started < 2.5
        assert "checkin_database_up 0.0" in exposition
    finally:
        server.stop()
        deps.executor.shutdown(wait=False)


def test_capability_urls_and_ids_are_redacted_from_logs() -> None:
    redact = Redactor().redact
    text = redact(
        "POST https://hooks.slack.com/commands/T0/123/SeCrEtPaTh and "
        "https://hooks.slack.com/actions/T0/9/AcTiOn then upload_url="
        "https://files.slack.com/upload/v1/UpLoAdId body {\"trigger_id\": "
        "\"123.456.0123456789abcdef\", \"token\": \"legacy-verification-token\"} "
        "form token=legacy-verification-token&trigger_id=9.9.ab")
    for capability in ("SeCrEtPaTh", "AcTiOn", "UpLoAdId", "0123456789abcdef",
                       "legacy-verification-token", "9.9.ab"):
        assert capability not in text
    assert "https://hooks.slack.com/commands/[redacted]" in text
    assert redact("the token was refused; 3 tokens") == "the token was refused; 3 tokens"


def test_half_open_connections_do_not_starve_slacks_requests(bot: Bot) -> None:
    """150 connections that never send a request (more than waitress's default limit of 100)
    are dropped after a few seconds; Slack's requests are answered meanwhile or right after."""
    port = bot.server.server.effective_port
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(150)]
    try:
        reply = bot.driver.command("U0EAST", "/checkin", "help")
        assert reply.status == 200
    finally:
        for connection in idle:
            connection.close()
