"""Asks of leadership in storage: the rows, their history, and the reads the digest, the forms
and the look-ups share. Takes a Session, flushes, never commits."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session, selectinload

from summaries.engine.asks import Ask, AskAction, AskState, Event
from summaries.store.models import (
    AskEventRow,
    AskRow,
    Department,
    Period,
    SectionAnswer,
    Submission,
)


def section_asks(session: Session, period_id: int, department_id: int,
                 section_key: str) -> list[AskRow]:
    """The asks raised from one section of one department's month, in their lines' order,
    locked for the change about to be made."""
    return list(session.scalars(
        select(AskRow).where(AskRow.period_id == period_id,
                             AskRow.department_id == department_id,
                             AskRow.section_key == section_key)
        .order_by(AskRow.position, AskRow.id).with_for_update()))


def add_ask(session: Session, *, period_id: int, department_id: int, section_key: str,
            position: int, text: str, by: str, at: datetime) -> AskRow:
    """A new open ask, with its raise as the first line of its history."""
    row = AskRow(period_id=period_id, department_id=department_id, section_key=section_key,
                 position=position, text=text, state=AskState.OPEN, created_at=at,
                 updated_at=at)
    row.events.append(AskEventRow(action=AskAction.RAISE, by=by, at=at, from_state=None,
                                  to_state=AskState.OPEN, text=text))
    session.add(row)
    session.flush()
    return row


def record_event(session: Session, row: AskRow, action: AskAction, *, by: str, at: datetime,
                 to: AskState, text: str | None = None,
                 assignee: str | None = None) -> AskEventRow:
    """Change ``row`` to ``to`` and keep the change in its history."""
    event = AskEventRow(action=action, by=by, at=at, from_state=row.state, to_state=to,
                        text=text, assignee=assignee)
    row.events.append(event)
    row.state, row.updated_at = to, at
    if action is AskAction.ASSIGN:
        row.assignee = assignee
    session.flush()
    return event


def lock_ask(session: Session, ask_id: int) -> tuple[AskRow, str, str] | None:
    """The ask with ``ask_id`` (locked), its month and its department's key; None if none."""
    found = session.execute(
        select(AskRow, Period.key, Department.key)
        .join(Period, AskRow.period_id == Period.id)
        .join(Department, AskRow.department_id == Department.id)
        .where(AskRow.id == ask_id).with_for_update(of=AskRow)).first()
    return (found[0], found[1], found[2]) if found is not None else None


def read_asks(session: Session, titles: Mapping[str, str], *, period: str | None = None,
              before: str | None = None, states: Collection[str] | None = None,
              departments: Collection[str] | None = None,
              ids: Collection[int] | None = None) -> list[Ask]:
    """Asks with their history, oldest month first, then in department and line order.

    ``period`` keeps one month's, ``before`` those raised before a month; ``titles`` name
    the sections (by key)."""
    query: Select[tuple[AskRow, str, str]] = (
        select(AskRow, Period.key, Department.key)
        .join(Period, AskRow.period_id == Period.id)
        .join(Department, AskRow.department_id == Department.id)
        .options(selectinload(AskRow.events))
        .order_by(Period.key, Department.position, AskRow.section_key, AskRow.position,
                  AskRow.id))
    if period is not None:
        query = query.where(Period.key == period)
    if before is not None:
        query = query.where(Period.key < before)
    if states is not None:
        query = query.where(AskRow.state.in_(list(states)))
    if departments is not None:
        query = query.where(Department.key.in_(list(departments)))
    if ids is not None:
        query = query.where(AskRow.id.in_(list(ids)))
    return [as_ask(row, month, department, titles)
            for row, month, department in session.execute(query).tuples()]


def as_ask(row: AskRow, month: str, department: str, titles: Mapping[str, str]) -> Ask:
    """The stored ask as the domain knows it."""
    history = tuple(Event(AskAction(e.action), e.by, e.at,
                          AskState(e.from_state) if e.from_state else None, AskState(e.to_state),
                          e.text, e.assignee) for e in row.events)
    return Ask(department, titles.get(row.section_key, row.section_key), row.text,
               f"{row.section_key}:{row.id}", id=row.id, period=month,
               state=AskState(row.state), assignee=row.assignee, history=history)


def unraised_answers(session: Session, section_keys: Collection[str], statuses: Collection[str]
                     ) -> list[tuple[SectionAnswer, Submission]]:
    """Answers of ``section_keys`` in submitted summaries that no ask was ever raised from:
    what was written before asks were stored."""
    raised = exists().where(AskRow.period_id == Submission.period_id,
                            AskRow.department_id == Submission.department_id,
                            AskRow.section_key == SectionAnswer.section_key)
    query = (select(SectionAnswer, Submission)
             .join(Submission, SectionAnswer.submission_id == Submission.id)
             .where(SectionAnswer.section_key.in_(list(section_keys)),
                    Submission.status.in_(list(statuses)), ~raised)
             .order_by(Submission.id, SectionAnswer.id))
    return [(answer, submission) for answer, submission in session.execute(query).tuples()]
