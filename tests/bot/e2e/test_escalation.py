"""Reminders that escalate, on the scheduler's clock against the stand-in: each names the time
left and what the draft lacks, the close-day one copies the parent's manager (with
``schedule.escalate``), and at the close each manager without a summary is told once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.cycle.closing import close_period
from bot.cycle.scheduler import reconcile
from bot.cycle.steps import remind_period
from summaries.checkins.submissions import save_draft
from summaries.config.loader import parse_config
from summaries.periods import Month
from tests.bot.e2e.test_scheduler import at, posts, prompts, replies
from tests.slackstandin import check_message, dm_channel
from tests.support.botkit import Bot, sample_text
from tests.support.flows import EAST_VALUES, PERIOD, open_form, submit

OCTOBER = Month.parse(PERIOD)
# Key Accounts with nine sections and five figures to type in (its sixth KPI is derived).
NINE_AND_FIVE = {
    "  - {key: plan, title: Plan for next month}":
        "  - {key: plan, title: Plan for next month}\n  - {key: risks, title: Risks ahead}",
    "kpis: [revenue, fixed_lines, phs_sets, broadband_a, customers, churn_rate, "
    "revenue_per_customer]":
        "kpis: [revenue, fixed_lines, phs_sets, customers, churn_rate, revenue_per_customer]",
}
ESCALATE = {"  late_until_days: 10": "  late_until_days: 10\n  escalate: true"}
HALF = {"section:market": "Steady", "section:sales": "Two deals", "section:products": "-",
        "section:customers": "Three new", "section:activities": "Fair", "section:team": "Hired",
        "section:problems": "", "kpi:revenue": "5000000", "kpi:fixed_lines": "120",
        "kpi:phs_sets": "  ", "kpi:customers": "30"}


def bot_with(make_bot: Callable[..., Bot], **replacements: str) -> Bot:
    return make_bot(parse_config(sample_text(**replacements)))


def copies(bot: Bot, user: str) -> list[dict[str, Any]]:
    """The close-day copies in ``user``'s DM."""
    return [m for m in prompts(bot, user) if m["text"].startswith("For your information")]


def notes(bot: Bot, user: str) -> list[dict[str, Any]]:
    """The close's "went out without you" notes in ``user``'s DM."""
    return [m for m in prompts(bot, user) if "digest went out without" in m["text"]]


def test_the_two_reminders_differ_and_say_what_the_draft_lacks(
        make_bot: Callable[..., Bot]) -> None:
    bot = bot_with(make_bot, **NINE_AND_FIVE)
    at(bot, 2026, 10, 30, 9, 0)
    assert reconcile(bot.deps) == [("open", PERIOD, True)]
    with bot.deps.unit_of_work() as session:
        save_draft(session, bot.deps.config, period=PERIOD, department="key-accounts",
                   user="U0KA", values=HALF, now=bot.clock.now)
    at(bot, 2026, 11, 2, 10, 0)
    assert reconcile(bot.deps) == [("remind1", PERIOD, True)]
    at(bot, 2026, 11, 4, 10, 0)  # close day, 8 hours before the close
    assert reconcile(bot.deps) == [("remind2", PERIOD, True)]

    first, second = replies(bot, "U0KA")
    lacks = "3 of 9 sections and 2 of 5 figures still empty."
    assert first["text"] == ("Reminder: the October 2026 summary of Key Account Division is "
                             f"due in 2 days, Wed, Nov 4, 18:00. {lacks}")
    assert second["text"] == ("Last reminder: the October 2026 summary of Key Account "
                              f"Division is due in 8 hours, today 18:00. {lacks}")
    assert "due in 8 hours, <!date^" in second["blocks"][0]["text"]["text"]
    assert lacks in second["blocks"][0]["text"]["text"]
    assert all(check_message(m) == [] for m in (first, second))
    # Untouched: every field is still empty.
    [_, untouched] = replies(bot, "U0SAFE")
    assert "4 of 4 sections and 1 of 1 figure still empty." in untouched["text"]


def test_on_close_day_the_parent_manager_gets_one_copy_without_a_form_button(
        make_bot: Callable[..., Bot]) -> None:
    bot = bot_with(make_bot, **ESCALATE)
    at(bot, 2026, 10, 30, 9, 0)
    reconcile(bot.deps)
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"), EAST_VALUES)
    bot.slack.wait_for("chat.postMessage", 6)  # the prompts and East's confirmation
    at(bot, 2026, 11, 2, 10, 0)
    assert reconcile(bot.deps) == [("remind1", PERIOD, True)]
    assert copies(bot, "U0MKT") == []  # not before close day

    at(bot, 2026, 11, 4, 10, 0)
    assert reconcile(bot.deps) == [("remind2", PERIOD, True)]
    [copy] = copies(bot, "U0MKT")  # West is waiting; East submitted
    assert copy["text"].startswith("For your information: the October 2026 summary of West "
                                   "County Company is not in yet, and it is due in 8 hours, "
                                   "today 18:00.")
    body = copy["blocks"][0]["text"]["text"]
    assert "<@U0WEST>" in body
    assert "*Marketing Department*" in body
    assert "actions" not in str(copy["blocks"])
    assert "accessory" not in copy["blocks"][0]
    assert check_message(copy) == []
    # Top-level departments have no parent to tell; nobody else got a copy.
    assert all(copies(bot, u) == [] for u in ("U0KA", "U0EAST", "U0WEST", "U0SAFE"))

    before = posts(bot)
    assert remind_period(bot.deps, OCTOBER, 2).ok  # run again by hand: nothing new
    assert posts(bot) == before
    assert len(copies(bot, "U0MKT")) == 1


def test_without_escalate_nobody_gets_a_copy(make_bot: Callable[..., Bot]) -> None:
    bot = bot_with(make_bot)
    at(bot, 2026, 10, 30, 9, 0)
    reconcile(bot.deps)
    at(bot, 2026, 11, 4, 10, 0)
    reconcile(bot.deps)
    assert copies(bot, "U0MKT") == []


def test_at_the_close_each_non_submitter_is_told_once(make_bot: Callable[..., Bot]) -> None:
    bot = bot_with(make_bot)
    at(bot, 2026, 10, 30, 9, 0)
    reconcile(bot.deps)
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"), EAST_VALUES)
    bot.slack.wait_for("chat.postMessage", 6)
    at(bot, 2026, 11, 4, 18, 0)
    assert reconcile(bot.deps) == [("close", PERIOD, True)]

    assert notes(bot, "U0EAST") == []
    for user in ("U0KA", "U0MKT", "U0WEST", "U0SAFE"):
        [note] = notes(bot, user)
        assert note["text"].endswith("a late summary is taken until Sat, Nov 14, 18:00.")
        [button] = [note["blocks"][0]["accessory"]]
        assert button["action_id"] == "checkin_open"
        assert PERIOD in button["value"]
        assert check_message(note) == []

    before = posts(bot)
    assert close_period(bot.deps, OCTOBER).ok  # the close again, by hand
    assert reconcile(bot.deps) == []
    assert posts(bot) == before
    # The reminders were stale by then: the prompt and the note.
    assert len(bot.slack.messages(dm_channel("U0KA"))) == 2
