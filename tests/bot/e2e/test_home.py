"""The App Home tab, opened through the real HTTP app: what managers, leaders and others see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.deps import Deps
from bot.ids import OPEN_ACTION, open_value
from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.store.figures import get_or_create_period
from tests.slackstandin import check_view, latest_view
from tests.support.botkit import Bot, drain, sample_text
from tests.support.flows import (
    EAST_VALUES,
    PERIOD,
    inputs,
    open_form,
    open_october,
    seed_figures,
    submit,
    text_of,
)

NAMES = {"key-accounts": "Key Account Division", "marketing": "Marketing Department",
         "east-county": "East County Company", "west-county": "West County Company",
         "safety": "Safety and Environment Office"}


def open_home(bot: Bot, user: str) -> dict[str, Any]:
    """Send ``app_home_opened`` for ``user`` and return the view published (checked)."""
    before = len(published_for(bot, user))
    reply = bot.driver.app_home_opened(user)
    assert reply.status == 200, reply.body
    # Other people's homes may be republished meanwhile (after a submission): wait for theirs.
    count = len(bot.slack.ok_calls("views.publish"))
    while len(published_for(bot, user)) <= before:
        count += 1
        bot.slack.wait_for("views.publish", count)
    view = bot.slack.home_view(user)
    assert view is not None
    assert check_view(view) == []
    return view


def published_for(bot: Bot, user: str) -> list[Any]:
    """The successful ``views.publish`` calls for ``user``'s home."""
    return [c for c in bot.slack.ok_calls("views.publish") if c.params.get("user_id") == user]


def buttons(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The view's buttons, as accessories or in actions blocks."""
    found = []
    for block in view["blocks"]:
        for element in [block.get("accessory"), *(block.get("elements") or [])]:
            if isinstance(element, dict) and element.get("type") == "button":
                found.append(element)
    return found


def test_manager_fills_in_from_home_and_then_sees_submitted_with_edit(bot: Bot) -> None:
    open_october(bot)
    home = open_home(bot, "U0EAST")
    text = text_of(home)
    assert "East County Company" in text
    assert ":hourglass_flowing_sand: Not started" in text
    fill, nothing = buttons(home)
    assert fill["text"]["text"] == "Fill in"
    assert fill["value"] == open_value(PERIOD, "east-county")
    assert nothing["text"]["text"] == "Nothing to report this month"  # until it is submitted

    reply = bot.driver.block_action("U0EAST", OPEN_ACTION, fill["value"], container="view",
                                    view=home)
    assert reply.status == 200, reply.body
    bot.slack.wait_for("views.open", 1)
    form = latest_view(bot.slack, "U0EAST")
    assert check_view(form) == []
    assert {"section:sales", "kpi:revenue"} <= set(inputs(form))
    assert submit(bot, "U0EAST", form, EAST_VALUES).body == ""
    bot.slack.wait_for("chat.postMessage", 5 + 1)  # the confirmation

    home = open_home(bot, "U0EAST")
    assert ":white_check_mark: Submitted Oct 30" in text_of(home)
    [edit] = buttons(home)
    assert edit["text"]["text"] == "Edit"
    assert edit["value"] == open_value(PERIOD, "east-county")


def test_the_submission_day_is_the_organizations_day(bot: Bot) -> None:
    bot.clock.now = datetime(2026, 10, 30, 17, 0, tzinfo=UTC)  # Sat 31 Oct, 01:00 in Shanghai
    open_october(bot)
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"), EAST_VALUES)
    bot.slack.wait_for("chat.postMessage", 5 + 1)
    assert ":white_check_mark: Submitted Oct 31" in text_of(open_home(bot, "U0EAST"))


def test_manager_sees_last_three_months_of_kpis_against_target(bot: Bot) -> None:
    seed_figures(bot.deps, "kpi,department,month,value\n"
                 "revenue,east-county,2026-08,2310000\n"
                 "revenue,east-county,2026-09,2390000\n"
                 "revenue,west-county,2026-09,1777000\n")
    open_october(bot)
    text = text_of(open_home(bot, "U0EAST"))
    [revenue] = [line for line in text.splitlines() if line.startswith("*Business income*")]
    assert "August 2026: 2,310,000 CNY" in revenue
    assert "September 2026: 2,390,000 CNY" in revenue
    assert "October 2026: \u2014 / 2,400,000 CNY" in revenue
    assert "1,777,000" not in text  # West County's figures are not East County's business


@pytest.mark.parametrize("user", ["U0CEO", "U0OPS"])
def test_leaders_and_admins_see_every_department(bot: Bot, user: str) -> None:
    open_october(bot)
    submit(bot, "U0WEST", open_form(bot, "U0WEST", "west-county"),
           {**EAST_VALUES, "kpi:revenue": "1800000"})
    home = open_home(bot, user)
    assert buttons(home) == []  # they manage no department
    text = text_of(home)
    assert "*All departments* \u00b7 1 of 5 submitted" in text
    lines = [line for line in text.splitlines() if "(<@U0" in line]
    assert len(lines) == 5
    for key, name in NAMES.items():
        [line] = [line for line in lines if name in line]
        manager = bot.deps.config.department_by_key[key].manager
        assert f"(<@{manager}>)" in line
        done = key == "west-county"
        assert (":white_check_mark: Submitted" in line) is done, line


def test_manager_sees_only_their_department_and_a_stranger_sees_no_role(bot: Bot) -> None:
    open_october(bot)
    text = text_of(open_home(bot, "U0EAST"))
    assert "All departments" not in text
    others = [name for key, name in NAMES.items() if key != "east-county" and name in text]
    assert others == []
    home = open_home(bot, "U0NOBODY")
    stranger = text_of(home)
    assert "You have no role in the monthly check-in" in stranger
    assert buttons(home) == []
    assert not [name for name in NAMES.values() if name in stranger]


def test_before_the_open_home_says_none_is_open_and_when_the_next_opens(bot: Bot) -> None:
    bot.clock.now = datetime(2026, 10, 15, 2, 0, tzinfo=UTC)
    home = open_home(bot, "U0EAST")
    text = text_of(home)
    assert "No check-in is open right now." in text
    # 2026-10 opens on its last business day, Fri 30 Oct, at 09:00 in Asia/Shanghai.
    opens = int(datetime(2026, 10, 30, 1, 0, tzinfo=UTC).timestamp())
    assert f"The next one opens <!date^{opens}^" in text
    assert buttons(home) == []


def test_a_retried_home_event_publishes_once(bot: Bot) -> None:
    open_october(bot)
    first = bot.driver.app_home_opened("U0EAST", event_id="Ev0HOME0001")
    assert first.status == 200
    bot.slack.wait_for("views.publish", 1)
    again = bot.driver.app_home_opened("U0EAST", event_id="Ev0HOME0001", retry_num=1)
    assert again.status == 200
    other = bot.driver.app_home_opened("U0EAST", event_id="Ev0HOME0002")
    assert other.status == 200
    bot.slack.wait_for("views.publish", 2)
    drain(bot)  # a wrongly handled retry would have been handled by now
    assert len(bot.slack.calls_to("views.publish")) == 2


def big_config(departments: int, manager: Callable[[int], str]) -> Config:
    """The sample configuration with ``departments`` generated departments instead."""
    head, _, rest = sample_text().partition("departments:\n")
    _, _, rules = rest.partition("rules:\n")
    lines = [f"  - {{key: d{n:03d}, name: 'Branch {n:03d} of <the> East & West', "
             f"manager: {manager(n)}, kpis: [revenue]}}" for n in range(departments)]
    return parse_config(head + "departments:\n" + "\n".join(lines)
                        + "\ntargets: []\nrules:\n" + rules)


def open_quietly(deps: Deps) -> None:
    """Mark 2026-10 open without sending hundreds of prompts."""
    with deps.unit_of_work() as session:
        get_or_create_period(session, PERIOD).state = "open"


@pytest.mark.parametrize(("departments", "user"), [(300, "U0BIG"), (600, "U0CEO")])
def test_a_large_organization_fits_the_home_without_dropping_anyone(
        make_bot: Callable[..., Bot], departments: int, user: str) -> None:
    bot = make_bot(big_config(departments, lambda n: "U0BIG" if user == "U0BIG"
                              else f"U0M{n:03d}"))
    open_quietly(bot.deps)
    home = open_home(bot, user)
    assert len(home["blocks"]) <= 100
    text = text_of(home)
    missing = [n for n in range(departments)
               if f"Branch {n:03d} of &lt;the&gt; East &amp; West" not in text]
    assert missing == []
    assert "<the>" not in text
    if user == "U0BIG":
        values = {b["value"] for b in buttons(home)}
        assert values == {open_value(PERIOD, f"d{n:03d}") for n in range(departments)}
    else:
        assert f"0 of {departments} submitted" in text


def test_home_refreshes_itself_after_a_submission(bot: Bot) -> None:
    open_october(bot)
    assert "Not started" in text_of(open_home(bot, "U0EAST"))
    published = len(bot.slack.ok_calls("views.publish"))
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"), EAST_VALUES)
    bot.slack.wait_for("views.publish", published + 1)
    home = bot.slack.home_view("U0EAST")
    assert home is not None
    assert "Submitted" in text_of(home)
