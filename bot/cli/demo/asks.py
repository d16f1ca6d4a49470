"""The demo's asks of leadership: September's summaries raise them, leadership answers some in
early October, and October's cycle carries over those still open (SPEC 5.2)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from unicodedata import east_asian_width

import yaml

from bot.cli.demo.output import Written
from bot.cli.demo.script import Script
from bot.cli.shown import shown_department
from bot.deps import Deps
from summaries.checkins.asks import act_on_ask, find_asks, open_asks
from summaries.checkins.forms import CARRY, CARRY_NOTE, field_id
from summaries.checkins.submissions import record_submission
from summaries.digest.export import every_department
from summaries.engine.asks import Ask, AskAction
from summaries.i18n import _, ngettext, pgettext
from summaries.periods import Month

SEPTEMBER = Month(2026, 9)


def raise_september(deps: Deps, script: Script, figures_csv: str) -> int:
    """Store September's summaries as their managers submitted them; return how many."""
    data = yaml.safe_load((script.folder / f"answers-{SEPTEMBER}.yaml").read_text("utf-8"))
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


def answer_september(deps: Deps, script: Script) -> list[str]:
    """Leadership's answers of early October; return a line for each."""
    lines = []
    for answer in script.answers:
        with deps.unit_of_work() as session:
            waiting = open_asks(session, deps.config, answer.department, SEPTEMBER.shift(1))
            ask = next(a for a in waiting if answer.words in a.text)
            assert ask.id is not None
            act_on_ask(session, deps.config, ask_id=ask.id, user=answer.by,
                       action=answer.action, now=answer.at, text=answer.text,
                       assignee=answer.assignee)
        lines.append(acted(deps, answer.action, answer.by, answer.department, ask.text))
    return lines


def _month_figures(text: str, month: str) -> dict[str, dict[str, Decimal | None]]:
    """The figures of ``month`` by department, as the managers typed them."""
    found: dict[str, dict[str, Decimal | None]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["month"] == month:
            found.setdefault(row["department"], {})[row["kpi"]] = Decimal(row["value"])
    return found


def carried_values(deps: Deps, script: Script, department: str, month: Month
                   ) -> dict[str, str | None]:
    """The form's values for the manager's choices about earlier asks (``script.carried``)."""
    carried = script.carried.get(department)
    if carried is None:
        return {}
    with deps.read_only() as session:
        waiting = open_asks(session, deps.config, department, month)
    ask = next(a for a in waiting if carried.words in a.text)
    values: dict[str, str | None] = {}
    if carried.choice:
        values[field_id(CARRY, str(ask.id))] = carried.choice
    if carried.update:
        values[field_id(CARRY_NOTE, str(ask.id))] = carried.update
    return values


def answer_october(deps: Deps, script: Script, leader: str, month: Month) -> list[str]:
    """A leader acts on October's asks as the digest's buttons do: the change, the manager's
    DM, and the posted digest updated in place."""
    from bot.asks.acting import act, after_change

    lines = []
    for department, words, action, text in script.october:
        ask = next(a for a in all_asks(deps, month) if a.department == department
                   and words in a.text)
        assert ask.id is not None
        after_change(deps, act(deps, ask_id=ask.id, user=leader, action=action, text=text))
        lines.append(acted(deps, action, leader, department, ask.text))
    return lines


def acted(deps: Deps, action: AskAction, user: str, department: str, text: str) -> str:
    """One line of the printout: who did what to which department's ask (its first words)."""
    values = {"user": user, "department": shown_department(deps.config, department),
              "ask": first_words(text)}
    if action is AskAction.DECIDE:
        return _("decide by {user}: {department}, \u201c{ask}\u201d", **values)
    if action is AskAction.DECLINE:
        return _("decline by {user}: {department}, \u201c{ask}\u201d", **values)
    if action is AskAction.ASSIGN:
        return _("assign by {user}: {department}, \u201c{ask}\u201d", **values)
    if action is AskAction.REPLY:
        return _("reply by {user}: {department}, \u201c{ask}\u201d", **values)
    return _("acknowledge by {user}: {department}, \u201c{ask}\u201d", **values)


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
    states = pgettext("list separator", ", ").join(
        state_word(state) for state in sorted({str(a.state) for a in asks}))
    return [Written("asks.md", ngettext("every ask of leadership, {n} in all ({states})",
                                        "every ask of leadership, {n} in all ({states})",
                                        len(asks), states=states)),
            Written("asks-history.csv",
                    _("each change of each ask: who, when, from, to, reply"))]


def state_word(state: str) -> str:
    """An ask's state, in a word (its code where none is known)."""
    words = {"open": lambda: pgettext("ask state", "open"),
             "acknowledged": lambda: pgettext("ask state", "acknowledged"),
             "assigned": lambda: pgettext("ask state", "assigned"),
             "decided": lambda: pgettext("ask state", "decided"),
             "declined": lambda: pgettext("ask state", "declined"),
             "withdrawn": lambda: pgettext("ask state", "withdrawn")}
    return words[state]() if state in words else state


def first_words(text: str, width: int = 60) -> str:
    """``text`` as far as ``width`` columns go (a Chinese character takes two), and an
    ellipsis where it was cut."""
    taken = 0
    for n, char in enumerate(text):
        taken += 2 if east_asian_width(char) in ("W", "F") else 1
        if taken > width:
            return text[:n] + "\u2026"
    return text
