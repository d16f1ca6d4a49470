"""Away with a deputy and months with nothing to report (SPEC 5.3), through the real HTTP app
and the Slack stand-in with signed requests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cycle.closing import close_period
from bot.cycle.steps import remind_period
from bot.ids import SKIP_ACTION, SKIP_REASON_BLOCK, open_value
from summaries.config.loader import parse_config
from summaries.periods import Month
from summaries.store.models import Department, Flag, Period
from tests.slackstandin import check_view, dm_channel, latest_view
from tests.support.botkit import Bot, sample_text
from tests.support.commandkit import ask
from tests.support.flows import EAST_VALUES, PERIOD, open_form, open_october, prompt_for, submit

OCTOBER = Month.parse(PERIOD)
CLOSE_MOMENT = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)  # 3rd business day, 18:00 in Shanghai
AWAY = """
away:
  - {manager: U0EAST, from: 2026-10-28, until: 2026-11-06, deputy: U0DEP}
"""


def dms(bot: Bot, user: str) -> list[dict[str, Any]]:
    return bot.slack.messages(dm_channel(user))


def words(message: dict[str, Any]) -> str:
    return str(message.get("text")) + str(message.get("blocks"))


def test_the_deputy_gets_the_prompt_submits_and_both_are_confirmed(
        make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(parse_config(sample_text() + AWAY))
    open_october(bot)
    prompt = prompt_for(bot, "U0DEP", "east-county")
    assert "You act for <@U0EAST>, the manager of East County Company" in words(prompt)
    assert dms(bot, "U0EAST") == []  # nothing to the manager while away

    before = len(bot.slack.ok_calls("chat.postMessage"))
    submit(bot, "U0DEP", open_form(bot, "U0DEP", "east-county"), EAST_VALUES)
    bot.slack.wait_for("chat.postMessage", before + 2)
    for user in ("U0DEP", "U0EAST"):
        [confirmation] = [m for m in dms(bot, user) if m["ts"] != prompt["ts"]]
        assert "East County Company" in words(confirmation)
        assert confirmation["text"].startswith("Summary received")

    # Handed in: the reminder round passes East County by.
    assert remind_period(bot.deps, OCTOBER, 1).ok
    assert not [m for m in dms(bot, "U0DEP") if m.get("thread_ts")]


def test_a_reminder_in_the_away_days_goes_to_the_deputy_in_a_prompt_of_their_own(
        make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    open_october(bot)  # the manager is at work: the prompt is theirs
    manager_prompt = prompt_for(bot, "U0EAST", "east-county")
    reply = ask(bot, "U0EAST", "/checkin", "away 2026-10-30 2026-11-10 <@U0DEP|dep>")
    assert "<@U0DEP> gets their check-in prompts" in words(reply)
    assert remind_period(bot.deps, OCTOBER, 1).ok
    deputy = dms(bot, "U0DEP")
    prompt = prompt_for(bot, "U0DEP", "east-county")
    [reminder] = [m for m in deputy if m.get("thread_ts") == prompt["ts"]]
    assert "You act for <@U0EAST>" in words(reminder)
    assert not [m for m in dms(bot, "U0EAST") if m.get("thread_ts") == manager_prompt["ts"]]
    assert remind_period(bot.deps, OCTOBER, 1).ok  # again: nothing twice
    assert len(dms(bot, "U0DEP")) == len(deputy)


def test_away_and_back_by_the_manager_and_by_an_admin(bot: Bot) -> None:
    set_it = ask(bot, "U0EAST", "/checkin", "away 2026-11-20 2026-12-05 <@U0DEP|deputy>")
    assert "<@U0EAST> is away from" in words(set_it)
    bot.slack.wait_for("chat.postMessage", 1)
    [notice] = dms(bot, "U0DEP")
    assert "deputy of <@U0EAST>" in words(notice)

    back = ask(bot, "U0EAST", "/checkin", "back")  # not away yet: the absence is called off
    assert "<@U0EAST> is back" in words(back)
    assert "is not away" in words(ask(bot, "U0EAST", "/checkin", "back"))

    by_admin = ask(bot, "U0OPS", "/checkin", "away 2026-10-29 2026-11-03 <@U0DEP> for <@U0WEST>")
    assert "<@U0WEST> is away from" in words(by_admin)
    assert "<@U0WEST> is back" in words(ask(bot, "U0OPS", "/checkin", "back for <@U0WEST>"))


def test_away_is_refused_to_others_and_for_bad_dates(bot: Bot) -> None:
    refused = ask(bot, "U0WEST", "/checkin", "away 2026-11-20 2026-12-05 <@U0DEP> for <@U0EAST>")
    assert "Only the manager themself or an admin" in words(refused)
    assert "no role" in words(ask(bot, "U0NOBODY", "/checkin", "away 2026-11-20 2026-12-05 "
                                                               "<@U0DEP>")).lower()
    for user, text, expected in (  # spread over managers: each may ask a few at a time
            ("U0EAST", "away 2026-13-01 2026-12-05 <@U0DEP>", "is not a date"),
            ("U0EAST", "away 2026-12-05 2026-11-20 <@U0DEP>", "comes before the first"),
            ("U0KA", "away 2026-09-01 2026-09-05 <@U0DEP>", "has passed"),
            ("U0KA", "away 2026-11-20 2026-12-05 deputy", "is not one"),
            ("U0SAFE", "away 2026-11-20 <@U0DEP>", "Give the first and last day"),
            ("U0SAFE", "away 2026-11-20 2026-12-05 <@U0SAFE>", "their own deputy")):
        assert expected in words(ask(bot, user, "/checkin", text)), text
    assert dms(bot, "U0DEP") == []


def test_the_deputy_may_not_fill_in_before_or_after_the_away_days(
        make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(parse_config(sample_text() + AWAY.replace("2026-10-28", "2026-11-02")))
    open_october(bot)
    reply = bot.driver.block_action("U0DEP", "checkin_open", open_value(PERIOD, "east-county"))
    assert reply.status == 200
    bot.slack.wait_for("views.open", 1)
    assert "Only the manager of East County Company" in str(latest_view(bot.slack, "U0DEP"))


def skip(bot: Bot, user: str, department: str, reason: str) -> Any:
    """Click "Nothing to report this month" and give ``reason`` in the modal."""
    before = len(bot.slack.ok_calls("views.open"))
    reply = bot.driver.block_action(user, SKIP_ACTION, open_value(PERIOD, department))
    assert reply.status == 200, reply.body
    bot.slack.wait_for("views.open", before + 1)
    view = latest_view(bot.slack, user)
    assert check_view(view) == []
    return bot.driver.view_submission(user, view, {SKIP_REASON_BLOCK: reason})


def test_a_month_with_nothing_to_report_is_shown_as_skipped_and_never_missing(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    assert "Nothing to report this month" in words(prompt_for(bot, "U0EAST", "east-county"))
    empty = skip(bot, "U0EAST", "east-county", "   ")
    assert empty.json["response_action"] == "errors"
    assert SKIP_REASON_BLOCK in empty.json["errors"]
    assert skip(bot, "U0EAST", "east-county", "Office closed for renovation").status == 200
    bot.slack.wait_for("chat.postMessage", 5 + 1)
    assert "nothing to report" in words(dms(bot, "U0EAST")[-1])

    status = ask(bot, "U0OPS", "/checkin", "status")
    assert "East County Company*: nothing to report: Office closed for renovation" in words(
        status)
    bot.driver.app_home_opened("U0EAST")
    bot.slack.wait_for("views.publish", 1)
    home = bot.slack.home_view("U0EAST")
    assert home is not None
    assert "Nothing to report: Office closed for renovation" in str(home)

    assert remind_period(bot.deps, OCTOBER, 1).ok
    assert not [m for m in dms(bot, "U0EAST") if m.get("thread_ts")]  # no reminder
    bot.clock.now = CLOSE_MOMENT
    assert close_period(bot.deps, OCTOBER).ok
    messages = bot.slack.messages("C0LEADERS")
    [header] = [m for m in messages if not m.get("thread_ts")]
    assert "1 nothing to report" in words(header)
    assert "nothing to report: East County Company (Office closed for renovation)" in words(
        header)
    assert "not submitted: " in words(header)
    assert "East County Company (" not in words(header).split("not submitted: ")[1].split(
        "nothing to report")[0]
    thread = [words(m) for m in messages if m.get("thread_ts") == header["ts"]]
    assert any("Nothing to report this month*: Office closed for renovation" in t
               for t in thread)
    with session_maker() as session:
        rules = session.scalars(
            select(Flag.rule).join(Department, Flag.department_id == Department.id)
            .join(Period, Flag.period_id == Period.id)
            .where(Department.key == "east-county", Period.key == PERIOD)).all()
    assert "missing" not in rules
    assert "off_pace" not in rules


def test_filling_in_after_skipping_submits_as_usual(bot: Bot) -> None:
    open_october(bot)
    skip(bot, "U0EAST", "east-county", "Nothing happened")
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"), EAST_VALUES)
    status = ask(bot, "U0EAST", "/checkin", "status")
    assert "East County Company*: submitted" in words(status)
