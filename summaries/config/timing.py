"""The configuration's ``schedule:`` entries (SPEC section 2): when a period opens, is
reminded and closes, the late window, the holiday calendar, the first period, whether a
close-day reminder escalates and whether managers are prompted in their own time zones."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from summaries.i18n import _

MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
Month = Annotated[str, Field(pattern=MONTH_PATTERN)]
_TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")


def parse_time(value: object) -> object:
    """Accept ``"09:00"`` (or ``9:00``); refuse numbers, which would read as seconds."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and _TIME.match(value.strip()):
        hours, minutes = value.strip().split(":")
        return dt.time(int(hours), int(minutes))
    shown = repr(value) if isinstance(value, str) else str(value)
    raise ValueError(_("must be a time as HH:MM, e.g. \"09:00\", not {value}", value=shown))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class OpenAt(_Strict):
    day: Literal["last_business_day", "last"] | int = "last_business_day"
    time: dt.time = dt.time(9, 0)

    _time = field_validator("time", mode="before")(parse_time)

    @field_validator("day", mode="before")
    @classmethod
    def _day_in_range(cls, value: object) -> object:
        # One message for every wrong value, rather than one per member of the union.
        if isinstance(value, str) and value in ("last_business_day", "last"):
            return value
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            value = int(value)  # day: "5", quoted
        if isinstance(value, int) and not isinstance(value, bool) and (
                1 <= value <= 28 or -10 <= value <= -1):
            return value
        raise ValueError(_("must be last_business_day, last, 1..28 or -1..-10"))


class ReminderAt(_Strict):
    business_days_after_open: int = Field(ge=1, le=20)
    time: dt.time = dt.time(10, 0)

    _time = field_validator("time", mode="before")(parse_time)


class CloseAt(_Strict):
    business_day_of_next_month: int = Field(3, ge=1, le=20)
    time: dt.time = dt.time(18, 0)

    _time = field_validator("time", mode="before")(parse_time)


class HolidayCalendar(_Strict):
    country: str | None = None
    subdivision: str | None = None
    extra: list[dt.date] = []


class Schedule(_Strict):
    open: OpenAt = OpenAt()
    reminders: list[ReminderAt] = [ReminderAt(business_days_after_open=1),
                                   ReminderAt(business_days_after_open=3)]
    close: CloseAt = CloseAt()
    late_until_days: int = Field(10, ge=0, le=366)
    holidays: HolidayCalendar = HolidayCalendar()
    # The first period the bot runs; without it, the first whose open moment is still ahead.
    start: Month | None = None
    # A reminder on close day also goes, as a copy, to the parent department's manager.
    escalate: bool = False
    # Prompts and reminders at their time of day in each manager's own Slack time zone; the
    # close (and so the deadline) stays at the organization's.
    local_time: bool = False
