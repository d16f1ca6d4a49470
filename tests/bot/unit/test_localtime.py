"""Managers' time zones from users.info: cached for a while, and the organization's zone
whenever Slack cannot say; step offsets as the ledger names them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.cycle.timetable import offset_tag
from bot.people import PeopleBook


class FakeClient:
    """users.info answering from ``zones`` (a missing user: user_not_found; "down": raises)."""

    def __init__(self, zones: dict[str, Any]) -> None:
        self.zones, self.asked = zones, []  # type: list[str]

    def users_info(self, *, user: str, include_locale: bool = False) -> dict[str, Any]:
        self.asked.append(user)
        if self.zones.get(user) == "down":
            raise TimeoutError
        if user not in self.zones:
            raise SlackApiError("user_not_found", {"ok": False, "error": "user_not_found"})
        return {"ok": True, "user": {"id": user, "tz": self.zones[user]}}


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def book(zones: dict[str, Any]) -> tuple[PeopleBook, FakeClient, Ticks]:
    client, ticks = FakeClient(zones), Ticks()
    return PeopleBook(cast(WebClient, client), ttl=100, fallback_ttl=10, clock=ticks), client, ticks


def test_a_zone_is_asked_once_then_again_after_its_ttl() -> None:
    zones, client, ticks = book({"U1": "Europe/Berlin"})
    assert zones.zone("U1", "Asia/Shanghai") == "Europe/Berlin"
    ticks.now = 99
    assert zones.zone("U1", "Asia/Shanghai") == "Europe/Berlin"
    assert client.asked == ["U1"]
    client.zones["U1"] = "America/Chicago"  # they moved
    ticks.now = 100
    assert zones.zone("U1", "Asia/Shanghai") == "America/Chicago"
    assert client.asked == ["U1", "U1"]


@pytest.mark.parametrize("answer", [None, "down", "Mars/Olympus_Mons", "", 3600])
def test_without_a_usable_zone_the_fallback_is_used_and_asked_again_soon(
        answer: Any) -> None:
    zones, client, ticks = book({} if answer is None else {"U1": answer})
    assert zones.zone("U1", "Asia/Shanghai") == "Asia/Shanghai"
    ticks.now = 9
    assert zones.zone("U1", "Asia/Shanghai") == "Asia/Shanghai"
    assert len(client.asked) == 1
    ticks.now = 10
    zones.zone("U1", "Asia/Shanghai")
    assert len(client.asked) == 2


@pytest.mark.parametrize(("zone", "tag"), [
    ("Asia/Shanghai", "+0800"), ("Europe/Berlin", "+0100"), ("America/Caracas", "-0400"),
    ("Asia/Kathmandu", "+0545"), ("UTC", "+0000"), ("Pacific/Kiritimati", "+1400"),
])
def test_a_step_is_named_by_the_utc_offset_of_its_moment(zone: str, tag: str) -> None:
    assert offset_tag(datetime(2026, 10, 30, 9, 0, tzinfo=ZoneInfo(zone))) == tag


def test_summer_and_winter_are_different_offsets() -> None:
    assert offset_tag(datetime(2026, 7, 1, 9, tzinfo=ZoneInfo("Europe/Berlin"))) == "+0200"
    with pytest.raises(ValueError, match="aware"):
        offset_tag(datetime(2026, 7, 1, 9))
    assert offset_tag(datetime(2026, 7, 1, 9, tzinfo=UTC)) == "+0000"
