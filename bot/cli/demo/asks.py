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

from bot.cli.demo.output import Written
from bot.deps import Deps
from summaries.checkins.asks import act_on_ask, find_asks, open_asks
from summaries.checkins.forms import CARRY, CARRY_NOTE, WITHDRAW, field_id
from summaries.checkins.submissions import record_submission
from summaries.digest.export import every_department
from summaries.engine.asks import Ask, AskAction
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


# What two managers do with September's asks in October's form: Customer Service withdraws
# one (settled within its own budget), North County adds news to another.
CARRIED = {
    "customer-service": ("overtime pay", WITHDRAW, None),
    "north-county": ("local tariff package", None,
                     "Unicom signed three more estates in October; the estates' figures are "
                     "in this month's plan."),
}
# Once October's digest is out, a leader answers from it (the buttons' path).
OCTOBER_ANSWERS = (
    ("customer-service", "fee waiver", AskAction.DECIDE,
     "Approved: waive October's monthly fee for the households the fibre cut took offline."),
    ("key-accounts", "group packages", AskAction.ACKNOWLEDGE, None),
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


def carried_values(deps: Deps, department: str, month: Month) -> dict[str, str | None]:
    """The form's values for the manager's choices about earlier asks (see ``CARRIED``)."""
    choice = CARRIED.get(department)
    if choice is None:
        return {}
    words, withdraw, update = choice
    with deps.read_only() as session:
        waiting = open_asks(session, deps.config, department, month)
    ask = next(a for a in waiting if words in a.text)
    values: dict[str, str | None] = {}
    if withdraw:
        values[field_id(CARRY, str(ask.id))] = withdraw
    if update:
        values[field_id(CARRY_NOTE, str(ask.id))] = update
    return values


def answer_october(deps: Deps, leader: str, month: Month) -> list[str]:
    """A leader acts on October's asks as the digest's buttons do: the change, the manager's
    DM, and the posted digest updated in place."""
    from bot.asks.acting import act, after_change

    lines = []
    for department, words, action, text in OCTOBER_ANSWERS:
        ask = next(a for a in all_asks(deps, month) if a.department == department
                   and words in a.text)
        assert ask.id is not None
        after_change(deps, act(deps, ask_id=ask.id, user=leader, action=action, text=text))
        lines.append(f"{action.value} by {leader}: {department}, \u201c{ask.text[:60]}\u2026\u201d")
    return lines


def all_asks(deps: Deps, month: Month | None = None) -> list[Ask]:
    """Every ask in every state (of ``month``, or all of them), as an admin sees them."""
    with deps.read_only() as session:
        return find_asks(session, deps.config, every_department(deps.config), live_only=False,
                         period=str(month) if month is not None else None)


def write_asks(deps: Deps, folder: Path) -> list[Written]:
    """Every ask of the demo in every state: ``asks.md`` to read, ``asks-history.csv`` with
    each change (as ``checkin asks`` and ``checkin export`` write them)."""
    from bot.cli.asks import markdown
    from summaries.digest.export import ASK_HISTORY_COLUMNS, ask_history_rows, csv_bytes

    asks = all_asks(deps)
    (folder / "asks.md").write_text(markdown(asks, deps.config), encoding="utf-8")
    (folder / "asks-history.csv").write_bytes(csv_bytes(ASK_HISTORY_COLUMNS,
                                                        ask_history_rows(asks)))
    states = sorted({str(a.state) for a in asks})
    return [Written("asks.md", f"every ask of leadership, {len(asks)} in all "
                               f"({', '.join(states)})"),
            Written("asks-history.csv", "each change of each ask: who, when, from, to, reply")]
