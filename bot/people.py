"""What Slack knows about a person that changes how we write to them: their time zone and
their language (``users.info`` with ``include_locale``).

Looked up through the process's Web API client (so it follows ``SLACK_API_URL``) and kept in
memory for a while: the scheduler asks on every pass and every request asks for its reader,
and a person's settings change rarely. A lookup that fails, or a zone Python does not know,
falls back to the organization's for a shorter while, so a Slack outage neither stops the
cycle nor is asked about on every request.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from summaries.i18n import reader_locale

log = logging.getLogger(__name__)

PROFILE_TTL = 6 * 3600.0  # seconds what Slack said is trusted
FALLBACK_TTL = 300.0  # seconds before a failed lookup is tried again


@dataclass(frozen=True)
class Person:
    """A person's IANA time zone and Slack locale (``zh-CN``), each None when unknown."""

    zone: str | None = None
    locale: str | None = None


class PeopleBook:
    """People by user id, each kept for ``ttl`` seconds (``fallback_ttl`` if nothing usable)."""

    def __init__(self, client: WebClient, *, ttl: float = PROFILE_TTL,
                 fallback_ttl: float = FALLBACK_TTL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client, self.ttl, self.fallback_ttl, self.clock = client, ttl, fallback_ttl, clock
        self._known: dict[str, tuple[Person, float]] = {}
        self._lock = threading.Lock()

    def person(self, user: str) -> Person:
        now = self.clock()
        with self._lock:
            found = self._known.get(user)
        if found is None or found[1] <= now:
            person = self._ask(user)
            usable = person.zone is not None or person.locale is not None
            found = (person, now + (self.ttl if usable else self.fallback_ttl))
            with self._lock:
                self._known[user] = found
        return found[0]

    def zone(self, user: str, fallback: str) -> str:
        """``user``'s IANA zone, or ``fallback`` when Slack does not say (or cannot be asked)."""
        return self.person(user).zone or fallback

    def _ask(self, user: str) -> Person:
        try:
            answer = self.client.users_info(user=user, include_locale=True)
        except SlackApiError as exc:
            log.warning("users.info for %s failed: %s", user, exc.response.get("error"))
            return Person()
        except Exception as exc:  # a timeout, a refused connection: the work goes on
            log.warning("users.info for %s failed: %s", user, type(exc).__name__)
            return Person()
        profile = answer.get("user")
        if not isinstance(profile, dict):
            return Person()
        zone, locale = profile.get("tz"), profile.get("locale")
        if not isinstance(zone, str) or not _known_zone(zone):
            log.info("users.info gave no usable time zone for %s", user)
            zone = None
        return Person(zone, locale if isinstance(locale, str) and locale else None)


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# One book per Web API client, so the cache lives and dies with the process's dependencies
# (a restart starts from nothing, as a new process would).
_BOOKS: weakref.WeakKeyDictionary[WebClient, PeopleBook] = weakref.WeakKeyDictionary()
_BOOKS_LOCK = threading.Lock()


def people_book(deps: Deps) -> PeopleBook:
    """The people cache of ``deps``' Web API client."""
    with _BOOKS_LOCK:
        book = _BOOKS.get(deps.client)
        if book is None:
            book = _BOOKS[deps.client] = PeopleBook(deps.client)
        return book


def reader_of(deps: Deps, user: str | None) -> str:
    """The locale ``user`` reads in (SPEC 11): their Slack locale where a catalogue ships for
    it, else the organization's; the organization's for no one in particular (a channel)."""
    organization = deps.config.organization.locale
    if not user:
        return organization
    return reader_locale(people_book(deps).person(user).locale, organization)
