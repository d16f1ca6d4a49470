"""The Slack app manifest in deploy/ matches what the code listens to and the calls it makes."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_sdk import WebClient
from slack_sdk.web.base_client import BaseClient

from bot.ids import OPEN_ACTION
from bot.listeners.commands import COMMANDS
from bot.listeners.events import EVENTS
from bot.server import EVENTS_PATH
from tests.support.botkit import Bot

ROOT = Path(__file__).parents[3]
MANIFEST = ROOT / "deploy" / "slack-manifest.yml"
BOT = ROOT / "bot"

# The bot scopes each Web API method needs, as the bot uses it. Methods that read or open a
# conversation need the scope of every kind the bot talks in: direct messages with managers,
# and the leadership channel, public or private (never a group DM, so no mpim:*).
HISTORY = frozenset({"im:history", "channels:history", "groups:history"})
SCOPES_NEEDED: dict[str, frozenset[str]] = {
    "chat.postMessage": frozenset({"chat:write"}),
    "chat.update": frozenset({"chat:write"}),
    "chat.delete": frozenset({"chat:write"}),
    "chat.postEphemeral": frozenset({"chat:write"}),
    "conversations.open": frozenset({"im:write"}),  # only ever a DM with one person
    "conversations.history": HISTORY,
    "conversations.replies": HISTORY,
    # The SDK's upload: files.getUploadURLExternal, then files.completeUploadExternal.
    "files.upload_v2": frozenset({"files:write"}),
    "files.getUploadURLExternal": frozenset({"files:write"}),
    "files.completeUploadExternal": frozenset({"files:write"}),
    # A manager's spreadsheet of figures: its details, then its bytes with the same token.
    "files.info": frozenset({"files:read"}),
    "users.info": frozenset({"users:read"}),
    "views.open": frozenset(),
    "views.update": frozenset(),
    "views.push": frozenset(),
    "views.publish": frozenset(),
}
# What the bot is known to call today: a floor, so a scan that finds nothing cannot pass.
KNOWN_CALLS = {"chat.postMessage", "chat.update", "conversations.open", "conversations.history",
               "conversations.replies", "files.upload_v2", "files.info", "views.open",
               "views.update", "views.publish"}
# The WebClient's own Web API methods (chat_postMessage, files_upload_v2, ...).
SDK_METHODS = frozenset(name for name in set(dir(WebClient)) - set(dir(BaseClient))
                        if not name.startswith("_") and "_" in name)


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def manifest_commands(manifest: dict[str, Any]) -> list[str]:
    return [c["command"] for c in manifest["features"].get("slash_commands") or []]


def manifest_events(manifest: dict[str, Any]) -> list[str]:
    return list(manifest["settings"]["event_subscriptions"].get("bot_events") or [])


# --- the manifest against the code's declarations ------------------------------------------


def test_the_manifest_is_slacks_format_version_1(manifest: dict[str, Any]) -> None:
    assert manifest["_metadata"]["major_version"] == 1
    assert manifest["display_information"]["name"]
    assert len(manifest["display_information"]["description"]) <= 140  # Slack's limit


def test_slash_commands_are_exactly_those_the_app_answers(manifest: dict[str, Any]) -> None:
    assert sorted(manifest_commands(manifest)) == sorted(COMMANDS)
    for command in manifest["features"]["slash_commands"]:
        assert command["description"], command
        assert command["usage_hint"], command
        assert command["should_escape"] is False, command


def test_bot_events_are_exactly_those_the_app_subscribes_to(manifest: dict[str, Any]) -> None:
    assert sorted(manifest_events(manifest)) == sorted(EVENTS)


def test_every_url_is_the_apps_one_path(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    urls = [c["url"] for c in manifest["features"]["slash_commands"]]
    urls += [settings["event_subscriptions"]["request_url"],
             settings["interactivity"]["request_url"]]
    for url in urls:
        assert url.startswith("https://"), url
        assert url.endswith(EVENTS_PATH), url
    assert settings["interactivity"]["is_enabled"] is True


def test_app_home_has_its_tabs(manifest: dict[str, Any]) -> None:
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] is True
    assert home["messages_tab_enabled"] is True  # the bot's DMs show there


# --- the manifest against the running app ---------------------------------------------------


def test_every_manifest_command_reaches_a_listener(bot: Bot, manifest: dict[str, Any]) -> None:
    for command in manifest_commands(manifest):
        reply = bot.driver.command("U0OPS", command, "help")
        assert reply.status == 200, (command, reply.status, reply.body)
    # Bolt answers 404 when no listener matched: the probe above can fail.
    assert bot.driver.command("U0OPS", "/nope", "help").status == 404


def test_every_manifest_event_reaches_a_listener(bot: Bot, manifest: dict[str, Any]) -> None:
    events = manifest_events(manifest)
    for name in events:
        reply = bot.driver.event({"type": name, "user": "U0OPS", "tab": "home"})
        assert reply.status == 200, (name, reply.status, reply.body)
    if "app_home_opened" in events:
        bot.slack.wait_for("views.publish")  # its work done before the test ends
    unsubscribed = bot.driver.event({"type": "reaction_added", "user": "U0OPS"})
    assert unsubscribed.status == 404


def test_interactivity_reaches_a_listener(bot: Bot) -> None:
    reply = bot.driver.block_action("U0EAST", OPEN_ACTION, "not-a-period")
    assert reply.status == 200, reply.body
    bot.slack.wait_for("views.open")  # the "not one of ours" notice
    assert bot.driver.block_action("U0EAST", "nobody_handles_this", "x").status == 404


# --- scopes: what the code calls ------------------------------------------------------------


def test_bot_scopes_are_exactly_what_the_calls_need(manifest: dict[str, Any]) -> None:
    called = methods_called(sources(BOT))
    unknown = sorted(called - set(SCOPES_NEEDED))
    assert not unknown, (f"bot/ calls {unknown}: add them to SCOPES_NEEDED in this test with "
                         "the bot scopes they need, and those scopes to the manifest")
    needed = set().union(*(SCOPES_NEEDED[m] for m in called))
    if manifest_commands(manifest):
        needed.add("commands")
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert len(scopes) == len(set(scopes))
    assert sorted(scopes) == sorted(needed), (
        f"not needed by any call: {sorted(set(scopes) - needed)}; "
        f"missing: {sorted(needed - set(scopes))}")


def test_the_scan_finds_the_calls_the_bot_is_known_to_make() -> None:
    assert methods_called(sources(BOT)) >= KNOWN_CALLS


def test_the_scan_sees_each_way_a_method_is_named() -> None:
    code = {
        "a.py": 'UPLOAD = "files.upload_v2"\n'
                'def post(key, payload, method="chat.postMessage"):\n    pass\n'
                'def update(key):\n    return post(key, {}, "chat.update")\n',
        "b.py": 'from a import UPLOAD, post\n'
                'def go(client, poster):\n'
                '    poster.api_call("conversations.open", json={})\n'
                '    client.views_publish(user_id="U1", view={})\n'
                '    post("k", {}, method=UPLOAD)\n'
                '    request(url, method="POST")\n',
    }
    assert methods_called(code) == {"files.upload_v2", "chat.postMessage", "chat.update",
                                    "conversations.open", "views.publish"}


def sources(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*.py"))}


def methods_called(code: dict[str, str]) -> set[str]:
    """The Web API methods named in ``code`` (file name to source): literals passed to
    ``api_call``, to a ``method`` parameter (outbox rows) or as its default, and SDK calls."""
    trees = [ast.parse(text, filename=name) for name, text in code.items()]
    constants = _string_constants(trees)
    positions, defaults = _method_parameters(trees)

    def named(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return constants.get(node.id)
        return None

    found = set(defaults)
    for tree in trees:
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            callee = _callee(call.func)
            if callee == "api_call" and call.args:
                found.add(named(call.args[0]) or "")
            if callee in SDK_METHODS and isinstance(call.func, ast.Attribute):
                family, _, rest = callee.partition("_")
                found.add(f"{family}.{rest}")
            for keyword in call.keywords:
                if keyword.arg == "method":
                    found.add(named(keyword.value) or "")
            position = positions.get(callee or "")
            if position is not None and position < len(call.args):
                found.add(named(call.args[position]) or "")
    # Keep what looks like a Web API method (family.name), not "POST" or unresolved names.
    return {m for m in found if "." in m and m.split(".", 1)[0].isalpha()}


def _callee(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _string_constants(trees: Iterable[ast.Module]) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments (such as ``UPLOAD = "files.upload_v2"``)."""
    found = {}
    for tree in trees:
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)):
                found[node.targets[0].id] = node.value.value
    return found


def _method_parameters(trees: Iterable[ast.Module]) -> tuple[dict[str, int], set[str]]:
    """Functions and dataclasses with a ``method`` parameter: its position by callee name, and
    the string defaults it has (used by every call that leaves it out)."""
    positions: dict[str, int] = {}
    defaults: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args.posonlyargs + node.args.args
                names = [a.arg for a in args if a.arg not in ("self", "cls")]
                padded = [None] * (len(args) - len(node.args.defaults)) + node.args.defaults
                for arg, default in zip(args, padded, strict=True):
                    if arg.arg == "method" and isinstance(default, ast.Constant):
                        defaults.add(str(default.value))
                for arg, default in zip(node.args.kwonlyargs, node.args.kw_defaults,
                                        strict=True):
                    if arg.arg == "method" and isinstance(default, ast.Constant):
                        defaults.add(str(default.value))
                if "method" in names:
                    positions[node.name] = names.index("method")
            elif isinstance(node, ast.ClassDef):  # a dataclass: fields in order
                fields = [f for f in node.body if isinstance(f, ast.AnnAssign)
                          and isinstance(f.target, ast.Name)]
                names = [f.target.id for f in fields if isinstance(f.target, ast.Name)]
                for item in fields:
                    if (isinstance(item.target, ast.Name) and item.target.id == "method"
                            and isinstance(item.value, ast.Constant)):
                        defaults.add(str(item.value.value))
                if "method" in names:
                    positions[node.name] = names.index("method")
    return positions, defaults
