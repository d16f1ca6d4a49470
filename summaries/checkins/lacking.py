"""What a department's summary still lacks, and who has none at the close: the facts the
reminders, their escalated copies and the close's "went out without you" message state.

Read in one pass for every department a reminder round concerns (a round may reach thousands
of managers), from what the form would open with: the draft where it has a field, else what
is stored for the month (a submitted answer, a figure typed in or imported)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from summaries.checkins.forms import KPI, SECTION, department_statuses, field_id, input_kpis
from summaries.config import schema as schema
from summaries.config.schema import Config
from summaries.periods import Month, SubmissionStatus
from summaries.store.models import Department, Figure, Kpi, Period, SectionAnswer, Submission

# The states in which nothing reached leadership. A status this module does not know (one
# added later, such as a month marked "nothing to report") is never counted as missing.
_NOTHING_IN = frozenset({None, SubmissionStatus.DRAFT})


def missing(status: str | None) -> bool:
    """Whether a summary in ``status`` (None: never started) counts as not handed in."""
    return status in _NOTHING_IN


@dataclass(frozen=True)
class Lacking:
    """How many of a department's sections and figures are still empty, of how many."""

    sections_empty: int
    sections: int
    figures_empty: int
    figures: int

    @property
    def complete(self) -> bool:
        """Every field is filled in: only the submit is missing."""
        return self.sections_empty == 0 and self.figures_empty == 0


def not_handed_in(session: Session, config: Config, month: Month) -> list[schema.Department]:
    """The departments expected in ``month`` with no summary in (see :func:`missing`)."""
    return [s.department for s in department_statuses(session, config, month)
            if missing(s.status)]


def drafts_lacking(session: Session, config: Config, month: Month,
                   departments: Sequence[schema.Department]) -> dict[str, Lacking]:
    """By department key: what ``departments``' summaries of ``month`` still lack."""
    keys = [d.key for d in departments]
    if not keys:
        return {}
    filled = _stored(session, month, keys)
    drafts = session.execute(
        select(Department.key, Submission.draft).select_from(Submission)
        .join(Period, Submission.period_id == Period.id)
        .join(Department, Submission.department_id == Department.id)
        .where(Period.key == str(month), Department.key.in_(keys))).tuples()
    for key, draft in drafts:
        for name, value in (draft or {}).items():  # the draft wins where it has a field
            if _blank(value):
                filled.setdefault(key, set()).discard(str(name))
            else:
                filled.setdefault(key, set()).add(str(name))
    return {d.key: _count(config, d, filled.get(d.key, set())) for d in departments}


def _stored(session: Session, month: Month, keys: Iterable[str]) -> dict[str, set[str]]:
    """The fields with a stored value: submitted section answers and the month's figures."""
    found: dict[str, set[str]] = {}
    answers = session.execute(
        select(Department.key, SectionAnswer.section_key, SectionAnswer.text)
        .select_from(SectionAnswer)
        .join(Submission, SectionAnswer.submission_id == Submission.id)
        .join(Period, Submission.period_id == Period.id)
        .join(Department, Submission.department_id == Department.id)
        .where(Period.key == str(month), Department.key.in_(list(keys)))).tuples()
    for key, section, text in answers:
        if not _blank(text):
            found.setdefault(key, set()).add(field_id(SECTION, section))
    figures = session.execute(
        select(Department.key, Kpi.key).select_from(Figure)
        .join(Period, Figure.period_id == Period.id)
        .join(Department, Figure.department_id == Department.id)
        .join(Kpi, Figure.kpi_id == Kpi.id)
        .where(Period.key == str(month), Department.key.in_(list(keys)))).tuples()
    for key, kpi in figures:
        found.setdefault(key, set()).add(field_id(KPI, kpi))
    return found


def _count(config: Config, department: schema.Department, filled: set[str]) -> Lacking:
    sections = [field_id(SECTION, s.key) for s in config.sections_of(department)]
    figures = [field_id(KPI, k.key) for k in input_kpis(config, department)]
    return Lacking(sum(f not in filled for f in sections), len(sections),
                   sum(f not in filled for f in figures), len(figures))


def _blank(value: object) -> bool:
    return value is None or not str(value).strip()
