"""``/kpi`` with Chinese names, through the real HTTP app and the Slack stand-in: any part of
a name finds it, KPI and department may run together, and ambiguity lists the candidates."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from summaries.config.loader import parse_config
from tests.support.botkit import Bot
from tests.support.commandkit import ask
from tests.support.flows import seed_figures, text_of

COUNTIES = 800  # more county companies than one message lists

TEXT = """
organization: {name: 北田电信城区分公司, timezone: Asia/Shanghai, locale: zh, currency: CNY,
               leaders: [U0CEO], admins: [U0OPS], leadership_channel: C0LEADERS}
sections: [{key: sales, title: 销售与回款}]
kpis:
  - {key: revenue, name: 业务收入, unit: CNY, decimals: 0, better: higher, accumulate: sum}
  - {key: new_revenue, name: 新增业务收入, unit: CNY, decimals: 0, better: higher}
  - {key: churn_rate, name: 重点客户流失率, unit: "%", decimals: 2, better: lower,
     accumulate: mean}
departments:
  - {key: east, name: 东城县公司, manager: U0EAST, kpis: [revenue, new_revenue, churn_rate]}
  - {key: west, name: 西城县公司, manager: U0WEST, kpis: [revenue, new_revenue, churn_rate]}
  - {key: hostile, name: "<!channel> 县公司", manager: U0HOST, kpis: [revenue]}
"""


def counties() -> str:
    return "".join(f"  - {{key: county-{n:03d}, name: 第{n}县公司, manager: U2{n:06d}, "
                   f"kpis: [revenue]}}\n" for n in range(COUNTIES))


FIGURES = """kpi,department,month,value
churn_rate,east,2026-10,2.15
churn_rate,west,2026-10,3.40
revenue,east,2026-10,2450000
revenue,west,2026-10,1600000
"""


def started(make_bot: Callable[..., Bot], text: str) -> Bot:
    bot = make_bot(parse_config(text))
    seed_figures(bot.deps, FIGURES)
    return bot


@pytest.fixture
def zbot(make_bot: Callable[..., Bot]) -> Bot:
    return started(make_bot, TEXT)


def test_a_part_of_a_chinese_name_finds_the_loss_rate(zbot: Bot) -> None:
    text = text_of(ask(zbot, "U0CEO", "/kpi", "流失"))
    assert "*重点客户流失率*" in text
    assert "*东城县公司*: 2.15%" in text
    assert "*西城县公司*: 3.40%" in text


WIDE_MONTH = "".join(chr(ord(c) + 0xFEE0) for c in "2026-10")  # as a Chinese keyboard types it


@pytest.mark.parametrize("typed", ["流失 东城 2026-10", "东城流失率", f"流失率东城 {WIDE_MONTH}"])
def test_kpi_and_department_apart_or_run_together(zbot: Bot, typed: str) -> None:
    text = text_of(ask(zbot, "U0CEO", "/kpi", typed))
    assert "*重点客户流失率* · 东城县公司" in text
    assert "2.15%" in text


def test_an_exact_name_wins_and_a_shared_part_lists_the_candidates(zbot: Bot) -> None:
    exact = text_of(ask(zbot, "U0CEO", "/kpi", "业务收入 东城"))  # inside 新增业务收入 too
    assert "*业务收入* · 东城县公司" in exact
    assert "2,450,000 CNY" in exact
    kpis = text_of(ask(zbot, "U0CEO", "/kpi", "收入"))
    assert "“收入” could be more than one KPI; which one?" in kpis
    assert "`revenue` 业务收入" in kpis
    assert "`new_revenue` 新增业务收入" in kpis


def test_a_long_list_of_candidates_is_cut_and_escaped(make_bot: Callable[..., Bot]) -> None:
    zbot = started(make_bot, TEXT + counties())
    message = ask(zbot, "U0CEO", "/kpi", "业务收入 县公司")  # checked against Slack's limits
    text = text_of(message)
    assert "“县公司” could be more than one department; which one?" in text
    assert "`east` 东城县公司" in text
    assert "more departments not shown" in text
    assert "&lt;!channel&gt; 县公司" in text
    assert "<!channel>" not in text


@pytest.fixture
def zh_reader(zbot: Bot) -> Bot:
    for user in ("U0CEO", "U0OPS"):  # the leader and the admin read Slack in Chinese
        zbot.slack.set_locale(user, "zh-CN")
    return zbot


@pytest.mark.parametrize("typed", ["流失 东城 2026年10月", "流失 东城 10月", "流失 东城 十月",
                                   "流失 东城 2026年 10月", "流失率东城 ２０２６年１０月"])
def test_a_chinese_reader_names_the_month_in_chinese(zh_reader: Bot, typed: str) -> None:
    text = text_of(ask(zh_reader, "U0CEO", "/kpi", typed))
    assert "*重点客户流失率* · 东城县公司 · 2026年10月" in text
    assert "*实际*\n2.15%" in text


def test_a_chinese_reader_reads_the_answer_and_the_help_in_chinese(zh_reader: Bot) -> None:
    answer = text_of(ask(zh_reader, "U0CEO", "/kpi", "收入 累计"))
    assert "“收入”可能对应多个指标，请问是哪一个？" in answer
    listed = text_of(ask(zh_reader, "U0CEO", "/kpi"))
    assert "*可查询的指标*（3项）" in listed
    assert "`/kpi 流失 东城 2026年10月`" in listed
    wrong = text_of(ask(zh_reader, "U0CEO", "/kpi", "流失 东城 13月"))
    assert wrong == "“13月”不是有效月份，请写成YYYY-MM或2026年9月，例如2026-09。"
    last = text_of(ask(zh_reader, "U0CEO", "/kpi", "流失 上月"))
    assert "*重点客户流失率* · 2026年9月" in last  # the clock stands in October 2026
    help_text = text_of(ask(zh_reader, "U0OPS", "/checkin", "help"))
    assert "*北田电信城区分公司月度汇报*：您的身份是管理员。" in help_text
    assert "Monthly" not in help_text
    assert "department" not in help_text
    status = text_of(ask(zh_reader, "U0OPS", "/checkin", "status 2026年10月"))
    assert "*2026年10月* · " in status
    assert "已提交0/3" in status


def test_an_english_reader_of_a_chinese_organization_reads_english(zbot: Bot) -> None:
    text = text_of(ask(zbot, "U0CEO", "/kpi", "流失 东城 2026年10月"))
    assert "*重点客户流失率* · 东城县公司 · October 2026" in text
    assert "*Actual*\n2.15%" in text
