"""The demo's asks of leadership: September's summaries raise them, leadership answers some in
early October, and October's cycle carries over those still open (SPEC 5.2)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import yaml

from bot.deps import Deps
from summaries.checkins.asks import act_on_ask, open_asks
from summaries.checkins.submissions import record_submission
from summaries.engine.asks import AskAction
from summaries.periods import Month

SEPTEMBER = Month(2026, 9)


@dataclass(frozen=True)
class Answer:
    """What a leader does to one of September's asks, found by its department and words."""

    department: str
    words: str  # a few words of the ask
    by: str
    at: datetime
    action: AskAction
    text: str | None = None
    assignee: str | None = None


# Leadership's answers to September's asks, before October's cycle opens: one decided, one
# declined, one assigned, one acknowledged with a reply; the rest wait.
ANSWERS = (
    Answer("key-accounts", "renewal discount", "U0CEO", datetime(2026, 10, 2, 2, 30, tzinfo=UTC),
           AskAction.DECIDE, "Approved for renewals signed before the end of the year; report "
                             "what it kept in December's summary."),
    Answer("key-accounts", "second account manager", "U0CEO",
           datetime(2026, 10, 2, 2, 40, tzinfo=UTC), AskAction.DECLINE,
           "No new headcount this year: Marketing lends you one person for the park's campaign."),
    Answer("east-county", "roadshow vans", "U0CEO", datetime(2026, 10, 2, 3, 0, tzinfo=UTC),
           AskAction.ASSIGN, assignee="U0DEPUTY"),
    Answer("north-county", "local tariff package", "U0DEPUTY",
           datetime(2026, 10, 5, 6, 0, tzinfo=UTC), AskAction.REPLY,
           "We take it to the pricing committee in November; send the estates' figures."),
)


def raise_september(deps: Deps, example: Path, figures_csv: str) -> int:
    """Store September's summaries as their managers submitted them; return how many."""
    data = yaml.safe_load((example / f"answers-{SEPTEMBER}.yaml").read_text("utf-8"))
    figures = _month_figures(figures_csv, str(SEPTEMBER))
    entries = (data.get("departments") or {}).items()
    for n, (key, entry) in enumerate(entries):
        spec = deps.config.department_by_key[key]
        sections = {k: v.strip() for k, v in (entry.get("sections") or {}).items()}
        with deps.unit_of_work() as session:
            record_submission(session, deps.config, period=str(SEPTEMBER), department=key,
                              user=spec.manager, answers=sections,
                              figures={k: v for k, v in figures.get(key, {}).items()
                                       if k in deps.config.required_kpis(spec)},
                              now=datetime(2026, 9, 29, 8 + n, tzinfo=UTC))
    return len(data.get("departments") or {})


def answer_september(deps: Deps) -> list[str]:
    """Leadership's answers of early October; return a line for each."""
    lines = []
    for answer in ANSWERS:
        with deps.unit_of_work() as session:
            waiting = open_asks(session, deps.config, answer.department, SEPTEMBER.shift(1))
            ask = next(a for a in waiting if answer.words in a.text)
            assert ask.id is not None
            act_on_ask(session, deps.config, ask_id=ask.id, user=answer.by,
                       action=answer.action, now=answer.at, text=answer.text,
                       assignee=answer.assignee)
        lines.append(f"{answer.action.value} by {answer.by}: {answer.department}, "
                     f"\u201c{ask.text[:60]}\u2026\u201d")
    return lines


def _month_figures(text: str, month: str) -> dict[str, dict[str, Decimal | None]]:
    """The figures of ``month`` by department, as the managers typed them."""
    found: dict[str, dict[str, Decimal | None]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["month"] == month:
            found.setdefault(row["department"], {})[row["kpi"]] = Decimal(row["value"])
    return found
