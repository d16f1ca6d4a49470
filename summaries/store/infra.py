"""The bot's own bookkeeping tables: the outbox, the step ledger and requests already handled.

They hold no check-in data; the bot may use them directly (it never touches the domain models).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from summaries.store.base import KEY, USER, Base
from summaries.store.types import UtcDateTime, utcnow


class OutboxState(StrEnum):
    """An outbox row: waiting, being sent (claimed), sent, failed (retried later), or in doubt
    (Slack may have it; looked up before it is sent again)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DOUBT = "doubt"


class StepState(StrEnum):
    """A cycle step in the ledger: running under a lease, done, or failed (to be retried)."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class OutboxMessage(Base):
    """A Slack post to deliver, unique per kind, period, department and recipient."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    period_key: Mapped[str | None] = mapped_column(String(7))
    department_key: Mapped[str | None] = mapped_column(String(KEY))
    recipient: Mapped[str] = mapped_column(String(USER))
    method: Mapped[str] = mapped_column(String(40), default="chat.postMessage")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default=OutboxState.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Which process holds the claim ("host:pid:nonce"), so a restart on the same host can take
    # over its dead predecessor's claim without waiting for the lease to end.
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    slack_channel: Mapped[str | None] = mapped_column(String(USER))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When a delivered row's payload (a chart's bytes, a message's blocks) was dropped after
    # the retention; the key, state and place in Slack stay, so nothing is ever sent twice.
    purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class StepRun(Base):
    """The ledger of scheduled steps: one row per step and period, claimed with a lease."""

    __tablename__ = "step_runs"
    __table_args__ = (UniqueConstraint("step", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    step: Mapped[str] = mapped_column(String(16))
    period_key: Mapped[str] = mapped_column(String(7))
    state: Mapped[str] = mapped_column(String(16), default=StepState.RUNNING)
    owner: Mapped[str] = mapped_column(String(200))
    lease_until: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(Text)


class ReceivedRequest(Base):
    """A Slack delivery already handled (an event id, a click), so a repeat has no effect."""

    __tablename__ = "received_requests"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
