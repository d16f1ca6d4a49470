"""The HTTP edge: health checks, request signatures, the URL handshake and the slow path."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_app
from bot.server import make_wsgi, start_server
from summaries.store.infra import ReceivedRequest
from summaries.store.models import Submission
from tests.slackstandin import check_view, check_view_response
from tests.slackstandin.driver import VERIFICATION_TOKEN
from tests.support.botkit import Bot, drain
from tests.support.flows import EAST_VALUES, click_open, inputs, open_october, prompt_for, submit


def get(url: str) -> tuple[int, dict[str, Any]]:
    """GET ``url``; its status and JSON body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def home_event(user: str, event_id: str) -> str:
    """An ``app_home_opened`` envelope as Slack sends it."""
    return json.dumps({
        "token": VERIFICATION_TOKEN, "team_id": "T0TEST", "api_app_id": "A0TEST",
        "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
        "event": {"type": "app_home_opened", "user": user, "channel": "D0EAST", "tab": "home",
                  "event_ts": f"{time.time():.6f}"}})


def received(session_maker: sessionmaker[Session]) -> int:
    """How many Slack deliveries the bot has recorded."""
    with session_maker() as session:
        return session.scalar(select(func.count()).select_from(ReceivedRequest)) or 0


def view_text(view: dict[str, Any]) -> str:
    """The section texts of a view."""
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")


def test_health_is_ok_and_other_paths_are_not_found(bot: Bot) -> None:
    assert get(f"{bot.server.url}/healthz") == (200, {"status": "ok", "database": "ok"})
    status, _ = get(f"{bot.server.url}/nothing-here")
    assert status == 404
    status, _ = get(f"{bot.server.url}/healthz/extra")
    assert status == 404


def test_health_is_unavailable_without_a_database(bot: Bot, tmp_path: Path) -> None:
    deps = replace(bot.deps, engine=sa.create_engine(f"sqlite:///{tmp_path}/missing/x.db"))
    server = start_server(make_wsgi(create_app(deps), deps))
    try:
        status, body = get(f"{server.url}/healthz")
    finally:
        server.stop()
        deps.executor.shutdown(wait=True)
    assert (status, body) == (503, {"status": "unavailable", "database": "unavailable"})


def test_badly_signed_or_stale_requests_are_refused_and_leave_no_trace(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    body = home_event("U0EAST", "Ev0SIGNED01")
    forged = bot.driver.post(body, "application/json", secret="not-the-secret")
    assert forged.status == 401
    stale = bot.driver.post(body, "application/json", timestamp=int(time.time()) - 6 * 60)
    assert stale.status == 401
    drain(bot)  # a wrongly accepted request would have been handled by now
    assert bot.slack.calls == []
    assert received(session_maker) == 0

    # The same body, signed now with the right secret, is accepted: only the signature was bad.
    good = bot.driver.post(body, "application/json")
    assert good.status == 200
    bot.slack.wait_for("views.publish", 1)
    assert received(session_maker) == 1


def test_url_verification_challenge_is_answered(bot: Bot) -> None:
    reply = bot.driver.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert reply.status == 200
    assert reply.json == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_slow_work_shows_placeholders_then_the_real_views(
        make_bot: Callable[..., Bot], session_maker: sessionmaker[Session]) -> None:
    bot = make_bot(ack_budget=0.0)
    open_october(bot)
    prompt = prompt_for(bot, "U0EAST", "east-county")
    reply = click_open(bot, "U0EAST", "east-county", message_ts=prompt["ts"])
    assert reply.status == 200, reply.body
    [opened] = bot.slack.wait_for("views.open", 1)
    assert "Loading your form" in view_text(opened.params["view"])
    assert inputs(opened.params["view"]) == {}
    [updated] = bot.slack.wait_for("views.update", 1)
    view_id = opened.response["view"]["id"]
    assert updated.params["view_id"] == view_id
    form = bot.slack.view(view_id)
    assert form is not None
    assert check_view(form) == []
    assert {"section:sales", "section:problems", "kpi:revenue"} <= set(inputs(form))

    reply = submit(bot, "U0EAST", form, EAST_VALUES)
    assert reply.json is not None
    assert reply.json["response_action"] == "update"
    assert "Saving" in view_text(reply.json["view"])
    assert check_view_response(reply.json, form) == []
    calls = bot.slack.wait_for("views.update", 2)
    assert calls[1].params["view_id"] == view_id
    saved = bot.slack.view(view_id)
    assert saved is not None
    assert view_text(saved).startswith("Saved.")
    assert inputs(saved) == {}
    [*_, confirmation] = bot.slack.wait_for("chat.postMessage", 5 + 1)
    assert "Summary received" in confirmation.params["text"]
    with session_maker() as session:
        statuses = list(session.scalars(select(Submission.status)))
        assert statuses == ["submitted"]
    assert [c.method for c in bot.slack.calls if not c.ok] == []
