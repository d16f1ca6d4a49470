"""Business days and the check-in cycle's scheduled moments (SPEC section 6): when a month
opens, is reminded and closes, by the configuration's schedule and holiday calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as public_holidays

from summaries.config.timing import HolidayCalendar, OpenAt, Schedule
from summaries.periods import Month

# How far a search for the next business day may run before the calendar counts as broken.
_MAX_SEARCH_DAYS = 400


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

    def is_close_day(self, now: datetime) -> bool:
        """Whether ``now`` is on the close's day (in the close's time zone) and before it: the
        last call, when a reminder may escalate."""
        return now < self.close_at and now.astimezone(self.close_at.tzinfo).date() == (
            self.close_at.date())


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


def timeline(moments: CycleMoments) -> list[tuple[str, int, datetime]]:
    """Every step of the cycle as (``open``/``remind``/``close``, the reminder's number or 0,
    moment), in time order; reminders are numbered in their own time order."""
    steps = [("open", 0, moments.open_at)]
    steps += [("remind", n, moment) for n, moment in enumerate(moments.reminders, 1)]
    steps.append(("close", 0, moments.close_at))
    return sorted(steps, key=lambda step: step[2])

