"""Flags: the problems a leader should see, each with a severity and the facts behind it.

A flag keeps no sentence: it keeps its rule and the facts a sentence needs (``params``), and
:func:`summaries.engine.flagwords.flag_text` words them when someone reads them, in that
reader's language. So a month stored in one language reads in any other later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from summaries.config.schema import Config, Department, Kpi
from summaries.engine.asks import ask_lines
from summaries.engine.cell import Cell
from summaries.engine.miss import miss_of
from summaries.engine.targets import gap
from summaries.periods import FILLED_IN_STATES, SUBMITTED_STATES, SubmissionStatus

RULES = ("missing", "late", "below_target", "off_pace", "threshold", "mom_change",
         "yoy_change", "streak", "raised", "no_value")
SEVERITIES = ("red", "amber", "info")
GAP_STEP = Decimal("0.000001")
GAP_LIMIT = Decimal(10) ** 18  # within what the column and the decimal context hold

Params = dict[str, str]


@dataclass(frozen=True)
class FlagSpec:
    """One flag, identified by department, KPI (empty for the summary), rule and subject.

    ``params`` are its facts, text to text: Decimals as their exact ``str()``, months as
    ``YYYY-MM``, keys, and the names of the day (``kpi_name``, ``department_name``,
    ``section_title``) for when a key has left the configuration. Per rule:

    - missing, late: ``department_name``, ``month``
    - below_target: ``actual``, ``target``, ``by`` (points for % KPIs, else a ratio),
      ``side`` (``above`` or ``below``)
    - off_pace: ``accumulate``; for ``sum`` ``ytd_share``, ``pace_share`` and ``month``,
      else ``ytd`` and ``plan``
    - threshold: ``limit`` (``max`` or ``min``), ``actual``, ``bound``
    - mom_change, yoy_change: ``direction`` (``down`` or ``up``), ``by``, ``before``, ``actual``
    - streak: ``months``
    - no_value: ``missing`` (the inputs' keys, comma-separated; none when the formula divides
      by zero) and ``name.<key>`` for each; or ``missing_names`` as written (a stored sentence)
    - raised: ``section``, ``section_title``, ``text`` (the manager's words, unescaped)

    The KPI rules also keep ``kpi_name``, ``unit`` and ``decimals``: figures are in the unit
    of their day. ``sentence`` is the words of a flag stored before flags kept their facts,
    when they could not be read back into ``params``; it is shown as it is.
    """

    department: str
    kpi: str
    rule: str
    severity: str
    params: Mapping[str, str] = field(default_factory=dict)
    subject: str = ""
    # How far the figure misses (``Miss.size``: points for % KPIs, else relative); None for
    # rules that miss nothing. Kept so next month can tell a problem that got worse.
    gap: Decimal | None = None
    sentence: str | None = None

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return self.department, self.kpi, self.rule, self.subject

    def __hash__(self) -> int:  # params are a mapping; equal flags share their identity
        return hash((self.identity, self.severity))


def derive_flags(config: Config, spec: Department, cells: Sequence[Cell],
                 answers: Mapping[str, str], status: str | None, *, period: str,
                 closed: bool) -> list[FlagSpec]:
    """Every flag one department earns this month, in template order: from its KPI cells,
    its written ``answers`` and its submission ``status`` (None before a draft exists)."""
    submitted = status in SUBMITTED_STATES
    # A month with nothing to report is handed in, but holds no figures to judge the pace by.
    skipped = status == SubmissionStatus.SKIPPED
    flags: list[FlagSpec] = []
    whose = {"department_name": spec.name, "month": period}
    if closed and not submitted:
        flags.append(FlagSpec(spec.key, "", "missing", "red", whose))
    if status == SubmissionStatus.LATE:
        flags.append(FlagSpec(spec.key, "", "late", "amber", whose))
    facts = _Facts(config)
    for cell in cells:
        kpi = config.kpi_by_key[cell.kpi]
        for rule, severity, params in facts.cell_flags(kpi, cell, status in FILLED_IN_STATES):
            if skipped and rule == "off_pace":
                continue
            missed = miss_of(kpi, cell, rule)
            flags.append(FlagSpec(spec.key, kpi.key, rule, severity, params,
                                  gap=_rounded(missed.size if missed is not None else None)))
    flags.extend(_raised(config, spec, answers))
    return flags


def _rounded(size: Decimal | None) -> Decimal | None:
    """A gap as stored (six decimals), so that this month's compares with last month's; a
    gap too large to store (a target of almost nothing) is kept as none."""
    if size is None or abs(size) >= GAP_LIMIT:
        return None
    return size.quantize(GAP_STEP)


def _raised(config: Config, spec: Department, answers: Mapping[str, str]
            ) -> Iterator[FlagSpec]:
    """A flag for each non-empty line of a section marked ``raise: true``."""
    for section in config.sections_of(spec):
        if not section.raises:
            continue
        for text in ask_lines(answers.get(section.key, "")):
            digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
            yield FlagSpec(spec.key, "", "raised", "amber",
                           {"section": section.key, "section_title": section.title,
                            "text": text},
                           subject=f"{section.key}:{digest}")


class _Facts:
    """The rules that look at a KPI cell, and the facts that explain them."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.rules = config.rules

    @staticmethod
    def of(kpi: Kpi, **values: Decimal | str | int) -> Params:
        """The facts of one flag on ``kpi``: its name and unit of the day, and ``values``."""
        params = {"kpi_name": kpi.name, "unit": kpi.unit, "decimals": str(kpi.decimals)}
        params.update((key, str(value)) for key, value in values.items())
        return params

    def cell_flags(self, kpi: Kpi, cell: Cell, submitted: bool
                   ) -> Iterator[tuple[str, str, Params]]:
        if cell.target_band in ("amber", "red") and cell.actual is not None and (
                cell.target is not None):
            yield "below_target", cell.target_band, self.short_of_target(kpi, cell)
        if cell.pace_band in ("amber", "red"):
            yield "off_pace", cell.pace_band, self.behind_pace(kpi, cell)
        if cell.breach is not None and cell.actual is not None:
            yield "threshold", "red", self.breached(kpi, cell)
        yield from self.moves(kpi, cell)
        if cell.red_streak >= self.rules.streak_months:
            yield "streak", "red", self.of(kpi, months=cell.red_streak)
        if kpi.formula and cell.actual is None and (
                submitted or len(cell.missing_inputs) < len(kpi.parsed_formula.inputs
                                                            if kpi.parsed_formula else ())):
            yield "no_value", "info", self.not_computed(kpi, cell)

    def short_of_target(self, kpi: Kpi, cell: Cell) -> Params:
        assert cell.actual is not None
        assert cell.target is not None
        if kpi.is_percent:
            by = abs(cell.actual - cell.target)
        else:
            by = abs(gap(cell.actual, cell.target, kpi.better) or Decimal(0))
        return self.of(kpi, actual=cell.actual, target=cell.target, by=by,
                       side="above" if kpi.better == "lower" else "below")

    def behind_pace(self, kpi: Kpi, cell: Cell) -> Params:
        assert cell.ytd_share is not None
        assert cell.pace_share is not None
        if kpi.accumulate == "sum":
            return self.of(kpi, accumulate="sum", ytd_share=cell.ytd_share,
                           pace_share=cell.pace_share, month=cell.month)
        assert cell.ytd is not None
        assert cell.annual_plan is not None
        return self.of(kpi, accumulate=kpi.accumulate, ytd=cell.ytd, plan=cell.annual_plan)

    def breached(self, kpi: Kpi, cell: Cell) -> Params:
        assert cell.actual is not None
        bound = cell.limit_max if cell.breach == "max" else cell.limit_min
        assert bound is not None
        return self.of(kpi, limit=cell.breach or "min", actual=cell.actual, bound=bound)

    def moves(self, kpi: Kpi, cell: Cell) -> Iterator[tuple[str, str, Params]]:
        if kpi.better == "none":
            return
        checks = (("mom_change", cell.mom, cell.previous, self.rules.mom_change),
                  ("yoy_change", cell.yoy, cell.year_ago, self.rules.yoy_change))
        for rule, moved, before, limit in checks:
            if moved is None or before is None or cell.actual is None:
                continue
            against = -moved if kpi.better == "higher" else moved
            # A % KPI's change and the rule's limit are in points; any other's are relative.
            if (against if kpi.is_percent else against * 100) > limit:
                yield rule, "amber", self.of(
                    kpi, direction="down" if moved < 0 else "up", by=abs(moved),
                    before=before, actual=cell.actual)

    def not_computed(self, kpi: Kpi, cell: Cell) -> Params:
        if not cell.missing_inputs:
            return self.of(kpi)
        names = {f"name.{key}": self.config.kpi_by_key[key].name
                 for key in cell.missing_inputs if key in self.config.kpi_by_key}
        return self.of(kpi, missing=",".join(cell.missing_inputs), **names)
