"""The digest's "Corrected on <date>" (SPEC 4.2) comes from the stored revisions: a late
summary that updates the header after a correction keeps the mark, and marks only the
departments that were corrected."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.cycle.closing import close_period
from bot.cycle.refreshing import corrected_moments
from summaries.dates import format_day
from summaries.digest.model import RevisionRow
from tests.support.botkit import Bot, drain
from tests.support.flows import EAST_VALUES, open_form, open_october, submit

from .test_digest_cycle import CLOSE_MOMENT, OCTOBER, WEST_VALUES, leadership, text_of

CORRECTED_AT = datetime(2026, 11, 5, 3, 0, tzinfo=UTC)  # Nov 5, 11:00 in Shanghai
LATE_AT = datetime(2026, 11, 7, 3, 0, tzinfo=UTC)


def reply(thread: list[dict[str, Any]], department: str) -> str:
    """The first message of a department's reply (the one its status and marks open)."""
    parts = [m for m in thread if str(m.get("text", "")).startswith(f"{department}:")]
    assert parts, f"no reply from {department}"
    return text_of(parts[0])


def day(moment: datetime) -> str:
    return format_day(moment.astimezone(ZoneInfo("Asia/Shanghai")), "en")


def test_a_late_summary_after_a_correction_keeps_the_corrected_mark(bot: Bot) -> None:
    open_october(bot)
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"), EAST_VALUES)
    drain(bot)
    bot.clock.now = CLOSE_MOMENT
    assert close_period(bot.deps, OCTOBER).ok
    header, _ = leadership(bot)
    assert "Corrected on" not in text_of(header)

    bot.clock.now = CORRECTED_AT  # East fixes its figure within the late window
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"),
           {**EAST_VALUES, "kpi:revenue": "2390000"})
    drain(bot)
    header, thread = leadership(bot)
    assert f"Corrected on {day(CORRECTED_AT)}" in text_of(header)
    assert f"Corrected on {day(CORRECTED_AT)}" in reply(thread, "East County Company")

    bot.clock.now = LATE_AT  # then West's late summary updates the header again
    submit(bot, "U0WEST", open_form(bot, "U0WEST", "west-county"), WEST_VALUES)
    drain(bot)
    header, thread = leadership(bot)
    assert "2 of 5" in text_of(header)  # the late summary's update is the one shown
    assert f"Corrected on {day(CORRECTED_AT)}" in text_of(header)
    assert day(LATE_AT) not in text_of(header)
    assert "Corrected on" not in reply(thread, "West County Company")  # late, not corrected
    assert f"Corrected on {day(CORRECTED_AT)}" in reply(thread, "East County Company")


def test_a_late_summary_alone_marks_nothing_corrected(bot: Bot) -> None:
    open_october(bot)
    bot.clock.now = CLOSE_MOMENT
    assert close_period(bot.deps, OCTOBER).ok
    bot.clock.now = LATE_AT
    submit(bot, "U0WEST", open_form(bot, "U0WEST", "west-county"), WEST_VALUES)
    drain(bot)
    header, thread = leadership(bot)
    assert "1 of 5" in text_of(header)
    assert "Corrected on" not in text_of(header)
    assert all("Corrected on" not in text_of(m) for m in thread)


def row(department: str, field: str, moment: datetime, by: str = "U0X") -> RevisionRow:
    return RevisionRow(department, field, None, "1", "submitted", by, moment)


def test_corrections_are_changes_after_the_close_to_what_was_there_before() -> None:
    before = datetime(2026, 11, 2, tzinfo=UTC)
    closed = datetime(2026, 11, 4, 10, tzinfo=UTC)
    late = datetime(2026, 11, 6, tzinfo=UTC)
    fixed = datetime(2026, 11, 8, tzinfo=UTC)
    trail = [
        row("east", "kpi:revenue", before),
        row("east", "section:sales", before),
        row("west", "kpi:revenue", late),  # a late summary: not a correction...
        row("west", "section:sales", late),
        row("east", "section:plan", fixed),  # a section first written after the close
        row("north", "kpi:revenue", before, "import:history.csv"),
        row("north", "kpi:revenue", late, "U0NORTH"),  # a late summary over imported figures
    ]
    assert corrected_moments(trail, closed) == {"east": fixed, "north": late}
    again = [*trail, row("west", "kpi:revenue", fixed)]  # ...its later change is
    assert corrected_moments(again, closed) == {"east": fixed, "north": late, "west": fixed}
    assert corrected_moments(trail, None) == {}  # not closed: nothing to correct
    assert corrected_moments([row("east", "kpi:revenue", before),
                              row("east", "kpi:revenue", closed)], closed) == {}
