"""The views.* Web API methods: modals (open, push, update) and App Home (publish)."""

from __future__ import annotations

import copy

from tests.slackstandin.blockkit import check_view
from tests.slackstandin.preserve import as_shown
from tests.slackstandin.state import (
    APP_ID,
    BOT_ID,
    TEAM_ID,
    Params,
    SlackError,
    SlackState,
    fill_ids,
    raise_if,
)


class ViewMethods(SlackState):
    """views.open, views.push, views.update and views.publish."""

    def _store_view(
        self, view: Params, view_id: str, user: str | None, root: str, previous: str | None
    ) -> Params:
        stored = copy.deepcopy(view)
        fill_ids(stored.get("blocks"))
        old_external = self.views.get(view_id, {}).get("external_id", "")
        stored.setdefault("external_id", old_external)
        owner = self.external_ids.get(stored["external_id"])
        if stored["external_id"] and owner not in (None, view_id):
            raise SlackError("duplicate_external_id")
        stored.update(id=view_id, team_id=TEAM_ID, app_id=APP_ID, bot_id=BOT_ID, hash=self._hash())
        stored.update(state={"values": {}}, root_view_id=root, previous_view_id=previous)
        for key, default in (("private_metadata", ""), ("callback_id", "")):
            stored.setdefault(key, default)
        stored.setdefault("clear_on_close", False)
        stored.setdefault("notify_on_close", False)
        if stored["external_id"]:
            self.external_ids[stored["external_id"]] = view_id
        self.views[view_id] = stored
        self.view_users[view_id] = user
        self.view_log.append((view_id, user))
        return {"view": copy.deepcopy(stored)}

    @staticmethod
    def _checked_modal(params: Params) -> Params:
        view = params.get("view")
        if not isinstance(view, dict):
            raise SlackError("invalid_arguments", detail="view is required")
        if view.get("type") != "modal":
            raise SlackError("invalid_arguments", detail="view.type must be modal")
        raise_if(check_view(view))
        return view

    def open_view(self, params: Params, *, push: bool = False) -> Params:
        """views.open"""
        view = self._checked_modal(params)
        user = self._use_trigger(params.get("trigger_id"))
        view_id = f"V{self._next():08d}"
        previous = next((v for v, u in reversed(self.view_log) if u == user), None)
        if push and user is not None and previous is not None:
            root = self.views[previous]["root_view_id"]
            return self._store_view(view, view_id, user, root, previous)
        return self._store_view(view, view_id, user, view_id, None)

    def push_view(self, params: Params) -> Params:
        """views.push"""
        return self.open_view(params, push=True)

    def update_view(self, params: Params) -> Params:
        """views.update"""
        view_id = params.get("view_id") or None
        if view_id is None and params.get("external_id"):
            view_id = self.external_ids.get(params["external_id"])
            if view_id is None:
                raise SlackError("not_found")
        if view_id is None:
            raise SlackError("invalid_arguments", detail="view_id or external_id is required")
        if view_id not in self.views:
            raise SlackError("not_found")
        if params.get("hash") and params["hash"] != self.views[view_id]["hash"]:
            raise SlackError("hash_conflict")
        view = as_shown(self._checked_modal(params), self.typed.pop(view_id, None))
        old = self.views[view_id]
        user = self.view_users.get(view_id)
        return self._store_view(view, view_id, user, old["root_view_id"], old["previous_view_id"])

    def publish_view(self, params: Params) -> Params:
        """views.publish"""
        user = params.get("user_id")
        view = params.get("view")
        if not isinstance(user, str) or not user:
            raise SlackError("invalid_arguments", detail="user_id is required")
        if not isinstance(view, dict) or view.get("type") != "home":
            raise SlackError("invalid_arguments", detail="view.type must be home")
        old = self.homes.get(user)
        if old is not None and params.get("hash") and params["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        raise_if(check_view(view))
        stored = copy.deepcopy(view)
        fill_ids(stored.get("blocks"))
        view_id = old["id"] if old is not None else f"V{self._next():08d}"
        stored.update(id=view_id, team_id=TEAM_ID, app_id=APP_ID, bot_id=BOT_ID, hash=self._hash())
        stored.setdefault("private_metadata", "")
        stored.setdefault("callback_id", "")
        stored.update(state={"values": {}}, root_view_id=view_id, previous_view_id=None)
        self.homes[user] = stored
        return {"view": copy.deepcopy(stored)}
