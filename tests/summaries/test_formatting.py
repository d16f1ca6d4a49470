"""Locale-aware display of figures and percentages (SPEC section 10): one decimal, half-up."""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summaries.formatting import (
    format_change,
    format_figure,
    format_number,
    format_points,
    format_ratio,
)

NBSP = "\u00a0"  # CLDR's space before % in de, fr, es
NNBSP = "\u202f"  # CLDR's grouping separator in fr
MINUS = "\u2212"


# --- the spec's examples ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        ("5250", "5245", "100.1%"),
        ("5023", "3360", "149.5%"),
        ("1449", "800", "181.1%"),
        ("50.13", "61.68", "81.3%"),
        ("10", "12", "83.3%"),
    ],
)
def test_spec_attainment_examples(actual: str, target: str, expected: str) -> None:
    assert format_ratio(Decimal(actual) / Decimal(target)) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("1449", 0, "1,449"),
        ("2400000", 0, "2,400,000"),
        ("3.4", 2, "3.40"),
        ("3.40", 2, "3.40"),
        ("0", 0, "0"),
        ("999", 0, "999"),
        ("1000", 1, "1,000.0"),
    ],
)
def test_number_in_english(value: str, decimals: int, expected: str) -> None:
    assert format_number(Decimal(value), decimals) == expected


# --- per locale -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "number", "fraction", "ratio"),
    [
        ("en", "2,400,000", "3.40", "149.5%"),
        ("de", "2.400.000", "3,40", f"149,5{NBSP}%"),
        ("fr", f"2{NNBSP}400{NNBSP}000", "3,40", f"149,5{NBSP}%"),
        ("es", "2.400.000", "3,40", f"149,5{NBSP}%"),
        ("zh", "2,400,000", "3.40", "149.5%"),
        ("ja", "2,400,000", "3.40", "149.5%"),
    ],
)
def test_locales(locale: str, number: str, fraction: str, ratio: str) -> None:
    assert format_number(Decimal(2400000), 0, locale) == number
    assert format_number(Decimal("3.4"), 2, locale) == fraction
    assert format_ratio(Decimal("1.495"), locale) == ratio


@pytest.mark.parametrize(
    ("locale", "up", "down", "zero"),
    [
        ("en", "+12.5%", f"{MINUS}20.0%", "0.0%"),
        ("de", f"+12,5{NBSP}%", f"{MINUS}20,0{NBSP}%", f"0,0{NBSP}%"),
        ("fr", f"+12,5{NBSP}%", f"{MINUS}20,0{NBSP}%", f"0,0{NBSP}%"),
        ("ja", "+12.5%", f"{MINUS}20.0%", "0.0%"),
        ("zh", "+12.5%", f"{MINUS}20.0%", "0.0%"),
    ],
)
def test_changes_per_locale(locale: str, up: str, down: str, zero: str) -> None:
    assert format_change(Decimal("0.125"), locale) == up
    assert format_change(Decimal("-0.2"), locale) == down
    assert format_change(Decimal(0), locale) == zero


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "+1.5 pts"), ("de", "+1,5 pts"), ("fr", "+1,5 pts"), ("ja", "+1.5 pts")],
)
def test_points_per_locale(locale: str, expected: str) -> None:
    assert format_points(Decimal("1.5"), locale) == expected


@pytest.mark.parametrize("locale", ["xx", "", "klingon", "EN", "it"])
def test_unknown_locale_falls_back_to_english(locale: str) -> None:
    assert format_number(Decimal(1449), 0, locale) == "1,449"
    assert format_ratio(Decimal("1.495"), locale) == "149.5%"
    assert format_change(Decimal("-0.2"), locale) == f"{MINUS}20.0%"


@pytest.mark.parametrize(("locale", "expected"), [("de_DE", "1.449"), ("fr-CA", f"1{NNBSP}449")])
def test_regional_spelling_uses_its_language(locale: str, expected: str) -> None:
    assert format_number(Decimal(1449), 0, locale) == expected


# --- half-up rounding, never banker's ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("2.5", 0, "3"),
        ("3.5", 0, "4"),
        ("0.5", 0, "1"),
        ("0.125", 2, "0.13"),
        ("1.005", 2, "1.01"),
        ("1448.5", 0, "1,449"),
        ("-2.5", 0, "-3"),
        ("2.4999", 0, "2"),
    ],
)
def test_numbers_round_half_up(value: str, decimals: int, expected: str) -> None:
    assert format_number(Decimal(value), decimals) == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        ("0.81255", "81.3%"),
        ("0.81250", "81.3%"),
        ("0.81249", "81.2%"),
        ("1.81125", "181.1%"),
        ("0.00025", "0.0%"),
        ("0.00050", "0.1%"),
        ("1.00950", "101.0%"),
    ],
)
def test_ratios_round_half_up(ratio: str, expected: str) -> None:
    assert format_ratio(Decimal(ratio)) == expected


def test_rounding_ignores_the_callers_decimal_context() -> None:
    with decimal.localcontext(rounding=decimal.ROUND_HALF_EVEN, prec=6):
        assert format_number(Decimal("2.5")) == "3"
        assert format_ratio(Decimal("0.81250")) == "81.3%"
        assert format_number(Decimal("123456789.125"), 2) == "123,456,789.13"
        assert decimal.getcontext().rounding == decimal.ROUND_HALF_EVEN
        assert decimal.getcontext().prec == 6


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.125", "+12.5%"), ("-0.12505", f"{MINUS}12.5%"), ("-0.1255", f"{MINUS}12.6%")],
)
def test_changes_round_half_up_away_from_zero(value: str, expected: str) -> None:
    assert format_change(Decimal(value)) == expected


# --- signs and zero ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [("-1449", 0, "-1,449"), ("-3.4", 2, "-3.40"), ("-0.4", 0, "0"), ("-0.004", 2, "0.00")],
)
def test_negative_numbers_use_the_locale_minus_and_no_negative_zero(
    value: str, decimals: int, expected: str
) -> None:
    assert format_number(Decimal(value), decimals) == expected


def test_negative_number_in_german() -> None:
    assert format_number(Decimal("-2400000.5"), 1, "de") == "-2.400.000,5"


def test_negative_ratio() -> None:
    assert format_ratio(Decimal("-0.125")) == "-12.5%"


@pytest.mark.parametrize("value", ["0", "-0", "0.0004", "-0.0004", "0E+3"])
def test_change_that_rounds_to_zero_has_no_sign(value: str) -> None:
    assert format_change(Decimal(value)) == "0.0%"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.5", "+1.5 pts"),
        ("-0.5", f"{MINUS}0.5 pts"),
        ("0", "0.0 pts"),
        ("-0.04", "0.0 pts"),
        ("12.25", "+12.3 pts"),
    ],
)
def test_points(value: str, expected: str) -> None:
    assert format_points(Decimal(value)) == expected


# --- figures with units -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "locale", "expected"),
    [
        ("3.4", "%", 2, "en", "3.40%"),
        ("97.5", "%", 1, "en", "97.5%"),
        ("2400000", "CNY", 0, "en", "2,400,000 CNY"),
        ("1449", "households", 0, "en", "1,449 households"),
        ("1449", "", 0, "en", "1,449"),
        ("2400000", "CNY", 0, "de", "2.400.000 CNY"),
        ("3.4", "%", 2, "de", "3,40%"),
        ("-12.345", "EUR", 2, "en", "-12.35 EUR"),
    ],
)
def test_figure_with_unit(value: str, unit: str, decimals: int, locale: str, expected: str) -> None:
    assert format_figure(Decimal(value), unit, decimals, locale) == expected


# --- large, long and odd values ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("1E+15", 0, "1,000,000,000,000,000"),
        ("1E+15", 2, "1,000,000,000,000,000.00"),
        ("1.5E+3", 0, "1,500"),
        ("1E-30", 2, "0.00"),
        ("2.4E+6", 0, "2,400,000"),
        (
            "123456789012345678901234567890.125",
            2,
            "123,456,789,012,345,678,901,234,567,890.13",
        ),
        ("0.3333333333333333333333333333", 2, "0.33"),
    ],
)
def test_no_exponent_notation_and_no_truncation(value: str, decimals: int, expected: str) -> None:
    assert format_number(Decimal(value), decimals) == expected


def test_rounding_ignores_the_callers_traps() -> None:
    with decimal.localcontext() as context:
        context.traps[decimal.Inexact] = True
        context.traps[decimal.Rounded] = True
        assert format_number(Decimal("2.5")) == "3"
        assert format_ratio(Decimal("0.81255")) == "81.3%"


def test_long_ratio_is_not_truncated() -> None:
    ratio = Decimal("12345678901234567890123456789.01255")
    assert format_ratio(ratio) == "1,234,567,890,123,456,789,012,345,678,901.3%"


def test_huge_ratio_has_no_exponent() -> None:
    assert format_ratio(Decimal("1E+15")) == "100,000,000,000,000,000.0%"
    assert format_ratio(Decimal(1) / Decimal(3)) == "33.3%"


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_values_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="non-finite"):
        format_number(Decimal(value))


def test_negative_places_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_number(Decimal(1), -1)


@given(
    st.decimals(min_value=Decimal("-1E+12"), max_value=Decimal("1E+12"), allow_nan=False, places=6),
    st.integers(min_value=0, max_value=4),
)
def test_english_number_is_the_half_up_quantized_value(value: Decimal, decimals: int) -> None:
    expected = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if expected.is_zero():
        expected = abs(expected)
    assert Decimal(format_number(value, decimals).replace(",", "")) == expected
    assert "E" not in format_number(value, decimals)


# --- the fast path agrees with Babel ----------------------------------------------------------


@given(
    value=st.decimals(min_value=Decimal("-1E12"), max_value=Decimal("1E12"), places=4,
                      allow_nan=False, allow_infinity=False),
    decimals=st.integers(min_value=0, max_value=3),
    locale=st.sampled_from(["en", "de", "fr", "es", "zh", "ja"]),
    percent=st.booleans(),
    signed=st.booleans(),
)
def test_figures_format_exactly_as_babel_would(value: Decimal, decimals: int, locale: str,
                                               percent: bool, signed: bool) -> None:
    from babel.numbers import format_decimal

    from summaries.formatting import _pattern, _render, babel_locale

    shown = value.scaleb(2) if percent else value
    with decimal.localcontext(decimal.Context(prec=40, rounding=ROUND_HALF_UP)):
        rounded = shown.quantize(Decimal(1).scaleb(-decimals))
    if rounded.is_zero():
        rounded, signed = abs(rounded), False
    expected = format_decimal(rounded.scaleb(-2) if percent else rounded,
                              format=_pattern(locale, percent, decimals, signed),
                              locale=babel_locale(locale), decimal_quantization=True)
    assert _render(value, decimals, locale, percent, signed) == expected

