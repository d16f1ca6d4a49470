"""Checks of a bot's answer to a view_submission (moved out of `blockkit` to keep it short)."""

from __future__ import annotations

from typing import Any

from tests.slackstandin.blockkit import check_view

RESPONSE_ACTIONS = frozenset({"errors", "update", "push", "clear"})


def input_block_ids(view: dict[str, Any]) -> list[str]:
    """Block ids of the input blocks in a view, in order."""
    return [
        b["block_id"]
        for b in view.get("blocks") or []
        if isinstance(b, dict) and b.get("type") == "input" and isinstance(b.get("block_id"), str)
    ]


def check_view_response(response: Any, view: dict[str, Any] | None) -> list[str]:
    """Check a bot's acknowledgement body for a view_submission (empty body = plain ack)."""
    if response in (None, {}):
        return []
    if not isinstance(response, dict):
        return [f"response: must be an object, got {type(response).__name__}"]
    action = response.get("response_action")
    if action not in RESPONSE_ACTIONS:
        return [f"response_action: must be one of {sorted(RESPONSE_ACTIONS)}, got {action!r}"]
    out: list[str] = []
    if action == "errors":
        errors = response.get("errors")
        if not isinstance(errors, dict) or not errors:
            return ["errors: must be a non-empty object of block_id -> message"]
        known = input_block_ids(view) if view is not None else None
        for block_id, message in errors.items():
            if known is not None and block_id not in known:
                out.append(f"errors.{block_id}: not an input block of the view (inputs: {known})")
            if not isinstance(message, str) or not message.strip():
                out.append(f"errors.{block_id}: message must be a non-empty string")
    elif action in ("update", "push"):
        new_view = response.get("view")
        if isinstance(new_view, dict) and new_view.get("type") != "modal":
            out.append(f"view.type: response_action {action} needs a modal")
        out += [f"view.{p}" if not p.startswith("view") else p for p in check_view(new_view)]
    return out
