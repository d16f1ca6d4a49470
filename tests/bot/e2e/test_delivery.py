"""The outbox against a Slack that throttles, fails and times out: everything once, nothing lost."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.cycle.steps import open_period, prompt_key
from bot.outbox import delivery
from bot.outbox.delivery import Outgoing, deliver, enqueue
from bot.outbox.landed import outbox_metadata
from summaries.config.loader import parse_config
from summaries.periods import Month
from summaries.store.infra import OutboxMessage
from tests.slackstandin import dm_channel
from tests.support.botkit import TOKEN, Bot
from tests.support.orgkit import manager, many_departments_text

OCTOBER = Month.parse("2026-10")
FAR_FUTURE = datetime(2099, 1, 1, tzinfo=UTC)


def prompts_per_manager(bot: Bot) -> Counter[str]:
    """How many top-level messages each DM channel holds."""
    return Counter(m["channel"] for m in bot.slack.messages() if not m.get("thread_ts"))


def row(session_maker: sessionmaker[Session], key: str) -> OutboxMessage:
    with session_maker() as session:
        return session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).one()


def test_a_429_waits_for_retry_after_then_sends_once(bot: Bot) -> None:
    bot.slack.fail_next("chat.postMessage", status=429, times=2)
    started = time.monotonic()
    report = open_period(bot.deps, OCTOBER)
    assert report.ok, report.failed
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 was honoured
    assert [c.error for c in bot.slack.calls_to("chat.postMessage")][:3] == [
        "ratelimited", "ratelimited", None]
    assert sum(prompts_per_manager(bot).values()) == 5
    assert set(prompts_per_manager(bot).values()) == {1}


def test_ten_percent_5xx_and_some_429s_deliver_every_prompt_exactly_once(
        make_bot: Callable[..., Bot]) -> None:
    count = 80
    bot = make_bot(parse_config(many_departments_text(count)), rate_post_per_minute=2400.0)
    bot.slack.fail_randomly("chat.postMessage", 0.1, status=503, seed=11)
    bot.slack.limit("chat.postMessage", per_minute=2400, burst=5)  # Slack's limit, enforced
    bot.slack.fail_next("chat.postMessage", status=429, times=2)  # and 429s on top of it
    report = open_period(bot.deps, OCTOBER)
    assert report.ok, report.failed
    calls = bot.slack.calls_to("chat.postMessage")
    assert any(c.error == "internal_error" for c in calls)  # 5xx happened
    assert bot.slack.rate_limited_count() > 0  # and so did 429s
    assert prompts_per_manager(bot) == Counter({dm_channel(manager(n)): 1 for n in range(count)})


def test_a_timeout_after_slack_posted_is_found_in_history_not_sent_again(
        make_bot: Callable[..., Bot], session_maker: sessionmaker[Session]) -> None:
    bot = make_bot(slack_timeout=1.0)
    bot.slack.delay_next("chat.postMessage", 1.6, after_effect=True)
    report = open_period(bot.deps, OCTOBER)
    assert report.ok, report.failed
    assert set(prompts_per_manager(bot).values()) == {1}
    assert len(prompts_per_manager(bot)) == 5
    assert bot.slack.ok_calls("conversations.history")  # it looked before sending again
    first = bot.deps.config.departments[0]
    stored = row(session_maker, prompt_key("2026-10", first))
    [posted] = bot.slack.messages(dm_channel(first.manager))
    assert (stored.state, stored.slack_ts) == ("sent", posted["ts"])


def test_a_timeout_before_slack_posted_is_sent_again_once(bot: Bot) -> None:
    bot.slack.delay_next("chat.postMessage", 1.6, after_effect=False)
    bot.deps.poster.timeout = 1
    report = open_period(bot.deps, OCTOBER)
    assert report.ok, report.failed
    assert len(prompts_per_manager(bot)) == 5
    assert set(prompts_per_manager(bot).values()) == {1}


def test_a_refused_post_is_kept_failed_without_retrying_in_the_run(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    bot.slack.fail_next("chat.postMessage", error="channel_not_found", status=200)
    report = open_period(bot.deps, OCTOBER)
    [(key, error)] = report.failed.items()
    assert error == "channel_not_found"
    assert row(session_maker, key).state == "failed"
    assert len(bot.slack.calls_to("chat.postMessage")) == 5  # one call each, none repeated
    assert open_period(bot.deps, OCTOBER).ok  # the next run sends it
    assert len(prompts_per_manager(bot)) == 5


def dead_pid() -> int:
    """The pid of a process of this host that has exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def claim_as_dead_sender(session_maker: sessionmaker[Session], key: str) -> None:
    """Leave ``key`` as a sender that died mid-call leaves it: claimed, lease still running."""
    with session_maker() as session, session.begin():
        session.execute(update(OutboxMessage).where(OutboxMessage.key == key).values(
            state="sending", attempts=1, claimed_by=f"{socket.gethostname()}:{dead_pid()}:x",
            next_attempt_at=FAR_FUTURE))


def test_a_dead_senders_post_that_reached_slack_is_not_sent_again(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    key = "prompt-test:2026-10:U0KA"
    payload = {"channel": "U0KA", "text": "Hello"}
    with bot.deps.unit_of_work() as session:
        enqueue(session, [Outgoing(key, "prompt", "U0KA", payload, period_key="2026-10")])
    claim_as_dead_sender(session_maker, key)
    # The dead process's call had reached Slack before it died.
    WebClient(token=TOKEN, base_url=bot.slack.api_url).chat_postMessage(
        channel="U0KA", text="Hello", metadata=outbox_metadata(key))
    report = deliver(bot.deps, [key])
    assert report.sent == [key]
    [posted] = bot.slack.messages(dm_channel("U0KA"))
    assert row(session_maker, key).slack_ts == posted["ts"]


def test_a_dead_senders_post_that_never_reached_slack_is_sent_once(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    key = "prompt-test:2026-10:U0KA"
    with bot.deps.unit_of_work() as session:
        enqueue(session, [Outgoing(key, "prompt", "U0KA", {"channel": "U0KA", "text": "Hi"})])
    claim_as_dead_sender(session_maker, key)
    assert deliver(bot.deps, [key]).sent == [key]
    assert len(bot.slack.messages(dm_channel("U0KA"))) == 1
    assert deliver(bot.deps, [key]).sent == []


def test_a_live_senders_claim_is_left_alone(
        bot: Bot, session_maker: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    key = "prompt-test:2026-10:U0KA"
    with bot.deps.unit_of_work() as session:
        enqueue(session, [Outgoing(key, "prompt", "U0KA", {"channel": "U0KA", "text": "Hi"})])
    with session_maker() as session, session.begin():
        session.execute(update(OutboxMessage).where(OutboxMessage.key == key).values(
            state="sending", claimed_by="another-host:1:x", next_attempt_at=FAR_FUTURE))
    monkeypatch.setattr(delivery, "WAIT_FOR_OTHERS", 0.3)
    report = deliver(bot.deps, [key])
    assert report.failed == {key: "being sent by another process"}
    assert bot.slack.messages() == []


def test_a_pace_set_above_what_slack_allows_settles_instead_of_drawing_429s(
        make_bot: Callable[..., Bot]) -> None:
    count = 80
    bot = make_bot(parse_config(many_departments_text(count)), rate_post_per_minute=6000.0)
    bot.slack.limit("chat.postMessage", per_minute=2400, burst=5)  # Slack allows 40% of it
    assert open_period(bot.deps, OCTOBER).ok
    assert prompts_per_manager(bot) == Counter({dm_channel(manager(n)): 1 for n in range(count)})
    # Each 429 slows the pace down, so a few are enough (without it, one in two calls was one).
    assert 0 < bot.slack.rate_limited_count() <= 20
