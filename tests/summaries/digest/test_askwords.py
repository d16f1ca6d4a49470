"""Asks worded for a reader: where each stands, how long it waited, shortened at a word."""

from __future__ import annotations

from datetime import UTC, datetime

from summaries.digest.askwords import (
    ask_note,
    carried_groups,
    short_text,
    state_text,
)
from summaries.engine.asks import Ask, AskAction, AskState, Event
from summaries.periods import Month

OCT = Month(2026, 10)
RAISED = datetime(2026, 9, 29, 8, tzinfo=UTC)
LATER = datetime(2026, 10, 2, 2, 30, tzinfo=UTC)


def _ask(state: AskState = AskState.OPEN, period: str = "2026-09", *events: Event,
         assignee: str | None = None) -> Ask:
    raised = Event(AskAction.RAISE, "U0EAST", RAISED, None, AskState.OPEN, "Two vans")
    return Ask("east-county", "Requests", "Two vans", "requests:1", id=1, period=period,
               state=state, assignee=assignee, history=(raised, *events))


def test_a_decided_ask_says_who_decided_and_when_in_the_organization_s_time_zone() -> None:
    decided = Event(AskAction.DECIDE, "U0CEO", LATER, AskState.OPEN, AskState.DECIDED,
                    "Approved")
    ask = _ask(AskState.DECIDED, "2026-10", decided)
    assert state_text(ask, "en", "Asia/Shanghai", lambda u: f"<@{u}>") == \
        "decided by <@U0CEO> on Oct 2"
    assert ask_note(ask, OCT, "en", "Asia/Shanghai") == \
        "decided by U0CEO on Oct 2. Decision from U0CEO (Oct 2): Approved"


def test_an_earlier_open_ask_says_how_long_it_has_waited_and_not_open_twice() -> None:
    assert ask_note(_ask(), OCT) == "waiting 1 month"
    assert ask_note(_ask(), Month(2026, 12)) == "waiting 3 months"
    assigned = Event(AskAction.ASSIGN, "U0CEO", LATER, AskState.OPEN, AskState.ASSIGNED,
                     assignee="U0DEPUTY")
    assert ask_note(_ask(AskState.ASSIGNED, "2026-09", assigned, assignee="U0DEPUTY"),
                    OCT) == "waiting 1 month, assigned to U0DEPUTY"


def test_replies_follow_as_sentences_without_doubled_stops() -> None:
    replied = Event(AskAction.REPLY, "U0CEO", LATER, AskState.OPEN, AskState.ACKNOWLEDGED,
                    "Send the figures.")
    updated = Event(AskAction.UPDATE, "U0EAST", LATER, AskState.ACKNOWLEDGED,
                    AskState.ACKNOWLEDGED, "三个小区已签约。")
    ask = _ask(AskState.ACKNOWLEDGED, "2026-09", replied, updated)
    assert ask_note(ask, OCT) == ("waiting 1 month, acknowledged by U0CEO. Reply from U0CEO "
                                  "(Oct 2): Send the figures. Update (Oct 2): 三个小区已签约。")


def test_this_month_s_ask_shows_its_state_without_an_age() -> None:
    assert ask_note(_ask(period="2026-10"), OCT) == "open"


def test_a_long_ask_is_shortened_at_a_word_and_says_so() -> None:
    text = "word " * 100
    short, cut = short_text(text.strip(), 40)
    assert cut
    assert short.endswith("\u2026")
    assert len(short) <= 40
    assert not short.removesuffix("\u2026").endswith("wor")
    assert short_text("short", 40) == ("short", False)
    chinese = "需要" * 200  # no spaces: cut inside, still within the limit
    short, cut = short_text(chinese, 41)
    assert cut
    assert len(short) <= 41


def test_earlier_asks_are_grouped_by_their_month_oldest_first() -> None:
    groups = carried_groups([_ask(period="2026-09"), _ask(period="2026-08"),
                             _ask(period="2026-09")], OCT)
    assert [g.title for g in groups] == ["Still open from August (1)",
                                         "Still open from September (2)"]
    assert carried_groups([_ask(period="2025-12")], OCT)[0].title == \
        "Still open from December 2025 (1)"
