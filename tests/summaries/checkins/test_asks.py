"""Asks of leadership against the database (SPEC 5.2): acting on them, refusals, sync from the
section, the digest's and the forms' reads, and the backfill. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from summaries.access import viewer
from summaries.checkins.asks import (
    MAX_REPLY_CHARS,
    act_on_ask,
    find_asks,
    read_ask,
)
from summaries.checkins.submissions import record_submission
from summaries.config.schema import Config
from summaries.engine.asks import Ask, AskAction, AskState, replay
from summaries.errors import DomainError, PermissionDenied, ValidationFailed
from summaries.store.models import AskEventRow, AskRow

pytestmark = pytest.mark.usefixtures("catalog")
A, S = AskAction, AskState
T0 = datetime(2026, 10, 29, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(hours=5)
LEADER, ADMIN, MANAGER, OTHER, STRANGER = "U0CEO", "U0OPS", "U0KA", "U0EAST", "U0NOBODY"
CFO, COO = "U0CFO", "U0COO"
Step = tuple[str, AskAction, str | None, str | None]  # user, action, text, assignee


def submit(db: Session, config: Config, problems: str, *, user: str = MANAGER,
           period: str = "2026-10", department: str = "key-accounts",
           at: datetime = T0) -> None:
    answers = {"problems": problems} | ({"sales": "On plan."} if department != "safety" else {})
    record_submission(db, config, period=period, department=department, user=user,
                      answers=answers, figures={}, now=at)


def asks(db: Session, config: Config, period: str = "2026-10") -> list[Ask]:
    db.expire_all()
    return [a for a in find_asks(db, config, viewer(config, ADMIN), live_only=False,
                                 period=period)]


def raise_one(db: Session, config: Config, steps: tuple[Step, ...] = ()) -> int:
    submit(db, config, "- Budget for two towers")
    ask_id = asks(db, config)[0].id
    assert ask_id is not None
    for user, action, text, assignee in steps:
        assert act_on_ask(db, config, ask_id=ask_id, user=user, action=action, now=T0,
                          text=text, assignee=assignee).changed
    return ask_id


def snapshot(db: Session, ask_id: int) -> tuple[Any, ...]:
    """The row and its history as stored, read again from the database."""
    assert not db.dirty
    assert not db.new
    assert not db.deleted
    db.expire_all()
    row = db.get(AskRow, ask_id)
    assert row is not None
    return (row.state, row.assignee, row.text, row.position, row.updated_at,
            [(e.id, e.action, e.by, e.at, e.from_state, e.to_state, e.text, e.assignee)
             for e in row.events])


def check_history(found: Ask) -> None:
    assert replay(found.history) == (found.state, found.assignee)


ACK: Step = (LEADER, A.ACKNOWLEDGE, None, None)
ASSIGNED: Step = (LEADER, A.ASSIGN, None, CFO)
DECIDED: Step = (LEADER, A.DECIDE, "Approved", None)
WITHDRAWN: Step = (MANAGER, A.WITHDRAW, None, None)

TRANSITIONS: dict[str, tuple[tuple[Step, ...], Step, AskState, str | None]] = {
    "leader acknowledges": ((), ACK, S.ACKNOWLEDGED, None),
    "admin acknowledges": ((), (ADMIN, A.ACKNOWLEDGE, None, None), S.ACKNOWLEDGED, None),
    "leader replies to an open ask": ((), (LEADER, A.REPLY, " On it ", None), S.ACKNOWLEDGED,
                                      None),
    "leader replies again": ((ACK,), (LEADER, A.REPLY, "Next week", None), S.ACKNOWLEDGED,
                             None),
    "leader assigns an open ask": ((), ASSIGNED, S.ASSIGNED, CFO),
    "admin assigns an acknowledged ask": ((ACK,), (ADMIN, A.ASSIGN, "Yours", CFO), S.ASSIGNED,
                                          CFO),
    "leader reassigns": ((ASSIGNED,), (LEADER, A.ASSIGN, None, COO), S.ASSIGNED, COO),
    "assignee replies": ((ASSIGNED,), (CFO, A.REPLY, "Quotes by Friday", None), S.ASSIGNED,
                         CFO),
    "assignee decides": ((ASSIGNED,), (CFO, A.DECIDE, "Approved", None), S.DECIDED, CFO),
    "assignee declines": ((ASSIGNED,), (CFO, A.DECLINE, "No budget", None), S.DECLINED, CFO),
    "leader decides an open ask": ((), (LEADER, A.DECIDE, None, None), S.DECIDED, None),
    "leader declines an acknowledged ask": ((ACK,), (LEADER, A.DECLINE, "Not this year", None),
                                            S.DECLINED, None),
    "admin decides an assigned ask": ((ASSIGNED,), (ADMIN, A.DECIDE, "Yes", None), S.DECIDED,
                                      CFO),
    "manager withdraws an open ask": ((), WITHDRAWN, S.WITHDRAWN, None),
    "manager withdraws an assigned ask": ((ASSIGNED,), (MANAGER, A.WITHDRAW, "Solved", None),
                                          S.WITHDRAWN, CFO),
    "admin withdraws": ((ACK,), (ADMIN, A.WITHDRAW, None, None), S.WITHDRAWN, None),
    "manager updates an open ask": ((), (MANAGER, A.UPDATE, "Quotes attached", None), S.OPEN,
                                    None),
    "manager updates an assigned ask": ((ASSIGNED,), (MANAGER, A.UPDATE, "Still needed", None),
                                        S.ASSIGNED, CFO),
    "admin updates": ((ACK,), (ADMIN, A.UPDATE, "News", None), S.ACKNOWLEDGED, None),
}


@pytest.mark.parametrize("case", TRANSITIONS)
def test_every_transition_keeps_its_history(db: Session, config: Config, case: str) -> None:
    setup, (user, action, text, assignee), state, holder = TRANSITIONS[case]
    ask_id = raise_one(db, config, setup)
    before = snapshot(db, ask_id)
    outcome = act_on_ask(db, config, ask_id=ask_id, user=user, action=action, now=LATER,
                         text=text, assignee=assignee)
    db.commit()
    assert outcome.changed
    assert outcome.ask.state is state
    assert outcome.ask.assignee == holder
    found = read_ask(db, config, ask_id)
    assert found is not None
    assert found == outcome.ask
    assert len(found.history) == len(before[-1]) + 1
    last = found.history[-1]
    assert outcome.event_id == db.scalar(select(func.max(AskEventRow.id)))
    assert (last.action, last.by, last.at, last.before, last.after, last.text,
            last.assignee) == (action, user, LATER, before[0], state,
                               text.strip() if text else None,
                               assignee if action is A.ASSIGN else None)
    assert snapshot(db, ask_id)[4] == LATER  # updated_at
    check_history(found)


REFUSALS: dict[str, tuple[tuple[Step, ...], Step, type[DomainError], str]] = {
    "manager acknowledges": ((), (MANAGER, A.ACKNOWLEDGE, None, None), PermissionDenied,
                             "only leaders"),
    "manager decides": ((), (MANAGER, A.DECIDE, "Yes", None), PermissionDenied, "only leaders"),
    "stranger replies": ((), (STRANGER, A.REPLY, "Hi", None), PermissionDenied, "only leaders"),
    "stranger withdraws": ((), (STRANGER, A.WITHDRAW, None, None), PermissionDenied,
                           "only the manager of Key Account Division"),
    "another department's manager withdraws": ((), (OTHER, A.WITHDRAW, None, None),
                                               PermissionDenied, "only the manager"),
    "another department's manager updates": ((), (OTHER, A.UPDATE, "x", None),
                                             PermissionDenied, "only the manager"),
    "a leader withdraws": ((), (LEADER, A.WITHDRAW, None, None), PermissionDenied,
                           "only the manager"),
    "assignee assigns": ((ASSIGNED,), (CFO, A.ASSIGN, None, COO), PermissionDenied,
                         "only leaders"),
    "assignee acknowledges": ((ASSIGNED,), (CFO, A.ACKNOWLEDGE, None, None), PermissionDenied,
                              "only leaders"),
    "former assignee decides": ((ASSIGNED, (LEADER, A.ASSIGN, None, COO)),
                                (CFO, A.DECIDE, None, None), PermissionDenied, "only leaders"),
    "reply to a decided ask": ((DECIDED,), (LEADER, A.REPLY, "More", None), DomainError,
                               "already decided"),
    "decline a decided ask": ((DECIDED,), (LEADER, A.DECLINE, "No", None), DomainError,
                              "already decided"),
    "withdraw a decided ask": ((DECIDED,), WITHDRAWN, DomainError, "already decided"),
    "acknowledge a withdrawn ask": ((WITHDRAWN,), ACK, DomainError, "already withdrawn"),
    "update a withdrawn ask": ((WITHDRAWN,), (MANAGER, A.UPDATE, "x", None), DomainError,
                               "already withdrawn"),
    "reply without text": ((), (LEADER, A.REPLY, None, None), ValidationFailed, "few words"),
    "reply with blanks": ((), (LEADER, A.REPLY, " \n ", None), ValidationFailed, "few words"),
    "decline without text": ((), (LEADER, A.DECLINE, "", None), ValidationFailed, "few words"),
    "update without text": ((), (MANAGER, A.UPDATE, None, None), ValidationFailed,
                            "few words"),
    "too long a reply": ((), (LEADER, A.REPLY, "x" * (MAX_REPLY_CHARS + 1), None),
                         ValidationFailed, "at most 3,000"),
    "too long a decision": ((), (LEADER, A.DECIDE, "字" * (MAX_REPLY_CHARS + 1), None),
                            ValidationFailed, "at most 3,000"),
    "assign to nobody": ((), (LEADER, A.ASSIGN, None, None), ValidationFailed, "Choose"),
    "assign to no Slack user": ((), (LEADER, A.ASSIGN, None, "x" * 80), ValidationFailed,
                                "Choose"),
    "raise through a button": ((), (MANAGER, A.RAISE, None, None), DomainError,
                               "not something"),
    "edit through a button": ((), (MANAGER, A.EDIT, "x", None), DomainError, "not something"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_every_refusal_changes_nothing(db: Session, config: Config, case: str) -> None:
    setup, (user, action, text, assignee), error, message = REFUSALS[case]
    ask_id = raise_one(db, config, setup)
    db.commit()
    before = snapshot(db, ask_id)
    with pytest.raises(DomainError, match=message) as caught:
        act_on_ask(db, config, ask_id=ask_id, user=user, action=action, now=LATER, text=text,
                   assignee=assignee)
    assert type(caught.value) is error
    assert snapshot(db, ask_id) == before


def test_an_unknown_ask(db: Session, config: Config) -> None:
    ask_id = raise_one(db, config)
    with pytest.raises(DomainError, match="no longer there"):
        act_on_ask(db, config, ask_id=ask_id + 1000, user=LEADER, action=A.ACKNOWLEDGE,
                   now=T0)
    assert read_ask(db, config, ask_id + 1000) is None


DOUBLES: dict[str, tuple[tuple[Step, ...], Step]] = {
    "acknowledge": ((), ACK),
    "assign the same person": ((), ASSIGNED),
    "decide": ((), DECIDED),
    "decline": ((), (ADMIN, A.DECLINE, "No", None)),
    "withdraw": ((), WITHDRAWN),
    "reply": ((), (LEADER, A.REPLY, "On it", None)),
    "update": ((), (MANAGER, A.UPDATE, "Quotes attached", None)),
}


@pytest.mark.parametrize("case", DOUBLES)
def test_a_double_action_records_once(db: Session, config: Config, case: str) -> None:
    setup, (user, action, text, assignee) = DOUBLES[case]
    ask_id = raise_one(db, config, setup)
    first = act_on_ask(db, config, ask_id=ask_id, user=user, action=action, now=T0,
                       text=text, assignee=assignee)
    db.commit()
    before = snapshot(db, ask_id)
    again = act_on_ask(db, config, ask_id=ask_id, user=user, action=action, now=LATER,
                       text=text, assignee=assignee)
    assert first.changed
    assert not again.changed
    assert again.event_id is None
    assert again.ask == first.ask
    assert snapshot(db, ask_id) == before


def test_acknowledging_an_assigned_ask_changes_nothing(db: Session, config: Config) -> None:
    ask_id = raise_one(db, config, (ASSIGNED,))
    before = snapshot(db, ask_id)
    outcome = act_on_ask(db, config, ask_id=ask_id, user=ADMIN, action=A.ACKNOWLEDGE, now=LATER)
    assert not outcome.changed
    assert outcome.ask.state is S.ASSIGNED
    assert snapshot(db, ask_id) == before


def test_different_replies_are_each_kept(db: Session, config: Config) -> None:
    ask_id = raise_one(db, config, ((LEADER, A.REPLY, "On it", None),))
    assert act_on_ask(db, config, ask_id=ask_id, user=ADMIN, action=A.REPLY, now=LATER,
                      text="On it").changed  # someone else, the same words
    assert act_on_ask(db, config, ask_id=ask_id, user=LEADER, action=A.REPLY, now=LATER,
                      text="Done soon").changed
    found = read_ask(db, config, ask_id)
    assert found is not None
    assert [e.action for e in found.history] == [A.RAISE] + [A.REPLY] * 3
