"""``/kpi``: look a KPI up, privately, with what the caller may see (SPEC section 5).

The command is acknowledged at once; the answer follows through the response URL, and a
trend's chart is drawn after it and sent by direct message.
"""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.blocks.admin import no_role_message
from bot.blocks.common import escape
from bot.blocks.lookup import (
    answer_message,
    chart_title,
    choices_message,
    list_message,
    trend_message,
)
from bot.deps import Deps
from bot.dm_files import DmFile, send_files
from bot.notices import answer
from summaries.access import Viewer, viewer
from summaries.errors import PermissionDenied
from summaries.lookup import KpiAnswer, TrendAnswer, answer_query, latest_month
from summaries.lookup_query import (
    KpiQuery,
    LookupProblem,
    parse_query,
    visible_departments,
    visible_kpis,
)
from summaries.periods import Month

log = logging.getLogger(__name__)
KPI_COMMAND = "/kpi"


def handle_kpi_command(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """Answer one ``/kpi`` request (after its acknowledgement)."""
    who = viewer(deps.config, body["user_id"])
    if who.role is None:
        answer(client, deps.settings.slack_api_url, body, no_role_message(deps.config))
        return
    result: KpiAnswer | TrendAnswer | None = None
    try:
        query = parse_query(deps.config, who, body.get("text") or "")
        if query.mode == "list":
            message = list_message(deps.config.organization.name,
                                   visible_kpis(deps.config, who),
                                   visible_departments(deps.config, who))
        else:
            result = lookup(deps, who, query)
            message = (trend_message(result, deps.locale, chart=True)
                       if isinstance(result, TrendAnswer) else answer_message(result, deps.locale))
    except LookupProblem as problem:
        message = choices_message(str(problem), problem.candidates, problem.noun)
    except PermissionDenied as refusal:
        message = {"text": str(refusal), "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": escape(str(refusal))}}]}
    answer(client, deps.settings.slack_api_url, body, message)
    if isinstance(result, TrendAnswer):
        send_chart(deps, body, result)


def lookup(deps: Deps, who: Viewer, query: KpiQuery) -> KpiAnswer | TrendAnswer:
    """The figures the query asks for; without a month, the latest month with figures."""
    zone = ZoneInfo(deps.config.organization.timezone)
    this_month = Month.of(deps.clock().astimezone(zone).date())
    with deps.unit_of_work() as session:
        month = query.month or latest_month(session, this_month) or this_month.previous()
        return answer_query(session, deps.config, who, query, month)


def send_chart(deps: Deps, body: dict[str, Any], result: TrendAnswer) -> None:
    """Draw the trend and send it to the caller by DM; a failure costs only the picture."""
    from summaries.charts import trend_png  # matplotlib loads on the first chart

    user = body["user_id"]
    title = chart_title(result, deps.locale)
    try:
        png = trend_png(result.trend(), deps.locale, title)
        last = result.months[-1]
        filename = f"{result.kpi.key}-{result.key.strip('*') or 'all'}-{last}.png"
        report = send_files(deps, user, f"kpi-chart:{user}:{body.get('trigger_id', '')}",
                            "chart", [DmFile(filename, title, png)], period=str(last))
        if not report.ok:
            log.warning("a /kpi chart for %s was not delivered: %s", user, report.failed)
    except Exception:
        log.exception("drawing or sending a /kpi chart for %s failed", user)
