"""The stretch target and the rank among siblings, as every screen words them."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from summaries.digest.text import ordinal, place_text, rank_text, row_text, stretch_text
from summaries.engine.cell import Cell
from tests.support.enginekit import Data, cell, org


def test_stretch_attainment_reads_like_attainment() -> None:
    data = Data().series("solo", "revenue", "2026-10", [1680])
    data.target("monthly", "revenue", 1200, dept="solo", month="2026-10", stretch="1500")
    config = org()
    revenue = cell(data.evaluate(config), "solo", "revenue")
    assert revenue.stretch_attainment == D("1.12")
    assert stretch_text(revenue, config.kpi_by_key["revenue"], "en") == (
        "112.0% of the 1,500 CNY stretch")
    assert row_text(config.kpi_by_key["revenue"], revenue, "en").stretch == (
        "112.0% of the 1,500 CNY stretch")
    assert row_text(config.kpi_by_key["revenue"], revenue, "de").stretch == (
        "112,0\u00a0% of the 1.500 CNY stretch")


@pytest.mark.parametrize(("actual", "expected"), [
    ("2.40", "20.0% over the 2.00% stretch"),
    ("1.50", "25.0% under the 2.00% stretch"),
    ("2.00", "on the 2.00% stretch"),
])
def test_a_lower_is_better_stretch_reads_as_over_or_under_it(actual: str, expected: str) -> None:
    data = Data().series("solo", "churn", "2026-10", [actual])
    data.target("monthly", "churn", "2.50", dept="solo", month="2026-10", stretch="2.00")
    config = org()
    churn = cell(data.evaluate(config), "solo", "churn")
    assert stretch_text(churn, config.kpi_by_key["churn"], "en") == expected


def test_no_stretch_is_empty_and_a_missing_actual_is_never_zero() -> None:
    config = org()
    revenue = config.kpi_by_key["revenue"]
    plain = Data().series("solo", "revenue", "2026-10", [1000])
    plain.target("monthly", "revenue", 1200, dept="solo", month="2026-10")
    assert stretch_text(cell(plain.evaluate(config), "solo", "revenue"), revenue, "en") == ""
    assert row_text(revenue, cell(plain.evaluate(config), "solo", "revenue"), "en").stretch == ""
    missing = Data().target("monthly", "revenue", 1200, dept="solo", month="2026-10",
                            stretch="1500")
    assert stretch_text(cell(missing.evaluate(config), "solo", "revenue"), revenue, "en") == (
        "stretch 1,500 CNY")


@pytest.mark.parametrize(("number", "expected"), [
    (1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
    (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"), (111, "111th"), (1002, "1,002nd"),
])
def test_english_ordinals(number: int, expected: str) -> None:
    assert ordinal(number, "en") == expected


def test_the_rank_names_the_parent_and_is_none_unranked() -> None:
    data = Data()
    for dept, value in (("n1", 900), ("n2", 1100), ("n3", 1000)):
        data.series(dept, "revenue", "2026-10", [value])
        data.target("monthly", "revenue", 1000, dept=dept, month="2026-10")
    report = data.evaluate()
    assert rank_text(cell(report, "n2", "revenue"), "en", "North Region") == (
        "1st of 3 under North Region")
    assert rank_text(cell(report, "n3", "revenue"), "en", "North Region") == (
        "2nd of 3 under North Region")
    assert place_text(cell(report, "n1", "revenue"), "en") == "3rd of 3"
    unranked = Cell("solo", "revenue", "2026-10", D(1), "submitted")
    assert rank_text(unranked, "en", "North Region") is None
    assert place_text(unranked, "en") is None
    top = Cell("north", "revenue", "2026-10", D(1), "rollup", rank=2, rank_of=4)
    assert rank_text(top, "en") == "2nd of 4 top-level departments"
    assert rank_text(top, "de", "Nord") == "2nd of 4 under Nord"
