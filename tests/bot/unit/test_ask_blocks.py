"""The asks of leadership in Block Kit (SPEC 5.2): within Slack's limits however long or foreign
an ask, every typed word escaped, people named by mentions, controls only where they mean
something."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.blocks.askmodals import answer_view, assign_view, full_view
from bot.blocks.asks import (
    assigned_message,
    header_ask_blocks,
    read_menu_value,
    reply_ask_blocks,
)
from bot.blocks.digest import department_messages, header_messages
from bot.ids import ASK_ACKNOWLEDGE, ASK_ASSIGN, ASK_FULL, ASK_MENU
from summaries.digest.askwords import CUT_NOTE
from summaries.digest.header import AskLine
from summaries.digest.model import Digest, compile_digest
from summaries.engine.asks import Ask, AskAction, AskBoard, AskState, Event
from summaries.periods import Month
from tests.slackstandin import check_message, check_view
from tests.support.enginekit import OCT, Data, org

AT = datetime(2026, 11, 5, 3, 0, tzinfo=UTC)
HOSTILE = "Budget <!channel> & <@U0BOSS> > all: "
LONG = (HOSTILE * 80)[:3000]
CHINESE = "我们需要两名安装工人来处理北部村庄的光纤积压问题" * 20
ANSWERED = "Approved <!here> & more: " * 100


def ask(text: str = LONG, ask_id: int | None = 7, state: AskState = AskState.OPEN,
        *history: Event, period: str = "2026-10", assignee: str | None = None) -> Ask:
    raised = Event(AskAction.RAISE, "U0N", AT, None, AskState.OPEN)
    return Ask("north", "Problems and requests", text, f"problems:{ask_id}", ask_id, period,
               state, assignee, (raised, *history))


def decided(text: str = LONG) -> Ask:
    return ask(text, 8, AskState.DECIDED,
               Event(AskAction.DECIDE, "U0CEO", AT, AskState.OPEN, AskState.DECIDED, ANSWERED))


def message(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"text": "fallback", "blocks": blocks}


def mrkdwn(blocks: list[dict[str, Any]]) -> list[str]:
    """Every mrkdwn text the blocks carry (what Slack parses for mentions)."""
    found = [b["text"]["text"] for b in blocks if b.get("text", {}).get("type") == "mrkdwn"]
    for block in blocks:
        found += [e["text"] for e in block.get("elements", ()) if e.get("type") == "mrkdwn"]
    return found


def assert_escaped(texts: list[str]) -> None:
    for text in texts:
        assert "<!channel>" not in text
        assert "<!here>" not in text
        assert "<@U0BOSS>" not in text
        assert re.search(r"<(?!@U0[A-Z0-9]+>|!date\^)", text) is None, text  # our own only


def elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks for e in [b.get("accessory"), *b.get("elements", ())]
            if isinstance(e, dict) and "action_id" in e]


@pytest.mark.parametrize("text", [LONG, CHINESE, "Short & <b>"])
def test_the_header_line_fits_is_escaped_and_offers_what_leaders_do(text: str) -> None:
    blocks = header_ask_blocks([AskLine("North <R&D>", ask(text))], OCT, "en", "UTC")
    assert check_message(message(blocks)) == []
    assert_escaped(mrkdwn(blocks))
    [menu] = elements(blocks)
    assert menu["action_id"] == ASK_MENU
    verbs = [read_menu_value(o["value"]) for o in menu["options"]]
    assert {verb for verb, _ in verbs} >= {"acknowledge", "answer", "assign"}
    assert {number for _, number in verbs} == {7}
    cut = len(text) > 280
    assert (CUT_NOTE in mrkdwn(blocks)[0]) == cut
    assert ("full", 7) in verbs if cut else ("full", 7) not in verbs
    assert "*North &lt;R&amp;D&gt;*" in mrkdwn(blocks)[0]


def test_an_ended_ask_shows_its_outcome_and_only_its_full_text() -> None:
    blocks = header_ask_blocks([AskLine("North", decided())], OCT, "en", "UTC")
    assert check_message(message(blocks)) == []
    assert "decided by <@U0CEO> on Nov 5" in mrkdwn(blocks)[0]
    assert [e["action_id"] for e in elements(blocks)] == [ASK_FULL]
    thread = reply_ask_blocks([decided("Short")], [], OCT, "en", "UTC")
    assert check_message(message(thread)) == []
    assert [e["action_id"] for e in elements(thread)] == [ASK_FULL]  # the reply was shortened
    assert_escaped(mrkdwn(thread))


def test_the_thread_shows_an_ask_whole_with_buttons_and_a_person_picker() -> None:
    acknowledged = ask("Short", 9, AskState.ASSIGNED, Event(
        AskAction.ASSIGN, "U0CEO", AT, AskState.OPEN, AskState.ASSIGNED, None, "U0HELP"),
        assignee="U0HELP")
    blocks = reply_ask_blocks([ask()], [acknowledged], Month(2026, 11), "en", "UTC")
    assert check_message(message(blocks)) == []
    texts = mrkdwn(blocks)
    assert_escaped(texts)
    whole = "".join(t.removeprefix("\u2022 ") for t in texts if "Budget" in t)
    assert whole.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == LONG
    assert "*Still open from October (1)*" in texts
    controls = [b for b in blocks if b["type"] == "actions"]
    assert [b["block_id"] for b in controls] == ["ask:7", "ask:9"]
    first, second = ([e["action_id"] for e in b["elements"]] for b in controls)
    assert ASK_ACKNOWLEDGE in first
    assert ASK_ACKNOWLEDGE not in second
    picker = controls[1]["elements"][-1]
    assert (picker["action_id"], picker["initial_user"]) == (ASK_ASSIGN, "U0HELP")


@pytest.mark.parametrize("text", [LONG, CHINESE])
def test_the_modals_fit_and_the_full_text_is_all_there(text: str) -> None:
    shown = ask(text, 7, AskState.ACKNOWLEDGED, Event(
        AskAction.REPLY, "U0CEO", AT, AskState.OPEN, AskState.ACKNOWLEDGED, ANSWERED))
    for build in (answer_view, assign_view, full_view):
        view = build(shown, "North <R&D>", "October 2026")
        assert check_view(view) == [], build
        assert view["private_metadata"] == "7"
        assert_escaped([b["text"]["text"] for b in view["blocks"] if "text" in b])
    everything = "".join(b["text"]["text"] for b in full_view(shown, "N", "O")["blocks"]
                         if b["type"] == "section")
    assert text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in everything
    assert "<@U0CEO> replied: Approved &lt;!here&gt; &amp; more" in everything


def test_the_direct_messages_fit_and_are_escaped() -> None:
    handed = assigned_message(ask(), Event(AskAction.ASSIGN, "U0CEO", AT, AskState.OPEN,
                                           AskState.ASSIGNED, None, "U0HELP"),
                              "North <R&D>", "October 2026", "U0N")
    assert check_message(handed) == []
    assert_escaped([handed["text"], *mrkdwn(handed["blocks"])])
    assert "*North &lt;R&amp;D&gt;*" in mrkdwn(handed["blocks"])[0]


def digest_with(asks: list[Ask], carried: list[Ask]) -> Digest:
    config = org()
    data = Data().figure("n1", "revenue", "2026-10", 100).submitted("n1", problems="x")
    board = AskBoard(tuple(asks), tuple(carried))
    return compile_digest(config, data.evaluate(config, OCT, closed=True), asks=board)


def test_a_digest_with_many_stored_asks_continues_within_slacks_limits() -> None:
    many = [Ask("n1", "Problems and requests", f"{n}: {LONG}", f"problems:{n}", n, "2026-10")
            for n in range(1, 61)]
    old = [Ask("n1", "Problems and requests", CHINESE, f"problems:{n}", n, "2026-08")
           for n in range(61, 66)]
    digest = digest_with(many, old)
    messages = header_messages(digest)
    assert len(messages) > 1
    for payload in [*messages, *department_messages(digest, "n1")]:
        assert check_message(payload) == []
        assert_escaped(mrkdwn(payload["blocks"]))
    menus = [e for m in messages for e in elements(m["blocks"]) if e["action_id"] == ASK_MENU]
    assert len(menus) == 65  # every ask keeps its menu, whichever message it lands in
    assert "Still open from August (5)" in str(messages)
