"""Slack's Block Kit limits as checks: each function returns a list of problems (empty = valid)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from tests.slackstandin.blockkit_table import check_one_table, check_table

Surface = Literal["message", "modal", "home"]

MAX_BLOCKS: dict[str, int] = {"message": 50, "modal": 100, "home": 100}
BLOCK_TYPES = frozenset(
    {"section", "header", "divider", "context", "actions", "input", "image", "rich_text"}
    | {"markdown", "table"}
)
# Where each element type may appear (section accessory, actions block, input block).
ACCESSORY_ELEMENTS = frozenset({"button", "image", "overflow", "static_select", "users_select",
                                "radio_buttons"})
ACTIONS_ELEMENTS = frozenset({"button", "overflow", "static_select", "users_select",
                              "radio_buttons"})
INPUT_ELEMENTS = frozenset({"plain_text_input", "number_input", "static_select", "users_select",
                            "radio_buttons"})
# Options an element holds: (fewest, most).
OPTION_COUNTS = {"overflow": (2, 5), "radio_buttons": (1, 10), "static_select": (1, 100)}


def _too_long(value: Any, path: str, limit: int, out: list[str], *, required: bool = False) -> None:
    """Check an optional (or required) string field against a character limit."""
    if value is None:
        if required:
            out.append(f"{path}: required")
        return
    if not isinstance(value, str):
        out.append(f"{path}: must be a string, got {type(value).__name__}")
    elif len(value) > limit:
        out.append(f"{path}: {len(value)} characters, at most {limit}")


def _text(
    obj: Any, path: str, out: list[str], *, limit: int | None = None, plain: bool = False
) -> None:
    """Check a text composition object (plain_text or mrkdwn)."""
    if not isinstance(obj, dict):
        out.append(f"{path}: must be a text object, got {type(obj).__name__}")
        return
    kind = obj.get("type")
    if kind not in ("plain_text", "mrkdwn"):
        out.append(f"{path}.type: must be plain_text or mrkdwn, got {kind!r}")
    elif plain and kind != "plain_text":
        out.append(f"{path}.type: must be plain_text, got {kind}")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        out.append(f"{path}.text: must be a non-empty string")
    elif limit is not None and len(text) > limit:
        out.append(f"{path}.text: {len(text)} characters, at most {limit}")
    if kind == "plain_text" and "emoji" in obj and not isinstance(obj["emoji"], bool):
        out.append(f"{path}.emoji: must be a boolean")


def _bool(obj: dict[str, Any], key: str, path: str, out: list[str]) -> None:
    if key in obj and not isinstance(obj[key], bool):
        out.append(f"{path}.{key}: must be a boolean")


def _count(items: Any, path: str, low: int, high: int, out: list[str]) -> list[Any]:
    """Check a list's length is within [low, high]; return it (or [] if not a list)."""
    if not isinstance(items, list):
        out.append(f"{path}: must be a list")
        return []
    if not low <= len(items) <= high:
        out.append(f"{path}: {len(items)} items, must be between {low} and {high}")
    return items


def _number(value: Any, path: str, decimals: bool, out: list[str]) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, str):
        out.append(f"{path}: must be a string, got {type(value).__name__}")
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        out.append(f"{path}: {value!r} is not a number")
        return None
    if not number.is_finite():
        out.append(f"{path}: {value!r} is not a finite number")
        return None
    if not decimals and number != number.to_integral_value():
        out.append(f"{path}: {value!r} is not an integer but is_decimal_allowed is false")
    return number


def _options(el: dict[str, Any], path: str, out: list[str]) -> list[Any]:
    low, high = OPTION_COUNTS[el["type"]]
    options = _count(el.get("options"), f"{path}.options", low, high, out)
    for i, opt in enumerate(options):
        here = f"{path}.options[{i}]"
        if not isinstance(opt, dict):
            out.append(f"{here}: must be an option object")
            continue
        _text(opt.get("text"), f"{here}.text", out, limit=75, plain=True)
        _too_long(opt.get("value"), f"{here}.value", 150, out, required=True)
    return options


def check_element(el: Any, path: str, allowed: frozenset[str]) -> list[str]:
    """Check one block element that sits where only `allowed` element types may go."""
    out: list[str] = []
    if not isinstance(el, dict):
        return [f"{path}: must be an object"]
    kind = el.get("type")
    if kind not in allowed:
        return [f"{path}.type: {kind!r} is not allowed here (allowed: {sorted(allowed)})"]
    if kind != "image":
        _too_long(el.get("action_id"), f"{path}.action_id", 255, out)
    if "placeholder" in el:
        _text(el["placeholder"], f"{path}.placeholder", out, limit=150, plain=True)
    if kind == "button":
        _text(el.get("text"), f"{path}.text", out, limit=75, plain=True)
        _too_long(el.get("value"), f"{path}.value", 2000, out)
        _too_long(el.get("url"), f"{path}.url", 3000, out)
        if "style" in el and el["style"] not in ("primary", "danger"):
            out.append(f"{path}.style: must be primary or danger, got {el['style']!r}")
    elif kind == "plain_text_input":
        _bool(el, "multiline", path, out)
        bounds: dict[str, int] = {}
        for key, least in (("min_length", 0), ("max_length", 1)):
            if key in el:
                value = el[key]
                if isinstance(value, bool) or not isinstance(value, int):
                    out.append(f"{path}.{key}: must be an integer")
                elif not least <= value <= 3000:
                    out.append(f"{path}.{key}: {value}, must be between {least} and 3000")
                else:
                    bounds[key] = value
        if bounds.get("min_length", 0) > bounds.get("max_length", 3000):
            out.append(f"{path}: min_length is greater than max_length")
        _too_long(el.get("initial_value"), f"{path}.initial_value", 3000, out)
    elif kind == "number_input":
        decimals = el.get("is_decimal_allowed")
        if not isinstance(decimals, bool):
            out.append(f"{path}.is_decimal_allowed: required boolean")
            decimals = True
        low = _number(el.get("min_value"), f"{path}.min_value", decimals, out)
        high = _number(el.get("max_value"), f"{path}.max_value", decimals, out)
        initial = _number(el.get("initial_value"), f"{path}.initial_value", decimals, out)
        if low is not None and high is not None and low > high:
            out.append(f"{path}: min_value {low} is greater than max_value {high}")
        if initial is not None and (
            (low is not None and initial < low) or (high is not None and initial > high)
        ):
            out.append(f"{path}.initial_value: {initial} is outside min_value/max_value")
    elif kind in OPTION_COUNTS:
        options = _options(el, path, out)
        initial_option = el.get("initial_option")
        if kind != "overflow" and initial_option is not None and initial_option not in options:
            out.append(f"{path}.initial_option: must be one of the options")
    elif kind == "users_select" and "initial_user" in el:
        _too_long(el["initial_user"], f"{path}.initial_user", 255, out, required=True)
    elif kind == "image":
        _too_long(el.get("image_url"), f"{path}.image_url", 3000, out, required=True)
        _too_long(el.get("alt_text"), f"{path}.alt_text", 2000, out, required=True)
    return out


def _check_block(block: dict[str, Any], path: str, surface: Surface, out: list[str]) -> None:
    kind = block.get("type")
    if kind == "section":
        if "text" not in block and "fields" not in block:
            out.append(f"{path}: section needs text or fields")
        if "text" in block:
            _text(block["text"], f"{path}.text", out, limit=3000)
        if "fields" in block:
            for i, field in enumerate(_count(block["fields"], f"{path}.fields", 1, 10, out)):
                _text(field, f"{path}.fields[{i}]", out, limit=2000)
        if "accessory" in block:
            out += check_element(block["accessory"], f"{path}.accessory", ACCESSORY_ELEMENTS)
    elif kind == "header":
        _text(block.get("text"), f"{path}.text", out, limit=150, plain=True)
    elif kind == "context":
        for i, el in enumerate(_count(block.get("elements"), f"{path}.elements", 1, 10, out)):
            here = f"{path}.elements[{i}]"
            if isinstance(el, dict) and el.get("type") == "image":
                out += check_element(el, here, frozenset({"image"}))
            else:
                _text(el, here, out)
    elif kind == "actions":
        elements = _count(block.get("elements"), f"{path}.elements", 1, 25, out)
        seen: set[str] = set()
        for i, el in enumerate(elements):
            out += check_element(el, f"{path}.elements[{i}]", ACTIONS_ELEMENTS)
            action_id = el.get("action_id") if isinstance(el, dict) else None
            if isinstance(action_id, str):
                if action_id in seen:
                    out.append(f"{path}.elements[{i}].action_id: duplicate {action_id!r}")
                seen.add(action_id)
    elif kind == "input":
        if surface == "message":
            out.append(f"{path}: input blocks are not allowed in messages")
        _text(block.get("label"), f"{path}.label", out, limit=2000, plain=True)
        if "hint" in block:
            _text(block["hint"], f"{path}.hint", out, limit=2000, plain=True)
        _bool(block, "optional", path, out)
        _bool(block, "dispatch_action", path, out)
        if "element" not in block:
            out.append(f"{path}.element: required")
        else:
            out += check_element(block["element"], f"{path}.element", INPUT_ELEMENTS)
    elif kind == "image":
        _too_long(block.get("image_url"), f"{path}.image_url", 3000, out, required=True)
        _too_long(block.get("alt_text"), f"{path}.alt_text", 2000, out, required=True)
        if "title" in block:
            _text(block["title"], f"{path}.title", out, limit=2000, plain=True)
    elif kind == "rich_text":
        _count(block.get("elements"), f"{path}.elements", 1, 10_000, out)
    elif kind == "markdown":
        if surface != "message":
            out.append(f"{path}: markdown blocks are only allowed in messages")
        text = block.get("text")
        if not isinstance(text, str) or not text:
            out.append(f"{path}.text: must be a non-empty string")
        else:
            _too_long(text, f"{path}.text", 12_000, out)
    elif kind == "table":
        # Slack lists the table block for Messages and Home tabs only.
        if surface == "modal":
            out.append(f"{path}: table blocks are not allowed in modals")
        out += check_table(block, path)


def check_blocks(blocks: Any, surface: Surface, path: str = "blocks") -> list[str]:
    """Check a surface's blocks array: count, block types, block_ids and every element."""
    out: list[str] = []
    if not isinstance(blocks, list):
        return [f"{path}: must be a list, got {type(blocks).__name__}"]
    limit = MAX_BLOCKS[surface]
    if len(blocks) > limit:
        out.append(f"{path}: {len(blocks)} blocks, at most {limit} in a {surface}")
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        here = f"{path}[{i}]"
        if not isinstance(block, dict):
            out.append(f"{here}: must be an object")
            continue
        if block.get("type") not in BLOCK_TYPES:
            out.append(f"{here}.type: unknown block type {block.get('type')!r}")
            continue
        block_id = block.get("block_id")
        _too_long(block_id, f"{here}.block_id", 255, out)
        if isinstance(block_id, str):
            if block_id in block_ids:
                out.append(f"{here}.block_id: duplicate {block_id!r}")
            block_ids.add(block_id)
        _check_block(block, here, surface, out)
    if surface == "message":
        out += check_one_table(blocks, path)
    return out


def check_message(payload: dict[str, Any]) -> list[str]:
    """Check a message payload (chat.postMessage / chat.update / chat.postEphemeral)."""
    out: list[str] = []
    text = payload.get("text")
    _too_long(text, "text", 40_000, out)
    if "blocks" in payload and payload["blocks"] is not None:
        out += check_blocks(payload["blocks"], "message")
        if not isinstance(text, str) or not text.strip():
            out.append("text: a message with blocks needs a non-empty fallback text")
    return out


def check_view(view: Any) -> list[str]:
    """Check a modal or home view (views.open / push / update / publish)."""
    if not isinstance(view, dict):
        return [f"view: must be an object, got {type(view).__name__}"]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return [f"type: must be modal or home, got {kind!r}"]
    out = check_blocks(view.get("blocks"), kind)
    if kind == "modal":
        _text(view.get("title"), "title", out, limit=24, plain=True)
        has_input = any(
            isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or []
        )
        if has_input and "submit" not in view:
            out.append("submit: required in a modal with input blocks")
    for key in ("submit", "close"):
        if key in view:
            _text(view[key], key, out, limit=24, plain=True)
    _too_long(view.get("private_metadata"), "private_metadata", 3000, out)
    _too_long(view.get("callback_id"), "callback_id", 255, out)
    _too_long(view.get("external_id"), "external_id", 255, out)
    for key in ("clear_on_close", "notify_on_close", "submit_disabled"):
        _bool(view, key, "view", out)
    return out
