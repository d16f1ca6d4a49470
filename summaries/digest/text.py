"""The digest's figures as display text in the organization's locale, for every medium.

Plain text, not escaped: Slack, Markdown and HTML each escape it their own way. Words come
from the reader's catalogue (``summaries.i18n``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from summaries.config.schema import Kpi
from summaries.dates import format_day, format_month
from summaries.digest.voice import clauses, status_word
from summaries.engine.cell import Cell
from summaries.formatting import (
    babel_locale,
    format_change,
    format_figure,
    format_number,
    format_points,
    format_ratio,
)
from summaries.i18n import N_, _, current
from summaries.periods import Month

NO_VALUE = "\u2014"
# A department's month, as words (English here: translated where shown, see status_label).
STATUS_LABELS = {"submitted": N_("submitted"), "late": N_("late"),
                 "missing": N_("not submitted"), "skipped": N_("nothing to report")}
# The KPI table's columns (English here: see columns()).
COLUMNS = (N_("KPI"), N_("Actual"), N_("Target"), N_("Attainment"), N_("MoM"), N_("YoY"),
           N_("YTD vs pace"), N_("Status"))


def columns() -> tuple[str, ...]:
    """The KPI table's column titles in the reader's language."""
    return tuple(_(title) for title in COLUMNS)


def status_label(status: str) -> str:
    """A department's month in words: ``submitted``, ``late``, ``not submitted``..."""
    label = STATUS_LABELS.get(status)
    return _(label) if label is not None else status


@dataclass(frozen=True)
class RowText:
    """One KPI row's columns as text; ``status`` is green, amber, red or empty."""

    name: str
    actual: str
    target: str
    attainment: str
    mom: str
    yoy: str
    ytd: str
    status: str
    imported: bool
    stretch: str = ""  # attainment of the stretch target; empty without one

    @property
    def columns(self) -> tuple[str, ...]:
        """The cells of a table row, in :data:`COLUMNS` order; imported figures are marked,
        and the stretch target's attainment follows the target's; the status in words."""
        status = status_word(self.status) or NO_VALUE
        name = _("{name} (imported)", name=self.name) if self.imported else self.name
        attainment = (_("{attainment} ({stretch})", attainment=self.attainment,
                        stretch=self.stretch) if self.stretch else self.attainment)
        return (name, self.actual, self.target, attainment, self.mom, self.yoy, self.ytd,
                status)


def value_text(value: Decimal | None, kpi: Kpi, locale: str) -> str:
    """A value with its unit, or an em dash."""
    return NO_VALUE if value is None else format_figure(value, kpi.unit, kpi.decimals, locale)


def row_text(kpi: Kpi, cell: Cell, locale: str) -> RowText:
    """Every column of a KPI row, formatted; missing values are an em dash (see
    :meth:`summaries.digest.model.KpiRow.text`, which keeps the result)."""
    return RowText(
        name=kpi.name,
        actual=_actual(cell, kpi, locale),
        target=_target(cell, kpi, locale),
        attainment=attainment_text(cell, kpi, locale),
        mom=change_text(cell.mom, kpi, locale),
        yoy=change_text(cell.yoy, kpi, locale),
        ytd=ytd_text(cell, kpi, locale),
        status=cell.status or "",
        imported=cell.source == "imported",
        stretch=stretch_text(cell, kpi, locale),
    )


def change_text(value: Decimal | None, kpi: Kpi, locale: str) -> str:
    """A month-over-month or year-over-year change: in points for a ``%`` KPI (``+1.64 pts``),
    else relative (``+12.5%``)."""
    if value is None:
        return NO_VALUE
    if kpi.is_percent:
        return format_points(value, locale, kpi.decimals)
    return format_change(value, locale)


def attainment_text(cell: Cell, kpi: Kpi, locale: str) -> str:
    """Actual against target as the reader means it: ``102.1%`` where higher is better; where
    lower is better, how far over or under the target (``40.0% over target``), since 140%
    would read as over-achievement."""
    if cell.attainment is None:
        return NO_VALUE
    if kpi.better != "lower":
        return format_ratio(cell.attainment, locale)
    if cell.attainment == 1:
        return _("on target")
    by = format_ratio(abs(cell.attainment - 1), locale)
    if cell.attainment > 1:
        return _("{ratio} over target", ratio=by)
    return _("{ratio} under target", ratio=by)


def stretch_text(cell: Cell, kpi: Kpi, locale: str) -> str:
    """Actual against the stretch target, worded like :func:`attainment_text`: ``112.0% of
    the 150 stretch``, or where lower is better ``4.0% over the 1.50% stretch``; ``stretch
    150`` while the actual is missing; empty without a stretch target."""
    if cell.stretch is None:
        return ""
    stretch = value_text(cell.stretch, kpi, locale)
    reached = cell.stretch_attainment
    if reached is None:
        return _("stretch {stretch}", stretch=stretch)
    if kpi.better != "lower":
        return _("{ratio} of the {stretch} stretch", ratio=format_ratio(reached, locale),
                 stretch=stretch)
    if reached == 1:
        return _("on the {stretch} stretch", stretch=stretch)
    by = format_ratio(abs(reached - 1), locale)
    if reached > 1:
        return _("{ratio} over the {stretch} stretch", ratio=by, stretch=stretch)
    return _("{ratio} under the {stretch} stretch", ratio=by, stretch=stretch)


def rank_text(cell: Cell, locale: str, parent_name: str | None = None) -> str | None:
    """The cell's place among its sibling departments by attainment: ``2nd of 3 under
    Marketing Department`` (``2nd of 4 top-level departments`` with no ``parent_name``);
    None when the cell is not ranked. English ordinals, by the CLDR ordinal rules."""
    place = place_text(cell, locale)
    if place is None:
        return None
    if parent_name:
        return _("{place} under {parent}", place=place, parent=parent_name)
    return _("{place} top-level departments", place=place)


def place_text(cell: Cell, locale: str) -> str | None:
    """``2nd of 3``: the rank alone, for a list of siblings; None when not ranked."""
    if cell.rank is None or cell.rank_of is None:
        return None
    return _("{rank} of {total}", rank=ordinal(cell.rank, locale),
             total=format_count(cell.rank_of, locale))


_ORDINAL_SUFFIXES = {"one": "st", "two": "nd", "few": "rd"}


def ordinal(number: int, locale: str) -> str:
    """``1st``, ``2nd``, ``23rd``, ``111th``: the number in the locale's digits and grouping,
    the English suffix chosen by Babel's English ordinal plural rules; in another language
    the number alone (its sentence words the place: Chinese ``第2``)."""
    return _ordinal(number, format_count(number, locale), current() == "en")


@lru_cache(maxsize=4096)
def _ordinal(number: int, digits: str, english: bool) -> str:
    if not english:
        return digits
    suffix = _ORDINAL_SUFFIXES.get(babel_locale("en").ordinal_form(number), "th")
    return f"{digits}{suffix}"


@lru_cache(maxsize=4096)
def format_count(number: int, locale: str) -> str:
    """A whole number in the locale's grouping."""
    return format_number(Decimal(number), 0, locale)


def _actual(cell: Cell, kpi: Kpi, locale: str) -> str:
    text = value_text(cell.actual, kpi, locale)
    if cell.children_total is not None:  # a parent's own figure, and its children's total
        return _("{figure} (its departments: {total})", figure=text,
                 total=value_text(cell.children_total, kpi, locale))
    partial = coverage_text(cell)
    return _("{figure} ({coverage})", figure=text, coverage=partial) if partial else text


def coverage_text(cell: Cell) -> str:
    """``2 of 3 departments reported`` where a roll-up waits for some of its children (its
    figure is then no value, never a sum of part of them); empty otherwise."""
    if cell.actual is not None or cell.coverage is None:
        return ""
    have, of = cell.coverage
    return _("{have} of {total} departments reported", have=have, total=of)


def _target(cell: Cell, kpi: Kpi, locale: str) -> str:
    parts = [value_text(cell.target, kpi, locale)] if cell.target is not None else []
    if cell.limit_max is not None:
        parts.append(_("limit {value}", value=value_text(cell.limit_max, kpi, locale)))
    if cell.limit_min is not None:
        parts.append(_("floor {value}", value=value_text(cell.limit_min, kpi, locale)))
    return clauses(parts) or NO_VALUE


def ytd_text(cell: Cell, kpi: Kpi, locale: str) -> str:
    """``90.0% of plan, 83.3% due``; without a plan, the year-to-date figure."""
    if cell.ytd_share is not None and cell.pace_share is not None:
        return _("{share} of plan, {pace} due", share=format_ratio(cell.ytd_share, locale),
                 pace=format_ratio(cell.pace_share, locale))
    return value_text(cell.ytd, kpi, locale)


def title_text(period: Month, locale: str, organization: str) -> str:
    """``October 2026 check-in digest · Northfield Telecom``."""
    return _("{month} check-in digest \u00b7 {organization}",
             month=format_month(period, locale), organization=organization)


def submitted_text(submitted: int, total: int, late: int, skipped: int = 0) -> str:
    """``3 of 5 departments submitted (1 late, 1 nothing to report)``: a month with nothing to
    report counts as handed in."""
    # "departments" even for one of one: the English has always read so
    text = _("{submitted} of {total} departments submitted", submitted=submitted, total=total)
    notes = ([_("{count} late", count=late)] if late else []) + (
        [_("{count} nothing to report", count=skipped)] if skipped else [])
    return _("{text} ({notes})", text=text, notes=clauses(notes)) if notes else text


def status_text(status: str, when: datetime | None, locale: str, timezone: str = "UTC") -> str:
    """``submitted Nov 3``, ``late, submitted Nov 12`` or ``not submitted`` (days in the
    organization's time zone)."""
    zone = ZoneInfo(timezone)
    if status == "late" and when is not None:
        return _("late, submitted {day}", day=format_day(when.astimezone(zone), locale))
    if when is not None and status == "submitted":
        return _("submitted {day}", day=format_day(when.astimezone(zone), locale))
    return status_label(status)
