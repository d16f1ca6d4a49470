"""Problems, asks, contributors and projections worded for a reader (SPEC 4.1, 5.1).

Plain text, not escaped; each medium escapes it its own way. One problem is one line:
"Business income 1,121,470 CNY: 17.5% below the 1,360,000 CNY target, red 3 months running".
Each fact is worded from what its flag keeps (``FlagSpec.params``), in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from summaries.config.schema import Kpi
from summaries.engine.flags import FlagSpec
from summaries.engine.flagwords import FlagFacts, flag_text, missing_names, points_text
from summaries.engine.outlook import Contributors, Projection
from summaries.engine.problems import Problem
from summaries.formatting import format_compact, format_figure, format_number, format_ratio
from summaries.i18n import _, ngettext, pgettext

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
    facts = [_fact(flag, kpi, locale, short) for flag in flags]
    head = kpi.name
    if figure is not None:  # the figure already worded (as the KPI table shows it)
        head = pgettext("problem line", "{kpi} {figure}", kpi=kpi.name, figure=figure)
    elif cell is not None and cell.actual is not None:
        head = pgettext("problem line", "{kpi} {figure}", kpi=kpi.name,
                        figure=_figure(cell.actual, kpi, locale, short))
    text = pgettext("problem line", "{head}: {facts}", head=head,
                    facts=pgettext("between facts", ", ").join(facts))
    if problem.restates is not None:
        child = (names or {}).get(problem.restates, problem.restates)
        text = _("{text} (mostly {child})", text=text, child=child)
    return text


def _fact(flag: FlagSpec, kpi: Kpi, locale: str, short: bool) -> str:
    phrase = _PHRASES.get(flag.rule)
    worded = phrase(FlagFacts(flag), kpi, locale, short) if phrase is not None else None
    # A flag kept as words (stored before flags kept their facts) reads as it was written.
    return worded if worded is not None else flag_text(flag)


def _figure(value: Decimal, kpi: Kpi, locale: str, short: bool = False, *,
            unit: bool = True) -> str:
    if short and abs(value) >= 10_000:
        return f"{format_compact(value, locale)}{_unit(kpi) if unit else ''}"
    return format_figure(value, kpi.unit if unit else "", kpi.decimals, locale)


def _by(value: Decimal, reference: Decimal, kpi: Kpi, locale: str) -> str:
    if kpi.is_percent:
        return points_text(abs(value - reference), max(kpi.decimals, 1), locale)
    return format_ratio(abs(value - reference) / abs(reference), locale) if reference else ""


def _below_target(facts: FlagFacts, kpi: Kpi, locale: str, short: bool) -> str | None:
    if not facts.has("actual", "target"):
        return None
    actual, target = facts.decimal("actual"), facts.decimal("target")
    # The short line's figure carries the unit; its target does not repeat it.
    values = {"by": _by(actual, target, kpi, locale),
              "target": _figure(target, kpi, locale, short, unit=not short or kpi.is_percent)}
    if kpi.better == "lower":
        return _("{by} over the {target} target", **values)
    if actual > target:
        return _("{by} above the {target} target", **values)
    return _("{by} below the {target} target", **values)


def _off_pace(facts: FlagFacts, kpi: Kpi, locale: str, short: bool) -> str | None:
    if facts.params.get("accumulate", kpi.accumulate) == "sum":
        if not facts.has("ytd_share", "pace_share"):
            return None
        ytd, due = facts.ratio("ytd_share"), facts.ratio("pace_share")
        if short:
            return _("YTD {ytd} of plan, {due} due", ytd=ytd, due=due)
        return _("year to date {ytd} of plan, {due} due", ytd=ytd, due=due)
    if not facts.has("ytd", "plan"):
        return None
    ytd = _figure(facts.decimal("ytd"), kpi, locale)
    plan = _figure(facts.decimal("plan"), kpi, locale)
    if facts.params.get("accumulate", kpi.accumulate) == "mean":
        return _("averaging {ytd} this year against a plan of {plan}", ytd=ytd, plan=plan)
    return _("at {ytd} this year against a plan of {plan}", ytd=ytd, plan=plan)


def _threshold(facts: FlagFacts, kpi: Kpi, locale: str, short: bool) -> str | None:
    if not facts.has("bound", "limit"):
        return None
    bound = _figure(facts.decimal("bound"), kpi, locale)
    if facts.params["limit"] == "max":
        if short:
            return _("above the {limit} limit", limit=bound)
        return _("above the {limit} control limit", limit=bound)
    return _("below the {floor} floor", floor=bound)


def _streak(facts: FlagFacts, kpi: Kpi, locale: str, short: bool) -> str | None:
    months = int(facts.params.get("months") or 0)
    if not months:
        return None
    return ngettext("red {n} month running", "red {n} months running", months)


def _change(facts: FlagFacts, kpi: Kpi, locale: str, short: bool) -> str | None:
    if not facts.has("before", "actual"):
        return None
    before, actual = facts.decimal("before"), facts.decimal("actual")
    by = _by(actual, before, kpi, locale)
    was = _figure(before, kpi, locale)
    down = actual < before
    if facts.flag.rule == "mom_change":
        if short:
            return (_("down {by} on last month", by=by) if down
                    else _("up {by} on last month", by=by))
        return (_("down {by} on last month ({before})", by=by, before=was) if down
                else _("up {by} on last month ({before})", by=by, before=was))
    if short:
        return (_("down {by} on a year before", by=by) if down
                else _("up {by} on a year before", by=by))
    return (_("down {by} on a year before ({before})", by=by, before=was) if down
            else _("up {by} on a year before ({before})", by=by, before=was))


def _no_value(facts: FlagFacts, kpi: Kpi, locale: str, short: bool) -> str | None:
    if "kpi_name" not in facts.params:
        return None
    names = missing_names(facts)
    if names is None:
        return _("could not be calculated: its formula divides by zero")
    return _("could not be calculated: no value for {names}", names=names)


_PHRASES: dict[str, Callable[[FlagFacts, Kpi, str, bool], str | None]] = {
    "below_target": _below_target, "off_pace": _off_pace, "threshold": _threshold,
    "streak": _streak, "mom_change": _change, "yoy_change": _change, "no_value": _no_value,
}


def contributors_text(found: Contributors, kpi: Kpi, locale: str, month: str,
                      names: Mapping[str, str]) -> str:
    """For example "October gap \u2212218K: North County \u2212239K, others \u221224K"."""
    def amount(value: Decimal) -> str:
        return _amount(value, kpi, locale)

    parts = [pgettext("contributor", "{name} {amount}", name=names.get(key, key),
                      amount=amount(gap)) for key, gap in found.parts]
    if found.others is not None:
        parts.append(_("others {amount}", amount=amount(found.others)))
    if found.unreported:
        parts.append(ngettext("{n} without a figure", "{n} without a figure",
                              len(found.unreported)))
    listed = pgettext("between names in a list", ", ").join(parts)
    if month:
        return _("{month} gap {amount}: {parts}", month=month, amount=amount(found.gap),
                 parts=listed)
    return _("Gap {amount}: {parts}", amount=amount(found.gap), parts=listed)


def projection_text(found: Projection, kpi: Kpi, locale: str) -> str:
    """For example "year-end at this pace \u2248 126.1M of 127.7M (\u22121.6M)"."""
    return _("year-end at this pace \u2248 {value} of {plan} ({gap})",
             value=format_compact(found.value, locale),
             plan=format_compact(found.plan, locale), gap=_amount(found.gap, kpi, locale))


def _unit(kpi: Kpi) -> str:
    return f" {kpi.unit}" if kpi.unit and not kpi.is_percent else ""


def _amount(value: Decimal, kpi: Kpi, locale: str) -> str:
    if abs(value) >= 10_000:
        return format_compact(value, locale, signed=True)
    sign = "+" if value > 0 else ("\u2212" if value < 0 else "")
    return f"{sign}{format_number(abs(value), kpi.decimals, locale)}"
