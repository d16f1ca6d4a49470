"""A small organization with Chinese names, and flags built from their facts, for the tests
of how flags read in each language."""

from __future__ import annotations

from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.engine.flags import FlagSpec

CHINESE = """
organization:
  name: 测试公司
  timezone: Asia/Shanghai
  locale: zh
  leadership_channel: C0LEAD
sections:
  - {key: problems, title: 问题与请示, raise: true}
kpis:
  - {key: revenue, name: 营业收入, unit: CNY, accumulate: sum}
  - {key: orders, name: 订单数, unit: 单, accumulate: sum}
  - {key: customers, name: 客户数, accumulate: last}
  - {key: avg_order, name: 客单价, unit: CNY, decimals: 2, formula: "revenue / orders"}
  - {key: churn, name: 客户流失率, unit: "%", decimals: 1, better: lower, accumulate: mean}
  - {key: recovery, name: 欠费回收率, unit: "%", decimals: 1, accumulate: mean}
departments:
  - {key: east, name: 东区分公司, manager: U0E, kpis: [revenue, orders, customers, avg_order,
     churn, recovery]}
"""


def chinese() -> Config:
    return parse_config(CHINESE, "org.yaml")


def flag(rule: str, kpi: str = "", **params: str) -> FlagSpec:
    return FlagSpec("east", kpi, rule, "amber", params)


def kpi_flag(rule: str, kpi: str, unit: str, decimals: int, **params: str) -> FlagSpec:
    return flag(rule, kpi, kpi_name=kpi.title(), unit=unit, decimals=str(decimals), **params)


# One flag of every rule and shape, with its English sentence (names kept in the flag, as if
# the key had left the configuration) and its Chinese (names from the configuration).
CASES: list[tuple[FlagSpec, str, str]] = [
    (flag("missing", department_name="East", month="2026-10"),
     "East has not submitted its summary for 2026-10.",
     "东区分公司未提交2026年10月的工作总结。"),
    (flag("late", department_name="East", month="2026-10"),
     "East submitted its summary for 2026-10 after the close.",
     "东区分公司逾期提交了2026年10月的工作总结。"),
    (kpi_flag("below_target", "revenue", "CNY", 0, actual="2150000", target="2400000",
              by="0.1041666666666666666666666667", side="below"),
     "Revenue 2,150,000 CNY is 10.4% below the 2,400,000 CNY target.",
     "营业收入2,150,000 CNY，较2,400,000 CNY的目标低10.4%。"),
    (kpi_flag("below_target", "churn", "%", 1, actual="8.25", target="2.0", by="6.25",
              side="above"),
     "Churn 8.3% is 6.3 points above the 2.0% target.",
     "客户流失率8.3%，较2.0%的目标高6.3个百分点。"),
    (kpi_flag("off_pace", "revenue", "CNY", 0, accumulate="sum", ytd_share="0.8127",
              pace_share="0.8333", month="2026-10"),
     "Revenue year to date is 81.3% of the annual plan, against 83.3% due by 2026-10.",
     "营业收入本年累计完成年度计划的81.3%，截至2026年10月的时间进度为83.3%。"),
    (kpi_flag("off_pace", "churn", "%", 1, accumulate="mean", ytd="3.25", plan="2.5"),
     "Churn averages 3.3% this year, against a plan of 2.5%.",
     "客户流失率本年平均为3.3%，年度计划为2.5%。"),
    (kpi_flag("off_pace", "customers", "", 0, accumulate="last", ytd="1200", plan="1500"),
     "Customers stands at 1,200 this year, against a plan of 1,500.",
     "客户数本年目前为1,200，年度计划为1,500。"),
    (kpi_flag("threshold", "churn", "%", 1, limit="max", actual="3.4", bound="3"),
     "Churn 3.4% is above the 3.0% control limit.",
     "客户流失率3.4%，超过3.0%的控制线。"),
    (kpi_flag("threshold", "recovery", "%", 1, limit="min", actual="96.9", bound="98"),
     "Recovery 96.9% is below the 98.0% floor.",
     "欠费回收率96.9%，低于98.0%的下限。"),
    (kpi_flag("mom_change", "revenue", "CNY", 0, direction="down", by="0.36", before="1250",
              actual="800"),
     "Revenue fell 36.0% from last month (1,250 CNY \u2192 800 CNY).",
     "营业收入环比下降36.0%（1,250 CNY \u2192 800 CNY）。"),
    (kpi_flag("mom_change", "churn", "%", 1, direction="up", by="0.6", before="2.4",
              actual="3.0"),
     "Churn rose 0.6 points from last month (2.4% \u2192 3.0%).",
     "客户流失率环比上升0.6个百分点（2.4% \u2192 3.0%）。"),
    (kpi_flag("yoy_change", "revenue", "CNY", 0, direction="down", by="0.2", before="1000",
              actual="800"),
     "Revenue fell 20.0% from the same month last year (1,000 CNY \u2192 800 CNY).",
     "营业收入同比下降20.0%（1,000 CNY \u2192 800 CNY）。"),
    (kpi_flag("yoy_change", "churn", "%", 1, direction="up", by="1.5", before="1.5",
              actual="3.0"),
     "Churn rose 1.5 points from the same month last year (1.5% \u2192 3.0%).",
     "客户流失率同比上升1.5个百分点（1.5% \u2192 3.0%）。"),
    (kpi_flag("streak", "revenue", "CNY", 0, months="3"),
     "Revenue has been red for 3 months in a row.",
     "营业收入已连续3个月亮红灯。"),
    (kpi_flag("no_value", "avg_order", "CNY", 2, missing="orders,revenue",
              **{"name.orders": "Orders", "name.revenue": "Revenue"}),
     "Avg_Order could not be calculated: no value for Orders, Revenue.",
     "客单价无法计算：订单数、营业收入没有数据。"),
    (kpi_flag("no_value", "avg_order", "CNY", 2),
     "Avg_Order could not be calculated: its formula divides by zero.",
     "客单价无法计算：公式的除数为零。"),
    (flag("raised", section="problems", section_title="Problems", text="Need two vans"),
     "Problems: Need two vans",
     "问题与请示：Need two vans"),
]
