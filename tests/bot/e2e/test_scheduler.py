"""Reconcile: due steps run once after downtime, stale ones are skipped, failures retried."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.bootstrap import build_deps
from bot.cycle import closing
from bot.cycle.ledger import START, record_manual
from bot.cycle.scheduler import due_steps, reconcile
from bot.deps import Deps
from bot.outbox.delivery import DeliveryReport
from summaries.config.loader import parse_config
from summaries.periods import Month
from summaries.store.db import make_engine
from summaries.store.infra import StepRun
from summaries.store.models import Period
from tests.slackstandin import dm_channel
from tests.support.botkit import Bot, sample_text
from tests.support.flows import EAST_VALUES, PERIOD, open_form, open_october, submit

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = Month.parse(PERIOD)
MANAGERS = ("U0KA", "U0MKT", "U0EAST", "U0WEST", "U0SAFE")


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A wall-clock moment in the organization's zone (Shanghai)."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def at(bot: Bot, year: int, month: int, day: int, hour: int, minute: int) -> None:
    """Set the bot's clock to a wall-clock moment in the organization's zone."""
    bot.clock.now = local(year, month, day, hour, minute)


def prompts(bot: Bot, user: str) -> list[dict[str, Any]]:
    return [m for m in bot.slack.messages(dm_channel(user)) if not m.get("thread_ts")]


def replies(bot: Bot, user: str) -> list[dict[str, Any]]:
    return [m for m in bot.slack.messages(dm_channel(user)) if m.get("thread_ts")]


def posts(bot: Bot) -> int:
    return len(bot.slack.ok_calls("chat.postMessage"))


def ledger(session_maker: sessionmaker[Session]) -> dict[tuple[str, str], str]:
    with session_maker() as session:
        return {(r.step, r.period_key): r.state for r in session.scalars(select(StepRun))
                if r.step != START}  # the steps run, not the period the bot began with


def period_state(bot: Bot, key: str = PERIOD) -> str | None:
    with bot.deps.unit_of_work() as session:
        return session.scalars(select(Period.state).where(Period.key == key)).first()


def stand_in_close(monkeypatch: pytest.MonkeyPatch,
                   close_period: Callable[[Deps, Month], DeliveryReport]) -> None:
    """Make the close step call ``close_period``; the digest's own code is tested elsewhere."""
    monkeypatch.setattr(closing, "close_period", close_period)


@pytest.fixture
def closes(monkeypatch: pytest.MonkeyPatch) -> list[Month]:
    """A close step that records the month and closes the period."""
    closed: list[Month] = []

    def close_period(deps: Deps, month: Month) -> DeliveryReport:
        closed.append(month)
        with deps.unit_of_work() as session:
            period = session.scalars(select(Period).where(Period.key == str(month))).one()
            period.state = "closed"
        return DeliveryReport()

    stand_in_close(monkeypatch, close_period)
    return closed


# --- which steps are due ------------------------------------------------------------------


def test_due_steps_cover_only_last_and_this_month(bot: Bot) -> None:
    def due(year: int, month: int, day: int, hour: int, minute: int) -> list[tuple[str, str]]:
        now = local(year, month, day, hour, minute)
        return [(step, str(period)) for step, period in due_steps(bot.deps, now)]

    assert due(2026, 10, 30, 8, 59) == []
    assert due(2026, 10, 30, 9, 0) == [("open", "2026-10")]
    assert due(2026, 11, 2, 10, 0) == [("open", "2026-10"), ("remind1", "2026-10")]
    # After the close, reminders are stale; the close itself is still due.
    assert due(2026, 11, 4, 18, 0) == [("open", "2026-10"), ("close", "2026-10")]
    # October's late window has ended and November's cycle has not begun.
    assert due(2026, 11, 14, 18, 0) == []
    # A fresh install in January sees December and January, never anything older.
    assert due(2027, 1, 5, 12, 0) == [("open", "2026-12"), ("remind1", "2026-12")]
    assert due(2027, 1, 29, 9, 0) == [("open", "2027-01")]


# --- reconcile against the stand-in -------------------------------------------------------


def test_after_downtime_the_period_opens_once_and_reminders_go_to_those_waiting(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    at(bot, 2026, 10, 30, 11, 30)  # down at 09:00, back at 11:30
    assert reconcile(bot.deps) == [("open", PERIOD, True)]
    assert period_state(bot) == "open"
    assert all(len(prompts(bot, user)) == 1 for user in MANAGERS)
    assert reconcile(bot.deps) == []
    assert posts(bot) == 5
    assert ledger(session_maker) == {("open", PERIOD): "done"}

    at(bot, 2026, 11, 1, 15, 0)
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"), EAST_VALUES)
    bot.slack.wait_for("chat.postMessage", 6)  # East's confirmation

    at(bot, 2026, 11, 3, 9, 0)  # reminder 1 was due yesterday at 10:00
    assert reconcile(bot.deps) == [("remind1", PERIOD, True)]
    assert replies(bot, "U0EAST") == []
    assert all(len(replies(bot, user)) == 1 for user in MANAGERS if user != "U0EAST")
    assert reconcile(bot.deps) == []
    assert posts(bot) == 10

    at(bot, 2026, 11, 14, 18, 0)  # October's late window is over: nothing is run any more
    assert reconcile(bot.deps) == []
    assert posts(bot) == 10
    assert ledger(session_maker) == {("open", PERIOD): "done", ("remind1", PERIOD): "done"}


def test_reminders_are_skipped_once_the_close_has_passed(
        bot: Bot, closes: list[Month], session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    record_manual(bot.deps, "open", PERIOD, True, None)  # as `checkin cycle open` does
    at(bot, 2026, 11, 5, 9, 0)
    assert reconcile(bot.deps) == [("close", PERIOD, True)]
    assert closes == [OCTOBER]
    assert all(replies(bot, user) == [] for user in MANAGERS)
    assert ledger(session_maker) == {("open", PERIOD): "done", ("close", PERIOD): "done"}
    assert reconcile(bot.deps) == []
    assert closes == [OCTOBER]


def test_reminders_wait_for_an_open_period(bot: Bot,
                                          session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    with bot.deps.unit_of_work() as session:  # an admin closed it early
        session.scalars(select(Period).where(Period.key == PERIOD)).one().state = "closed"
    at(bot, 2026, 11, 2, 10, 0)
    assert reconcile(bot.deps) == []
    assert posts(bot) == 5
    assert all(replies(bot, user) == [] for user in MANAGERS)
    assert ledger(session_maker) == {}


def test_a_failing_step_does_not_stop_the_others_and_is_retried_next_pass(
        bot: Bot, monkeypatch: pytest.MonkeyPatch,
        session_maker: sessionmaker[Session]) -> None:
    calls: list[Month] = []

    def close_period(deps: Deps, month: Month) -> DeliveryReport:
        calls.append(month)
        if len(calls) == 1:
            raise RuntimeError("digest store unavailable")
        return DeliveryReport()

    stand_in_close(monkeypatch, close_period)
    at(bot, 2026, 11, 5, 9, 0)  # down through the whole cycle, back before the late window ends
    assert reconcile(bot.deps) == [("open", PERIOD, True), ("close", PERIOD, False)]
    assert all(len(prompts(bot, user)) == 1 for user in MANAGERS)
    assert all(replies(bot, user) == [] for user in MANAGERS)
    with session_maker() as session:
        row = session.scalars(select(StepRun).where(StepRun.step == "close")).one()
        assert row.state == "failed"
        assert row.error == "RuntimeError: digest store unavailable"

    at(bot, 2026, 11, 5, 10, 0)
    assert reconcile(bot.deps) == [("close", PERIOD, True)]
    assert calls == [OCTOBER, OCTOBER]
    assert ledger(session_maker) == {("open", PERIOD): "done", ("close", PERIOD): "done"}
    assert posts(bot) == 5


def test_an_undelivered_prompt_fails_the_step_until_a_later_pass_delivers_it(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    bot.slack.fail_next("chat.postMessage", error="channel_not_found", status=200, times=2)
    at(bot, 2026, 10, 30, 9, 0)
    assert reconcile(bot.deps) == [("open", PERIOD, False)]
    with session_maker() as session:
        row = session.scalars(select(StepRun).where(StepRun.step != START)).one()
        assert (row.step, row.state) == ("open", "failed")
        assert "channel_not_found" in (row.error or "")

    at(bot, 2026, 10, 30, 10, 0)  # the next hourly pass
    assert reconcile(bot.deps) == [("open", PERIOD, True)]
    assert ledger(session_maker) == {("open", PERIOD): "done"}
    assert all(len(prompts(bot, user)) == 1 for user in MANAGERS)
    assert reconcile(bot.deps) == []


def test_two_processes_reconciling_at_once_run_each_step_once(
        bot: Bot, engine: sa.Engine, session_maker: sessionmaker[Session]) -> None:
    url = engine.url.render_as_string(hide_password=False)
    other_engine = make_engine(url)
    other = build_deps(bot.deps.settings, bot.deps.config, other_engine, clock=bot.clock)
    at(bot, 2026, 10, 30, 9, 30)
    results: list[list[tuple[str, str, bool]]] = []
    barrier = threading.Barrier(2)

    def run(deps: Deps) -> None:
        barrier.wait()
        results.append(reconcile(deps))

    threads = [threading.Thread(target=run, args=(d,)) for d in (bot.deps, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    other.close()
    assert sorted(results) == [[], [("open", PERIOD, True)]]
    assert all(len(prompts(bot, user)) == 1 for user in MANAGERS)
    assert posts(bot) == 5


# --- first start ----------------------------------------------------------------------------


def test_a_fresh_install_never_opens_and_closes_a_past_month_back_to_back(
        make_bot: Callable[..., Bot], session_maker: sessionmaker[Session]) -> None:
    bot = make_bot(started=None)
    at(bot, 2026, 12, 4, 10, 0)  # November opened on the 30th and closed on the 3rd
    assert reconcile(bot.deps) == []
    assert posts(bot) == 0  # no prompts past their deadline, no empty digest
    assert period_state(bot, "2026-11") is None
    at(bot, 2026, 12, 31, 9, 0)  # December's open moment: the first period it runs
    assert reconcile(bot.deps) == [("open", "2026-12", True)]
    assert period_state(bot, "2026-12") == "open"
    assert ("open", "2026-12") in ledger(session_maker)


def test_a_fresh_install_before_the_open_moment_starts_with_this_month(
        make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(started=None)
    at(bot, 2026, 10, 12, 10, 0)
    assert reconcile(bot.deps) == []
    at(bot, 2026, 10, 30, 9, 0)
    assert reconcile(bot.deps) == [("open", PERIOD, True)]


def test_schedule_start_names_the_first_period(make_bot: Callable[..., Bot]) -> None:
    config = parse_config(sample_text(**{"  late_until_days: 10\n":
                                         "  late_until_days: 10\n  start: 2026-11\n"}))
    bot = make_bot(config, started=None)
    at(bot, 2026, 11, 2, 10, 0)  # October's open and first reminder are due, but it starts later
    assert reconcile(bot.deps) == []
    at(bot, 2026, 11, 30, 9, 0)
    assert reconcile(bot.deps) == [("open", "2026-11", True)]


def test_the_close_of_a_month_never_opened_posts_nothing(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    at(bot, 2026, 11, 4, 18, 0)  # October's close, but October was never opened
    with session_maker() as session, session.begin():
        opened = local(2026, 10, 30, 9, 0)  # its open recorded, but the period never opened
        session.add(StepRun(step="open", period_key=PERIOD, state="done", owner="elsewhere",
                            started_at=opened, lease_until=opened))
    assert reconcile(bot.deps) == []
    assert posts(bot) == 0
