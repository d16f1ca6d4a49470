"""Close a period and post the leadership digest; keep the posted digest current when late
summaries arrive.

The header goes first, because every other part of the digest is a reply in its thread:
continuation messages when the header overflows, the trend chart, then one reply per department.
Every part is an outbox row, so a re-run (by hand, or the scheduler's next pass) sends only what
is still owed.
"""

from __future__ import annotations

import base64
import functools
import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from bot.blocks.digest import chart_filename, chart_title, department_messages, header_messages
from bot.cycle.nudges import tell_missing
from bot.deps import Deps
from bot.outbox.delivery import DeliveryReport, Outgoing, deliver, enqueue, sent_message
from summaries.checkins.asks import digest_asks
from summaries.checkins.cycle import close_month, period_info, revisions
from summaries.checkins.evaluation import refresh_flags
from summaries.dates import format_day
from summaries.digest.header import by_worst_problem
from summaries.digest.load import (
    load_digest,
    load_earlier,
    load_month,
    load_revised,
)
from summaries.digest.model import Digest, RevisionRow, compile_digest
from summaries.engine.asks import Ask
from summaries.i18n import speaking
from summaries.periods import Month, months_between, this_month
from summaries.store.reminders import reminders_sent

log = logging.getLogger(__name__)


def header_key(period: str, channel: str) -> str:
    return ":".join(("digest", period, "header", channel))


def reply_key(period: str, department: str, channel: str, part: int = 0) -> str:
    suffix = f"#{part + 1}" if part else ""
    return f"digest:{period}:{department}:{channel}{suffix}"


def _more_key(period: str, channel: str, number: int) -> str:
    """The header's continuation ``number`` (1, 2, ...), in its thread."""
    return ":".join(("digest", period, f"more{number}", channel))


def close_period(deps: Deps, month: Month) -> DeliveryReport:
    """Close ``month`` and post its digest to the leadership channel (once, ever); once its
    header is out, tell each manager it went out without (once, ever)."""
    with deps.unit_of_work() as session:
        info = close_month(session, month, deps.clock())
    with deps.unit_of_work() as session:  # flags are stored as the period closes
        evaluated, trend = load_month(session, deps.config, month, closed=True)
        refresh_flags(session, evaluated)
        revised = load_revised(session, month)
        earlier = load_earlier(session, deps.config, month)
        reminders = reminders_sent(session, str(month))
        asks = digest_asks(session, deps.config, month)
    digest = compile_digest(deps.config, evaluated, trend, revised, earlier, reminders, asks)
    report = post_digest(deps, digest)
    log.info("closed %s: %d digest message(s) sent, %d failed", month, len(report.sent),
             len(report.failed))
    if info.closed_at is not None and _posted(deps, str(month)):
        told = tell_missing(deps, month, info.closed_at)
        report.sent.extend(told.sent)
        report.failed.update(told.failed)
    return report


def _posted(deps: Deps, period: str) -> bool:
    """Whether the digest's header is in the channel (until it is, nobody is told it went
    out without them; the close's next run tells them)."""
    with deps.read_only() as session:
        header = sent_message(session, header_key(period,
                                                  deps.config.organization.leadership_channel))
        return header is not None and bool(header.slack_ts)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _in_the_channels_language(work: Callable[Concatenate[Deps, _P], _R]
                              ) -> Callable[Concatenate[Deps, _P], _R]:
    """The leadership channel reads the organization's language (SPEC 11), whoever set the
    work off: a late submission by a manager who reads Chinese updates an English digest in
    English."""

    @functools.wraps(work)
    def run(deps: Deps, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with speaking(deps.config.organization.locale):
            return work(deps, *args, **kwargs)

    return run


@_in_the_channels_language
def post_digest(deps: Deps, digest: Digest) -> DeliveryReport:
    """Post the header, then everything that threads under it."""
    period, channel = str(digest.period), deps.config.organization.leadership_channel
    header, *more = header_messages(digest)
    key = header_key(period, channel)
    with deps.unit_of_work() as session:
        enqueue(session, [_outgoing(key, "digest", channel, header, period)])
    report = deliver(deps, [key])
    with deps.unit_of_work() as session:
        posted = sent_message(session, key)
        if posted is None or not posted.slack_ts:
            return report  # nothing can thread under a header that is not there yet
        thread = {"channel": posted.slack_channel or channel, "thread_ts": posted.slack_ts}
        parts = [_outgoing(_more_key(period, channel, n), "digest", channel,
                           {**payload, **thread}, period) for n, payload in enumerate(more, 1)]
        parts += _chart(digest, channel, thread)
        for department in by_worst_problem(digest):  # the worst problems first
            parts += [_outgoing(reply_key(period, department.key, channel, n), "digest", channel,
                                {**payload, **thread}, period, department.key)
                      for n, payload in enumerate(department_messages(digest, department.key))]
        keys = enqueue(session, parts)
    rest = deliver(deps, keys)
    report.sent.extend(rest.sent)
    report.failed.update(rest.failed)
    return report


@_in_the_channels_language
def refresh_digest(deps: Deps, period: str, department: str, *, deliver_now: bool = True,
                   version: str | None = None) -> DeliveryReport:
    """A late summary, a correction or a change to an ask arrived: update the posted header
    (and its continuations) in place and post or update the department's reply (never a
    second digest). Nothing happens before the digest is posted (it will include it). Without
    ``deliver_now`` the updates wait in the outbox for the bot's next pass. ``version`` names
    the change, so each change updates once (by default the count of the department's stored
    revisions; an ask's change passes its event).

    The "corrected on <date>" marks come from the stored revisions (see
    :func:`corrected_moments`), not from what prompted this refresh: the header keeps the
    month's latest correction however many late summaries update it afterwards, and a reply
    shows its own department's."""
    channel = deps.config.organization.leadership_channel
    month = Month.parse(period)
    with deps.unit_of_work() as session:
        header = sent_message(session, header_key(period, channel))
        if header is None or not header.slack_ts:
            return DeliveryReport()
        place = {"channel": header.slack_channel or channel, "ts": header.slack_ts}
        if version is None:
            version = str(revisions(session, month, department))  # one update per change
        replies = [sent_message(session, reply_key(period, department, channel, n))
                   for n in range(_MAX_PARTS)]
        more = [sent_message(session, _more_key(period, channel, n))
                for n in range(1, _MAX_PARTS)]
    with deps.read_only() as session:  # the stored flags stay the close's
        digest = load_digest(session, deps.config, month, closed=True, revisions=True)
        info = period_info(session, month)
    fixed = corrected_moments(digest.revisions, info.closed_at if info is not None else None)
    corrected = _day(deps, max(fixed.values())) if fixed else None
    head, *rest = header_messages(digest, corrected)
    own = _day(deps, fixed[department]) if department in fixed else None
    update = ":".join(("digest-update", period, department, version))
    parts = [_outgoing(f"{update}:header", "digest_update",
                       channel, {**head, **place}, period, department, "chat.update")]
    for n, payload in enumerate(rest, 1):  # continuations posted at the close, as they now are
        row = more[n - 1] if n <= len(more) else None
        if row is not None and row.slack_ts:
            parts.append(_outgoing(
                f"{update}:more{n}", "digest_update",
                channel, {**payload, "channel": row.slack_channel or channel,
                          "ts": row.slack_ts}, period, department, "chat.update"))
    for n, payload in enumerate(department_messages(digest, department, own)):
        row = replies[n] if n < len(replies) else None
        if row is not None and row.slack_ts:
            parts.append(_outgoing(
                f"{update}:{n}", "digest_update", channel,
                {**payload, "channel": row.slack_channel or channel, "ts": row.slack_ts},
                period, department, "chat.update"))
        else:
            parts.append(_outgoing(
                reply_key(period, department, channel, n), "digest", channel,
                {**payload, "channel": place["channel"], "thread_ts": place["ts"]},
                period, department))
    with deps.unit_of_work() as session:
        keys = enqueue(session, parts)
    return deliver(deps, keys) if deliver_now else DeliveryReport()


_MAX_PARTS = 20  # a department's reply split into more messages than this is not expected


def corrected_moments(trail: Iterable[RevisionRow], closed_at: datetime | None
                      ) -> dict[str, datetime]:
    """By department: the latest correction of its part of a closed month. A correction is a
    change after the close to a department that had changes stored before it (what the
    digest showed of it: a summary, imported figures, an earlier late summary); a late
    summary's first changes are not one. Empty while the month is not closed."""
    if closed_at is None:
        return {}
    first: dict[str, datetime] = {}
    found: dict[str, datetime] = {}
    for row in trail:  # oldest first
        since = first.setdefault(row.department, row.changed_at)
        if row.changed_at > closed_at and row.changed_at > since:
            found[row.department] = row.changed_at
    return found


def _day(deps: Deps, moment: datetime) -> str:
    """The day of ``moment`` in the organization's time zone, in its locale."""
    zone = ZoneInfo(deps.config.organization.timezone)
    return format_day(moment.astimezone(zone), deps.locale)


def _chart(digest: Digest, channel: str, thread: dict[str, str]) -> list[Outgoing]:
    if digest.trend is None or not digest.trend.series:
        return []
    from summaries.digest.charts import trend_png

    title = chart_title(digest)
    png = trend_png(digest.trend, digest.locale, title)
    payload = {**thread, "filename": chart_filename(digest), "title": title,
               "content_b64": base64.b64encode(png).decode("ascii")}
    return [_outgoing(f"chart:{digest.period}:{channel}", "chart", channel, payload,
                      str(digest.period), method="files.upload_v2")]


def _outgoing(key: str, kind: str, channel: str, payload: dict[str, Any], period: str,
              department: str | None = None, method: str = "chat.postMessage") -> Outgoing:
    return Outgoing(key, kind, channel, {"channel": channel, **payload}, method=method,
                    period_key=period, department_key=department)


# An ask changed long after it was raised updates only this many months' digests.
MAX_DIGESTS = 24


@_in_the_channels_language
def refresh_digests(deps: Deps, ask: Ask, version: str) -> None:
    """Update every posted digest that shows the ask: its own month's, and the later ones
    that carry it as still open (a digest not posted yet will show it as it then stands)."""
    if ask.period is None:
        return
    now = this_month(deps.clock(), deps.config.organization.timezone)
    months = months_between(Month.parse(ask.period), now)[:MAX_DIGESTS]
    for month in months:
        refresh_digest(deps, str(month), ask.department, version=version)
