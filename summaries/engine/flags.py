"""Flags: the problems a leader should see, each with a severity and a plain sentence."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from summaries.config.schema import Config, Department, Kpi
from summaries.engine.asks import ask_lines
from summaries.engine.cell import Cell
from summaries.engine.miss import miss_of
from summaries.engine.targets import gap
from summaries.formatting import format_figure, format_number, format_ratio
from summaries.periods import FILLED_IN_STATES, SUBMITTED_STATES, SubmissionStatus

RULES = ("missing", "late", "below_target", "off_pace", "threshold", "mom_change",
         "yoy_change", "streak", "raised", "no_value")
SEVERITIES = ("red", "amber", "info")
GAP_STEP = Decimal("0.000001")
GAP_LIMIT = Decimal(10) ** 18  # within what the column and the decimal context hold


@dataclass(frozen=True)
class FlagSpec:
    """One flag, identified by department, KPI (empty for the summary), rule and subject.

    ``message`` is plain text; a ``raised`` flag carries the manager's own words unescaped, so
    whatever posts it escapes it for its medium (Slack, HTML).
    """

    department: str
    kpi: str
    rule: str
    severity: str
    message: str
    subject: str = ""
    # How far the figure misses (``Miss.size``: points for % KPIs, else relative); None for
    # rules that miss nothing. Kept so next month can tell a problem that got worse.
    gap: Decimal | None = None

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return self.department, self.kpi, self.rule, self.subject


def derive_flags(config: Config, spec: Department, cells: Sequence[Cell],
                 answers: Mapping[str, str], status: str | None, *, period: str,
                 closed: bool) -> list[FlagSpec]:
    """Every flag one department earns this month, in template order: from its KPI cells,
    its written ``answers`` and its submission ``status`` (None before a draft exists)."""
    submitted = status in SUBMITTED_STATES
    # A month with nothing to report is handed in, but holds no figures to judge the pace by.
    skipped = status == SubmissionStatus.SKIPPED
    flags: list[FlagSpec] = []
    if closed and not submitted:
        flags.append(FlagSpec(spec.key, "", "missing", "red",
                              f"{spec.name} has not submitted its summary for {period}."))
    if status == SubmissionStatus.LATE:
        flags.append(FlagSpec(spec.key, "", "late", "amber",
                              f"{spec.name} submitted its summary for {period} after the close."))
    phrases = _Phrases(config)
    for cell in cells:
        kpi = config.kpi_by_key[cell.kpi]
        for rule, severity, message in phrases.cell_flags(kpi, cell, status in FILLED_IN_STATES):
            if skipped and rule == "off_pace":
                continue
            missed = miss_of(kpi, cell, rule)
            flags.append(FlagSpec(spec.key, kpi.key, rule, severity, message,
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
            yield FlagSpec(spec.key, "", "raised", "amber", f"{section.title}: {text}",
                           subject=f"{section.key}:{digest}")


class _Phrases:
    """The rules that look at a KPI cell, and the sentences that explain them."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.locale = config.organization.locale
        self.rules = config.rules

    def figure(self, kpi: Kpi, value: Decimal) -> str:
        return format_figure(value, kpi.unit, kpi.decimals, self.locale)

    def share(self, value: Decimal) -> str:
        return format_ratio(value, self.locale)

    def cell_flags(self, kpi: Kpi, cell: Cell, submitted: bool
                   ) -> Iterator[tuple[str, str, str]]:
        if cell.target_band in ("amber", "red") and cell.actual is not None and (
                cell.target is not None):
            yield "below_target", cell.target_band, self.short_of_target(kpi, cell)
        if cell.pace_band in ("amber", "red"):
            yield "off_pace", cell.pace_band, self.behind_pace(kpi, cell)
        if cell.breach is not None and cell.actual is not None:
            yield "threshold", "red", self.breached(kpi, cell)
        yield from self.moves(kpi, cell)
        if cell.red_streak >= self.rules.streak_months:
            yield ("streak", "red",
                   f"{kpi.name} has been red for {cell.red_streak} months in a row.")
        if kpi.formula and cell.actual is None and (
                submitted or len(cell.missing_inputs) < len(kpi.parsed_formula.inputs
                                                            if kpi.parsed_formula else ())):
            yield "no_value", "info", self.not_computed(kpi, cell)

    def short_of_target(self, kpi: Kpi, cell: Cell) -> str:
        assert cell.actual is not None
        assert cell.target is not None
        side = "above" if kpi.better == "lower" else "below"
        if kpi.is_percent:
            points = abs(cell.actual - cell.target)
            by = f"{format_number(points, max(kpi.decimals, 1), self.locale)} points"
        else:
            by = self.share(abs(gap(cell.actual, cell.target, kpi.better) or Decimal(0)))
        return (f"{kpi.name} {self.figure(kpi, cell.actual)} is {by} {side} the "
                f"{self.figure(kpi, cell.target)} target.")

    def behind_pace(self, kpi: Kpi, cell: Cell) -> str:
        assert cell.ytd_share is not None
        assert cell.pace_share is not None
        if kpi.accumulate == "sum":
            return (f"{kpi.name} year to date is {self.share(cell.ytd_share)} of the annual "
                    f"plan, against {self.share(cell.pace_share)} due by {cell.month}.")
        assert cell.ytd is not None
        assert cell.annual_plan is not None
        word = "averages" if kpi.accumulate == "mean" else "stands at"
        return (f"{kpi.name} {word} {self.figure(kpi, cell.ytd)} this year, against a plan "
                f"of {self.figure(kpi, cell.annual_plan)}.")

    def breached(self, kpi: Kpi, cell: Cell) -> str:
        assert cell.actual is not None
        if cell.breach == "max":
            assert cell.limit_max is not None
            return (f"{kpi.name} {self.figure(kpi, cell.actual)} is above the "
                    f"{self.figure(kpi, cell.limit_max)} control limit.")
        assert cell.limit_min is not None
        return (f"{kpi.name} {self.figure(kpi, cell.actual)} is below the "
                f"{self.figure(kpi, cell.limit_min)} floor.")

    def moves(self, kpi: Kpi, cell: Cell) -> Iterator[tuple[str, str, str]]:
        if kpi.better == "none":
            return
        checks = (("mom_change", cell.mom, cell.previous, self.rules.mom_change, "last month"),
                  ("yoy_change", cell.yoy, cell.year_ago, self.rules.yoy_change,
                   "the same month last year"))
        for rule, moved, before, limit, when in checks:
            if moved is None or before is None or cell.actual is None:
                continue
            against = -moved if kpi.better == "higher" else moved
            # A % KPI's change and the rule's limit are in points; any other's are relative.
            if (against if kpi.is_percent else against * 100) > limit:
                verb = "fell" if moved < 0 else "rose"
                by = (f"{format_number(abs(moved), kpi.decimals, self.locale)} points"
                      if kpi.is_percent else self.share(abs(moved)))
                yield rule, "amber", (
                    f"{kpi.name} {verb} {by} from {when} "
                    f"({self.figure(kpi, before)} → {self.figure(kpi, cell.actual)}).")

    def not_computed(self, kpi: Kpi, cell: Cell) -> str:
        if cell.missing_inputs:
            names = ", ".join(self.config.kpi_by_key[k].name if k in self.config.kpi_by_key
                              else k for k in cell.missing_inputs)
            return f"{kpi.name} could not be calculated: no value for {names}."
        return f"{kpi.name} could not be calculated: its formula divides by zero."
