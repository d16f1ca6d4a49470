"""The leadership digest of a month: what the header, the thread and the exports show.

Pure data compiled from a :class:`~summaries.engine.report.PeriodReport`; Slack, Markdown and HTML
renderings live elsewhere (``bot/blocks/digest.py``, ``summaries/digest/render``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from summaries.config.rules import DigestRules
from summaries.config.schema import Config, Kpi
from summaries.digest.text import RowText, row_text
from summaries.digest.voice import voice_key
from summaries.engine.asks import Ask, AskBoard
from summaries.engine.cell import Cell
from summaries.engine.flags import FlagSpec
from summaries.engine.outlook import Contributors, Projection, Tree, contributors, projection
from summaries.engine.problems import (
    Earlier,
    Problem,
    asks_of,
    find_problems,
    organization_totals,
    since_last_month,
)
from summaries.engine.report import DepartmentResult, PeriodReport
from summaries.periods import Month

TREND_MONTHS = 12


@dataclass(frozen=True)
class KpiRow:
    """One KPI of a department (or of the organization) with its comparison."""

    kpi: Kpi
    cell: Cell
    # When and by whom the figure was last changed, if it changed after it was first given.
    revised: tuple[datetime, str] | None = None
    # The gap to target split by the departments below (headline and parents' sum KPIs).
    contributors: Contributors | None = None
    projection: Projection | None = None  # where the year ends at this pace (sum KPIs)
    _texts: dict[tuple[str, str], RowText] = field(default_factory=dict, init=False,
                                                   repr=False, compare=False)

    def text(self, locale: str) -> RowText:
        """Every column formatted for ``locale`` (in the reader's language, inside
        ``speaking``); worked out once per language, however many media show it."""
        key = voice_key(locale)
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = row_text(self.kpi, self.cell, locale)
        return found


@dataclass(frozen=True)
class DepartmentDigest:
    """One department's part of the digest: its thread reply."""

    key: str
    name: str
    manager: str
    status: str  # "submitted" | "late" | "skipped" (nothing to report) | "missing"
    submitted_at: datetime | None
    sections: list[tuple[str, str]]  # (title, text): non-empty answers in template order
    rows: list[KpiRow]
    flags: list[FlagSpec]
    imported: bool  # figures present although not submitted
    section_keys: list[str] = field(default_factory=list)  # the keys of ``sections``, in step
    problems: tuple[Problem, ...] = ()  # its problems, worst first, minor ones included
    asks: tuple[Ask, ...] = ()  # raised this month, in the order written (none withdrawn)
    carried: tuple[Ask, ...] = ()  # still open from earlier months, oldest first
    reminders: int = 0  # reminders its manager was sent this month
    parent: str | None = None  # the department it rolls up into this month
    skip_reason: str | None = None  # why a skipped month has nothing to report
    # Its result's print of its rows' cells, if it has one (a part's print takes it instead
    # of printing every cell: summaries.digest.render.parts).
    cells_print: str | None = field(default=None, compare=False, repr=False)
    _rows: dict[str, KpiRow] = field(default_factory=dict, init=False, repr=False,
                                     compare=False)

    def row(self, kpi: str) -> KpiRow | None:
        """The row of ``kpi``, or None: indexed on first use, since every problem line looks
        its row up and a scan per problem grows with problems times KPIs."""
        if not self._rows:
            self._rows.update((r.kpi.key, r) for r in reversed(self.rows))
        return self._rows.get(kpi)

    @property
    def written(self) -> list[tuple[str, str]]:
        """The sections to show after the figures: those whose lines are not already listed
        as asks."""
        raised = {ask.section for ask in self.asks}
        return [(title, text) for title, text in self.sections if title not in raised]


@dataclass(frozen=True)
class TrendSeries:
    """A headline KPI of the organization month by month, against its target, its control
    limit and floor, and the same months a year before.

    Every list runs alongside :attr:`Trend.months`; None is a month without a value (drawn as
    a gap, never as zero). The last three may be left empty: nothing to draw (``/kpi``).
    """

    kpi: Kpi
    actual: list[Decimal | None]
    target: list[Decimal | None]
    limit_max: list[Decimal | None] = field(default_factory=list)  # the `max` in force
    limit_min: list[Decimal | None] = field(default_factory=list)  # the `min` in force
    year_before: list[Decimal | None] = field(default_factory=list)  # actual 12 months earlier


@dataclass(frozen=True)
class Trend:
    """The headline KPIs over the last months, oldest first."""

    months: list[Month]
    series: list[TrendSeries]
    units: str | None = None  # compact units of the axes (organization.compact_units)


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
    problems: tuple[Problem, ...] = ()  # every department's, worst first (SPEC 4.1)
    asks: tuple[Ask, ...] = ()  # raised this month, newest first
    carried: tuple[Ask, ...] = ()  # still open from earlier months, oldest first
    resolved: tuple[Earlier, ...] = ()  # last month's problems now gone
    previous: Month | None = None  # the month problems are compared with, when known
    rules: DigestRules = field(default_factory=DigestRules)
    compact_units: str = "auto"  # large amounts in headlines and charts (organization's)
    _by_key: dict[str, DepartmentDigest] = field(default_factory=dict, init=False, repr=False,
                                                 compare=False)
    _names: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    # Text worked out once however many media show it (header and replies, Slack and files).
    memo: dict[object, object] = field(default_factory=dict, init=False, repr=False,
                                       compare=False)

    def department(self, key: str) -> DepartmentDigest | None:
        """The department with ``key``, or None."""
        if not self._by_key:  # built on first use: a reply per department must not scan all
            self._by_key.update((d.key, d) for d in self.departments)
        return self._by_key.get(key)

    @property
    def names(self) -> dict[str, str]:
        """Department names by key (built once)."""
        if not self._names:
            self._names.update((d.key, d.name) for d in self.departments)
        return self._names

    @property
    def late(self) -> int:
        """How many departments submitted after the close."""
        return sum(1 for d in self.departments if d.status == "late")

    @property
    def skipped(self) -> list[DepartmentDigest]:
        """The departments that marked the month "nothing to report"."""
        return [d for d in self.departments if d.status == "skipped"]


def compile_digest(config: Config, report: PeriodReport, trend: Trend | None = None,
                   revised: Mapping[tuple[str, str], tuple[datetime, str]] | None = None,
                   earlier: Sequence[Earlier] | None = None,
                   reminders: Mapping[str, int] | None = None,
                   asks: AskBoard | None = None) -> Digest:
    """Arrange an evaluated month for the digest's header, thread and exports; ``revised``
    says, by department and KPI, when and by whom a figure changed after it was first given;
    ``earlier`` are last month's problems, when known; ``asks`` are the stored asks (without
    them, the month's raised lines are shown as open asks)."""
    kpis = config.kpi_by_key
    period = str(report.period)
    totals = organization_totals(config, report.departments, period)
    for cell in report.headline:
        if cell.actual is not None and cell.kpi in totals:
            totals[cell.kpi] = cell.actual
    found = find_problems(config, report.departments, period, totals)
    reported = [(d.key, c.kpi) for d in report.departments for c in d.cells
                if c.actual is not None]
    problems, resolved = since_last_month(found, earlier, reported)
    tree = Tree(report.departments, period)
    by_department: dict[str, list[Problem]] = {}
    for problem in problems:
        by_department.setdefault(problem.department, []).append(problem)
    board = asks if asks is not None else AskBoard.from_flags(
        a for result in report.departments for a in asks_of(config, result, period))
    departments = [replace(_department(config, result, revised or {},
                                       by_department.get(result.key, []), report, tree),
                           reminders=(reminders or {}).get(result.key, 0),
                           asks=board.raised_by(result.key), carried=board.carried_by(result.key))
                   for result in report.departments]
    names = {d.key: d.name for d in departments}
    flags = [(names.get(f.department, f.department), f) for f in report.flags
             if f.rule != "missing"]
    raised = [ask for d in sorted(departments, key=_newest_first) for ask in d.asks]
    headline = [KpiRow(kpis[cell.kpi], cell,
                       contributors=contributors(kpis[cell.kpi], cell, tree, None),
                       projection=projection(kpis[cell.kpi], cell))
                for cell in report.headline]
    return Digest(
        period=report.period,
        organization=config.organization.name,
        locale=config.organization.locale,
        submitted=report.submitted_count,
        total=len(report.departments),
        headline=headline,
        flags=flags,
        departments=departments,
        missing=[d for d in departments if d.status == "missing"],
        trend=trend,
        timezone=config.organization.timezone,
        problems=tuple(problems),
        asks=tuple(raised),
        carried=board.carried,
        resolved=tuple(resolved),
        previous=report.period.shift(-1) if earlier is not None else None,
        rules=config.rules.digest,
        compact_units=config.organization.compact_units,
    )


def _newest_first(department: DepartmentDigest) -> tuple[bool, float]:
    when = department.submitted_at
    return when is None, -when.timestamp() if when is not None else 0.0


def _department(config: Config, result: DepartmentResult,
                revised: Mapping[tuple[str, str], tuple[datetime, str]],
                problems: Sequence[Problem], report: PeriodReport, tree: Tree
                ) -> DepartmentDigest:
    submitted = result.submitted
    submission = result.submission
    below = result.key in tree.children  # a department with none splits no gap
    answered = [(s.key, s.title, text) for s in config.sections_of(result.spec)
                if (text := result.answers.get(s.key, "").strip())]
    return DepartmentDigest(
        key=result.key,
        name=result.spec.name,
        manager=result.spec.manager,
        status=submission.status if submitted and submission is not None else "missing",
        submitted_at=submission.submitted_at if submitted and submission is not None else None,
        sections=[(title, text) for _, title, text in answered],
        rows=[KpiRow(config.kpi_by_key[cell.kpi], cell, revised.get((result.key, cell.kpi)),
                     contributors=contributors(config.kpi_by_key[cell.kpi], cell, tree,
                                               result.key) if below else None)
              for cell in result.cells],
        flags=list(result.flags),
        imported=not submitted and any(c.source == "imported" for c in result.cells),
        section_keys=[key for key, _, _ in answered],
        problems=tuple(problems),  # its own, worst first
        parent=result.spec.parent_in(str(report.period)),
        skip_reason=submission.skip_reason if submission is not None else None,
        cells_print=result.cells_print,
    )
