"""Which catalogues ship, how a locale tag finds one, and loading them (compiled ``.mo``)."""

from __future__ import annotations

from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import Translations

DIRECTORY = Path(__file__).parent / "locales"
DOMAIN = "messages"
# The languages with a complete catalogue. English is the source language: its catalogue holds
# every message with an empty translation, so gettext answers with the message itself.
LANGUAGES = ("en", "zh_Hans")
# Chinese written in Traditional characters has no catalogue yet; these regions write it.
_TRADITIONAL = frozenset({"TW", "HK", "MO"})


@lru_cache(maxsize=64)
def language_of(tag: str | None) -> str | None:
    """The shipped catalogue for a locale tag, or None: Slack's ``zh-CN`` and ``en-US``, the
    configuration's ``zh`` and ``en``, CLDR's ``zh_Hans_CN`` all find theirs; ``zh-TW``, ``de``
    and nonsense find none."""
    if not tag:
        return None
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    if locale.language == "en":
        return "en"
    if locale.language == "zh":
        traditional = locale.script == "Hant" or (
            locale.script is None and locale.territory in _TRADITIONAL)
        return None if traditional else "zh_Hans"
    return None


@lru_cache(maxsize=len(LANGUAGES) + 1)
def translations(language: str) -> NullTranslations:
    """The compiled catalogue of a shipped ``language``; English falls back to the messages."""
    path = DIRECTORY / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if language not in LANGUAGES or not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        return Translations(handle, domain=DOMAIN)
