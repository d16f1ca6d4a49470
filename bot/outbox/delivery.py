"""The one outbound path: every post is an outbox row first, then claimed, sent and marked.

A row's key is unique (kind, period, department, recipient), so enqueueing twice sends once.
A row is claimed before the call, so two processes never send it both; what fails stays in the
outbox with its error and is retried by the next run. A row whose sender died mid-call is taken
over (at once when the sender was a process on this host, else when its lease ends) and looked
up in Slack before it is sent again. Pacing and retries live in ``bot.outbox.sending``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.outbox.landed import outbox_metadata
from bot.outbox.process import owner_gone, owner_id
from bot.outbox.sender import Sender
from bot.outbox.sending import Outcome, send_row
from summaries.store.infra import OutboxMessage, OutboxState
from summaries.store.types import utcnow

log = logging.getLogger(__name__)

# A claimed row whose sender died elsewhere is taken over after this long; a live sender
# renews it before every retry.
CLAIM_LEASE = timedelta(minutes=2)
RETRYABLE_STATES = (OutboxState.PENDING, OutboxState.FAILED, OutboxState.DOUBT)
# How long a run waits for rows another live process is sending before reporting them.
WAIT_FOR_OTHERS = 60.0
OWNER = owner_id()


@dataclass(frozen=True)
class Outgoing:
    """A message to send: its unique key, what it is, and the Web API call that sends it."""

    key: str
    kind: str
    recipient: str
    payload: dict[str, Any]
    method: str = "chat.postMessage"
    period_key: str | None = None
    department_key: str | None = None


@dataclass
class DeliveryReport:
    """What a delivery run did."""

    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed


def enqueue(session: Session, messages: Iterable[Outgoing]) -> list[str]:
    """Add the messages not yet in the outbox; return every key (new or already there)."""
    wanted = {m.key: m for m in messages}
    if not wanted:
        return []
    present = set(session.scalars(select(OutboxMessage.key)
                                  .where(OutboxMessage.key.in_(list(wanted)))))
    for key, message in wanted.items():
        if key in present:
            continue
        payload = message.payload
        if message.method == "chat.postMessage" and "metadata" not in payload:
            payload = {**payload, "metadata": outbox_metadata(key)}
        try:
            with session.begin_nested():  # another process may add the same key meanwhile
                session.add(OutboxMessage(
                    key=key, kind=message.kind, recipient=message.recipient,
                    method=message.method, payload=payload, state=OutboxState.PENDING,
                    period_key=message.period_key, department_key=message.department_key,
                    created_at=utcnow()))
        except IntegrityError:
            log.info("outbox key %s was added by another process", key)
    return list(wanted)


def deliver(deps: Sender, keys: Collection[str] | None = None) -> DeliveryReport:
    """Send the outbox rows still to go (only ``keys`` when given), one claim at a time.

    Each recipient's rows go in order (a thread stays in order); different recipients are
    served by a few threads at once, so database and network time overlap while the pacer
    keeps the rate. Rows another live process is sending are waited for (up to
    ``WAIT_FOR_OTHERS`` seconds) and reported as not delivered if they are still out.
    """
    report = DeliveryReport()
    lock = threading.Lock()
    deadline = time.monotonic() + WAIT_FOR_OTHERS
    while True:
        held: dict[str, str] = {}
        queues = _by_recipient(_undelivered(deps, keys))
        send = partial(_send_queue, deps, report=report, held=held, lock=lock)
        workers = min(deps.settings.delivery_workers, len(queues))
        if workers <= 1:
            for rows in queues:
                send(rows)
        else:
            with ThreadPoolExecutor(workers, thread_name_prefix="outbox") as pool:
                list(pool.map(send, queues))
        if not held or time.monotonic() > deadline:
            report.failed.update(held)
            purge_delivered(deps)
            return report
        time.sleep(0.2)


def purge_delivered(deps: Sender) -> int:
    """Drop the payloads of rows delivered longer ago than the retention; how many were."""
    now = deps.clock()
    cutoff = now - timedelta(days=deps.settings.outbox_retention_days)
    with deps.unit_of_work() as session:
        purged = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.SENT, OutboxMessage.sent_at < cutoff,
                   OutboxMessage.purged_at.is_(None))
            .values(payload={}, purged_at=now)
            .execution_options(synchronize_session=False))
    count = int(getattr(purged, "rowcount", 0) or 0)
    if count:
        log.info("purged the payloads of %d delivered outbox rows", count)
    return count


def _send_queue(deps: Sender, rows: list[tuple[int, str]], *, report: DeliveryReport,
                held: dict[str, str], lock: threading.Lock) -> None:
    """Send one recipient's rows in order."""
    for row_id, key in rows:
        claimed = _claim(deps, row_id)
        if claimed is None:
            with lock:
                held[key] = "being sent by another process"
            continue
        row, in_doubt = claimed
        outcome = _send(deps, row, in_doubt)
        with lock:
            _finish(deps, row, outcome, report)


def _by_recipient(rows: list[tuple[int, str, str]]) -> list[list[tuple[int, str]]]:
    queues: dict[str, list[tuple[int, str]]] = {}
    for row_id, key, recipient in rows:
        queues.setdefault(recipient, []).append((row_id, key))
    return list(queues.values())


def _undelivered(deps: Sender, keys: Collection[str] | None) -> list[tuple[int, str, str]]:
    with deps.unit_of_work() as session:
        query = select(OutboxMessage.id, OutboxMessage.key, OutboxMessage.recipient).where(
            OutboxMessage.state.in_((*RETRYABLE_STATES, OutboxState.SENDING)))
        if keys is not None:
            query = query.where(OutboxMessage.key.in_(list(keys)))
        return [(r.id, r.key, r.recipient)
                for r in session.execute(query.order_by(OutboxMessage.id))]


def _claim(deps: Sender, row_id: int) -> tuple[OutboxMessage, bool] | None:
    """Claim the row; also say whether an earlier attempt may have reached Slack."""
    now = deps.clock()
    with deps.unit_of_work() as session:
        row = session.get(OutboxMessage, row_id)
        if row is None or row.state == OutboxState.SENT:
            return None
        was = row.state
        if was == OutboxState.SENDING and not ((row.next_attempt_at is not None
                                     and row.next_attempt_at < now)
                                     or owner_gone(row.claimed_by)):
            return None
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.state == was,
                   OutboxMessage.attempts == row.attempts)
            .values(state=OutboxState.SENDING, attempts=OutboxMessage.attempts + 1,
                    next_attempt_at=now + CLAIM_LEASE, claimed_by=OWNER)
            .execution_options(synchronize_session=False))
        if getattr(claimed, "rowcount", 0) != 1:
            return None
        session.expunge(row)
        return row, was in (OutboxState.SENDING, OutboxState.DOUBT)


def _send(deps: Sender, row: OutboxMessage, in_doubt: bool) -> Outcome:
    def renew() -> None:
        with deps.unit_of_work() as session:
            session.execute(update(OutboxMessage)
                            .where(OutboxMessage.id == row.id, OutboxMessage.claimed_by == OWNER)
                            .values(next_attempt_at=deps.clock() + CLAIM_LEASE)
                            .execution_options(synchronize_session=False))

    try:
        return send_row(deps, row.method, row.payload, in_doubt=in_doubt, renew=renew)
    except Exception as exc:  # one row's surprise must not stop the others
        log.exception("sending %s failed", row.key)
        return Outcome(False, error=f"{type(exc).__name__}: {exc}"[:500], doubt=in_doubt)


def _finish(deps: Sender, row: OutboxMessage, outcome: Outcome, report: DeliveryReport) -> None:
    values: dict[str, Any]
    if outcome.sent:
        values = {"state": OutboxState.SENT, "sent_at": deps.clock(), "last_error": None,
                  "slack_channel": outcome.channel, "slack_ts": outcome.ts}
        report.sent.append(row.key)
    else:
        values = {"state": OutboxState.DOUBT if outcome.doubt else OutboxState.FAILED,
                  "last_error": (outcome.error or "unknown error")[:500]}
        report.failed[row.key] = values["last_error"]
        log.warning("sending %s failed: %s", row.key, values["last_error"])
    with deps.unit_of_work() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id)
                        .values(claimed_by=None, **values)
                        .execution_options(synchronize_session=False))


def sent_message(session: Session, key: str) -> OutboxMessage | None:
    """The outbox row of ``key`` if it was sent (with its channel and ts), else None."""
    row = session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).first()
    return row if row is not None and row.state == OutboxState.SENT else None


def sent_places(session: Session, period: str, kind: str) -> dict[str, tuple[str | None, str]]:
    """Where each message of ``kind`` for ``period`` that was sent is in Slack (its channel,
    if Slack named one, and its ``ts``), by key: one read of the keys and places only."""
    rows = session.execute(
        select(OutboxMessage.key, OutboxMessage.slack_channel, OutboxMessage.slack_ts)
        .where(OutboxMessage.period_key == period, OutboxMessage.kind == kind,
               OutboxMessage.state == OutboxState.SENT, OutboxMessage.slack_ts.is_not(None)))
    return {key: (channel, ts) for key, channel, ts in rows.tuples() if ts}
