"""Typed SQLAlchemy 2 models: the stored history of check-ins, figures, targets and flags."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from summaries.periods import PeriodState, SubmissionStatus
from summaries.store.base import KEY, USER, Base
from summaries.store.types import Amount, UtcDateTime, utcnow


class Department(Base):
    """A department as configured; kept (inactive) when it leaves the configuration."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_key: Mapped[str | None] = mapped_column(String(KEY))
    manager_id: Mapped[str] = mapped_column(String(USER))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Kpi(Base):
    """A KPI as configured; kept (inactive) when it leaves the configuration."""

    __tablename__ = "kpis"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40), default="")
    decimals: Mapped[int] = mapped_column(Integer, default=0)
    better: Mapped[str] = mapped_column(String(8), default="higher")
    accumulate: Mapped[str] = mapped_column(String(8), default="sum")
    formula: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Period(Base):
    """A month (``YYYY-MM``) and where its cycle stands: pending, open or closed."""

    __tablename__ = "periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(7), unique=True)
    state: Mapped[str] = mapped_column(String(16), default=PeriodState.PENDING)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Submission(Base):
    """One department's summary for one period: a draft until submitted (or late)."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("period_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=SubmissionStatus.DRAFT)
    submitted_by: Mapped[str | None] = mapped_column(String(USER))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(USER))
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # None is SQL NULL, not the JSON value null, so "no draft" reads the same in every query.
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    draft_updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Reopened by an admin: the manager may edit until then, even after the late window.
    reopened_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reopened_by: Mapped[str | None] = mapped_column(String(USER))
    # Why the month was marked "nothing to report" (status skipped); cleared by a submit.
    skip_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    period: Mapped[Period] = relationship()
    department: Mapped[Department] = relationship()
    answers: Mapped[list[SectionAnswer]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )


class SectionAnswer(Base):
    """The text of one section of a submitted summary."""

    __tablename__ = "section_answers"
    __table_args__ = (UniqueConstraint("submission_id", "section_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    section_key: Mapped[str] = mapped_column(String(KEY))
    text: Mapped[str] = mapped_column(Text)

    submission: Mapped[Submission] = relationship(back_populates="answers")


class Figure(Base):
    """A KPI's value for one department and month, submitted or imported."""

    __tablename__ = "figures"
    # The second index answers lookups of one KPI across every department (/kpi, trends) by
    # itself: a KPI's figures sit together in it, where the table spreads them over a page each.
    __table_args__ = (UniqueConstraint("period_id", "department_id", "kpi_id"),
                      Index("ix_figures_kpi_period", "kpi_id", "period_id", "department_id",
                            "value", "source"))

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(Amount)
    source: Mapped[str] = mapped_column(String(16), default="submitted")
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Revision(Base):
    """One changed value: who, when, old and new (``field`` is ``section:<key>``/``kpi:<key>``)."""

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_period_department", "period_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(80))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="submitted")
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Target(Base):
    """A dated target: monthly target, annual plan, control limit (max) or floor (min).

    Rows are never updated: a later row for the same kind, KPI, department and month or year
    replaces an earlier one from its own month on, and history keeps both.
    ``department_id`` NULL means every department; ``month`` is the target's month for a
    monthly target, and the first month in force for a limit, a floor or a revised annual plan
    (NULL: every month, or the plan's whole year).
    """

    __tablename__ = "targets"
    # By KPI and department: a lookup's targets are those of a few departments and those set
    # for every department (NULL), which PostgreSQL then seeks as two ranges of the index.
    __table_args__ = (Index("ix_targets_lookup", "kpi_id", "department_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(8))
    month: Mapped[str | None] = mapped_column(String(7))
    year: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(Amount)
    stretch: Mapped[Decimal | None] = mapped_column(Amount)
    phasing: Mapped[list[str] | None] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(16), default="config")
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Flag(Base):
    """A problem the engine found, once per period, department, KPI, rule and subject."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("period_id", "department_id", "kpi_key", "rule", "subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    kpi_key: Mapped[str] = mapped_column(String(KEY), default="")
    rule: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(120), default="")
    severity: Mapped[str] = mapped_column(String(8))
    # The flag's facts (``FlagSpec.params``), worded when read, in the reader's language.
    params: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True))
    # The English sentence flags were stored as before they kept their facts (0010); shown
    # only where it could not be read back into ``params``. Flags stored since have none.
    message: Mapped[str | None] = mapped_column(Text)
    # The size of the miss (points for % KPIs, else relative); None for rules that miss nothing.
    gap: Mapped[Decimal | None] = mapped_column(Amount, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AskRow(Base):
    """An ask of leadership: one line of a ``raise: true`` section (SPEC 5.2)."""

    __tablename__ = "asks"
    __table_args__ = (Index("ix_asks_period_department", "period_id", "department_id"),
                      Index("ix_asks_state", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    section_key: Mapped[str] = mapped_column(String(KEY))
    position: Mapped[int] = mapped_column(Integer, default=0)  # its line's place in the section
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    assignee: Mapped[str | None] = mapped_column(String(USER))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    events: Mapped[list[AskEventRow]] = relationship(
        back_populates="ask", cascade="all, delete-orphan", order_by="AskEventRow.id")


class AskEventRow(Base):
    """One change of an ask: who, when, from which state to which, and the words with it."""

    __tablename__ = "ask_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ask_id: Mapped[int] = mapped_column(ForeignKey("asks.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    assignee: Mapped[str | None] = mapped_column(String(USER))

    ask: Mapped[AskRow] = relationship(back_populates="events")


class AwayRow(Base):
    """A manager away with a deputy, set from Slack (``/checkin away``); ``back`` ends it.

    The days are the organization's calendar days, both included. A row overrides the
    configuration's ``away:`` entries for the days it covers, so ``back`` can end a configured
    absence too (SPEC 5.3)."""

    __tablename__ = "away_periods"
    __table_args__ = (Index("ix_away_periods_manager", "manager", "first_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    manager: Mapped[str] = mapped_column(String(USER))
    deputy: Mapped[str] = mapped_column(String(USER))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(USER))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # ``back`` before last_day
