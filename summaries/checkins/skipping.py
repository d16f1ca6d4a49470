"""A month with nothing to report (SPEC 5.3): the manager (their deputy while they are away,
or an admin) hands in a reason instead of a summary. The month then counts as handed in: no
reminder, no ``missing`` flag and no pace flag; filling in the form later submits as usual."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.checkins.cycle import fillable_period
from summaries.checkins.submissions import (
    authorize_department,
    department_row,
    late_status,
    submission_row,
)
from summaries.config import schema as schema
from summaries.config.schema import Config
from summaries.dates import format_month
from summaries.errors import DomainError, ValidationFailed
from summaries.i18n import _
from summaries.periods import FILLED_IN_STATES, Month, SubmissionStatus
from summaries.store.figures import add_revision, get_or_create_period
from summaries.store.models import Department, Period, Submission

MAX_REASON_CHARS = 500  # a sentence or two; it is shown on one line in the digest
REASON_FIELD = "reason"


@dataclass(frozen=True)
class Skipped:
    """A month marked "nothing to report": whose, why, and whether this changed anything."""

    department: schema.Department
    reason: str
    changed: bool
    late: bool  # after the close: a posted digest needs updating


def skip_month(session: Session, config: Config, *, month: Month, department: str, user: str,
               reason: str, now: datetime) -> Skipped:
    """Mark ``department``'s ``month`` "nothing to report" with ``reason``; refused once the
    summary is submitted (edit it instead) and when the month takes no summaries."""
    text = " ".join(reason.split())
    if not text:
        raise ValidationFailed({REASON_FIELD: _("Say why there is nothing to report.")})
    if len(text) > MAX_REASON_CHARS:
        raise ValidationFailed({REASON_FIELD: _("At most {limit} characters; this has {count}.",
                                                limit=MAX_REASON_CHARS, count=len(text))})
    spec = authorize_department(config, department, user, session, now)
    fillable_period(session, config, month, now, department)
    period = get_or_create_period(session, str(month), now)
    submission = submission_row(session, period, department_row(session, department), now)
    if submission.status in FILLED_IN_STATES:
        raise DomainError(_("The {month} summary of {name} is already submitted; edit it "
                            "instead.", month=format_month(month, config.organization.locale),
                            name=spec.name))
    late = late_status(config, period, submission, now)
    old = submission.skip_reason
    if submission.status == SubmissionStatus.SKIPPED and old == text:
        return Skipped(spec, text, changed=False, late=late)
    if submission.status != SubmissionStatus.SKIPPED:
        submission.submitted_by, submission.submitted_at = user, now
    submission.status, submission.skip_reason = SubmissionStatus.SKIPPED, text
    submission.updated_by, submission.updated_at = user, now
    add_revision(session, submission.period_id, submission.department_id, "skipped", old, text,
                 user, "submitted", now)
    session.flush()
    return Skipped(spec, text, changed=True, late=late)


def skip_reasons(session: Session, month: Month) -> dict[str, str]:
    """The reasons of the departments whose ``month`` has nothing to report, by key."""
    rows = session.execute(
        select(Department.key, Submission.skip_reason).select_from(Submission)
        .join(Department, Submission.department_id == Department.id)
        .join(Period, Submission.period_id == Period.id)
        .where(Period.key == str(month), Submission.status == SubmissionStatus.SKIPPED)
    ).tuples().all()
    return {key: reason or "" for key, reason in rows}
