"""The leadership digest in Slack: the header message (and its continuations) and one thread
reply per department. Pure builders: payloads without ``channel`` or ``thread_ts``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.blocks.common import (
    MAX_MESSAGE_BLOCKS,
    MAX_MESSAGE_CHARS,
    Block,
    chunk_blocks,
    context,
    escape,
    header,
    section,
    sections,
)
from bot.blocks.kpis import cell_line, flag_line, slack_date, status_mark
from bot.ids import EVENT_TYPE
from summaries.dates import format_month
from summaries.digest.model import DepartmentDigest, Digest, KpiRow
from summaries.digest.text import submitted_text, title_text

# Room kept in each part of a long header for the line that says where the rest is.
_SPARE_BLOCKS, _SPARE_CHARS = 1, 400
_TITLES = {"intro": "Check-in digest", "headline": "Headline KPIs against plan",
           "flags": "Flagged problems", "missing": "Not submitted"}
_NAMES = {"intro": "digest", "headline": "headline KPIs", "flags": "flagged problems",
          "missing": "departments that have not submitted"}


@dataclass(frozen=True)
class _Piece:
    """A block of the header, with the list it belongs to (for the continuation notes)."""

    part: str
    block: Block
    title: bool = False


def header_messages(digest: Digest, corrected: str | None = None) -> list[dict[str, Any]]:
    """The header message, then continuation messages for the thread if it does not fit;
    ``corrected`` (a date) marks a digest updated after a correction.

    Nothing is cut: what does not fit in the header (within Slack's block and size limits)
    follows in order in messages 1.., and the header says so.
    """
    month = format_month(digest.period, digest.locale)
    pieces = _header_pieces(digest)
    if corrected:
        pieces.insert(2, _Piece("intro", context(f"Corrected on {escape(corrected)}")))
    blocks = [p.block for p in pieces]
    metadata = {"event_type": EVENT_TYPE, "event_payload": {"period": str(digest.period)}}
    fallback = _fallback(digest, month)
    if len(chunk_blocks(blocks)) == 1:
        return [{"text": fallback, "blocks": blocks, "metadata": metadata}]
    limit, chars = MAX_MESSAGE_BLOCKS - _SPARE_BLOCKS, MAX_MESSAGE_CHARS - _SPARE_CHARS
    kept = len(chunk_blocks(blocks, limit, chars)[0])
    rest = pieces[kept:]
    messages = [{"text": fallback, "metadata": metadata,
                 "blocks": [*blocks[:kept], context(_continued(digest, rest))]}]
    chunks = chunk_blocks([p.block for p in rest], limit, chars)
    start = 0
    for number, chunk in enumerate(chunks, start=1):
        lead = rest[start]
        start += len(chunk)
        if not lead.title:  # a list carried over from the message before: name it again
            chunk = [section(f"*{_TITLES[lead.part]}* (continued)"), *chunk]
        messages.append({"text": f"{month} check-in digest, continued ({number} of "
                                 f"{len(chunks)})", "blocks": chunk})
    return messages


def _header_pieces(digest: Digest) -> list[_Piece]:
    locale = digest.locale
    title = title_text(digest.period, locale, digest.organization)
    submitted = submitted_text(digest.submitted, digest.total, digest.late)
    pieces = [_Piece("intro", header(title), True), _Piece("intro", section(f"*{submitted}*"))]
    if digest.headline:
        pieces += _list("headline", _TITLES["headline"],
                        [cell_line(row.cell, row.kpi, locale) for row in digest.headline])
    pieces += _list("flags", f"{_TITLES['flags']} ({len(digest.flags)})",
                    [flag_line(flag, name) for name, flag in digest.flags]
                    or ["No problems flagged."])
    pieces += _list("missing", f"{_TITLES['missing']} ({len(digest.missing)})",
                    [_missing_line(d) for d in digest.missing]
                    or ["Every department has submitted."])
    return pieces


def _list(part: str, title: str, lines: list[str]) -> list[_Piece]:
    return [_Piece(part, section(f"*{title}*"), True),
            *(_Piece(part, block) for block in sections(lines))]


def _missing_line(department: DepartmentDigest) -> str:
    imported = " \u00b7 figures imported" if department.imported else ""
    return f"\u2022 *{escape(department.name)}* <@{department.manager}>{imported}"


def _continued(digest: Digest, rest: list[_Piece]) -> str:
    """Which lists go on in the thread, in order."""
    counts = {"headline": len(digest.headline), "flags": len(digest.flags),
              "missing": len(digest.missing)}
    named: list[str] = []
    for piece in rest:
        label = f"{_NAMES[piece.part]} ({counts.get(piece.part, 0)} in all)"
        if not any(label in n for n in named):
            named.append(f"the {label}" if piece.title else f"the rest of the {label}")
    return ":thread: Continued in the thread: " + "; ".join(named) + "."


def _fallback(digest: Digest, month: str) -> str:
    red = sum(1 for _, flag in digest.flags if flag.severity == "red")
    return (f"{month} check-in digest for {escape(digest.organization)}: {digest.submitted} of "
            f"{digest.total} departments submitted, {len(digest.flags)} problems flagged "
            f"({red} red), {len(digest.missing)} not submitted.")


def department_messages(digest: Digest, department_key: str,
                        corrected: str | None = None) -> list[dict[str, Any]]:
    """The department's reply in the digest's thread, in as many messages as it needs;
    ``corrected`` (a date) marks a reply updated after a correction.

    A department that did not submit gets a reply only when figures of its own were imported
    (otherwise the list is empty); a key not in the digest raises KeyError.
    """
    department = digest.department(department_key)
    if department is None:
        raise KeyError(f"no department {department_key!r} in the digest")
    if department.status == "missing" and not department.imported:
        return []
    month = format_month(digest.period, digest.locale)
    late = " (late)" if department.status == "late" else ""
    blocks: list[Block] = [header(f"{department.name} \u00b7 {month}{late}"),
                           context(_status_line(department, digest.locale))]
    if corrected:
        blocks.append(context(f"Corrected on {escape(corrected)}"))
    for title, text in department.sections:
        blocks += sections([f"*{escape(title)}*",
                            *(escape(line.rstrip()) for line in text.splitlines())])
    if department.rows:
        blocks.append(section("*Figures*"))
        blocks += sections(kpi_row_line(row, digest.locale) for row in department.rows)
    if department.flags:
        blocks.append(section(f"*Flags* ({len(department.flags)})"))
        blocks += sections(flag_line(flag) for flag in department.flags)
    fallback = f"{escape(department.name)}: {month} summary{late}"
    if department.status == "missing":
        fallback = f"{escape(department.name)}: no {month} summary; imported figures"
    parts = chunk_blocks(blocks)
    return [{"text": fallback if n == 1 else f"{fallback} (continued, {n} of {len(parts)})",
             "blocks": part} for n, part in enumerate(parts, start=1)]


def _status_line(department: DepartmentDigest, locale: str) -> str:
    when = department.submitted_at
    moment = f" {slack_date(when, locale)}" if when is not None else ""
    if department.status == "late":
        return f":hourglass_flowing_sand: *Late*: submitted by <@{department.manager}>{moment}"
    if department.status == "missing":
        return (f":warning: No summary submitted by <@{department.manager}>; the figures below "
                "were imported.")
    return f":white_check_mark: Submitted by <@{department.manager}>{moment}"


def kpi_row_line(row: KpiRow, locale: str) -> str:
    """Every column of a KPI on one mrkdwn line; imported figures are marked, and a figure
    changed after it was first given says when and by whom."""
    text = row.text(locale)
    imported = " _(imported)_" if text.imported else ""
    line = (f"{status_mark(row.cell)} *{escape(text.name)}*{imported}: {escape(text.actual)}"
            f" \u00b7 target {escape(text.target)} \u00b7 attainment {text.attainment}"
            f" \u00b7 MoM {text.mom} \u00b7 YoY {text.yoy} \u00b7 YTD {escape(text.ytd)}")
    if row.revised is not None:
        at, by = row.revised
        who = f"<@{by}>" if re.fullmatch(r"[UW][A-Z0-9]{2,}", by) else escape(by)
        line += f" \u00b7 _revised {slack_date(at, locale)} by {who}_"
    return line


def chart_title(digest: Digest) -> str:
    """The trend chart's title: the organization, then the months the trend spans."""
    months = digest.trend.months if digest.trend and digest.trend.months else [digest.period]
    first, last = (format_month(m, digest.locale) for m in (months[0], months[-1]))
    span = last if first == last else f"{first} \u2013 {last}"
    return f"{digest.organization} \u00b7 headline KPIs, {span}"


def chart_filename(digest: Digest) -> str:
    """``checkin-trend-2026-10.png``."""
    return f"checkin-trend-{digest.period}.png"
