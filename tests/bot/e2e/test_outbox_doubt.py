"""Posts in doubt: Slack applying a call after the client gave up, an "ok" without a ts, and a
Retry-After no run should sit out."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cycle.steps import open_period
from summaries.config.loader import parse_config
from summaries.periods import Month
from summaries.store.infra import OutboxMessage
from tests.slackstandin import dm_channel
from tests.support.botkit import Bot
from tests.support.orgkit import manager, many_departments_text

OCTOBER = Month.parse("2026-10")


def prompts(bot: Bot) -> Counter[str]:
    return Counter(m["channel"] for m in bot.slack.messages() if not m.get("thread_ts"))


def test_posts_that_slack_applies_after_the_client_timed_out_are_never_sent_twice(
        make_bot: Callable[..., Bot]) -> None:
    count = 60
    bot = make_bot(parse_config(many_departments_text(count)), slack_timeout=1.0)
    # Slack is slow but succeeds: the first twelve posts take effect half a second after the
    # client gave up on them.
    bot.slack.delay_next("chat.postMessage", 1.5, times=12)
    report = open_period(bot.deps, OCTOBER)
    assert report.ok, report.failed
    assert prompts(bot) == Counter({dm_channel(manager(n)): 1 for n in range(count)})
    timed_out = [c for c in bot.slack.calls_to("chat.postMessage")]
    assert len(timed_out) == count  # each post was made once: none was sent again


def test_an_ok_without_a_ts_is_in_doubt_and_found_not_lost(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    bot.slack.omit_next("chat.postMessage", "ts", times=2)
    report = open_period(bot.deps, OCTOBER)
    assert report.ok, report.failed
    assert set(prompts(bot).values()) == {1}
    assert len(prompts(bot)) == len(bot.deps.config.departments)
    with session_maker() as session:
        rows = session.scalars(select(OutboxMessage)).all()
    assert rows
    assert all(r.state == "sent" and r.slack_ts for r in rows)
    assert bot.slack.ok_calls("conversations.history")  # it looked the two up


@pytest.mark.parametrize("retry_after", ["3600", "inf", "1e400"])
def test_a_long_retry_after_is_not_sat_out_and_the_next_run_delivers(
        bot: Bot, session_maker: sessionmaker[Session], retry_after: str,
        caplog: pytest.LogCaptureFixture) -> None:
    bot.slack.fail_next("chat.postMessage", status=429, retry_after=retry_after)
    started = time.monotonic()
    first = open_period(bot.deps, OCTOBER)
    assert time.monotonic() - started < 10
    assert len(first.failed) == 1
    assert "retry after" in next(iter(first.failed.values()))
    assert "left for the next run" in caplog.text
    second = open_period(bot.deps, OCTOBER)
    assert second.ok, second.failed
    assert set(prompts(bot).values()) == {1}
    assert len(prompts(bot)) == len(bot.deps.config.departments)


def test_delivered_payloads_are_purged_after_the_retention_and_never_sent_again(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    from datetime import timedelta

    from bot.outbox.files import DmFile, send_files

    png = b"\x89PNG" + b"x" * 60_000
    chart = [DmFile("revenue.png", "Revenue", png)]
    assert send_files(bot.deps, "U0CEO", "kpi-chart:U0CEO:1", "chart", chart).ok
    with session_maker() as session:
        [stored] = session.scalars(select(OutboxMessage)).all()
        assert stored.payload["content_b64"]
    bot.clock.now += timedelta(days=29)
    assert open_period(bot.deps, OCTOBER).ok  # any delivery run looks; 29 days: kept
    with session_maker() as session:
        kept = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "chart")).one()
        assert kept.payload["content_b64"]
    bot.clock.now += timedelta(days=2)
    assert open_period(bot.deps, OCTOBER).ok
    with session_maker() as session:
        rows = session.scalars(select(OutboxMessage)).all()
    chart_row = next(r for r in rows if r.kind == "chart")
    assert chart_row.payload == {}
    assert chart_row.purged_at == bot.clock.now
    assert (chart_row.state, chart_row.slack_channel) == ("sent", stored.slack_channel)
    prompts_kept = [r for r in rows if r.kind != "chart"]
    assert all(r.purged_at is None for r in prompts_kept)  # sent two days ago
    uploads = len(bot.slack.calls_to("files.completeUploadExternal"))
    assert send_files(bot.deps, "U0CEO", "kpi-chart:U0CEO:1", "chart", chart).ok
    assert len(bot.slack.calls_to("files.completeUploadExternal")) == uploads


@pytest.mark.parametrize(("retry_after", "retried"), [
    ("1", True), ("3", True), ("4", False), ("3600", False), ("inf", False), ("1.5", False),
    ("nonsense", False), ("", False)])
def test_the_request_clients_429_retry_waits_only_a_short_whole_retry_after(
        retry_after: str, retried: bool) -> None:
    from slack_sdk.http_retry.request import HttpRequest
    from slack_sdk.http_retry.response import HttpResponse
    from slack_sdk.http_retry.state import RetryState

    from bot.bootstrap import ShortRateLimitRetry

    handler = ShortRateLimitRetry(max_retry_count=2)
    request = HttpRequest(method="POST", url="https://slack.com/api/views.open", headers={})
    response = HttpResponse(status_code=429, headers={"Retry-After": [retry_after]})
    assert handler.can_retry(state=RetryState(), request=request,
                             response=response) is retried

