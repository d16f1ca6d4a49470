"""A KPI's line, a flag's bullet and a revision note in Chinese, and in English as before."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

from bot.blocks.kpis import cell_line, flag_line, revised_note
from summaries.engine.cell import Cell
from summaries.i18n import speaking
from tests.summaries.engine.flagkit import chinese, flag

CONFIG = chinese()
CHURN = CONFIG.kpi_by_key["churn"]


def churn() -> Cell:
    return Cell("east", "churn", "2026-10", D("3.4"), "submitted", limit_max=D(3),
                limit_min=D(1), ytd_share=D("0.5"), pace_share=D("0.8"), children_total=D(3))


def test_a_kpi_line_in_english_and_in_chinese() -> None:
    assert cell_line(churn(), CHURN, "en") == (
        ":white_circle: *客户流失率*: 3.4% (its departments: 3.0%) \u00b7 limit 3.0% \u00b7 "
        "floor 1.0% \u00b7 YTD 50.0% of plan (80.0% due)")
    with speaking("zh"):
        assert cell_line(churn(), CHURN, "zh") == (
            ":white_circle: *客户流失率*: 3.4%（下属部门合计：3.0%） \u00b7 控制线3.0% \u00b7 "
            "下限1.0% \u00b7 本年累计完成计划的50.0%（时间进度80.0%）")


def test_a_flag_bullet_is_worded_for_the_reader_and_escaped() -> None:
    late = flag("late", department_name="East <Co>", month="2026-10")
    assert flag_line(late) == (
        ":large_orange_circle: East &lt;Co&gt; submitted its summary for 2026-10 after the "
        "close.")
    with speaking("zh"):
        assert flag_line(late, config=CONFIG).endswith("东区分公司逾期提交了2026年10月的工作总结。")


def test_a_revision_note_in_both_languages() -> None:
    at = datetime(2026, 11, 3, 10, tzinfo=UTC)
    assert revised_note((at, "U0KA"), "en").startswith("revised <!date^")
    assert "^{date_short_pretty} at {time}|" in revised_note((at, "U0KA"), "en")
    with speaking("zh"):
        note = revised_note((at, "U0KA"), "zh")
    assert note.startswith("已由<@U0KA>于<!date^")
    assert note.endswith("更正")
    assert "^{date_short_pretty} {time}|" in note
