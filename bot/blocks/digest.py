"""The leadership digest in Slack: the header message (and its continuations) and one thread
reply per department. Pure builders: payloads without ``channel`` or ``thread_ts``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.blocks.asks import header_ask_blocks
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
from bot.blocks.kpis import slack_date
from bot.blocks.kpitable import kpi_row_line, kpi_table, revised_text
from bot.blocks.problems import headline_line, problem_line, reply_problems
from bot.ids import EVENT_TYPE
from summaries.dates import format_month
from summaries.digest.header import header_view
from summaries.digest.model import DepartmentDigest, Digest
from summaries.digest.text import submitted_text, title_text

# Room kept in each part of a long header for the line that says where the rest is.
_SPARE_BLOCKS, _SPARE_CHARS = 1, 400
_TITLES = {"intro": "Check-in digest", "headline": "Headline KPIs",
           "asks": "Asks of leadership", "carried": "Asks still open from earlier months",
           "reds": "Red problems", "problems": "Problems", "counts": ""}
_NAMES = {"intro": "digest", "headline": "headline KPIs", "asks": "asks of leadership",
          "carried": "asks still open from earlier months", "problems": "problems",
          "counts": "counts of the other problems"}


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
    view = header_view(digest)
    title = title_text(digest.period, locale, digest.organization)
    submitted = submitted_text(digest.submitted, digest.total, digest.late,
                               len(digest.skipped))
    pieces = [_Piece("intro", header(title), True), _Piece("intro", section(f"*{submitted}*"))]
    if view.headline:
        pieces += _list("headline", _TITLES["headline"],
                        [headline_line(line) for line in view.headline])
    zone = digest.timezone
    if view.asks:
        pieces += _blocks("asks", f"{_TITLES['asks']} ({len(view.asks)})",
                          header_ask_blocks(view.asks, digest.period, locale, zone))
    for title, lines in view.carried:  # "Still open from September (2)"
        pieces += _blocks("carried", escape(title),
                          header_ask_blocks(lines, digest.period, locale, zone))
    label = _TITLES["problems" if digest.rules.header == "all" else "reds"]
    if view.problems:
        pieces += _list("problems", f"{label} ({len(view.problems) + view.hidden})",
                        [problem_line(line, severity=digest.rules.header == "all")
                         for line in view.problems])
    if view.hidden:
        pieces.append(_Piece("problems", context(f"{view.hidden} more in the thread")))
    pieces.append(_Piece("counts", context(escape(view.counts)), True))
    return pieces


def _list(part: str, title: str, lines: list[str]) -> list[_Piece]:
    return _blocks(part, title, sections(lines))


def _blocks(part: str, title: str, blocks: list[Block]) -> list[_Piece]:
    return [_Piece(part, section(f"*{title}*"), True), *(_Piece(part, b) for b in blocks)]


def _continued(digest: Digest, rest: list[_Piece]) -> str:
    """Which lists go on in the thread, in order."""
    counts = {"headline": len(digest.headline), "asks": len(digest.asks),
              "carried": len(digest.carried), "problems": len(digest.problems)}
    named: list[str] = []
    for piece in rest:
        label = _NAMES[piece.part]
        if piece.part in counts:
            label += f" ({counts[piece.part]} in all)"
        if not any(label in n for n in named):
            named.append(f"the {label}" if piece.title else f"the rest of the {label}")
    return ":thread: Continued in the thread: " + "; ".join(named) + "."


def _fallback(digest: Digest, month: str) -> str:
    red = sum(1 for p in digest.problems if p.severity == "red" and p.restates is None)
    return (f"{month} check-in digest for {escape(digest.organization)}: {digest.submitted} of "
            f"{digest.total} departments submitted, {len(digest.asks)} asks of leadership, "
            f"{red} red problems, {len(digest.missing)} not submitted.")


def department_messages(digest: Digest, department_key: str,
                        corrected: str | None = None) -> list[dict[str, Any]]:
    """The department's reply in the digest's thread, in as many messages as it needs;
    ``corrected`` (a date) marks a reply updated after a correction.

    The reply opens with the department's problems and asks, then its KPI table (Slack's
    ``table`` block; text lines where a table cannot go), then the written sections, which
    start a message of their own. A department that did not submit gets a reply only when
    figures of its own were imported (otherwise the list is empty); a key not in the digest
    raises KeyError.
    """
    department = digest.department(department_key)
    if department is None:
        raise KeyError(f"no department {department_key!r} in the digest")
    if department.status == "missing" and not department.imported:
        return []
    locale = digest.locale
    month = format_month(digest.period, locale)
    late = " (late)" if department.status == "late" else ""
    blocks: list[Block] = [header(f"{department.name} \u00b7 {month}{late}"),
                           context(_status_line(department, locale))]
    if corrected:
        blocks.append(context(f"Corrected on {escape(corrected)}"))
    blocks += reply_problems(digest, department)
    written: list[Block] = []
    for title, text in department.written:
        written += sections([f"*{escape(title)}*",
                             *(escape(line.rstrip()) for line in text.splitlines())])
    fallback = f"{escape(department.name)}: {month} summary{late}"
    if department.status == "missing":
        fallback = f"{escape(department.name)}: no {month} summary; imported figures"
    parts = [*chunk_blocks([*blocks, *_figures(department, locale)]),
             *(chunk_blocks(written) if written else [])]
    return [{"text": fallback if n == 1 else f"{fallback} (continued, {n} of {len(parts)})",
             "blocks": part} for n, part in enumerate(parts, start=1)]


def _figures(department: DepartmentDigest, locale: str) -> list[Block]:
    if not department.rows:
        return []
    table = kpi_table(department.rows, locale, f"kpis:{department.key}")
    if table is None:
        return [section("*Figures*"),
                *sections(kpi_row_line(row, locale) for row in department.rows)]
    revised = [f"{escape(row.kpi.name)} {revised_text(row, locale)}"
               for row in department.rows if row.revised is not None]
    notes = [context(" \u00b7 ".join(revised))] if revised else []
    return [section("*Figures*"), *notes, table]  # Slack shows a table last in its message


def _status_line(department: DepartmentDigest, locale: str) -> str:
    when = department.submitted_at
    moment = f" {slack_date(when, locale)}" if when is not None else ""
    if department.status == "late":
        return f":hourglass_flowing_sand: *Late*: submitted by <@{department.manager}>{moment}"
    if department.status == "skipped":
        reason = f": {escape(department.skip_reason)}" if department.skip_reason else ""
        return (f":heavy_minus_sign: *Nothing to report this month*{reason} "
                f"(<@{department.manager}>{moment})")
    if department.status == "missing":
        return (f":warning: No summary submitted by <@{department.manager}>; the figures below "
                "were imported.")
    return f":white_check_mark: Submitted by <@{department.manager}>{moment}"


def chart_title(digest: Digest) -> str:
    """The trend chart's title: the organization, then the months the trend spans."""
    months = digest.trend.months if digest.trend and digest.trend.months else [digest.period]
    first, last = (format_month(m, digest.locale) for m in (months[0], months[-1]))
    span = last if first == last else f"{first} \u2013 {last}"
    return f"{digest.organization} \u00b7 headline KPIs, {span}"


def chart_filename(digest: Digest) -> str:
    """``checkin-trend-2026-10.png``."""
    return f"checkin-trend-{digest.period}.png"
