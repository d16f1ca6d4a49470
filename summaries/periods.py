"""Months as periods (``YYYY-MM``) and fiscal years; period and submission states; and the
check-in cycle's time rules: this month, the late window, when a summary is accepted and due.

The scheduled moments themselves (business days, open, reminders, close) are
:mod:`summaries.schedule`'s."""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from summaries.i18n import _


class PeriodState(StrEnum):
    """A period is pending until its cycle opens it, then open, then closed."""

    PENDING = "pending"
    OPEN = "open"
    CLOSED = "closed"


class SubmissionStatus(StrEnum):
    """A department's summary of a month: a draft until submitted, late if after the close;
    skipped when its manager marked the month "nothing to report" (SPEC 5.3)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    LATE = "late"
    SKIPPED = "skipped"


# Filled in: the form was submitted, on time or late.
FILLED_IN_STATES = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.LATE})
# Handed in: nothing more is owed for the month, so no reminder and no ``missing`` flag. A
# skipped month counts, since its manager answered, with a reason instead of a summary.
SUBMITTED_STATES = FILLED_IN_STATES | {SubmissionStatus.SKIPPED}
_PERIOD = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; ``str(Month(2026, 10))`` is ``2026-10``."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM``; raise ValueError with a plain message otherwise."""
        found = _PERIOD.match(text.strip())
        if not found:
            raise ValueError(_("not a month (YYYY-MM): {value}", value=repr(text)))
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        """The month that contains ``day``."""
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def shift(self, months: int) -> Month:
        """The month ``months`` later (earlier if negative)."""
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def previous(self) -> Month:
        """The month before this one."""
        return self.shift(-1)

    def first_day(self) -> date:
        """The month's first calendar day."""
        return date(self.year, self.month, 1)

    def last_day(self) -> date:
        """The month's last calendar day."""
        return date(self.year, self.month, _calendar.monthrange(self.year, self.month)[1])

    def days(self) -> list[date]:
        """Every calendar day of the month, in order."""
        first = self.first_day()
        return [first + timedelta(days=i) for i in range(self.last_day().day)]

    def fiscal_year(self, start_month: int) -> int:
        """The calendar year in which this month's fiscal year starts."""
        return self.year if self.month >= start_month else self.year - 1

    def fiscal_index(self, start_month: int) -> int:
        """1 for the fiscal year's first month ... 12 for its last."""
        return (self.month - start_month) % 12 + 1


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last`` inclusive."""
    count = (last.year * 12 + last.month) - (first.year * 12 + first.month)
    return [first.shift(i) for i in range(count + 1)]


def this_month(now: datetime, timezone: str) -> Month:
    """The month ``now`` falls in, as the calendar runs in the organization's ``timezone``."""
    return Month.of(now.astimezone(ZoneInfo(timezone)).date())


def late_until(closed_at: datetime, late_days: int) -> datetime:
    """The end of a closed period's late submissions: ``late_days`` after it closed."""
    return closed_at + timedelta(days=late_days)


def accepts_submissions(state: str, closed_at: datetime | None, now: datetime, late_days: int,
                        reopened_until: datetime | None = None) -> bool:
    """Whether a summary of a period in ``state`` can be submitted ``now``: while it is open,
    within the late window once closed, or until an admin's reopening ends."""
    if state == PeriodState.OPEN:
        return True
    if state != PeriodState.CLOSED:
        return False
    if reopened_until is not None and reopened_until >= now:
        return True
    return now <= late_until(closed_at or now, late_days)


def submission_deadline(state: str, closed_at: datetime | None, close_at: datetime,
                        late_days: int, reopened_until: datetime | None = None
                        ) -> tuple[datetime, bool]:
    """When a summary is due and whether that is the late deadline: the scheduled close, or
    once closed the end of late submissions (or of an admin's reopening, if later)."""
    if state == PeriodState.CLOSED and closed_at is not None:
        until = late_until(closed_at, late_days)
        return max(until, reopened_until or until), True
    return close_at, False
