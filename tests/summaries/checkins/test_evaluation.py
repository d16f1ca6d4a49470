"""Evaluating a stored month: figures and targets from the database, flags kept once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.checkins.evaluation import (
    evaluate_period,
    first_month_needed,
    load_targets,
    needed_departments,
    refresh_flags,
)
from summaries.checkins.submissions import record_submission
from summaries.config.schema import Config
from summaries.engine.report import PeriodReport
from summaries.periods import Month
from summaries.store.catalog import Catalog
from summaries.store.figures import get_or_create_period, set_figure
from summaries.store.models import Flag, Target

D = Decimal
OCT = "2026-10"



def evaluated_and_stored(db: Session, config: Config, period: str | Month,
                         **kwargs: Any) -> PeriodReport:
    """Evaluate, then store the flags, as the close does."""
    report = evaluate_period(db, config, period, **kwargs)
    refresh_flags(db, report)
    return report

def stored_flags(db: Session) -> list[tuple[str, str, str]]:
    rows = db.scalars(select(Flag).order_by(Flag.id)).all()
    return [(r.kpi_key, r.rule, r.severity) for r in rows]


def submit(db: Session, config: Config, department: str, user: str,
           **figures: str) -> None:
    answers = {"sales": "On plan."} if department != "safety" else {}
    record_submission(db, config, period=OCT, department=department, user=user,
                      answers=answers, figures={k: D(v) for k, v in figures.items()})


@pytest.mark.usefixtures("catalog")
def test_flags_are_stored_once_and_updated_in_place(db: Session, config: Config) -> None:
    submit(db, config, "key-accounts", "U0KA", churn_rate="3.40")
    submit(db, config, "east-county", "U0EAST", revenue="2200000", arrears_recovery="97.5")
    evaluated_and_stored(db, config, OCT)
    first = stored_flags(db)
    assert ("churn_rate", "threshold", "red") in first
    assert ("arrears_recovery", "threshold", "red") in first
    assert ("revenue", "below_target", "red") in first
    ids = {r.rule + r.kpi_key: r.id for r in db.scalars(select(Flag))}
    evaluated_and_stored(db, config, OCT)
    assert stored_flags(db) == first  # evaluating again never duplicates

    submit(db, config, "east-county", "U0EAST", revenue="2300000")  # within 5%: amber
    evaluated_and_stored(db, config, OCT)
    below = db.scalars(select(Flag).where(Flag.rule == "below_target")).one()
    assert (below.id, below.severity) == (ids["below_targetrevenue"], "amber")
    assert below.params is not None
    assert below.params["actual"] == "2300000"


@pytest.mark.usefixtures("catalog")
def test_a_flag_whose_cause_went_away_is_removed(db: Session, config: Config) -> None:
    submit(db, config, "key-accounts", "U0KA", churn_rate="3.40")
    evaluated_and_stored(db, config, OCT)
    assert ("churn_rate", "threshold", "red") in stored_flags(db)
    submit(db, config, "key-accounts", "U0KA", churn_rate="1.09")
    report = evaluated_and_stored(db, config, OCT)
    assert ("churn_rate", "threshold", "red") not in stored_flags(db)
    result = report.department("key-accounts")
    assert result is not None
    churn = result.cell("churn_rate")
    assert churn is not None
    assert (churn.actual, churn.status) == (D("1.09"), "green")


@pytest.mark.usefixtures("catalog")
def test_missing_flags_come_with_the_close_and_go_with_a_late_figure(
        db: Session, config: Config) -> None:
    period = get_or_create_period(db, OCT)
    evaluated_and_stored(db, config, OCT)
    assert [f for f in stored_flags(db) if f[1] == "missing"] == []
    period.state = "closed"
    db.flush()
    report = evaluated_and_stored(db, config, OCT)
    missing = [d.key for d in report.departments if not d.submitted]
    assert len([f for f in stored_flags(db) if f[1] == "missing"]) == len(missing) == 5
    submit(db, config, "safety", "U0SAFE", inspections="2")
    evaluated_and_stored(db, config, OCT)
    rules = [f[1] for f in stored_flags(db)]
    assert rules.count("missing") == 4
    assert "late" in rules


@pytest.mark.usefixtures("catalog")
def test_an_evaluation_of_some_departments_keeps_the_others_flags(
        db: Session, config: Config) -> None:
    submit(db, config, "key-accounts", "U0KA", churn_rate="3.40")
    submit(db, config, "east-county", "U0EAST", arrears_recovery="97.5")
    evaluated_and_stored(db, config, OCT)
    before = stored_flags(db)
    submit(db, config, "east-county", "U0EAST", arrears_recovery="99")
    report = evaluated_and_stored(db, config, OCT, departments=["east-county"])
    assert [d.key for d in report.departments] == ["east-county"]
    after = stored_flags(db)
    assert ("churn_rate", "threshold", "red") in after
    assert ("arrears_recovery", "threshold", "red") not in after
    assert len(after) == len(before) - 1


def test_imported_history_feeds_ytd_and_is_marked(db: Session, config: Config,
                                                    catalog: Catalog) -> None:
    dept, kpi = catalog.department_ids["key-accounts"], catalog.kpi_ids["revenue"]
    for month in range(1, 11):
        period = get_or_create_period(db, f"2026-{month:02d}")
        set_figure(db, period.id, dept, kpi, "revenue", D("5013000"), by="import",
                   source="imported")
    report = evaluate_period(db, config, OCT)
    result = report.department("key-accounts")
    assert result is not None
    revenue = result.cell("revenue")
    assert revenue is not None
    assert (revenue.source, revenue.ytd, revenue.pace_band) == ("imported", D(50130000), "amber")
    assert db.scalars(select(Flag)).first() is None  # evaluating writes nothing


def test_an_evaluation_reads_a_year_back_or_to_the_start_of_a_streaks_year(
        config: Config) -> None:
    assert first_month_needed(config, Month(2026, 10)) == Month(2025, 10)
    assert first_month_needed(config, Month(2026, 2)) == Month(2025, 1)


def test_a_department_needs_its_siblings_and_their_children(config: Config) -> None:
    assert needed_departments(config, ["east-county"]) == {"east-county", "west-county"}
    assert needed_departments(config, ["marketing"]) == {
        "key-accounts", "marketing", "east-county", "west-county", "safety"}


@pytest.mark.parametrize("stored", [None, ["0.05", "0.07", "0.1", "0.08", "0.08", "0.08", "0.08",
                                           "0.08", "0.09", "0.09", "0.1", "0.1"]])
def test_an_annual_plan_s_phasing_is_read_back_as_stored(
        db: Session, catalog: Catalog, stored: list[str] | None) -> None:
    """Read as the column's text (the driver's JSON parsing skipped): a plan without phasing
    (stored as a JSON null) reads as None, one with it as the exact decimals."""
    later = Month.parse("2031-10")  # a year no other test sets targets for
    db.add_all([Target(kpi_id=catalog.kpi_ids["revenue"], kind="annual", year=later.year,
                       department_id=catalog.department_ids["key-accounts"],
                       value=D("61680000"), phasing=stored),
                Target(kpi_id=catalog.kpi_ids["revenue"], kind="monthly", month=str(later),
                       department_id=catalog.department_ids["key-accounts"], value=D(5))])
    db.flush()
    rows = {row.kind: row for row in load_targets(db, later, later, kpis={"revenue"},
                                                  departments={"key-accounts"})}
    assert rows["monthly"].phasing is None
    assert rows["annual"].phasing == (None if stored is None else tuple(D(w) for w in stored))
