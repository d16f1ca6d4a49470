"""A configuration whose every text is as long as the file allows and full of Slack markup:
every surface still fits Slack's limits and pings nobody."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import yaml

from bot.cycle.closing import close_period
from bot.cycle.steps import remind_period
from summaries.config.fields import MAX_HINT, MAX_NAME, MAX_TITLE, MAX_UNIT
from summaries.config.loader import parse_config
from summaries.config.schema import Config
from tests.bot.e2e.test_digest_cycle import CLOSE_MOMENT, OCTOBER
from tests.slackstandin import check_message, check_view
from tests.support.botkit import Bot, sample_text
from tests.support.flows import open_form, open_october, submit

MARKUP = "<!here> <@U0CEO> & <#C0X>"


def hostile(length: int, seed: str) -> str:
    """``seed`` with Slack markup, padded to ``length`` characters."""
    text = f"{seed} {MARKUP} "
    return (text + "x" * length)[:length]


def hostile_config() -> Config:
    data = yaml.safe_load(sample_text())
    organization = data["organization"]
    organization["name"] = hostile(MAX_TITLE, organization["name"])
    for section in data["sections"]:
        section["title"] = hostile(MAX_TITLE, section["title"])
        if section.get("hint"):
            section["hint"] = hostile(MAX_HINT, section["hint"])
    for kpi in data["kpis"]:
        kpi["name"] = hostile(MAX_NAME, kpi["name"])
        if kpi.get("unit") and kpi["unit"] != "%":
            kpi["unit"] = hostile(MAX_UNIT, kpi["unit"][:3])
    for department in data["departments"]:
        department["name"] = hostile(MAX_NAME, department["name"])
    return parse_config(yaml.safe_dump(data, allow_unicode=True))


def mrkdwn_texts(node: Any) -> list[str]:
    """Every mrkdwn text in a message or view, and the plain fallback ``text``."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            found.append(node["text"])
        for value in node.values():
            found += mrkdwn_texts(value)
    elif isinstance(node, list):
        for value in node:
            found += mrkdwn_texts(value)
    return found


def test_every_surface_fits_and_escapes_a_hostile_configuration(
        make_bot: Callable[..., Bot]) -> None:
    config = hostile_config()
    assert max(len(d.name) for d in config.departments) == MAX_NAME
    assert max(len(k.unit) for k in config.kpis) == MAX_UNIT
    bot = make_bot(config)
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    submit(bot, "U0EAST", view, {"section:sales": "Sold <!channel> & more",
                                 "kpi:revenue": "2500000", "kpi:arrears_recovery": "97.5",
                                 "section:problems": "Need <@U0CEO> now"})
    assert remind_period(bot.deps, OCTOBER, 1).ok
    for user in ("U0EAST", "U0CEO"):
        assert bot.driver.app_home_opened(user).status == 200
    replies: list[dict[str, Any]] = []
    asks = [("U0CEO", "/kpi", t) for t in ("", "revenue", "revenue trend", "revenue ytd",
                                           "churn", "revenue nowhere <!here>", "rev")]
    asks += [("U0CEO", "/checkin", t) for t in ("status", "help", "reopen")]
    asks += [("U0EAST", "/kpi", "revenue safety"), ("U0EAST", "/checkin", "open")]
    for user, command, text in asks:
        reply = bot.driver.command(user, command, text)
        assert reply.status == 200
        replies += [reply.json] if reply.json else []
    bot.clock.now = CLOSE_MOMENT
    report = close_period(bot.deps, OCTOBER)
    assert report.ok, report.failed

    assert [c.method for c in bot.slack.calls if not c.ok] == []
    messages = list(bot.slack.messages())
    assert len(messages) > 10
    views = bot.slack.views() + [v for u in ("U0EAST", "U0CEO")
                                 if (v := bot.slack.home_view(u)) is not None]
    for message in messages:
        assert check_message(message) == [], message
    for shown in views:
        assert check_view(shown) == [], shown
    for reply in replies:
        assert check_message(reply) == [], reply
    surfaces = messages + views + replies + [c.params for c in bot.slack.calls
                                             if c.method == "response_url"]
    for surface in surfaces:
        for text in [*mrkdwn_texts(surface), str(surface.get("text") or "")]:
            assert "<!here" not in text, text
            assert "<!channel" not in text, text
            assert "<@U0CEO>" not in text, text
            assert "<#C0X>" not in text, text
    assert "&lt;!here&gt;" in json.dumps(surfaces)
