"""The Slack stand-in rejects Block Kit that Slack would reject."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slackstandin import (
    SlackStandIn,
    check_message,
    check_view,
    check_view_response,
)
from tests.support.standin_kit import checkin_modal, plain, reminder_blocks, section

# -- Block Kit rejections ------------------------------------------------------------------

LONG = "x" * 3001


def _message(**kw: Any) -> tuple[str, dict[str, Any]]:
    return "chat_postMessage", {"channel": "C1", "text": "fallback", **kw}


def _modal(**kw: Any) -> tuple[str, dict[str, Any]]:
    return "views_open", {"view": checkin_modal(**kw)}


NUMBER = {"type": "number_input", "action_id": "n", "is_decimal_allowed": False}
REJECTIONS: dict[str, tuple[tuple[str, dict[str, Any]], str]] = {
    "51 blocks in a message": (_message(blocks=[{"type": "divider"}] * 51), "at most 50"),
    "101 blocks in a view": (_modal(blocks=[{"type": "divider"}] * 101), "at most 100"),
    "25-char title": (_modal(title=plain("x" * 25)), "title.text: 25 characters, at most 24"),
    "3001-char section": (
        _message(blocks=[section("ok"), section(LONG)]),
        "blocks[1].text.text: 3001 characters, at most 3000",
    ),
    "duplicate block_id": (
        _message(blocks=[section("a", "same"), section("b", "same")]),
        "blocks[1].block_id: duplicate 'same'",
    ),
    "input modal without submit": (_modal(submit=None), "submit: required"),
    "blocks without text": (
        ("chat_postMessage", {"channel": "C1", "blocks": [section("hi")]}),
        "fallback text",
    ),
    "number_input decimal initial value": (
        _modal(
            blocks=[
                {"type": "input", "label": plain("N"), "element": NUMBER | {"initial_value": "2.5"}}
            ]
        ),
        "blocks[0].element.initial_value: '2.5' is not an integer",
    ),
    "number_input initial below min": (
        _modal(
            blocks=[
                {
                    "type": "input",
                    "label": plain("N"),
                    "element": NUMBER | {"initial_value": "-1", "min_value": "0"},
                }
            ]
        ),
        "outside min_value/max_value",
    ),
    "header 151 chars": (
        _message(blocks=[{"type": "header", "text": plain("h" * 151)}]),
        "blocks[0].text.text: 151 characters, at most 150",
    ),
    "mrkdwn header": (
        _message(blocks=[{"type": "header", "text": {"type": "mrkdwn", "text": "*h*"}}]),
        "blocks[0].text.type: must be plain_text",
    ),
    "input block in a message": (
        _message(blocks=[{"type": "input", "label": plain("L"), "element": NUMBER}]),
        "input blocks are not allowed in messages",
    ),
    "button text too long": (
        _message(
            blocks=[{"type": "actions", "elements": [{"type": "button", "text": plain("b" * 76)}]}]
        ),
        "blocks[0].elements[0].text.text: 76 characters, at most 75",
    ),
}


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
@pytest.mark.parametrize("case", list(REJECTIONS), ids=list(REJECTIONS))
def test_block_kit_rejections(case: str, standin: SlackStandIn, client: WebClient) -> None:
    (method, kwargs), expected = REJECTIONS[case]
    if method == "views_open":
        kwargs = {**kwargs, "trigger_id": standin.issue_trigger()}
        kwargs["view"] = {k: v for k, v in kwargs["view"].items() if v is not None}
    with pytest.raises(SlackApiError) as rejected:
        getattr(client, method)(**kwargs)
    response = rejected.value.response
    assert response["error"] == "invalid_blocks"
    assert any(expected in problem for problem in response["errors"]), response["errors"]
    assert response["response_metadata"]["messages"]
    assert standin.messages() == []
    assert standin.views() == []


def test_realistic_message_and_modal_pass(standin: SlackStandIn, client: WebClient) -> None:
    assert check_message({"text": "Reminder", "blocks": reminder_blocks()}) == []
    assert check_view(checkin_modal()) == []
    client.chat_postMessage(channel="U1", text="Reminder", blocks=reminder_blocks())
    client.views_open(trigger_id=standin.issue_trigger(), view=checkin_modal())
    assert [c.method for c in standin.calls if not c.ok] == []


def test_more_block_kit_rules() -> None:
    overflow = {"type": "overflow", "options": [{"text": plain("o"), "value": "v"}] * 6}
    assert any(
        "options: 6 items" in p
        for p in check_message({"text": "t", "blocks": [section("s") | {"accessory": overflow}]})
    )
    styled = {"type": "button", "text": plain("b"), "style": "secondary"}
    assert check_message({"text": "t", "blocks": [{"type": "actions", "elements": [styled]}]})
    assert check_message({"text": "t", "blocks": [{"type": "carousel"}]})
    assert check_message({"text": "x" * 40_001})
    assert check_view(checkin_modal(private_metadata="m" * 3001))
    assert check_view({"type": "home", "blocks": [section("no submit needed")]}) == []
    assert check_view(checkin_modal(callback_id="c" * 256))


def test_check_view_response() -> None:
    view = checkin_modal()
    assert check_view_response({}, view) == []
    assert check_view_response({"response_action": "clear"}, view) == []
    assert (
        check_view_response({"response_action": "errors", "errors": {"revenue": "Bad"}}, view) == []
    )
    assert check_view_response({"response_action": "errors", "errors": {"intro": "x"}}, view)
    assert check_view_response({"response_action": "errors", "errors": {"revenue": ""}}, view)
    assert check_view_response({"response_action": "close"}, view)
    assert check_view_response({"response_action": "update", "view": checkin_modal()}, view) == []
    bad_update = {"response_action": "update", "view": checkin_modal(title=plain("t" * 30))}
    assert check_view_response(bad_update, view) == ["view.title.text: 30 characters, at most 24"]


