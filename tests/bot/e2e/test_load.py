"""No one person starves the others: the real HTTP app, signed requests, the Slack stand-in.

Every acknowledgement is checked against Slack's 3 seconds as a bound on correctness (Slack
drops a later one), not as a benchmark.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import bot.commands.kpi
import summaries.digest.charts
from tests.bot.e2e.test_kpi_command import history
from tests.slackstandin import Reply, check_message
from tests.support.botkit import Bot
from tests.support.flows import seed_figures, text_of

SLACK_DEADLINE = 3.0
WAIT = 10.0  # seconds before a test gives up on something that should happen at once
SPAN = "November 2025 \u2013 October 2026"
FLOOD = 40
# Others asking at the same time, each within their own limit, and what they must be told.
OTHERS = {"U0CEO": ("revenue east-county", "2,450,000 CNY"),
          "U0EAST": ("revenue east-county", "2,450,000 CNY"),
          "U0WEST": ("revenue west-county", "1,600,000 CNY"),
          "U0OPS": ("revenue west", "1,600,000 CNY")}
LOOKUPS_EACH = 4
# Lookups of East County by those who may see it: more than Bolt's five listener threads.
ASKERS = ("U0CEO", "U0OPS", "U0MKT", "U0EAST") * 2


@pytest.fixture
def kbot(bot: Bot) -> Iterator[Bot]:
    seed_figures(bot.deps, history())
    yield bot
    bot.deps.charts.wait_idle()  # no chart left to send once the stand-in stops


def answer_of(bot: Bot, reply: Reply) -> dict[str, Any]:
    """The message the person sees: in the acknowledgement, or else on the response URL."""
    if reply.json:
        return reply.json
    assert reply.response_url is not None
    [call] = bot.slack.wait_for_response(reply.response_url, timeout=WAIT)
    return call.params


def send_all(bot: Bot, asks: list[tuple[str, str, str]]) -> list[Reply]:
    """Send every (user, command, text) 16 at a time, as Slack would deliver a busy minute."""
    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(lambda a: bot.driver.command(*a), asks))


def test_one_person_flooding_trends_does_not_starve_the_others(kbot: Bot) -> None:
    asks = [("U0MKT", "/kpi", "revenue east trend")] * FLOOD
    for n, (user, (text, _)) in enumerate(OTHERS.items()):
        for k in range(LOOKUPS_EACH):
            asks.insert(3 + n * 2 + k * 9, (user, "/kpi", text))  # spread through the flood
    began = time.monotonic()
    replies = send_all(kbot, asks)
    took = time.monotonic() - began

    for (user, _, text), reply in zip(asks, replies, strict=True):
        assert reply.status == 200, (user, text, reply.status, reply.body)
        assert reply.elapsed < SLACK_DEADLINE, (user, text, reply.elapsed)
    for (user, _, _), reply in zip(asks, replies, strict=True):
        if user != "U0MKT":
            message = answer_of(kbot, reply)
            assert check_message(message) == []
            assert OTHERS[user][1] in text_of(message), (user, text_of(message))

    flood = [answer_of(kbot, r) for (user, _, _), r in zip(asks, replies, strict=True)
             if user == "U0MKT"]
    slowed = [m for m in flood if "One moment" in m["text"]]
    answered = [m for m in flood if "One moment" not in m["text"]]
    settings = kbot.deps.settings
    refilled = math.floor(took / settings.user_refill) + 1
    assert settings.user_burst <= len(answered) <= settings.user_burst + refilled
    for message in slowed:
        assert message["response_type"] == "ephemeral"
        assert "you're asking faster than I can answer. Try again in" in message["text"]
    for message in answered:
        assert SPAN in text_of(message)
    charted = [m for m in answered if "on its way" in text_of(m)]
    kbot.deps.charts.wait_idle()
    assert len(kbot.slack.uploaded_files()) == len(charted) >= 1


def test_slash_commands_share_one_allowance_a_person(kbot: Bot) -> None:
    burst = kbot.deps.settings.user_burst
    replies = send_all(kbot, [("U0EAST", "/checkin", "help")] * burst)
    assert all(r.status == 200 and r.json and "One moment" not in r.json["text"]
               for r in replies)
    for command, text in (("/checkin", "status"), ("/kpi", "revenue east")):
        reply = kbot.driver.command("U0EAST", command, text)
        assert reply.status == 200
        assert reply.json is not None
        assert reply.json["response_type"] == "ephemeral"
        assert reply.json["text"].startswith("One moment: you're asking faster")
        assert check_message(reply.json) == []
    assert "2,450,000 CNY" in text_of(answer_of(kbot, kbot.driver.command(
        "U0CEO", "/kpi", "revenue east-county")))  # someone else is not held back


@pytest.fixture
def stalled_lookups(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Lookups that wait until the test sets the event it gets."""
    release = threading.Event()
    real = bot.commands.kpi.lookup

    def stalled(*args: Any) -> Any:
        assert release.wait(WAIT)
        return real(*args)

    monkeypatch.setattr(bot.commands.kpi, "lookup", stalled)
    yield release
    release.set()


def test_work_after_the_ack_does_not_hold_the_request_threads(
        make_bot: Callable[..., Bot], stalled_lookups: threading.Event) -> None:
    slow = make_bot(ack_budget=0.0)  # every answer follows its acknowledgement
    seed_figures(slow.deps, history())
    replies = [slow.driver.command(user, "/kpi", "revenue east-county") for user in ASKERS]
    for reply in replies:  # all acknowledged while every lookup is still waiting
        assert reply.status == 200, reply.body
        assert not reply.body
        assert reply.elapsed < SLACK_DEADLINE
    stalled_lookups.set()
    for reply in replies:
        assert "2,450,000 CNY" in text_of(answer_of(slow, reply))


@pytest.mark.parametrize("budget", [2.0, 0.0])  # answered in the ack, or after it
def test_a_lookup_that_fails_says_sorry_and_never_loses_the_ack(
        make_bot: Callable[..., Bot], monkeypatch: pytest.MonkeyPatch, budget: float) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("database gone")

    monkeypatch.setattr(bot.commands.kpi, "lookup", broken)
    failing = make_bot(ack_budget=budget)
    reply = failing.driver.command("U0CEO", "/kpi", "revenue east-county")
    assert reply.status == 200, reply.body
    assert reply.elapsed < SLACK_DEADLINE
    assert bool(reply.json) == (budget > 0)  # the sorry travels in the ack when it can
    message = answer_of(failing, reply)
    assert "on our side" in message["text"]
    assert "database gone" not in message["text"]


def test_a_chart_beyond_the_queue_is_skipped_and_the_table_still_comes(
        make_bot: Callable[..., Bot], monkeypatch: pytest.MonkeyPatch) -> None:
    started, release = threading.Event(), threading.Event()
    drawn_on: list[str] = []
    real = summaries.digest.charts.trend_png

    def slow_drawing(*args: Any) -> bytes:
        drawn_on.append(threading.current_thread().name)
        started.set()
        assert release.wait(WAIT)
        return real(*args)

    monkeypatch.setattr(summaries.digest.charts, "trend_png", slow_drawing)
    busy = make_bot(chart_queue=1)
    seed_figures(busy.deps, history())
    first = answer_of(busy, busy.driver.command("U0MKT", "/kpi", "revenue east trend"))
    assert started.wait(WAIT)  # the worker is drawing the first chart
    second = answer_of(busy, busy.driver.command("U0MKT", "/kpi", "revenue west trend"))
    third = answer_of(busy, busy.driver.command("U0MKT", "/kpi", "revenue trend"))
    for message in (first, second):
        assert "on its way to you in a direct message" in text_of(message)
    assert "too many charts just now, so this one is skipped" in text_of(third)
    assert "direct message" not in text_of(third)
    assert "Month" in text_of(third)  # the table itself
    assert check_message(third) == []
    release.set()
    busy.deps.charts.wait_idle()
    assert drawn_on == ["charts", "charts"]  # never on a thread that answers Slack
    assert len(busy.slack.uploaded_files()) == 2
