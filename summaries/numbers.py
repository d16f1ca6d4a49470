"""Figures as people type and import them: one parser and one set of bounds for every way a
figure comes in (the form, CSV imports, spreadsheets), so what is stored fits the column and
every figure the engine and the renderers meet is a bounded, finite decimal."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from summaries.i18n import _, ngettext

INTEGER_DIGITS = 20  # Amount is NUMERIC(28, 8): twenty digits before the point ...
DECIMAL_PLACES = 8  # ... and eight after it

_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_GROUPED = re.compile(  # 2,400,000 / 1.234,5 / 1 000: thousands separated, any decimal mark
    r"[+-]?[0-9]{1,3}([,. '_\u00a0\u202f])[0-9]{3}(?:\1[0-9]{3})*(?:(?!\1)[.,][0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+")
_QUANTUM = Decimal(1).scaleb(-DECIMAL_PLACES)
# Longer text is no figure the column holds, whatever it says (and is not parsed at all).
MAX_CHARS = 2 * (INTEGER_DIGITS + DECIMAL_PLACES)


class OutOfBounds(ValueError):
    """A number, but not one the column holds (too large, too precise, not finite)."""


def check_bounds(value: Decimal, shown: str | None = None) -> Decimal:
    """``value`` if the database column holds it (finite, at most 20 digits before the point and
    8 after), else ValueError saying which bound it passes."""
    shown = shown if shown is not None else str(value)
    if not value.is_finite():
        raise OutOfBounds(_("not a finite number: {value}", value=repr(shown)))
    if value and value.adjusted() >= INTEGER_DIGITS:
        raise OutOfBounds(_("too large: {value} (at most {digits} digits before the point)",
                            value=repr(shown), digits=INTEGER_DIGITS))
    if value != value.quantize(_QUANTUM):
        raise OutOfBounds(_("more than {places} decimal places: {value}",
                            places=DECIMAL_PLACES, value=repr(shown)))
    return value


def fits_column(value: Decimal) -> bool:
    """Whether a stored amount is within what the column holds."""
    try:
        check_bounds(value)
    except ValueError:
        return False
    return True


def decimals_problem(value: Decimal, decimals: int | None) -> str | None:
    """Why ``value`` has more decimal places than a KPI with ``decimals`` keeps, or None."""
    if decimals is None or value == value.quantize(Decimal(1).scaleb(-decimals)):
        return None
    if decimals == 0:
        return _("must be a whole number")
    return ngettext("at most {n} decimal place", "at most {n} decimal places", decimals)


def parse_decimal(text: str) -> Decimal:
    """A plain decimal (``-1234.5``); raise ValueError with a message an operator can act on."""
    if len(text) > MAX_CHARS:
        raise OutOfBounds(_("too long for a number: {start}\u2026 ({count} characters)",
                            start=repr(text[:24]), count=format(len(text), ",")))
    if _PLAIN.fullmatch(text):
        return check_bounds(Decimal(text), text) + 0  # -0 is 0
    grouped = _GROUPED.fullmatch(text)
    if grouped:
        plain = text.replace(grouped.group(1), "").replace(",", ".")
        raise ValueError(_("thousands separators are not allowed: {value}; write {plain}",
                           value=repr(text), plain=plain))
    if _DECIMAL_COMMA.fullmatch(text):
        raise ValueError(_("use a point as the decimal mark: {value}; write {plain}",
                           value=repr(text), plain=text.replace(",", ".")))
    if text.endswith("%") and _PLAIN.fullmatch(text[:-1].strip()):
        raise ValueError(_("no % sign: {value}; write {plain}", value=repr(text),
                           plain=text[:-1].strip()))
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("not a number: {text}", text=repr(text))) from None
    if not value.is_finite():
        raise OutOfBounds(_("not a finite number: {value}", value=repr(text)))
    raise ValueError(_("not a plain decimal: {value}; write digits with an optional point, "
                       "without exponent or spaces", value=repr(text)))
