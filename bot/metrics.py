"""Prometheus metrics: Slack requests, acknowledgement latency, the outbox and the ledger."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select

from bot.probe import Probe
from summaries.store.infra import OutboxMessage, OutboxState, StepRun, StepState

log = logging.getLogger(__name__)

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Slack gives up after 3 s, so the buckets are fine below it and stop just past it.
ACK_BUCKETS = (.005, .01, .025, .05, .1, .25, .5, 1.0, 2.0, 3.0, 5.0)
INTERACTIVE = ("block_actions", "view_submission", "view_closed", "block_suggestion")
JSON_KINDS = {"event_callback": "event", "url_verification": "url_verification"}
# Only the commands the app registers get their own label value: the text people type after
# a slash, or a misconfigured command, must not make new series.
COMMANDS = ("/kpi", "/checkin")
# Listed even at zero, so a dashboard's series do not come and go (see bot/outbox/delivery.py).
OUTBOX_STATES = tuple(OutboxState)


def request_kind(body: bytes) -> tuple[str, str]:
    """The kind of a Slack request and, for a slash command, its name (else "")."""
    stripped = body.lstrip()
    if stripped.startswith(b"{"):
        try:
            data = json.loads(stripped)
        except ValueError:
            return "other", ""
        kind = data.get("type") if isinstance(data, dict) else None
        return JSON_KINDS.get(kind, "other") if isinstance(kind, str) else "other", ""
    try:
        form = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=100)
    except ValueError:
        return "other", ""
    if "payload" in form:
        try:
            payload = json.loads(form["payload"][0])
        except ValueError:
            return "other", ""
        kind = payload.get("type") if isinstance(payload, dict) else None
        return (kind if kind in INTERACTIVE else "other"), ""
    if "command" in form:
        command = form["command"][0]
        return "command", command if command in COMMANDS else "other"
    return "other", ""


class DatabaseCollector(Collector):
    """Outbox backlog and step-ledger times read at scrape time, shared by every replica."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.read = Probe(self._read)

    def collect(self) -> Iterator[Metric]:
        try:
            families = self.read()
        except Exception as exc:  # a scrape must answer even when the database does not
            log.warning("metrics: database unavailable: %s", type(exc).__name__)
            families = []
        up = GaugeMetricFamily("checkin_database_up",
                               "1 if the database answered this scrape's queries, else 0")
        up.add_metric([], 1 if families else 0)
        yield up
        yield from families

    def _read(self) -> list[Metric]:
        with self.engine.connect() as connection:
            by_state = dict(connection.execute(
                select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
            ).tuples().all())
            oldest = connection.scalar(
                select(func.min(OutboxMessage.created_at))
                .where(OutboxMessage.state != OutboxState.SENT))
            runs = connection.execute(
                select(StepRun.step, StepRun.state, func.count(), func.max(StepRun.finished_at))
                .group_by(StepRun.step, StepRun.state)).tuples().all()

        outbox = GaugeMetricFamily("checkin_outbox_messages", "Outbox rows by state",
                                   labels=["state"])
        for state in sorted({*OUTBOX_STATES, *by_state}):
            outbox.add_metric([state], by_state.get(state, 0))
        age = GaugeMetricFamily("checkin_outbox_oldest_pending_seconds",
                                "Age of the oldest outbox row not yet sent (0 if none)")
        age.add_metric([], max(0.0, time.time() - _unix(oldest)) if oldest is not None else 0.0)

        counts = GaugeMetricFamily("checkin_step_runs", "Step-ledger rows by step and state",
                                   labels=["step", "state"])
        last_run = GaugeMetricFamily(
            "checkin_step_last_run_timestamp_seconds",
            "When a step last finished in this state (unix time), over every period",
            labels=["step", "state"])
        last_success = GaugeMetricFamily(
            "checkin_step_last_success_timestamp_seconds",
            "When a step last finished successfully (unix time), over every period",
            labels=["step"])
        for step, state, count, finished in runs:
            counts.add_metric([step, state], count)
            if finished is not None:
                last_run.add_metric([step, state], _unix(finished))
                if state == StepState.DONE:
                    last_success.add_metric([step], _unix(finished))
        return [outbox, age, counts, last_run, last_success]


def _unix(moment: Any) -> float:
    """Unix time of a stored timestamp (UtcDateTime reads back aware; func.max may not)."""
    if isinstance(moment, str):  # SQLite hands aggregates back untyped
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return float(moment.timestamp())


class Metrics:
    """One app's metrics in a registry of its own, so several apps can share a process."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.requests = Counter(
            "checkin_slack_requests", "Requests to /slack/events by kind and HTTP status",
            ["kind", "command", "status"], registry=self.registry)
        self.ack = Histogram(
            "checkin_slack_ack_seconds",
            "Time from receiving a Slack request to returning its response (the acknowledgement)",
            ["kind"], buckets=ACK_BUCKETS, registry=self.registry)
        if engine is not None:
            self.registry.register(DatabaseCollector(engine))

    def observe(self, kind: str, command: str, status: int, seconds: float) -> None:
        """Count one Slack request and its acknowledgement time."""
        self.requests.labels(kind=kind, command=command, status=str(status)).inc()
        self.ack.labels(kind=kind).observe(seconds)

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format."""
        return generate_latest(self.registry)
