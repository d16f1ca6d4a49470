"""A small organization and helpers to evaluate it from in-memory figures and targets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.engine.cell import Cell
from summaries.engine.report import PeriodInputs, PeriodReport, SubmissionState, evaluate
from summaries.engine.targets import TargetRow
from summaries.periods import Month, SubmissionStatus

ORG = """
organization:
  name: Test Co
  timezone: UTC
  locale: {locale}
  fiscal_year_start: {fiscal_year_start}
  leadership_channel: C0LEAD
sections:
  - {{key: sales, title: Sales}}
  - {{key: problems, title: Problems and requests, raise: true}}
kpis:
  - {{key: revenue, name: Revenue, unit: CNY, better: {revenue_better}, accumulate: sum,
     headline: true}}
  - {{key: orders, name: Orders, unit: orders, better: higher, accumulate: sum}}
  - {{key: avg_order, name: Average order, unit: CNY, decimals: 2, formula: "revenue / orders"}}
  - {{key: churn, name: Loss rate, unit: "%", decimals: 2, better: lower, accumulate: mean}}
  - {{key: recovery, name: Recovery rate, unit: "%", decimals: 1, better: higher,
     accumulate: mean, tolerance: 1}}
  - {{key: customers, name: Customers, unit: customers, better: higher, accumulate: last}}
departments:
  - {{key: north, name: North Region, manager: U0N,
     kpis: [revenue, orders, avg_order, churn, recovery, customers]}}
  - {{key: n1, name: North One, parent: north, manager: U01,
     kpis: [revenue, orders, avg_order, churn, recovery, customers]}}
  - {{key: n2, name: North Two, parent: north, manager: U02,
     kpis: [revenue, orders, avg_order, churn, recovery, customers]}}
  - {{key: n3, name: North Three, parent: north, manager: U03, kpis: [revenue, orders]}}
  - {{key: solo, name: Solo Office, manager: U0S, kpis: [revenue, churn]}}
rules:
  tolerance: 5%
  mom_change: 20%
  yoy_change: 15%
  streak_months: 3
  pacing_grace_months: {grace}
"""
T0 = datetime(2025, 1, 1, tzinfo=UTC)
OCT = Month(2026, 10)


def org(fiscal_year_start: int = 1, grace: int = 2, revenue_better: str = "higher",
        locale: str = "en") -> Config:
    """The test organization, with a few settings changed."""
    return parse_config(ORG.format(fiscal_year_start=fiscal_year_start, grace=grace,
                                   revenue_better=revenue_better, locale=locale), "org.yaml")


class Data:
    """Figures, targets and submissions being assembled for one evaluation."""

    def __init__(self) -> None:
        self.figures: dict[tuple[str, str], dict[str, Decimal]] = {}
        self.sources: dict[tuple[str, str, str], str] = {}
        self.targets: list[TargetRow] = []
        self.submissions: dict[str, SubmissionState] = {}
        self.answers: dict[str, dict[str, str]] = {}

    def figure(self, dept: str, kpi: str, month: str, value: str | int,
               source: str = "submitted") -> Data:
        self.figures.setdefault((dept, kpi), {})[month] = Decimal(value)
        if source != "submitted":
            self.sources[(dept, kpi, month)] = source
        return self

    def series(self, dept: str, kpi: str, first: str, values: list[str | int | None]) -> Data:
        start = Month.parse(first)
        for offset, value in enumerate(values):
            if value is not None:
                self.figure(dept, kpi, str(start.shift(offset)), value)
        return self

    def target(self, kind: str, kpi: str, value: str | int, *, dept: str | None = None,
               month: str | None = None, year: int | None = None, stretch: str | None = None,
               phasing: list[int] | None = None) -> Data:
        self.targets.append(TargetRow(
            kind, kpi, dept, month, year, Decimal(value),
            Decimal(stretch) if stretch else None,
            tuple(Decimal(w) for w in phasing) if phasing else None,
            T0 + timedelta(seconds=len(self.targets)), len(self.targets)))
        return self

    def submitted(self, dept: str, status: str = "submitted", **answers: str) -> Data:
        self.submissions[dept] = SubmissionState(SubmissionStatus(status), "U0X", T0)
        self.answers[dept] = answers
        return self

    def inputs(self) -> PeriodInputs:
        return PeriodInputs(self.figures, self.sources, tuple(self.targets), self.submissions,
                            self.answers)

    def evaluate(self, config: Config | None = None, month: Month = OCT,
                 closed: bool = False) -> PeriodReport:
        return evaluate(config or org(), month, self.inputs(), closed=closed)


def cell(report: PeriodReport, dept: str, kpi: str) -> Cell:
    """The cell of one department and KPI; fails the test if there is none."""
    result = report.department(dept)
    assert result is not None
    found = result.cell(kpi)
    assert found is not None
    return found
