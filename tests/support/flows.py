"""Steps of the check-in conversation, as a manager takes them, for the end-to-end tests."""

from __future__ import annotations

from typing import Any

from bot.cycle.steps import open_period
from bot.deps import Deps
from bot.ids import OPEN_ACTION, open_value
from summaries.imports.importers import import_figures
from summaries.periods import Month
from tests.slackstandin import Reply, check_view, dm_channel, latest_view
from tests.support.botkit import Bot

PERIOD = "2026-10"


def open_october(bot: Bot) -> None:
    """Open 2026-10 and check every prompt went out."""
    report = open_period(bot.deps, Month.parse(PERIOD))
    assert report.ok, report.failed


def prompt_for(bot: Bot, user: str, department: str) -> dict[str, Any]:
    """The prompt message ``user`` got for ``department``."""
    value = open_value(PERIOD, department)
    for message in bot.slack.messages(dm_channel(user)):
        for block in message.get("blocks") or []:
            for element in block.get("elements") or []:
                if element.get("value") == value and not message.get("thread_ts"):
                    return message
    raise AssertionError(f"no prompt for {department} in {user}'s DM")


def click_open(bot: Bot, user: str, department: str, *, period: str = PERIOD,
               message_ts: str | None = None, channel: str | None = None) -> Reply:
    """Click ``checkin_open`` for ``department``; returns the bot's HTTP reply."""
    return bot.driver.block_action(user, OPEN_ACTION, open_value(period, department),
                                   channel=channel, message_ts=message_ts)


def open_form(bot: Bot, user: str, department: str) -> dict[str, Any]:
    """Click the prompt's button and return the modal that opened (checked like Slack does)."""
    before = len(bot.slack.ok_calls("views.open"))
    message = prompt_for(bot, user, department)
    reply = click_open(bot, user, department, message_ts=message["ts"])
    assert reply.status == 200, reply.body
    bot.slack.wait_for("views.open", before + 1)
    view = latest_view(bot.slack, user)
    assert check_view(view) == []
    return view


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The view's input blocks by block_id."""
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def submit(bot: Bot, user: str, view: dict[str, Any], values: dict[str, str | None]) -> Reply:
    reply = bot.driver.view_submission(user, view, values)
    assert reply.status == 200, reply.body
    return reply


EAST_VALUES: dict[str, str | None] = {
    "section:sales": "Collected 98% of billed revenue; two <!channel> key deals closed.",
    "section:problems": "Fibre backlog in the north villages\nNeed two more installers",
    "kpi:revenue": "2450000",
    "kpi:arrears_recovery": "97.5",
}


def text_of(view: dict[str, Any]) -> str:
    """A view's or message's block texts (headers, sections, fields, context; not button labels)."""
    out: list[str] = []
    for block in view["blocks"]:
        texts = [block.get("text"), *(block.get("fields") or [])]
        if block["type"] == "context":
            texts += block["elements"]
        out += [t["text"] for t in texts if isinstance(t, dict) and "text" in t]
    return "\n".join(out)


def seed_figures(deps: Deps, csv: str) -> None:
    """Import ``kpi,department,month,value`` rows as history, committed."""
    with deps.unit_of_work() as session:
        import_figures(session, deps.config, csv, filename="history.csv", by="U0OPS")
