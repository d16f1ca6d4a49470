"""The leadership digest in Slack: the header message (and its continuations) and one thread
reply per department. Pure builders: payloads without ``channel`` or ``thread_ts``; in the
organization's language unless the caller speaks a reader's (``summaries.digest.voice``)."""

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
from summaries.digest.voice import counted, voice
from summaries.i18n import N_, _, pgettext

# Room kept in each part of a long header for the line that says where the rest is.
_SPARE_BLOCKS, _SPARE_CHARS = 1, 400
# English here, translated where shown.
_TITLES = {"intro": N_("Check-in digest"), "headline": N_("Headline KPIs"),
           "asks": N_("Asks of leadership"), "carried": N_("Asks still open from earlier months"),
           "reds": N_("Red problems"), "problems": N_("Problems"), "counts": ""}
# What goes on in the thread: the whole list, or the rest of it ({count}: how many in all).
_NAMES = {"intro": (N_("the digest"), N_("the rest of the digest")),
          "headline": (N_("the headline KPIs ({count} in all)"),
                       N_("the rest of the headline KPIs ({count} in all)")),
          "asks": (N_("the asks of leadership ({count} in all)"),
                   N_("the rest of the asks of leadership ({count} in all)")),
          "carried": (N_("the asks still open from earlier months ({count} in all)"),
                      N_("the rest of the asks still open from earlier months ({count} in all)")),
          "problems": (N_("the problems ({count} in all)"),
                       N_("the rest of the problems ({count} in all)")),
          "counts": (N_("the counts of the other problems"),
                     N_("the rest of the counts of the other problems"))}


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
    with voice(digest.locale, digest.compact_units):
        return _header_messages(digest, corrected)


def _header_messages(digest: Digest, corrected: str | None) -> list[dict[str, Any]]:
    month = format_month(digest.period, digest.locale)
    pieces = _header_pieces(digest)
    if corrected:
        pieces.insert(2, _Piece("intro", context(_("Corrected on {day}",
                                                   day=escape(corrected)))))
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
            chunk = [section(_("*{title}* (continued)", title=_(_TITLES[lead.part]))), *chunk]
        messages.append({"text": _("{month} check-in digest, continued ({number} of {count})",
                                   month=month, number=number, count=len(chunks)),
                         "blocks": chunk})
    return messages


def _header_pieces(digest: Digest) -> list[_Piece]:
    locale = digest.locale
    view = header_view(digest)
    title = title_text(digest.period, locale, digest.organization)
    submitted = submitted_text(digest.submitted, digest.total, digest.late,
                               len(digest.skipped))
    pieces = [_Piece("intro", header(title), True), _Piece("intro", section(f"*{submitted}*"))]
    if view.headline:
        pieces += _list("headline", _(_TITLES["headline"]),
                        [headline_line(line) for line in view.headline])
    zone = digest.timezone
    if view.asks:
        pieces += _blocks("asks", counted(_(_TITLES["asks"]), len(view.asks)),
                          header_ask_blocks(view.asks, digest.period, locale, zone))
    for title, lines in view.carried:  # "Still open from September (2)"
        pieces += _blocks("carried", escape(title),
                          header_ask_blocks(lines, digest.period, locale, zone))
    label = _(_TITLES["problems" if digest.rules.header == "all" else "reds"])
    if view.problems:
        pieces += _list("problems", counted(label, len(view.problems) + view.hidden),
                        [problem_line(line, severity=digest.rules.header == "all")
                         for line in view.problems])
    if view.hidden:
        pieces.append(_Piece("problems", context(_("{count} more in the thread",
                                                   count=view.hidden))))
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
    parts: set[str] = set()
    for piece in rest:
        if piece.part not in parts:
            parts.add(piece.part)
            whole, rest_of = _NAMES[piece.part]
            named.append(_(whole if piece.title else rest_of, count=counts.get(piece.part, 0)))
    lists = pgettext("clause separator", "; ").join(named)
    return ":thread: " + _("Continued in the thread: {lists}.", lists=lists)


def _fallback(digest: Digest, month: str) -> str:
    red = sum(1 for p in digest.problems if p.severity == "red" and p.restates is None)
    return _("{month} check-in digest for {organization}: {submitted} of {total} departments "
             "submitted, {asks} asks of leadership, {red} red problems, {missing} not "
             "submitted.", month=month, organization=escape(digest.organization),
             submitted=digest.submitted, total=digest.total, asks=len(digest.asks), red=red,
             missing=len(digest.missing))


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
    with voice(digest.locale, digest.compact_units):
        return _department_messages(digest, department_key, corrected)


def _department_messages(digest: Digest, department_key: str,
                         corrected: str | None) -> list[dict[str, Any]]:
    department = digest.department(department_key)
    if department is None:
        raise KeyError(f"no department {department_key!r} in the digest")
    if department.status == "missing" and not department.imported:
        return []
    locale = digest.locale
    month = format_month(digest.period, locale)
    late = department.status == "late"
    title = (_("{name} \u00b7 {month} (late)", name=department.name, month=month) if late
             else _("{name} \u00b7 {month}", name=department.name, month=month))
    blocks: list[Block] = [header(title), context(_status_line(department, locale))]
    if corrected:
        blocks.append(context(_("Corrected on {day}", day=escape(corrected))))
    blocks += reply_problems(digest, department)
    written: list[Block] = []
    for title, text in department.written:
        written += sections([f"*{escape(title)}*",
                             *(escape(line.rstrip()) for line in text.splitlines())])
    name = escape(department.name)
    fallback = (_("{name}: {month} summary (late)", name=name, month=month) if late
                else _("{name}: {month} summary", name=name, month=month))
    if department.status == "missing":
        fallback = _("{name}: no {month} summary; imported figures", name=name, month=month)
    parts = [*chunk_blocks([*blocks, *_figures(department, locale)]),
             *(chunk_blocks(written) if written else [])]
    return [{"text": fallback if n == 1 else _(
                "{text} (continued, {number} of {count})", text=fallback, number=n,
                count=len(parts)),
             "blocks": part} for n, part in enumerate(parts, start=1)]


def _figures(department: DepartmentDigest, locale: str) -> list[Block]:
    if not department.rows:
        return []
    table = kpi_table(department.rows, locale, f"kpis:{department.key}")
    title = section("*" + _("Figures") + "*")
    if table is None:
        return [title, *sections(kpi_row_line(row, locale) for row in department.rows)]
    revised = [_("{kpi} {revised}", kpi=escape(row.kpi.name), revised=revised_text(row, locale))
               for row in department.rows if row.revised is not None]
    notes = [context(" \u00b7 ".join(revised))] if revised else []
    return [title, *notes, table]  # Slack shows a table last in its message


def _status_line(department: DepartmentDigest, locale: str) -> str:
    when = department.submitted_at
    manager = f"<@{department.manager}>"
    moment = slack_date(when, locale) if when is not None else None
    if department.status == "late":
        return ":hourglass_flowing_sand: " + (
            _("*Late*: submitted by {manager} {when}", manager=manager, when=moment)
            if moment else _("*Late*: submitted by {manager}", manager=manager))
    if department.status == "skipped":
        who = pgettext("who and when", "{manager} {when}", manager=manager,
                       when=moment) if moment else manager
        if department.skip_reason:
            return ":heavy_minus_sign: " + _(
                "*Nothing to report this month*: {reason} ({who})",
                reason=escape(department.skip_reason), who=who)
        return ":heavy_minus_sign: " + _("*Nothing to report this month* ({who})", who=who)
    if department.status == "missing":
        return ":warning: " + _("No summary submitted by {manager}; the figures below were "
                                "imported.", manager=manager)
    return ":white_check_mark: " + (
        _("Submitted by {manager} {when}", manager=manager, when=moment) if moment
        else _("Submitted by {manager}", manager=manager))


def chart_title(digest: Digest) -> str:
    """The trend chart's title: the organization, then the months the trend spans."""
    with voice(digest.locale, digest.compact_units):
        months = (digest.trend.months if digest.trend and digest.trend.months
                  else [digest.period])
        first, last = (format_month(m, digest.locale) for m in (months[0], months[-1]))
        span = last if first == last else _("{first} \u2013 {last}", first=first, last=last)
        return _("{organization} \u00b7 headline KPIs, {span}",
                 organization=digest.organization, span=span)


def chart_filename(digest: Digest) -> str:
    """``checkin-trend-2026-10.png``."""
    return "checkin-trend-" + str(digest.period) + ".png"
