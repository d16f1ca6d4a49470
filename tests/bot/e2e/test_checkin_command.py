"""``/checkin`` through the real HTTP app and the Slack stand-in: each subcommand, each role."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.cycle.ledger import START
from summaries.checkins.submissions import record_submission, save_draft
from summaries.config.loader import parse_config
from summaries.store.infra import StepRun
from summaries.store.models import Submission
from tests.slackstandin import check_view, dm_channel, latest_view
from tests.support.botkit import Bot, sample_text
from tests.support.commandkit import ask, follow_up
from tests.support.flows import PERIOD, open_october, text_of

MANAGER, PARENT, LEADER, ADMIN, STRANGER = "U0EAST", "U0MKT", "U0CEO", "U0OPS", "U0NOBODY"
INJECTION = '=HYPERLINK("http://evil.example","click me")'


def submit_east(bot: Bot, sales: str = "Collected 98% of billed revenue.") -> None:
    with bot.deps.unit_of_work() as session:
        record_submission(session, bot.deps.config, period=PERIOD, department="east-county",
                          user=MANAGER, answers={"sales": sales},
                          figures={"revenue": Decimal(2_450_000)}, now=bot.clock())


@pytest.mark.parametrize(("user", "shown", "hidden"), [
    (MANAGER, ["status", "edit", "help"], ["open|remind|close", "reopen", "export"]),
    (LEADER, ["status", "export", "help"], ["edit", "open|remind|close", "reopen"]),
    (ADMIN, ["status", "edit", "open|remind|close", "reopen", "export", "help"], []),
])
def test_help_lists_what_each_role_may_do(bot: Bot, user: str, shown: list[str],
                                          hidden: list[str]) -> None:
    for text in (text_of(ask(bot, user, "/checkin", "help")), text_of(ask(bot, user, "/checkin"))):
        for name in shown:
            assert f"`/checkin {name}" in text
        for name in hidden:
            assert f"`/checkin {name}" not in text


def test_no_role_and_unknown_subcommands(bot: Bot) -> None:
    assert "no role" in text_of(ask(bot, STRANGER, "/checkin", "status"))
    text = text_of(ask(bot, MANAGER, "/checkin", "frobnicate now"))
    assert "There is no `/checkin frobnicate`" in text
    assert "Usage: `/checkin status [YYYY-MM]`" in text


@pytest.mark.parametrize(("user", "words"), [
    (MANAGER, "open"), (MANAGER, "remind 2026-10"), (LEADER, "close"),
    (LEADER, "reopen east-county"), (MANAGER, "export csv"), (LEADER, "edit"),
])
def test_each_subcommand_refuses_roles_without_it(bot: Bot, user: str, words: str) -> None:
    text = text_of(ask(bot, user, "/checkin", words))
    assert text.startswith("Sorry, only ")
    assert bot.slack.calls_to("chat.postMessage") == []


def test_status_shows_own_departments_or_everyone(bot: Bot) -> None:
    open_october(bot)
    submit_east(bot)
    mine = text_of(ask(bot, MANAGER, "/checkin", "status"))
    assert "October 2026" in mine
    assert "1 of 1 submitted" in mine
    assert "East County Company*: submitted" in mine
    assert "West County" not in mine
    everyone = text_of(ask(bot, LEADER, "/checkin", "status 2026-10"))
    assert "1 of 5 submitted" in everyone
    assert "West County Company*: not started · <@U0WEST>" in everyone
    assert "open, closes <!date^" in everyone
    assert "not a month" in text_of(ask(bot, LEADER, "/checkin", "status 2026-13"))
    assert "I don't understand" in text_of(ask(bot, LEADER, "/checkin", "status soon"))


def test_status_after_a_clean_submit_shows_no_unsent_draft(bot: Bot) -> None:
    open_october(bot)
    with bot.deps.unit_of_work() as session:  # a step of the form kept as a draft first
        save_draft(session, bot.deps.config, period=PERIOD, department="east-county",
                   user=MANAGER, values={"section:sales": "Draft words."}, now=bot.clock())
    assert "draft started" in text_of(ask(bot, MANAGER, "/checkin", "status"))
    submit_east(bot)  # the submit clears the draft
    mine = text_of(ask(bot, MANAGER, "/checkin", "status"))
    assert "East County Company*: submitted" in mine
    assert "unsent edits" not in mine


def test_edit_opens_the_form_of_a_managers_department(bot: Bot) -> None:
    open_october(bot)
    assert bot.driver.command(MANAGER, "/checkin", "edit").status == 200  # the form opens
    bot.slack.wait_for("views.open")
    view = latest_view(bot.slack, MANAGER)
    assert check_view(view) == []
    assert view["callback_id"] == "checkin_submit"
    assert "east-county" in view["private_metadata"]
    text = text_of(ask(bot, ADMIN, "/checkin", "edit"))
    assert "You manage no department" in text
    assert bot.driver.command(ADMIN, "/checkin", "edit west 2026-10").status == 200
    bot.slack.wait_for("views.open", 2)
    assert "west-county" in latest_view(bot.slack, ADMIN)["private_metadata"]


def test_edit_offers_a_choice_to_a_manager_of_several(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(parse_config(sample_text(**{"manager: U0WEST": "manager: U0EAST"})))
    open_october(bot)
    message = ask(bot, MANAGER, "/checkin", "edit")
    labels = [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions"
              for e in b["elements"]]
    assert labels == ["East County Company", "West County Company"]
    west = next(e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                if "west-county" in e["value"])
    assert bot.driver.block_action(MANAGER, west["action_id"], west["value"]).status == 200
    bot.slack.wait_for("views.open")
    assert "west-county" in latest_view(bot.slack, MANAGER)["private_metadata"]


def test_an_admin_runs_the_cycle_by_hand(bot: Bot) -> None:
    note, done = follow_up(bot, ADMIN, "/checkin", "open 2026-10")
    assert "Running open for 2026-10" in text_of(note)
    assert "open 2026-10: 5 messages sent" in text_of(done)
    submit_east(bot)
    _, reminded = follow_up(bot, ADMIN, "/checkin", "remind")
    assert "remind 2026-10: 4 messages sent" in text_of(reminded)
    assert all(m.get("thread_ts") for m in bot.slack.messages(dm_channel("U0WEST"))[1:])
    _, closed = follow_up(bot, ADMIN, "/checkin", "close 2026-10")
    assert "close 2026-10:" in text_of(closed)
    [header] = [m for m in bot.slack.messages("C0LEADERS") if not m.get("thread_ts")]
    assert header["metadata"]["event_payload"] == {"period": PERIOD}
    with bot.deps.unit_of_work() as session:
        steps = dict(session.execute(select(StepRun.step, StepRun.state)
                                     .where(StepRun.period_key == PERIOD,
                                            StepRun.step != START)).tuples().all())
    assert steps == {"open": "done", "remind1": "done", "close": "done"}


def test_reopen_lets_a_manager_edit_after_the_late_window(bot: Bot) -> None:
    open_october(bot)
    assert "still open" in text_of(ask(bot, ADMIN, "/checkin", "reopen east-county 2026-10"))
    follow_up(bot, ADMIN, "/checkin", "close 2026-10")
    bot.clock.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # long past the late window
    with pytest.raises(Exception, match="no longer takes late submissions"):
        submit_east(bot)
    text = text_of(ask(bot, ADMIN, "/checkin", "reopen east 2026-10"))
    assert "Reopened the October 2026 summary of *East County Company*" in text
    assert "<@U0EAST> has been told by DM" in text
    told = bot.slack.messages(dm_channel(MANAGER))[-1]
    assert "reopened the *October 2026* summary" in told["blocks"][0]["text"]["text"]
    [button] = told["blocks"][1]["elements"]
    assert bot.driver.block_action(MANAGER, button["action_id"], button["value"]).status == 200
    bot.slack.wait_for("views.open")
    form = latest_view(bot.slack, MANAGER)
    assert form["callback_id"] == "checkin_submit"  # the form, not "closed"
    until = int(datetime(2026, 12, 11, 2, 0, tzinfo=UTC).timestamp())
    assert f"<!date^{until}^" in str(form["blocks"])  # due: the reopening's end
    submit_east(bot)
    with bot.deps.unit_of_work() as session:
        assert session.scalars(select(Submission.status)).one() == "late"
    assert "Which department?" in text_of(ask(bot, ADMIN, "/checkin", "reopen nowhere"))


def test_export_arrives_by_dm_with_formulas_neutralised(bot: Bot) -> None:
    open_october(bot)
    submit_east(bot, sales=INJECTION)
    note, done = follow_up(bot, LEADER, "/checkin", "export 2026-10 csv")
    assert "Preparing the 2026-10 export (csv)" in text_of(note)
    assert "in your direct messages" in text_of(done)
    files = {f["filename"]: f for f in bot.slack.api.completed_files()}
    assert set(files) == {"checkin-2026-10.csv", "checkin-2026-10-sections.csv",
                          "checkin-2026-10-asks.csv", "checkin-2026-10-ask-history.csv"}
    assert all(f["channel"] == dm_channel(LEADER) for f in files.values())
    rows = list(csv.DictReader(io.StringIO(
        files["checkin-2026-10-sections.csv"]["bytes"].decode("utf-8-sig"))))
    [sales] = [r for r in rows if r["section"] == "sales"]
    assert sales["text"] == "'" + INJECTION
    kpis = list(csv.DictReader(io.StringIO(
        files["checkin-2026-10.csv"]["bytes"].decode("utf-8-sig"))))
    [east] = [r for r in kpis if (r["department"], r["kpi"]) == ("east-county", "revenue")]
    assert (east["actual"], east["target"], east["status"]) == ("2450000", "2400000", "green")

    follow_up(bot, ADMIN, "/checkin", "export xlsx 2026-10")
    [xlsx] = [f for f in bot.slack.api.completed_files() if f["filename"].endswith(".xlsx")]
    assert xlsx["channel"] == dm_channel(ADMIN)
    book = load_workbook(io.BytesIO(xlsx["bytes"]))
    texts = [c for row in book.worksheets[1].iter_rows() for c in row if c.value == INJECTION]
    assert len(texts) == 1
    assert texts[0].data_type == "s"
