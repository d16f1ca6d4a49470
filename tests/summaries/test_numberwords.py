"""Figures as managers write them: the locale's separators, spaces, 万 and 亿, % for percentage
KPIs; anything that could mean two numbers is refused with what to write."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from summaries.i18n import speaking
from summaries.numbers import OutOfBounds
from summaries.numberwords import FigureWordsError, input_text, parse_figure


@pytest.mark.parametrize(("text", "locale", "expected"), [
    ("4993120", "en", "4993120"),
    ("4,993,120", "en", "4993120"),
    ("4 993 120", "en", "4993120"),
    ("4\u00a0993\u00a0120", "en", "4993120"),  # no-break spaces
    ("4\u202f993\u202f120", "en", "4993120"),  # narrow no-break spaces
    ("  2450000 ", "en", "2450000"),
    ("499.31万", "en", "4993100"),
    ("499.31 万", "zh", "4993100"),
    ("1.2亿", "zh", "120000000"),
    ("3億", "ja", "300000000"),
    ("4.993.120,5", "de", "4993120.5"),
    ("4 993 120,5", "de", "4993120.5"),
    ("4\u202f993\u202f120,5", "fr", "4993120.5"),
    ("1.234", "es", "1234"),
    ("97,5", "de", "97.5"),
    ("97.5", "en", "97.5"),
    (".5", "en", "0.5"),
    ("-1,234", "en", "-1234"),
    ("\u22125", "en", "-5"),  # the minus sign
    ("+12", "en", "12"),
    ("-0", "en", "0"),
    ("\uff14\uff19\uff19", "en", "499"),  # full-width digits
])
def test_numbers_as_people_write_them(text: str, locale: str, expected: str) -> None:
    value = parse_figure(text, locale)
    assert value == Decimal(expected)
    assert "E" not in str(value)  # a plain decimal, whatever the unit multiplied


@pytest.mark.parametrize(("text", "locale", "expected"), [
    ("\uff11\uff12\uff13", "zh", "123"),  # full-width digits
    ("\uff11\uff0c\uff12\uff13\uff14\uff0e\uff15", "zh", "1234.5"),  # and separators
    ("\uff0d\uff15", "zh", "-5"),  # a full-width minus
    ("1.2\u4e07", "zh", "12000"),
    ("3\u4ebf", "zh", "300000000"),
    ("1.5\u5343", "zh", "1500"),
    ("3\u5343\u4e07", "zh", "30000000"),  # 千万: one unit, not 万 after 千
    ("5\u767e\u4e07", "zh", "5000000"),
    ("2\u5343\u842c", "zh", "20000000"),
    ("4\u3000993\u3000120", "zh", "4993120"),  # ideographic spaces group too
])
def test_chinese_input_conventions(text: str, locale: str, expected: str) -> None:
    assert parse_figure(text, locale) == Decimal(expected)


def test_a_chinese_percentage_takes_a_full_width_sign() -> None:
    assert parse_figure("12.5%", "zh", percent=True) == Decimal("12.5")
    assert parse_figure("\uff11\uff12\uff0e\uff15\uff05", "zh", percent=True) == Decimal("12.5")
    with pytest.raises(FigureWordsError, match="two units"):
        parse_figure("5\u5343%", "zh", percent=True)


@pytest.mark.parametrize(("text", "percent", "message"), [
    ("lots", False, "不是有效数字：'lots'"),
    ("1,5", False, "'1,5'有歧义：您是想输入15还是1.5？"),
    ("4,99,3120", False, "'4,99,3120'中的分隔符位置有误：您是想输入4,993,120吗？"),
    ("1\u4e07\u4ebf", False, "'1万亿'包含两个单位：请只写一个数字，如499.31万或4993100"),
    ("3.4%", False, "该数据不是百分比：'3.4%'；请去掉%"),
    ("4 993,120", False, "'4 993,120'的数字之间同时使用了空格和','；请只用一种千位分隔方式"),
])
def test_what_is_wrong_is_said_in_chinese(text: str, percent: bool, message: str) -> None:
    with speaking("zh"), pytest.raises(FigureWordsError) as caught:
        parse_figure(text, "zh", percent=percent)
    assert str(caught.value) == message


@pytest.mark.parametrize(("text", "expected"), [
    ("3.4%", "3.4"), ("3.4 %", "3.4"), ("98", "98"), ("\uff13\uff05", "3")])
def test_a_percentage_kpi_takes_a_percent_sign_and_stores_points(text: str,
                                                                 expected: str) -> None:
    assert parse_figure(text, "en", percent=True) == Decimal(expected)


@pytest.mark.parametrize(("text", "locale", "percent", "message"), [
    ("1,5", "en", False, "'1,5' is ambiguous here: did you mean 15 or 1.5?"),
    ("97.5", "de", False, "did you mean 975 or 97,5?"),
    ("4,99,3120", "en", False, "misplaced in '4,99,3120': did you mean 4,993,120?"),
    ("1,234,", "en", False, "misplaced"),
    ("1万亿", "zh", False, "two units"),
    ("3%%", "en", True, "two units"),
    ("5万%", "zh", True, "two units"),
    ("3.4%", "en", False, "not a percentage"),
    ("4 993,120", "en", False, "use one way of grouping"),
    ("lots", "en", False, "not a number"),
    ("", "en", False, "not a number"),
    ("%", "en", True, "not a number"),
    ("万", "en", False, "not a number"),
    ("1E5", "en", False, "not a number"),
    ("NaN", "en", False, "not a number"),
    ("Infinity", "en", False, "not a number"),
    ("1_000", "en", False, "not a number"),
    ("\u0661\u0662", "en", False, "not a number"),  # Arabic-Indic digits
    ("--5", "en", False, "not a number"),
    ("12 CNY", "en", False, "not a number"),
])
def test_anything_ambiguous_or_odd_is_refused_saying_why(text: str, locale: str,
                                                         percent: bool, message: str) -> None:
    with pytest.raises(FigureWordsError) as caught:
        parse_figure(text, locale, percent=percent)
    assert message in str(caught.value)


@pytest.mark.parametrize(("text", "message"), [
    ("123456789012345678901", "too large"),
    ("1000000000000亿", "too large"),
    ("0.000000001", "more than 8 decimal places"),
    ("1" * 100, "too long for a number"),
])
def test_the_columns_bounds_hold_for_typed_figures(text: str, message: str) -> None:
    with pytest.raises(OutOfBounds, match=message):
        parse_figure(text, "en")


@pytest.mark.parametrize(("value", "locale", "expected"), [
    (Decimal("2450000"), "en", "2450000"), (Decimal("97.50"), "de", "97,5"),
    (Decimal("4.9931E+6"), "zh", "4993100"), (Decimal("-0.25"), "fr", "-0,25")])
def test_a_stored_figure_is_shown_as_it_reads_back(value: Decimal, locale: str,
                                                   expected: str) -> None:
    assert input_text(value, locale) == expected
    assert parse_figure(expected, locale) == value


figures = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=4,
                      allow_nan=False, allow_infinity=False)


@given(figures, st.sampled_from(["en", "de", "zh", "fr", "es", "ja"]))
def test_what_babel_writes_reads_back(value: Decimal, locale: str) -> None:
    written = format_decimal(value, locale=locale, decimal_quantization=False)
    assert parse_figure(written, locale) == value
    assert parse_figure(input_text(value, locale), locale) == value


@given(st.decimals(min_value=0, max_value=Decimal("1e10"), places=4), st.sampled_from(
    [("万", 4), ("亿", 8)]), st.sampled_from(["en", "zh", "de"]))
def test_wan_and_yi_read_back(value: Decimal, unit: tuple[str, int], locale: str) -> None:
    sign, power = unit
    written = format_decimal(value, locale=locale, decimal_quantization=False) + sign
    assert parse_figure(written, locale) == value * Decimal(10) ** power
