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
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from bot.blocks.digest import chart_filename, chart_title, department_messages, header_messages
from bot.cycle.nudges import tell_missing
from bot.deps import Deps, product_code
from bot.outbox.delivery import (
    DeliveryReport,
    Outgoing,
    deliver,
    enqueue,
    sent_message,
)
from summaries.checkins.asks import digest_asks
from summaries.checkins.cycle import close_month
from summaries.checkins.evaluation import refresh_flags
from summaries.checkins.keptmonth import Keeping, keep_results
from summaries.digest.header import by_worst_problem
from summaries.digest.load import (
    load_earlier,
    load_month,
    load_revised,
)
from summaries.digest.model import Digest, compile_digest
from summaries.i18n import speaking
from summaries.periods import Month
from summaries.store.reminders import reminders_sent

log = logging.getLogger(__name__)


def header_key(period: str, channel: str) -> str:
    return ":".join(("digest", period, "header", channel))


def reply_key(period: str, department: str, channel: str, part: int = 0) -> str:
    suffix = f"#{part + 1}" if part else ""
    return f"digest:{period}:{department}:{channel}{suffix}"


def more_key(period: str, channel: str, number: int) -> str:
    """The header's continuation ``number`` (1, 2, ...), in its thread."""
    return ":".join(("digest", period, f"more{number}", channel))


def close_period(deps: Deps, month: Month) -> DeliveryReport:
    """Close ``month`` and post its digest to the leadership channel (once, ever); once its
    header is out, tell each manager it went out without (once, ever)."""
    with deps.unit_of_work() as session:
        info = close_month(session, month, deps.clock())
    keeping = Keeping(product_code())  # the results kept for the updates that follow
    with deps.unit_of_work() as session:  # flags are stored as the period closes
        evaluated, trend = load_month(session, deps.config, month, closed=True,
                                      keeping=keeping)
        refresh_flags(session, evaluated)
        revised = load_revised(session, month)
        earlier = load_earlier(session, deps.config, month)
        reminders = reminders_sent(session, str(month))
        asks = digest_asks(session, deps.config, month)
    keep_results(deps.sessions, keeping)
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


def in_the_channels_language(work: Callable[Concatenate[Deps, _P], _R]
                             ) -> Callable[Concatenate[Deps, _P], _R]:
    """The leadership channel reads the organization's language (SPEC 11), whoever set the
    work off: a late submission by a manager who reads Chinese updates an English digest in
    English."""

    @functools.wraps(work)
    def run(deps: Deps, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with speaking(deps.config.organization.locale):
            return work(deps, *args, **kwargs)

    return run


@in_the_channels_language
def post_digest(deps: Deps, digest: Digest) -> DeliveryReport:
    """Post the header, then everything that threads under it."""
    period, channel = str(digest.period), deps.config.organization.leadership_channel
    header, *more = header_messages(digest)
    key = header_key(period, channel)
    with deps.unit_of_work() as session:
        enqueue(session, [outgoing(key, "digest", channel, header, period)])
    report = deliver(deps, [key])
    with deps.unit_of_work() as session:
        posted = sent_message(session, key)
        if posted is None or not posted.slack_ts:
            return report  # nothing can thread under a header that is not there yet
        thread = {"channel": posted.slack_channel or channel, "thread_ts": posted.slack_ts}
        parts = [outgoing(more_key(period, channel, n), "digest", channel,
                          {**payload, **thread}, period) for n, payload in enumerate(more, 1)]
        parts += _chart(digest, channel, thread)
        for department in by_worst_problem(digest):  # the worst problems first
            parts += [outgoing(reply_key(period, department.key, channel, n), "digest", channel,
                               {**payload, **thread}, period, department.key)
                      for n, payload in enumerate(department_messages(digest, department.key))]
        keys = enqueue(session, parts)
    rest = deliver(deps, keys)
    report.sent.extend(rest.sent)
    report.failed.update(rest.failed)
    return report


def _chart(digest: Digest, channel: str, thread: dict[str, str]) -> list[Outgoing]:
    if digest.trend is None or not digest.trend.series:
        return []
    from summaries.digest.charts import trend_png

    title = chart_title(digest)
    png = trend_png(digest.trend, digest.locale, title)
    payload = {**thread, "filename": chart_filename(digest), "title": title,
               "content_b64": base64.b64encode(png).decode("ascii")}
    return [outgoing(f"chart:{digest.period}:{channel}", "chart", channel, payload,
                     str(digest.period), method="files.upload_v2")]


def outgoing(key: str, kind: str, channel: str, payload: dict[str, Any], period: str,
             department: str | None = None, method: str = "chat.postMessage") -> Outgoing:
    return Outgoing(key, kind, channel, {"channel": channel, **payload}, method=method,
                    period_key=period, department_key=department)
