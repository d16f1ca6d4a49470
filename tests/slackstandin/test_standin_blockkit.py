"""The Slack stand-in rejects Block Kit that Slack would reject."""

from __future__ import annotations

import json
import urllib.request
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


def cell(text: str) -> dict[str, Any]:
    return {"type": "raw_text", "text": text}


def kpi_table(**kw: Any) -> dict[str, Any]:
    """A small KPI table: a header row, a raw_text/raw_number row and a rich_text row."""
    bold = {"type": "text", "text": "On track", "style": {"bold": True}}
    rich = {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [bold]}]}
    rows = [
        [cell("KPI"), cell("Value"), cell("Status")],
        [cell("Revenue (EUR)"), {"type": "raw_number", "value": 5000, "text": "5,000"}, rich],
    ]
    return {"type": "table", "rows": rows, "column_settings": [None, {"align": "right"}]} | kw


def _table(**kw: Any) -> tuple[str, dict[str, Any]]:
    return _message(blocks=[section("KPIs"), kpi_table(**kw)])


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
    "table without rows": (_message(blocks=[{"type": "table"}]), "blocks[0].rows: required"),
    "table with 101 rows": (
        _table(rows=[[cell("r")]] * 101),
        "blocks[1].rows: 101 rows, at most 100",
    ),
    "table row with 21 cells": (
        _table(rows=[[cell("c")] * 20, [cell("c")] * 21]),
        "blocks[1].rows[1]: 21 cells, at most 20",
    ),
    "unknown table cell type": (
        _table(rows=[[{"type": "mrkdwn", "text": "*x*"}]]),
        "blocks[1].rows[0][0].type: must be one of ['raw_text', 'raw_number', 'rich_text']",
    ),
    "empty raw_text cell": (
        _table(rows=[[cell("KPI")], [cell("")]]),
        "blocks[1].rows[1][0].text: must be more than 0 characters",
    ),
    "raw_number cell with a string value": (
        _table(rows=[[{"type": "raw_number", "value": "5000", "text": "5,000"}]]),
        "blocks[1].rows[0][0].value: must be a number",
    ),
    "rich_text cell without elements": (
        _table(rows=[[{"type": "rich_text", "elements": []}]]),
        "blocks[1].rows[0][0].elements: must be a non-empty list",
    ),
    "bad column align": (
        _table(column_settings=[{"align": "justify"}]),
        "blocks[1].column_settings[0].align: must be one of ['left', 'center', 'right']",
    ),
    "is_wrapped not a boolean": (
        _table(column_settings=[{"is_wrapped": "yes"}]),
        "blocks[1].column_settings[0].is_wrapped: must be a boolean",
    ),
    "21 column settings": (
        _table(column_settings=[None] * 21),
        "blocks[1].column_settings: 21 items, at most 20",
    ),
    "table over 10,000 characters": (
        _table(rows=[[cell("x" * 101)] * 10] * 10),
        "blocks[1].rows: 10100 characters across the cells, at most 10000",
    ),
    "table in a modal": (
        _modal(blocks=[kpi_table()]),
        "blocks[0]: table blocks are not allowed in modals",
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


# -- table block -------------------------------------------------------------------------------


def _post_json(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps(payload).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        answer: dict[str, Any] = json.loads(response.read())
    return answer


def test_valid_table_passes_on_every_message_route(
    standin: SlackStandIn, client: WebClient
) -> None:
    blocks = [section("January KPIs"), kpi_table()]
    assert check_message({"text": "KPIs", "blocks": blocks}) == []
    posted = client.chat_postMessage(channel="C1", text="KPIs", blocks=blocks)
    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="KPIs", blocks=blocks)
    client.chat_postEphemeral(channel="C1", user="U1", text="KPIs", blocks=blocks)
    assert _post_json(standin.new_response_url(), {"text": "KPIs", "blocks": blocks}) == {
        "ok": True
    }
    [stored] = standin.messages("C1")
    assert stored["blocks"][1]["rows"] == kpi_table()["rows"]
    # Slack lists the table block for Home tabs too, just not for modals.
    home = {"type": "home", "blocks": blocks}
    assert check_view(home) == []
    client.views_publish(user_id="U1", view=home)
    assert [c.method for c in standin.calls if not c.ok] == []


def test_table_rules_the_docs_leave_open_are_not_enforced() -> None:
    ragged = kpi_table(rows=[[cell("KPI"), cell("Value")], [cell("Revenue")]])
    long_cell = kpi_table(rows=[[cell("x" * 3001)]], column_settings=[{"is_wrapped": True}])
    no_settings = {"type": "table", "rows": [[cell("only")]]}
    for table in (ragged, long_cell, no_settings):
        assert check_message({"text": "KPIs", "blocks": [table]}) == [], table
    # the rich_text cell's text counts towards the 10,000-character cap
    rich = kpi_table()["rows"][1][2]
    assert check_message({"text": "t", "blocks": [kpi_table(rows=[[rich] * 10] * 100)]}) == []
    over = [[rich] * 13] * 100  # 13 x 100 x len("On track") = 10,400
    assert check_message({"text": "t", "blocks": [kpi_table(rows=over)]})


def test_second_table_is_refused_like_slack(standin: SlackStandIn, client: WebClient) -> None:
    blocks = [section("KPIs"), kpi_table(), section("More"), kpi_table()]
    expected = ["blocks[3]: only one table block is allowed per message"]
    assert check_message({"text": "KPIs", "blocks": blocks}) == expected
    posted = client.chat_postMessage(channel="C1", text="KPIs", blocks=blocks[:2])
    attempts = [
        lambda: client.chat_postMessage(channel="C1", text="KPIs", blocks=blocks),
        lambda: client.chat_postEphemeral(channel="C1", user="U1", text="KPIs", blocks=blocks),
        lambda: client.chat_update(channel="C1", ts=posted["ts"], text="KPIs", blocks=blocks),
    ]
    for attempt in attempts:
        with pytest.raises(SlackApiError) as refused:
            attempt()
        assert refused.value.response["error"] == "invalid_attachments"
        assert refused.value.response["errors"] == expected
        assert refused.value.response["response_metadata"]["messages"]
    answer = _post_json(standin.new_response_url(), {"text": "KPIs", "blocks": blocks})
    assert (answer["ok"], answer["error"], answer["errors"]) == (
        False,
        "invalid_attachments",
        expected,
    )
    [stored] = standin.messages("C1")
    assert [b["type"] for b in stored["blocks"]] == ["section", "table"]
    assert standin.ephemerals() == []
    # a second table that is also malformed: the block errors win
    broken = kpi_table(column_settings=[{"align": "middle"}])
    with pytest.raises(SlackApiError) as both:
        client.chat_postMessage(channel="C1", text="KPIs", blocks=[kpi_table(), broken])
    assert both.value.response["error"] == "invalid_blocks"
