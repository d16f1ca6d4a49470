"""What a manager reads in Slack speaks Chinese to a Chinese reader: the prompt, reminders,
notices and confirmations, the check-in modal and its confirmations, App Home and the answers
to a spreadsheet sent by direct message, with no English left but codes, units and user text,
and within Slack's limits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from bot.blocks.common import long_list, split_message
from bot.blocks.figures import kpi_input
from bot.blocks.home import HomeScreen, home_view
from bot.blocks.messages import prompt_message, standing_in
from bot.blocks.modal import busy_view, checkin_view
from bot.blocks.plausible import plausible_view
from bot.blocks.reminders import Due, missed_close_message, parent_copy, reminder_message
from bot.blocks.skipping import deputy_notice, skip_view, skipped_notice
from bot.blocks.text import render
from bot.form.state import split_steps
from bot.ids import FormRef
from bot.uploads.replies import kept_reply, problems_reply
from summaries.checkins.forms import DepartmentStatus, FormContext, KpiHint
from summaries.checkins.lacking import Lacking
from summaries.checkins.plausible import Implausible
from summaries.config.schema import Config
from summaries.dates import format_month
from summaries.i18n import speaking
from summaries.imports.figurerows import RowProblem
from summaries.periods import Month
from tests.slackstandin import check_message, check_view

OCTOBER = Month.parse("2026-10")
CLOSE = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai
# Codes and units a Chinese reader sees as they are.
CODES = {"CNY", "MB", "XLSX", "CSV"}
# Slack's own tokens: mentions and dates (<...>), emoji codes, inline code.
TOKENS = re.compile(r"<[^<>]*>|:[a-z0-9_+\-]+:|`[^`]*`")


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    with speaking("zh"):
        yield


def texts(node: Any) -> Iterator[str]:
    """Every text a reader sees in a message, view or block (not ids nor values)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from texts(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "blocks", "elements", "fields", "title", "submit", "close",
                       "label", "hint", "placeholder", "element", "accessory"):
                yield from texts(value)


def user_words(config: Config) -> list[str]:
    """What the configuration names: departments, KPIs, units, sections (the sample's are
    English; an organization writes them in its own language)."""
    words = [d.name for d in config.departments]
    words += [w for k in config.kpis for w in (k.name, k.unit or "")]
    for department in config.departments:
        words += [w for s in config.sections_of(department) for w in (s.title, s.hint or "")]
    return sorted((w for w in words if w), key=len, reverse=True)


def english(node: Any, *user: str) -> list[str]:
    """The English words left once Slack's tokens, codes and ``user`` text are taken out."""
    found: list[str] = []
    for text in texts(node):
        for named in user:
            text = text.replace(named, " ").replace(named.replace("&", "&amp;"), " ")
        found += [w for w in re.findall(r"[A-Za-z]{2,}", TOKENS.sub(" ", text))
                  if w not in CODES]
    return found


def form(config: Config, origin: str) -> FormContext:
    spec = config.department_by_key["key-accounts"]
    kpis = tuple(k for k in config.kpis_of(spec) if not k.formula)
    hints = {k.key: KpiHint("2026-09", Decimal("5023"), None, Decimal(6000)) for k in kpis}
    return FormContext(OCTOBER, spec, tuple(config.sections_of(spec)), kpis, {}, origin, None,
                       hints, last_texts={s.key: "x" for s in config.sections_of(spec)})


@pytest.mark.parametrize("origin", ["draft", "submission", "imported", "empty"])
def test_the_check_in_modal_speaks_chinese_in_every_step(config: Config, origin: str) -> None:
    ctx = form(config, origin)
    steps = split_steps(ctx.fields, 4)
    for step in range(len(steps)):
        view = checkin_view(ctx, FormRef("2026-10", "key-accounts", step, len(steps)), steps,
                            deadline="<!date^1^{date_short_pretty}|11月4日>")
        assert check_view(view) == []
        assert english(view, *user_words(config)) == []
        assert view["title"]["text"] == f"月度汇报（第{step + 1}/{len(steps)}步）"
        assert len(view["title"]["text"]) <= 24
        assert view["submit"]["text"] == ("提交" if step == len(steps) - 1 else "下一步")
        assert "2026年10月" in view["blocks"][0]["elements"][0]["text"]
    one = checkin_view(ctx, FormRef("2026-10", "key-accounts", 0, 1), [ctx.fields])
    assert one["title"]["text"] == "月度汇报"


def test_a_figures_hint_names_last_month_target_and_limits_in_chinese(config: Config) -> None:
    churn = config.kpi_by_key["churn_rate"]
    block = kpi_input(churn, None, KpiHint("2026-09", Decimal("2.1"), None, Decimal(3)),
                      OCTOBER, "en", required=True)
    assert block["hint"]["text"] == "必填 \u00b7 上月（2026年9月）：2.10% \u00b7 上限：3.00%"
    assert block["element"]["placeholder"]["text"] == "百分比，如3.4或3.4%"
    bare = kpi_input(config.kpi_by_key["revenue"], None, KpiHint("2026-09", None, None),
                     OCTOBER, "en")
    assert bare["hint"]["text"] == "上月（2026年9月）：无 \u00b7 目标：未设定"
    assert bare["label"]["text"] == "Business income（CNY）"


def test_the_confirmation_of_figures_far_from_last_month_speaks_chinese(config: Config) -> None:
    revenue, churn = config.kpi_by_key["revenue"], config.kpi_by_key["churn_rate"]
    found = [Implausible(revenue, Decimal(10592160), Decimal(1059216)),
             Implausible(revenue, Decimal(-5), Decimal(120)),
             Implausible(churn, Decimal("0.034"), Decimal("3.4"))] * 20
    view = plausible_view(FormRef("2026-10", "east-county", 0, 1), found, "m", Decimal(3))
    assert check_view(view) == []
    assert english(view, *user_words(config)) == []
    lines = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    assert lines[1] == ("*Business income*：10,592,160 CNY，是上月1,059,216 CNY的10倍，"
                        "仍要提交吗？")
    assert lines[2] == "*Business income*：-5 CNY，上月为120 CNY，仍要提交吗？"
    assert "0.03%，仅为上月3.40%的1/100" in lines[3]
    assert lines[-1] == "……另有20项"


def test_nothing_to_report_and_the_deputy_speak_chinese(config: Config) -> None:
    month = format_month(OCTOBER)
    view = skip_view("2026-10", "safety", "安全环保部", month)
    assert check_view(view) == []
    assert english(view) == []
    assert view["title"]["text"] == "本月无可汇报事项"
    for changed in (True, False):
        notice = skipped_notice("安全环保部", month, "办公室装修", "U0SAFE", changed=changed)
        assert check_message(notice) == []
        assert english(notice) == []
    assert notice["text"] == "安全环保部2026年10月：本月无可汇报事项"
    deputy = deputy_notice("U0EAST", "11月20日", "12月5日", "U0ADMIN")
    assert english(deputy) == []
    assert english(standing_in("U0EAST", "东区分公司", "12月5日")) == []


def test_the_prompt_and_its_reminders_speak_chinese(config: Config) -> None:
    spec = config.department_by_key["east-county"]
    names = user_words(config)
    month = format_month(OCTOBER)
    prompt = prompt_message(spec, "2026-10", month, sections_count=3, kpis_count=1,
                            deadline="<!date^1^x|11月4日>", deadline_text="11月4日周三 18:00")
    assert check_message(prompt) == []
    assert english(prompt, *names) == []
    assert "请于<!date^1^x|11月4日>前填写工作总结（3个栏目和1项数据）。" in str(prompt)
    due = Due(CLOSE, CLOSE - timedelta(hours=8), "Asia/Shanghai", "zh")
    reminder = reminder_message(spec, "2026-10", month, due=due, lacking=Lacking(3, 9, 2, 5),
                                last=True, asks=2)
    assert check_message(reminder) == []
    assert english(reminder, *names) == []
    assert reminder["text"] == ("最后提醒：East County Company2026年10月的工作总结截止时间为"
                                "今天18:00，还剩8小时。尚有3个栏目（共9个）和2项数据（共5项）"
                                "未填写。")
    copy = parent_copy(spec, config.department_by_key["marketing"], month, due=due,
                       lacking=Lacking(0, 9, 0, 5), reminders=2)
    assert check_message(copy) == []
    assert english(copy, *names) == []
    assert "已收到2次提醒" in copy["blocks"][0]["text"]["text"]
    missed = missed_close_message(spec, "2026-10", month, zone="Asia/Shanghai", locale="en",
                                  late_until=CLOSE + timedelta(days=10))
    assert check_message(missed) == []
    assert english(missed, *names) == []
    assert missed["blocks"][0]["accessory"]["text"]["text"] == "逾期补交工作总结"


@pytest.mark.parametrize(("left", "words"), [
    (timedelta(days=2), "还剩2天"), (timedelta(minutes=20), "还剩20分钟"),
    (timedelta(days=1), "明天18:00，还剩1天"), (-timedelta(hours=1), "截止时间为今天18:00。")])
def test_the_time_left_reads_in_chinese(config: Config, left: timedelta, words: str) -> None:
    due = Due(CLOSE, CLOSE - left, "Asia/Shanghai", "zh")
    message = reminder_message(config.department_by_key["safety"], "2026-10",
                               format_month(OCTOBER), due=due, lacking=Lacking(0, 1, 0, 1),
                               last=False)
    assert words in message["text"]
    assert "已全部填写，只差提交。" in message["text"]


@pytest.mark.parametrize("values", [
    {"late": True, "first": True, "changed": 0, "editable_until": "11月14日"},
    {"late": False, "first": True, "changed": 0, "editable_until": None},
    {"late": False, "first": False, "changed": 3, "editable_until": "11月14日"}])
def test_the_confirmation_speaks_chinese(values: dict[str, Any]) -> None:
    month = format_month(OCTOBER)
    words = render("confirmation", department="东区分公司", month=month, **values)
    fallback = render("confirmation_fallback", department="东区分公司", month=month,
                      first=values["first"], late=values["late"])
    assert english(words) == []
    assert english(fallback) == []
    assert "2026年10月" in words
    assert "东区分公司" in fallback


@pytest.mark.parametrize("action", ["acknowledge", "assign", "reply", "decide", "decline"])
def test_what_became_of_an_ask_speaks_chinese(action: str) -> None:
    values = {"department": "东区分公司", "month": "2026年10月", "ask": "增加两辆工程车"}
    words = render("ask_outcome", action=action, by="U0CEO", assignee="U0OPS", reply="同意",
                   **values)
    assert english(words) == []
    assert english(render("ask_outcome_fallback", action=action, **values)) == []
    assert english(render("ask_assigned", by="U0CEO", manager="U0EAST", **values)) == []
    assert english(render("ask_assigned_fallback", **values)) == []


@pytest.mark.parametrize(("count", "more"), [(1, 1), (3, 2)])
def test_the_asks_carried_over_are_counted_in_chinese(count: int, more: int) -> None:
    for name in ("prompt_asks", "prompt_asks_form"):
        assert english(render(name, count=count)) == []
    assert render("prompt_asks_more", more=more) == (
        f"……另有{more}项待批复的请示事项未在此显示；使用 `/checkin asks` 可查看全部。")
    assert english(render("prompt_fallback", department="东区分公司", month="2026年10月",
                          deadline_text="11月4日", asks=count)) == []


def test_app_home_speaks_chinese(config: Config) -> None:
    statuses = [DepartmentStatus(config.department_by_key[key], status, at, draft)
                for key, status, at, draft in [
                    ("key-accounts", "submitted", CLOSE, False), ("east-county", "late", CLOSE,
                                                                   False),
                    ("west-county", "skipped", CLOSE, False), ("marketing", None, None, True),
                    ("safety", None, None, False)]]
    for period, fillable in ((OCTOBER, True), (OCTOBER, False), (None, False)):
        screen = HomeScreen(period=period, fillable=fillable, deadline="<!date^1^x|11月4日>",
                            next_open="<!date^2^x|12月1日>", managed=statuses,
                            everyone=statuses, skipped={"west-county": "装修"})
        view = home_view(screen, config)
        assert check_view(view) == []
        assert english(view, *user_words(config)) == []
    assert ":heavy_minus_sign: 本月无可汇报事项：装修（11月4日）" in str(view)
    nobody = home_view(HomeScreen(None, False, None, None, [], None), config)
    assert english(nobody) == []
    assert "您未参与月度汇报" in str(nobody)


def test_the_answers_to_a_spreadsheet_speak_chinese(config: Config) -> None:
    names = user_words(config)
    kept = kept_reply(config, "east.xlsx", "2026-10", "east-county",
                      {"revenue": Decimal(5)}, {"revenue": "5"})
    assert check_message(kept) == []
    assert english(kept, "east.xlsx", *names) == []
    assert "2026年10月的1项数据已存入您的草稿" in kept["text"]
    problems = problems_reply("east.xlsx", "东区分公司", [RowProblem(2, "x")] * 45)
    assert check_message(problems) == []
    assert problems["text"] == "east.xlsx：东区分公司有45行需要修改，未保存任何数据。"
    assert problems["blocks"][-2]["text"]["text"].endswith("\n……另有5行")
    assert problems["blocks"][-1]["elements"][0]["text"] == "请修改这些行后重新发送文件。"


def test_long_lists_and_busy_windows_speak_chinese() -> None:
    listed = long_list("t", "标题", ["行" * 100] * 500, "提示", "department")
    assert re.fullmatch(r"……另有\d+个部门未显示。提示", listed["blocks"][-1]["elements"][0]["text"])
    assert split_message("简报", [{"type": "divider"}] * 60)[1]["text"] == "简报（续）"
    assert english(busy_view()) == []


def test_titles_and_buttons_fit_slacks_limits_in_chinese(config: Config) -> None:
    ctx = form(config, "draft")
    steps = split_steps(ctx.fields, 1)
    views = [checkin_view(ctx, FormRef("2026-10", "key-accounts", n, len(steps)), steps)
             for n in range(len(steps))]
    views += [skip_view("2026-10", "safety", "安全环保部", "2026年10月"), busy_view(),
              plausible_view(FormRef("2026-10", "x", 0, 1), [], "m", Decimal(3))]
    for view in views:
        assert check_view(view) == []
        assert all(len(view[k]["text"]) <= 24 for k in ("title", "submit", "close") if k in view)


def test_an_organization_writing_chinese_gets_chinese_where_no_reader_is_known(
        config: Config) -> None:
    ctx = form(config, "draft")
    with speaking(None):  # outside any reader's language: the organization's locale decides
        view = checkin_view(ctx, FormRef("2026-10", "key-accounts", 0, 1), [ctx.fields],
                            locale="zh_CN")
        english_view = checkin_view(ctx, FormRef("2026-10", "key-accounts", 0, 1),
                                    [ctx.fields])
    assert (view["title"]["text"], english_view["title"]["text"]) == ("月度汇报",
                                                                      "Monthly check-in")
