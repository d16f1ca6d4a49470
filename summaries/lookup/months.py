"""Months as a person types them after ``/kpi`` or ``/checkin``: ``2026-10`` in any language,
and as Chinese writes them: ``2026年10月``, ``10月`` or ``十月`` (the latest October not after
this month), ``本月`` and ``上月`` (or ``上个月``). Words are folded first, so full-width digits
and dashes count."""

from __future__ import annotations

import re

from summaries.periods import Month
from summaries.textfold import fold

_NUMBER = r"\d{1,2}|十[一二]?|[一二三四五六七八九]"
ISO = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR_MONTH = re.compile(rf"(\d{{4}})年({_NUMBER})月份?")
_MONTH_ONLY = re.compile(rf"({_NUMBER})月份?")
_YEAR = re.compile(r"\d{4}年")
# Months named from this one: this month, last month.
RELATIVE = {"本月": 0, "这个月": 0, "当月": 0, "上月": -1, "上个月": -1}
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
             "十": 10, "十一": 11, "十二": 12}


def is_month_word(word: str) -> bool:
    """Whether ``word`` is written as a month (a valid one or not: ``2026-13`` is a month
    badly written, which the caller says, not a name)."""
    folded = fold(word)
    return folded in RELATIVE or any(
        pattern.fullmatch(folded) for pattern in (ISO, _YEAR_MONTH, _MONTH_ONLY))


def needs_year(word: str) -> bool:
    """Whether ``word`` is a month without its year (``10月``), which a year typed apart
    before it (``2026年 10月``) completes."""
    return _MONTH_ONLY.fullmatch(fold(word)) is not None


def is_year_word(word: str) -> bool:
    return _YEAR.fullmatch(fold(word)) is not None


def month_of(word: str, today: Month) -> Month:
    """The month ``word`` names, counting from ``today`` where it names no year; ValueError
    when it is no month (``2026-13``, ``13月``)."""
    folded = fold(word)
    if folded in RELATIVE:
        return today.shift(RELATIVE[folded])
    if ISO.fullmatch(folded):
        return Month.parse(folded)
    found = _YEAR_MONTH.fullmatch(folded)
    if found is not None:
        year, number = int(found.group(1)), _number(found.group(2))
    else:
        alone = _MONTH_ONLY.fullmatch(folded)
        if alone is None:
            raise ValueError(f"not a month: {word[:40]!r}")
        number = _number(alone.group(1))
        year = today.year if number <= today.month else today.year - 1
    if not 1 <= number <= 12:
        raise ValueError(f"not a month: {word[:40]!r}")
    return Month(year, number)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMERALS[text]
