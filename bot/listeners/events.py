"""Events: App Home opened."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.deps import Deps
from bot.home import publish_home


def register(app: App, deps: Deps) -> None:
    """Listen for the events the app subscribes to."""

    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home":
            publish_home(deps, event["user"])
