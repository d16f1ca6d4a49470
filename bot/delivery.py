"""The one outbound path: every post is an outbox row first, then claimed, sent and marked.

A row's key is unique (kind, period, department, recipient), so enqueueing twice sends once.
A row is claimed before the call, so two processes never send it both; what fails stays in the
outbox with its error and is retried by the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.deps import Deps
from summaries.dbtypes import utcnow
from summaries.models import OutboxMessage

log = logging.getLogger(__name__)

# A claimed row whose sender died is taken over after this long.
CLAIM_LEASE = timedelta(minutes=2)
RETRYABLE_STATES = ("pending", "failed")


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
        try:
            with session.begin_nested():  # another process may add the same key meanwhile
                session.add(OutboxMessage(
                    key=key, kind=message.kind, recipient=message.recipient,
                    method=message.method, payload=message.payload, state="pending",
                    period_key=message.period_key, department_key=message.department_key,
                    created_at=utcnow()))
        except IntegrityError:
            log.info("outbox key %s was added by another process", key)
    return list(wanted)


def deliver(deps: Deps, keys: Collection[str] | None = None) -> DeliveryReport:
    """Send the outbox rows still to go (only ``keys`` when given), one claim at a time."""
    report = DeliveryReport()
    with deps.unit_of_work() as session:
        query = select(OutboxMessage.id).where(
            or_(OutboxMessage.state.in_(RETRYABLE_STATES), OutboxMessage.state == "sending"))
        if keys is not None:
            query = query.where(OutboxMessage.key.in_(list(keys)))
        ids = list(session.scalars(query.order_by(OutboxMessage.id)))
    for row_id in ids:
        row = _claim(deps, row_id)
        if row is not None:
            _send(deps, row, report)
    return report


def _claim(deps: Deps, row_id: int) -> OutboxMessage | None:
    now = deps.clock()
    with deps.unit_of_work() as session:
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, or_(
                OutboxMessage.state.in_(RETRYABLE_STATES),
                (OutboxMessage.state == "sending") & (OutboxMessage.next_attempt_at < now)))
            .values(state="sending", attempts=OutboxMessage.attempts + 1,
                    next_attempt_at=now + CLAIM_LEASE)
            .execution_options(synchronize_session=False))
        if getattr(claimed, "rowcount", 0) != 1:
            return None
        return session.get(OutboxMessage, row_id)


def _send(deps: Deps, row: OutboxMessage, report: DeliveryReport) -> None:
    try:
        response = deps.client.api_call(row.method, json=row.payload)
        values: dict[str, Any] = {"state": "sent", "sent_at": deps.clock(), "last_error": None,
                                  "slack_channel": response.get("channel"),
                                  "slack_ts": response.get("ts")}
        report.sent.append(row.key)
    except SlackApiError as exc:
        error = str(exc.response.get("error") or exc)
        values = {"state": "failed", "last_error": error[:500]}
        report.failed[row.key] = error
        log.warning("sending %s failed: %s", row.key, error)
    except Exception as exc:  # timeouts and connection errors: keep the row for the next run
        values = {"state": "failed", "last_error": f"{type(exc).__name__}: {exc}"[:500]}
        report.failed[row.key] = values["last_error"]
        log.warning("sending %s failed: %s", row.key, values["last_error"])
    with deps.unit_of_work() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id)
                        .values(**values).execution_options(synchronize_session=False))


def sent_message(session: Session, key: str) -> OutboxMessage | None:
    """The outbox row of ``key`` if it was sent (with its channel and ts), else None."""
    row = session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).first()
    return row if row is not None and row.state == "sent" else None
