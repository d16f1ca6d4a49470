"""Asks carried over (SPEC 5.2) through the real bot: asks raised in September's form, one
decided by a leader, the others in October's prompt and form with their age and last reply,
withdrawn or updated there, and October's digest listing what is still open from September."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.cycle.closing import close_period
from bot.cycle.steps import open_period, remind_period
from bot.ids import CARRY_BLOCK, CARRY_UPDATE_BLOCK, open_value
from summaries.checkins.asks import act_on_ask, open_asks, read_ask
from summaries.checkins.forms import department_statuses
from summaries.checkins.submissions import record_submission
from summaries.digest.askwords import age_text
from summaries.engine.asks import Ask, AskAction, AskState
from summaries.periods import Month
from tests.slackstandin import check_message, check_view, dm_channel, latest_view
from tests.support.botkit import Bot, drain
from tests.support.flows import (
    EAST_VALUES,
    click_open,
    inputs,
    open_form,
    prompt_for,
    submit,
    text_of,
)

SEPTEMBER, OCTOBER = Month.parse("2026-09"), Month.parse("2026-10")
LEADERS = "C0LEADERS"
BACKLOG = "Fibre backlog in the north villages"
INSTALLERS = "Need two more installers"
VAN = "A new van for the <!channel> crew & its tools"
UPDATE = "Two crews are on it <!here>; done by mid-November."
# October's own summary raises an ask of its own, not one carried over.
OCTOBER_VALUES = {**EAST_VALUES, "section:problems": "A permit for the Linxi tower"}


def moment(bot: Bot, month: Month, which: str) -> datetime:
    moments = bot.deps.moments(month)
    return moments.open_at if which == "open" else moments.close_at


def september_form(bot: Bot) -> dict[str, Any]:
    """East County's September form, opened from its September prompt."""
    value = open_value(str(SEPTEMBER), "east-county")
    [prompt] = [m for m in bot.slack.messages(dm_channel("U0EAST")) if not m.get("thread_ts")
                and value in str(m.get("blocks"))]
    before = len(bot.slack.ok_calls("views.open"))
    click_open(bot, "U0EAST", "east-county", period=str(SEPTEMBER), message_ts=prompt["ts"])
    bot.slack.wait_for("views.open", before + 1)
    return latest_view(bot.slack, "U0EAST")


def raise_in_september(bot: Bot) -> dict[str, Ask]:
    """Open September, submit East County's three asks, have leadership decide one and reply
    to another, close September; the asks by their words."""
    bot.clock.now = moment(bot, SEPTEMBER, "open")
    assert open_period(bot.deps, SEPTEMBER).ok
    submit(bot, "U0EAST", september_form(bot),
           {**EAST_VALUES, "section:problems": f"{BACKLOG}\n- {INSTALLERS}\n{VAN}"})
    drain(bot)
    with bot.deps.unit_of_work() as session:
        asks = {a.text: a for a in open_asks(session, bot.deps.config, "east-county", OCTOBER)}
        assert set(asks) == {BACKLOG, INSTALLERS, VAN}
        act_on_ask(session, bot.deps.config, ask_id=_id(asks[INSTALLERS]), user="U0CEO",
                   action=AskAction.DECIDE, text="Approved: two installers from November.",
                   now=datetime(2026, 10, 2, 3, 0, tzinfo=UTC))
        act_on_ask(session, bot.deps.config, ask_id=_id(asks[VAN]), user="U0CEO",
                   action=AskAction.REPLY, text="Pricing vans <@U0OPS>, back soon.",
                   now=datetime(2026, 10, 3, 3, 0, tzinfo=UTC))
    bot.clock.now = moment(bot, SEPTEMBER, "close")
    assert close_period(bot.deps, SEPTEMBER).ok
    return asks


def _id(ask: Ask) -> int:
    assert ask.id is not None
    return ask.id


def stored(bot: Bot, ask: Ask) -> Ask:
    with bot.deps.read_only() as session:
        found = read_ask(session, bot.deps.config, _id(ask))
    assert found is not None
    return found


def header_of(bot: Bot, month: Month) -> dict[str, Any]:
    [header] = [m for m in bot.slack.messages(LEADERS) if not m.get("thread_ts") and
                (m.get("metadata") or {}).get("event_payload") == {"period": str(month)}]
    return header


def october_header(bot: Bot) -> dict[str, Any]:
    return header_of(bot, OCTOBER)


def test_open_asks_carry_over_and_are_withdrawn_or_updated_from_the_form(
        make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(started=str(SEPTEMBER))
    asks = raise_in_september(bot)
    backlog, van = asks[BACKLOG], asks[VAN]

    bot.clock.now = moment(bot, OCTOBER, "open")
    assert open_period(bot.deps, OCTOBER).ok
    prompt = prompt_for(bot, "U0EAST", "east-county")
    assert check_message(prompt) == []
    shown = text_of(prompt)
    assert BACKLOG in shown
    assert "A new van for the &lt;!channel&gt; crew &amp; its tools" in shown
    assert INSTALLERS not in shown  # decided: nothing to carry
    assert "<!channel>" not in shown
    assert "<@U0OPS>" not in shown
    assert shown.count(age_text(van, OCTOBER)) == 2  # "waiting 1 month"
    assert "Reply from <@U0CEO> (" in shown  # the leader named, whose words ping nobody
    assert "Pricing vans &lt;@U0OPS&gt;, back soon." in shown
    assert "No reply from leadership yet." in shown
    assert "2 asks of leadership still open" in prompt["text"]
    assert remind_period(bot.deps, OCTOBER, 1).ok
    [reminder] = [m for m in bot.slack.messages(dm_channel("U0EAST"))
                  if m.get("thread_ts") == prompt["ts"]]
    assert "2 of your asks of leadership are still open" in text_of(reminder)

    view = open_form(bot, "U0EAST", "east-county")
    fields = inputs(view)
    carried = [f for f in fields if f.startswith((f"{CARRY_BLOCK}:", f"{CARRY_UPDATE_BLOCK}:"))]
    assert carried == [f"carry:{backlog.id}", f"carryupdate:{backlog.id}",
                       f"carry:{van.id}", f"carryupdate:{van.id}"]
    assert list(fields).index(carried[0]) == list(fields).index("section:problems") + 1
    assert age_text(van, OCTOBER) in text_of(view)
    assert "Pricing vans" in text_of(view)

    # Closed half-way: the choices are kept as a draft and come back with the form.
    assert bot.driver.view_closed("U0EAST", view, {f"carry:{van.id}": "withdraw",
                                                   f"carryupdate:{backlog.id}": UPDATE}
                                  ).status == 200
    drain(bot)
    view = open_form(bot, "U0EAST", "east-county")
    again = inputs(view)
    assert again[f"carry:{van.id}"]["element"]["initial_option"]["value"] == "withdraw"
    assert "initial_option" not in again[f"carry:{backlog.id}"]["element"]
    assert again[f"carryupdate:{backlog.id}"]["element"]["initial_value"] == UPDATE

    # A required section left empty: refused, nothing is acted on, and the choices stay.
    reply = submit(bot, "U0EAST", view, {**OCTOBER_VALUES, "section:sales": None,
                                         f"carry:{van.id}": "withdraw"})
    assert reply.json is not None
    assert "section:sales" in reply.json["errors"]
    assert stored(bot, van).state is AskState.ACKNOWLEDGED

    september = header_of(bot, SEPTEMBER)
    assert "new van" in str(september["blocks"])
    submit(bot, "U0EAST", view, {**OCTOBER_VALUES, f"carry:{van.id}": "withdraw"})
    drain(bot)
    assert stored(bot, van).state is AskState.WITHDRAWN
    # September's posted digest follows, in place: the withdrawn ask leaves its header.
    september = header_of(bot, SEPTEMBER)
    assert "new van" not in str(september["blocks"])
    assert BACKLOG in str(september["blocks"])
    update = stored(bot, backlog).update
    assert update is not None
    assert update.text == UPDATE
    confirmation = text_of(bot.slack.messages(dm_channel("U0EAST"))[-1])
    assert "*A new van for the &lt;!channel&gt; crew &amp; its tools*: withdrawn" in confirmation
    assert f"*{BACKLOG}*: your update was added" in confirmation

    bot.clock.now = moment(bot, OCTOBER, "close")
    assert close_period(bot.deps, OCTOBER).ok
    header = october_header(bot)
    words = str(header["blocks"])
    assert "Still open from September (1)" in words
    assert BACKLOG in words
    assert "new van" not in words
    assert INSTALLERS not in words
    # The header says where it stands; the update is in East's reply in the thread.
    assert "Two crews are on it" not in words
    thread = [m for m in bot.slack.messages(LEADERS) if m.get("thread_ts") == header["ts"]]
    east = [str(m["blocks"]) for m in thread if BACKLOG in str(m.get("blocks"))]
    assert east
    assert "Two crews are on it &lt;!here&gt;; done by mid-November." in east[0]

def test_a_forged_ask_of_another_department_is_ignored_and_the_summary_kept(
        make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(started=str(SEPTEMBER))
    asks = raise_in_september(bot)
    bot.clock.now = moment(bot, SEPTEMBER, "open")  # West raises one in September too
    with bot.deps.unit_of_work() as session:
        record_submission(session, bot.deps.config, period=str(SEPTEMBER),
                          department="west-county", user="U0WEST",
                          answers={"sales": "Fine", "problems": "West's own ask"}, figures={},
                          now=bot.clock.now)
        [west] = open_asks(session, bot.deps.config, "west-county", OCTOBER)
    bot.clock.now = moment(bot, OCTOBER, "open")
    assert open_period(bot.deps, OCTOBER).ok
    view = open_form(bot, "U0EAST", "east-county")
    # East's manager copies their own choice's block and points it at West's ask.
    mine = inputs(view)[f"carry:{asks[BACKLOG].id}"]
    forged = {**view, "blocks": [*view["blocks"], {**mine, "block_id": f"carry:{west.id}"}]}
    assert check_view(forged) == []
    submit(bot, "U0EAST", forged, {**EAST_VALUES, f"carry:{west.id}": "withdraw"})
    drain(bot)
    assert stored(bot, west).state is AskState.OPEN
    with bot.deps.read_only() as session:
        [east] = department_statuses(session, bot.deps.config, OCTOBER, ["east-county"])
    assert east.submitted
