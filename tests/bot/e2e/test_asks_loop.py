"""Asks of leadership as a closed loop through the real bot (SPEC 5.2): raised in a form, shown in
the digest with controls, acted on by leaders through buttons and modals, the manager told by
DM and the digest updated in place; once per click, and nobody else may."""

from __future__ import annotations

from typing import Any

import pytest

from bot.cycle.closing import close_period
from bot.ids import (
    ASK_ACKNOWLEDGE,
    ASK_ANSWER,
    ASK_ASSIGN,
    ASK_MENU,
)
from summaries.checkins.asks import read_ask
from summaries.engine.asks import Ask, AskAction, AskState
from tests.slackstandin import Reply, check_message, check_view, dm_channel, latest_view
from tests.support.botkit import Bot, drain
from tests.support.flows import EAST_VALUES, open_form, open_october, submit

from .test_digest_cycle import CLOSE_MOMENT, LEADERS, OCTOBER, leadership, text_of

LEADER, ADMIN, MANAGER, HELPER = "U0CEO", "U0OPS", "U0EAST", "U0HELP"
INSTALLERS = "Need two more installers"


@pytest.fixture
def posted(bot: Bot) -> Bot:
    """October closed with East County's two asks in its digest."""
    open_october(bot)
    submit(bot, MANAGER, open_form(bot, MANAGER, "east-county"), EAST_VALUES)
    drain(bot)
    bot.clock.now = CLOSE_MOMENT
    assert close_period(bot.deps, OCTOBER).ok
    drain(bot)
    return bot


def east_reply(bot: Bot) -> dict[str, Any]:
    """East County's reply message that holds its asks."""
    _, thread = leadership(bot)
    return next(m for m in thread if INSTALLERS in text_of(m))


def ask_ids(message: dict[str, Any]) -> dict[str, int]:
    """The asks with controls in a message, by their words."""
    found: dict[str, int] = {}
    blocks = message["blocks"]
    for n, block in enumerate(blocks):
        if block["type"] == "actions" and block["block_id"].startswith("ask:"):
            words = next(b["text"]["text"] for b in reversed(blocks[:n]) if b["type"] == "section")
            found[words.removeprefix("\u2022 ")] = int(block["block_id"].split(":")[1])
    return found


def stored(bot: Bot, ask_id: int) -> Ask:
    with bot.deps.read_only() as session:
        found = read_ask(session, bot.deps.config, ask_id)
    assert found is not None
    return found


def click(bot: Bot, user: str, action: str, value: str, message: dict[str, Any],
          block_id: str | None = None) -> Reply:
    reply = bot.driver.block_action(user, action, value, channel=LEADERS,
                                    message_ts=message["ts"], block_id=block_id)
    assert reply.status == 200, reply.body
    return reply


def acked(reply: Reply) -> None:
    """The bot answered a submission with a plain acknowledgement (the modal closes)."""
    assert reply.status == 200
    assert not reply.body, reply.body


def dms(bot: Bot, user: str) -> list[dict[str, Any]]:
    return bot.slack.messages(dm_channel(user))


def open_answer(bot: Bot, user: str, ask_id: int) -> dict[str, Any]:
    before = len(bot.slack.ok_calls("views.open"))
    click(bot, user, ASK_ANSWER, str(ask_id), east_reply(bot))
    bot.slack.wait_for("views.open", before + 1)
    view = latest_view(bot.slack, user)
    assert check_view(view) == []
    return view


def test_a_leader_decides_an_ask_the_manager_hears_once_and_the_digest_shows_it(
        posted: Bot) -> None:
    bot = posted
    header, _ = leadership(bot)
    assert f"{INSTALLERS} \u2014 open" in text_of(header)
    assert ASK_MENU in str(header["blocks"])  # the header's menu on each ask
    reply = east_reply(bot)
    asks = ask_ids(reply)
    assert set(asks) == {"Fibre backlog in the north villages", INSTALLERS}
    assert {ASK_ACKNOWLEDGE, ASK_ANSWER, ASK_ASSIGN} <= set(str(reply["blocks"]).split("'"))
    view = open_answer(bot, LEADER, asks[INSTALLERS])
    assert INSTALLERS in str(view["blocks"])
    told = len(dms(bot, MANAGER))
    answer = bot.driver.view_submission(LEADER, view, {
        "outcome": "decide", "text": "Approved: two installers <!channel> from December."})
    acked(answer)
    drain(bot)
    assert stored(bot, asks[INSTALLERS]).state is AskState.DECIDED
    [dm] = dms(bot, MANAGER)[told:]
    assert check_message(dm) == []
    assert "decided" in text_of(dm)
    assert INSTALLERS in text_of(dm)
    assert "two installers &lt;!channel&gt; from December" in text_of(dm)
    header, _ = leadership(bot)
    assert f"decided by <@{LEADER}>" in text_of(header)
    reply = east_reply(bot)
    assert check_message(reply) == []
    assert f"decided by <@{LEADER}>" in text_of(reply)
    assert set(ask_ids(reply)) == {"Fibre backlog in the north villages"}  # no controls left
    updates = len(bot.slack.ok_calls("chat.update"))

    again = bot.driver.view_submission(LEADER, view, {"outcome": "decide", "text": "Again"})
    assert again.status == 200
    drain(bot)
    assert len(dms(bot, MANAGER)) == told + 1  # no second DM
    assert len(bot.slack.ok_calls("chat.update")) == updates  # no second update


def test_acknowledge_acts_once_however_often_it_is_clicked(posted: Bot) -> None:
    bot = posted
    ask_id = ask_ids(east_reply(bot))[INSTALLERS]
    told = len(dms(bot, MANAGER))
    for _ in range(3):
        click(bot, LEADER, ASK_ACKNOWLEDGE, str(ask_id), east_reply(bot))
        drain(bot)
    ask = stored(bot, ask_id)
    assert ask.state is AskState.ACKNOWLEDGED
    assert [e.action for e in ask.history].count(AskAction.ACKNOWLEDGE) == 1
    assert len(dms(bot, MANAGER)) == told + 1
    header, _ = leadership(bot)
    assert f"{INSTALLERS} \u2014 acknowledged by <@{LEADER}>" in text_of(header)


def test_a_manager_is_refused_politely_and_nothing_changes(posted: Bot) -> None:
    bot = posted
    ask_id = ask_ids(east_reply(bot))[INSTALLERS]
    updates, opened = len(bot.slack.calls_to("chat.update")), len(bot.slack.calls_to("views.open"))
    click(bot, MANAGER, ASK_ACKNOWLEDGE, str(ask_id), east_reply(bot))
    click(bot, MANAGER, ASK_ANSWER, str(ask_id), east_reply(bot))
    drain(bot)
    refusals = bot.slack.wait_for("chat.postEphemeral", 2)
    assert all(c.params["user"] == MANAGER and c.params["channel"] == LEADERS
               and "Sorry" in c.params["text"] for c in refusals)
    assert len(bot.slack.calls_to("views.open")) == opened  # no modal for them
    # A modal a leader opened, submitted by the manager: checked again, refused.
    view = open_answer(bot, LEADER, ask_id)
    forged = bot.driver.view_submission(MANAGER, view, {"outcome": "decide", "text": "Mine"})
    assert forged.json is not None
    assert forged.json["response_action"] == "update"
    assert "Sorry" in str(forged.json["view"])
    drain(bot)
    assert stored(bot, ask_id).state is AskState.OPEN
    assert len(bot.slack.calls_to("chat.update")) == updates


def test_assigning_hands_the_ask_over_and_a_reply_only_keeps_it_open(posted: Bot) -> None:
    bot = posted
    ask_id = ask_ids(east_reply(bot))[INSTALLERS]
    click(bot, LEADER, ASK_ASSIGN, HELPER, east_reply(bot), block_id=f"ask:{ask_id}")
    drain(bot)
    assert (stored(bot, ask_id).state, stored(bot, ask_id).assignee) == (AskState.ASSIGNED,
                                                                        HELPER)
    [handed] = dms(bot, HELPER)
    assert check_message(handed) == []
    assert INSTALLERS in text_of(handed)
    assert "East County Company" in text_of(handed)
    assert f"<@{LEADER}>" in text_of(handed)
    assert "October 2026" in text_of(handed)
    header, _ = leadership(bot)
    assert f"assigned to <@{HELPER}>" in text_of(header)

    # The assignee answers from their DM: a reply only, so the ask stays open.
    before = len(bot.slack.ok_calls("views.open"))
    bot.driver.block_action(HELPER, ASK_ANSWER, str(ask_id), message_ts=handed["ts"])
    bot.slack.wait_for("views.open", before + 1)
    view = latest_view(bot.slack, HELPER)
    told = len(dms(bot, MANAGER))
    done = bot.driver.view_submission(HELPER, view, {"text": "Two people start on Monday."})
    acked(done)
    bot.driver.view_submission(HELPER, view, {"text": "Two people start on Monday."})
    drain(bot)
    ask = stored(bot, ask_id)
    assert ask.state is AskState.ASSIGNED
    assert ask.live
    assert [e.action for e in ask.history].count(AskAction.REPLY) == 1  # a double submit acts once
    [dm] = dms(bot, MANAGER)[told:]
    assert "replied" in text_of(dm)
    assert "Two people start on Monday." in text_of(dm)
    assert "Two people start on Monday." in text_of(east_reply(bot))


def test_the_header_menu_assigns_through_a_modal(posted: Bot) -> None:
    bot = posted
    ask_id = ask_ids(east_reply(bot))[INSTALLERS]
    header, _ = leadership(bot)
    before = len(bot.slack.ok_calls("views.open"))
    click(bot, ADMIN, ASK_MENU, f"assign:{ask_id}", header)
    bot.slack.wait_for("views.open", before + 1)
    view = latest_view(bot.slack, ADMIN)
    assert check_view(view) == []
    assert bot.driver.view_submission(ADMIN, view, {"assignee": HELPER}).status == 200
    drain(bot)
    assert stored(bot, ask_id).assignee == HELPER
    assert len(dms(bot, HELPER)) == 1


def test_a_reply_without_words_is_refused_under_the_field_and_can_be_sent_again(
        posted: Bot) -> None:
    bot = posted
    ask_id = ask_ids(east_reply(bot))[INSTALLERS]
    view = open_answer(bot, LEADER, ask_id)
    empty = bot.driver.view_submission(LEADER, view, {"outcome": "reply", "text": "  "})
    assert empty.json is not None
    assert empty.json["response_action"] == "errors"
    assert set(empty.json["errors"]) == {"text"}
    assert stored(bot, ask_id).state is AskState.OPEN
    fixed = bot.driver.view_submission(LEADER, view, {"outcome": "reply", "text": "On it."})
    acked(fixed)
    drain(bot)
    assert stored(bot, ask_id).answer is not None
