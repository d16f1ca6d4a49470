"""Keep a posted digest current: late summaries, corrections and changes to asks update the
header and the departments' replies in place, never post a second digest.

An update reads the month and evaluates the departments whose inputs changed since it was
last read (and those above them), reusing the others' kept results
(:mod:`summaries.checkins.keptmonth`); the first read of a month evaluates it whole. The bot
asks for it with :func:`update_digest`, which does it on the worker pool rather than on the
listener thread that took the change (Bolt has five: a burst of late summaries held them all),
one update at a time, the changes that arrive meanwhile done together by the next. An import
names every department it corrected to one :func:`refresh_digest`.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.blocks.digest import department_messages, header_messages
from bot.cycle.closing import (
    header_key,
    in_the_channels_language,
    more_key,
    outgoing,
    reply_key,
)
from bot.deps import Deps, product_code
from bot.outbox.delivery import (
    DeliveryReport,
    Outgoing,
    deliver,
    enqueue,
    sent_places,
)
from summaries.checkins.cycle import period_info
from summaries.checkins.keptmonth import Keeping, keep_results
from summaries.dates import format_day
from summaries.digest.load import load_digest
from summaries.digest.model import Digest, RevisionRow
from summaries.engine.asks import Ask
from summaries.periods import Month, months_between, this_month

log = logging.getLogger(__name__)


@in_the_channels_language
def refresh_digest(deps: Deps, period: str, *departments: str, deliver_now: bool = True,
                   version: str | None = None) -> DeliveryReport:
    """Late summaries, corrections or a change to an ask arrived for ``departments``: update
    the posted header (and its continuations) in place, once, and post or update each
    department's reply (never a second digest). The month is read once however many
    departments changed (an import correcting fifty reads it once, not fifty times). Nothing
    happens before the digest is posted (it will include them). Without ``deliver_now`` the
    updates wait in the outbox for the bot's next pass. ``version`` names the change, so each
    change updates once (by default the count of each department's stored revisions; an
    ask's change passes its event).

    The "corrected on <date>" marks come from the stored revisions (see
    :func:`corrected_moments`), not from what prompted this refresh: the header keeps the
    month's latest correction however many late summaries update it afterwards, and a reply
    shows its own department's."""
    channel = deps.config.organization.leadership_channel
    month = Month.parse(period)
    keeping = Keeping(product_code())  # the departments unchanged since the last read reused
    with deps.read_only() as session:  # the stored flags stay the close's
        sent = {key: {"channel": where or channel, "ts": ts}
                for key, (where, ts) in sent_places(session, period, "digest").items()}
        place = sent.get(header_key(period, channel))
        if place is None or not departments:
            return DeliveryReport()
        digest = load_digest(session, deps.config, month, closed=True, revisions=True,
                             keeping=keeping)
        info = period_info(session, month)
    keep_results(deps.sessions, keeping)
    changes = Counter(row.department for row in digest.revisions)  # a version per change
    versions = {d: version if version is not None else str(changes[d])
                for d in dict.fromkeys(departments)}
    replies = {d: [sent.get(reply_key(period, d, channel, n)) for n in range(_MAX_PARTS)]
               for d in versions}
    more = [sent.get(more_key(period, channel, n)) for n in range(1, _MAX_PARTS)]
    fixed = corrected_moments(digest.revisions, info.closed_at if info is not None else None)
    corrected = _day(deps, max(fixed.values())) if fixed else None
    head, *rest = header_messages(digest, corrected)
    update = _update_key(period, versions)
    parts = [outgoing(f"{update}:header", "digest_update",
                      channel, {**head, **place}, period, _one(versions), "chat.update")]
    for n, payload in enumerate(rest, 1):  # continuations posted at the close, as they now are
        where = more[n - 1] if n <= len(more) else None
        if where is not None:
            parts.append(outgoing(f"{update}:more{n}", "digest_update", channel,
                                  {**payload, **where}, period, _one(versions), "chat.update"))
    for department, changed in versions.items():
        own = _day(deps, fixed[department]) if department in fixed else None
        mine = ":".join(("digest-update", period, department, changed))
        parts += _replies(digest, department, own, mine, replies[department], place, channel)
    with deps.unit_of_work() as session:
        keys = enqueue(session, parts)
    return deliver(deps, keys) if deliver_now else DeliveryReport()


def _replies(digest: Digest, department: str, own: str | None, update: str,
             posted: list[dict[str, str] | None], place: dict[str, str],
             channel: str) -> list[Outgoing]:
    """The department's reply as it now reads: its posted messages updated in place, any part
    it did not have before posted in the thread."""
    period = str(digest.period)
    parts = []
    for n, payload in enumerate(department_messages(digest, department, own)):
        where = posted[n] if n < len(posted) else None
        if where is not None:
            parts.append(outgoing(f"{update}:{n}", "digest_update", channel,
                                  {**payload, **where}, period, department, "chat.update"))
        else:
            parts.append(outgoing(
                reply_key(period, department, channel, n), "digest", channel,
                {**payload, "channel": place["channel"], "thread_ts": place["ts"]},
                period, department))
    return parts


def _update_key(period: str, versions: dict[str, str]) -> str:
    """What names one refresh of the header: the department and its change, as it always
    was for one; for several, a digest of every department's change (an outbox key holds
    255 characters)."""
    if len(versions) == 1:
        ((department, changed),) = versions.items()
        return ":".join(("digest-update", period, department, changed))
    named = "\n".join(f"{d}\0{v}" for d, v in sorted(versions.items()))
    return ":".join(("digest-update", period, f"{len(versions)}-departments",
                     hashlib.sha256(named.encode()).hexdigest()[:24]))


def _one(versions: dict[str, str]) -> str | None:
    """The department a header update is filed under: the one that changed, if only one."""
    return next(iter(versions)) if len(versions) == 1 else None


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


# An ask changed long after it was raised updates only this many months' digests.
MAX_DIGESTS = 24


def refresh_digests(deps: Deps, ask: Ask, version: str) -> None:
    """Have every posted digest that shows the ask updated (see :func:`update_digest`): its
    own month's, and the later ones that carry it as still open (a digest not posted yet
    will show it as it then stands)."""
    if ask.period is None:
        return
    now = this_month(deps.clock(), deps.config.organization.timezone)
    months = months_between(Month.parse(ask.period), now)[:MAX_DIGESTS]
    for month in months:
        update_digest(deps, str(month), ask.department, version)


def update_digest(deps: Deps, period: str, department: str, version: str | None = None
                  ) -> None:
    """Have the posted digest of ``period`` updated for ``department`` (as
    :func:`refresh_digest` does) on the worker pool, not on the caller's thread. Updates run
    one at a time (each holds a whole month in memory, and an ask decided a year late
    updates twelve), and the changes that arrive while one runs are done together by the
    next, with one read of each month (:mod:`bot.gathered`)."""
    deps.updates.request(deps.executor, "digest-updates", (period, department, version),
                         functools.partial(_update_gathered, deps))


def _update_gathered(deps: Deps, changes: list[tuple[str, str, str | None]]) -> None:
    """The updates asked for since the last: one refresh per month and kind of change (an
    ask's event names its own; late summaries and corrections count revisions)."""
    by_month: dict[tuple[str, str | None], list[str]] = {}
    for period, department, version in changes:
        by_month.setdefault((period, version), []).append(department)
    for (period, version), departments in by_month.items():
        began = time.perf_counter()
        try:
            refresh_digest(deps, period, *departments, version=version)
        except Exception:
            log.exception("updating the %s digest for %s failed", period,
                          ", ".join(departments))
        else:
            log.info("updated the %s digest for %s in %.2f s", period, ", ".join(departments),
                     time.perf_counter() - began)
