"""Last month's written answers of a department, for the form's "Use last month's text"
buttons: sections that change little (the team, the market) are brought forward in one click
instead of being retyped."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.periods import SUBMITTED_STATES, Month
from summaries.store.models import Department, Period, SectionAnswer, Submission


def last_month_texts(session: Session, month: Month, department: str) -> dict[str, str]:
    """The answers ``department`` submitted for the month before ``month``, by section key
    (empty sections and drafts left out: only what was sent counts as last month's text)."""
    rows = session.execute(
        select(SectionAnswer.section_key, SectionAnswer.text)
        .join(Submission, SectionAnswer.submission_id == Submission.id)
        .join(Period, Submission.period_id == Period.id)
        .join(Department, Submission.department_id == Department.id)
        .where(Period.key == str(month.shift(-1)), Department.key == department,
               Submission.status.in_(list(SUBMITTED_STATES)))).tuples()
    return {key: text for key, text in rows if text and text.strip()}
