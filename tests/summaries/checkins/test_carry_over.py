"""The form's asks carried over from earlier months (SPEC 5.2) against the database: what the
form shows, and withdrawing or updating them from it, refusals included."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from summaries.checkins.asks import act_on_ask, open_asks, read_ask
from summaries.checkins.forms import carry_over, load_form
from summaries.checkins.submissions import record_submission, save_draft
from summaries.config.schema import Config
from summaries.engine.asks import Ask, AskAction, AskState
from summaries.errors import ValidationFailed
from summaries.periods import Month

pytestmark = pytest.mark.usefixtures("catalog")
SEPT_AT = datetime(2026, 9, 30, 3, 0, tzinfo=UTC)
OCT_AT = datetime(2026, 10, 30, 3, 0, tzinfo=UTC)
OCTOBER = Month.parse("2026-10")


def raise_asks(db: Session, config: Config, department: str, manager: str,
               lines: str, period: str = "2026-09") -> list[Ask]:
    record_submission(db, config, period=period, department=department, user=manager,
                      answers={"sales": "Fine", "problems": lines}, figures={}, now=SEPT_AT)
    return open_asks(db, config, department, Month.parse(period).shift(1))


def ids(asks: list[Ask]) -> list[int]:
    return [a.id for a in asks if a.id is not None]


def test_the_form_carries_the_open_asks_and_the_drafted_choices(
        db: Session, config: Config) -> None:
    first, second = ids(raise_asks(db, config, "east-county", "U0EAST", "Vans\nPermits"))
    act_on_ask(db, config, ask_id=second, user="U0CEO", action=AskAction.DECIDE,
               text="Yes.", now=OCT_AT)
    save_draft(db, config, period="2026-10", department="east-county", user="U0EAST",
               values={f"carry:{first}": "withdraw", f"carryupdate:{first}": "News",
                       f"carry:{second}": "withdraw", "carry:999": "withdraw"}, now=OCT_AT)
    form = load_form(db, config, OCTOBER, config.department_by_key["east-county"])
    assert [a.id for a in form.carried] == [first]  # the decided one is not carried
    assert form.carry_fields == [f"carry:{first}", f"carryupdate:{first}"]
    assert {k: v for k, v in form.values.items() if k.startswith("carry")} == {
        f"carry:{first}": "withdraw", f"carryupdate:{first}": "News"}


def test_withdraw_and_update_act_once_as_the_manager(db: Session, config: Config) -> None:
    first, second = ids(raise_asks(db, config, "east-county", "U0EAST", "Vans\nPermits"))
    choices = {first: (True, None), second: (False, "Two crews on it")}
    done = carry_over(db, config, month=OCTOBER, department="east-county", user="U0EAST",
                      choices=choices, now=OCT_AT)
    assert [(d.ask.id, d.withdrawn, d.updated, d.ended) for d in done] == [
        (first, True, False, False), (second, False, True, False)]
    assert [a.id for a in open_asks(db, config, "east-county", OCTOBER)] == [second]
    again = carry_over(db, config, month=OCTOBER, department="east-county", user="U0EAST",
                       choices=choices, now=OCT_AT)  # a double submit
    assert again == []
    updated = read_ask(db, config, second)
    assert updated is not None
    assert [e.action for e in updated.history].count(AskAction.UPDATE) == 1


def test_an_update_then_a_withdrawal_keeps_both_in_order(db: Session, config: Config) -> None:
    [only] = ids(raise_asks(db, config, "east-county", "U0EAST", "Vans"))
    [done] = carry_over(db, config, month=OCTOBER, department="east-county", user="U0EAST",
                        choices={only: (True, "Bought one ourselves")}, now=OCT_AT)
    assert (done.withdrawn, done.updated, done.ask.state) == (True, True, AskState.WITHDRAWN)
    assert [e.action for e in done.ask.history][-2:] == [AskAction.UPDATE, AskAction.WITHDRAW]


def test_other_departments_asks_and_this_months_are_left_alone(
        db: Session, config: Config) -> None:
    [west] = ids(raise_asks(db, config, "west-county", "U0WEST", "West's own"))
    [current] = ids(raise_asks(db, config, "east-county", "U0EAST", "Raised in October",
                               period="2026-10"))
    for user in ("U0EAST", "U0OPS"):  # not even an admin, through East's form
        assert carry_over(db, config, month=OCTOBER, department="east-county", user=user,
                          choices={west: (True, "x"), current: (True, None),
                                   424242: (True, None)}, now=OCT_AT) == []
    assert {a.state for a in (read_ask(db, config, west), read_ask(db, config, current))
            if a is not None} == {AskState.OPEN}


def test_an_ask_decided_meanwhile_keeps_its_decision(db: Session, config: Config) -> None:
    [only] = ids(raise_asks(db, config, "east-county", "U0EAST", "Vans"))
    act_on_ask(db, config, ask_id=only, user="U0CEO", action=AskAction.DECIDE, text="No.",
               now=OCT_AT)
    [done] = carry_over(db, config, month=OCTOBER, department="east-county", user="U0EAST",
                        choices={only: (True, "Please")}, now=OCT_AT)
    assert done.ended
    assert done.ask.state is AskState.DECIDED


def test_a_too_long_update_is_refused_under_its_field(db: Session, config: Config) -> None:
    [only] = ids(raise_asks(db, config, "east-county", "U0EAST", "Vans"))
    with pytest.raises(ValidationFailed) as refused:
        carry_over(db, config, month=OCTOBER, department="east-county", user="U0EAST",
                   choices={only: (False, "x" * 3001)}, now=OCT_AT)
    assert list(refused.value.errors) == [f"carryupdate:{only}"]
