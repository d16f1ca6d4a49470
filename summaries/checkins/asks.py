"""Asks of leadership as use cases (SPEC 5.2): raised from a submitted section, acted on by
leaders, withdrawn or updated by their manager, read for the digest, the forms and the look-ups.
Services flush and never commit: callers own transactions."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.access import Viewer
from summaries.checkins.away import acting_deputy
from summaries.config.fields import USER_ID_PATTERN
from summaries.config.schema import Config
from summaries.engine.asks import (
    ASSIGNEE_ACTIONS,
    LEADER_ACTIONS,
    LIVE,
    Ask,
    AskAction,
    AskBoard,
    AskClosed,
    AskState,
    Raised,
    ask_lines,
    match_lines,
    transition,
)
from summaries.errors import DomainError, PermissionDenied, ValidationFailed
from summaries.i18n import N_, _
from summaries.periods import SUBMITTED_STATES, Month
from summaries.store.asks import (
    add_ask,
    as_ask,
    lock_ask,
    read_asks,
    record_event,
    section_asks,
    unraised_answers,
)
from summaries.store.models import AskRow, Department

MAX_REPLY_CHARS = 3000
# Actions that say nothing without words.
NEEDS_TEXT = frozenset({AskAction.REPLY, AskAction.UPDATE, AskAction.DECLINE})
GONE = N_("That ask is no longer there.")
# What someone trying to act on an ask that has ended is told, by how it ended.
_ENDED = {AskState.DECIDED: N_("This ask is already decided: nothing more can be done with it."),
          AskState.DECLINED: N_("This ask is already declined: nothing more can be done with "
                                "it."),
          AskState.WITHDRAWN: N_("This ask is already withdrawn: nothing more can be done with "
                                 "it.")}


def ended_message(state: str) -> str:
    """Why nothing more can be done with an ask that has ended, in the reader's language."""
    try:
        return _(_ENDED[AskState(state)])
    except (KeyError, ValueError):
        return _("This ask is closed: nothing more can be done with it.")


def sync_asks(session: Session, *, period_id: int, department_id: int, section_key: str,
              text: str, by: str, at: datetime) -> None:
    """Bring the asks raised from a section in line with its new ``text`` (see
    :func:`match_lines`): new lines are new asks, an edited line edits its ask while nobody
    has acted on it, a removed line withdraws its unanswered ask. A line whose ask has ended
    (decided, declined, withdrawn) keeps it: it is neither raised again nor made another
    ask's new words."""
    rows = section_asks(session, period_id, department_id, section_key)
    lines = ask_lines(text)
    plan = match_lines([Raised(r.id, r.text, r.state in LIVE and _untouched(r.events))
                        for r in rows], lines)
    by_id = {r.id: r for r in rows}
    for ask_id, line in plan.edit:
        row = by_id[ask_id]
        record_event(session, row, AskAction.EDIT, by=by, at=at, to=AskState(row.state),
                     text=line)
        row.text = line
    for ask_id in plan.withdraw:
        record_event(session, by_id[ask_id], AskAction.WITHDRAW, by=by, at=at,
                     to=AskState.WITHDRAWN, text=None)
    for row in rows:
        if row.text in lines:
            row.position = lines.index(row.text)
    for line in plan.new:
        add_ask(session, period_id=period_id, department_id=department_id,
                section_key=section_key, position=lines.index(line), text=line, by=by, at=at)
    session.flush()


def _untouched(events: Collection[object]) -> bool:
    """Nobody but the manager's own edits has changed the ask since it was raised."""
    return all(getattr(e, "action", None) in (AskAction.RAISE, AskAction.EDIT) for e in events)


@dataclass(frozen=True)
class AskOutcome:
    """What acting on an ask did: the ask as it now stands, and whether anything changed
    (a double click, a retried request, changes nothing)."""

    ask: Ask
    changed: bool
    event_id: int | None = None


def act_on_ask(session: Session, config: Config, *, ask_id: int, user: str, action: AskAction,
               now: datetime, text: str | None = None,
               assignee: str | None = None) -> AskOutcome:
    """``user`` does ``action`` to an ask, checked here whatever the button said: leaders and
    admins answer, assign and decide (the person it is assigned to may answer and decide it
    too); the department's manager (or an admin) withdraws it or adds an update."""
    action = AskAction(action)
    found = lock_ask(session, ask_id)
    if found is None:
        raise DomainError(_(GONE))
    row, month, department = found
    spec = config.department_by_key.get(department)
    deputy = acting_deputy(session, config, spec, now) if spec is not None else None
    _authorize(config, action, user, department, row.assignee, deputy)
    words = (text or "").strip() or None
    if action in NEEDS_TEXT and words is None:
        raise ValidationFailed({"text": _("Write a few words: this is what the manager "
                                          "reads.")})
    if words is not None and len(words) > MAX_REPLY_CHARS:
        raise ValidationFailed({"text": _("at most {limit} characters; this has {count}",
                                          limit=format(MAX_REPLY_CHARS, ","),
                                          count=format(len(words), ","))})
    if action is AskAction.ASSIGN and not assignee:
        raise ValidationFailed({"assignee": _("Choose the person to assign it to.")})
    if action is AskAction.ASSIGN and not re.fullmatch(USER_ID_PATTERN, assignee or ""):
        raise ValidationFailed({"assignee": _("Choose a person in Slack to assign it to.")})
    try:
        to = transition(AskState(row.state), action, assignee=assignee,
                        current_assignee=row.assignee)
    except AskClosed:
        raise DomainError(ended_message(row.state)) from None
    titles = _titles(config)
    if to is None or _repeated(row, action, user, words):
        return AskOutcome(as_ask(row, month, department, titles), False)
    event = record_event(session, row, action, by=user, at=now, to=to, text=words,
                         assignee=assignee if action is AskAction.ASSIGN else None)
    return AskOutcome(as_ask(row, month, department, titles), True, event.id)


def _repeated(row: AskRow, action: AskAction, user: str, words: str | None) -> bool:
    """A reply or update that repeats, word for word, the change just made by the same
    person: a double submit of the modal, which must act once."""
    last = row.events[-1] if row.events else None
    return (action in (AskAction.REPLY, AskAction.UPDATE) and last is not None
            and last.action == action and last.by == user and last.text == words)


def _authorize(config: Config, action: AskAction, user: str, department: str,
               assignee: str | None, deputy: str | None = None) -> None:
    """Leaders answer; the manager, the deputy acting for them while away, or an admin
    withdraws or updates."""
    spec = config.department_by_key.get(department)
    name = spec.name if spec is not None else department
    if action in LEADER_ACTIONS:
        if config.is_leader(user) or (action in ASSIGNEE_ACTIONS and user == assignee):
            return
        raise PermissionDenied(_("Sorry, only leaders and admins can answer the asks of "
                                 "leadership; this one is {department}'s. Nothing was changed.",
                                 department=name))
    if action in (AskAction.WITHDRAW, AskAction.UPDATE):
        if (spec is not None and user in (spec.manager, deputy)) or config.is_admin(user):
            return
        raise PermissionDenied(_("Sorry, only the manager of {department} can withdraw or "
                                 "update its asks. Nothing was changed.", department=name))
    raise DomainError(_("{action} is not something to do with an ask here.", action=action))


def _titles(config: Config) -> dict[str, str]:
    return {s.key: s.title for s in config.sections}


def digest_asks(session: Session, config: Config, month: Month) -> AskBoard:
    """The month's asks for its digest: those raised in it (not withdrawn), and those raised
    before it that are still open, oldest first."""
    titles, configured = _titles(config), list(config.department_by_key)
    raised = read_asks(session, titles, period=str(month), departments=configured)
    carried = read_asks(session, titles, before=str(month), states=LIVE, departments=configured)
    return AskBoard(tuple(a for a in raised if a.state is not AskState.WITHDRAWN),
                    tuple(carried))


def open_asks(session: Session, config: Config, department: str, month: Month) -> list[Ask]:
    """The department's asks from months before ``month`` still waiting for leadership: what
    its prompt and form carry over."""
    return read_asks(session, _titles(config), before=str(month), states=LIVE,
                     departments=[department])


def find_asks(session: Session, config: Config, who: Viewer, *, live_only: bool = True,
              department: str | None = None, period: str | None = None,
              states: Collection[str] | None = None) -> list[Ask]:
    """The asks ``who`` may see (leaders and admins every department's, a manager those of
    the departments they see), newest month first."""
    if department is not None and not who.may_see(department):
        raise PermissionDenied(_("You can only see the asks of the departments you manage."))
    wanted = [department] if department is not None else [
        d.key for d in config.departments if who.may_see(d.key)]
    chosen = set(states) if states is not None else (set(LIVE) if live_only else None)
    found = read_asks(session, _titles(config), period=period, states=chosen,
                      departments=wanted)
    return sorted(found, key=lambda a: a.period or "", reverse=True)


def read_ask(session: Session, config: Config, ask_id: int) -> Ask | None:
    """One ask with its history, or None."""
    found = read_asks(session, _titles(config), ids=[ask_id])
    return found[0] if found else None


def backfill_asks(session: Session, config: Config) -> int:
    """Raise the asks of summaries submitted before asks were stored, from their answers (as
    their manager raised them, when they submitted); return how many were created."""
    keys = [s.key for s in config.sections if s.raises]
    if not keys:
        return 0
    created = 0
    for answer, submission in unraised_answers(session, keys, SUBMITTED_STATES):
        by = submission.submitted_by or _manager(session, submission.department_id)
        at = submission.submitted_at or submission.created_at
        for position, line in enumerate(ask_lines(answer.text)):
            add_ask(session, period_id=submission.period_id,
                    department_id=submission.department_id, section_key=answer.section_key,
                    position=position, text=line, by=by, at=at)
            created += 1
    return created


def _manager(session: Session, department_id: int) -> str:
    return session.scalars(select(Department.manager_id)
                           .where(Department.id == department_id)).one()
