"""Months, business-day calendars and the moments of a check-in cycle (SPEC section 2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import holidays
import pytest

from summaries.config.timing import HolidayCalendar, OpenAt
from summaries.periods import (
    FILLED_IN_STATES,
    SUBMITTED_STATES,
    Month,
    PeriodState,
    SubmissionStatus,
    accepts_submissions,
    late_until,
    months_between,
    submission_deadline,
    this_month,
)
from summaries.schedule import BusinessCalendar, open_day

CN = BusinessCalendar("CN", None, [date(2026, 10, 8)])  # the spec's sample calendar
PLAIN = BusinessCalendar(None, None, [])


def _day_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- Month ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-10", Month(2026, 10)),
    (" 2026-01 ", Month(2026, 1)),
    ("1999-12", Month(1999, 12)),
])
def test_parse(text: str, expected: Month) -> None:
    assert Month.parse(text) == expected
    assert str(expected) == text.strip()


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "26-10", "2026/10", "", "oct"])
def test_parse_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a month"):
        Month.parse(text)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (Month(2026, 11), 2, Month(2027, 1)),
    (Month(2026, 1), -1, Month(2025, 12)),
    (Month(2026, 12), 1, Month(2027, 1)),
    (Month(2026, 3), -15, Month(2024, 12)),
    (Month(2026, 3), 24, Month(2028, 3)),
    (Month(2026, 3), 0, Month(2026, 3)),
])
def test_shift_across_years(start: Month, months: int, expected: Month) -> None:
    assert start.shift(months) == expected


def test_previous_and_of() -> None:
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert Month.of(date(2026, 10, 31)) == Month(2026, 10)


@pytest.mark.parametrize(("month", "first", "last"), [
    (Month(2026, 10), date(2026, 10, 1), date(2026, 10, 31)),
    (Month(2026, 2), date(2026, 2, 1), date(2026, 2, 28)),
    (Month(2028, 2), date(2028, 2, 1), date(2028, 2, 29)),
    (Month(2026, 4), date(2026, 4, 1), date(2026, 4, 30)),
])
def test_first_and_last_day(month: Month, first: date, last: date) -> None:
    assert month.first_day() == first
    assert month.last_day() == last
    assert month.days() == _day_range(first, last)


@pytest.mark.parametrize(("month", "year", "index"), [
    (Month(2026, 4), 2026, 1),
    (Month(2026, 3), 2025, 12),
    (Month(2026, 12), 2026, 9),
    (Month(2027, 1), 2026, 10),
    (Month(2027, 3), 2026, 12),
])
def test_fiscal_year_starting_in_april(month: Month, year: int, index: int) -> None:
    assert month.fiscal_year(4) == year
    assert month.fiscal_index(4) == index


def test_fiscal_year_starting_in_january_is_the_calendar_year() -> None:
    assert [(m.fiscal_year(1), m.fiscal_index(1)) for m in months_between(
        Month(2026, 1), Month(2026, 12))] == [(2026, i) for i in range(1, 13)]


def test_months_between() -> None:
    assert months_between(Month(2026, 11), Month(2027, 2)) == [
        Month(2026, 11), Month(2026, 12), Month(2027, 1), Month(2027, 2)]
    assert months_between(Month(2026, 5), Month(2026, 5)) == [Month(2026, 5)]
    assert months_between(Month(2026, 5), Month(2026, 4)) == []


# --- BusinessCalendar ----------------------------------------------------------------------


def test_holidays_package_knows_the_2026_national_day() -> None:
    # What the tests below rely on: 10-04 is a Sunday, the weekdays 10-01..07 are days off.
    known = holidays.country_holidays("CN", years=2026)
    assert {date(2026, 10, d) for d in (1, 2, 5, 6, 7)} <= set(known)
    assert date(2026, 10, 8) not in known


@pytest.mark.parametrize("day", _day_range(date(2026, 10, 1), date(2026, 10, 8)))
def test_national_day_week_and_extra_closure_are_not_business_days(day: date) -> None:
    assert not CN.is_business_day(day)


def test_cn_business_days_of_october_2026() -> None:
    days = CN.business_days(Month(2026, 10))
    assert days[:3] == [date(2026, 10, 9), date(2026, 10, 12), date(2026, 10, 13)]
    assert len(days) == 16
    # Without the company closure the 8th is an ordinary working Thursday.
    assert BusinessCalendar("CN", None, []).business_days(Month(2026, 10))[0] == date(2026, 10, 8)


def test_cn_last_business_day_skips_the_weekend() -> None:
    assert date(2026, 10, 31).weekday() == 5  # Saturday
    assert CN.last_business_day(Month(2026, 10)) == date(2026, 10, 30)


def test_from_config() -> None:
    calendar = BusinessCalendar.from_config(
        HolidayCalendar(country="CN", extra=[date(2026, 10, 8)]))
    assert calendar.business_days(Month(2026, 10)) == CN.business_days(Month(2026, 10))
    assert BusinessCalendar.from_config(HolidayCalendar()).is_business_day(date(2026, 10, 1))


def test_subdivision_holiday_only_counts_in_the_subdivision() -> None:
    bavaria = BusinessCalendar("DE", "BY", [])
    germany = BusinessCalendar("DE", None, [])
    corpus_christi = date(2026, 6, 4)  # a Thursday; public holiday in Bavaria, not Berlin
    assert not bavaria.is_business_day(corpus_christi)
    assert germany.is_business_day(corpus_christi)
    assert bavaria.nth_business_day(Month(2026, 6), 4) == date(2026, 6, 5)
    assert germany.nth_business_day(Month(2026, 6), 4) == corpus_christi
    assert not bavaria.is_business_day(date(2026, 1, 6))  # Epiphany


def test_no_country_only_weekends_and_extras() -> None:
    christmas = date(2026, 12, 25)  # a Friday
    assert PLAIN.is_business_day(christmas)
    assert not PLAIN.is_business_day(date(2026, 12, 26))  # Saturday
    assert not BusinessCalendar(None, None, [christmas]).is_business_day(christmas)
    assert len(PLAIN.business_days(Month(2026, 10))) == 22
    assert PLAIN.last_business_day(Month(2026, 10)) == date(2026, 10, 30)


def test_holiday_years_load_lazily_and_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    real = holidays.country_holidays

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs["years"])
        return real(*args, **kwargs)

    monkeypatch.setattr(holidays, "country_holidays", counting)
    calendar = BusinessCalendar("CN", None, [])
    assert calls == []
    calendar.business_days(Month(2026, 10))
    calendar.is_business_day(date(2026, 1, 1))
    assert calls == [2026]
    calendar.is_business_day(date(2027, 1, 1))
    assert calls == [2026, 2027]


@pytest.mark.parametrize(("start", "n", "expected"), [
    (date(2026, 7, 31), 1, date(2026, 8, 3)),  # Friday -> Monday
    (date(2026, 7, 31), 3, date(2026, 8, 5)),
    (date(2026, 8, 1), 1, date(2026, 8, 3)),  # from a Saturday
    (date(2026, 8, 3), 5, date(2026, 8, 10)),
])
def test_add_business_days_skips_weekends(start: date, n: int, expected: date) -> None:
    assert PLAIN.add_business_days(start, n) == expected


def test_add_business_days_skips_holidays() -> None:
    assert CN.add_business_days(date(2026, 9, 30), 1) == date(2026, 10, 9)
    assert CN.add_business_days(date(2026, 9, 30), 2) == date(2026, 10, 12)


def test_add_zero_business_days_is_refused() -> None:
    with pytest.raises(ValueError, match="1 or more"):
        PLAIN.add_business_days(date(2026, 8, 3), 0)


def test_nth_business_day() -> None:
    assert CN.nth_business_day(Month(2026, 11), 1) == date(2026, 11, 2)
    assert CN.nth_business_day(Month(2026, 11), 3) == date(2026, 11, 4)
    assert PLAIN.nth_business_day(Month(2026, 10), 22) == date(2026, 10, 30)


@pytest.mark.parametrize("n", [23, 0])
def test_nth_business_day_out_of_range(n: int) -> None:
    with pytest.raises(ValueError, match="business day"):
        PLAIN.nth_business_day(Month(2026, 10), n)


def test_a_year_of_closures_stops_the_search() -> None:
    closed = BusinessCalendar(None, None, _day_range(date(2027, 1, 1), date(2028, 3, 1)))
    with pytest.raises(ValueError, match="no business day within"):
        closed.add_business_days(date(2026, 12, 31), 1)


def test_a_month_without_business_days() -> None:
    closed = BusinessCalendar(None, None, Month(2026, 10).days())
    with pytest.raises(ValueError, match="no business day"):
        closed.last_business_day(Month(2026, 10))


# --- open_day ------------------------------------------------------------------------------


@pytest.mark.parametrize(("month", "day", "expected"), [
    (Month(2026, 10), "last_business_day", date(2026, 10, 30)),
    (Month(2026, 10), "last", date(2026, 10, 31)),  # a Saturday: kept as configured
    (Month(2026, 10), 5, date(2026, 10, 5)),  # a national holiday: kept as configured
    (Month(2026, 9), 5, date(2026, 9, 5)),  # a Saturday
    (Month(2026, 10), 1, date(2026, 10, 1)),
    (Month(2026, 10), 28, date(2026, 10, 28)),
    (Month(2026, 10), -1, date(2026, 10, 30)),
    (Month(2026, 10), -3, date(2026, 10, 28)),
    (Month(2026, 2), -3, date(2026, 2, 25)),
    (Month(2026, 4), -10, date(2026, 4, 20)),
    (Month(2026, 2), "last", date(2026, 2, 28)),
])
def test_open_day(month: Month, day: str | int, expected: date) -> None:
    assert open_day(month, OpenAt(day=day), CN) == expected


# --- the cycle's time rules -----------------------------------------------------------------

CLOSED_AT = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)


def test_this_month_is_the_organizations_month_not_utcs() -> None:
    late_utc = datetime(2026, 10, 31, 20, 0, tzinfo=UTC)  # already November in Shanghai
    assert this_month(late_utc, "Asia/Shanghai") == Month(2026, 11)
    assert this_month(late_utc, "UTC") == Month(2026, 10)
    assert this_month(datetime(2026, 11, 1, 3, 0, tzinfo=UTC), "America/New_York") == \
        Month(2026, 10)


def test_the_late_window_runs_late_until_days_after_the_close() -> None:
    assert late_until(CLOSED_AT, 10) == datetime(2026, 11, 14, 10, 0, tzinfo=UTC)
    assert late_until(CLOSED_AT, 0) == CLOSED_AT


@pytest.mark.parametrize(("state", "now", "reopened", "accepted"), [
    ("pending", CLOSED_AT, None, False),
    ("open", CLOSED_AT + timedelta(days=400), None, True),
    ("closed", CLOSED_AT + timedelta(days=10), None, True),  # the last moment of the window
    ("closed", CLOSED_AT + timedelta(days=10, seconds=1), None, False),
    ("closed", CLOSED_AT + timedelta(days=30), CLOSED_AT + timedelta(days=31), True),
    ("closed", CLOSED_AT + timedelta(days=30), CLOSED_AT + timedelta(days=29), False),
])
def test_a_summary_is_accepted_while_open_in_the_late_window_or_reopened(
        state: str, now: datetime, reopened: datetime | None, accepted: bool) -> None:
    assert accepts_submissions(state, CLOSED_AT, now, 10, reopened) is accepted


def test_a_closed_period_without_its_moment_counts_from_now() -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    assert accepts_submissions(PeriodState.CLOSED, None, now, 10)


def test_the_deadline_is_the_close_then_the_late_window_or_a_later_reopening() -> None:
    close_at = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)
    assert submission_deadline("open", None, close_at, 10) == (close_at, False)
    assert submission_deadline("closed", CLOSED_AT, close_at, 10) == (
        CLOSED_AT + timedelta(days=10), True)
    later = CLOSED_AT + timedelta(days=20)
    assert submission_deadline("closed", CLOSED_AT, close_at, 10, later) == (later, True)
    earlier = CLOSED_AT + timedelta(days=2)
    assert submission_deadline("closed", CLOSED_AT, close_at, 10, earlier) == (
        CLOSED_AT + timedelta(days=10), True)


def test_states_compare_as_the_stored_strings() -> None:
    assert PeriodState.OPEN == "open"
    assert SubmissionStatus.LATE == "late"
    assert {"submitted", "late", "skipped"} == SUBMITTED_STATES  # handed in, skipped too
    assert {"submitted", "late"} == FILLED_IN_STATES
