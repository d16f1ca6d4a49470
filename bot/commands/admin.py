"""The slow or writing parts of ``/checkin`` for admins and leaders: run a cycle step, reopen
a summary, export a month. Each returns the message to show the person who asked."""

from __future__ import annotations

from typing import Any

from bot.blocks.admin import one_line, reopened_message
from bot.blocks.common import escape
from bot.blocks.kpis import slack_date
from bot.cycle.manual import run_by_hand, summary
from bot.deps import Deps
from bot.outbox.delivery import Outgoing, deliver, enqueue
from bot.outbox.files import DmFile, send_files
from summaries.checkins.submissions import reopen_submission
from summaries.dates import format_month
from summaries.i18n import _, ngettext
from summaries.lookup.matching import Named, find_one
from summaries.periods import Month

Message = dict[str, Any]


def run_step_by_hand(deps: Deps, action: str, month: Month) -> Message:
    """Run ``open``, ``remind`` or ``close`` now and say what was sent."""
    lines = summary(action, month, run_by_hand(deps, action, month))
    # Translators: one finished sentence of a report; {line} is the sentence without its stop.
    return one_line(" ".join(_("{line}.", line=line) for line in lines))


def reopen_department(deps: Deps, admin: str, words: str, month: Month) -> Message:
    """Reopen the named department's summary of ``month`` and tell its manager by DM."""
    chosen = find_one(words, [Named(d.key, d.name) for d in deps.config.departments])
    with deps.unit_of_work() as session:
        done = reopen_submission(session, deps.config, period=month, department=chosen.key,
                                 by=admin, now=deps.clock())
    spec, name = done.department, format_month(month, deps.locale)
    until = slack_date(done.until, deps.locale)
    key = f"reopen:{month}:{spec.key}:{spec.manager}:{int(done.until.timestamp())}"
    message = reopened_message(spec.name, name, str(month), spec.key, admin, until)
    with deps.unit_of_work() as session:
        keys = enqueue(session, [Outgoing(key, "reopen", spec.manager,
                                          {**message, "channel": spec.manager},
                                          period_key=str(month), department_key=spec.key)])
    told = deliver(deps, keys).ok
    values = {"month": name, "department": escape(spec.name), "until": until,
              "manager": spec.manager}
    text = (_("Reopened the {month} summary of *{department}* until {until}. <@{manager}> has "
              "been told by DM.", **values) if told else
            _("Reopened the {month} summary of *{department}* until {until}. The DM to "
              "<@{manager}> did not go out yet; it stays in the outbox.", **values))
    return {"text": _("Reopened {department}, {month}", department=spec.name, month=name),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def export_period(deps: Deps, user: str, month: Month, fmt: str, request_id: str) -> Message:
    """Build the month's export and send it to ``user`` by DM."""
    from summaries.digest.export import export_asks, export_files, export_stem
    from summaries.digest.load import load_digest

    with deps.read_only() as session:
        digest = load_digest(session, deps.config, month, closed=None, revisions=True)
        asks = export_asks(session, deps.config, month)
    stamp = deps.clock().strftime("%Y-%m-%d %H:%M:%S UTC")
    files = [DmFile(name, f"{name} ({stamp})", content)
             for name, content in export_files(digest, fmt, export_stem(digest), asks=asks)]
    name = format_month(month, deps.locale)
    report = send_files(deps, user, f"export:{month}:{fmt}:{user}:{request_id}", "export",
                        files, period=str(month),
                        comment=_("Check-in export for {month} ({format}).", month=name,
                                  format=fmt.upper()))
    if not report.ok:
        return one_line(ngettext("The {month} export could not be sent yet ({n} file waiting); "
                                 "it will be retried.", "The {month} export could not be sent "
                                 "yet ({n} files waiting); it will be retried.",
                                 len(report.failed), month=name))
    return one_line(_("The {month} export is in your direct messages with the bot.", month=name))
