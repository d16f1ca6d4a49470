"""CSV imports: every validation message, at its line and column (SPEC section 10)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.config.schema import Config
from summaries.errors import InputError
from summaries.imports.importers import import_figures, import_targets
from summaries.store.catalog import Catalog
from summaries.store.models import Target
from tests.support.importkit import (
    TARGETS_HEADER,
    assert_nothing_written,
    problems_of,
    write,
)

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
    ("revenue,east-county,2026-09,12.345",
     "value: must be a whole number (revenue has decimals: 0)"),
    ("arrears_recovery,east-county,2026-09,98.55",
     "value: at most 1 decimal place (arrears_recovery has decimals: 1)"),
    ("revenue,east-county,2026-09," + "1" * 2000,
     "value: too long for a number: '" + "1" * 24 + "'\u2026 (2,000 characters)"),
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
    # Syntax only: KPIs that do not set ``decimals`` take any places the column holds.
    text = ("kpi,department,month,value\ninspections,safety,2026-08,+2400000.50\n"
            "arrears_recovery,east-county,2026-09,.5\ninspections,safety,2026-09,-0\n"
            "inspections,safety,2026-07,1.12345678\n")
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
    ("revenue,east-county,2026-10,,1,,,,,,2026-01", "from: goes with an annual plan, a control "
                                                    "limit (max) or a floor (min), not with a "
                                                    "monthly target"),
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


