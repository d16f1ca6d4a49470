"""Random sequences of actions on asks, by random people, mixed with edits of the section, run
against the database: after every step the history replays to the row, and a refused or
repeated action changed nothing. Each example works in one transaction, rolled back after."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from summaries.access import viewer
from summaries.checkins.asks import MAX_REPLY_CHARS, act_on_ask, find_asks
from summaries.checkins.submissions import record_submission
from summaries.config.schema import Config
from summaries.engine.asks import (
    LIVE,
    Ask,
    AskAction,
    AskClosed,
    AskState,
    ask_lines,
    replay,
    transition,
)
from summaries.errors import DomainError
from summaries.store.catalog import Catalog

A = AskAction
PEOPLE = {"leader": "U0CEO", "admin": "U0OPS", "manager": "U0KA", "stranger": "U0EAST",
          "outsider": "U0NOBODY"}
ROLES = (*PEOPLE, "assignee")
MANAGER, STAFF = "U0KA", ("U0CFO", "U0COO")
LINES = ("Budget for two towers", "Budget for two towers, by May", "Hire two engineers",
         "需要更多宽带营销人员", "Tower permits")
T0 = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)
TEXTS = (None, "", "  ", "On it", "已批准", "x" * (MAX_REPLY_CHARS + 1))
ASSIGNEES = (None, *STAFF, "not a Slack user")

# Mostly what the buttons send, sometimes anything at all.
actions = st.one_of(st.sampled_from([a for a in AskAction if a not in (A.RAISE, A.EDIT)]),
                    st.sampled_from(list(AskAction)))
acts = st.tuples(st.just("act"), st.sampled_from((*ROLES, "leader", "assignee")), actions,
                 st.integers(0, 5),
                 st.one_of(st.just("On it"), st.sampled_from(TEXTS)),
                 st.one_of(st.sampled_from(STAFF), st.sampled_from(ASSIGNEES)))
edits = st.tuples(st.just("edit"), st.lists(st.sampled_from(LINES), max_size=4, unique=True)
                  .map(lambda lines: "\n".join(f"- {line}" for line in lines)))
steps = st.lists(st.one_of(acts, acts, edits), min_size=3, max_size=14)
CI = os.environ.get("CI", "").lower() == "true"


def read(db: Session, config: Config) -> list[Ask]:
    db.expire_all()
    return find_asks(db, config, viewer(config, "U0OPS"), live_only=False)


def stored(ask: Ask) -> tuple[Any, ...]:
    return ask.state, ask.assignee, ask.text, ask.history


def untouched(ask: Ask) -> bool:
    return ask.live and all(e.action in (A.RAISE, A.EDIT) for e in ask.history)


def expected(config: Config, ask: Ask, user: str, action: AskAction, text: str | None,
             assignee: str | None) -> AskState | str | None:
    """What acting should do, worked out apart from the code under test: "refused", None
    (nothing changes) or the state it leads to."""
    leader = config.is_leader(user)
    allowed = {A.ACKNOWLEDGE: leader, A.ASSIGN: leader,
               A.WITHDRAW: user == MANAGER or config.is_admin(user)}
    allowed |= dict.fromkeys((A.REPLY, A.DECIDE, A.DECLINE), leader or user == ask.assignee)
    allowed[A.UPDATE] = allowed[A.WITHDRAW]
    words = (text or "").strip()
    if not allowed.get(action, False):
        return "refused"
    if action in (A.REPLY, A.UPDATE, A.DECLINE) and not words:
        return "refused"
    if len(words) > MAX_REPLY_CHARS or (action is A.ASSIGN and assignee not in STAFF):
        return "refused"
    try:
        to = transition(ask.state, action, assignee=assignee, current_assignee=ask.assignee)
    except AskClosed:
        return "refused"
    last = ask.history[-1]
    if action in (A.REPLY, A.UPDATE) and (last.action, last.by, last.text) == (action, user,
                                                                             words):
        return None
    return to


def check_history(found: list[Ask]) -> None:
    for ask in found:
        assert replay(ask.history) == (ask.state, ask.assignee)
        assert ask.history[0].action is A.RAISE
        assert all(a.at <= b.at for a, b in zip(ask.history, ask.history[1:], strict=False))


def do_edit(db: Session, config: Config, text: str, now: datetime) -> None:
    before = {a.id: a for a in read(db, config)}
    record_submission(db, config, period="2026-10", department="key-accounts", user=MANAGER,
                      answers={"sales": "On plan.", "problems": text}, figures={}, now=now)
    after = read(db, config)
    lines = ask_lines(text)
    for ask in after:
        old = before.get(ask.id)
        if old is not None and not untouched(old):  # acted on, or ended: left as it was
            assert stored(ask) == stored(old)
        if untouched(ask):
            assert ask.text in lines
    texts = [a.text for a in after if a.live or a.id in before]
    assert all(line in texts for line in lines)
    # A line is one ask's, whatever its state: never raised twice, never given to another.
    assert len({a.text for a in after}) == len(after)


def do_act(db: Session, config: Config, step: tuple[Any, ...], now: datetime) -> None:
    _, role, action, index, text, assignee = step
    found = read(db, config)
    if not found:
        return
    ask = found[index % len(found)]
    assert ask.id is not None
    user = PEOPLE.get(role) or ask.assignee or STAFF[0]
    want = expected(config, ask, user, action, text, assignee)
    event("refused" if want == "refused" else "no change" if want is None else "changed")
    try:
        outcome = act_on_ask(db, config, ask_id=ask.id, user=user, action=action, now=now,
                             text=text, assignee=assignee)
    except DomainError:
        assert want == "refused", (user, action, ask.state)
        assert not db.dirty
        assert not db.new
        assert [stored(a) for a in read(db, config)] == [stored(a) for a in found]
        return
    assert want != "refused", (user, action, ask.state)
    now_found = {a.id: a for a in read(db, config)}
    assert outcome.ask == now_found[ask.id]
    if want is None:
        assert not outcome.changed
        assert outcome.event_id is None
        assert stored(now_found[ask.id]) == stored(ask)
        return
    assert outcome.changed
    assert outcome.ask.state is want
    history = now_found[ask.id].history
    assert history[:-1] == ask.history
    assert len(history) == len(ask.history) + 1
    assert (history[-1].action, history[-1].by, history[-1].at) == (action, user, now)
    assert all(stored(now_found[a.id]) == stored(a) for a in found if a.id != ask.id)


@settings(max_examples=15 if CI else 40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=st.lists(st.sampled_from(LINES), min_size=1, max_size=4, unique=True),
       script=steps)
def test_random_actions_keep_history_and_state_together(
    db: Session, config: Config, catalog: Catalog, first: list[str],
    script: list[tuple[Any, ...]],
) -> None:
    try:
        now = T0
        do_edit(db, config, "\n".join(first), now)
        for step in script:
            now += timedelta(minutes=1)
            if step[0] == "edit":
                do_edit(db, config, step[1], now)
            else:
                do_act(db, config, step, now)
            found = read(db, config)
            check_history(found)
            assert {a.state for a in found} <= set(AskState)
            assert all(a.assignee is None or a.assignee in STAFF for a in found)
            assert all((a.state is AskState.ASSIGNED) <= (a.assignee is not None)
                       for a in found)
            assert all(a.live == (a.state in LIVE) for a in found)
    finally:
        db.rollback()
