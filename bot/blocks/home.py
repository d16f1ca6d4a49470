"""The App Home tab: a manager's departments this period, their recent KPIs and open asks of
leadership, and, for leaders and admins, every department's open asks and status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.asklist import AskWords, home_asks
from bot.blocks.common import (
    MAX_VIEW_BLOCKS,
    Block,
    clip,
    context,
    divider,
    escape,
    header,
    section,
    sections,
)
from bot.blocks.kpis import compact_cell
from bot.blocks.messages import open_button, skip_button
from summaries.checkins.forms import DepartmentStatus
from summaries.config.schema import Config
from summaries.dates import format_day, format_month
from summaries.engine.asks import Ask
from summaries.engine.cell import Cell
from summaries.i18n import N_, _, reading, speaking
from summaries.periods import FILLED_IN_STATES, Month

STATUS_TEXT = {
    "submitted": N_(":white_check_mark: Submitted"),
    "late": N_(":warning: Submitted late"),
    "skipped": N_(":heavy_minus_sign: Nothing to report"),
}
BUTTONS_PER_ACTIONS = 25


@dataclass(frozen=True)
class HomeScreen:
    """What one person's App Home shows."""

    period: Month | None
    fillable: bool
    deadline: str | None
    next_open: str | None
    managed: Sequence[DepartmentStatus]
    everyone: Sequence[DepartmentStatus] | None
    history: Mapping[tuple[str, str, str], Cell] = field(default_factory=dict)
    months: Sequence[Month] = ()
    asks: Sequence[Ask] = ()  # the open asks they may see, oldest first
    today: Month | None = None  # the month asks' ages count to
    skipped: Mapping[str, str] = field(default_factory=dict)  # nothing to report: why, by key


def status_text(status: DepartmentStatus, config: Config,
                skipped: Mapping[str, str] | None = None) -> str:
    """``:white_check_mark: Submitted Oct 28`` (the organization's day), nothing to report
    (with the reason from ``skipped``), a draft, or not started."""
    if status.status in STATUS_TEXT:
        text = _(STATUS_TEXT[status.status])
        reason = (skipped or {}).get(status.department.key)
        if reason:
            text = _("{status}: {reason}", status=text, reason=escape(reason))
        if status.submitted_at is None:
            return text
        local = status.submitted_at.astimezone(ZoneInfo(config.organization.timezone))
        # Translators: a summary's status and the day it was handed in ("Submitted Oct 28").
        return _("{status} {day}", status=text, day=format_day(local, config.organization.locale))
    if status.has_draft:
        return _(":pencil2: Draft saved, not submitted yet")
    return _(":hourglass_flowing_sand: Not started")


def home_view(screen: HomeScreen, config: Config) -> dict[str, Any]:
    """The home tab; long organizations fall back to a compact list, nothing is left out. In
    the reader's language (the organization's outside any :func:`summaries.i18n.speaking`)."""
    with speaking(reading(config.organization.locale)):
        blocks = _blocks(screen, config, compact=False)
        if len(blocks) > MAX_VIEW_BLOCKS:
            blocks = _blocks(screen, config, compact=True)
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}


def _blocks(screen: HomeScreen, config: Config, *, compact: bool) -> list[Block]:
    locale = config.organization.locale
    blocks: list[Block] = [header(_("Monthly check-in"))]
    if screen.period is None:
        blocks.append(section(_("No check-in is open right now. The next one opens {when}.",
                                when=screen.next_open) if screen.next_open
                              else _("No check-in is open right now.")))
    else:
        line = [f"*{format_month(screen.period, locale)}*"]
        if screen.deadline:
            line.append(_("due {deadline}", deadline=screen.deadline))
        if not screen.fillable:
            line.append(_("closed"))
        blocks.append(section(" \u00b7 ".join(line)))
    if not screen.managed and screen.everyone is None:
        blocks.append(section(_("You have no role in the monthly check-in. An admin can add "
                                "you to the configuration as a manager, leader or admin.")))
        return blocks
    if screen.managed:
        blocks.append(divider())
        blocks.extend(_compact_managed(screen, config) if compact
                      else _managed(screen, config))
    if screen.today is not None:
        blocks.append(divider())
        organization = config.organization
        words = AskWords({d.key: d.name for d in config.departments}, screen.today,
                         organization.locale, organization.timezone)
        blocks.extend(home_asks(screen.asks, words, everyone=screen.everyone is not None))
    if screen.everyone is not None:
        done = sum(1 for s in screen.everyone if s.submitted)
        blocks.append(divider())
        blocks.append(section(_("*All departments* \u00b7 {done} of {total} submitted",
                                done=done, total=len(screen.everyone))))
        blocks.extend(sections(
            _("{status} \u00b7 {department} (<@{manager}>)",
              status=status_text(s, config, screen.skipped),
              department=escape(s.department.name), manager=s.department.manager)
            for s in screen.everyone))
    return blocks


def _managed(screen: HomeScreen, config: Config) -> list[Block]:
    blocks: list[Block] = []
    for status in screen.managed:
        spec = status.department
        text = f"*{escape(spec.name)}*\n{status_text(status, config, screen.skipped)}"
        accessory = None
        if screen.fillable and screen.period is not None:
            label = _("Edit") if status.status in FILLED_IN_STATES else _("Fill in")
            accessory = open_button(str(screen.period), spec.key, label)
        blocks.append(section(text, accessory=accessory))
        if screen.fillable and screen.period is not None and not status.submitted:
            blocks.append({"type": "actions", "elements": [
                skip_button(str(screen.period), spec.key)]})
        blocks.extend(sections(_history_lines(screen, config, spec.key)))
    return blocks


def _history_lines(screen: HomeScreen, config: Config, department: str) -> list[str]:
    locale = config.organization.locale
    spec = config.department_by_key[department]
    lines = []
    for kpi in config.kpis_of(spec):
        months = []
        for month in screen.months:
            cell = screen.history.get((department, kpi.key, str(month)))
            if cell is not None:
                months.append(_("{month}: {value}", month=format_month(month, locale),
                                value=compact_cell(cell, kpi, locale)))
        if months:
            lines.append(f"*{escape(kpi.name)}* \u2014 " + " \u00b7 ".join(months))
    return lines


def _compact_managed(screen: HomeScreen, config: Config) -> list[Block]:
    blocks = sections(f"{status_text(s, config, screen.skipped)} \u00b7 "
                      f"*{escape(s.department.name)}*"
                      for s in screen.managed)
    if screen.fillable and screen.period is not None:
        buttons = []
        for number, status in enumerate(screen.managed):
            element = open_button(str(screen.period), status.department.key,
                                  clip(status.department.name, 75))
            element["action_id"] = f"{element['action_id']}:{number}"  # unique in its block
            buttons.append(element)
        for start in range(0, len(buttons), BUTTONS_PER_ACTIONS):
            blocks.append({"type": "actions",
                           "elements": buttons[start:start + BUTTONS_PER_ACTIONS]})
    blocks.append(context(_("Use `/kpi` for the figures of each department.")))
    return blocks
