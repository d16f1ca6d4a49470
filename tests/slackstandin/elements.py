"""What Slack reports of an interactive element: the entry of a submitted view's state, and the
action of a click or a choice, shaped by the element's type (moved out of `driver` to keep it
short)."""

from __future__ import annotations

from typing import Any

# Elements whose choice is one of their options.
CHOOSERS = frozenset({"static_select", "radio_buttons", "overflow"})


def find_element(blocks: Any, action_id: str, block_id: str | None = None,
                 value: str | None = None) -> tuple[str | None, dict[str, Any] | None]:
    """The block id and element with `action_id` among `blocks` (accessory, input, actions):
    in the block `block_id` when given, and for a menu or select, the one offering `value`
    (the same menu may sit on many blocks)."""
    for block in blocks if isinstance(blocks, list) else []:
        if block_id is not None and block.get("block_id") != block_id:
            continue
        elements = [block.get("accessory"), block.get("element"), *(block.get("elements") or [])]
        for el in elements:
            if not isinstance(el, dict) or el.get("action_id") != action_id:
                continue
            offered = [o.get("value") for o in el.get("options") or []]
            if el.get("type") in CHOOSERS and value is not None and value not in offered:
                continue
            return block.get("block_id"), el
    return None, None


def initial_of(element: dict[str, Any]) -> str | None:
    """What an input holds before anyone touches it: its initial value, option or person."""
    option = element.get("initial_option")
    if isinstance(option, dict):
        return option.get("value")
    return element.get("initial_value") or element.get("initial_user")


def _option(element: dict[str, Any], value: str) -> dict[str, Any]:
    options = element.get("options") or []
    chosen = next((o for o in options if o.get("value") == value), None)
    if chosen is None:
        raise ValueError(f"{value!r} is not an option of {element.get('action_id')}")
    return dict(chosen)


def state_entry(element: dict[str, Any], value: str | None) -> dict[str, Any]:
    """An input's entry in `view.state.values`: a typed value, a chosen option or a person."""
    kind = element.get("type")
    if kind in CHOOSERS:
        return {"type": kind, "selected_option": None if value is None else _option(element, value)}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    return {"type": kind, "value": value}


def action_entry(element: dict[str, Any] | None, value: str) -> dict[str, Any]:
    """What a `block_actions` payload says was done: a button's value, a menu's or select's
    chosen option, a picked person (an element not found is taken for a button)."""
    kind = (element or {}).get("type", "button")
    if element is not None and kind in CHOOSERS:
        return {"type": kind, "selected_option": _option(element, value)}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    return {"type": kind, "value": value}
