"""``schedule.local_time``: prompts and reminders at the configured time of day in each
manager's own Slack time zone (users.info on the stand-in), once each across a restart; the
close stays at the organization's time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.cycle.scheduler import LEADER_JOB, PLAN_JOB, RECONCILE_JOB, CycleScheduler, reconcile
from summaries.config.loader import parse_config
from tests.bot.e2e.test_scheduler import MANAGERS, PERIOD, SHANGHAI, at, prompts, replies
from tests.support.botkit import Bot, sample_text

LOCAL = {"  late_until_days: 10": "  late_until_days: 10\n  local_time: true"}
BERLIN = "U0EAST"  # Europe/Berlin: 09:00 there on 30 October is 16:00 in Shanghai


def start(make_bot: Callable[..., Bot]) -> Bot:
    """A bot (a new process: its own clients and time-zone cache) on the shared database."""
    bot = make_bot(parse_config(sample_text(**LOCAL)))
    bot.slack.set_timezone(BERLIN, "Europe/Berlin")
    for user in ("U0KA", "U0MKT", "U0WEST"):
        bot.slack.set_timezone(user, "Asia/Shanghai")
    return bot  # U0SAFE has no zone in Slack: the organization's is used


def test_each_manager_is_prompted_at_nine_their_time_once_across_a_restart(
        make_bot: Callable[..., Bot]) -> None:
    bot = start(make_bot)
    at(bot, 2026, 10, 30, 9, 0)
    assert reconcile(bot.deps) == [("open@+0800", PERIOD, True)]
    assert [len(prompts(bot, user)) for user in MANAGERS] == [1, 1, 0, 1, 1]
    assert reconcile(bot.deps) == []

    bot = start(make_bot)  # restarted between the two moments
    at(bot, 2026, 10, 30, 15, 59)
    assert reconcile(bot.deps) == []
    at(bot, 2026, 10, 30, 16, 0)
    assert reconcile(bot.deps) == [("open@+0100", PERIOD, True)]
    assert reconcile(bot.deps) == []
    assert [len(prompts(bot, user)) for user in MANAGERS] == [1, 1, 1, 1, 1]

    # Reminders likewise: 10:00 in Shanghai, then 10:00 in Berlin (17:00 in Shanghai).
    at(bot, 2026, 11, 2, 10, 0)
    assert reconcile(bot.deps) == [("remind1@+0800", PERIOD, True)]
    assert replies(bot, BERLIN) == []
    at(bot, 2026, 11, 2, 17, 0)
    assert reconcile(bot.deps) == [("remind1@+0100", PERIOD, True)]
    [reminder] = replies(bot, BERLIN)
    # Its fallback reads the deadline (18:00 in Shanghai) in the reader's zone.
    assert "due in 2 days, Wed, Nov 4, 11:00." in reminder["text"]
    assert [len(replies(bot, user)) for user in MANAGERS] == [1, 1, 1, 1, 1]
    assert len(bot.slack.calls_to("users.info")) <= 2 * len(MANAGERS)  # cached per process


def test_the_scheduler_plans_a_job_per_offset_and_the_close_at_the_organizations_time(
        make_bot: Callable[..., Bot]) -> None:
    bot = start(make_bot)
    at(bot, 2026, 10, 30, 8, 0)
    cycle = CycleScheduler(bot.deps)
    cycle.start(paused=True)
    try:
        jobs = {job.id: job.next_run_time for job in cycle.scheduler.get_jobs()
                if job.id not in (RECONCILE_JOB, LEADER_JOB, PLAN_JOB)}
    finally:
        cycle.stop()
    october = {key.removeprefix("checkin:2026-10:"): moment for key, moment in jobs.items()
               if key.startswith("checkin:2026-10:")}
    assert october == {
        "open@+0800": datetime(2026, 10, 30, 9, 0, tzinfo=SHANGHAI),
        "open@+0100": datetime(2026, 10, 30, 8, 0, tzinfo=UTC),
        "remind1@+0800": datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI),
        "remind1@+0100": datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        "remind2@+0800": datetime(2026, 11, 4, 10, 0, tzinfo=SHANGHAI),
        "remind2@+0100": datetime(2026, 11, 4, 9, 0, tzinfo=UTC),
        "close": datetime(2026, 11, 4, 18, 0, tzinfo=SHANGHAI),
    }
