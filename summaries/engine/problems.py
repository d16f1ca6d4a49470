"""Problems: what a reader is told (SPEC 4.1).

Flags are the engine's facts; a problem gathers every flag of one department-and-KPI cell, takes
the worst severity, and carries what the digest needs to order and fold them: the size of the
miss, its impact on the organization, whether it is minor, whether it restates a child's, and
how it stands against last month's problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from summaries.config.schema import Config, Kpi
from summaries.engine.asks import Ask
from summaries.engine.cell import Cell
from summaries.engine.flags import FlagSpec
from summaries.engine.flagwords import FlagFacts
from summaries.engine.miss import Miss, miss_of
from summaries.engine.outlook import Tree
from summaries.engine.report import DepartmentResult
from summaries.engine.targets import severity_rank

# Facts about a whole department, not a cell: the counts line and the status line tell them.
NOT_PROBLEMS = frozenset({"missing", "late", "raised"})
# Rules that can never make a problem minor, whatever its size (SPEC 4.1).
NEVER_MINOR = frozenset({"threshold", "streak", "missing", "raised"})
ZERO = Decimal(0)


@dataclass(frozen=True)
class Problem:
    """One department-and-KPI with everything flagged about it this month."""

    department: str
    kpi: str
    severity: str  # the worst of its flags
    flags: tuple[FlagSpec, ...]  # its facts, in the engine's order
    cell: Cell | None
    gap: Decimal | None = None  # the largest miss (points for % KPIs, else relative)
    impact: Decimal = ZERO  # orders problems of one severity, largest first
    minor: bool = False
    since: str | None = None  # new | worse | recurring; None when last month is unknown
    restates: str | None = None  # a parent's problem that is its child's: that child's key

    @property
    def identity(self) -> tuple[str, str]:
        return self.department, self.kpi

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(f.rule for f in self.flags)


@dataclass(frozen=True)
class Earlier:
    """A problem of last month, as its stored flags tell it."""

    department: str
    kpi: str
    severity: str
    gap: Decimal | None
    flags: tuple[FlagSpec, ...]  # its facts, worded where shown (flagwords.flag_text)


def find_problems(config: Config, results: Sequence[DepartmentResult], period: str,
                  totals: Mapping[str, Decimal] | None = None) -> list[Problem]:
    """Every department-and-KPI problem of the month, red first, then amber, then info, the
    minor ones after the others of their severity, each by impact (largest first).

    ``totals`` are the organization's figures of the ``sum`` KPIs, by KPI, the scale of
    impact; by default the top-level departments' figures added up.
    """
    totals = dict(totals) if totals is not None else organization_totals(config, results,
                                                                         period)
    found: list[Problem] = []
    for result in results:
        groups: dict[str, list[FlagSpec]] = {}
        for flag in result.flags:
            if flag.rule not in NOT_PROBLEMS and flag.kpi:
                groups.setdefault(flag.kpi, []).append(flag)
        for kpi_key, flags in groups.items():
            found.append(_problem(config, config.kpi_by_key[kpi_key], result.cell(kpi_key),
                                  tuple(flags), totals.get(kpi_key)))
    found = _restated(config, results, period, found)
    return sorted(found, key=_order)


def _order(problem: Problem) -> tuple[int, bool, Decimal]:
    return severity_rank(problem.severity), problem.minor, -problem.impact


def _problem(config: Config, kpi: Kpi, cell: Cell | None, flags: tuple[FlagSpec, ...],
             total: Decimal | None) -> Problem:
    severity = min((f.severity for f in flags), key=severity_rank)
    misses = [miss_of(kpi, cell, f.rule) if cell is not None else None for f in flags]
    sizes = [m.size for m in misses if m is not None and m.size is not None]
    minor = severity == "amber" and all(
        f.rule not in NEVER_MINOR and m is not None and _immaterial(config, kpi, m)
        for f, m in zip(flags, misses, strict=True))
    return Problem(flags[0].department, kpi.key, severity, flags, cell,
                   gap=max(sizes) if sizes else None,
                   impact=_impact(kpi, cell, misses, total), minor=minor)


def _immaterial(config: Config, kpi: Kpi, miss: Miss) -> bool:
    if kpi.materiality is not None:
        return miss.unit < kpi.materiality
    if miss.size is None:
        return False
    size = miss.size if kpi.is_percent else miss.size * 100
    return size < config.rules.materiality


def _impact(kpi: Kpi, cell: Cell | None, misses: Iterable[Miss | None],
            total: Decimal | None) -> Decimal:
    """For a total, the miss in the KPI's unit as a share of the organization's figure;
    otherwise the distance past the target, limit or floor relative to it. A problem of
    changes alone weighs its change the same way."""
    found = [m for m in misses if m is not None]
    if not found and cell is not None and cell.actual is not None:
        moved = [before for before in (cell.previous, cell.year_ago) if before is not None]
        found = [Miss(abs(cell.actual - b), abs(cell.actual - b) / abs(b) if b else None, None)
                 for b in moved]
    if kpi.accumulate == "sum" and not kpi.formula and total:
        return max((m.unit / abs(total) for m in found), default=ZERO)
    return max((m.relative for m in found if m.relative is not None), default=ZERO)


def organization_totals(config: Config, results: Sequence[DepartmentResult],
                        period: str) -> dict[str, Decimal]:
    """The top-level departments' figures of each total KPI, added up."""
    totals: dict[str, Decimal] = {}
    for result in results:
        if result.spec.parent_in(period) is not None:
            continue
        for cell in result.cells:
            kpi = config.kpi_by_key[cell.kpi]
            if cell.actual is not None and kpi.accumulate == "sum" and not kpi.formula:
                totals[cell.kpi] = totals.get(cell.kpi, ZERO) + cell.actual
    return totals


def _restated(config: Config, results: Sequence[DepartmentResult], period: str,
              problems: list[Problem]) -> list[Problem]:
    """A rolled-up parent's problem that is no worse than a child's on the same KPI names that
    child (the worst, then the largest) instead of standing as a problem of its own."""
    by_identity = {p.identity: p for p in problems}
    children = Tree(results, period).children
    marked = []
    for problem in problems:
        cell = problem.cell
        below = [by_identity[(child.key, problem.kpi)]
                 for child in children.get(problem.department, ())
                 if (child.key, problem.kpi) in by_identity]
        if cell is not None and cell.source == "rollup" and below:
            worst = min(below, key=_order)
            if severity_rank(worst.severity) <= severity_rank(problem.severity):
                problem = replace(problem, restates=worst.department)
        marked.append(problem)
    return marked


def since_last_month(problems: Sequence[Problem], earlier: Sequence[Earlier] | None,
                     reported: Iterable[tuple[str, str]]) -> tuple[list[Problem], list[Earlier]]:
    """Mark each problem new, worse or recurring against last month's, and list last month's
    problems now gone (resolved) among the ``reported`` department-and-KPI cells: a cell without
    a figure this month has not resolved anything. Without ``earlier`` nothing is marked."""
    if earlier is None:
        return list(problems), []
    before = {(e.department, e.kpi): e for e in earlier}
    marked = []
    for problem in problems:
        old = before.get(problem.identity)
        marked.append(_marked(problem, _since(problem, old)))
    now = {p.identity for p in problems}
    seen = set(reported)
    resolved = [e for key, e in before.items() if key not in now and key in seen]
    return marked, resolved


def _marked(problem: Problem, since: str) -> Problem:
    """``problem`` marked ``since``, as ``replace`` makes it at a third of its cost (a month
    has thousands of problems)."""
    return Problem(problem.department, problem.kpi, problem.severity, problem.flags,
                   problem.cell, problem.gap, problem.impact, problem.minor, since,
                   problem.restates)


def _since(problem: Problem, old: Earlier | None) -> str:
    if old is None:
        return "new"
    if severity_rank(problem.severity) < severity_rank(old.severity):
        return "worse"
    if (problem.gap is not None and old.gap is not None and problem.gap > old.gap
            and problem.severity == old.severity):
        return "worse"
    return "recurring"


def earlier_problems(flags: Iterable[FlagSpec]) -> list[Earlier]:
    """Last month's problems from its flags (stored, or derived again where none were kept)."""
    groups: dict[tuple[str, str], list[FlagSpec]] = {}
    for flag in flags:
        if flag.rule not in NOT_PROBLEMS and flag.kpi:
            groups.setdefault((flag.department, flag.kpi), []).append(flag)
    found = []
    for (department, kpi), group in groups.items():
        gaps = [f.gap for f in group if f.gap is not None]
        found.append(Earlier(department, kpi, min((f.severity for f in group), key=severity_rank),
                             max(gaps) if gaps else None, tuple(group)))
    return found


def asks_of(config: Config, result: DepartmentResult, period: str | None = None) -> list[Ask]:
    """The department's raised lines as open asks, in the order it wrote them (from its
    ``raised`` flags: what a month shows where no ask is stored)."""
    found = []
    for flag in result.flags:
        if flag.rule != "raised":
            continue
        facts = FlagFacts(flag, config)
        if "text" in flag.params:
            title, text = facts.section_title(), flag.params["text"]
        else:  # a line stored as words before flags kept their facts
            section = config.section_by_key.get(flag.subject.partition(":")[0])
            title = section.title if section is not None else ""
            text = flag.sentence or ""
            text = text.removeprefix(f"{title}: ") if title else text
        found.append(Ask(result.key, title, text, flag.subject, period=period))
    return found
