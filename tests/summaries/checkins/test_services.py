from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from summaries.checkins.submissions import SubmissionResult, record_submission, save_draft
from summaries.config.schema import Config
from summaries.errors import DomainError, PermissionDenied, ValidationFailed
from summaries.periods import Month
from summaries.store.catalog import Catalog
from summaries.store.figures import get_or_create_period, set_figure
from summaries.store.models import Figure, Period, Revision, SectionAnswer, Submission
from tests.support.series import read_kpi_series

ANSWERS = {"sales": "Revenue up 4% on plan.\nCollections on track.", "problems": "Tower permits"}
FIGURES = {"revenue": Decimal("5120000"), "customers": Decimal("412"),
           "churn_rate": Decimal("1.09")}


def submit(db: Session, config: Config, user: str = "U0KA",
           **changes: Decimal) -> SubmissionResult:
    figures: dict[str, Decimal | None] = {**FIGURES, **changes}
    answers = dict(ANSWERS)
    return record_submission(db, config, period="2026-10", department="key-accounts",
                             user=user, answers=answers, figures=figures)


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.usefixtures("catalog")
def test_recording_the_same_submission_twice_changes_nothing(db: Session, config: Config) -> None:
    first = submit(db, config)
    db.commit()
    revisions = count(db, Revision)
    assert revisions == len(ANSWERS) + len(FIGURES)  # the first values, from nothing
    again = submit(db, config)
    db.commit()
    assert count(db, Submission) == 1
    assert count(db, Revision) == revisions
    assert again.changed_fields == ()
    assert first.status == "submitted"


@pytest.mark.usefixtures("catalog")
def test_changing_one_figure_adds_exactly_one_revision(db: Session, config: Config) -> None:
    submit(db, config)
    db.commit()
    before = count(db, Revision)
    result = submit(db, config, user="U0OPS", revenue=Decimal("5200000"))
    db.commit()
    assert result.changed_fields == ("kpi:revenue",)
    assert count(db, Revision) == before + 1
    revision = db.scalars(select(Revision).order_by(Revision.id.desc())).first()
    assert revision is not None
    assert (revision.field, revision.old_value, revision.new_value, revision.changed_by) == (
        "kpi:revenue", "5120000", "5200000", "U0OPS")
    assert Decimal("5200000") in db.scalars(select(Figure.value)).all()


@pytest.mark.usefixtures("catalog")
def test_figures_are_exact_decimals(db: Session, config: Config) -> None:
    submit(db, config, churn_rate=Decimal("0.1"))
    db.commit()
    series = read_kpi_series(db, config, kpi="churn_rate", department="key-accounts",
                             first=Month(2026, 10), last=Month(2026, 10))
    assert series[0].value == Decimal("0.1")
    assert isinstance(series[0].value, Decimal)


@pytest.mark.usefixtures("catalog")
def test_editing_a_section_and_clearing_one(db: Session, config: Config) -> None:
    submit(db, config)
    db.commit()
    record_submission(db, config, period="2026-10", department="key-accounts", user="U0KA",
                      answers={"sales": "Revised text", "problems": ""}, figures={})
    db.commit()
    texts = dict(db.execute(select(SectionAnswer.section_key, SectionAnswer.text)).tuples().all())
    assert texts == {"sales": "Revised text"}
    fields = [r.field for r in db.scalars(select(Revision).order_by(Revision.id))][-2:]
    assert fields == ["section:sales", "section:problems"]


@pytest.mark.usefixtures("catalog")
def test_only_the_manager_or_an_admin_may_submit(db: Session, config: Config) -> None:
    with pytest.raises(PermissionDenied):
        submit(db, config, user="U0EAST")
    with pytest.raises(PermissionDenied):
        submit(db, config, user="U0CEO")  # a leader reads, but does not fill in
    assert count(db, Submission) == 0
    assert submit(db, config, user="U0OPS").status == "submitted"


@pytest.mark.usefixtures("catalog")
def test_invalid_values_are_reported_per_field_and_nothing_is_stored(
    db: Session, config: Config
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        record_submission(
            db, config, period="2026-10", department="key-accounts", user="U0KA",
            answers={"sales": "", "problems": "x" * 3001, "nonsense": "y"},
            figures={"churn_rate": Decimal("101"), "revenue": Decimal("-1"),
                     "revenue_per_customer": Decimal("5"), "inspections": Decimal("1")},
        )
    errors = caught.value.errors
    assert errors["section:sales"] == "Sales and payment collection is required"
    assert errors["section:problems"].startswith("at most 3,000 characters")
    assert "section:nonsense" in errors
    assert errors["kpi:churn_rate"] == "must be at most 100%"
    assert errors["kpi:revenue"] == "must be at least 0 CNY"
    assert errors["kpi:revenue_per_customer"] == (
        "Output per customer is calculated from other figures")
    assert errors["kpi:inspections"] == "not a KPI of this department"
    assert count(db, Submission) == 0
    assert count(db, Figure) == 0


@pytest.mark.usefixtures("catalog")
def test_submission_after_close_is_late_until_the_late_window_ends(
    db: Session, config: Config
) -> None:
    period = get_or_create_period(db, "2026-10")
    closed = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)
    period.state, period.closed_at = "closed", closed
    db.commit()
    result = record_submission(db, config, period="2026-10", department="key-accounts",
                               user="U0KA", answers=ANSWERS, figures=FIGURES,
                               now=closed + timedelta(days=2))
    assert result.status == "late"
    with pytest.raises(DomainError, match="no longer takes late submissions"):
        record_submission(db, config, period="2026-10", department="east-county",
                          user="U0EAST", answers={"sales": "late"}, figures={},
                          now=closed + timedelta(days=11))


@pytest.mark.usefixtures("catalog")
def test_a_draft_is_kept_and_cleared_by_submitting(db: Session, config: Config) -> None:
    save_draft(db, config, period="2026-10", department="key-accounts", user="U0KA",
               values={"section:sales": "half-typed", "kpi:revenue": "51"})
    db.commit()
    row = db.scalars(select(Submission)).one()
    assert row.status == "draft"
    assert row.draft == {"section:sales": "half-typed", "kpi:revenue": "51"}
    assert count(db, Figure) == 0  # a draft figure is not a figure
    submit(db, config)
    db.commit()
    db.refresh(row)
    assert row.draft is None
    assert row.status == "submitted"


@pytest.mark.usefixtures("catalog")
def test_kpi_series_has_gaps_as_none_and_derives_formulas(db: Session, config: Config) -> None:
    for month, revenue, customers in [("2026-08", "900", "3"), ("2026-10", "1000", "0")]:
        record_submission(db, config, period=month, department="key-accounts", user="U0KA",
                          answers={"sales": "ok"},
                          figures={"revenue": Decimal(revenue), "customers": Decimal(customers)})
    db.commit()
    series = read_kpi_series(db, config, kpi="revenue", department="key-accounts",
                             first=Month(2026, 8), last=Month(2026, 10))
    assert [(p.month, p.value) for p in series] == [
        ("2026-08", Decimal("900")), ("2026-09", None), ("2026-10", Decimal("1000"))]
    derived = read_kpi_series(db, config, kpi="revenue_per_customer", department="key-accounts",
                              first=Month(2026, 8), last=Month(2026, 10))
    assert [p.value for p in derived] == [Decimal("300"), None, None]  # 1000 / 0 is no value
    assert count(db, Period) == 2


def test_a_series_shows_roll_ups_and_derived_values(db: Session, config: Config,
                                                    catalog: Catalog) -> None:
    def put(dept: str, kpi: str, month: str, value: str) -> None:
        period = get_or_create_period(db, month)
        set_figure(db, period.id, catalog.department_ids[dept], catalog.kpi_ids[kpi], kpi,
                   Decimal(value), by="test", source="imported")

    put("east-county", "revenue", "2026-09", "2400000")
    put("west-county", "revenue", "2026-09", "1800000")
    put("east-county", "revenue", "2026-10", "2500000")  # west has not reported October
    put("key-accounts", "revenue", "2026-10", "5000000")
    put("key-accounts", "customers", "2026-10", "400")
    marketing = read_kpi_series(db, config, kpi="revenue", department="marketing",
                                first=Month(2026, 9), last=Month(2026, 10))
    assert [(p.month, p.value, p.source) for p in marketing] == [
        ("2026-09", Decimal(4200000), "rollup"), ("2026-10", None, None)]
    derived = read_kpi_series(db, config, kpi="revenue_per_customer", department="key-accounts",
                              first=Month(2026, 9), last=Month(2026, 10))
    assert [(p.value, p.source) for p in derived] == [(None, None), (Decimal(12500), "derived")]
