"""The leadership digest of a month: what the header, the thread and the exports show.

Pure data compiled from a :class:`~summaries.engine.report.PeriodReport`; Slack, Markdown and HTML
renderings live elsewhere (``bot/blocks/digest.py``, ``summaries/digest/render``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from summaries.config.schema import Config, Kpi
from summaries.digest.text import RowText, row_text
from summaries.engine.cell import Cell
from summaries.engine.figurebook import FigureTable
from summaries.engine.flags import FlagSpec
from summaries.engine.report import (
    ORGANIZATION,
    DepartmentResult,
    PeriodReport,
    organization_engine,
    organization_target,
    organization_tops,
)
from summaries.engine.targets import TargetRow
from summaries.periods import Month

TREND_MONTHS = 12


@dataclass(frozen=True)
class KpiRow:
    """One KPI of a department (or of the organization) with its comparison."""

    kpi: Kpi
    cell: Cell
    # When and by whom the figure was last changed, if it changed after it was first given.
    revised: tuple[datetime, str] | None = None
    _texts: dict[str, RowText] = field(default_factory=dict, init=False, repr=False,
                                       compare=False)

    def text(self, locale: str) -> RowText:
        """Every column formatted for ``locale``; worked out once, however many media show it."""
        found = self._texts.get(locale)
        if found is None:
            found = self._texts[locale] = row_text(self.kpi, self.cell, locale)
        return found


@dataclass(frozen=True)
class DepartmentDigest:
    """One department's part of the digest: its thread reply."""

    key: str
    name: str
    manager: str
    status: str  # "submitted" | "late" | "missing"
    submitted_at: datetime | None
    sections: list[tuple[str, str]]  # (title, text): non-empty answers in template order
    rows: list[KpiRow]
    flags: list[FlagSpec]
    imported: bool  # figures present although not submitted
    section_keys: list[str] = field(default_factory=list)  # the keys of ``sections``, in step


@dataclass(frozen=True)
class TrendSeries:
    """A headline KPI of the organization month by month, against its target."""

    kpi: Kpi
    actual: list[Decimal | None]
    target: list[Decimal | None]


@dataclass(frozen=True)
class Trend:
    """The headline KPIs over the last months, oldest first."""

    months: list[Month]
    series: list[TrendSeries]


@dataclass(frozen=True)
class RevisionRow:
    """One change to a month's summary or figures: the revision trail an export shows."""

    department: str
    field: str  # section:<key> or kpi:<key>
    old: str | None
    new: str | None
    source: str
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True)
class Digest:
    """The month for leadership.

    ``departments`` holds every department in configuration order, those that did not submit
    included; ``missing`` is the subset that did not. ``flags`` are every department's flags,
    red, then amber, then info, except the ``missing`` ones, which ``missing`` lists.
    """

    period: Month
    organization: str
    locale: str
    submitted: int
    total: int
    headline: list[KpiRow]
    flags: list[tuple[str, FlagSpec]]  # (department name, flag)
    departments: list[DepartmentDigest]
    missing: list[DepartmentDigest]
    trend: Trend | None
    timezone: str = "UTC"  # the organization's, for days shown
    revisions: tuple[RevisionRow, ...] = ()  # read for exports only
    _by_key: dict[str, DepartmentDigest] = field(default_factory=dict, init=False, repr=False,
                                                 compare=False)

    def department(self, key: str) -> DepartmentDigest | None:
        """The department with ``key``, or None."""
        if not self._by_key:  # built on first use: a reply per department must not scan all
            self._by_key.update((d.key, d) for d in self.departments)
        return self._by_key.get(key)

    @property
    def late(self) -> int:
        """How many departments submitted after the close."""
        return sum(1 for d in self.departments if d.status == "late")


def compile_digest(config: Config, report: PeriodReport, trend: Trend | None = None,
                   revised: Mapping[tuple[str, str], tuple[datetime, str]] | None = None
                   ) -> Digest:
    """Arrange an evaluated month for the digest's header, thread and exports; ``revised``
    says, by department and KPI, when and by whom a figure changed after it was first given."""
    kpis = config.kpi_by_key
    departments = [_department(config, result, revised or {}) for result in report.departments]
    names = {d.key: d.name for d in departments}
    flags = [(names.get(f.department, f.department), f) for f in report.flags
             if f.rule != "missing"]
    return Digest(
        period=report.period,
        organization=config.organization.name,
        locale=config.organization.locale,
        submitted=report.submitted_count,
        total=len(report.departments),
        headline=[KpiRow(kpis[cell.kpi], cell) for cell in report.headline],
        flags=flags,
        departments=departments,
        missing=[d for d in departments if d.status == "missing"],
        trend=trend,
        timezone=config.organization.timezone,
    )


def _department(config: Config, result: DepartmentResult,
                revised: Mapping[tuple[str, str], tuple[datetime, str]]) -> DepartmentDigest:
    submitted = result.submitted
    submission = result.submission
    answered = [(s.key, s.title, text) for s in config.sections_of(result.spec)
                if (text := result.answers.get(s.key, "").strip())]
    return DepartmentDigest(
        key=result.key,
        name=result.spec.name,
        manager=result.spec.manager,
        status=submission.status if submitted and submission is not None else "missing",
        submitted_at=submission.submitted_at if submitted and submission is not None else None,
        sections=[(title, text) for _, title, text in answered],
        rows=[KpiRow(config.kpi_by_key[cell.kpi], cell, revised.get((result.key, cell.kpi)))
              for cell in result.cells],
        flags=list(result.flags),
        imported=not submitted and any(c.source == "imported" for c in result.cells),
        section_keys=[key for key, _, _ in answered],
    )


def build_trend(config: Config, months: list[Month], figures: FigureTable,
                targets: tuple[TargetRow, ...]) -> Trend:
    """The headline series from figures and targets already read (no department evaluated)."""
    engine = organization_engine(config, figures, {}, targets)
    series = []
    for kpi in config.headline_kpis():
        tops = organization_tops(engine, config, kpi)
        series.append(TrendSeries(
            kpi,
            [engine.book.value(ORGANIZATION, kpi.key, str(m)) for m in months],
            [organization_target(engine, tops, kpi, m) for m in months]))
    return Trend(list(months), series)
