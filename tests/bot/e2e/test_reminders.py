"""Reminders: threaded under each waiting manager's prompt, once per round, never unescaped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cycle.steps import open_period, prompt_key, remind_period
from summaries.config.loader import parse_config
from summaries.errors import DomainError
from summaries.periods import Month
from summaries.store.infra import OutboxMessage
from summaries.store.models import Period
from tests.slackstandin import check_message, dm_channel
from tests.support.botkit import Bot, sample_text
from tests.support.flows import EAST_VALUES, PERIOD, open_form, open_october, prompt_for, submit

OCTOBER = Month.parse(PERIOD)
MANAGERS = {"key-accounts": "U0KA", "marketing": "U0MKT", "east-county": "U0EAST",
            "west-county": "U0WEST", "safety": "U0SAFE"}
NASTY = "Key <!channel> & <b> Accounts"


def replies(bot: Bot, user: str) -> list[dict[str, Any]]:
    """The threaded messages in ``user``'s DM, in order."""
    return [m for m in bot.slack.messages(dm_channel(user)) if m.get("thread_ts")]


def posts(bot: Bot) -> int:
    """How many chat.postMessage calls succeeded so far."""
    return len(bot.slack.ok_calls("chat.postMessage"))


def test_reminders_thread_under_prompts_of_those_still_waiting(
        make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(parse_config(sample_text(**{"Key Account Division": NASTY})))
    open_october(bot)
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"), EAST_VALUES)
    bot.slack.wait_for("chat.postMessage", 5 + 1)  # the prompts and East's confirmation

    report = remind_period(bot.deps, OCTOBER, 1)
    assert report.ok, report.failed
    assert posts(bot) == 6 + 4
    assert replies(bot, "U0EAST") == []
    for department, user in MANAGERS.items():
        if department == "east-county":
            continue
        prompt = prompt_for(bot, user, department)
        [reminder] = replies(bot, user)
        assert reminder["thread_ts"] == prompt["ts"]
        assert reminder["channel"] == dm_channel(user)
        assert reminder["text"].startswith("Reminder:")
        assert check_message(reminder) == []

    again = remind_period(bot.deps, OCTOBER, 1)
    assert again.ok, again.failed
    assert posts(bot) == 10

    second = remind_period(bot.deps, OCTOBER, 2)
    assert second.ok, second.failed
    assert posts(bot) == 14
    for department, user in MANAGERS.items():
        if department != "east-county":
            prompt = prompt_for(bot, user, department)
            assert [r["thread_ts"] for r in replies(bot, user)] == [prompt["ts"]] * 2


def test_reminders_escape_department_names(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(parse_config(sample_text(**{"Key Account Division": NASTY})))
    open_october(bot)
    remind_period(bot.deps, OCTOBER, 1)
    [reminder] = replies(bot, "U0KA")
    body = f"{reminder['text']}\n{reminder['blocks']}"
    assert "<!channel>" not in body
    assert "<b>" not in body
    assert "Key &lt;!channel&gt; &amp; &lt;b&gt; Accounts" in reminder["text"]
    assert "Key &lt;!channel&gt; &amp; &lt;b&gt; Accounts" in str(reminder["blocks"])
    for call in bot.slack.ok_calls("chat.postMessage"):
        assert "<!channel>" not in parsed_text(call.params)


def parsed_text(message: dict[str, Any]) -> str:
    """The parts of a message Slack parses for mentions: the fallback and every mrkdwn text.

    plain_text objects (headers, button labels) are shown literally, so they are left out.
    """
    found = [str(message.get("text") or "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(str(node.get("text")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks"))
    return "\n".join(found)


def test_a_prompt_that_failed_to_go_out_is_sent_before_its_reminder(
        make_bot: Callable[..., Bot], session_maker: sessionmaker[Session]) -> None:
    # The outbox tries a post four times in a run, so four 5xx make the first prompt (Key
    # Accounts) fail for this run when prompts go out one at a time.
    bot = make_bot(delivery_workers=1)
    bot.slack.fail_next("chat.postMessage", status=500, times=4)
    report = open_period(bot.deps, OCTOBER)
    key = prompt_key(PERIOD, bot.deps.config.department_by_key["key-accounts"])
    assert list(report.failed) == [key]
    assert bot.slack.messages(dm_channel("U0KA")) == []

    again = remind_period(bot.deps, OCTOBER, 1)
    assert again.ok, again.failed
    assert key in again.sent
    [prompt] = [m for m in bot.slack.messages(dm_channel("U0KA")) if not m.get("thread_ts")]
    [reminder] = replies(bot, "U0KA")
    assert reminder["thread_ts"] == prompt["ts"]
    assert prompt == prompt_for(bot, "U0KA", "key-accounts")
    with session_maker() as session:
        row = session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).one()
        assert row.state == "sent"
        assert row.slack_ts == prompt["ts"]
        assert row.last_error is None
    # Everyone else got exactly one prompt and one reminder under it.
    for department, user in MANAGERS.items():
        assert len(bot.slack.messages(dm_channel(user))) == 2, department


def test_reminders_refuse_a_period_that_is_not_open(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    with pytest.raises(DomainError, match="pending"):
        remind_period(bot.deps, OCTOBER, 1)
    open_october(bot)
    with bot.deps.unit_of_work() as session:
        session.scalars(select(Period).where(Period.key == PERIOD)).one().state = "closed"
    before = posts(bot)
    with pytest.raises(DomainError, match="closed"):
        remind_period(bot.deps, OCTOBER, 1)
    assert posts(bot) == before
    assert all(not replies(bot, user) for user in MANAGERS.values())
    with session_maker() as session:
        kinds = set(session.scalars(select(OutboxMessage.kind)))
        assert kinds == {"prompt"}
