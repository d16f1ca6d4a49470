"""``GET /metrics`` through the real server: Slack requests, acknowledgements, outbox, ledger."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_app
from bot.cycle.ledger import record_manual
from bot.metrics import request_kind
from bot.server import make_wsgi, start_server
from summaries.store.infra import OutboxMessage
from tests.bot.e2e.test_server import home_event
from tests.slackstandin import SlackDriver
from tests.support.botkit import Bot

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(url: str, method: str = "GET") -> tuple[int, str, str]:
    """``/metrics`` of the server at ``url``: status, content type, body."""
    request = urllib.request.Request(f"{url}/metrics", method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers["Content-Type"], e.read().decode()


def parse(text: str) -> Samples:
    """Every sample by name and labels (the parser rejects anything malformed)."""
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def outbox_row(key: str, state: str, age: timedelta) -> OutboxMessage:
    return OutboxMessage(key=key, kind="prompt", recipient="U0EAST", method="chat.postMessage",
                         payload={"channel": "U0EAST", "text": "hi"}, state=state,
                         period_key="2026-10", created_at=datetime.now(UTC) - age)


def test_metrics_count_slack_requests_and_read_the_outbox_and_the_ledger(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    command = bot.driver.command("U0EAST", "/kpi", "help")
    assert command.status == 200, command.body
    assert bot.driver.command("U0EAST", "/checkin", "help").status == 200
    assert bot.driver.app_home_opened("U0EAST").status == 200
    forged = bot.driver.post(home_event("U0EAST", "Ev0FORGED1"), "application/json",
                             secret="not-the-secret")
    assert forged.status == 401
    assert bot.driver.url_verification("challenge-1").status == 200
    with session_maker() as session:
        session.add_all([outbox_row("m:1", "pending", timedelta(minutes=10)),
                         outbox_row("m:2", "failed", timedelta(minutes=5)),
                         outbox_row("m:3", "sent", timedelta(hours=2))])
        session.commit()
        in_db = dict(session.execute(select(OutboxMessage.state, func.count())
                                     .group_by(OutboxMessage.state)).tuples().all())
    record_manual(bot.deps, "open", "2026-10", True, None)
    record_manual(bot.deps, "close", "2026-09", False, "Slack said no")

    status, content_type, body = scrape(bot.server.url)
    assert status == 200
    assert content_type == CONTENT_TYPE_LATEST
    samples = parse(body)

    requests = "checkin_slack_requests_total"
    assert value(samples, requests, kind="command", command="/kpi", status="200") == 1
    assert value(samples, requests, kind="command", command="/checkin", status="200") == 1
    assert value(samples, requests, kind="event", command="", status="200") == 1
    # An unverified body is never parsed, so its kind is unknown: it counts as "refused".
    assert value(samples, requests, kind="refused", command="", status="401") == 1
    assert value(samples, requests, kind="url_verification", command="", status="200") == 1
    assert value(samples, "checkin_slack_ack_seconds_count", kind="command") == 2
    assert value(samples, "checkin_slack_ack_seconds_count", kind="event") == 1
    assert value(samples, "checkin_slack_ack_seconds_bucket", kind="command", le="5.0") == 2
    # Nothing names a person, a team or what they typed.
    labels = {name for (_, pairs) in samples for name, _ in pairs}
    assert labels <= {"kind", "command", "status", "le", "state", "step"}

    assert value(samples, "checkin_database_up") == 1
    for state in ("pending", "sending", "sent", "failed", "doubt"):
        assert value(samples, "checkin_outbox_messages", state=state) == in_db.get(state, 0)
    assert in_db["pending"] >= 1
    assert in_db["failed"] >= 1
    oldest = value(samples, "checkin_outbox_oldest_pending_seconds")
    assert oldest is not None
    assert 10 * 60 - 5 <= oldest < 10 * 60 + 60

    opened = bot.clock.now.timestamp()
    assert value(samples, "checkin_step_last_run_timestamp_seconds",
                 step="open", state="done") == opened
    assert value(samples, "checkin_step_last_success_timestamp_seconds", step="open") == opened
    assert value(samples, "checkin_step_last_run_timestamp_seconds",
                 step="close", state="failed") == opened
    assert value(samples, "checkin_step_last_success_timestamp_seconds", step="close") is None
    assert value(samples, "checkin_step_runs", step="open", state="done") == 1


def test_bolt_reads_the_same_body_after_the_metrics_layer(bot: Bot) -> None:
    # A signature over the whole body passes only if Bolt gets every byte the layer read.
    long_text = "revenue " * 2000
    reply = bot.driver.command("U0EAST", "/kpi", long_text)
    assert reply.status == 200, reply.body


def test_metrics_answer_head_and_refuse_other_methods(bot: Bot) -> None:
    status, content_type, body = scrape(bot.server.url, "HEAD")
    assert (status, content_type, body) == (200, CONTENT_TYPE_LATEST, "")
    status, _, _ = scrape(bot.server.url, "POST")
    assert status == 404


def test_metrics_answer_without_a_database(bot: Bot, tmp_path: Path) -> None:
    deps = replace(bot.deps, engine=sa.create_engine(f"sqlite:///{tmp_path}/missing/x.db"))
    server = start_server(make_wsgi(create_app(deps), deps))
    try:
        driver = SlackDriver(f"{server.url}/slack/events", bot.driver.signing_secret, bot.slack)
        assert driver.url_verification("still-here").status == 200
        status, _, body = scrape(server.url)
        health = urllib.request.Request(f"{server.url}/healthz")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(health, timeout=10)
        # The refusal's body is read while the server still runs: stopping it first
        # can close the connection before the body has arrived.
        refusal = json.loads(refused.value.read())
    finally:
        server.stop()
        deps.executor.shutdown(wait=True)
    assert status == 200
    samples = parse(body)
    assert value(samples, "checkin_database_up") == 0
    assert not any(name.startswith(("checkin_outbox", "checkin_step")) for name, _ in samples)
    assert value(samples, "checkin_slack_requests_total", kind="url_verification", command="",
                 status="200") == 1
    assert refused.value.code == 503
    assert refusal == {"status": "unavailable", "database": "unavailable"}


def test_apps_in_one_process_keep_their_own_counts(bot: Bot) -> None:
    other = start_server(make_wsgi(create_app(bot.deps), bot.deps))
    try:
        assert bot.driver.url_verification("one").status == 200
        _, _, body = scrape(other.url)
    finally:
        other.stop()
    assert value(parse(body), "checkin_slack_requests_total", kind="url_verification",
                 command="", status="200") is None


def form(**fields: str) -> bytes:
    return urlencode(fields).encode()


@pytest.mark.parametrize(("body", "expected"), [
    (form(command="/kpi", text="revenue east"), ("command", "/kpi")),
    (form(command="/checkin", text="status"), ("command", "/checkin")),
    (form(command="/deploy-prod", text="now"), ("command", "other")),
    (form(payload=json.dumps({"type": "block_actions"})), ("block_actions", "")),
    (form(payload=json.dumps({"type": "view_submission"})), ("view_submission", "")),
    (form(payload=json.dumps({"type": "view_closed"})), ("view_closed", "")),
    (form(payload=json.dumps({"type": "block_suggestion"})), ("block_suggestion", "")),
    (form(payload=json.dumps({"type": "shortcut"})), ("other", "")),
    (form(payload="{not json"), ("other", "")),
    (json.dumps({"type": "event_callback", "event": {}}).encode(), ("event", "")),
    (json.dumps({"type": "url_verification"}).encode(), ("url_verification", "")),
    (json.dumps({"type": "app_rate_limited"}).encode(), ("other", "")),
    (b"[1, 2]", ("other", "")),
    (b"{broken", ("other", "")),
    (b"", ("other", "")),
])
def test_request_kind(body: bytes, expected: tuple[str, str]) -> None:
    assert request_kind(body) == expected


def test_ack_latency_is_timed_to_the_response(bot: Bot) -> None:
    started = time.perf_counter()
    assert bot.driver.url_verification("timed").status == 200
    elapsed = time.perf_counter() - started
    _, _, body = scrape(bot.server.url)
    total = value(parse(body), "checkin_slack_ack_seconds_sum", kind="url_verification")
    assert total is not None
    assert 0 < total <= elapsed
