"""``/kpi``: look a KPI up, privately, with what the caller may see (SPEC section 5).

A lookup takes milliseconds, so the answer usually travels in the acknowledgement itself (an
ephemeral response); should the database be slow, the acknowledgement goes out empty before
Slack's 3 seconds and the answer follows through the response URL. A trend's chart is drawn by
the chart worker, off the threads that answer Slack, and sent by direct message; when too many
charts are waiting, it is skipped and the answer says so.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks.admin import no_role_message, one_line
from bot.blocks.common import context
from bot.blocks.lookup import (
    answer_message,
    chart_title,
    choices_message,
    list_message,
    trend_message,
)
from bot.budget import within
from bot.commands.checkin import SORRY
from bot.deps import Deps
from bot.notices import answer
from bot.outbox.files import DmFile, send_files
from summaries.access import Viewer, viewer
from summaries.errors import DomainError, PermissionDenied
from summaries.i18n import N_, _, reading, speaking
from summaries.lookup.answer import KpiAnswer, TrendAnswer, answer_query
from summaries.lookup.query import (
    KpiQuery,
    LookupProblem,
    parse_query,
    visible_departments,
    visible_kpis,
)
from summaries.lookup.reads import latest_month
from summaries.periods import this_month

log = logging.getLogger(__name__)
CHART_SKIPPED = N_("I'm drawing too many charts just now, so this one is skipped; ask again "
                   "in a minute for the picture.")


def handle_kpi_command(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Answer one ``/kpi`` request: in the acknowledgement when the answer is ready within the
    budget (the usual case), else acknowledge at once and answer through the response URL when
    the answer is ready, from the worker that made it (this thread is free after the ack).
    Words are the reader's (the organization's unless a reader's own was set)."""
    locale = reading(deps.locale)
    with speaking(locale):
        attempt = within(deps.executor, deps.ack_budget, lambda: kpi_reply(deps, body))
        if attempt.in_time:
            ack(response_type="ephemeral", **outcome(attempt.future))
            return
    ack()
    attempt.future.add_done_callback(lambda done: answer_late(deps, client, body, done, locale))


def outcome(done: Future[dict[str, Any]]) -> dict[str, Any]:
    """The finished work's message; when it failed, what went wrong (logged) or a sorry.

    Failures are answered here, not raised to Bolt: a listener that raises after its ack has
    Bolt take the ack back, and Slack gets no answer for 3 seconds.
    """
    try:
        return done.result()
    except DomainError as problem:
        return one_line(str(problem))
    except Exception:
        log.exception("a /kpi request failed")
        return one_line(_(SORRY))


def answer_late(deps: Deps, client: WebClient, body: dict[str, Any],
                done: Future[dict[str, Any]], locale: str | None = None) -> None:
    """Send an answer that missed the acknowledgement (or a sorry) through the response URL,
    in the reader's ``locale`` (the worker's thread does not carry the request's)."""
    try:
        with speaking(locale or deps.locale):
            message = outcome(done)
        answer(client, deps.settings.slack_api_url, body, message)
    except Exception:
        log.exception("could not send a /kpi answer to %s", body.get("user_id"))


def kpi_reply(deps: Deps, body: dict[str, Any]) -> dict[str, Any]:
    """The message answering a ``/kpi`` request; a trend's chart is offered to the chart
    worker, and when that is busy the table comes alone, saying the chart was skipped."""
    message, result = kpi_answer(deps, body)
    locale = reading(deps.locale)  # the chart worker's thread does not carry the reader's
    if isinstance(result, TrendAnswer) and not deps.charts.offer(
            lambda: send_chart(deps, body, result, locale)):
        message = trend_message(result, deps.locale, chart=False)
        message["blocks"].append(context(_(CHART_SKIPPED)))
    return message


def kpi_answer(deps: Deps, body: dict[str, Any]
               ) -> tuple[dict[str, Any], KpiAnswer | TrendAnswer | None]:
    """The message answering a ``/kpi`` request, and the figures behind it (if any)."""
    who = viewer(deps.config, body["user_id"])
    if who.role is None:
        return no_role_message(deps.config), None
    try:
        today = this_month(deps.clock(), deps.config.organization.timezone)
        query = parse_query(deps.config, who, body.get("text") or "", today)
        if query.mode == "list":
            return list_message(deps.config.organization.name, visible_kpis(deps.config, who),
                                visible_departments(deps.config, who)), None
        result = lookup(deps, who, query)
    except LookupProblem as problem:
        return choices_message(str(problem), problem.candidates, problem.noun), None
    except PermissionDenied as denied:
        return one_line(str(denied)), None
    if isinstance(result, TrendAnswer):
        return trend_message(result, deps.locale, chart=True), result
    return answer_message(result, deps.locale), result


def lookup(deps: Deps, who: Viewer, query: KpiQuery) -> KpiAnswer | TrendAnswer:
    """The figures the query asks for; without a month, the latest month with figures.

    A read-only unit of work: a lookup writes nothing, so it takes no write lock (on SQLite
    ``BEGIN IMMEDIATE`` would queue it behind every writer), spends no commit and, on
    PostgreSQL, no transaction (:func:`summaries.store.db.quick_read`).
    """
    config = deps.config
    with deps.quick_read() as session:
        if query.month is not None:  # the kept month answers it if it is that month
            kept = deps.kept.holding(session, config, query.month)
            return answer_query(session, config, who, query, query.month, kept=kept)
        current = this_month(deps.clock(), config.organization.timezone)
        latest = latest_month(session, current) or current.previous()
        kept = deps.kept.for_lookup(session, deps.sessions, config, latest)
        return answer_query(session, config, who, query, latest, kept=kept)


def send_chart(deps: Deps, body: dict[str, Any], result: TrendAnswer,
               locale: str | None = None) -> None:
    """Draw the trend and send it to the caller by DM (on the chart worker), in the reader's
    ``locale``; a failure costs only the picture."""
    with speaking(locale or deps.locale):
        _send_chart(deps, body, result)


def _send_chart(deps: Deps, body: dict[str, Any], result: TrendAnswer) -> None:
    from summaries.digest.charts import trend_png  # matplotlib loads on the first chart

    user = body["user_id"]
    title = chart_title(result, deps.locale)
    try:
        png = trend_png(result.trend(), deps.locale, title)
        last = result.months[-1]
        filename = f"{result.kpi.key}-{result.key.strip('*') or 'all'}-{last}.png"
        key = ":".join(("kpi-chart", user, str(body.get("trigger_id", ""))))
        report = send_files(deps, user, key, "chart", [DmFile(filename, title, png)],
                            period=str(last))
        if not report.ok:
            log.warning("a /kpi chart for %s was not delivered: %s", user, report.failed)
    except Exception:
        log.exception("drawing or sending a /kpi chart for %s failed", user)
