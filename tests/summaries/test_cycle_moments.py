"""The moments of a check-in cycle in time order (SPEC section 2): weekends, holidays and
daylight saving."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from summaries.config.timing import CloseAt, HolidayCalendar, OpenAt, ReminderAt, Schedule
from summaries.periods import Month
from summaries.schedule import BusinessCalendar, CycleMoments, cycle_moments, timeline

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
CN = BusinessCalendar("CN", None, [date(2026, 10, 8)])  # the spec's sample calendar
PLAIN = BusinessCalendar(None, None, [])


def _day_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- cycle_moments -------------------------------------------------------------------------


def _spec_schedule(**changes: Any) -> Schedule:
    """The schedule block of SPEC section 3, with ``changes`` applied."""
    values: dict[str, Any] = {
        "open": OpenAt(day="last_business_day", time="09:00"),
        "reminders": [ReminderAt(business_days_after_open=1, time="10:00"),
                      ReminderAt(business_days_after_open=3, time="10:00")],
        "close": CloseAt(business_day_of_next_month=3, time="18:00"),
        "late_until_days": 10,
        "holidays": HolidayCalendar(country="CN", subdivision=None, extra=["2026-10-08"]),
    }
    return Schedule(**{**values, **changes})


def test_spec_sample_cycle_for_october_2026() -> None:
    moments = cycle_moments(Month(2026, 10), _spec_schedule(), "Asia/Shanghai")
    assert date(2026, 11, 1).weekday() == 6  # Sunday
    assert moments == CycleMoments(
        period=Month(2026, 10),
        open_at=datetime(2026, 10, 30, 9, 0, tzinfo=SHANGHAI),
        reminders=(datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI),
                   datetime(2026, 11, 4, 10, 0, tzinfo=SHANGHAI)),
        close_at=datetime(2026, 11, 4, 18, 0, tzinfo=SHANGHAI),
        late_until=datetime(2026, 11, 14, 18, 0, tzinfo=SHANGHAI),
    )
    assert moments.close_at.isoformat() == "2026-11-04T18:00:00+08:00"
    assert moments.close_at.astimezone(UTC) == datetime(2026, 11, 4, 10, 0, tzinfo=UTC)


def test_reminders_skip_the_national_day_week() -> None:
    moments = cycle_moments(Month(2026, 9), _spec_schedule(), "Asia/Shanghai")
    assert moments.open_at == datetime(2026, 9, 30, 9, 0, tzinfo=SHANGHAI)
    assert [r.date() for r in moments.reminders] == [date(2026, 10, 9), date(2026, 10, 13)]
    assert moments.close_at.date() == date(2026, 10, 13)


def test_given_calendar_wins_over_the_schedule() -> None:
    moments = cycle_moments(Month(2026, 9), _spec_schedule(), "Asia/Shanghai", PLAIN)
    assert [r.date() for r in moments.reminders] == [date(2026, 10, 1), date(2026, 10, 5)]
    assert moments.close_at.date() == date(2026, 10, 5)


def test_reminders_are_sorted_and_skip_the_weekend() -> None:
    schedule = _spec_schedule(
        reminders=[ReminderAt(business_days_after_open=3, time="08:00"),
                   ReminderAt(business_days_after_open=1, time="16:30")],
        holidays=HolidayCalendar(),
    )
    moments = cycle_moments(Month(2026, 7), schedule, "UTC")
    assert moments.open_at == datetime(2026, 7, 31, 9, 0, tzinfo=ZoneInfo("UTC"))  # a Friday
    assert moments.reminders == (datetime(2026, 8, 3, 16, 30, tzinfo=ZoneInfo("UTC")),
                                 datetime(2026, 8, 5, 8, 0, tzinfo=ZoneInfo("UTC")))


def test_no_reminders() -> None:
    moments = cycle_moments(Month(2026, 10), _spec_schedule(reminders=[]), "Asia/Shanghai")
    assert moments.reminders == ()


def test_moments_keep_wall_clock_across_the_october_dst_change() -> None:
    # Berlin leaves summer time on Sunday 2026-10-25.
    schedule = _spec_schedule(open=OpenAt(day=-10, time="09:00"),
                              holidays=HolidayCalendar(country="DE", subdivision="BY"))
    moments = cycle_moments(Month(2026, 10), schedule, "Europe/Berlin")
    assert moments.open_at.isoformat() == "2026-10-21T09:00:00+02:00"
    assert [r.isoformat() for r in moments.reminders] == [
        "2026-10-22T10:00:00+02:00", "2026-10-26T10:00:00+01:00"]
    assert moments.close_at.isoformat() == "2026-11-04T18:00:00+01:00"
    assert moments.open_at.astimezone(UTC).time() == time(7, 0)
    assert moments.reminders[1].astimezone(UTC).time() == time(9, 0)


def test_late_until_keeps_wall_clock_across_dst() -> None:
    schedule = _spec_schedule(late_until_days=30, holidays=HolidayCalendar(country="DE"))
    moments = cycle_moments(Month(2026, 9), schedule, "Europe/Berlin")
    # 10-03 (German Unity Day) is a Saturday: Oct 1, 2 and 5 are the first business days.
    assert moments.close_at.isoformat() == "2026-10-05T18:00:00+02:00"
    assert moments.late_until.isoformat() == "2026-11-04T18:00:00+01:00"
    assert moments.late_until.tzinfo == BERLIN


def test_a_time_skipped_by_spring_forward_moves_forward() -> None:
    # 2026-03-29 is the second-to-last day of March; 02:00-03:00 does not exist in Berlin.
    schedule = _spec_schedule(open=OpenAt(day=-2, time="02:30"), holidays=HolidayCalendar())
    moments = cycle_moments(Month(2026, 3), schedule, "Europe/Berlin")
    assert moments.open_at.isoformat() == "2026-03-29T03:30:00+02:00"


def test_cycle_moments_are_frozen() -> None:
    moments = cycle_moments(Month(2026, 10), _spec_schedule(), "Asia/Shanghai")
    with pytest.raises(dataclasses.FrozenInstanceError):
        moments.close_at = moments.open_at  # type: ignore[misc]


# --- timeline and close day -----------------------------------------------------------------


MOMENTS = cycle_moments(Month(2026, 10), _spec_schedule(), "Asia/Shanghai")


def test_the_timeline_numbers_the_reminders_and_runs_in_time_order() -> None:
    assert timeline(MOMENTS) == [("open", 0, MOMENTS.open_at), ("remind", 1, MOMENTS.reminders[0]),
                                 ("remind", 2, MOMENTS.reminders[1]),
                                 ("close", 0, MOMENTS.close_at)]


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI), False),
    (datetime(2026, 11, 4, 0, 0, tzinfo=SHANGHAI), True),
    (datetime(2026, 11, 4, 2, 0, tzinfo=UTC), True),  # 10:00 in Shanghai
    (datetime(2026, 11, 3, 17, 0, tzinfo=UTC), True),  # 01:00 on the 4th in Shanghai
    (datetime(2026, 11, 4, 18, 0, tzinfo=SHANGHAI), False),  # closed
])
def test_close_day_is_the_closes_day_in_its_zone_until_the_close(
        now: datetime, expected: bool) -> None:
    assert MOMENTS.is_close_day(now) is expected


# --- schedule moments: weekends, holidays and daylight saving ------------------------------


NEW_YORK = ZoneInfo("America/New_York")


def _cn_schedule(*extra: str) -> Schedule:
    """The spec's schedule on the holidays package's CN calendar, with ``extra`` closures."""
    return _spec_schedule(holidays=HolidayCalendar(country="CN", extra=list(extra)))


def _iso(moments: CycleMoments) -> list[str]:
    """Open, reminders, close and late-until as ISO texts with their UTC offsets."""
    return [m.isoformat() for m in (moments.open_at, *moments.reminders, moments.close_at,
                                    moments.late_until)]


@pytest.mark.parametrize(("month", "last_day", "expected"), [
    # February 2026 ends on a Saturday: open on Friday the 27th.
    (Month(2026, 2), date(2026, 2, 28), [
        "2026-02-27T09:00:00+08:00", "2026-03-02T10:00:00+08:00", "2026-03-04T10:00:00+08:00",
        "2026-03-04T18:00:00+08:00", "2026-03-14T18:00:00+08:00"]),
    # May 2026 ends on a Sunday: open on Friday the 29th.
    (Month(2026, 5), date(2026, 5, 31), [
        "2026-05-29T09:00:00+08:00", "2026-06-01T10:00:00+08:00", "2026-06-03T10:00:00+08:00",
        "2026-06-03T18:00:00+08:00", "2026-06-13T18:00:00+08:00"]),
])
def test_a_month_ending_on_a_weekend_opens_on_the_friday(
        month: Month, last_day: date, expected: list[str]) -> None:
    assert month.last_day() == last_day
    assert last_day.weekday() in (5, 6)
    moments = cycle_moments(month, _cn_schedule(), "Asia/Shanghai")
    assert moments.open_at.weekday() == 4
    assert _iso(moments) == expected


def test_spring_festival_on_the_last_business_day_moves_the_opening_back() -> None:
    # Spring Festival 2025 runs from Tuesday 28 January into the first days of February.
    cn = BusinessCalendar("CN")
    assert all(cn.is_holiday(day) for day in _day_range(date(2025, 1, 28), date(2025, 1, 31)))
    assert cn.is_holiday(date(2025, 2, 3))
    assert cn.is_holiday(date(2025, 2, 4))
    moments = cycle_moments(Month(2025, 1), _cn_schedule(), "Asia/Shanghai")
    assert _iso(moments) == [
        "2025-01-27T09:00:00+08:00", "2025-02-05T10:00:00+08:00", "2025-02-07T10:00:00+08:00",
        "2025-02-07T18:00:00+08:00", "2025-02-17T18:00:00+08:00"]
    assert moments.open_at.astimezone(UTC) == datetime(2025, 1, 27, 1, 0, tzinfo=UTC)


def test_an_extra_closure_on_the_last_business_day_moves_the_opening_back() -> None:
    plain = cycle_moments(Month(2026, 12), _cn_schedule(), "Asia/Shanghai")
    assert plain.open_at == datetime(2026, 12, 31, 9, 0, tzinfo=SHANGHAI)
    moments = cycle_moments(Month(2026, 12), _cn_schedule("2026-12-31"), "Asia/Shanghai")
    # New Year's Day is a holiday and 2-3 January a weekend: the next month starts on the 4th.
    assert _iso(moments) == [
        "2026-12-30T09:00:00+08:00", "2027-01-04T10:00:00+08:00", "2027-01-06T10:00:00+08:00",
        "2027-01-06T18:00:00+08:00", "2027-01-16T18:00:00+08:00"]


@pytest.mark.parametrize(("month", "extra", "close"), [
    # National Day week: 1-7 October 2026 are off, so business days start on the 8th...
    (Month(2026, 9), (), datetime(2026, 10, 12, 18, 0, tzinfo=SHANGHAI)),
    # ...or on the 9th when the 8th is closed too, as in the spec's sample.
    (Month(2026, 9), ("2026-10-08",), datetime(2026, 10, 13, 18, 0, tzinfo=SHANGHAI)),
    # Labour Day: 1-5 May 2026.
    (Month(2026, 4), (), datetime(2026, 5, 8, 18, 0, tzinfo=SHANGHAI)),
])
def test_close_counts_business_days_after_the_holidays_that_start_next_month(
        month: Month, extra: tuple[str, ...], close: datetime) -> None:
    moments = cycle_moments(month, _cn_schedule(*extra), "Asia/Shanghai")
    assert moments.close_at == close
    assert moments.close_at.astimezone(UTC) == datetime.combine(close.date(), time(10, 0), UTC)
    assert moments.reminders[-1].date() == close.date()
    assert moments.late_until == close + timedelta(days=10)


def test_a_march_cycle_in_berlin_closes_in_summer_time() -> None:
    # Berlin moves to summer time on Sunday 2026-03-29; Easter (3 and 6 April) is off.
    schedule = _spec_schedule(open=OpenAt(day=20, time="09:00"),
                              holidays=HolidayCalendar(country="DE"))
    moments = cycle_moments(Month(2026, 3), schedule, "Europe/Berlin")
    assert _iso(moments) == [
        "2026-03-20T09:00:00+01:00", "2026-03-23T10:00:00+01:00", "2026-03-25T10:00:00+01:00",
        "2026-04-07T18:00:00+02:00", "2026-04-17T18:00:00+02:00"]
    local = [m.astimezone(BERLIN).time() for m in (moments.open_at, *moments.reminders,
                                                   moments.close_at)]
    assert local == [time(9, 0), time(10, 0), time(10, 0), time(18, 0)]
    assert moments.open_at.astimezone(UTC).time() == time(8, 0)
    assert moments.close_at.astimezone(UTC).time() == time(16, 0)


def test_a_march_cycle_opening_after_the_change_in_berlin() -> None:
    schedule = _spec_schedule(holidays=HolidayCalendar(country="DE"))
    moments = cycle_moments(Month(2026, 3), schedule, "Europe/Berlin")
    assert _iso(moments)[:4] == [
        "2026-03-31T09:00:00+02:00", "2026-04-01T10:00:00+02:00", "2026-04-07T10:00:00+02:00",
        "2026-04-07T18:00:00+02:00"]
    assert moments.open_at.astimezone(UTC).time() == time(7, 0)


def test_an_october_cycle_in_new_york_crosses_the_november_change() -> None:
    # New York leaves daylight time on Sunday 2026-11-01.
    schedule = _spec_schedule(holidays=HolidayCalendar(country="US"))
    moments = cycle_moments(Month(2026, 10), schedule, "America/New_York")
    assert _iso(moments) == [
        "2026-10-30T09:00:00-04:00", "2026-11-02T10:00:00-05:00", "2026-11-04T10:00:00-05:00",
        "2026-11-04T18:00:00-05:00", "2026-11-14T18:00:00-05:00"]
    assert moments.open_at.astimezone(UTC) == datetime(2026, 10, 30, 13, 0, tzinfo=UTC)
    assert moments.reminders[0].astimezone(UTC) == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    assert moments.close_at.astimezone(UTC) == datetime(2026, 11, 4, 23, 0, tzinfo=UTC)
    assert moments.close_at.tzinfo == NEW_YORK
