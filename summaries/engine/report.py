"""A whole month for the organization: the structure the digest, confirmations and /kpi render."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from summaries.config.schema import Config, Department, Kpi
from summaries.engine.cell import Cell
from summaries.engine.cells import Engine, rank_siblings
from summaries.engine.figurebook import FigureBook, FigureTable
from summaries.engine.flags import FlagSpec, derive_flags
from summaries.engine.targets import (
    Status,
    TargetBook,
    TargetRow,
    severity_rank,
    worst,
)
from summaries.periods import SUBMITTED_STATES, Month, SubmissionStatus


@dataclass(frozen=True)
class SubmissionState:
    """Where a department's summary stands this month."""

    status: SubmissionStatus
    submitted_by: str | None = None
    submitted_at: datetime | None = None
    updated_at: datetime | None = None
    skip_reason: str | None = None  # why a skipped month has nothing to report


@dataclass(frozen=True)
class PeriodInputs:
    """What the engine reads from storage for one month (and the months it looks back on)."""

    figures: FigureTable
    sources: Mapping[tuple[str, str, str], str] = field(default_factory=dict)
    targets: tuple[TargetRow, ...] = ()
    submissions: Mapping[str, SubmissionState] = field(default_factory=dict)
    answers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass
class DepartmentResult:
    """One department's month: its summary, its KPI cells in template order, its flags."""

    spec: Department
    submission: SubmissionState | None
    answers: Mapping[str, str]
    cells: list[Cell]
    flags: list[FlagSpec] = field(default_factory=list)
    # A print of everything its cells hold, where one was worked out (a result read back
    # from what was kept of it: summaries.checkins.keptmonth); its cells are not changed after.
    cells_print: str | None = field(default=None, compare=False, repr=False)
    _by_kpi: dict[str, Cell] = field(default_factory=dict, init=False, repr=False,
                                     compare=False)
    _indexed: list[Cell] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def submitted(self) -> bool:
        return self.submission is not None and self.submission.status in SUBMITTED_STATES

    @property
    def status(self) -> Status | None:
        """The worst status among the department's KPIs."""
        return worst(c.status for c in self.cells)

    def cell(self, kpi: str) -> Cell | None:
        if self._indexed is not self.cells:  # built on first use, again for new cells
            self._by_kpi = {c.kpi: c for c in self.cells}
            self._indexed = self.cells
        return self._by_kpi.get(kpi)


@dataclass
class PeriodReport:
    """Every department's result for a month, with the organization's headline figures."""

    period: Month
    closed: bool
    departments: list[DepartmentResult]
    headline: list[Cell]

    def department(self, key: str) -> DepartmentResult | None:
        return next((d for d in self.departments if d.key == key), None)

    @property
    def flags(self) -> list[FlagSpec]:
        """All flags, red first, then amber, then info; in template order within each."""
        every = [f for d in self.departments for f in d.flags]
        return sorted(every, key=lambda f: severity_rank(f.severity))

    @property
    def submitted_count(self) -> int:
        return sum(1 for d in self.departments if d.submitted)


ORGANIZATION = "*"  # the figure book's key for the whole organization


def evaluate(config: Config, period: Month, inputs: PeriodInputs, *, closed: bool,
             departments: Collection[str] | None = None) -> PeriodReport:
    """Compare every KPI of every department (or of ``departments``) for ``period``."""
    engine = organization_engine(config, inputs.figures, inputs.sources, inputs.targets)
    wanted = set(departments) if departments is not None else None
    results = []
    for spec in config.departments_in(str(period)):  # those that exist this month
        if wanted is not None and spec.key not in wanted:
            continue
        cells = [engine.cell(spec.key, kpi, period) for kpi in config.kpis_of(spec)]
        results.append(DepartmentResult(spec, inputs.submissions.get(spec.key),
                                        inputs.answers.get(spec.key, {}), cells))
    rank_siblings((c for r in results for c in r.cells),
                  {d.key: d.parent_in(str(period)) for d in config.departments}, config.kpi_by_key)
    for result in results:
        status = result.submission.status if result.submission is not None else None
        result.flags = derive_flags(config, result.spec, result.cells, result.answers, status,
                                    period=str(period), closed=closed)
    headline = [organization_cell(engine, config, kpi, period) for kpi in config.headline_kpis()]
    return PeriodReport(period, closed, results, headline)


def organization_engine(config: Config, figures: FigureTable,
                        sources: Mapping[tuple[str, str, str], str],
                        targets: Collection[TargetRow]) -> Engine:
    """An engine over every department, with the organization (``*``) as their common root."""
    book = FigureBook.for_config(config, figures, sources, root=ORGANIZATION)
    return Engine(config, book, TargetBook(targets))


def organization_tops(engine: Engine, config: Config, kpi: Kpi) -> list[str]:
    """The top-level departments whose plans add up to the organization's, for a total KPI.

    Only totals (``sum`` KPIs that are not derived) add up to an organization-wide target or
    plan; for any other KPI the list is empty.
    """
    if kpi.accumulate != "sum" or kpi.formula:
        return []
    return [d.key for d in config.departments
            if d.parent_key is None and engine.book.carries(d.key, kpi.key)]


def organization_target(engine: Engine, tops: list[str], kpi: Kpi,
                        period: Month) -> Decimal | None:
    """The organization's monthly target: the sum of the ``tops``' (their own, or rolled up
    from their children), when every one of them has one."""
    if not tops:
        return None
    found = engine.monthly_target(ORGANIZATION, kpi, str(period))
    return found[0] if found is not None else None


def organization_cell(engine: Engine, config: Config, kpi: Kpi, period: Month) -> Cell:
    """The organization's figure for a headline KPI: its top-level departments' figures, and
    for a total KPI their monthly targets and annual plans, rolled up like any parent's."""
    return engine.cell(ORGANIZATION, kpi, period)
