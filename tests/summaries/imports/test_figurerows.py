"""Figures from a spreadsheet (issue 20): rows read from pasted text, CSV and XLSX, then checked
for one department, every bad row named by the row the person sees."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from summaries.config.schema import Config
from summaries.imports.figurerows import (
    RowProblem,
    read_figure_rows,
    rows_from_csv,
    rows_from_text,
    rows_from_xlsx,
)

# --- reading rows ---------------------------------------------------------------------------

def test_tab_separated_text_as_excel_copies_it_skips_the_header_but_counts_it() -> None:
    text = "KPI\tValue\nrevenue\t4993120\n\nfixed_lines\t120\n"
    assert rows_from_text(text) == [(2, "revenue", "4993120"), (4, "fixed_lines", "120")]


@pytest.mark.parametrize("header", ["kpi,value", "KPI,Value", "Key,Amount", "name,"])
def test_a_header_row_of_any_usual_naming_is_skipped(header: str) -> None:
    assert rows_from_text(f"{header}\nrevenue,12\n") == [(2, "revenue", "12")]


def test_a_chinese_header_and_chinese_names() -> None:
    text = "指标\t数值\n营业收入\t499.31万\n"
    assert rows_from_text(text) == [(2, "营业收入", "499.31万")]


def test_no_header_means_the_first_row_is_a_figure() -> None:
    assert rows_from_text("revenue,12\nphs_sets,3") == [(1, "revenue", "12"), (2, "phs_sets", "3")]


def test_a_header_only_counts_as_one_on_the_first_row() -> None:
    assert rows_from_text("revenue,1\nkpi,value\n") == [(1, "revenue", "1"), (2, "kpi", "value")]


def test_comma_separated_with_quoted_cells_and_a_quoted_newline() -> None:
    text = 'kpi,value\n"Business income","4,993,120"\n"Broadband\n(class A)",7\nphs_sets,2\n'
    assert rows_from_text(text) == [(2, "Business income", "4,993,120"),
                                    (3, "Broadband\n(class A)", "7"), (5, "phs_sets", "2")]


def test_an_unquoted_thousands_separated_number_joins_again() -> None:
    assert rows_from_text("revenue,4,993,120\n") == [(1, "revenue", "4,993,120")]


def test_semicolon_separated_as_a_european_excel_saves_it() -> None:
    assert rows_from_text("kpi;value\nrevenue;12,5\nphs_sets;3\n") == [
        (2, "revenue", "12,5"), (3, "phs_sets", "3")]


def test_an_extra_column_stays_in_the_value_so_the_row_is_refused() -> None:
    assert rows_from_text("revenue\t100\t200\n") == [(1, "revenue", "100 200")]


def test_trailing_empty_cells_and_blank_lines_are_ignored() -> None:
    assert rows_from_text("\n\nrevenue\t12\t\t\n   \n") == [(3, "revenue", "12")]


def test_csv_bytes_with_a_bom_and_in_gb18030() -> None:
    assert rows_from_csv("\ufeffkpi,value\nrevenue,12\n".encode()) == [(2, "revenue", "12")]
    assert rows_from_csv("指标,数值\n营业收入,12\n".encode("gb18030")) == [(2, "营业收入", "12")]


def _xlsx(rows: list[list[object]], formats: dict[str, str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_numbers_read_as_excel_shows_them() -> None:
    data = _xlsx([["KPI", "Value"], ["revenue", 4993120.0], ["churn_rate", 0.034],
                  [None, None], ["phs_sets", 0.1 + 0.2], ["fixed_lines", 120],
                  ["customers", "12"]])
    assert rows_from_xlsx(data) == [(2, "revenue", "4993120"), (3, "churn_rate", "0.034"),
                                    (5, "phs_sets", "0.3"), (6, "fixed_lines", "120"),
                                    (7, "customers", "12")]


def test_xlsx_percent_cells_read_as_the_percentage_shown() -> None:
    data = _xlsx([["churn_rate", 0.034], ["arrears_recovery", 0.985], ["revenue", 0.5]],
                 {"B1": "0.0%", "B2": "0%", "B3": '0.00" %"'})
    assert rows_from_xlsx(data) == [(1, "churn_rate", "3.4%"), (2, "arrears_recovery", "98.5%"),
                                    (3, "revenue", "0.5")]


def test_xlsx_takes_the_first_two_columns_with_anything_in_them() -> None:
    data = _xlsx([[None, None, "kpi", "value"], [None, None, "revenue", 12]])
    assert rows_from_xlsx(data) == [(2, "revenue", "12")]


def test_not_an_xlsx_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a readable XLSX"):
        rows_from_xlsx(b"kpi,value\nrevenue,1\n")


# --- checking rows for a department ---------------------------------------------------------

def test_good_rows_by_key_and_name_in_any_case_and_width(config: Config) -> None:
    wide = "\uff50\uff48\uff53\uff3f\uff53\uff45\uff54\uff53"  # phs_sets, full width
    rows = [(2, "revenue", "4993120"), (3, "FIXED-LINE INSTALLATIONS", "120"), (4, wide, "7"),
            (5, "Key customer loss rate", "3.4%")]
    found = read_figure_rows(config, "key-accounts", rows, "en")
    assert found.problems == []
    assert found.values == {"revenue": Decimal(4993120), "fixed_lines": Decimal(120),
                            "phs_sets": Decimal(7), "churn_rate": Decimal("3.4")}


def test_every_bad_row_is_named_and_good_rows_still_read(config: Config) -> None:
    rows = [(2, "revenue", "lots"), (3, "fixed_lines", "12"), (4, "nonsense", "1"),
            (5, "inspections", "3"), (6, "phs_sets", "-1"), (8, "broadband_a", ""),
            (9, "", "5"), (10, "churn_rate", "101")]
    found = read_figure_rows(config, "key-accounts", rows, "en")
    assert [str(p) for p in found.problems] == [
        "row 2: Business income: not a number: 'lots'",
        "row 4: no KPI named 'nonsense'",
        "row 5: Safety inspections held is not a KPI of Key Account Division",
        "row 6: below the KPI's minimum 0",
        "row 8: no value for Broadband (class A)",
        "row 9: no KPI name in the first column",
        "row 10: above the KPI's maximum 100",
    ]
    assert found.values == {"fixed_lines": Decimal(12)}


def test_a_formula_kpi_and_a_rolled_up_kpi_are_not_typed_in(config: Config) -> None:
    rows = [(1, "revenue_per_customer", "9"), (2, "revenue", "12")]
    assert [str(p) for p in read_figure_rows(config, "key-accounts", rows[:1], "en").problems
            ] == ["row 1: Output per customer is calculated from other figures"]
    assert [str(p) for p in read_figure_rows(config, "marketing", rows[1:], "en").problems
            ] == ["row 2: Business income adds up the figures of the departments below "
                  "Marketing Department"]


def test_a_kpi_given_twice_names_both_rows(config: Config) -> None:
    rows = [(2, "revenue", "1"), (3, "Business income", "2")]
    found = read_figure_rows(config, "key-accounts", rows, "en")
    assert found.problems == [
        RowProblem(3, "Business income is given twice, in rows 2 and 3")]


def test_too_many_decimals_for_the_kpi(config: Config) -> None:
    found = read_figure_rows(config, "east-county", [(1, "arrears_recovery", "98.55")], "en")
    assert [str(p) for p in found.problems] == [
        "row 1: at most 1 decimal place (arrears_recovery has decimals: 1)"]


def test_an_xlsx_end_to_end_for_a_department(config: Config) -> None:
    data = _xlsx([["指标", "数值"], ["Business income", 4993120.0],
                  ["Arrears recovery rate", 0.985]], {"B3": "0.0%"})
    found = read_figure_rows(config, "east-county", rows_from_xlsx(data), "en")
    assert found.problems == []
    assert found.values == {"revenue": Decimal(4993120), "arrears_recovery": Decimal("98.5")}


def test_values_read_as_the_form_reads_them(config: Config) -> None:
    rows = [(1, "revenue", "4,993,120"), (2, "fixed_lines", "1.2万"), (3, "churn_rate", "3.4%"),
            (4, "phs_sets", "3%")]
    found = read_figure_rows(config, "key-accounts", rows, "en")
    assert found.values == {"revenue": Decimal(4993120), "fixed_lines": Decimal(12000),
                            "churn_rate": Decimal("3.4")}
    assert [str(p) for p in found.problems] == [
        "row 4: PHS sets sold: this figure is not a percentage: '3%'; write it without %"]


def test_a_german_semicolon_file_reads_its_decimal_commas(config: Config) -> None:
    rows = rows_from_text("kpi;value\nchurn_rate;2,5\nrevenue;4.993.120\n")
    found = read_figure_rows(config, "key-accounts", rows, "de")
    assert found.problems == []
    assert found.values == {"churn_rate": Decimal("2.5"), "revenue": Decimal(4993120)}
