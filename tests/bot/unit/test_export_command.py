"""``checkin export``: CSV and XLSX files of a month, guarded against formula injection."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli.export import default_period
from bot.cli.main import main
from summaries.periods import Month
from tests.support.botkit import sample_text
from tests.support.clikit import seed_october, stored

HYPERLINK = '=HYPERLINK("http://x","y")'
FIGURES = """kpi,department,month,value
revenue,key-accounts,2026-09,5000000
revenue,key-accounts,2026-10,4000000
customers,key-accounts,2026-10,80
revenue,east-county,2026-09,2000000
revenue,west-county,2026-09,1000000
revenue,west-county,2026-10,1100000
"""


@pytest.fixture
def october(database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI's database with imported figures and the October summary of East County, whose
    name, like its sales section, starts as a spreadsheet formula would."""
    config = tmp_path / "checkin.yaml"
    config.write_text(sample_text(**{"name: East County Company": "name: '-East County Company'"}),
                      encoding="utf-8")
    monkeypatch.setenv("CHECKIN_CONFIG", str(config))
    return seed_october(database, tmp_path, FIGURES, config,
                        {"sales": HYPERLINK, "plan": "Two more deals."})


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_writes_the_kpi_rows_and_the_sections_beside_them(
        october: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = stored(october)
    output = tmp_path / "out" / "october.csv"
    output.parent.mkdir()
    capsys.readouterr()
    assert main(["export", "--period", "2026-10", "--output", str(output)]) == 0
    sections_file = output.parent / "october-sections.csv"
    asks, history = (output.parent / f"october-{name}.csv" for name in ("asks", "ask-history"))
    assert capsys.readouterr().out == (f"wrote {output}\nwrote {sections_file}\n"
                                       f"wrote {asks}\nwrote {history}\n")
    rows = {(r["department"], r["kpi"]): r for r in read_csv(output)}
    assert len(rows) == 7 + 2 + 2 + 2 + 1
    east = rows["east-county", "revenue"]
    assert (east["department_name"], east["actual"], east["target"], east["stretch"],
            east["source"]) == ("'-East County Company", "2200000", "2400000", "2800000",
                                "submitted")
    assert east["attainment"].startswith("0.91666666")
    key_accounts = rows["key-accounts", "revenue"]
    assert (key_accounts["mom"], key_accounts["source"]) == ("-0.2", "imported")  # no quote
    assert (rows["key-accounts", "revenue_per_customer"]["actual"],
            rows["key-accounts", "revenue_per_customer"]["source"]) == ("50000", "derived")
    assert (rows["marketing", "revenue"]["actual"], rows["marketing", "revenue"]["source"]) == (
        "3300000", "rollup")
    assert rows["safety", "inspections"]["actual"] == ""
    sections = read_csv(sections_file)
    assert [(s["department"], s["department_name"], s["section"], s["status"])
            for s in sections] == [
        ("east-county", "'-East County Company", "sales", "submitted"),
        ("east-county", "'-East County Company", "plan", "submitted")]
    assert sections[0]["text"].startswith("'=HYPERLINK(")
    assert sections[0]["text"] == "'" + HYPERLINK
    assert stored(october) == before  # an export changes nothing
    assert before[1] == 0


def test_xlsx_is_chosen_by_the_extension_and_keeps_formulas_as_text(
        october: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "october.xlsx"
    capsys.readouterr()
    assert main(["export", "--period", "2026-10", "--output", str(output)]) == 0
    assert capsys.readouterr().out == f"wrote {output}\n"
    assert sorted(p.name for p in tmp_path.glob("october*")) == ["october.xlsx"]
    book = load_workbook(output)
    kpis, sections = book["KPIs"], book["Sections"]
    rows = {(r[1].value, r[3].value): r for r in kpis.iter_rows(min_row=2)}
    east = rows["east-county", "revenue"]
    name = east[2]
    assert (name.value, name.data_type, name.quotePrefix) == ("-East County Company", "s", True)
    assert (east[6].value, east[6].data_type, east[6].number_format) == (2200000, "n", "#,##0")
    mom = rows["key-accounts", "revenue"][10]
    assert (mom.value, mom.data_type, mom.number_format) == (-0.2, "n", "0.0%")
    assert not mom.quotePrefix
    text = sections["G2"]
    assert (sections["D2"].value, text.value, text.data_type, text.quotePrefix) == (
        "sales", HYPERLINK, "s", True)
    assert sections["G3"].value == "Two more deals."


def test_format_overrides_the_extension(
        october: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "october.dat"
    assert main(["export", "--period", "2026-10", "--format", "xlsx", "--output",
                 str(output)]) == 0
    assert output.read_bytes().startswith(b"PK\x03\x04")  # a zip: the XLSX container
    assert load_workbook(io.BytesIO(output.read_bytes())).sheetnames == [
        "KPIs", "Sections", "Asks", "Ask history", "Revisions"]


def test_without_period_or_output_last_month_goes_to_the_current_folder(
        october: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    month = default_period("Asia/Shanghai")
    capsys.readouterr()
    assert main(["export"]) == 0
    assert capsys.readouterr().out == (f"wrote checkin-{month}.csv\n"
                                       f"wrote checkin-{month}-sections.csv\n"
                                       f"wrote checkin-{month}-asks.csv\n"
                                       f"wrote checkin-{month}-ask-history.csv\n")
    rows = read_csv(tmp_path / f"checkin-{month}.csv")
    assert len(rows) == 14
    assert {r["period"] for r in rows} == {str(month)}


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 10, 31, 15, 59, tzinfo=UTC), Month(2026, 9)),  # 23:59 in Shanghai
    (datetime(2026, 10, 31, 16, 0, tzinfo=UTC), Month(2026, 10)),  # November there already
    (datetime(2027, 1, 5, tzinfo=UTC), Month(2026, 12))])
def test_the_default_period_is_last_month_in_the_organizations_time_zone(
        now: datetime, expected: Month) -> None:
    assert default_period("Asia/Shanghai", now) == expected


@pytest.mark.parametrize("period", ["2026-13", "October", "2026-1"])
def test_a_bad_period_is_one_line_and_exit_2(
        october: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], period: str) -> None:
    capsys.readouterr()
    assert main(["export", "--period", period, "--output", str(tmp_path / "x.csv")]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"checkin: not a month (YYYY-MM): {period!r}\n"
    assert captured.out == ""
    assert not (tmp_path / "x.csv").exists()


def test_an_unwritable_output_is_one_line_and_exit_2(
        october: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "missing" / "x.xlsx"
    capsys.readouterr()
    assert main(["export", "--period", "2026-10", "--output", str(output)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"checkin: {output}: the folder {output.parent} does not exist\n"
    assert captured.out == ""


def test_the_revision_trail_is_a_sheet_of_the_xlsx_and_a_file_beside_the_csv(
        october: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book_path = tmp_path / "october.xlsx"
    assert main(["export", "--period", "2026-10", "--output", str(book_path)]) == 0
    sheet = load_workbook(book_path)["Revisions"]
    header = [c.value for c in sheet[1]]
    assert header == ["period", "department", "department_name", "field", "old_value",
                      "new_value", "source", "changed_by", "changed_at"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    east = [r for r in rows if r[1] == "east-county"]
    assert {r[3] for r in east} >= {"section:sales", "kpi:revenue"}
    sales = next(r for r in east if r[3] == "section:sales")
    assert (sales[4], sales[5], sales[6]) == (None, HYPERLINK, "submitted")
    assert sheet.cell(row=rows.index(sales) + 2, column=6).quotePrefix  # a formula stays text
    output = tmp_path / "csv" / "october.csv"
    output.parent.mkdir()
    capsys.readouterr()
    assert main(["export", "--period", "2026-10", "--output", str(output), "--revisions"]) == 0
    trail = output.parent / "october-revisions.csv"
    assert f"wrote {trail}" in capsys.readouterr().out
    assert [r["field"] for r in read_csv(trail) if r["department"] == "east-county"] == [
        r[3] for r in east]
    assert main(["export", "--period", "2026-10", "--output", str(tmp_path / "plain.csv")]) == 0
    assert not (tmp_path / "plain-revisions.csv").exists()  # only when asked
