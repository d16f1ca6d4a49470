"""Figures as managers write them in the form: ``4,993,120``, ``4 993 120``, ``499.31万``,
``1.2亿``, ``3.4%``, read by the organization's locale (``4.993.120,5`` in German). Chinese
input conventions too: full-width digits, separators and signs (read as their ASCII forms),
and the units 千, 万, 百万, 千万 and 亿.

Slack's number input refuses all of these, so the form takes text and this module reads it.
Anything that could mean two numbers (``1,5`` in English, misplaced groups) is refused with a
message saying what to write, never guessed: a wrong figure in the digest costs more than a
second try. Bounds are those of :mod:`summaries.numbers`, shared with every other way in.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

from summaries.i18n import _
from summaries.numbers import MAX_CHARS, OutOfBounds, check_bounds

# Chinese large-number units, traditional forms too: what 499.31万 multiplies by. 百万 and 千万
# are one unit each (as in 百万元); 万亿 is two, refused like any unit typed twice.
UNITS = {"千": Decimal(10) ** 3, "万": Decimal(10) ** 4, "萬": Decimal(10) ** 4,
         "百万": Decimal(10) ** 6, "百萬": Decimal(10) ** 6,
         "千万": Decimal(10) ** 7, "千萬": Decimal(10) ** 7,
         "亿": Decimal(10) ** 8, "億": Decimal(10) ** 8}
# Longest first, so 千万 is read as one unit rather than 万 after 千.
_SUFFIXES = ("%", *sorted(UNITS, key=len, reverse=True))
_MINUS = "-\u2212"  # ASCII hyphen-minus and the minus sign Babel and Excel write
_SPACES = re.compile(r"\s+")


class FigureWordsError(ValueError):
    """A figure as typed that is not one number: the message says what to write instead."""


class NotANumber(FigureWordsError):
    """Text that is no number at all (``lots``, ``1E5``, ``NaN``), as opposed to one written
    in a way that could mean two (``1,5``): the form answers with an example instead."""


def parse_figure(text: str, locale: str = "en", *, percent: bool = False) -> Decimal:
    """The number ``text`` means in ``locale``: groups of thousands by the locale's symbol or
    spaces, its decimal mark, one trailing unit (千, 万, 百万, 千万 or 亿; ``%`` for a
    percentage KPI, whose figures are stored in points, so ``3.4%`` is 3.4). Raise
    :class:`FigureWordsError` (a ValueError) saying what is wrong, or :class:`OutOfBounds` when
    the column cannot hold it."""
    if len(text) > MAX_CHARS:
        raise OutOfBounds(_("too long for a number: {start}\u2026 ({count} characters)",
                            start=repr(text[:24]), count=format(len(text), ",")))
    # Full-width digits and signs become ASCII; no-break and narrow spaces become spaces.
    body = unicodedata.normalize("NFKC", text).strip()
    body, units = _peel_units(body, text)
    negative = body[:1] in _MINUS
    body = body[1:].lstrip() if negative or body[:1] == "+" else body
    _check_units(units, text, percent)
    value = _read_digits(body, text, locale)
    for unit in units:
        value *= UNITS.get(unit, Decimal(1))
    return _plain(check_bounds(-value if negative else value, text)) + 0  # -0 is 0


def input_text(value: Decimal, locale: str = "en") -> str:
    """A stored figure as the form shows it to be typed over: the locale's decimal mark, no
    group separators, no exponent (``97,5`` in German), so it reads back as the same value."""
    text = format(_plain(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", get_decimal_symbol(locale))


def _peel_units(body: str, shown: str) -> tuple[str, list[str]]:
    """The text without its trailing units (``%``, 万, 千万, 亿, ...), and those units, last
    first."""
    units: list[str] = []
    while body:
        unit = next((u for u in _SUFFIXES if body.endswith(u)), None)
        if unit is None:
            break
        units.append(unit)
        body = body[:-len(unit)].rstrip()
    if not body:
        raise NotANumber(_not_a_number(shown))
    return body, units


def _not_a_number(shown: str) -> str:
    return _("not a number: {text}", text=repr(shown))


def _check_units(units: list[str], shown: str, percent: bool) -> None:
    if len(units) > 1:
        raise FigureWordsError(_("two units in {text}: write one number, such as 499.31万 or "
                                 "4993100", text=repr(shown)))
    if units == ["%"] and not percent:
        raise FigureWordsError(_("this figure is not a percentage: {text}; write it without %",
                                 text=repr(shown)))


def _read_digits(body: str, shown: str, locale: str) -> Decimal:
    """Digits with the locale's group and decimal symbols (spaces group too), strictly: a
    grouping Babel would not write back is refused with its suggestions."""
    group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    if _SPACES.search(body):
        if group.strip() and group in body:
            raise FigureWordsError(_("both spaces and {group} between digits in {text}; use one "
                                     "way of grouping thousands", group=repr(group),
                                     text=repr(shown)))
        body = _SPACES.sub(group, body)
    allowed = f"0-9{re.escape(group)}{re.escape(decimal)}"
    if not re.fullmatch(f"[{allowed}]+", body) or not re.search("[0-9]", body):
        raise NotANumber(_not_a_number(shown))
    if not re.match(f"[0-9{re.escape(decimal)}]", body):
        raise NotANumber(_not_a_number(shown))
    try:
        return parse_decimal(body, locale=locale, strict=True)
    except NumberFormatError as exc:
        raise FigureWordsError(_ambiguous(shown, exc.suggestions or [])) from None


def _ambiguous(shown: str, suggestions: list[str]) -> str:
    if not suggestions:
        return _not_a_number(shown)
    if len(suggestions) == 1:
        return _("the separators are misplaced in {text}: did you mean {number}?",
                 text=repr(shown), number=suggestions[0])
    # Translators: the numbers a figure as typed could mean: "15 or 1.5".
    options = _("{options} or {last}", options=", ".join(suggestions[:-1]),
                last=suggestions[-1])
    return _("{text} is ambiguous here: did you mean {options}?", text=repr(shown),
             options=options)


def _plain(value: Decimal) -> Decimal:
    """``value`` without an exponent that hides digits (4.9931E+6 becomes 4993100)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
