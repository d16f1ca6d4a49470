"""The demo's month: the example's history loaded, then October 2026's cycle run on its schedule,
with the managers' forms filled in as they would be, against an offline Slack."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.cli.demo.asks import SEPTEMBER, answer_september, carried_values, raise_september
from bot.cli.demo.script import Script
from bot.cli.shown import shown_department, shown_month
from bot.cycle.scheduler import reconcile
from bot.deps import Deps
from bot.form.handlers import confirm, store_form
from bot.ids import FormRef
from summaries.checkins.away import recipient
from summaries.checkins.forms import KPI, SECTION, field_id
from summaries.i18n import _, ngettext
from summaries.imports.importers import import_figures, import_targets
from summaries.periods import Month
from summaries.store.catalog import sync_config

PERIOD = Month(2026, 10)
# Who fills in their form after which step (the rest never do): most managers answer the
# prompt, some need a reminder, one never submits, so the digest has someone missing.
WAVES: dict[str, tuple[str, ...]] = {
    "open": ("key-accounts", "east-county", "customer-service"),
    "remind1": ("west-county", "network-operations", "marketing"),
    "remind2": ("north-county",),
}


@dataclass
class DemoClock:
    """The bot's clock, moved along the cycle's moments."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class CycleLog:
    """What happened, in order, as ``(moment, line)``, and the history loaded."""

    events: list[tuple[datetime, str]] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)

    def add(self, when: datetime, line: str) -> None:
        self.events.append((when, line))


def load_history(deps: Deps, script: Script, log: CycleLog) -> dict[str, dict[str, str]]:
    """Import the example's targets, plans and figures before the demo's period; return the
    period's figures by department (what the managers will type in)."""
    config = deps.config
    before, typed = _split_figures((script.history / "figures.csv").read_text("utf-8"))
    with deps.unit_of_work() as session:
        sync_config(session, config)
        for name in ("targets.csv", "plans.csv"):
            report = import_targets(session, config, script.history / name,
                                    filename=name, by="demo")
            log.history.append(report.summary())
        report = import_figures(session, config, before, filename="figures.csv", by="demo")
        log.history.append(report.summary())
    count = raise_september(deps, script, before)
    name = f"answers-{SEPTEMBER}.yaml"
    log.history.append(ngettext(
        "{n} September summary with its asks of leadership ({file})",
        "{n} September summaries with their asks of leadership ({file})", count, file=name))
    log.history.extend(answer_september(deps, script))
    return typed


def _split_figures(text: str) -> tuple[str, dict[str, dict[str, str]]]:
    """The figures before the demo's period (as CSV text), and the period's own by department."""
    rows = list(csv.DictReader(io.StringIO(text)))
    earlier = io.StringIO()
    writer = csv.DictWriter(earlier, fieldnames=["kpi", "department", "month", "value"])
    writer.writeheader()
    typed: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        if row["month"] == str(PERIOD):
            typed[row["department"]][row["kpi"]] = row["value"]
        else:
            writer.writerow(row)
    return earlier.getvalue(), dict(typed)


def read_answers(example: Path) -> dict[str, dict[str, str]]:
    """The section texts each department's manager writes for the demo's period (the
    example's ``answers-YYYY-MM.yaml`` in ``example``)."""
    data = yaml.safe_load((example / f"answers-{PERIOD}.yaml").read_text("utf-8"))
    return {key: dict(entry.get("sections") or {})
            for key, entry in (data.get("departments") or {}).items()}


def run_cycle(deps: Deps, script: Script, clock: DemoClock,
              answers: dict[str, dict[str, str]], figures: dict[str, dict[str, str]],
              log: CycleLog) -> None:
    """Run the period's steps at their scheduled moments, as the scheduler does, and fill in
    the forms of each wave of managers in between."""
    moments = deps.moments(PERIOD)
    steps = [("open", moments.open_at)]
    steps += [(f"remind{n}", at) for n, at in enumerate(moments.reminders, 1)]
    steps.append(("close", moments.close_at))
    for step, at in steps:
        clock.now = at
        for name, period, ok in reconcile(deps, at):
            line = _describe(deps, name, period)
            log.add(at, line if ok else _("{event} (some messages not delivered)", event=line))
        for n, department in enumerate(WAVES.get(step, ())):
            clock.now = at + timedelta(hours=1 + 2 * n)
            user = _fill_in(deps, script, department, answers.get(department, {}),
                            figures.get(department, {}))
            log.submitted.append(department)
            log.add(clock.now, _submitted(deps, department, user))


def _submitted(deps: Deps, department: str, user: str) -> str:
    manager = deps.config.department_by_key[department].manager
    shown = shown_department(deps.config, department)
    if user == manager:
        return _("{department} submitted its summary", department=shown)
    return _("{department} submitted its summary (by {user}, the deputy of {manager}, who is "
             "away; both are sent the confirmation)", department=shown, user=user,
             manager=manager)


def _describe(deps: Deps, step: str, period: str) -> str:
    """What a step of the cycle did, as the printout says it."""
    month = shown_month(Month.parse(period), deps.config.organization.locale)
    if step.startswith("remind"):
        return _("remind{round} {period}: a reminder to each manager who has not submitted",
                 round=step.removeprefix("remind"), period=month)
    if step == "open":
        # Translators: North County is the example's county whose manager is away.
        return _("open {period}: a prompt to each department's manager (North County's to its "
                 "deputy, its manager being away)", period=month)
    if step == "close":
        return _("close {period}: the digest posted to the leadership channel", period=month)
    return f"{step} {period}"


def _fill_in(deps: Deps, script: Script, department: str, sections: dict[str, str],
             figures: dict[str, str]) -> str:
    """Submit a department's form as its manager (or, while they are away, their deputy)
    would type it, then send the confirmation; return who submitted."""
    spec = deps.config.department_by_key[department]
    with deps.read_only() as session:  # the prompt went to them: they fill it in
        user = recipient(session, deps.config, spec, deps.clock())
    values: dict[str, str | None] = {field_id(SECTION, key): text.strip()
                                     for key, text in sections.items()}
    values.update({field_id(KPI, key): value for key, value in figures.items()})
    values.update(carried_values(deps, script, department, PERIOD))
    ref = FormRef(str(PERIOD), department)
    result = store_form(deps, ref, user, values)
    confirm(deps, ref, user, result)
    return user


def ask_kpi(deps: Deps, user: str, text: str) -> dict[str, Any]:
    """``/kpi text`` as ``user`` asks it: the private answer; a trend's chart goes to their DM."""
    from bot.commands.kpi import kpi_answer, send_chart
    from summaries.lookup.answer import TrendAnswer

    body = {"user_id": user, "text": text, "trigger_id": f"demo-{text}"}
    message, result = kpi_answer(deps, body)
    if isinstance(result, TrendAnswer):
        send_chart(deps, body, result)
    return message
