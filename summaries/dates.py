"""Locale-aware display of months and moments (deadlines) for messages."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from babel.dates import format_skeleton, get_datetime_format

from summaries.formatting import babel_locale
from summaries.i18n import reading
from summaries.periods import Month


def format_month(month: Month, locale: str = "en") -> str:
    """A month as people write it: en ``October 2026``, de ``Oktober 2026``, zh ``2026年10月``
    (the reader's way inside :func:`summaries.i18n.speaking`)."""
    return _month(month, reading(locale))


@lru_cache(maxsize=512)
def _month(month: Month, locale: str) -> str:
    return format_skeleton("yMMMM", month.first_day(), locale=babel_locale(locale))


def format_moment(moment: datetime, locale: str = "en") -> str:
    """A moment in its own time zone, short: en ``Wed, Nov 4, 18:00``."""
    day = format_skeleton("MMMEd", moment, locale=babel_locale(locale))
    # The locale's own joint of a day and a time: en "Wed, Nov 4, 18:00", zh "11月4日周三 18:00".
    joint = get_datetime_format("medium", locale=babel_locale(locale))
    return str(joint).format(f"{moment:%H:%M}", day)


def format_day(moment: datetime, locale: str = "en") -> str:
    """A day, short: en ``Nov 4``."""
    return format_skeleton("MMMd", moment, locale=babel_locale(locale))
