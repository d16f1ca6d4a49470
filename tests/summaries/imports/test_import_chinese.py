"""Imports in the reader's language (issue 21): inside ``speaking("zh")`` a bad row is named
in Chinese at its file, line and column, the report counts in Chinese, and a spreadsheet's
bad rows read 第N行; outside, English as before (and one row is one row)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from summaries.config.schema import Config
from summaries.errors import InputError
from summaries.i18n import speaking
from summaries.imports.figurerows import read_figure_rows
from summaries.imports.importers import import_figures, import_targets
from summaries.imports.report import ImportChange, ImportReport
from summaries.numbers import decimals_problem, parse_decimal
from summaries.store.catalog import Catalog
from tests.support.importkit import FIGURES_OK, problems_of

UNION = "kpi,department,month,year,target,stretch,annual,phasing,max,min,from"


@pytest.mark.parametrize(("row", "expected"), [
    ("revnue,east-county,2026-09,1", "kpi: 未知指标'revnue'"),
    ("revenue,east-county,2026-13,1", "month: 不是有效月份（YYYY-MM）：'2026-13'"),
    ("revenue,east-county,2026-09,ninety", "value: 不是有效数字：'ninety'"),
    ('revenue,east-county,2026-09,"2,400,000"',
     "value: 不能使用千位分隔符：'2,400,000'；请写成2400000"),
    ("revenue,east-county,2026-09,-5", "value: 低于该指标的最小值0"),
    ("arrears_recovery,east-county,2026-09,98.55",
     "value: 最多保留1位小数（arrears_recovery的decimals为1）"),
    ("inspections,east-county,2026-09,2",
     "kpi: 'inspections'不是east-county的指标（其指标为：revenue, arrears_recovery）"),
    ("revenue,west-county,2026-09,2", "与第2行重复"),
])
def test_a_bad_figure_row_is_named_in_chinese(db: Session, config: Config, flushes: list[int],
                                             row: str, expected: str) -> None:
    text = f"kpi,department,month,value\nrevenue,west-county,2026-09,1\n{row}\n"
    with speaking("zh"), pytest.raises(InputError) as raised:
        import_figures(db, config, text, filename="figures.csv", by="U0OPS")
    assert problems_of(raised) == [f"figures.csv:3: {expected}"]


@pytest.mark.parametrize(("row", "expected"), [
    ("revenue,,2026-10,,1,,,,,,",
     "department: 月度目标必须填写（只有max和min可以留空，表示适用于全部部门）"),
    ("churn_rate,,2026-10,,,,,,3,,",
     "month: 只适用于月度目标，不适用于控制线（max）；生效的起始月份请用from"),
    (f"churn_rate,,,,,,,{';'.join(['1'] * 12)},,1,",
     "phasing: 只适用于年度计划，不适用于下限（min）"),
    ("revenue,east-county,,2026,,,1,1;;1;1;1;1;1;1;1;1;1;1,,,", "phasing: 第2个权重：为空"),
    ("revenue,east-county,2026-10,,,,,,,,", "没有数值：请填写target、annual、max或min之一"),
])
def test_a_bad_target_row_is_named_in_chinese(db: Session, config: Config, flushes: list[int],
                                             row: str, expected: str) -> None:
    text = f"{UNION}\nrevenue,west-county,2026-10,,1,,,,,,\n{row}\n"
    with speaking("zh"), pytest.raises(InputError) as raised:
        import_targets(db, config, text, filename="targets.csv", by="U0OPS")
    assert problems_of(raised) == [f"targets.csv:3: {expected}"]


def test_a_bad_header_in_chinese(db: Session, config: Config) -> None:
    with speaking("zh"), pytest.raises(InputError) as raised:
        import_figures(db, config, "kpi,department,month,amount\n", filename="figures.csv")
    assert problems_of(raised) == [
        "figures.csv:1: amount: 未知列；应为以下之一：kpi, department, month, value",
        "figures.csv:1: value: 缺少该列"]


def test_the_report_in_chinese(db: Session, config: Config, catalog: Catalog) -> None:
    with speaking("zh"):
        report = import_figures(db, config, FIGURES_OK, filename="figures.csv", dry_run=True)
        assert report.summary() == "figures.csv：共3行，3行将变更，0行不变"
        assert str(report.changes[0]) == "第2行：revenue east-county 2026-09：新增2400000"
        targets = import_targets(db, config, f"{UNION}\nchurn_rate,,,,,,,,2.5,,2027-01\n",
                                 filename="targets.csv", dry_run=True)
        assert targets.changes[0].description == (
            "控制线 churn_rate 全部部门（自2027-01起）：新增2.5")


def test_the_report_counts_one_row_in_english() -> None:
    report = ImportReport("figures.csv", dry_run=False, rows=1,
                          changes=[ImportChange(2, "revenue east-county 2026-09", "1", "2")])
    assert report.summary() == "figures.csv: 1 row, 1 changed, 0 unchanged"
    assert str(report.changes[0]) == "line 2: revenue east-county 2026-09: 1 -> 2"
    with speaking("zh"):
        assert report.summary() == "figures.csv：共1行，1行已变更，0行不变"
        assert str(report.changes[0]) == "第2行：revenue east-county 2026-09：1 -> 2"


def test_spreadsheet_rows_in_chinese(config: Config) -> None:
    rows = [(4, "nonsense", "1"), (5, "inspections", "3"), (6, "phs_sets", "-1"),
            (8, "broadband_a", ""), (9, "", "5"), (10, "revenue", "1"),
            (11, "Business income", "2")]
    with speaking("zh"):
        found = read_figure_rows(config, "key-accounts", rows, "zh")
        assert [str(p) for p in found.problems] == [
            "第4行：没有名为'nonsense'的指标",
            "第5行：Safety inspections held不是Key Account Division的指标",
            "第6行：低于该指标的最小值0",
            "第8行：Broadband (class A)没有填写数值",
            "第9行：第一列没有指标名称",
            "第11行：Business income填写了两次，分别在第10行和第11行",
        ]


def test_number_words_in_chinese_and_english() -> None:
    assert decimals_problem(Decimal("1.25"), 1) == "at most 1 decimal place"
    assert decimals_problem(Decimal("1.255"), 2) == "at most 2 decimal places"
    with speaking("zh"):
        assert decimals_problem(Decimal("1.25"), 1) == "最多保留1位小数"
        assert decimals_problem(Decimal("1.5"), 0) == "必须为整数"
        with pytest.raises(ValueError, match=r"^小数点请用“\.”：'98,5'；请写成98\.5$"):
            parse_decimal("98,5")
