"""A month with nothing to report (SPEC 5.3): handed in with a reason, never missing, never
off pace; filling in the form afterwards submits as usual."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from summaries.checkins.cycle import open_month
from summaries.checkins.evaluation import evaluate_period
from summaries.checkins.skipping import Skipped, skip_month, skip_reasons
from summaries.checkins.submissions import record_submission
from summaries.config.schema import Config
from summaries.engine.cell import Cell
from summaries.engine.flags import derive_flags
from summaries.errors import DomainError, PermissionDenied, ValidationFailed
from summaries.periods import Month, SubmissionStatus

OCTOBER = Month(2026, 10)
NOW = datetime(2026, 10, 30, 3, 0, tzinfo=UTC)


@pytest.fixture
def opened(db: Session, catalog: object) -> None:
    open_month(db, OCTOBER, NOW)


def skip(db: Session, config: Config, reason: str = "Office closed for renovation",
         user: str = "U0EAST") -> Skipped:
    return skip_month(db, config, month=OCTOBER, department="east-county", user=user,
                      reason=reason, now=NOW)


@pytest.mark.usefixtures("opened")
def test_a_skipped_month_is_handed_in_and_never_missing(db: Session, config: Config) -> None:
    skip(db, config)
    assert skip_reasons(db, OCTOBER) == {"east-county": "Office closed for renovation"}
    report = evaluate_period(db, config, OCTOBER, closed=True)
    east = report.department("east-county")
    assert east is not None
    assert east.submitted
    assert [f.rule for f in east.flags if f.rule == "missing"] == []
    west = report.department("west-county")
    assert west is not None
    assert "missing" in [f.rule for f in west.flags]


@pytest.mark.usefixtures("opened")
def test_skipping_is_checked(db: Session, config: Config) -> None:
    with pytest.raises(ValidationFailed):
        skip(db, config, "  ")
    with pytest.raises(PermissionDenied):
        skip(db, config, user="U0WEST")
    assert skip(db, config).changed
    assert not skip(db, config).changed  # the same reason again changes nothing


@pytest.mark.usefixtures("opened")
def test_filling_in_after_skipping_submits_and_then_skipping_is_refused(
        db: Session, config: Config) -> None:
    skip(db, config)
    result = record_submission(db, config, period=str(OCTOBER), department="east-county",
                               user="U0EAST", answers={"sales": "Busy after all"},
                               figures={"revenue": Decimal(100)}, now=NOW)
    assert result.first_submission
    assert result.status == SubmissionStatus.SUBMITTED
    assert skip_reasons(db, OCTOBER) == {}
    with pytest.raises(DomainError, match="already submitted"):
        skip(db, config)


def test_no_pace_flag_for_a_skipped_month(config: Config) -> None:
    spec = config.department_by_key["east-county"]
    cell = Cell(department="east-county", kpi="revenue", month=str(OCTOBER), actual=None,
                source=None, pace_band="red", ytd_share=Decimal("0.5"),
                pace_share=Decimal("0.8"))
    rules = {f.rule for f in derive_flags(config, spec, [cell], {}, "draft", period="2026-10",
                                          closed=True)}
    assert {"missing", "off_pace"} <= rules
    skipped = derive_flags(config, spec, [cell], {}, SubmissionStatus.SKIPPED,
                           period="2026-10", closed=True)
    assert {f.rule for f in skipped} & {"missing", "off_pace"} == set()
