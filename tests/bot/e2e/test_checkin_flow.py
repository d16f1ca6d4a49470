"""A manager's month: prompt, form, submit, confirmation, edits, drafts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from summaries.config.loader import parse_config
from summaries.store.models import (
    Department,
    Figure,
    Kpi,
    Period,
    Revision,
    SectionAnswer,
    Submission,
)
from tests.slackstandin import check_message, dm_channel
from tests.support.botkit import Bot, sample_text
from tests.support.flows import EAST_VALUES, click_open, inputs, open_form, open_october, submit


def stored(session_maker: sessionmaker[Session], department: str
           ) -> tuple[Submission | None, dict[str, str], dict[str, Decimal]]:
    with session_maker() as session:
        submission = session.scalars(select(Submission).join(Department).where(
            Department.key == department)).first()
        answers = {a.section_key: a.text for a in session.scalars(
            select(SectionAnswer).join(Submission).join(Department)
            .where(Department.key == department))}
        figures = dict(session.execute(
            select(Kpi.key, Figure.value).join(Kpi).join(Department)
            .where(Department.key == department)).tuples().all())
        return submission, answers, figures


def test_manager_of_two_departments_fills_in_both(
        make_bot: Callable[..., Bot], session_maker: sessionmaker[Session]) -> None:
    config = parse_config(sample_text(**{"manager: U0WEST": "manager: U0EAST"}))
    bot = make_bot(config)
    open_october(bot)
    prompts = [m for m in bot.slack.messages(dm_channel("U0EAST")) if not m.get("thread_ts")]
    assert len(prompts) == 2
    for message in prompts:
        assert check_message(message) == []

    for department, revenue in (("east-county", "2450000"), ("west-county", "1800000")):
        view = open_form(bot, "U0EAST", department)
        fields = inputs(view)
        assert "section:sales" in fields
        assert "kpi:revenue" in fields
        assert "kpi:revenue_per_customer" not in fields
        values = {**EAST_VALUES, "kpi:revenue": revenue}
        reply = submit(bot, "U0EAST", view, values)
        assert reply.body == ""  # the modal closes
        submission, answers, figures = stored(session_maker, department)
        assert submission is not None
        assert submission.status == "submitted"
        assert answers["problems"].startswith("Fibre backlog")
        assert figures["revenue"] == Decimal(revenue)

    confirmations = bot.slack.wait_for("chat.postMessage", 5 + 2)[5:]
    texts = [c.params["text"] for c in confirmations]
    assert all("Summary received" in t for t in texts)
    east = next(c for c in confirmations if "East County" in c.params["text"])
    body = str(east.params["blocks"])
    assert "2,450,000 CNY" in body
    assert "target 2,400,000 CNY (102.1%)" in body
    assert "Fibre backlog in the north villages" in body  # the raised problem is flagged
    assert "<!channel>" not in body


def revisions(session_maker: sessionmaker[Session], department: str) -> list[tuple[str, str | None,
                                                                                 str | None]]:
    with session_maker() as session:
        return [(r.field, r.old_value, r.new_value) for r in session.scalars(
            select(Revision).join(Department).where(Department.key == department)
            .order_by(Revision.id))]


def test_edit_after_submit_prefills_and_keeps_revisions(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"), EAST_VALUES)
    bot.slack.wait_for("chat.postMessage", 6)
    first = len(revisions(session_maker, "east-county"))

    view = open_form(bot, "U0EAST", "east-county")
    fields = inputs(view)
    assert fields["kpi:revenue"]["element"]["initial_value"] == "2450000"
    assert fields["section:sales"]["element"]["initial_value"] == EAST_VALUES["section:sales"]
    assert "Editing your submitted summary" in str(view["blocks"][0])
    submit(bot, "U0EAST", view, {"kpi:revenue": "2500000", "section:plan": "Hire two installers"})

    submission, answers, figures = stored(session_maker, "east-county")
    assert submission is not None
    assert submission.status == "submitted"
    assert figures["revenue"] == Decimal("2500000")
    assert answers["plan"] == "Hire two installers"
    changes = revisions(session_maker, "east-county")[first:]
    assert sorted(changes) == [("kpi:revenue", "2450000", "2500000"),
                               ("section:plan", None, "Hire two installers")]
    edit = bot.slack.wait_for("chat.postMessage", 7)[6]
    assert "Changes saved" in edit.params["text"]
    assert "2 fields changed" in str(edit.params["blocks"])
    # The changed figure says when and by whom, as the digest and /kpi do.
    lines = [b["text"]["text"] for b in edit.params["blocks"] if b["type"] == "section"]
    line = next(t for text in lines for t in text.splitlines() if "*Business income*" in t)
    assert "2,500,000 CNY" in line
    assert "_revised <!date^" in line
    assert line.endswith("by <@U0EAST>_")


def test_closing_the_form_keeps_a_draft_for_the_next_open(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    typed = {"section:market": "Two new competitors in the county town", "kpi:revenue": "2100000"}
    reply = bot.driver.view_closed("U0EAST", view, typed)
    assert reply.status == 200
    submission, answers, figures = stored(session_maker, "east-county")
    assert submission is not None
    assert submission.status == "draft"
    assert answers == {}
    assert figures == {}

    again = open_form(bot, "U0EAST", "east-county")
    fields = inputs(again)
    assert fields["section:market"]["element"]["initial_value"] == typed["section:market"]
    assert fields["kpi:revenue"]["element"]["initial_value"] == "2100000"
    assert "saved draft" in str(again["blocks"][0])
    submit(bot, "U0EAST", again, {"section:sales": "All collected"})
    _, answers, figures = stored(session_maker, "east-county")
    assert answers["market"] == typed["section:market"]
    assert figures["revenue"] == Decimal("2100000")


def test_after_close_a_submission_is_late_until_the_late_window_ends(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    with session_maker() as session:
        period = session.scalars(select(Period).where(Period.key == "2026-10")).one()
        period.state, period.closed_at = "closed", datetime(2026, 11, 4, 10, 0, tzinfo=UTC)
        session.commit()
    bot.clock.now = datetime(2026, 11, 6, 3, 0, tzinfo=UTC)
    submit(bot, "U0EAST", view, EAST_VALUES)
    submission, _, _ = stored(session_maker, "east-county")
    assert submission is not None
    assert submission.status == "late"
    late = bot.slack.wait_for("chat.postMessage", 6)[5]
    assert "(late)" in late.params["text"]

    bot.clock.now = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    reply = bot.driver.view_submission("U0WEST", open_west_form_view(bot), EAST_VALUES)
    assert reply.json is not None
    assert reply.json["response_action"] == "errors"
    assert "no longer takes late submissions" in next(iter(reply.json["errors"].values()))
    assert stored(session_maker, "west-county")[0] is None


def open_west_form_view(bot: Bot) -> dict[str, Any]:
    """West County's form as it was built before the late window ended."""
    now = bot.clock.now
    bot.clock.now = datetime(2026, 11, 6, 3, 0, tzinfo=UTC)
    try:
        return open_form(bot, "U0WEST", "west-county")
    finally:
        bot.clock.now = now


def test_user_text_posted_again_is_escaped(bot: Bot) -> None:
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    submit(bot, "U0EAST", view, {**EAST_VALUES,
                                 "section:problems": "Tell <!channel> & <@U0CEO> now"})
    confirmation = bot.slack.wait_for("chat.postMessage", 6)[5]
    posted = str(confirmation.params["blocks"])
    assert "Tell &lt;!channel&gt; &amp; &lt;@U0CEO&gt; now" in posted
    assert "<!channel>" not in posted
    assert "<@U0CEO>" not in posted


def test_an_unexpected_failure_is_logged_and_the_user_told_privately(
        bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    open_october(bot)

    def broken(*_args: object, **_kwargs: object) -> dict[str, object]:
        raise RuntimeError("database on fire")

    monkeypatch.setattr("bot.form.opening.form_view", broken)
    reply = click_open(bot, "U0EAST", "east-county")
    assert reply.status == 200
    told = bot.slack.wait_for("response_url")[0]
    assert told.params["response_type"] == "ephemeral"
    assert "Something went wrong on our side" in told.params["text"]
    assert "database on fire" not in told.params["text"]
