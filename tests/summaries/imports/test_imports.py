"""CSV imports of figures and targets (SPEC sections 3 and 10): all or nothing, named places."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.config.loader import load_config
from summaries.config.schema import Config
from summaries.errors import InputError
from summaries.imports.importers import import_figures, import_targets
from summaries.imports.report import ImportReport
from summaries.store.catalog import Catalog, sync_config
from summaries.store.figures import get_or_create_period, set_figure
from summaries.store.models import Figure, Period, Revision, Target
from tests.support.importkit import (
    EXAMPLES,
    FIGURES_OK,
    TARGETS_OK,
    assert_nothing_written,
    count,
    problems_of,
    write,
)

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


def test_a_revised_annual_plan_imports_with_its_from_month(
        db: Session, config: Config, catalog: Catalog, tmp_path: Path) -> None:
    text = ("kpi,department,month,year,target,stretch,annual,phasing,max,min,from\n"
            "revenue,key-accounts,,2026,,,61680000,,,,\n"
            "revenue,key-accounts,,2026,,,66000000,,,,2026-09\n")
    report = import_targets(db, config, write(tmp_path, "plans.csv", text), by="U0OPS")
    assert [c.description for c in report.changes] == [  # the first is the file's already
        "annual revenue key-accounts 2026 from 2026-09: new 66000000"]
    assert (report.changed, report.unchanged) == (1, 1)
    assert count(db, Target, source="csv") == 1
