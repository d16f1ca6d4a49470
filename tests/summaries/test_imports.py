"""CSV imports of figures and targets (SPEC sections 3 and 10): all or nothing, named places."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from summaries.catalog import Catalog, sync_config
from summaries.config_loader import Config, load_config
from summaries.errors import InputError
from summaries.imports import ImportReport, import_figures, import_targets
from summaries.models import Base, Figure, Period, Revision, Target
from summaries.records import get_or_create_period, set_figure

EXAMPLES = Path(__file__).parents[2] / "examples"
TARGETS_HEADER = "kpi,department,month,target,stretch"
TARGETS_OK = """\
kpi,department,month,target,stretch
revenue,east-county,2026-09,2300000,2600000
revenue,west-county,2026-09,2100000,
arrears_recovery,east-county,2026-09,98.5,
revenue,marketing,2026-09,6600000,7000000
inspections,safety,2026-09,3,
"""
FIGURES_OK = """\
kpi,department,month,value
revenue,east-county,2026-09,2400000
arrears_recovery,east-county,2026-09,98.7
inspections,safety,2026-09,3
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems_of(raised: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in raised.value.problems]


def count(db: Session, model: type[Base], **where: Any) -> int:
    query = select(func.count()).select_from(model).filter_by(**where)
    return db.execute(query).scalar_one()


@pytest.fixture
def flushes(db: Session, catalog: Catalog) -> Iterator[list[int]]:
    """Counts the session's flushes from here on (after the catalog is synced)."""
    seen: list[int] = []

    def on_flush(session: Session, context: Any) -> None:
        seen.append(1)

    event.listen(db, "after_flush", on_flush)
    yield seen
    event.remove(db, "after_flush", on_flush)


def assert_nothing_written(db: Session, flushes: list[int]) -> None:
    assert flushes == []
    assert (list(db.new), list(db.dirty), list(db.deleted)) == ([], [], [])
    assert count(db, Target, source="csv") == 0
    assert count(db, Figure) == 0
    assert count(db, Revision) == 0
    assert count(db, Period) == 0


# --- all or nothing -------------------------------------------------------------------------

def test_one_bad_row_in_the_middle_rejects_the_whole_file(
        db: Session, config: Config, flushes: list[int], tmp_path: Path) -> None:
    bad = TARGETS_OK.replace("98.5", "ninety")
    with pytest.raises(InputError) as raised:
        import_targets(db, config, write(tmp_path, "targets.csv", bad), by="U0OPS")
    assert problems_of(raised) == ["targets.csv:4: target: not a number: 'ninety'"]
    assert str(raised.value) == "targets.csv:4: target: not a number: 'ninety'"
    assert_nothing_written(db, flushes)


def test_the_fixed_file_imports_and_a_second_import_changes_nothing(
        db: Session, config: Config, catalog: Catalog, tmp_path: Path) -> None:
    path = write(tmp_path, "targets.csv", TARGETS_OK)
    report = import_targets(db, config, path, by="U0OPS", dry_run=False)
    assert (report.rows, report.changed, report.unchanged) == (5, 5, 0)
    assert report.summary() == "targets.csv: 5 rows, 5 changed, 0 unchanged"
    assert [c.line for c in report.changes] == [2, 3, 4, 5, 6]
    assert report.changes[0].description == (
        "target revenue east-county 2026-09: new 2300000 stretch 2600000")
    assert str(report.changes[2]) == "line 4: target arrears_recovery east-county 2026-09: new 98.5"
    db.commit()
    assert count(db, Target, source="csv") == 5

    again = import_targets(db, config, path, by="U0OPS")
    assert (again.rows, again.changed, again.unchanged) == (5, 0, 5)
    assert again.changes == []
    assert again.summary() == "targets.csv: 5 rows, 0 changed, 5 unchanged"
    assert count(db, Target, source="csv") == 5


def test_dry_run_reports_what_would_change_and_writes_nothing(
        db: Session, config: Config, flushes: list[int], tmp_path: Path) -> None:
    targets = write(tmp_path, "targets.csv", TARGETS_OK)
    figures = write(tmp_path, "figures.csv", FIGURES_OK)
    dry_targets = import_targets(db, config, targets, by="U0OPS", dry_run=True)
    dry_figures = import_figures(db, config, figures, by="U0OPS", dry_run=True)
    assert dry_targets.summary() == "targets.csv: 5 rows, 5 would change, 0 unchanged"
    assert dry_figures.summary() == "figures.csv: 3 rows, 3 would change, 0 unchanged"
    assert_nothing_written(db, flushes)

    real_targets = import_targets(db, config, targets, by="U0OPS")
    real_figures = import_figures(db, config, figures, by="U0OPS")
    assert real_targets.changes == dry_targets.changes
    assert real_figures.changes == dry_figures.changes
    assert real_figures.summary() == "figures.csv: 3 rows, 3 changed, 0 unchanged"


def test_dry_run_does_not_flush_the_callers_pending_objects(
        db: Session, config: Config, flushes: list[int]) -> None:
    pending = Period(key="2030-01", state="pending")
    db.add(pending)
    report = import_figures(db, config, FIGURES_OK, filename="figures.csv", by="U0OPS",
                            dry_run=True)
    assert report.changed == 3
    assert flushes == []
    assert pending in db.new


def test_dry_run_of_a_change_shows_old_and_new(
        db: Session, config: Config, catalog: Catalog) -> None:
    store_figure(db, catalog, "revenue", "east-county", "2026-09", "2310000")
    db.commit()
    report = import_figures(db, config, FIGURES_OK, filename="figures.csv", by="U0OPS",
                            dry_run=True)
    assert report.changes[0].description == "revenue east-county 2026-09: 2310000 -> 2400000"
    assert (list(db.new), list(db.dirty)) == ([], [])
    assert db.scalars(select(Figure.value)).one() == Decimal(2310000)


# --- reading the file -----------------------------------------------------------------------

def test_a_file_with_a_bom_and_crlf_line_ends(
        db: Session, config: Config, catalog: Catalog, tmp_path: Path) -> None:
    path = write(tmp_path, "figures.csv", FIGURES_OK.replace("\n", "\r\n"), "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfkpi,")
    report = import_figures(db, config, path, by="U0OPS")
    assert report.summary() == "figures.csv: 3 rows, 3 changed, 0 unchanged"
    assert count(db, Figure, source="imported") == 3


def test_columns_in_any_order_trimmed_and_blank_lines_skipped(
        db: Session, config: Config, catalog: Catalog) -> None:
    text = ("\n value , KPI,month ,department\n"
            "  2400000 ,revenue , 2026-09,east-county\n"
            "\n"
            ",,,\n"
            "98.7,arrears_recovery,2026-09,east-county\n")
    report = import_figures(db, config, text, filename="figures.csv", by="U0OPS")
    assert [(c.line, c.description) for c in report.changes] == [
        (3, "revenue east-county 2026-09: new 2400000"),
        (6, "arrears_recovery east-county 2026-09: new 98.7"),
    ]
    values = dict(db.execute(select(Figure.kpi_id, Figure.value)).tuples().all())
    assert values == {catalog.kpi_ids["revenue"]: Decimal(2400000),
                      catalog.kpi_ids["arrears_recovery"]: Decimal("98.7")}


def test_line_numbers_are_physical_lines(db: Session, config: Config, catalog: Catalog) -> None:
    text = ('kpi,department,month,value\n'
            '"revenue","east-county","2026-09","1"\n'
            '\n'
            '"revenue","east-\ncounty","2026-10","1"\n'
            'revenue,east-county,2026-11,x\n')
    with pytest.raises(InputError) as raised:
        import_figures(db, config, text, filename="figures.csv", by="U0OPS")
    assert problems_of(raised) == [
        "figures.csv:4: department: unknown department 'east-\\ncounty'",
        "figures.csv:6: value: not a number: 'x'",
    ]


def test_bytes_and_files_that_cannot_be_read(
        db: Session, config: Config, catalog: Catalog, tmp_path: Path) -> None:
    report = import_figures(db, config, FIGURES_OK.encode("utf-8-sig"), filename="f.csv", by="x")
    assert report.changed == 3
    with pytest.raises(InputError) as raised:
        import_figures(db, config, tmp_path / "missing.csv", by="x")
    assert problems_of(raised) == ["missing.csv:1: file not found"]
    latin1 = write(tmp_path, "latin1.csv", "kpi,department,month,value\n\n"
                   "revenue,caf\u00e9,2026-09,1\n", "latin-1")
    with pytest.raises(InputError) as raised:
        import_figures(db, config, latin1, by="x")
    assert problems_of(raised) == ["latin1.csv:3: not UTF-8 text: save the file as CSV UTF-8"]


@pytest.mark.parametrize(("text", "expected"), [
    ("", ["figures.csv:1: no header row: the file must start with kpi,department,month,value"]),
    ("kpi,department,value\nrevenue,east-county,1\n", ["figures.csv:1: month: missing column"]),
    ("kpi,departmnet,month,value\n", [
        "figures.csv:1: department: missing column",
        "figures.csv:1: departmnet: unknown column; expected kpi, department, month, value"]),
    ("kpi,department,month,value,value\n", ["figures.csv:1: value: duplicate column"]),
])
def test_header_problems_are_on_line_1(
        db: Session, config: Config, flushes: list[int], text: str, expected: list[str]) -> None:
    with pytest.raises(InputError) as raised:
        import_figures(db, config, text, filename="figures.csv", by="U0OPS")
    assert problems_of(raised) == expected
    assert_nothing_written(db, flushes)


def test_an_unknown_column_is_reported_with_the_rows_problems(
        db: Session, config: Config, catalog: Catalog) -> None:
    text = "kpi,department,month,value,note\nrevenue,east-county,2026-09,x,hello\n"
    with pytest.raises(InputError) as raised:
        import_figures(db, config, text, filename="figures.csv", by="U0OPS")
    assert problems_of(raised) == [
        "figures.csv:1: note: unknown column; expected kpi, department, month, value",
        "figures.csv:2: value: not a number: 'x'",
    ]


@pytest.mark.parametrize(("header", "expected"), [
    ("kpi,department,month", "targets.csv:1: no value column: the header needs one of target, "
                             "annual, max or min"),
    ("kpi,department,target", "targets.csv:1: month: missing column: target needs month"),
    ("kpi,department,annual,phasing", "targets.csv:1: year: missing column: annual needs year"),
    ("kpi,department,month,stretch,max",
     "targets.csv:1: stretch: goes with a target column, which the header lacks"),
    ("kpi,department,year,phasing,target,month",
     "targets.csv:1: phasing: goes with an annual column, which the header lacks"),
    ("kpi,department,from,annual,year",
     "targets.csv:1: from: goes with a max or min column, which the header lacks"),
    ("kpi,max", "targets.csv:1: department: missing column"),
])
def test_targets_header_problems(
        db: Session, config: Config, catalog: Catalog, header: str, expected: str) -> None:
    with pytest.raises(InputError) as raised:
        import_targets(db, config, header + "\n", filename="targets.csv", by="U0OPS")
    assert problems_of(raised) == [expected]


# --- figures: every validation message ------------------------------------------------------

@pytest.mark.parametrize(("row", "expected"), [
    ("revnue,east-county,2026-09,1", "kpi: unknown KPI 'revnue'"),
    ("revenue,x,2026-09,1", "department: unknown department 'x'"),
    ("revenue,east-county,2026-13,1", "month: not a month (YYYY-MM): '2026-13'"),
    ("revenue,east-county,2026-9,1", "month: not a month (YYYY-MM): '2026-9'"),
    ("revenue,east-county,2026-09,-5", "value: below the KPI's minimum 0"),
    ("churn_rate,key-accounts,2026-09,100.5", "value: above the KPI's maximum 100"),
    ("revenue_per_customer,key-accounts,2026-09,5",
     "kpi: 'revenue_per_customer' is derived from a formula and cannot be imported"),
    ("inspections,east-county,2026-09,2",
     "kpi: 'inspections' is not a KPI of east-county (its KPIs: revenue, arrears_recovery)"),
    ("revenue,east-county,2026-09,ninety", "value: not a number: 'ninety'"),
    ("revenue,east-county,2026-09,nan", "value: not a finite number: 'nan'"),
    ("revenue,east-county,2026-09,inf", "value: not a finite number: 'inf'"),
    ("revenue,east-county,2026-09,-Infinity", "value: not a finite number: '-Infinity'"),
    ('revenue,east-county,2026-09,"2,400,000"',
     "value: thousands separators are not allowed: '2,400,000'; write 2400000"),
    ("revenue,east-county,2026-09,2 400 000.5",
     "value: thousands separators are not allowed: '2 400 000.5'; write 2400000.5"),
    ('revenue,east-county,2026-09,"2.400.000,5"',
     "value: thousands separators are not allowed: '2.400.000,5'; write 2400000.5"),
    ("revenue,east-county,2026-09,2_400_000",
     "value: thousands separators are not allowed: '2_400_000'; write 2400000"),
    ('arrears_recovery,east-county,2026-09,"98,5"',
     "value: use a point as the decimal mark: '98,5'; write 98.5"),
    ("arrears_recovery,east-county,2026-09,98%", "value: no % sign: '98%'; write 98"),
    ("revenue,east-county,2026-09,1e6", "value: not a plain decimal: '1e6'; write digits with "
                                        "an optional point, without exponent or spaces"),
    ("revenue,east-county,2026-09,1.123456789",
     "value: more than 8 decimal places: '1.123456789'"),
    ("revenue,east-county,2026-09,100000000000000000000",
     "value: too large: '100000000000000000000' (at most 20 digits before the point)"),
    ("revenue,east-county,2026-09,", "value: required"),
    (",east-county,2026-09,1", "kpi: required"),
    ("revenue,,2026-09,1", "department: required"),
    ("revenue,east-county,,1", "month: required"),
    ("revenue,east-county,2026-09,2,400,000",
     "6 cells, but the header has 4 columns: write numbers without thousands separators"),
])
def test_figure_validation_messages(db: Session, config: Config, flushes: list[int],
                                    row: str, expected: str) -> None:
    text = f"kpi,department,month,value\nrevenue,west-county,2026-09,1\n{row}\n"
    with pytest.raises(InputError) as raised:
        import_figures(db, config, text, filename="figures.csv", by="U0OPS")
    assert problems_of(raised) == [f"figures.csv:3: {expected}"]
    assert_nothing_written(db, flushes)


def test_plain_decimals_are_accepted(db: Session, config: Config, catalog: Catalog) -> None:
    text = ("kpi,department,month,value\nrevenue,east-county,2026-09,+2400000.50\n"
            "arrears_recovery,east-county,2026-09,.5\ninspections,safety,2026-09,-0\n"
            "revenue,west-county,2026-09,1.12345678\n")
    report = import_figures(db, config, text, filename="figures.csv", by="U0OPS")
    assert [c.new for c in report.changes] == ["2400000.5", "0.5", "0", "1.12345678"]


def test_every_problem_is_reported_not_only_the_first(
        db: Session, config: Config, flushes: list[int]) -> None:
    text = ("kpi,department,month,value\n"
            "revnue,x,2026-13,ninety\n"
            "revenue,east-county,2026-09,1\n"
            "revenue,east-county,2026-10,-1\n"
            "revenue,east-county,2026-09,2\n")
    with pytest.raises(InputError) as raised:
        import_figures(db, config, text, filename="figures.csv", by="U0OPS")
    assert problems_of(raised) == [
        "figures.csv:2: department: unknown department 'x'",
        "figures.csv:2: kpi: unknown KPI 'revnue'",
        "figures.csv:2: month: not a month (YYYY-MM): '2026-13'",
        "figures.csv:2: value: not a number: 'ninety'",
        "figures.csv:4: value: below the KPI's minimum 0",
        "figures.csv:5: duplicate of line 3",
    ]
    assert_nothing_written(db, flushes)


# --- targets: every validation message ------------------------------------------------------

UNION = "kpi,department,month,year,target,stretch,annual,phasing,max,min,from"
FLAT = ";".join(["1"] * 12)


@pytest.mark.parametrize(("row", "expected"), [
    ("revenue,east-county,2026-10,,ninety,,,,,,", "target: not a number: 'ninety'"),
    ("revenue,east-county,2026-10,,1,x,,,,,", "stretch: not a number: 'x'"),
    ("revenue,,2026-10,,1,,,,,,", "department: required for a monthly target (only max and "
                                  "min may leave it empty, meaning every department)"),
    ("revenue,,,2026,,,1,,,,", "department: required for an annual plan (only max and min may "
                               "leave it empty, meaning every department)"),
    ("revenue,east-county,2026-10,,1,,,,5,,",
     "max: this row already has target: put each kind of target on its own row"),
    ("churn_rate,,,,,,,,3,1,", "min: this row already has max: put each kind of target on its "
                               "own row"),
    ("revenue,east-county,2026-10,,,,,,,,", "no value: fill in one of target, annual, max or min"),
    ("revenue,east-county,,2026,,,1,1;1;1,,,",
     "phasing: needs twelve weights separated by ';', not 3: '1;1;1'"),
    ("revenue,east-county,,2026,,,1,1;x;1;1;1;1;1;1;1;1;1;1,,,",
     "phasing: weight 2: not a number: 'x'"),
    ("revenue,east-county,,2026,,,1,1;;1;1;1;1;1;1;1;1;1;1,,,", "phasing: weight 2: empty"),
    ("revenue,east-county,,2026,,,1,-1;2;1;1;1;1;1;1;1;1;1;1,,,",
     "phasing: weights must not be negative"),
    ("revenue,east-county,,2026,,,1,0;0;0;0;0;0;0;0;0;0;0;0,,,",
     "phasing: the weights add up to zero"),
    ("revenue,east-county,,26,,,1,,,,", "year: not a year between 2000 and 2100: '26'"),
    ("revenue,east-county,,,,,1,,,,", "year: required"),
    ("revenue,east-county,,2026,,,-1,,,,", "annual: below the KPI's minimum 0"),
    ("revenue,east-county,,,1,,,,,,", "month: required"),
    ("revenue,east-county,2026-10,2026,,,1,,,,",
     "month: goes with a monthly target, not with an annual plan"),
    ("churn_rate,,2026-10,,,,,,3,,", "month: goes with a monthly target, not with a control "
                                     "limit (max); use from for the first month in force"),
    ("churn_rate,,,,,2,,,3,,", "stretch: goes with a monthly target, not with a control "
                               "limit (max)"),
    (f"churn_rate,,,,,,,{FLAT},,1,", "phasing: goes with an annual plan, not with a floor (min)"),
    ("revenue,east-county,2026-10,,1,,,,,,2026-01", "from: goes with a control limit (max) or "
                                                    "a floor (min), not with a monthly target"),
    ("churn_rate,,,,,,,,150,,", "max: above the KPI's maximum 100"),
    ("churn_rate,,,,,,,,,-1,", "min: below the KPI's minimum 0"),
    ("churn_rate,,,,,,,,3,,2026-1", "from: not a month (YYYY-MM): '2026-1'"),
    ("churn_rate,nowhere,,,,,,,3,,", "department: unknown department 'nowhere'"),
    ("churn_rate,east-county,,,,,,,3,,",
     "kpi: 'churn_rate' is not a KPI of east-county (its KPIs: revenue, arrears_recovery)"),
    ("revnue,,,,,,,,3,,", "kpi: unknown KPI 'revnue'"),
    ("arrears_recovery,east-county,,2026,,,101,,,,", "annual: above the KPI's maximum 100"),
    ("revenue,east-county,2026-10,,inf,,,,,,", "target: not a finite number: 'inf'"),
    ('revenue,east-county,2026-10,,"2,400,000",,,,,,',
     "target: thousands separators are not allowed: '2,400,000'; write 2400000"),
    ("revenue,west-county,2026-10,,2,,,,,,", "duplicate of line 2"),
])
def test_target_validation_messages(db: Session, config: Config, flushes: list[int],
                                    row: str, expected: str) -> None:
    text = f"{UNION}\nrevenue,west-county,2026-10,,1,,,,,,\n{row}\n"
    with pytest.raises(InputError) as raised:
        import_targets(db, config, text, filename="targets.csv", by="U0OPS")
    assert problems_of(raised) == [f"targets.csv:3: {expected}"]
    assert_nothing_written(db, flushes)


def test_a_mixed_targets_file_is_stored_as_the_right_rows(
        db: Session, config: Config, catalog: Catalog, tmp_path: Path) -> None:
    text = (f"{UNION}\n"
            "revenue,west-county,2026-10,,2100000,2500000,,,,,\n"
            "revenue,west-county,,2026,,,22000000,7;6;8;8;8;9;8;8;9;9;10;10,,,\n"
            "broadband_a,key-accounts,,2026,,,800,,,,\n"
            "churn_rate,,,,,,,,2.5,,\n"
            "churn_rate,,,,,,,,2.8,,2027-01\n"
            "arrears_recovery,west-county,,,,,,,,97.5,2026-03\n"
            "revenue_per_customer,key-accounts,2026-10,,52000,,,,,,\n")
    report = import_targets(db, config, write(tmp_path, "targets.csv", text), by="U0OPS")
    assert [c.description for c in report.changes] == [
        "target revenue west-county 2026-10: new 2100000 stretch 2500000",
        "annual revenue west-county 2026: new 22000000 phasing 7;6;8;8;8;9;8;8;9;9;10;10",
        "annual broadband_a key-accounts 2026: new 800",
        "max churn_rate every department: 3 -> 2.5",
        "max churn_rate every department from 2027-01: new 2.8",
        "min arrears_recovery west-county from 2026-03: new 97.5",
        "target revenue_per_customer key-accounts 2026-10: new 52000",
    ]
    db.commit()
    kpi, dept = catalog.kpi_ids, catalog.department_ids
    rows = db.scalars(select(Target).where(Target.source == "csv").order_by(Target.id)).all()
    stored = [(r.kind, r.kpi_id, r.department_id, r.month, r.year, r.value, r.stretch, r.phasing)
              for r in rows]
    assert stored == [
        ("monthly", kpi["revenue"], dept["west-county"], "2026-10", None, Decimal(2100000),
         Decimal(2500000), None),
        ("annual", kpi["revenue"], dept["west-county"], None, 2026, Decimal(22000000), None,
         ["7", "6", "8", "8", "8", "9", "8", "8", "9", "9", "10", "10"]),
        ("annual", kpi["broadband_a"], dept["key-accounts"], None, 2026, Decimal(800), None,
         None),
        ("max", kpi["churn_rate"], None, None, None, Decimal("2.5"), None, None),
        ("max", kpi["churn_rate"], None, "2027-01", None, Decimal("2.8"), None, None),
        ("min", kpi["arrears_recovery"], dept["west-county"], "2026-03", None, Decimal("97.5"),
         None, None),
        ("monthly", kpi["revenue_per_customer"], dept["key-accounts"], "2026-10", None,
         Decimal(52000), None, None),
    ]
    again = import_targets(db, config, text, filename="targets.csv", by="U0OPS")
    assert (again.changed, again.unchanged) == (0, 7)


def test_a_later_target_is_added_and_history_keeps_both(
        db: Session, config: Config, catalog: Catalog) -> None:
    same = f"{TARGETS_HEADER}\nrevenue,east-county,2026-10,2400000,2800000\n"
    report = import_targets(db, config, same, filename="targets.csv", by="U0OPS")
    assert (report.changed, report.unchanged) == (0, 1)  # what the configuration already says

    text = f"{TARGETS_HEADER}\nrevenue,east-county,2026-10,2500000,2800000\n"
    report = import_targets(db, config, text, filename="targets.csv", by="U0OPS")
    assert [c.description for c in report.changes] == [
        "target revenue east-county 2026-10: 2400000 stretch 2800000 -> 2500000 stretch 2800000"]
    rows = db.scalars(select(Target).where(
        Target.kind == "monthly", Target.kpi_id == catalog.kpi_ids["revenue"],
        Target.department_id == catalog.department_ids["east-county"]).order_by(Target.id)).all()
    assert [(r.source, r.value) for r in rows] == [("config", Decimal(2400000)),
                                                   ("csv", Decimal(2500000))]


# --- figures --------------------------------------------------------------------------------

def store_figure(db: Session, catalog: Catalog, kpi: str, dept: str, month: str,
                 value: str) -> None:
    period = get_or_create_period(db, month)
    set_figure(db, period.id, catalog.department_ids[dept], catalog.kpi_ids[kpi], kpi,
               Decimal(value), by="U0EAST", source="submitted")


def test_a_figure_import_that_changes_one_value_adds_exactly_one_revision(
        db: Session, config: Config, catalog: Catalog, tmp_path: Path) -> None:
    store_figure(db, catalog, "revenue", "east-county", "2026-09", "2310000")
    store_figure(db, catalog, "arrears_recovery", "east-county", "2026-09", "98.70")
    db.commit()
    revisions = count(db, Revision)
    text = ("kpi,department,month,value\n"
            "revenue,east-county,2026-09,2400000\n"
            "arrears_recovery,east-county,2026-09,98.7\n")
    report = import_figures(db, config, write(tmp_path, "figures.csv", text),
                            by="import:figures.csv")
    assert [str(c) for c in report.changes] == [
        "line 2: revenue east-county 2026-09: 2310000 -> 2400000"]
    assert report.summary() == "figures.csv: 2 rows, 1 changed, 1 unchanged"
    db.commit()
    assert count(db, Revision) == revisions + 1
    revision = db.scalars(select(Revision).order_by(Revision.id.desc())).first()
    assert revision is not None
    assert (revision.field, revision.old_value, revision.new_value, revision.changed_by,
            revision.source) == ("kpi:revenue", "2310000", "2400000", "import:figures.csv",
                                 "imported")
    sources = dict(db.execute(select(Figure.kpi_id, Figure.source)).tuples().all())
    assert sources == {catalog.kpi_ids["revenue"]: "imported",
                       catalog.kpi_ids["arrears_recovery"]: "submitted"}  # same value: kept


def test_new_figures_are_imported_with_their_period_and_the_default_by(
        db: Session, config: Config, catalog: Catalog, tmp_path: Path) -> None:
    report = import_figures(db, config, write(tmp_path, "history.csv", FIGURES_OK))
    assert report.changed == 3
    db.commit()
    periods = db.scalars(select(Period)).all()
    assert [(p.key, p.state) for p in periods] == [("2026-09", "pending")]
    figures = db.scalars(select(Figure)).all()
    assert {(f.source, f.recorded_by) for f in figures} == {("imported", "import:history.csv")}
    assert count(db, Revision, changed_by="import:history.csv", source="imported") == 3


def test_a_kpi_the_department_does_not_report_is_rejected(
        db: Session, config: Config, flushes: list[int]) -> None:
    text = "kpi,department,month,value\nrevenue,safety,2026-09,1\ninspections,safety,2026-09,1\n"
    with pytest.raises(InputError) as raised:
        import_figures(db, config, text, filename="figures.csv", by="U0OPS")
    assert problems_of(raised) == [
        "figures.csv:2: kpi: 'revenue' is not a KPI of safety (its KPIs: inspections)"]
    assert_nothing_written(db, flushes)


def test_a_report_can_be_built_and_summarised_by_hand() -> None:
    report = ImportReport("figures.csv", dry_run=True, rows=120, unchanged=2)
    assert report.summary() == "figures.csv: 120 rows, 0 would change, 2 unchanged"


def test_the_example_history_imports_cleanly(db: Session) -> None:
    example = load_config(EXAMPLES / "checkin.yaml")
    sync_config(db, example)
    history = EXAMPLES / "history"
    counts = [import_targets(db, example, history / "targets.csv", by="t").rows,
              import_targets(db, example, history / "plans.csv", by="t").rows,
              import_figures(db, example, history / "figures.csv", by="t").rows]
    assert counts == [267, 7, 334]
    assert count(db, Figure, source="imported") == 334
    again = import_figures(db, example, history / "figures.csv", by="t", dry_run=True)
    assert (again.changed, again.unchanged) == (0, 334)
