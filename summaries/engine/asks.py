"""Asks of leadership (SPEC 5.2): the lines a manager raises, the states they go through, and how
an edited section maps onto the asks already raised. Pure: no storage, no clock, no Slack."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from summaries.periods import Month


class AskState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    DECIDED = "decided"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class AskAction(StrEnum):
    RAISE = "raise"  # the manager wrote the line
    EDIT = "edit"  # the manager changed the line before anyone acted on it
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    REPLY = "reply"  # a leader's answer that decides nothing yet
    DECIDE = "decide"
    DECLINE = "decline"
    WITHDRAW = "withdraw"  # the manager takes it back (or removed the line unanswered)
    UPDATE = "update"  # the manager adds news to an ask still open


# Still waiting for leadership: carried over to the next month.
LIVE = frozenset({AskState.OPEN, AskState.ACKNOWLEDGED, AskState.ASSIGNED})
# What leaders and admins do; what the department's manager does.
LEADER_ACTIONS = frozenset({AskAction.ACKNOWLEDGE, AskAction.ASSIGN, AskAction.REPLY,
                            AskAction.DECIDE, AskAction.DECLINE})
MANAGER_ACTIONS = frozenset({AskAction.WITHDRAW, AskAction.UPDATE, AskAction.EDIT})
# What the person an ask is assigned to may do with it.
ASSIGNEE_ACTIONS = frozenset({AskAction.REPLY, AskAction.DECIDE, AskAction.DECLINE})
# The actions whose text is a reply the manager hears about.
ANSWERS = frozenset({AskAction.REPLY, AskAction.DECIDE, AskAction.DECLINE})
_ENDS = {AskAction.DECIDE: AskState.DECIDED, AskAction.DECLINE: AskState.DECLINED,
         AskAction.WITHDRAW: AskState.WITHDRAWN}


class AskClosed(Exception):
    """The ask is decided, declined or withdrawn: nothing more can happen to it."""


@dataclass(frozen=True)
class Event:
    """One change of an ask, as its history keeps it."""

    action: AskAction
    by: str
    at: datetime
    before: AskState | None  # None for the raise
    after: AskState
    text: str | None = None  # the reply, the update, or the edited line
    assignee: str | None = None


def transition(state: AskState, action: AskAction, *, assignee: str | None = None,
               current_assignee: str | None = None) -> AskState | None:
    """The state ``action`` leads to from ``state``; None when it would change nothing (a
    double click, a retried request). Raises AskClosed once the ask has ended (except for
    repeating the very action that ended it, which changes nothing)."""
    if state not in LIVE:
        if _ENDS.get(action) == state:
            return None
        raise AskClosed(state)
    if action in _ENDS:
        return _ENDS[action]
    if action is AskAction.ACKNOWLEDGE:
        return None if state is not AskState.OPEN else AskState.ACKNOWLEDGED
    if action is AskAction.ASSIGN:
        if not assignee:
            raise ValueError("an assignment needs a person")
        same = state is AskState.ASSIGNED and assignee == current_assignee
        return None if same else AskState.ASSIGNED
    if action is AskAction.REPLY:
        return AskState.ACKNOWLEDGED if state is AskState.OPEN else state
    if action in (AskAction.UPDATE, AskAction.EDIT):
        return state
    raise ValueError(f"{action} is not something done to an ask that exists")


def replay(events: Iterable[Event]) -> tuple[AskState, str | None]:
    """The state and assignee the history leads to; ValueError where it does not chain (an
    event that starts from a state other than the one before it ended in) or where an event
    is not a step :func:`transition` takes (a change after the end, a state it cannot reach,
    an assignment that changed nothing)."""
    state: AskState | None = None
    assignee: str | None = None
    for event in events:
        if event.before != state:
            raise ValueError(f"{event.action} starts from {event.before}, not {state}")
        if state is None:
            if event.action is not AskAction.RAISE or event.after is not AskState.OPEN:
                raise ValueError("an ask's history starts with its raise, to open")
        else:
            try:
                reached = transition(state, event.action, assignee=event.assignee,
                                     current_assignee=assignee)
            except (AskClosed, ValueError) as exc:
                raise ValueError(f"{event.action} cannot follow {state}") from exc
            if reached != event.after:
                raise ValueError(f"{event.action} from {state} leads to {reached}, "
                                 f"not {event.after}")
        state = event.after
        if event.action is AskAction.ASSIGN:
            assignee = event.assignee
    if state is None:
        raise ValueError("an ask's history starts with its raise")
    return state, assignee


@dataclass(frozen=True)
class Ask:
    """A line a manager raised for leadership, with where it stands.

    Built from storage (with ``id``, state and history), or, where nothing is stored (a
    preview), from the month's ``raised`` flags as open asks without an id.
    """

    department: str
    section: str  # the section's title
    text: str
    subject: str  # the section's key and line: stable while the line's words stay the same
    id: int | None = None
    period: str | None = None  # the month it was raised in
    state: AskState = AskState.OPEN
    assignee: str | None = None
    history: tuple[Event, ...] = field(default=(), compare=False)

    @property
    def live(self) -> bool:
        return self.state in LIVE

    @property
    def answer(self) -> Event | None:
        """The latest reply or decision, or None."""
        return next((e for e in reversed(self.history) if e.action in ANSWERS), None)

    @property
    def update(self) -> Event | None:
        """The manager's latest update, or None."""
        return next((e for e in reversed(self.history) if e.action is AskAction.UPDATE), None)

    @property
    def last_change(self) -> Event | None:
        return self.history[-1] if self.history else None

    def age(self, month: Month) -> int:
        """Whole months from the month it was raised in to ``month`` (0 for this month's)."""
        if self.period is None:
            return 0
        raised = Month.parse(self.period)
        return (month.year - raised.year) * 12 + month.month - raised.month


@dataclass(frozen=True)
class AskBoard:
    """A month's asks as its digest shows them: those raised in it (withdrawn ones left out),
    in the order written, and those still open from earlier months, oldest first."""

    raised: tuple[Ask, ...] = ()
    carried: tuple[Ask, ...] = ()
    _by_department: list[dict[str, tuple[Ask, ...]]] = field(
        default_factory=list, init=False, repr=False, compare=False)

    @classmethod
    def from_flags(cls, asks: Iterable[Ask]) -> AskBoard:
        return cls(tuple(asks))

    def raised_by(self, department: str) -> tuple[Ask, ...]:
        return self._index()[0].get(department, ())

    def carried_by(self, department: str) -> tuple[Ask, ...]:
        return self._index()[1].get(department, ())

    def _index(self) -> tuple[dict[str, tuple[Ask, ...]], dict[str, tuple[Ask, ...]]]:
        """Both lists by department, in their order, built on first use: the digest asks once
        per department, and a scan of every ask each time grows with their product."""
        if not self._by_department:
            for asks in (self.raised, self.carried):
                grouped: dict[str, list[Ask]] = {}
                for ask in asks:
                    grouped.setdefault(ask.department, []).append(ask)
                self._by_department.append({k: tuple(v) for k, v in grouped.items()})
        return self._by_department[0], self._by_department[1]


# A list bullet: a dash, star or plus followed by a space (so "-5% churn" and "*bold*" keep
# their first character), or a typographic bullet or middle dot, with or without one.
_BULLET = re.compile(r"^(?:[-*+](?:\s+|$)|[\u2022\u00b7\u30fb]\s*)")


def ask_lines(text: str) -> list[str]:
    """The asks in a section's text: each non-empty line, without a list bullet, once."""
    seen: list[str] = []
    for line in text.splitlines():
        cleaned = _BULLET.sub("", line.strip(), count=1).strip()
        if cleaned and cleaned not in seen:
            seen.append(cleaned)
    return seen


@dataclass(frozen=True)
class Raised:
    """An ask as the section's sync sees it: its id, its text, and whether the manager may
    still change it by editing the section (nobody has acted on it)."""

    id: int
    text: str
    editable: bool


@dataclass(frozen=True)
class LinePlan:
    """What an edited section does to the asks raised from it."""

    edit: tuple[tuple[int, str], ...] = ()  # (ask id, its new text)
    withdraw: tuple[int, ...] = ()
    new: tuple[str, ...] = ()  # lines that are new asks, in order


def match_lines(raised: Sequence[Raised], lines: Sequence[str]) -> LinePlan:
    """Map the section's ``lines`` onto the asks ``raised`` from it (closed ones too, as not
    editable: a line whose ask was decided, declined or withdrawn is not raised again).

    A line whose words are unchanged keeps its ask. The remaining lines are matched, in
    order, with the remaining asks nobody has acted on (an edited line edits its ask);
    what is left of those asks was removed (withdrawn), what is left of the lines is new.
    An ask someone acted on changes only by the manager's explicit withdraw or update: an
    edit never touches it, and its removed line leaves it as it stands.
    """
    remaining = list(lines)
    unmatched: list[Raised] = []
    for ask in raised:
        if ask.text in remaining:
            remaining.remove(ask.text)
        elif ask.editable:
            unmatched.append(ask)
    edits = list(zip((a.id for a in unmatched), remaining, strict=False))
    return LinePlan(
        edit=tuple(edits),
        withdraw=tuple(a.id for a in unmatched[len(edits):]),
        new=tuple(remaining[len(edits):]),
    )
