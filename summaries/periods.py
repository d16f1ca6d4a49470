"""Months as periods (``YYYY-MM``), fiscal years, business days, and the check-in cycle's
moments and time rules (when a month opens, closes and takes late submissions)."""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays as public_holidays

if TYPE_CHECKING:
    from summaries.config.schema import HolidayCalendar, OpenAt, Schedule



class PeriodState(StrEnum):
    """A period is pending until its cycle opens it, then open, then closed."""

    PENDING = "pending"
    OPEN = "open"
    CLOSED = "closed"


class SubmissionStatus(StrEnum):
    """A department's summary of a month: a draft until submitted, late if after the close."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    LATE = "late"


SUBMITTED_STATES = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.LATE})
_PERIOD = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
# How far a search for the next business day may run before the calendar counts as broken.
_MAX_SEARCH_DAYS = 400


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
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
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


class BusinessCalendar:
    """Monday to Friday, less public holidays of a country (and subdivision) and extra closures."""

    def __init__(self, country: str | None = None, subdivision: str | None = None,
                 extra: Iterable[date] = ()) -> None:
        """A calendar; without a country only weekends and ``extra`` are days off."""
        self.country = country
        self.subdivision = subdivision if country else None
        self.extra = frozenset(extra)
        self._by_year: dict[int, frozenset[date]] = {}

    @classmethod
    def from_config(cls, holidays: HolidayCalendar) -> BusinessCalendar:
        """The calendar of a configuration's ``schedule.holidays`` block."""
        return cls(holidays.country, holidays.subdivision, holidays.extra)

    def __repr__(self) -> str:
        return (f"BusinessCalendar(country={self.country!r}, subdivision={self.subdivision!r}, "
                f"extra={sorted(self.extra)!r})")

    def _public_holidays(self, year: int) -> frozenset[date]:
        """The public holidays of one year, loaded on first use and cached."""
        found = self._by_year.get(year)
        if found is None:
            found = frozenset()
            if self.country:
                days = public_holidays.country_holidays(
                    self.country, subdiv=self.subdivision, years=year)
                found = frozenset(day for day in days if day.year == year)
            self._by_year[year] = found
        return found

    def is_holiday(self, day: date) -> bool:
        """Whether ``day`` is a public holiday or an extra closure (weekends aside)."""
        return day in self.extra or day in self._public_holidays(day.year)

    def is_business_day(self, day: date) -> bool:
        """Whether ``day`` is a weekday that is neither a public holiday nor an extra closure."""
        return day.weekday() < 5 and not self.is_holiday(day)

    def business_days(self, month: Month) -> list[date]:
        """The month's business days, in order."""
        return [day for day in month.days() if self.is_business_day(day)]

    def last_business_day(self, month: Month) -> date:
        """The month's last business day; ValueError if it has none."""
        days = self.business_days(month)
        if not days:
            raise ValueError(f"{month} has no business day in this holiday calendar")
        return days[-1]

    def nth_business_day(self, month: Month, n: int) -> date:
        """The month's ``n``-th business day (1-based); ValueError if it has fewer."""
        if n < 1:
            raise ValueError(f"business day number must be 1 or more, not {n}")
        days = self.business_days(month)
        if n > len(days):
            raise ValueError(f"{month} has only {len(days)} business days, not {n}")
        return days[n - 1]

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after ``day``."""
        for offset in range(1, _MAX_SEARCH_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.is_business_day(candidate):
                return candidate
        raise ValueError(f"no business day within {_MAX_SEARCH_DAYS} days after {day}; "
                         "check the holiday calendar's extra closures")

    def add_business_days(self, day: date, n: int) -> date:
        """The ``n``-th business day strictly after ``day`` (``n`` >= 1)."""
        if n < 1:
            raise ValueError(f"number of business days must be 1 or more, not {n}")
        for _ in range(n):
            day = self.next_business_day(day)
        return day


def open_day(month: Month, open_at: OpenAt, calendar: BusinessCalendar) -> date:
    """The day a period opens; only ``last_business_day`` skips weekends and holidays.

    ``last`` is the month's last calendar day, ``1..28`` that day of the month and ``-1..-10``
    that many days before the last day (-1 is the second-to-last); these are calendar days
    exactly as configured, even when they fall on a weekend or holiday.
    """
    day = open_at.day
    if day == "last_business_day":
        return calendar.last_business_day(month)
    if day == "last":
        return month.last_day()
    if isinstance(day, int) and 1 <= day <= 28:
        return date(month.year, month.month, day)
    if isinstance(day, int) and -10 <= day <= -1:
        return month.last_day() + timedelta(days=day)
    raise ValueError(f"open day must be last_business_day, last, 1..28 or -1..-10, not {day!r}")


def _at(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """``day`` at wall-clock ``wall`` in ``zone``; a time skipped by a DST change moves forward."""
    moment = datetime.combine(day, wall, tzinfo=zone)
    return moment.astimezone(UTC).astimezone(zone)


@dataclass(frozen=True)
class CycleMoments:
    """When a period opens, is reminded, closes and stops taking late submissions (tz-aware)."""

    period: Month
    open_at: datetime
    reminders: tuple[datetime, ...]
    close_at: datetime
    late_until: datetime


def cycle_moments(month: Month, schedule: Schedule, timezone: str,
                  calendar: BusinessCalendar | None = None) -> CycleMoments:
    """The moments of ``month``'s check-in cycle in the organization's time zone."""
    zone = ZoneInfo(timezone)
    if calendar is None:
        calendar = BusinessCalendar.from_config(schedule.holidays)
    opens = open_day(month, schedule.open, calendar)
    reminders = sorted(
        _at(calendar.add_business_days(opens, r.business_days_after_open), r.time, zone)
        for r in schedule.reminders)
    closes = calendar.nth_business_day(month.shift(1), schedule.close.business_day_of_next_month)
    late_day = closes + timedelta(days=schedule.late_until_days)
    return CycleMoments(
        period=month,
        open_at=_at(opens, schedule.open.time, zone),
        reminders=tuple(reminders),
        close_at=_at(closes, schedule.close.time, zone),
        late_until=_at(late_day, schedule.close.time, zone),
    )


def steps_due(moments: CycleMoments, now: datetime) -> list[tuple[str, datetime]]:
    """The steps (``open``, ``remind``, ``close``) due at or before ``now``, in time order."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    steps = [("open", moments.open_at)]
    steps += [("remind", moment) for moment in moments.reminders]
    steps.append(("close", moments.close_at))
    return sorted((step for step in steps if step[1] <= now), key=lambda step: step[1])


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
