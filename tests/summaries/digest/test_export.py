"""Exports (SPEC section 10): KPI rows and section texts as CSV and XLSX, from a digest."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.digest.export import export_files, export_stem
from summaries.digest.model import Digest, compile_digest
from summaries.digest.rows import KPI_COLUMNS, SECTION_COLUMNS, csv_cell, plain_decimal
from tests.support.enginekit import ORG, Data

HYPERLINK = '=HYPERLINK("http://x","y")'
TINY, HUGE = "0.000000001", "123456789012345678901234567890"


def organization() -> Config:
    """The engine kit's organization, with names and a KPI name a spreadsheet would run."""
    text = ORG.format(fiscal_year_start=1, grace=2, revenue_better="higher", locale="en")
    for old, new in {"name: North One,": 'name: "@North One",',
                     "name: North Two,": 'name: "-North Two",',
                     "name: Orders,": 'name: "+Orders",'}.items():
        assert old in text, old
        text = text.replace(old, new)
    return parse_config(text, "org.yaml")


def october() -> Digest:
    """October: North One on target with a plan, North Two late with a loss and extreme
    values, North Three's revenue only, Solo Office with a draft but nothing submitted."""
    data = (Data()
            .figure("n1", "revenue", "2026-10", 1495).figure("n1", "revenue", "2026-09", 2000)
            .figure("n1", "orders", "2026-10", 3).figure("n1", "churn", "2026-10", "3.40")
            .figure("n2", "revenue", "2026-10", -500).figure("n2", "churn", "2026-10", TINY)
            .figure("n2", "customers", "2026-10", HUGE).figure("n3", "revenue", "2026-10", 100)
            .target("monthly", "revenue", 1000, dept="n1", month="2026-10", stretch="1200")
            .target("annual", "revenue", 12000, dept="n1", year=2026)
            .submitted("n1", sales=HYPERLINK, problems="  ")
            .submitted("n2", status="late", problems="Fibre backlog\nTwo installers short"))
    data.answers["solo"] = {"sales": "A draft, not sent"}
    config = organization()
    return compile_digest(config, data.evaluate(config))


@pytest.fixture(scope="module")
def digest() -> Digest:
    return october()


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def kpi_csv(digest: Digest) -> dict[tuple[str, str], dict[str, str]]:
    """The KPI rows by (department, kpi)."""
    content = dict(export_files(digest, "csv", "oct"))["oct.csv"]
    return {(row["department"], row["kpi"]): row for row in read_csv(content)}


def test_the_columns_are_the_documented_ones() -> None:
    assert ",".join(KPI_COLUMNS) == (
        "period,department,department_name,kpi,kpi_name,unit,actual,target,stretch,attainment,"
        "mom,yoy,ytd,annual_plan,ytd_share,pace_share,status,source")
    assert ",".join(SECTION_COLUMNS) == (
        "period,department,department_name,section,section_title,status,text")


def test_csv_is_four_files_utf8_with_a_bom_and_crlf_line_ends(digest: Digest) -> None:
    files = export_files(digest, "csv", "oct")
    assert [name for name, _ in files] == ["oct.csv", "oct-sections.csv", "oct-asks.csv",
                                           "oct-ask-history.csv"]
    kpis, sections = (content for _, content in files[:2])
    assert kpis.startswith(b"\xef\xbb\xbfperiod,department,department_name,kpi,")
    assert kpis.count(b"\r\n") == 1 + 22  # the header and 22 KPI rows
    assert b"\n" not in kpis.replace(b"\r\n", b"")
    assert sections.startswith(b"\xef\xbb\xbfperiod,department,department_name,section,")
    assert export_stem(digest) == "checkin-2026-10"
    assert [name for name, _ in export_files(digest, "xlsx", "oct")] == ["oct.xlsx"]
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        export_files(digest, "pdf", "oct")


def test_one_row_per_department_and_kpi_in_configuration_order(digest: Digest) -> None:
    config = organization()
    rows = kpi_csv(digest)
    assert list(rows) == [(d.key, k) for d in config.departments for k in d.kpis]
    assert {r["period"] for r in rows.values()} == {"2026-10"}
    # a roll-up parent shows its children's sum; a derived KPI its formula over the month
    assert (rows["north", "revenue"]["actual"], rows["north", "revenue"]["source"]) == (
        "1095", "rollup")
    avg = rows["n1", "avg_order"]
    assert avg["source"] == "derived"
    assert re.fullmatch(r"498\.3{20,}", avg["actual"]), avg["actual"]
    assert (avg["ytd"], avg["unit"]) == ("1165", "CNY")
    assert rows["n1", "revenue"]["source"] == "submitted"


def test_numbers_are_plain_decimals_and_ratios_are_fractions(digest: Digest) -> None:
    revenue = kpi_csv(digest)["n1", "revenue"]
    assert {column: revenue[column] for column in KPI_COLUMNS[6:]} == {
        "actual": "1495", "target": "1000", "stretch": "1200", "attainment": "1.495",
        "mom": "-0.2525", "yoy": "", "ytd": "3495", "annual_plan": "12000",
        "ytd_share": "0.29125", "pace_share": revenue["pace_share"], "status": "green",
        "source": "submitted"}  # ahead of pace over the two months it reported
    assert re.fullmatch(r"0\.16{20,}7?", revenue["pace_share"]), revenue["pace_share"]
    assert kpi_csv(digest)["n1", "churn"]["actual"] == "3.4"  # trailing zeros dropped


def test_negative_tiny_and_huge_numbers_are_written_in_full_and_never_prefixed(
        digest: Digest) -> None:
    rows = kpi_csv(digest)
    assert rows["n2", "revenue"]["actual"] == "-500"
    assert rows["n2", "revenue"]["ytd"] == "-500"
    assert rows["n2", "churn"]["actual"] == TINY
    assert rows["n2", "customers"]["actual"] == HUGE


def test_no_value_is_an_empty_cell(digest: Digest) -> None:
    solo = kpi_csv(digest)["solo", "revenue"]
    assert [solo[c] for c in KPI_COLUMNS[6:]] == [""] * 12
    orders = kpi_csv(digest)["n3", "orders"]
    assert (orders["actual"], orders["source"], orders["status"]) == ("", "", "")


def test_text_cells_that_look_like_formulas_are_guarded(digest: Digest) -> None:
    rows = kpi_csv(digest)
    assert rows["n1", "revenue"]["department_name"] == "'@North One"
    assert rows["n2", "revenue"]["department_name"] == "'-North Two"
    assert rows["n1", "orders"]["kpi_name"] == "'+Orders"
    assert rows["north", "revenue"]["department_name"] == "North Region"


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", HYPERLINK])
def test_a_risky_text_gets_a_quote(text: str) -> None:
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(("value", "expected"), [
    ("North", "North"), ("1-2", "1-2"), ("", ""), (None, ""), (Decimal("-5"), "-5"),
    (Decimal("-0.25"), "-0.25"), (Decimal("+7"), "7")])
def test_numbers_and_plain_text_are_not_guarded(value: str | Decimal | None,
                                                expected: str) -> None:
    assert csv_cell(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("1E-12", "0.000000000001"), ("1.5E+20", "150000000000000000000"), ("1E+2", "100"),
    ("2200000.00", "2200000"), ("-3.50", "-3.5"), ("-0.000", "0"), ("0E-8", "0"),
    ("100", "100"), ("0.10", "0.1")])
def test_plain_decimal(value: str, expected: str) -> None:
    assert plain_decimal(Decimal(value)) == expected


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_plain_decimal_is_exact_and_never_uses_an_exponent(value: Decimal) -> None:
    text = plain_decimal(value)
    assert re.fullmatch(r"-?[0-9]+(\.[0-9]*[1-9])?", text), text
    assert Decimal(text) == value


def test_a_non_finite_number_is_refused() -> None:
    with pytest.raises(ValueError, match="non-finite"):
        plain_decimal(Decimal("NaN"))


def test_sections_are_the_non_empty_answers_with_their_keys_and_status(digest: Digest) -> None:
    content = dict(export_files(digest, "csv", "oct"))["oct-sections.csv"]
    rows = [[row[c] for c in SECTION_COLUMNS[1:]] for row in read_csv(content)]
    assert rows == [
        ["n1", "'@North One", "sales", "Sales", "submitted", "'" + HYPERLINK],
        ["n2", "'-North Two", "problems", "Problems and requests", "late",
         "Fibre backlog\nTwo installers short"],
        ["solo", "Solo Office", "sales", "Sales", "not submitted", "A draft, not sent"]]


def test_xlsx_has_the_kpis_and_sections_sheets_formatted_for_reading(digest: Digest) -> None:
    [(_, content)] = export_files(digest, "xlsx", "oct")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["KPIs", "Sections", "Asks", "Ask history", "Revisions"]
    kpis, sections = book["KPIs"], book["Sections"]
    assert [c.value for c in kpis[1]] == list(KPI_COLUMNS)
    assert [c.value for c in sections[1]] == list(SECTION_COLUMNS)
    assert all(c.font.b for c in kpis[1])
    assert (kpis.freeze_panes, kpis.auto_filter.ref) == ("A2", "A1:R23")
    assert (sections.freeze_panes, sections.auto_filter.ref) == ("A2", "A1:G4")
    assert kpis.column_dimensions["B"].width > 6
    rows = {(r[1].value, r[3].value): r for r in kpis.iter_rows(min_row=2)}
    revenue = rows["n1", "revenue"]
    cells = dict(zip(KPI_COLUMNS, revenue, strict=True))
    assert cells["actual"].value == 1495
    assert cells["actual"].data_type == "n"
    assert cells["actual"].number_format == "#,##0"
    assert (cells["attainment"].value, cells["attainment"].number_format) == (1.495, "0.0%")
    assert cells["mom"].value == pytest.approx(-0.2525)
    assert (cells["yoy"].value, cells["status"].value) == (None, "green")  # ahead of pace
    churn = dict(zip(KPI_COLUMNS, rows["n1", "churn"], strict=True))
    assert (churn["actual"].value, churn["actual"].number_format) == (3.4, "#,##0.00")
    name = cells["department_name"]
    assert (name.value, name.data_type, name.quotePrefix) == ("@North One", "s", True)
    assert not cells["kpi_name"].quotePrefix
    text = sections["G2"]
    assert (text.value, text.data_type, text.quotePrefix) == (HYPERLINK, "s", True)
    assert sections["G3"].alignment.wrap_text
    assert sections["G3"].value == "Fibre backlog\nTwo installers short"
    assert not sections["G3"].quotePrefix
