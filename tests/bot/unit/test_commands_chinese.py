"""``/checkin``, the asks of leadership and the cycle's replies in the reader's language (SPEC
11): inside ``speaking("zh")`` every word is Chinese but codes, commands and what people
typed; outside it, the English of old."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.blocks.admin import (
    help_message,
    no_role_message,
    not_allowed,
    period_words,
    picker_message,
    reopened_message,
    status_message,
    usage_line,
)
from bot.blocks.asklist import AskWords, asks_message, home_asks
from bot.blocks.askmodals import answer_view, assign_view, full_view
from bot.blocks.asks import ask_menu, header_ask_blocks, reply_ask_blocks
from bot.blocks.carried import carried_lines, form_asks, prompt_asks
from bot.cycle.manual import NoOpenPeriod, summary
from bot.outbox.delivery import DeliveryReport
from bot.throttle import too_fast
from summaries.access import Viewer
from summaries.checkins.asks import ended_message
from summaries.checkins.forms import Carried, DepartmentStatus
from summaries.config.loader import parse_config
from summaries.digest.header import AskLine
from summaries.engine.asks import Ask, AskAction, AskState, Event
from summaries.errors import DomainError
from summaries.i18n import speaking
from summaries.lookup.matching import Named, find_one
from summaries.periods import Month

AT = datetime(2026, 11, 5, 3, 0, tzinfo=UTC)
OCT, NOV = Month(2026, 10), Month(2026, 11)
CONFIG = parse_config("""
organization: {name: 北田电信, timezone: Asia/Shanghai, locale: zh, currency: CNY,
               leaders: [U0CEO], admins: [U0OPS], leadership_channel: C0LEADERS}
sections: [{key: asks, title: 请示事项, raises: true}]
kpis: [{key: revenue, name: 业务收入, unit: CNY}]
departments:
  - {key: east, name: 东城县公司, manager: U0EAST, kpis: [revenue]}
  - {key: west, name: 西城县公司, manager: U0WEST, kpis: [revenue]}
""")
# What may stay Latin in a Chinese reply: codes, commands and formats a person types.
CODES = {"YYYY", "MM", "DD", "xlsx", "csv", "Slack", "east", "west", "revenue", "for", "open",
         "all", "remind", "close", "status", "edit", "asks", "skip", "away", "back", "reopen",
         "export", "help", "kpi", "checkin", "ytd", "trend"}


def leftover_english(text: str) -> list[str]:
    """Latin words left in ``text`` outside code spans, Slack's <...> tokens and :emoji:."""
    text = re.sub(r"`[^`]*`|<[^>]*>|:[a-z_]+:", " ", text)
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in CODES]


def texts(value: Any) -> str:
    """Every string inside a message, view or block list."""
    if isinstance(value, dict):
        return "\n".join(texts(v) for k, v in value.items()
                         if k not in ("type", "action_id", "block_id", "value", "callback_id",
                                      "private_metadata", "style", "initial_user"))
    if isinstance(value, list | tuple):
        return "\n".join(texts(v) for v in value)
    return value if isinstance(value, str) else ""


def chinese(value: Any) -> str:
    found = texts(value)
    assert re.search(r"[\u4e00-\u9fff]", found), found
    assert leftover_english(found) == [], (leftover_english(found), found)
    return found


def ask(state: AskState = AskState.OPEN, *history: Event, text: str = "需要增加两名安装工人",
        ask_id: int | None = 7) -> Ask:
    raised = Event(AskAction.RAISE, "U0EAST", AT, None, AskState.OPEN)
    return Ask("east", "请示事项", text, f"asks:{ask_id}", ask_id, "2026-10", state, None,
               (raised, *history))


def decided() -> Ask:
    return ask(AskState.DECIDED, Event(AskAction.DECIDE, "U0CEO", AT, AskState.OPEN,
                                       AskState.DECIDED, "同意，下周到岗"))


ADMIN = Viewer("U0OPS", "admin", (), frozenset({"east", "west"}))
STATUSES = [DepartmentStatus(CONFIG.department_by_key["east"], "late", AT, True),
            DepartmentStatus(CONFIG.department_by_key["west"], None, None, False)]


@pytest.mark.parametrize("role", ["manager", "leader", "admin"])
def test_help_speaks_chinese_with_chinese_placeholders(role: str) -> None:
    who = Viewer("U0X", role, (), frozenset())  # type: ignore[arg-type]
    with speaking("zh"):
        found = chinese(help_message("/checkin", who, "北田电信"))
        usage = usage_line("/checkin", role)
    assert "月度汇报" in found
    assert "<department>" not in found
    assert "@deputy" not in usage
    if role == "admin":
        assert "`/checkin reopen <部门> [YYYY-MM]`：允许负责人重新修改已截止的工作总结" in found


def test_help_stays_english_outside_chinese() -> None:
    message = help_message("/checkin", ADMIN, "North Telecom")
    assert "*Monthly check-in at North Telecom*: you are an admin." in texts(message)
    assert "`/checkin reopen <department> [YYYY-MM]`: let a manager edit a closed summary " \
           "again" in texts(message)


def test_status_refusals_and_the_picker_in_chinese() -> None:
    with speaking("zh"):
        status = chinese(status_message("2026年10月", "进行中", STATUSES, mention_managers=True))
        refused = chinese(not_allowed("/checkin reopen", ("admin",)))
        several = chinese(not_allowed("/checkin edit", ("manager", "admin")))
        chinese(no_role_message(CONFIG))
        chinese(picker_message("2026年10月", "2026-10", [("east", "东城县公司")]))
        chinese(reopened_message("东城县公司", "2026年10月", "2026-10", "east", "U0OPS", "11月5日"))
    assert "已提交1/2（其中1个逾期提交）" in status
    assert "逾期提交，草稿中有未提交的修改" in status
    assert "未开始" in status
    assert refused == "抱歉，只有管理员可以使用 `/checkin reopen`。"
    assert "部门负责人和管理员" in several
    assert not_allowed("/checkin edit", ("manager", "admin")) == (
        "Sorry, only managers and admins can use `/checkin edit`.")
    english = status_message("October 2026", "open", STATUSES, mention_managers=False)
    assert "1 of 2 submitted (1 late)" in texts(english)
    assert "submitted late, unsent edits in a draft" in texts(english)


def test_a_month_an_admin_named_is_its_key_in_english_and_written_out_in_chinese() -> None:
    assert period_words(OCT, "zh") == "2026-10"
    with speaking("zh"):
        assert period_words(OCT, "en") == "2026年10月"


def test_the_list_of_asks_speaks_chinese() -> None:
    words = AskWords({"east": "东城县公司"}, NOV, "zh", "Asia/Shanghai")
    with speaking("zh"):
        listed = chinese(asks_message([ask(), decided()], words, every_state=True))
        none = chinese(asks_message([], words, every_state=False, department="东城县公司"))
        home = chinese(home_asks([ask()], words, everyone=False))
    assert "*请示事项* · 2项" in listed
    assert "东城县公司暂无未办结的请示事项。" in none
    assert "*您所负责部门未办结的请示事项* · 1项，按提出时间先后排列" in home
    english = asks_message([], AskWords({}, NOV), every_state=False, department="East")
    assert english["text"] == "No open asks of leadership of East."


def test_the_ask_modals_speak_chinese() -> None:
    with speaking("zh"):
        answer = chinese(answer_view(ask(), "东城县公司", "2026年10月"))
        chinese(assign_view(ask(), "东城县公司", "2026年10月"))
        history = chinese(full_view(decided(), "东城县公司", "2026年10月"))
    assert "回复或批复" in answer
    assert "仅回复（事项保持待批复）" in answer
    assert "批复了该事项：同意，下周到岗" in history
    assert answer_view(ask(), "East", "October 2026")["submit"]["text"] == "Send"


def test_the_controls_on_an_ask_speak_chinese() -> None:
    long = ask(text="光纤积压" * 200)
    with speaking("zh"):
        menu = chinese(ask_menu(long, True))
        header = chinese(header_ask_blocks([AskLine("东城县公司", long)], NOV, "zh",
                                           "Asia/Shanghai"))
        thread = chinese(reply_ask_blocks([ask()], [], OCT, "zh", "Asia/Shanghai"))
    assert "知悉" in menu
    assert "查看全文" in menu
    assert "（有删节）" in header
    assert "*请示事项*（1项）" in thread
    english = ask_menu(long, True)
    assert english is not None
    assert [o["text"]["text"] for o in english["options"]] == [
        "Acknowledge", "Reply or decide\u2026", "Assign\u2026", "Show full text"]


def test_carried_asks_in_the_prompt_form_and_confirmation_speak_chinese() -> None:
    done = [Carried(decided(), ended=True), Carried(ask(), withdrawn=True, updated=True),
            Carried(ask(), updated=True)]
    with speaking("zh"):
        lines = chinese(carried_lines(done))
        form = chinese(form_asks([ask()], NOV, {}, 40, locale="zh"))
        chinese(prompt_asks([ask()], NOV, "zh"))
    assert "已批复，未做更改" in lines
    assert "已撤回（附您更新的进展）" in lines
    assert "保留或撤回“需要增加两名安装工人”" in form
    assert "领导尚未回复" in form
    assert carried_lines(done[:1])[0].endswith(": already decided, so nothing was changed")


def test_refusals_and_reports_speak_chinese() -> None:
    report = DeliveryReport()
    report.sent.append("prompt:2026-10:east:U0EAST")
    report.failed["prompt:2026-10:west:U0WEST"] = "internal_error"
    with speaking("zh"):
        assert too_fast(2.2) == "请稍候：您的请求过于频繁，请3秒后再试。"
        lines = summary("open", OCT, report)
        assert ended_message("declined") == "该请示事项未获同意，无法再做任何处理。"
        assert "当前没有进行中的汇报期" in str(NoOpenPeriod())
        with pytest.raises(DomainError) as which:
            find_one("县公司", [Named("east", "东城县公司"), Named("west", "西城县公司")])
    assert lines[0] == "open 2026-10：已发送1条消息"
    assert "1条消息未送达" in lines[1]
    assert str(which.value) == "是哪个部门？可能是：东城县公司（east）、西城县公司（west）。"
    assert summary("open", OCT, report)[0] == "open 2026-10: 1 message sent"
    assert too_fast(2.2) == ("One moment: you're asking faster than I can answer. "
                             "Try again in 3 s.")
