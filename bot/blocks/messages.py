"""Direct messages to managers: the prompt, its reminders and the confirmation after submit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.blocks.carried import prompt_asks
from bot.blocks.common import (
    SEVERITY_EMOJI,
    Block,
    button,
    context,
    escape,
    header,
    section,
    sections,
    split_message,
)
from bot.blocks.kpis import cell_line, flag_line, revised_note
from bot.blocks.text import render
from bot.ids import EDIT_BLOCK, OPEN_ACTION, OPEN_BLOCK, SKIP_ACTION, open_value
from summaries.config import schema as schema
from summaries.digest.phrases import problem_text
from summaries.engine.asks import Ask
from summaries.engine.problems import Problem
from summaries.engine.report import DepartmentResult
from summaries.i18n import _, in_readers_language
from summaries.periods import Month


def open_button(period: str, department: str, label: str | None = None) -> dict[str, Any]:
    """The button that opens the form (``label``, else "Fill in summary")."""
    return button(label or _("Fill in summary"), OPEN_ACTION, open_value(period, department),
                  style="primary")


def skip_button(period: str, department: str) -> dict[str, Any]:
    """Opens the modal that marks the month "nothing to report" (SPEC 5.3)."""
    return button(_("Nothing to report this month"), SKIP_ACTION,
                  open_value(period, department))


def standing_in(manager: str, department: str, until: str) -> Block:
    """The line that tells a deputy why they got a manager's prompt or reminder."""
    return context(_(":busts_in_silhouette: You act for <@{manager}>, the manager of "
                     "{department}, while they are away (until {until}).",
                     manager=manager, department=escape(department), until=escape(until)))


@in_readers_language
def prompt_message(department: schema.Department, period: str, month: str, *,
                   sections_count: int, kpis_count: int, deadline: str,
                   deadline_text: str, carried: Sequence[Ask] = (),
                   locale: str = "en", timezone: str = "UTC") -> dict[str, Any]:
    """The month-end prompt to one manager for one department, with the department's asks
    still open from earlier months (``carried``), so the form's choices come as no surprise."""
    text = render("prompt", department=department.name, month=month,
                  sections=sections_count, kpis=kpis_count, deadline=deadline)
    return {
        "text": render("prompt_fallback", department=department.name, month=month,
                       deadline_text=deadline_text, asks=len(carried)),
        "blocks": [
            header(_("{month} check-in \u00b7 {department}", month=month,
                     department=department.name)),
            section(text),
            *prompt_asks(carried, Month.parse(period), locale, timezone),
            {"type": "actions", "block_id": OPEN_BLOCK, "elements": [
                open_button(period, department.key), skip_button(period, department.key)]},
        ],
    }


def _problem(problem: Problem, kpi: schema.Kpi, locale: str) -> str:
    minor = " " + _("_(minor: in your department's reply only)_") if problem.minor else ""
    return (f"{SEVERITY_EMOJI.get(problem.severity, '')} "
            f"{escape(problem_text(problem, kpi, locale))}{minor}")


@in_readers_language
def confirmation_message(result: DepartmentResult, kpis: dict[str, schema.Kpi], period: str,
                         month: str, *, first: bool, late: bool, changed: int,
                         editable_until: str | None, locale: str,
                         problems: Sequence[Problem] = (), asks: Sequence[Ask] = (),
                         revised: Mapping[str, tuple[datetime, str]] | None = None,
                         carried: Sequence[str] = ()) -> list[dict[str, Any]]:
    """What the manager sees after submitting: their figures against target, then their
    problems and asks worded as leadership's digest words them, then what became of the asks
    carried over (``carried``: mrkdwn lines, see :func:`bot.blocks.carried.carried_lines`)."""
    later = revised or {}  # figures changed after they were first given: when, by whom
    lines = [cell_line(cell, kpis[cell.kpi], locale)
             + (f" \u00b7 _{revised_note(later[cell.kpi], locale)}_" if cell.kpi in later else "")
             for cell in result.cells]
    blocks: list[Block] = [section(render(
        "confirmation", department=result.spec.name, month=month, first=first, late=late,
        changed=changed, editable_until=editable_until))]
    if lines:
        blocks.append(section(_("*Your figures*")))
        blocks.extend(sections(lines))
    if problems:
        blocks.append(section(_("*Problems in leadership's digest* ({count})",
                                count=len(problems))))
        blocks.extend(sections(_problem(p, kpis[p.kpi], locale) for p in problems))
    if asks:
        blocks.append(section(_("*Asks of leadership* ({count})", count=len(asks))))
        blocks.extend(sections(f"\u2022 {escape(a.text)}" for a in asks))
    if carried:
        blocks.append(section(_("*Your asks from earlier months*")))
        blocks.extend(sections(carried))
    others = [f for f in result.flags if f.rule in ("late", "missing")]
    blocks.extend(sections(flag_line(f) for f in others))
    if not (problems or asks or others):
        blocks.append(context(_("No problems flagged.")))
    blocks.append({"type": "actions", "block_id": EDIT_BLOCK, "elements": [
        open_button(period, result.spec.key, _("Edit summary"))]})
    return split_message(render("confirmation_fallback", department=result.spec.name,
                                month=month, first=first, late=late), blocks)

