"""A problem's line, its contributors and its projection, worded from the flags' facts in
the reader's language (English as it always was)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from summaries.digest.phrases import contributors_text, problem_text, projection_text
from summaries.engine.cell import Cell
from summaries.engine.outlook import Contributors, Projection
from summaries.engine.problems import Problem
from summaries.i18n import speaking
from tests.summaries.engine.flagkit import chinese, kpi_flag

CONFIG = chinese()
REVENUE = CONFIG.kpi_by_key["revenue"]
CHURN = CONFIG.kpi_by_key["churn"]


def revenue_problem() -> Problem:
    cell = Cell("east", "revenue", "2026-10", D(1121470), "submitted")
    flags = (kpi_flag("below_target", "revenue", "CNY", 0, actual="1121470", target="1360000",
                      by="0.175", side="below"),
             kpi_flag("streak", "revenue", "CNY", 0, months="3"),
             kpi_flag("mom_change", "revenue", "CNY", 0, direction="down", by="0.2",
                      before="1401837", actual="1121470"),
             kpi_flag("off_pace", "revenue", "CNY", 0, accumulate="sum", ytd_share="0.8127",
                      pace_share="0.8333", month="2026-10"))
    return Problem("east", "revenue", "red", flags, cell, restates="north")


def churn_problem() -> Problem:
    cell = Cell("east", "churn", "2026-10", D("3.4"), "submitted")
    flags = (replace(kpi_flag("threshold", "churn", "%", 1, limit="max", actual="3.4",
                              bound="3"), severity="red"),
             kpi_flag("yoy_change", "churn", "%", 1, direction="up", by="1.9", before="1.5",
                      actual="3.4"),
             kpi_flag("no_value", "churn", "%", 1))
    return Problem("east", "churn", "red", flags, cell)


def test_a_problem_reads_as_before_in_english() -> None:
    assert problem_text(revenue_problem(), REVENUE, "en", {"north": "North"}) == (
        "营业收入 1,121,470 CNY: 17.5% below the 1,360,000 CNY target, red 3 months running, "
        "down 20.0% on last month (1,401,837 CNY), year to date 81.3% of plan, 83.3% due "
        "(mostly North)")
    assert problem_text(churn_problem(), CHURN, "en", short=True) == (
        "客户流失率 3.4%: above the 3.0% limit")
    assert problem_text(churn_problem(), CHURN, "en") == (
        "客户流失率 3.4%: above the 3.0% control limit, up 1.9 points on a year before (1.5%), "
        "could not be calculated: its formula divides by zero")


def test_a_problem_reads_in_chinese() -> None:
    with speaking("zh"):
        assert problem_text(revenue_problem(), REVENUE, "zh", {"north": "北区"}) == (
            "营业收入1,121,470 CNY：较1,360,000 CNY的目标低17.5%，连续3个月亮红灯，"
            "环比下降20.0%（上月1,401,837 CNY），本年累计完成计划的81.3%，时间进度83.3%"
            "（主要在北区）")
        assert problem_text(churn_problem(), CHURN, "zh") == (
            "客户流失率3.4%：超过3.0%的控制线，同比上升1.9个百分点（去年同期1.5%），"
            "无法计算：公式的除数为零")


def test_contributors_and_projection_in_both_languages() -> None:
    found = Contributors("revenue", D(-218000), (("north", D(-239000)),), D(-24000), 2,
                         ("west",))
    names = {"north": "北区"}
    assert contributors_text(found, REVENUE, "en", "October 2026", names) == (
        "October 2026 gap \u2212218K: 北区 \u2212239K, others \u221224K, 1 without a figure")
    projection = Projection(D(126100000), D(127700000))
    assert projection_text(projection, REVENUE, "en") == (
        "year-end at this pace \u2248 126.1M of 127.7M (\u22121.6M)")
    with speaking("zh"):
        worded = contributors_text(found, REVENUE, "zh", "2026年10月", names)
        assert worded.startswith("2026年10月缺口")
        assert "其他" in worded
        assert "1个部门无数据" in worded
        assert "、" in worded
        assert projection_text(projection, REVENUE, "zh").startswith("按此进度全年预计约")
