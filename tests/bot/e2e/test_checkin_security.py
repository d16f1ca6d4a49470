"""Who may act, signatures, and repeats: a retried event, a double click, a double submit."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.slackstandin import check_view, dm_channel
from tests.support.botkit import SECRET, Bot, drain
from tests.support.flows import EAST_VALUES, click_open, open_form, open_october, submit


def rows(session_maker: sessionmaker[Session], table: str) -> int:
    from summaries.store.tables import Base

    with session_maker() as session:
        model = Base.metadata.tables[table]
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_stranger_clicking_someone_elses_button_gets_a_polite_refusal(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    east_prompt = bot.slack.messages(dm_channel("U0EAST"))[0]
    reply = click_open(bot, "U0WEST", "east-county", channel=dm_channel("U0EAST"),
                       message_ts=east_prompt["ts"])
    assert reply.status == 200
    opened = bot.slack.wait_for("views.open")[0].params["view"]
    assert check_view(opened) == []
    assert "Only the manager of East County Company" in json.dumps(opened)
    assert not any(b["type"] == "input" for b in opened["blocks"])
    assert rows(session_maker, "submissions") == 0


def test_an_admin_may_fill_in_any_department(bot: Bot) -> None:
    open_october(bot)
    reply = click_open(bot, "U0OPS", "east-county", channel=dm_channel("U0EAST"))
    assert reply.status == 200
    opened = bot.slack.wait_for("views.open")[0].params["view"]
    assert any(b["type"] == "input" for b in opened["blocks"])


def test_a_forged_submission_for_another_department_stores_nothing(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    reply = submit(bot, "U0WEST", view, EAST_VALUES)
    assert reply.json is not None
    assert reply.json["response_action"] == "update"
    assert "Only the manager" in json.dumps(reply.json["view"])
    assert rows(session_maker, "figures") == 0
    assert rows(session_maker, "section_answers") == 0


def test_bad_or_stale_signatures_get_401_and_change_nothing(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    payload = {"type": "view_submission", "user": {"id": "U0EAST"},
               "view": {**view, "state": {"values": {}}}}
    body = urlencode({"payload": json.dumps(payload)})
    form = "application/x-www-form-urlencoded"
    for reply in (bot.driver.post(body, form, secret="not-the-secret"),
                  bot.driver.post(body, form, timestamp=int(time.time()) - 6 * 60),
                  bot.driver.post(body, form, headers={"X-Slack-Signature": "v0=00"})):
        assert reply.status == 401
    assert SECRET != "not-the-secret"
    assert rows(session_maker, "submissions") == 0
    assert [c.method for c in bot.slack.calls].count("views.open") == 1


def test_a_double_submit_has_one_effect(bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda _: bot.driver.view_submission("U0EAST", view, EAST_VALUES),
                                range(2)))
    assert [r.status for r in replies] == [200, 200]
    assert rows(session_maker, "submissions") == 1
    assert rows(session_maker, "figures") == 2
    assert rows(session_maker, "revisions") == 4  # two sections, two figures: once each
    drain(bot)
    confirmations = [c for c in bot.slack.ok_calls("chat.postMessage")
                     if "Summary received" in c.params.get("text", "")]
    assert len(confirmations) == 1


def test_a_double_click_opens_one_form(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(double_click=3.0)
    open_october(bot)
    first = click_open(bot, "U0EAST", "east-county")
    second = click_open(bot, "U0EAST", "east-county")
    assert (first.status, second.status) == (200, 200)
    bot.slack.wait_for("views.open")
    drain(bot)
    assert len(bot.slack.ok_calls("views.open")) == 1
