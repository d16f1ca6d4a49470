"""Menus, radio buttons and person pickers: the stand-in checks them as Slack does, and reports
a choice in them as Slack's payloads do."""

from __future__ import annotations

from typing import Any

import pytest

from tests.slackstandin import check_message, check_view
from tests.slackstandin.elements import action_entry, find_element, initial_of, state_entry
from tests.support.standin_kit import plain, section


def option(value: str, text: str | None = None) -> dict[str, Any]:
    return {"text": plain(text or value), "value": value}


def overflow(*values: str) -> dict[str, Any]:
    return {"type": "overflow", "action_id": "menu", "options": [option(v) for v in values]}


RADIO = {"type": "radio_buttons", "action_id": "pick", "options": [option("a"), option("b")],
         "initial_option": option("a")}
PERSON = {"type": "users_select", "action_id": "who", "placeholder": plain("Choose"),
          "initial_user": "U0ONE"}


def modal(element: dict[str, Any]) -> dict[str, Any]:
    return {"type": "modal", "title": plain("T"), "submit": plain("Send"),
            "blocks": [{"type": "input", "block_id": "in", "label": plain("L"),
                        "element": element}]}


def message(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"text": "fallback", "blocks": list(blocks)}


def test_an_overflow_holds_two_to_five_options_of_short_plain_text() -> None:
    assert check_message(message(section("s") | {"accessory": overflow("a", "b")})) == []
    for menu in (overflow("a"), overflow(*"abcdef")):
        [problem] = check_message(message(section("s") | {"accessory": menu}))
        assert "must be between 2 and 5" in problem
    long = overflow("a", "b") | {"options": [option("a", "x" * 76), option("b")]}
    assert check_message(message(section("s") | {"accessory": long}))


def test_person_pickers_and_radio_buttons_go_where_slack_takes_them() -> None:
    assert check_view(modal(RADIO)) == []
    assert check_view(modal(PERSON)) == []
    actions = {"type": "actions", "elements": [PERSON | {"initial_user": "U0ONE"}]}
    assert check_message(message(actions)) == []
    assert check_message(message(section("s") | {"accessory": PERSON})) == []
    wrong = RADIO | {"initial_option": option("c")}
    assert any("initial_option" in p for p in check_view(modal(wrong)))
    assert check_view(modal(RADIO | {"options": [option(str(n)) for n in range(11)],
                                     "initial_option": option("0")}))


def test_a_choice_is_reported_as_slack_reports_it() -> None:
    blocks = [section("one") | {"block_id": "b1", "accessory": overflow("x:1", "y:1")},
              section("two") | {"block_id": "b2", "accessory": overflow("x:2", "y:2")}]
    block_id, menu = find_element(blocks, "menu", value="y:2")
    assert block_id == "b2"
    assert action_entry(menu, "y:2") == {"type": "overflow", "selected_option": option("y:2")}
    with pytest.raises(ValueError, match="not an option"):
        action_entry(menu, "z")
    assert action_entry(PERSON, "U0TWO") == {"type": "users_select", "selected_user": "U0TWO"}
    assert action_entry(None, "7") == {"type": "button", "value": "7"}


def test_an_untouched_input_submits_what_it_started_with() -> None:
    assert state_entry(RADIO, initial_of(RADIO))["selected_option"] == option("a")
    assert state_entry(PERSON, initial_of(PERSON)) == {"type": "users_select",
                                                       "selected_user": "U0ONE"}
    assert state_entry(RADIO, None) == {"type": "radio_buttons", "selected_option": None}
