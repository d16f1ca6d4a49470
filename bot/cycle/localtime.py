"""Each manager's own time zone, as Slack knows it (``users.info``), for ``schedule.local_time``.

Looked up through the process's Web API client (so it follows ``SLACK_API_URL``) and kept in
memory for a while: the scheduler asks on every pass, and a person's zone changes rarely. A
lookup that fails, or a zone Python does not know, falls back to the organization's zone for
a shorter while, so a Slack outage neither stops the cycle nor is asked about on every pass.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps

log = logging.getLogger(__name__)

ZONE_TTL = 6 * 3600.0  # seconds a zone Slack gave is trusted
FALLBACK_TTL = 300.0  # seconds before a failed lookup is tried again


class ZoneBook:
    """Users' time zones by id, each kept for ``ttl`` seconds (``fallback_ttl`` if guessed)."""

    def __init__(self, client: WebClient, *, ttl: float = ZONE_TTL,
                 fallback_ttl: float = FALLBACK_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client, self.ttl, self.fallback_ttl, self.clock = client, ttl, fallback_ttl, clock
        self._known: dict[str, tuple[str | None, float]] = {}
        self._lock = threading.Lock()

    def zone(self, user: str, fallback: str) -> str:
        """``user``'s IANA zone, or ``fallback`` when Slack does not say (or cannot be asked)."""
        now = self.clock()
        with self._lock:
            found = self._known.get(user)
        if found is None or found[1] <= now:
            zone = self._ask(user)
            found = (zone, now + (self.ttl if zone is not None else self.fallback_ttl))
            with self._lock:
                self._known[user] = found
        return found[0] or fallback

    def _ask(self, user: str) -> str | None:
        try:
            answer = self.client.users_info(user=user)
        except SlackApiError as exc:
            log.warning("users.info for %s failed: %s", user, exc.response.get("error"))
            return None
        except Exception as exc:  # a timeout, a refused connection: the cycle goes on
            log.warning("users.info for %s failed: %s", user, type(exc).__name__)
            return None
        profile = answer.get("user")
        zone = profile.get("tz") if isinstance(profile, dict) else None
        if not isinstance(zone, str) or not _known_zone(zone):
            log.info("users.info gave no usable time zone for %s", user)
            return None
        return zone


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# One book per Web API client, so the cache lives and dies with the process's dependencies
# (a restart starts from nothing, as a new process would).
_BOOKS: weakref.WeakKeyDictionary[WebClient, ZoneBook] = weakref.WeakKeyDictionary()
_BOOKS_LOCK = threading.Lock()


def zone_book(deps: Deps) -> ZoneBook:
    """The time-zone cache of ``deps``' Web API client."""
    with _BOOKS_LOCK:
        book = _BOOKS.get(deps.client)
        if book is None:
            book = _BOOKS[deps.client] = ZoneBook(deps.client)
        return book


def reader_zone(deps: Deps, user: str) -> str:
    """The zone a message to ``user`` is written in: theirs with ``schedule.local_time``,
    else the organization's (no lookup at all)."""
    organization = deps.config.organization.timezone
    if not deps.config.schedule.local_time:
        return organization
    return zone_book(deps).zone(user, organization)


def zones_of(deps: Deps, users: Iterable[str]) -> dict[str, str]:
    """Each of ``users``' zones (see :func:`reader_zone`)."""
    return {user: reader_zone(deps, user) for user in dict.fromkeys(users)}
