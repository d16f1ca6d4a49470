"""The stand-in shows a replaced modal as Slack does: an input kept with the same block and
action ids keeps what the person had in it; new action ids show the new initial values."""

from __future__ import annotations

from typing import Any

from bot.blocks.modal import base_action, next_version, versioned
from tests.slackstandin.preserve import as_shown, typed_in


def _input(block_id: str, action_id: str, initial: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": action_id}
    if initial is not None:
        element["initial_value"] = initial
    return {"type": "input", "block_id": block_id, "element": element,
            "label": {"type": "plain_text", "text": block_id}}


def test_kept_inputs_show_what_was_typed_and_renamed_ones_their_new_value() -> None:
    submitted = {"blocks": [_input("kpi:revenue", "value"), _input("paste", "paste_figures")],
                 "state": {"values": {"kpi:revenue": {"value": {"value": None}},
                                      "paste": {"paste_figures": {"value": "revenue\t5"}}}}}
    typed = typed_in(submitted)
    same = {"blocks": [_input("kpi:revenue", "value", "5"), _input("paste", "paste_figures")]}
    shown = as_shown(same, typed)
    assert "initial_value" not in shown["blocks"][0]["element"]  # Slack keeps the empty box
    assert shown["blocks"][1]["element"]["initial_value"] == "revenue\t5"
    renamed = {"blocks": versioned(same["blocks"], next_version(same))}
    shown = as_shown(renamed, typed)
    assert shown["blocks"][0]["element"]["initial_value"] == "5"
    assert "initial_value" not in shown["blocks"][1]["element"]


def test_versions_count_up_and_read_back() -> None:
    blocks = versioned([_input("kpi:revenue", "value")], 3)
    assert blocks[0]["element"]["action_id"] == "value.3"
    assert base_action("value.3") == "value"
    assert next_version({"blocks": blocks}) == 4
    assert next_version({"blocks": [_input("kpi:revenue", "value")]}) == 1
