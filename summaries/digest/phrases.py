"""Problems, asks, contributors and projections worded for a reader (SPEC 4.1, 5.1).

Plain text, not escaped; each medium escapes it its own way. One problem is one line:
"Business income 1,121,470 CNY: 17.5% below the 1,360,000 CNY target, red 3 months running".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from summaries.config.schema import Kpi
from summaries.engine.cell import Cell
from summaries.engine.flags import FlagSpec
from summaries.engine.outlook import Contributors, Projection
from summaries.engine.problems import Problem
from summaries.formatting import format_compact, format_figure, format_number, format_ratio

SINCE_LABELS = {"new": "new", "worse": "worse", "recurring": "recurring"}


def problem_text(problem: Problem, kpi: Kpi, locale: str,
                 names: Mapping[str, str] | None = None, *, short: bool = False,
                 figure: str | None = None) -> str:
    """The KPI, its figure and every fact about it, in one sentence; ``short`` (the header's
    line) keeps the facts that make its severity, with large figures compact."""
    cell = problem.cell
    flags = problem.flags
    if short:
        flags = tuple(f for f in flags if f.severity == problem.severity) or flags
    facts = [_fact(flag, kpi, cell, locale, short) for flag in flags]
    head = kpi.name
    if figure is not None:  # the figure already worded (as the KPI table shows it)
        head = f"{kpi.name} {figure}"
    elif cell is not None and cell.actual is not None:
        head = f"{kpi.name} {_figure(cell.actual, kpi, locale, short)}"
    text = f"{head}: {', '.join(facts)}"
    if problem.restates is not None:
        child = (names or {}).get(problem.restates, problem.restates)
        text += f" (mostly {child})"
    return text


def _fact(flag: FlagSpec, kpi: Kpi, cell: Cell | None, locale: str, short: bool) -> str:
    phrase = _PHRASES.get(flag.rule)
    worded = (phrase(kpi, cell, locale, short) if phrase is not None and cell is not None
              else None)
    if worded is not None:
        return worded
    # The engine's own sentence, without the KPI name it would repeat.
    return flag.message.removeprefix(f"{kpi.name} ").rstrip(".")


def _figure(value: Decimal, kpi: Kpi, locale: str, short: bool = False, *,
            unit: bool = True) -> str:
    if short and abs(value) >= 10_000:
        return f"{format_compact(value, locale)}{_unit(kpi) if unit else ''}"
    return format_figure(value, kpi.unit if unit else "", kpi.decimals, locale)


def _by(value: Decimal, reference: Decimal, kpi: Kpi, locale: str) -> str:
    if kpi.is_percent:
        return f"{format_number(abs(value - reference), max(kpi.decimals, 1), locale)} points"
    return format_ratio(abs(value - reference) / abs(reference), locale) if reference else ""


def _below_target(kpi: Kpi, cell: Cell, locale: str, short: bool) -> str | None:
    if cell.actual is None or cell.target is None:
        return None
    side = "over" if kpi.better == "lower" else "below"
    if cell.actual > cell.target and kpi.better != "lower":
        side = "above"
    # The short line's figure carries the unit; its target does not repeat it.
    target = _figure(cell.target, kpi, locale, short, unit=not short or kpi.is_percent)
    return f"{_by(cell.actual, cell.target, kpi, locale)} {side} the {target} target"


def _off_pace(kpi: Kpi, cell: Cell, locale: str, short: bool) -> str | None:
    if kpi.accumulate == "sum":
        if cell.ytd_share is None or cell.pace_share is None:
            return None
        lead = "YTD" if short else "year to date"
        return (f"{lead} {format_ratio(cell.ytd_share, locale)} of plan, "
                f"{format_ratio(cell.pace_share, locale)} due")
    if cell.ytd is None or cell.annual_plan is None:
        return None
    word = "averaging" if kpi.accumulate == "mean" else "at"
    return (f"{word} {_figure(cell.ytd, kpi, locale)} this year against a plan of "
            f"{_figure(cell.annual_plan, kpi, locale)}")


def _threshold(kpi: Kpi, cell: Cell, locale: str, short: bool) -> str | None:
    if cell.breach == "max" and cell.limit_max is not None:
        limit = "limit" if short else "control limit"
        return f"above the {_figure(cell.limit_max, kpi, locale)} {limit}"
    if cell.breach == "min" and cell.limit_min is not None:
        return f"below the {_figure(cell.limit_min, kpi, locale)} floor"
    return None


def _streak(kpi: Kpi, cell: Cell, locale: str, short: bool) -> str | None:
    return f"red {cell.red_streak} months running" if cell.red_streak else None


def _change(kpi: Kpi, cell: Cell, locale: str, before: Decimal | None, when: str,
            short: bool) -> str | None:
    if before is None or cell.actual is None:
        return None
    verb = "down" if cell.actual < before else "up"
    was = "" if short else f" ({_figure(before, kpi, locale)})"
    return f"{verb} {_by(cell.actual, before, kpi, locale)} on {when}{was}"


def _mom(kpi: Kpi, cell: Cell, locale: str, short: bool) -> str | None:
    return _change(kpi, cell, locale, cell.previous, "last month", short)


def _yoy(kpi: Kpi, cell: Cell, locale: str, short: bool) -> str | None:
    return _change(kpi, cell, locale, cell.year_ago, "a year before", short)


_PHRASES: dict[str, Callable[[Kpi, Cell, str, bool], str | None]] = {
    "below_target": _below_target, "off_pace": _off_pace, "threshold": _threshold,
    "streak": _streak, "mom_change": _mom, "yoy_change": _yoy,
}


def contributors_text(found: Contributors, kpi: Kpi, locale: str, month: str,
                      names: Mapping[str, str]) -> str:
    """For example "October gap \u2212218K: North County \u2212239K, others \u221224K"."""
    def amount(value: Decimal) -> str:
        return _amount(value, kpi, locale)

    parts = [f"{names.get(key, key)} {amount(gap)}" for key, gap in found.parts]
    if found.others is not None:
        parts.append(f"others {amount(found.others)}")
    if found.unreported:
        parts.append(f"{len(found.unreported)} without a figure")
    lead = f"{month} gap" if month else "Gap"
    return f"{lead} {amount(found.gap)}: {', '.join(parts)}"


def projection_text(found: Projection, kpi: Kpi, locale: str) -> str:
    """For example "year-end at this pace \u2248 126.1M of 127.7M (\u22121.6M)"."""
    value = format_compact(found.value, locale)
    plan = format_compact(found.plan, locale)
    return (f"year-end at this pace \u2248 {value} of {plan} "
            f"({_amount(found.gap, kpi, locale)})")


def _unit(kpi: Kpi) -> str:
    return f" {kpi.unit}" if kpi.unit and not kpi.is_percent else ""


def _amount(value: Decimal, kpi: Kpi, locale: str) -> str:
    if abs(value) >= 10_000:
        return format_compact(value, locale, signed=True)
    sign = "+" if value > 0 else ("\u2212" if value < 0 else "")
    return f"{sign}{format_number(abs(value), kpi.decimals, locale)}"
