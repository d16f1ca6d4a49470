"""What Slack keeps of an open modal when the app replaces it (views.update, or a submission
answered with ``response_action: update``): an input whose ``block_id`` and ``action_id`` are
the same in the new view keeps what the person had in it, and the new view's initial value is
not shown. An app that wants to show new values must change one of the two ids."""

from __future__ import annotations

import copy
from typing import Any

from tests.slackstandin.elements import CHOOSERS

Typed = dict[tuple[str, str], Any]  # (block_id, action_id) -> the input's state entry


def typed_in(view: dict[str, Any]) -> Typed:
    """What each input of a submitted ``view`` holds, from its ``state``."""
    found: Typed = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for action_id, entry in (actions or {}).items():
            found[(block_id, action_id)] = entry
    return found


def as_shown(view: dict[str, Any], typed: Typed | None) -> dict[str, Any]:
    """``view`` as the person sees it: inputs kept from the view it replaced show what they
    held (an emptied one shows nothing) instead of their initial value."""
    if not typed:
        return view
    shown = copy.deepcopy(view)
    for block in shown.get("blocks") or []:
        element = block.get("element") if block.get("type") == "input" else None
        if not isinstance(element, dict):
            continue
        entry = typed.get((block.get("block_id"), element.get("action_id")))
        if entry is None:
            continue
        for key in ("initial_value", "initial_option", "initial_user"):
            element.pop(key, None)
        if element.get("type") in CHOOSERS and entry.get("selected_option"):
            element["initial_option"] = entry["selected_option"]
        elif entry.get("selected_user"):
            element["initial_user"] = entry["selected_user"]
        elif entry.get("value"):
            element["initial_value"] = entry["value"]
    return shown
