"""The words of the messages that chase a summary: time left, what the draft lacks, and no
form button where the reader may not fill it in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.blocks.reminders import Due, missed_close_message, parent_copy, reminder_message
from summaries.checkins.lacking import Lacking
from summaries.config.schema import Config
from tests.slackstandin import check_message

CLOSE = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai


@pytest.mark.parametrize(("before", "left"), [
    (timedelta(days=2, hours=8), (2, "day")),
    (timedelta(days=1), (1, "day")),
    (timedelta(hours=23, minutes=40), (24, "hour")),
    (timedelta(hours=8), (8, "hour")),
    (timedelta(minutes=59, seconds=50), (60, "minute")),
    (timedelta(minutes=20), (20, "minute")),
    (timedelta(seconds=5), (1, "minute")),
    (timedelta(0), (0, "")),
    (-timedelta(hours=1), (0, "")),
])
def test_the_time_left_is_in_the_largest_whole_unit(before: timedelta,
                                                   left: tuple[int, str]) -> None:
    assert Due(CLOSE, CLOSE - before, "UTC").left == left


@pytest.mark.parametrize(("now", "zone", "text"), [
    (datetime(2026, 11, 4, 2, 0, tzinfo=UTC), "Asia/Shanghai", "today 18:00"),
    (datetime(2026, 11, 3, 2, 0, tzinfo=UTC), "Asia/Shanghai", "tomorrow 18:00"),
    (datetime(2026, 11, 2, 2, 0, tzinfo=UTC), "Asia/Shanghai", "Wed, Nov 4, 18:00"),
    # 01:00 on the 4th in Shanghai is still the 3rd in Berlin, where it closes at 11:00.
    (datetime(2026, 11, 3, 17, 0, tzinfo=UTC), "Europe/Berlin", "tomorrow 11:00"),
])
def test_the_fallback_reads_the_deadline_in_the_readers_zone(now: datetime, zone: str,
                                                             text: str) -> None:
    assert Due(CLOSE, now, zone).values()["when_text"] == text


@pytest.mark.parametrize(("lacking", "words"), [
    (Lacking(3, 9, 2, 5), "3 of 9 sections and 2 of 5 figures still empty."),
    (Lacking(1, 1, 0, 5), "1 of 1 section still empty."),
    (Lacking(0, 9, 1, 1), "1 of 1 figure still empty."),
    (Lacking(0, 9, 0, 5), "Everything is filled in: it only needs submitting."),
    (Lacking(0, 4, 0, 0), "Everything is filled in: it only needs submitting."),
])
def test_a_reminder_says_what_the_draft_lacks(config: Config, lacking: Lacking,
                                              words: str) -> None:
    spec = config.department_by_key["east-county"]
    due = Due(CLOSE, CLOSE - timedelta(hours=8), "Asia/Shanghai")
    message = reminder_message(spec, "2026-10", "October 2026", due=due, lacking=lacking,
                               last=True)
    assert message["text"] == ("Last reminder: the October 2026 summary of East County "
                               f"Company is due in 8 hours, today 18:00. {words}")
    assert words in message["blocks"][0]["text"]["text"]
    assert message["blocks"][0]["accessory"]["action_id"] == "checkin_open"
    assert check_message(message) == []


def test_the_parent_copy_states_the_facts_without_a_button(config: Config) -> None:
    spec, parent = (config.department_by_key[k] for k in ("west-county", "marketing"))
    due = Due(CLOSE, CLOSE - timedelta(hours=8), "Asia/Shanghai")
    copy = parent_copy(spec, parent, "October 2026", due=due, lacking=Lacking(8, 8, 2, 2),
                       reminders=1)
    [block] = copy["blocks"]
    assert "accessory" not in block
    assert "has had 1 reminder;" in block["text"]["text"]
    assert "8 of 8 sections and 2 of 2 figures still empty." in copy["text"]
    assert check_message(copy) == []


def test_the_close_note_names_the_end_of_the_late_window_with_a_button(
        config: Config) -> None:
    spec = config.department_by_key["safety"]
    note = missed_close_message(spec, "2026-10", "October 2026",
                                late_until=datetime(2026, 11, 14, 10, 0, tzinfo=UTC),
                                zone="Europe/Berlin", locale="en")
    assert note["text"] == ("The October 2026 digest went out without the summary of Safety "
                            "and Environment Office; a late summary is taken until Sat, "
                            "Nov 14, 11:00.")
    assert note["blocks"][0]["accessory"]["text"]["text"] == "Fill in late summary"
    assert check_message(note) == []
