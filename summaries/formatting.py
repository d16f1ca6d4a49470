"""Locale-aware display of figures, percentages and changes (digest, Slack, flags, exports).

Everything here takes :class:`decimal.Decimal` and never goes through float. Values are rounded
half-up (``ROUND_HALF_UP``) to the places shown *before* Babel sees them, and Babel itself runs in
a half-up decimal context with enough precision, so its own quantization can neither re-round
(banker's rounding) nor truncate long values. Output never uses exponent notation.

Supported locales are the product's ``organization.locale`` values: en, de, fr, es, zh, ja.
Regional spellings (``de_DE``, ``fr-CA``) use their language; anything else falls back to ``en``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Context, Decimal, getcontext, localcontext
from functools import lru_cache

from babel import Locale
from babel.numbers import (
    NumberPattern,
    format_compact_decimal,
    format_decimal,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
    parse_pattern,
)

from summaries.i18n import _, reading

SUPPORTED_LOCALES: tuple[str, ...] = ("en", "de", "fr", "es", "zh", "ja")
DEFAULT_LOCALE = "en"

# The typographic minus sign, used for signed changes and gaps where CLDR gives a hyphen-minus.
MINUS_SIGN = "\u2212"
COMPACT_UNITS = ("auto", "cn", "western")  # organization.compact_units
# Ten thousand, a hundred million, a trillion: the units of Chinese (and Japanese) amounts.
_MYRIADS = {"zh": ("\u4e07", "\u4ebf", "\u4e07\u4ebf"), "ja": ("\u4e07", "\u5104", "\u5146")}

# prefix / number / suffix of the positive part of a CLDR number pattern.
_PATTERN_PARTS = re.compile(r"^((?:[^'0-9@#.,]|'[^']*')*)([0-9@#.,]*)(.*)$")
# Extra digits of working precision beyond those of the value and the places shown.
_PRECISION_MARGIN = 8
_CONTEXT = Context(prec=64, rounding=ROUND_HALF_UP)
_STEPS = tuple(Decimal(1).scaleb(-places) for places in range(13))  # 1, 0.1, 0.01, …


def babel_locale(locale: str) -> Locale:
    """The Babel locale for a product locale code, ``en`` when unknown or unsupported; the
    reader's instead, inside :func:`summaries.i18n.speaking`."""
    return _babel_locale(reading(locale))


@lru_cache(maxsize=64)
def _babel_locale(locale: str) -> Locale:
    language = re.split(r"[-_]", locale.strip(), maxsplit=1)[0].lower() if locale else ""
    if language not in SUPPORTED_LOCALES:
        language = DEFAULT_LOCALE
    return Locale.parse(language)


def _quote(symbol: str) -> str:
    """A sign symbol as a quoted literal for a number pattern."""
    return "'" + symbol.replace("'", "''") + "'"


@lru_cache(maxsize=256)
def _pattern(locale: str, percent: bool, decimals: int, signed: bool) -> NumberPattern:
    """The locale's decimal or percent pattern with exactly ``decimals`` places and signs."""
    babel = babel_locale(locale)
    base = babel.percent_formats[None] if percent else babel.decimal_formats[None]
    positive = base.pattern.split(";", 1)[0]
    found = _PATTERN_PARTS.match(positive)
    if found is None:  # pragma: no cover - CLDR patterns always match
        raise ValueError(f"unexpected number pattern {positive!r} for locale {locale!r}")
    prefix, number, suffix = found.groups()
    integer = number.split(".", 1)[0]
    number = integer + ("." + "0" * decimals if decimals else "")
    minus = get_minus_sign_symbol(babel)
    if signed:
        plus = _quote(get_plus_sign_symbol(babel))
        minus = MINUS_SIGN if minus == "-" else minus
        positive_pattern = f"{plus}{prefix}{number}{suffix}"
    else:
        positive_pattern = f"{prefix}{number}{suffix}"
    return parse_pattern(f"{positive_pattern};{_quote(minus)}{prefix}{number}{suffix}")


@lru_cache(maxsize=256)
def _shape(locale: str, percent: bool, signed: bool) -> tuple[str, str, str, str, str, str]:
    """Learn the locale's separators and affixes once, from Babel's rendering of a probe.

    Returns the group and decimal symbols and the positive and negative prefix and suffix, so
    that thousands of figures format without Babel (all supported locales group by threes).
    """
    pattern = _pattern(locale, percent, 1, signed)
    probe = Decimal("12.345") if percent else Decimal("1234.5")
    shapes = []
    for value in (probe, -probe):
        text = format_decimal(value, format=pattern, locale=babel_locale(locale),
                              decimal_quantization=True)
        found = re.fullmatch(r"(.*?)1(\D*)234(\D+)5(.*)", text, flags=re.S)
        if found is None:  # pragma: no cover - every CLDR pattern renders the probe's digits
            raise ValueError(f"unexpected rendering {text!r} for locale {locale!r}")
        shapes.append(found.groups())
    (prefix, group, decimal, suffix), (minus_prefix, _, _, minus_suffix) = shapes
    return group, decimal, prefix, suffix, minus_prefix, minus_suffix


@lru_cache(maxsize=64)
def _separators(group: str, point: str) -> dict[int, str]:
    return {44: group, 46: point}


# Texts of numbers already formatted, while a digest is built (see :func:`remembering`).
_remembered: ContextVar[dict[tuple[Decimal, int, str, bool, bool], str] | None] = ContextVar(
    "formatted_numbers", default=None)


@contextmanager
def remembering() -> Iterator[None]:
    """Keep every number formatted inside the block, and reuse its text: a digest formats
    the same figures, targets and gaps many times over (header, replies, tables, files).
    The texts go when the outermost block ends, so a long-running bot keeps none."""
    token = _remembered.set({}) if _remembered.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _remembered.reset(token)


def _render(value: Decimal, decimals: int, locale: str, percent: bool, signed: bool) -> str:
    """:func:`_shaped`, through the texts kept while a digest is built, else a small cache.
    Equal Decimals (``1.0`` and ``1.00``, ``0`` and ``-0``) round to the same text, so they
    may share an entry."""
    locale = reading(locale)
    memo = _remembered.get()
    if memo is None:
        return _recent(value, decimals, locale, percent, signed)
    key = (value, decimals, locale, percent, signed)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _shaped(value, decimals, locale, percent, signed)
    return found


@lru_cache(maxsize=1 << 12)
def _recent(value: Decimal, decimals: int, locale: str, percent: bool, signed: bool) -> str:
    return _shaped(value, decimals, locale, percent, signed)


def _shaped(value: Decimal, decimals: int, locale: str, percent: bool, signed: bool) -> str:
    """Round ``value`` half-up to ``decimals`` places and format it in the locale's shape."""
    if not isinstance(value, Decimal):
        value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"cannot format a non-finite number: {value}")
    if decimals < 0:
        raise ValueError(f"decimals must not be negative: {decimals}")
    precision = max(value.adjusted(), 0) + 2 + decimals + _PRECISION_MARGIN
    # Our own context: the caller's rounding, precision and traps must not leak in.
    context = _CONTEXT if precision <= _CONTEXT.prec else Context(
        prec=precision, rounding=ROUND_HALF_UP)
    shown = value.scaleb(2, context=context) if percent else value
    step = _STEPS[decimals] if decimals < len(_STEPS) else Decimal(1).scaleb(-decimals)
    rounded = shown.quantize(step, context=context)
    spec = f",.{decimals}f"
    if rounded.adjusted() + decimals + 2 <= getcontext().prec:
        digits = format(abs(rounded), spec)  # exact already: the context rounds nothing
    else:
        with localcontext(context):  # a short precision would cut the digits
            digits = format(abs(rounded), spec)
    if rounded.is_zero():
        # No "-0" and no "+0": zero is shown without a sign.
        rounded, signed = abs(rounded), False
    group, point, prefix, suffix, minus_prefix, minus_suffix = _shape(locale, percent, signed)
    if group != "," or point != ".":
        digits = digits.translate(_separators(group, point))
    if rounded < 0:
        return f"{minus_prefix}{digits}{minus_suffix}"
    return f"{prefix}{digits}{suffix}"


def format_number(value: Decimal, decimals: int = 0, locale: str = "en") -> str:
    """A number with the locale's grouping and exactly ``decimals`` places: en ``1,449``."""
    return _render(value, decimals, locale, percent=False, signed=False)


def format_ratio(ratio: Decimal, locale: str = "en") -> str:
    """A ratio as a percentage with one decimal: ``Decimal('1.495')`` is ``149.5%`` in en."""
    return _render(ratio, 1, locale, percent=True, signed=False)


def format_change(ratio: Decimal, locale: str = "en") -> str:
    """A signed relative change with one decimal: ``+12.5%``, ``\u221220.0%``, ``0.0%``."""
    return _render(ratio, 1, locale, percent=True, signed=True)


def format_points(value: Decimal, locale: str = "en", decimals: int = 1) -> str:
    """A signed change in percentage points: ``+1.5 pts``, ``\u22120.5 pts`` (one decimal
    unless told); in Chinese ``+1.5个百分点``."""
    return _("{value} pts", value=_render(value, decimals, locale, percent=False, signed=True))


def format_figure(value: Decimal, unit: str, decimals: int, locale: str = "en") -> str:
    """A KPI value with its unit: ``3.40%``, ``2,400,000 CNY``, or just the number."""
    number = format_number(value, decimals, locale)
    if not unit:
        return number
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}"


# The compact units in force (organization.compact_units), see :func:`compacting`.
_units: ContextVar[str] = ContextVar("compact_units", default="auto")


@contextmanager
def compacting(units: str | None) -> Iterator[None]:
    """Large amounts inside the block in ``units`` (:func:`compact_number`); None keeps the
    setting in force."""
    token = _units.set(units) if units else None
    try:
        yield
    finally:
        if token is not None:
            _units.reset(token)


def units_in_force() -> str:
    """The compact units :func:`compacting` set (``auto`` outside any)."""
    return _units.get()


def compact_number(value: Decimal | float, locale: str = "en", fraction: int | None = None,
                   units: str | None = None) -> str:
    """``value`` short, in ``units`` (else those in force, :func:`compacting`): ``auto`` is the
    reader's locale's own short form (``1.12M``; Chinese ``112万``, ``1.26亿``), ``cn`` 万 and
    亿 in any language, ``western`` K, M and B in any language. ``fraction`` decimals at most;
    by default three significant digits, thousands whole (``218K``, ``1.12M``, ``126.1M``)."""
    units = units or _units.get()
    language = babel_locale(locale).language
    number = Decimal(str(value)) if isinstance(value, float) else value
    if units == "cn" or (units == "auto" and language in _MYRIADS):
        return _myriad(number, locale, fraction,
                       _MYRIADS.get(language if units == "auto" else "zh", _MYRIADS["zh"]))
    if fraction is None:
        magnitude = abs(number)
        fraction = 0 if magnitude < 1_000_000 else 2 if magnitude < 10_000_000 else 1
    if units != "western" or language == "en":
        return format_compact_decimal(value, locale=babel_locale(locale),
                                      fraction_digits=fraction)
    text = format_compact_decimal(value, locale=_babel_locale("en"), fraction_digits=fraction)
    group, point = _shape(locale, False, False)[:2]
    return text.translate(_separators(group, point))


def _myriad(value: Decimal, locale: str, fraction: int | None, names: tuple[str, ...]) -> str:
    """``value`` in 万, 亿 and 万亿 (``names``), the number ungrouped: ``1100万``, ``1.26亿``."""
    magnitude = abs(value)
    power = next((p for p in (12, 8, 4) if magnitude >= Decimal(10) ** p), 0)
    while True:
        mantissa = magnitude.scaleb(-power)
        places = fraction if fraction is not None else (
            2 if mantissa < 10 else 1 if mantissa < 100 else 0)
        rounded = mantissa.quantize(_STEPS[places], context=_CONTEXT)
        if rounded < 10_000 or power == 12:
            break
        power += 4  # 9999.6万 is 1亿
    digits = format(rounded.normalize(), "f") if rounded else "0"
    name = names[power // 4 - 1] if power else ""
    text = digits.replace(".", _shape(locale, False, False)[1]) + name
    return f"-{text}" if value < 0 and rounded else text


def format_compact(value: Decimal, locale: str = "en", *, signed: bool = False,
                   units: str | None = None) -> str:
    """A large figure short (:func:`compact_number`): ``\u2212218K``, ``1.12M``, ``126.1M``;
    figures under 10,000 in full."""
    magnitude = abs(value)
    if magnitude < 10_000:
        digits = format_number(magnitude, 0, locale)
    else:
        digits = compact_number(magnitude, locale, units=units)
    if not signed:
        return f"\u2212{digits}" if value < 0 else digits
    if value == 0:
        return digits
    return f"{'+' if value > 0 else chr(0x2212)}{digits}"
