"""KPI figures as short mrkdwn lines: value against target, attainment, pace and status."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from bot.blocks.common import SEVERITY_EMOJI, STATUS_EMOJI, escape
from summaries.config import schema as schema
from summaries.dates import format_moment
from summaries.digest.text import attainment_text, coverage_text
from summaries.engine.cell import Cell
from summaries.engine.flags import FlagSpec
from summaries.engine.flagwords import flag_text
from summaries.formatting import format_figure, format_ratio
from summaries.i18n import _, pgettext


def figure(value: Decimal | None, kpi: schema.Kpi, locale: str) -> str:
    """A value with its unit (escaped for mrkdwn: the unit is configured text), or an em dash
    when there is none."""
    if value is None:
        return "\u2014"
    return escape(format_figure(value, kpi.unit, kpi.decimals, locale))


def status_mark(cell: Cell) -> str:
    return STATUS_EMOJI.get(cell.status or "", ":white_circle:")


def cell_line(cell: Cell, kpi: schema.Kpi, locale: str) -> str:
    """``*Business income*: 2,450,000 CNY · target 2,400,000 CNY (102.1%) 🟢``."""
    shown = figure(cell.actual, kpi, locale)
    if partial := coverage_text(cell):
        shown += f" ({partial})"
    if cell.children_total is not None:
        shown = _("{figure} (its departments: {total})", figure=shown,
                  total=figure(cell.children_total, kpi, locale))
    parts = [f"{status_mark(cell)} *{escape(kpi.name)}*: {shown}"]
    if cell.target is not None:
        target = _("target {figure}", figure=figure(cell.target, kpi, locale))
        if cell.attainment is not None:
            target += f" ({escape(attainment_text(cell, kpi, locale))})"
        parts.append(target)
    if cell.limit_max is not None:
        parts.append(_("limit {figure}", figure=figure(cell.limit_max, kpi, locale)))
    if cell.limit_min is not None:
        parts.append(_("floor {figure}", figure=figure(cell.limit_min, kpi, locale)))
    if cell.ytd_share is not None and cell.pace_share is not None:
        parts.append(_("YTD {ytd} of plan ({due} due)", ytd=format_ratio(cell.ytd_share, locale),
                       due=format_ratio(cell.pace_share, locale)))
    if kpi.formula:
        parts.append(_("calculated"))
    return " \u00b7 ".join(parts)


def compact_cell(cell: Cell, kpi: schema.Kpi, locale: str) -> str:
    """``2,450,000 / 2,400,000 🟢``: actual against target, for a row of months; a roll-up
    still waiting for a child says how many have reported."""
    text = figure(cell.actual, kpi, locale)
    if partial := coverage_text(cell):
        text += f" ({partial})"
    if cell.target is not None:
        text += f" / {figure(cell.target, kpi, locale)}"
    return f"{text} {status_mark(cell)}" if cell.status else text


def slack_date(moment: datetime, locale: str) -> str:
    """A moment Slack shows in each reader's own time zone, with a fallback in ours (the
    braces are Slack's tokens, filled in by Slack)."""
    shown = pgettext("slack date", "{date} at {time}", date="{date_short_pretty}",
                     time="{time}")
    return f"<!date^{int(moment.timestamp())}^{shown}|{format_moment(moment, locale)}>"


def flag_line(flag: FlagSpec, department: str | None = None, *,
              config: schema.Config | None = None) -> str:
    """One flag as a bullet, after its department's name if given; its plain text (worded
    with ``config``'s names and locale, else those the flag kept) is escaped."""
    where = f"*{escape(department)}*: " if department else ""
    return f"{SEVERITY_EMOJI.get(flag.severity, '')} {where}{escape(flag_text(flag, config))}"


def revised_note(revised: tuple[datetime, str], locale: str) -> str:
    """``revised <date> by <who>``: a Slack user id as a mention, else (an import) the text."""
    at, by = revised
    who = f"<@{by}>" if re.fullmatch(r"[UW][A-Z0-9]{2,}", by) else escape(by)
    return _("revised {date} by {who}", date=slack_date(at, locale), who=who)
