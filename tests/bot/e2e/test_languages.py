"""Each person reads in their own Slack language (SPEC 11), through the real HTTP app and the
stand-in: in one workspace whose organization writes English, a manager whose Slack locale is
zh-CN gets the prompt, the form, the confirmation, App Home and /kpi in Chinese, while a
manager whose locale is en-US gets them in English."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from summaries.config.loader import parse_config
from tests.slackstandin import dm_channel
from tests.support.botkit import Bot, drain, sample_text
from tests.support.commandkit import ask
from tests.support.flows import EAST_VALUES, open_form, open_october, prompt_for, submit, text_of

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Words of the English surfaces that must not reach the Chinese reader (department and KPI
# names are the configuration's, in English here, and are shown as they are).
ENGLISH = re.compile(r"\b(?:monthly check-in|Please|Summary received|Submit|Cancel|Due|"
                     r"Last month|target|submitted|draft)\b", re.IGNORECASE)


@pytest.fixture
def bot(make_bot: Callable[..., Bot]) -> Bot:
    bot = make_bot(parse_config(sample_text()))
    bot.slack.set_locale("U0EAST", "zh-CN")
    bot.slack.set_locale("U0WEST", "en-US")
    return bot


def words(payload: dict[str, Any]) -> str:
    """Everything a person reads of a message or view: its blocks' texts, title, buttons,
    labels and hints, and the notification text."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                elif key not in ("action_id", "block_id", "value", "callback_id",
                                 "private_metadata", "url", "image_url"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(payload)
    return "\n".join(found)


def assert_chinese(text: str) -> None:
    assert CHINESE.search(text), text
    left = ENGLISH.findall(text)
    assert not left, (left, text)


# Words of the Chinese surfaces (an English hint may still show 万 as a unit people type).
CHINESE_WORDS = re.compile(r"月度汇报|工作总结|提交|截止|指标|请示|部门")


def assert_english(text: str) -> None:
    assert re.search(r"\b(?:the|your|of|KPI|check-in)\b", text, re.IGNORECASE), text
    assert not CHINESE_WORDS.search(text), text


def test_the_managers_month_is_in_each_ones_language(bot: Bot) -> None:
    open_october(bot)
    assert_chinese(words(prompt_for(bot, "U0EAST", "east-county")))
    assert_english(words(prompt_for(bot, "U0WEST", "west-county")))

    chinese_form, english_form = open_form(bot, "U0EAST", "east-county"), open_form(
        bot, "U0WEST", "west-county")
    assert_chinese(words(chinese_form))
    assert_english(words(english_form))
    assert len(chinese_form["title"]["text"]) <= 24

    submit(bot, "U0EAST", chinese_form, EAST_VALUES)
    submit(bot, "U0WEST", english_form, {**EAST_VALUES, "kpi:revenue": "1800000"})
    drain(bot)
    east = bot.slack.messages(dm_channel("U0EAST"))[-1]
    west = bot.slack.messages(dm_channel("U0WEST"))[-1]
    assert_chinese(east["text"] + words(east))
    assert "Summary received" in west["text"]
    assert_english(west["text"] + words(west))


def test_home_and_kpi_answer_in_each_ones_language(bot: Bot) -> None:
    for user, check in (("U0EAST", assert_chinese), ("U0WEST", assert_english)):
        before = len(bot.slack.ok_calls("views.publish"))
        assert bot.driver.app_home_opened(user).status == 200
        bot.slack.wait_for("views.publish", before + 1)
        home = bot.slack.home_view(user)
        assert home is not None
        check(words(home))
        check(text_of(ask(bot, user, "/kpi", "")))


def test_the_leadership_channel_reads_the_organizations_language(bot: Bot) -> None:
    bot.slack.set_locale("U0CEO", "zh-CN")
    open_october(bot)
    drain(bot)
    answer = ask(bot, "U0CEO", "/kpi", "")
    assert_chinese(text_of(answer))
    assert not [m for m in bot.slack.messages("C0LEADERS") if CHINESE.search(words(m))]
