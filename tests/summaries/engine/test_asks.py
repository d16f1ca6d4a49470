"""Asks of leadership in the domain (SPEC 5.2): states, history, lines and their matching."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from summaries.engine.asks import (
    ASSIGNEE_ACTIONS,
    LEADER_ACTIONS,
    LIVE,
    MANAGER_ACTIONS,
    Ask,
    AskAction,
    AskClosed,
    AskState,
    Event,
    LinePlan,
    Raised,
    ask_lines,
    match_lines,
    replay,
    transition,
)
from summaries.periods import Month

S, A = AskState, AskAction
CLOSED = "closed"  # AskClosed
WRONG = "wrong"  # ValueError: not an action on an existing ask
NOTHING = None  # no effect

# Every state and action, written out by hand. An assignment names someone new.
TABLE: dict[AskState, dict[AskAction, AskState | str | None]] = {
    S.OPEN: {A.RAISE: WRONG, A.EDIT: S.OPEN, A.ACKNOWLEDGE: S.ACKNOWLEDGED,
             A.ASSIGN: S.ASSIGNED, A.REPLY: S.ACKNOWLEDGED, A.DECIDE: S.DECIDED,
             A.DECLINE: S.DECLINED, A.WITHDRAW: S.WITHDRAWN, A.UPDATE: S.OPEN},
    S.ACKNOWLEDGED: {A.RAISE: WRONG, A.EDIT: S.ACKNOWLEDGED, A.ACKNOWLEDGE: NOTHING,
                     A.ASSIGN: S.ASSIGNED, A.REPLY: S.ACKNOWLEDGED, A.DECIDE: S.DECIDED,
                     A.DECLINE: S.DECLINED, A.WITHDRAW: S.WITHDRAWN,
                     A.UPDATE: S.ACKNOWLEDGED},
    S.ASSIGNED: {A.RAISE: WRONG, A.EDIT: S.ASSIGNED, A.ACKNOWLEDGE: NOTHING,
                 A.ASSIGN: S.ASSIGNED, A.REPLY: S.ASSIGNED, A.DECIDE: S.DECIDED,
                 A.DECLINE: S.DECLINED, A.WITHDRAW: S.WITHDRAWN, A.UPDATE: S.ASSIGNED},
    S.DECIDED: {A.RAISE: CLOSED, A.EDIT: CLOSED, A.ACKNOWLEDGE: CLOSED, A.ASSIGN: CLOSED,
                A.REPLY: CLOSED, A.DECIDE: NOTHING, A.DECLINE: CLOSED, A.WITHDRAW: CLOSED,
                A.UPDATE: CLOSED},
    S.DECLINED: {A.RAISE: CLOSED, A.EDIT: CLOSED, A.ACKNOWLEDGE: CLOSED, A.ASSIGN: CLOSED,
                 A.REPLY: CLOSED, A.DECIDE: CLOSED, A.DECLINE: NOTHING, A.WITHDRAW: CLOSED,
                 A.UPDATE: CLOSED},
    S.WITHDRAWN: {A.RAISE: CLOSED, A.EDIT: CLOSED, A.ACKNOWLEDGE: CLOSED, A.ASSIGN: CLOSED,
                  A.REPLY: CLOSED, A.DECIDE: CLOSED, A.DECLINE: CLOSED, A.WITHDRAW: NOTHING,
                  A.UPDATE: CLOSED},
}
CELLS = [(state, action, expected) for state, row in TABLE.items()
         for action, expected in row.items()]
T0 = datetime(2026, 10, 30, 9, 0, tzinfo=UTC)


def test_the_table_covers_every_state_and_action() -> None:
    assert set(TABLE) == set(AskState)
    assert all(set(row) == set(AskAction) for row in TABLE.values())
    assert {s for s in AskState if TABLE[s][A.ACKNOWLEDGE] != CLOSED} == LIVE


@pytest.mark.parametrize(("state", "action", "expected"), CELLS,
                         ids=[f"{s}-{a}" for s, a, _ in CELLS])
def test_transition(state: AskState, action: AskAction,
                    expected: AskState | str | None) -> None:
    def run() -> AskState | None:
        return transition(state, action, assignee="U0NEW", current_assignee="U0OLD")

    if expected == CLOSED:
        with pytest.raises(AskClosed):
            run()
    elif expected == WRONG:
        with pytest.raises(ValueError, match="not something done"):
            run()
    else:
        assert run() == expected


def test_assigning_to_the_same_person_again_changes_nothing() -> None:
    assert transition(S.ASSIGNED, A.ASSIGN, assignee="U0A", current_assignee="U0A") is None
    assert transition(S.ASSIGNED, A.ASSIGN, assignee="U0B", current_assignee="U0A") is S.ASSIGNED
    # Someone assigned before and then acknowledged again: still one assignment to make.
    assert transition(S.ACKNOWLEDGED, A.ASSIGN, assignee="U0A",
                      current_assignee="U0A") is S.ASSIGNED


@pytest.mark.parametrize("state", sorted(LIVE))
def test_an_assignment_needs_a_person(state: AskState) -> None:
    with pytest.raises(ValueError, match="needs a person"):
        transition(state, A.ASSIGN)
    with pytest.raises(ValueError, match="needs a person"):
        transition(state, A.ASSIGN, assignee="")


def test_who_does_what() -> None:
    assert ASSIGNEE_ACTIONS < LEADER_ACTIONS
    assert not LEADER_ACTIONS & MANAGER_ACTIONS
    assert A.RAISE not in LEADER_ACTIONS | MANAGER_ACTIONS
    assert A.ASSIGN not in ASSIGNEE_ACTIONS
    assert A.ACKNOWLEDGE not in ASSIGNEE_ACTIONS


# --- replay ---------------------------------------------------------------------------------

def event(action: AskAction, before: AskState | None, after: AskState, minutes: int = 0,
          by: str = "U0CEO", text: str | None = None, assignee: str | None = None) -> Event:
    return Event(action, by, T0 + timedelta(minutes=minutes), before, after, text, assignee)


RAISED = event(A.RAISE, None, S.OPEN, by="U0KA", text="Budget for towers")
STORY = (
    RAISED,
    event(A.EDIT, S.OPEN, S.OPEN, 1, by="U0KA", text="Budget for two towers"),
    event(A.REPLY, S.OPEN, S.ACKNOWLEDGED, 2, text="Looking at it"),
    event(A.ASSIGN, S.ACKNOWLEDGED, S.ASSIGNED, 3, assignee="U0CFO"),
    event(A.UPDATE, S.ASSIGNED, S.ASSIGNED, 4, by="U0KA", text="Quotes attached"),
    event(A.ASSIGN, S.ASSIGNED, S.ASSIGNED, 5, assignee="U0COO"),
    event(A.DECIDE, S.ASSIGNED, S.DECIDED, 6, by="U0COO", text="Approved"),
)


def test_replay_follows_the_history() -> None:
    assert replay([RAISED]) == (S.OPEN, None)
    assert replay(STORY[:4]) == (S.ASSIGNED, "U0CFO")
    assert replay(STORY) == (S.DECIDED, "U0COO")
    assert replay(iter(STORY)) == (S.DECIDED, "U0COO")


def test_replay_keeps_the_assignee_after_the_end() -> None:
    withdrawn = (*STORY[:4], event(A.WITHDRAW, S.ASSIGNED, S.WITHDRAWN, 9, by="U0KA"))
    assert replay(withdrawn) == (S.WITHDRAWN, "U0CFO")


@pytest.mark.parametrize("broken", [
    pytest.param((), id="empty"),
    pytest.param((STORY[2],), id="no raise"),
    pytest.param((RAISED, RAISED), id="raised twice"),
    pytest.param((replace(RAISED, after=S.ACKNOWLEDGED),), id="raised acknowledged"),
    pytest.param((RAISED, STORY[3]), id="a gap"),
    pytest.param((RAISED, event(A.ACKNOWLEDGE, S.OPEN, S.DECIDED)), id="wrong destination"),
    pytest.param((RAISED, event(A.DECIDE, S.OPEN, S.DECIDED),
                  event(A.DECIDE, S.DECIDED, S.DECIDED)), id="a change that changed nothing"),
    pytest.param((RAISED, event(A.WITHDRAW, S.OPEN, S.WITHDRAWN),
                  event(A.REPLY, S.WITHDRAWN, S.WITHDRAWN, text="too late")),
                 id="after the end"),
    pytest.param((*STORY[:4], event(A.ASSIGN, S.ASSIGNED, S.ASSIGNED, assignee="U0CFO")),
                 id="assigned to the same person again"),
    pytest.param((RAISED, event(A.ASSIGN, S.OPEN, S.ASSIGNED)), id="assigned to nobody"),
])
def test_replay_refuses_a_broken_chain(broken: tuple[Event, ...]) -> None:
    with pytest.raises(ValueError, match=r"raise|starts from|follow|leads to"):
        replay(broken)


# --- lines ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lines"), [
    ("", []),
    ("\n  \n\t\n", []),
    ("One ask", ["One ask"]),
    ("- Budget\n* Staff\n+ Tools\n\u2022 Trucks\n\u2022Vans", ["Budget", "Staff", "Tools",
                                                             "Trucks", "Vans"]),
    ("First\n\n\n   Second   \r\nThird", ["First", "Second", "Third"]),
    ("Same\n- Same\nsame\n  Same  ", ["Same", "same"]),
    ("-5% churn needs a retention budget", ["-5% churn needs a retention budget"]),
    ("*Urgent*: tower permits", ["*Urgent*: tower permits"]),
    ("-\n*\n\u2022\n- ", []),
    ("- - nested", ["- nested"]),
    ("需要增加宽带营销预算\n\u3000- 希望领导协调铁塔审批\n需要增加宽带营销预算",
     ["需要增加宽带营销预算", "希望领导协调铁塔审批"]),
    ("\u00b7 联系电信局\n\u30fb追加の予算", ["联系电信局", "追加の予算"]),
])
def test_ask_lines(text: str, lines: list[str]) -> None:
    assert ask_lines(text) == lines


# --- matching an edited section -------------------------------------------------------------

def raised(*texts: str, acted: tuple[str, ...] = ()) -> list[Raised]:
    return [Raised(n, t, t not in acted) for n, t in enumerate(texts, start=1)]


def test_unchanged_lines_keep_their_asks() -> None:
    assert match_lines(raised("A", "B"), ["A", "B"]) == LinePlan()


def test_reordered_lines_keep_their_asks() -> None:
    assert match_lines(raised("A", "B", "C"), ["C", "A", "B"]) == LinePlan()


def test_an_edited_line_edits_its_ask() -> None:
    assert match_lines(raised("A", "B", "C"), ["A", "B2", "C"]) == LinePlan(edit=((2, "B2"),))


def test_edited_lines_are_matched_in_order() -> None:
    plan = match_lines(raised("A", "B", "C"), ["C2", "B", "A2"])
    assert plan == LinePlan(edit=((1, "C2"), (3, "A2")))


def test_a_removed_line_withdraws_its_ask() -> None:
    assert match_lines(raised("A", "B", "C"), ["A", "C"]) == LinePlan(withdraw=(2,))
    assert match_lines(raised("A", "B"), []) == LinePlan(withdraw=(1, 2))


def test_added_lines_are_new_asks() -> None:
    assert match_lines([], ["A", "B"]) == LinePlan(new=("A", "B"))
    assert match_lines(raised("A"), ["New", "A", "Newer"]) == LinePlan(new=("New", "Newer"))


def test_edits_first_then_new_lines() -> None:
    plan = match_lines(raised("A", "B"), ["A", "B2", "C"])
    assert plan == LinePlan(edit=((2, "B2"),), new=("C",))


def test_an_acted_on_ask_is_neither_edited_nor_withdrawn() -> None:
    asks = raised("A", "B", acted=("B",))
    assert match_lines(asks, ["A", "B2"]) == LinePlan(new=("B2",))
    assert match_lines(asks, ["A"]) == LinePlan()
    assert match_lines(asks, []) == LinePlan(withdraw=(1,))
    assert match_lines(asks, ["B"]) == LinePlan(withdraw=(1,))


def test_an_acted_on_ask_keeps_its_line_while_others_change() -> None:
    asks = raised("A", "B", "C", acted=("A",))
    assert match_lines(asks, ["A", "B2"]) == LinePlan(edit=((2, "B2"),), withdraw=(3,))
    # Its words, unchanged, are never given to another ask.
    assert match_lines(raised("A", "B", acted=("A",)), ["B2", "A"]) == LinePlan(
        edit=((2, "B2"),))


def test_every_line_and_ask_is_accounted_for_once() -> None:
    asks = raised("A", "B", "C", "D", acted=("C",))
    lines = ["D", "X", "Y", "Z"]
    plan = match_lines(asks, lines)
    assert plan == LinePlan(edit=((1, "X"), (2, "Y")), new=("Z",))
    edited = [i for i, _ in plan.edit]
    assert len(set(edited) | set(plan.withdraw)) == len(edited) + len(plan.withdraw)


# --- the ask --------------------------------------------------------------------------------

def ask(period: str | None = "2026-09", history: tuple[Event, ...] = STORY) -> Ask:
    return Ask("key-accounts", "Problems and requests", "Budget", "problems:1", id=1,
               period=period, state=S.DECIDED, history=history)


@pytest.mark.parametrize(("month", "age"), [
    (Month(2026, 9), 0), (Month(2026, 10), 1), (Month(2027, 1), 4), (Month(2027, 9), 12)])
def test_age_in_whole_months(month: Month, age: int) -> None:
    assert ask().age(month) == age


def test_an_ask_without_a_period_is_this_months() -> None:
    assert ask(period=None).age(Month(2030, 1)) == 0


def test_answer_update_and_last_change() -> None:
    found = ask()
    assert found.answer == STORY[-1]
    assert found.update == STORY[4]
    assert found.last_change == STORY[-1]
    assert not found.live
    bare = ask(history=(RAISED,))
    assert bare.answer is None
    assert bare.update is None
    assert bare.last_change == RAISED
    assert ask(history=()).last_change is None
    assert ask() == ask(history=())  # history is not part of an ask's identity
