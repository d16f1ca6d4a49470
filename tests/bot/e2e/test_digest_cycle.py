"""A whole month through the real bot: open, fill in, remind, close with a digest, late summary."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cycle.closing import close_period
from bot.cycle.steps import remind_period
from summaries.periods import Month
from summaries.store.models import Period
from tests.slackstandin import check_message
from tests.support.botkit import Bot
from tests.support.flows import EAST_VALUES, PERIOD, open_form, open_october, submit

OCTOBER = Month.parse(PERIOD)
LEADERS = "C0LEADERS"
CLOSE_MOMENT = datetime(2026, 11, 4, 10, 0, tzinfo=UTC)  # 3rd business day, 18:00 in Shanghai
WEST_VALUES: dict[str, str | None] = {
    "section:sales": "Late, but <!here> collected in full.",
    "kpi:revenue": "1900000",
    "kpi:arrears_recovery": "99.1",
}


def leadership(bot: Bot) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The digest header in the leadership channel and the replies in its thread."""
    messages = bot.slack.messages(LEADERS)
    [header] = [m for m in messages if not m.get("thread_ts")]
    return header, [m for m in messages if m.get("thread_ts") == header["ts"]]


def text_of(message: dict[str, Any]) -> str:
    return str(message.get("text")) + str(message.get("blocks"))


def test_a_month_from_open_to_close_with_a_late_summary(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"), EAST_VALUES)
    assert remind_period(bot.deps, OCTOBER, 1).ok
    bot.clock.now = CLOSE_MOMENT

    report = close_period(bot.deps, OCTOBER)
    assert report.ok, report.failed
    with session_maker() as session:
        period = session.scalars(select(Period).where(Period.key == PERIOD)).one()
        assert (period.state, period.closed_at) == ("closed", CLOSE_MOMENT)
    header, thread = leadership(bot)
    assert header["metadata"] == {"event_type": "checkin_digest",
                                  "event_payload": {"period": "2026-10"}}
    assert "1 of 5" in text_of(header)
    for missing in ("Key Account Division", "West County Company", "Safety and Environment"):
        assert missing in text_of(header)
    assert all(check_message(m) == [] for m in [header, *thread])
    east = [m for m in thread if "East County Company" in text_of(m)]
    assert east
    reply = "".join(text_of(m) for m in east)  # problems and figures, then the sections
    assert "&lt;!channel&gt;" in reply  # the manager's words, escaped
    assert "<!channel>" not in reply
    [chart] = bot.slack.uploaded_files()
    assert (chart["channel"], chart["thread_ts"]) == (LEADERS, header["ts"])
    assert chart["bytes"].startswith(b"\x89PNG")

    # Closing again sends nothing.
    posted = len(bot.slack.messages(LEADERS))
    assert close_period(bot.deps, OCTOBER).ok
    assert len(bot.slack.messages(LEADERS)) == posted
    assert len(bot.slack.uploaded_files()) == 1

    # A late summary edits the header in place and adds its department to the thread.
    bot.clock.now = datetime(2026, 11, 6, 3, 0, tzinfo=UTC)
    submit(bot, "U0WEST", open_form(bot, "U0WEST", "west-county"), WEST_VALUES)
    [update] = bot.slack.wait_for("chat.update")
    assert (update.params["channel"], update.params["ts"]) == (LEADERS, header["ts"])
    deadline = time.monotonic() + 10
    while not any("West County Company: October 2026 summary (late) (continued, 2 of 2)"
                  in text_of(m) for m in leadership(bot)[1]):  # its figures, then its sections
        assert time.monotonic() < deadline, "West County's reply never came whole"
        time.sleep(0.05)
    header, thread = leadership(bot)
    assert "2 of 5" in text_of(header)
    assert header["metadata"]["event_payload"] == {"period": "2026-10"}
    west = [m for m in thread if "West County Company" in text_of(m)]
    assert west
    assert "late" in text_of(west[0]).lower()
    assert "&lt;!here&gt;" in "".join(text_of(m) for m in west)
    # Posted once: its figures, then its sections (a message of their own).
    assert [m["text"] for m in west] == ["West County Company: October 2026 summary (late)",
                                         "West County Company: October 2026 summary (late) "
                                         "(continued, 2 of 2)"]


def test_the_digest_goes_out_even_when_nobody_submitted(bot: Bot) -> None:
    open_october(bot)
    bot.clock.now = CLOSE_MOMENT
    assert close_period(bot.deps, OCTOBER).ok
    header, _ = leadership(bot)
    assert "0 of 5" in text_of(header)
    assert check_message(header) == []


def test_the_header_is_posted_before_anything_threads_under_it(bot: Bot) -> None:
    open_october(bot)
    bot.clock.now = CLOSE_MOMENT
    bot.slack.fail_next("chat.postMessage", error="channel_not_found", status=200)
    report = close_period(bot.deps, OCTOBER)
    assert list(report.failed) == [f"digest:{PERIOD}:header:{LEADERS}"]
    assert bot.slack.messages(LEADERS) == []
    assert close_period(bot.deps, OCTOBER).ok  # the next run posts it all
    _, thread = leadership(bot)
    assert thread  # replies followed the header
