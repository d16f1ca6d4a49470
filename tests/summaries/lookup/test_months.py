"""Months typed after ``/kpi`` and ``/checkin`` the way Chinese writes them (``2026年10月``,
``10月``, ``上月``), and ``累计``/``趋势`` for ``ytd``/``trend``; the English grammar and its
messages as they were."""

from __future__ import annotations

import pytest

from summaries.access import viewer
from summaries.config.loader import parse_config
from summaries.errors import PermissionDenied
from summaries.i18n import speaking
from summaries.lookup.months import is_month_word, month_of
from summaries.lookup.query import LookupProblem, parse_query
from summaries.periods import Month

NOV = Month(2026, 11)
CONFIG = parse_config("""
organization: {name: 北田电信, timezone: Asia/Shanghai, locale: zh, currency: CNY,
               leaders: [U0CEO], admins: [U0OPS], leadership_channel: C0LEADERS}
sections: [{key: sales, title: 销售与回款}]
kpis:
  - {key: revenue, name: 业务收入, unit: CNY}
  - {key: churn_rate, name: 重点客户流失率, unit: "%"}
departments:
  - {key: east, name: 东城县公司, manager: U0EAST, kpis: [revenue, churn_rate]}
  - {key: west, name: 西城县公司, manager: U0WEST, kpis: [revenue]}
""")
CEO = viewer(CONFIG, "U0CEO")


@pytest.mark.parametrize(("word", "month"), [
    ("2026年10月", Month(2026, 10)), ("2025年3月份", Month(2025, 3)),
    ("\uff12\uff10\uff12\uff16\u5e74\uff11\uff10\u6708", Month(2026, 10)),  # full-width digits
    ("10月", Month(2026, 10)), ("11月", Month(2026, 11)), ("12月", Month(2025, 12)),
    ("十月", Month(2026, 10)), ("十二月", Month(2025, 12)), ("一月", Month(2026, 1)),
    ("本月", NOV), ("上月", Month(2026, 10)), ("上个月", Month(2026, 10)),
    ("2026-10", Month(2026, 10))])
def test_a_month_as_chinese_writes_it(word: str, month: Month) -> None:
    assert is_month_word(word)
    assert month_of(word, NOV) == month


def test_a_month_without_a_year_is_the_latest_not_after_this_one() -> None:
    assert month_of("1月", Month(2026, 1)) == Month(2026, 1)
    assert month_of("2月", Month(2026, 1)) == Month(2025, 2)
    assert month_of("上月", Month(2026, 1)) == Month(2025, 12)


@pytest.mark.parametrize("word", ["13月", "0月", "2026年13月", "2026-13", "2026-9"])
def test_a_month_badly_written_is_a_month_word_that_fails(word: str) -> None:
    assert is_month_word(word)
    with pytest.raises(ValueError, match="month"):
        month_of(word, NOV)


@pytest.mark.parametrize("word", ["东城", "revenue", "2026", "月报", "10", "本年"])
def test_names_are_not_months(word: str) -> None:
    assert not is_month_word(word)


@pytest.mark.parametrize(("typed", "mode", "month"), [
    ("流失 东城 2026年10月", "month", Month(2026, 10)),
    ("流失 东城 2026年 10月", "month", Month(2026, 10)),
    ("流失 东城 10月", "month", Month(2026, 10)),
    ("流失 东城 上月 趋势", "trend", Month(2026, 10)),
    ("流失 东城 累计", "ytd", None),
    ("流失 东城 本年累计 本月", "ytd", NOV),
    ("churn east 2026-10 ytd", "ytd", Month(2026, 10))])
def test_a_kpi_query_reads_chinese_months_and_modes(typed: str, mode: str,
                                                    month: Month | None) -> None:
    query = parse_query(CONFIG, CEO, typed, NOV)
    assert (query.mode, query.month) == (mode, month)
    assert query.kpi is not None
    assert query.kpi.key == "churn_rate"
    assert query.department is not None
    assert query.department.key == "east"


def test_a_department_named_like_a_year_is_still_a_department() -> None:
    query = parse_query(CONFIG, CEO, "流失 东城", NOV)
    assert query.month is None
    assert query.department is not None


def test_mistakes_are_told_in_chinese_and_english() -> None:
    with speaking("zh"), pytest.raises(LookupProblem) as wrong:
        parse_query(CONFIG, CEO, "流失 东城 13月", NOV)
    assert str(wrong.value) == "“13月”不是有效月份，请写成YYYY-MM或2026年9月，例如2026-09。"
    with speaking("zh"), pytest.raises(LookupProblem) as two:
        parse_query(CONFIG, CEO, "流失 10月 上月", NOV)
    assert str(two.value) == "只能指定一个月份。"
    with speaking("zh"), pytest.raises(LookupProblem) as both:
        parse_query(CONFIG, CEO, "流失 累计 趋势", NOV)
    assert str(both.value) == "累计（ytd）和趋势（trend）只能选择一个。"
    with speaking("zh"), pytest.raises(LookupProblem) as nothing:
        parse_query(CONFIG, CEO, "利润", NOV)
    assert str(nothing.value).startswith("没有名为“利润”的可查询指标。请从以下指标中选择，例如")
    with pytest.raises(LookupProblem) as english:
        parse_query(CONFIG, CEO, "revenue 2026-9", NOV)
    assert str(english.value) == "2026-9 is not a month; write it as YYYY-MM, e.g. 2026-09."
    with pytest.raises(LookupProblem) as first:
        parse_query(CONFIG, CEO, "ytd", NOV)
    assert str(first.value) == "Name a KPI first, e.g. `/kpi revenue ytd`."


def test_a_manager_refused_another_department_hears_it_in_chinese() -> None:
    with speaking("zh"), pytest.raises(PermissionDenied) as refused:
        parse_query(CONFIG, viewer(CONFIG, "U0WEST"), "收入 东城", NOV)
    assert str(refused.value) == ("抱歉，您只能查询本人负责的部门（西城县公司及其下属部门）；"
                                  "东城县公司不在其中。")
