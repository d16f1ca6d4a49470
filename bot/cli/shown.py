"""Values a command-line sentence shows two ways: as code writes them, or as a reader says them.

The English command line names a month ``2026-10`` and a department ``east-county``: what its
commands take. A translation may ask for the reader's words instead with ``{period:words}``
(``2026年10月``, ``东城区分公司``), since a key or an ISO month means little in Chinese prose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from summaries.i18n import pgettext

if TYPE_CHECKING:
    from summaries.config.schema import Config
    from summaries.periods import Month

WORDS = "words"  # the format spec a translation writes to show the reader's words


@dataclass(frozen=True)
class Shown:
    """``{value}`` gives ``code``; ``{value:words}`` gives ``words``."""

    code: str
    words: str

    def __str__(self) -> str:
        return self.code

    def __format__(self, spec: str) -> str:
        return self.words if spec == WORDS else format(self.code, spec)


def shown_month(month: Month, locale: str) -> Shown:
    """``2026-10``, or the month as the reader writes it (``October 2026``, ``2026年10月``)."""
    from summaries.dates import format_month

    return Shown(str(month), format_month(month, locale))


def shown_zone(timezone: str, locale: str, moment: datetime) -> Shown:
    """``Asia/Shanghai``, or the zone's name at ``moment`` (``中国标准时间``)."""
    from babel.dates import get_timezone_name

    from summaries.formatting import babel_locale

    zone = ZoneInfo(timezone)
    return Shown(timezone, get_timezone_name(moment.astimezone(zone), "long",
                                             locale=babel_locale(locale)))


def shown_department(config: Config, key: str) -> Shown:
    """The department's key, or its name."""
    department = config.department_by_key.get(key)
    return Shown(key, department.name if department is not None else key)


def shown_departments(config: Config, keys: Iterable[str]) -> Shown:
    """Departments listed: their keys, or their names, each list as the language writes one."""
    found = [shown_department(config, key) for key in keys]
    return Shown(", ".join(d.code for d in found),
                 pgettext("list separator", ", ").join(d.words for d in found))
