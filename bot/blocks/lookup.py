"""``/kpi`` answers as ephemeral Block Kit messages: one department in detail, or a line each."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from bot.blocks.common import STATUS_EMOJI, Block, context, escape, long_list, mrkdwn, section
from bot.blocks.kpis import revised_note
from summaries.config import schema as schema
from summaries.dates import format_month
from summaries.digest.text import (
    NO_VALUE,
    RowText,
    place_text,
    rank_text,
    row_text,
    value_text,
)
from summaries.digest.voice import status_word
from summaries.i18n import N_, _, in_readers_language, ngettext, pgettext
from summaries.lookup.answer import KpiAnswer, LookupRow, TrendAnswer
from summaries.lookup.matching import Named

Message = dict[str, Any]
PACE_WORDS = {"green": N_("on pace"), "amber": N_("slightly off pace"), "red": N_("off pace")}


@in_readers_language
def answer_message(answer: KpiAnswer, locale: str) -> Message:
    """The comparison of one KPI for a month: a department in detail, with a line for each
    department below it; or a line per department of an overview."""
    kpi, month = answer.kpi, format_month(answer.month, locale)
    what = _("year to date") if answer.mode == "ytd" else month
    line = _ytd_line if answer.mode == "ytd" else _month_line
    # Translators: the words typed after /kpi to ask for the year to date.
    suffix = " " + pgettext("kpi command", "ytd") if answer.mode == "ytd" else ""
    department = _("<department>")
    if answer.detail:
        row, below = answer.rows[0], answer.rows[1:]
        title = f"*{escape(kpi.name)}* · {escape(row.name)} · {what}"
        text = row_text(kpi, row.cell, locale)
        blocks = [section(title), _fields(_ytd_fields(row, kpi, locale) if answer.mode == "ytd"
                                          else _month_fields(row, text, locale))]
        notes = _notes(row, kpi, locale, month if answer.mode == "ytd" else None)
        if notes:
            blocks.append(context(*notes))
        fallback = f"{kpi.name}, {row.name}, {what}: {text.actual}"
        if not below:
            return {"text": escape(fallback), "blocks": blocks}
        details = f"/kpi {escape(kpi.key)} {department}{suffix}"
        listed = long_list(fallback, _("*Below it*"), [line(r, kpi, locale) for r in below],
                           _("Details: `{example}`", example=details), "department",
                           more=answer.more)
        return {"text": escape(fallback), "blocks": blocks + listed["blocks"]}
    title = f"*{escape(kpi.name)}* · {what}"
    lines = [line(row, kpi, locale) for row in answer.rows]
    example = f"/kpi {kpi.key} {department}{suffix}"
    return long_list(f"{kpi.name}, {what}", title, lines,
                     _("Name a department for its details and those below it: `{example}`",
                       example=escape(example)), "department", more=answer.more)


@in_readers_language
def trend_message(answer: TrendAnswer, locale: str, *, chart: bool) -> Message:
    """Twelve months of a KPI against target as a table; the chart follows by DM."""
    kpi = answer.kpi
    first, last = answer.months[0], answer.months[-1]
    span = f"{format_month(first, locale)} \u2013 {format_month(last, locale)}"
    rows = [(_("Month"), _("Actual"), _("Target"), _("Attainment"), _("Status"))]
    for cell in answer.cells:
        text = row_text(kpi, cell, locale)
        rows.append((cell.month, text.actual, value_text(cell.target, kpi, locale),
                     text.attainment, status_word(text.status) or NO_VALUE))
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    table = "\n".join("  ".join(v + " " * (w - _width(v))
                                for v, w in zip(r, widths, strict=True)).rstrip()
                      for r in rows)
    blocks: list[Block] = [
        section(f"*{escape(kpi.name)}* \u00b7 {escape(answer.name)} \u00b7 {span}"),
        section(f"```{escape(table)}```")]
    if chart:
        blocks.append(context(_("The chart is on its way to you in a direct message.")))
    return {"text": escape(ngettext("{kpi}, {department}: last {n} month",
                                    "{kpi}, {department}: last {n} months", len(answer.cells),
                                    kpi=kpi.name, department=answer.name)),
            "blocks": blocks}


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def chart_title(answer: TrendAnswer, locale: str) -> str:
    """The chart title: KPI, department and months (plain text)."""
    first, last = answer.months[0], answer.months[-1]
    return (f"{answer.kpi.name} \u00b7 {answer.name} \u00b7 {format_month(first, locale)} "
            f"\u2013 {format_month(last, locale)}")


def choices_message(message: str, candidates: Sequence[Named], noun: str) -> Message:
    """A problem with what was typed, and what would work (``noun``: KPI or department)."""
    lines = [f"`{escape(c.key)}` {escape(c.name)}" for c in candidates]
    if not lines:
        return {"text": escape(message), "blocks": [section(escape(message))]}
    return long_list(message, escape(message), lines,
                     _("Type a key, the start of a name, or (in Chinese or Japanese) any part of "
                       "it."), noun)


def list_message(organization: str, kpis: Sequence[schema.Kpi],
                 departments: Sequence[schema.Department]) -> Message:
    """``/kpi`` alone: the KPIs and departments the caller may look up, and how."""
    usage = _("`/kpi <kpi>` \u00b7 `/kpi <kpi> <department>` \u00b7 "
              "`/kpi <kpi> <department> YYYY-MM` \u00b7 `/kpi <kpi> ytd` \u00b7 "
              "`/kpi <kpi> trend`. Name a KPI or department by its key or the start of its name "
              "(in Chinese or Japanese, any part of it).")
    lines = [_("*KPIs you can look up* ({n})", n=len(kpis))]
    lines += [f"`{escape(k.key)}` {escape(k.name)}" + (f" ({escape(k.unit)})" if k.unit else "")
              for k in kpis]
    lines += ["", _("*Departments* ({n})", n=len(departments))]
    lines += [f"`{escape(d.key)}` {escape(d.name)}" for d in departments]
    return long_list(_("KPIs at {organization}", organization=organization),
                     _("*{organization}*: what you can look up",
                       organization=escape(organization)), lines, usage, "line")


def _fields(pairs: list[tuple[str, str]]) -> Block:
    return {"type": "section", "fields": [mrkdwn(f"*{label}*\n{escape(value)}")
                                          for label, value in pairs]}


def _month_fields(row: LookupRow, text: RowText, locale: str) -> list[tuple[str, str]]:
    """Up to nine of a section's ten fields: stretch and rank only where there is one."""
    status = status_word(text.status) if text.status else NO_VALUE
    fields = [(_("Actual"), text.actual), (_("Target"), text.target),
              (_("Attainment"), text.attainment), (_("Status"), status),
              (_("Month over month"), text.mom), (_("Year over year"), text.yoy),
              (_("YTD vs pace"), text.ytd)]
    if text.stretch:
        fields.append((_("Stretch target"), text.stretch))
    rank = rank_text(row.cell, locale, row.parent)
    if rank:
        fields.append((_("Rank by attainment"), rank))
    return fields


def _ytd_fields(row: LookupRow, kpi: schema.Kpi, locale: str) -> list[tuple[str, str]]:
    cell = row.cell
    text = row_text(kpi, cell, locale)
    band = cell.pace_band or ""
    pace = _(PACE_WORDS[band]) if band in PACE_WORDS else NO_VALUE
    return [(_("Year to date"), value_text(cell.ytd, kpi, locale)),
            (_("Annual plan"), value_text(cell.annual_plan, kpi, locale)),
            (_("Against plan"), text.ytd if cell.ytd_share is not None else NO_VALUE),
            (_("Pace"), pace)]


def _notes(row: LookupRow, kpi: schema.Kpi, locale: str, through: str | None) -> list[str]:
    cell, notes = row.cell, []
    mark = STATUS_EMOJI.get(cell.status or "")
    if mark:
        notes.append(f"{mark} {status_word(cell.status)}")
    if through:
        notes.append(_("through {month}", month=through))
    if cell.source == "imported":
        notes.append(_("imported figure"))
    if row.revised is not None:
        notes.append(revised_note(row.revised, locale))
    elif cell.source == "rollup" and cell.coverage is not None:
        notes.append(ngettext("rolled up from {done} of {n} department",
                              "rolled up from {done} of {n} departments", cell.coverage[1],
                              done=cell.coverage[0]))
    if kpi.formula:
        notes.append(_("calculated: {formula}", formula=escape(kpi.formula)))
        if cell.missing_inputs:
            notes.append(_("missing: {inputs}", inputs=escape(', '.join(cell.missing_inputs))))
    return notes


def _month_line(row: LookupRow, kpi: schema.Kpi, locale: str) -> str:
    text = row_text(kpi, row.cell, locale)
    parts = [f"{_mark(row)} *{escape(row.name)}*: {escape(text.actual)}"]
    if text.target != NO_VALUE:
        parts.append(_("target {target} ({attainment})", target=escape(text.target),
                       attainment=escape(text.attainment)))
    if text.stretch:
        parts.append(escape(text.stretch))
    parts += [_("MoM {change}", change=escape(text.mom)),
              _("YoY {change}", change=escape(text.yoy))]
    place = place_text(row.cell, locale)  # the lines of a list share their parent
    if place:
        parts.append(place)
    if row.revised is not None:
        parts.append(f"_{revised_note(row.revised, locale)}_")
    return " \u00b7 ".join(parts)


def _ytd_line(row: LookupRow, kpi: schema.Kpi, locale: str) -> str:
    cell = row.cell
    parts = [f"{_mark(row)} *{escape(row.name)}*: " + _(
        "YTD {value}", value=escape(value_text(cell.ytd, kpi, locale)))]
    if cell.annual_plan is not None:
        text = row_text(kpi, cell, locale)
        parts.append(_("plan {plan}: {share}",
                       plan=escape(value_text(cell.annual_plan, kpi, locale)),
                       share=escape(text.ytd)))
    if cell.pace_band:
        parts.append(_(PACE_WORDS[cell.pace_band]))
    return " \u00b7 ".join(parts)


def _mark(row: LookupRow) -> str:
    return STATUS_EMOJI.get(row.cell.status or "", ":white_circle:")
