"""The manager's figures (SPEC 5.3): figures first, numbers as people write them, required
figures, a confirmation for figures far from last month's, pasted spreadsheet columns, and
last month's text in one click; through the real HTTP app and the Slack stand-in."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.ids import LAST_TEXT_ACTION, PASTE_BLOCK, PLAUSIBLE_BACK, PLAUSIBLE_CALLBACK
from summaries.checkins.submissions import record_submission, save_draft
from summaries.config.loader import parse_config
from summaries.store.models import Department, Figure, Kpi, Submission
from tests.slackstandin import check_view, check_view_response
from tests.support.botkit import Bot, sample_text
from tests.support.flows import (
    EAST_VALUES,
    inputs,
    open_form,
    open_october,
    seed_figures,
    submit,
    text_of,
)


def figures(session_maker: sessionmaker[Session], department: str) -> dict[str, Decimal]:
    with session_maker() as session:
        return dict(session.execute(
            select(Kpi.key, Figure.value).join(Kpi).join(Department)
            .where(Department.key == department)).tuples().all())


def status(session_maker: sessionmaker[Session], department: str) -> str | None:
    with session_maker() as session:
        return session.scalar(select(Submission.status).join(Department)
                              .where(Department.key == department))


def replied_view(reply: Any, shown: dict[str, Any]) -> dict[str, Any]:
    """The view a response_action update put in place of ``shown`` (as the stand-in keeps it)."""
    assert reply.json is not None
    assert check_view_response(reply.json, shown) == []
    assert reply.json["response_action"] == "update", reply.json
    return {**reply.json["view"], "id": shown["id"], "hash": shown.get("hash")}


def test_figures_come_first_and_are_read_as_people_write_them(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    view = open_form(bot, "U0KA", "key-accounts")
    fields = list(inputs(view))
    assert fields[:7] == ["kpi:revenue", "kpi:fixed_lines", "kpi:phs_sets", "kpi:broadband_a",
                          "kpi:customers", "kpi:churn_rate", PASTE_BLOCK]
    assert all(inputs(view)[f]["element"]["type"] == "plain_text_input" for f in fields)
    # The loss rate's hint names the control limit in force, not "none set".
    assert "Limit: 3.00%" in inputs(view)["kpi:churn_rate"]["hint"]["text"]
    reply = submit(bot, "U0KA", view, {
        "kpi:revenue": "4,993,120", "kpi:fixed_lines": "499.31\u4e07",
        "kpi:phs_sets": "1\u202f200", "kpi:churn_rate": "2.5%",
        "section:sales": "Two key deals closed"})
    assert reply.body == ""
    stored = figures(session_maker, "key-accounts")
    assert stored["revenue"] == Decimal(4993120)
    assert stored["fixed_lines"] == Decimal(4993100)
    assert stored["phs_sets"] == Decimal(1200)
    assert stored["churn_rate"] == Decimal("2.5")


def test_an_ambiguous_figure_is_refused_under_its_field_keeping_the_rest(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    reply = submit(bot, "U0EAST", view, {**EAST_VALUES, "kpi:revenue": "1,5"})
    assert reply.json == {"response_action": "errors", "errors": {
        "kpi:revenue": "'1,5' is ambiguous here: did you mean 15 or 1.5?"}}
    assert figures(session_maker, "east-county") == {}


def test_required_figures_left_empty_are_refused_under_each_field(
        make_bot: Callable[..., Bot], session_maker: sessionmaker[Session]) -> None:
    config = parse_config(sample_text(**{
        "manager: U0EAST, kpis: [revenue, arrears_recovery]":
            "manager: U0EAST, kpis: [revenue, arrears_recovery], "
            "required: [revenue, arrears_recovery]"}))
    bot = make_bot(config)
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    assert inputs(view)["kpi:revenue"]["hint"]["text"].startswith("Required")
    reply = submit(bot, "U0EAST", view, {**EAST_VALUES, "kpi:revenue": None,
                                         "kpi:arrears_recovery": "  "})
    assert reply.json is not None
    assert check_view_response(reply.json, view) == []
    assert reply.json["errors"] == {"kpi:revenue": "Business income is required",
                                    "kpi:arrears_recovery": "Arrears recovery rate is required"}
    assert status(session_maker, "east-county") in (None, "draft")


def test_a_figure_ten_times_last_months_is_stored_only_once_confirmed(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    seed_figures(bot.deps, "kpi,department,month,value\nrevenue,east-county,2026-09,1059216\n")
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    typed = {**EAST_VALUES, "kpi:revenue": "10,592,160"}
    confirm = replied_view(submit(bot, "U0EAST", view, typed), view)
    assert confirm["callback_id"] == PLAUSIBLE_CALLBACK
    assert check_view(confirm) == []
    assert "10,592,160 CNY is 10\u00d7 last month's 1,059,216 CNY: submit anyway?" in \
        text_of(confirm)
    assert confirm["submit"]["text"] == "Submit anyway"
    assert figures(session_maker, "east-county") == {"revenue": Decimal(1059216)}
    assert status(session_maker, "east-county") == "draft"

    # Back: the form again, with everything typed.
    before = len(bot.slack.ok_calls("views.update"))
    back = next(b for b in confirm["blocks"] if b["type"] == "actions")["elements"][0]
    assert back["action_id"] == PLAUSIBLE_BACK
    bot.driver.block_action("U0EAST", PLAUSIBLE_BACK, back["value"], container="view",
                            view=confirm)
    form = bot.slack.wait_for("views.update", before + 1)[-1].params["view"]
    fields = inputs(form)
    assert fields["kpi:revenue"]["element"]["initial_value"] == "10,592,160"
    assert fields["section:sales"]["element"]["initial_value"] == EAST_VALUES["section:sales"]
    assert figures(session_maker, "east-county") == {"revenue": Decimal(1059216)}

    # Submitted again it asks again; "Submit anyway" stores it.
    form = {**form, "id": view["id"]}
    confirm = replied_view(submit(bot, "U0EAST", form, {}), form)
    reply = submit(bot, "U0EAST", confirm, {})
    assert reply.body == ""
    assert figures(session_maker, "east-county")["revenue"] == Decimal(10592160)
    assert status(session_maker, "east-county") == "submitted"


def test_a_figure_near_last_months_is_stored_without_asking(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    seed_figures(bot.deps, "kpi,department,month,value\nrevenue,east-county,2026-09,1059216\n")
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    reply = submit(bot, "U0EAST", view, {**EAST_VALUES, "kpi:revenue": "3,000,000"})
    assert reply.body == ""
    assert figures(session_maker, "east-county")["revenue"] == Decimal(3000000)


def test_pasted_columns_fill_the_figures_for_review_and_store_nothing(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    pasted = "KPI\tValue\nBusiness income\t2450000\narrears_recovery\t97.5\n"
    shown = replied_view(submit(bot, "U0EAST", view, {
        "section:sales": "All collected", PASTE_BLOCK: pasted}), view)
    assert check_view(shown) == []
    fields = inputs(shown)
    assert fields["kpi:revenue"]["element"]["initial_value"] == "2450000"
    assert fields["kpi:arrears_recovery"]["element"]["initial_value"] == "97.5"
    assert fields["section:sales"]["element"]["initial_value"] == "All collected"
    assert "initial_value" not in fields[PASTE_BLOCK]["element"]
    assert "Filled in 2 figures" in text_of(shown)
    assert figures(session_maker, "east-county") == {}
    assert status(session_maker, "east-county") == "draft"
    assert submit(bot, "U0EAST", shown, {}).body == ""
    assert figures(session_maker, "east-county") == {"revenue": Decimal(2450000),
                                                     "arrears_recovery": Decimal("97.5")}


def test_a_bad_pasted_row_is_named_under_the_paste_box(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    reply = submit(bot, "U0EAST", view, {
        PASTE_BLOCK: "Business income\t2450000\nArrears recovery rate\t97.5\nBroadbnd\t12"})
    assert reply.json is not None
    assert check_view_response(reply.json, view) == []
    assert list(reply.json["errors"]) == [PASTE_BLOCK]
    assert "row 3" in reply.json["errors"][PASTE_BLOCK]
    assert "Broadbnd" in reply.json["errors"][PASTE_BLOCK]
    # A pasted figure that disagrees with one typed is named too, and nothing is changed.
    reply = submit(bot, "U0EAST", view, {"kpi:revenue": "2,400,000",
                                         PASTE_BLOCK: "revenue\t2450000"})
    assert reply.json is not None
    assert "row 1: Business income" in reply.json["errors"][PASTE_BLOCK]
    assert status(session_maker, "east-county") is None


def test_last_months_text_comes_into_a_section_in_one_click(bot: Bot) -> None:
    with bot.deps.unit_of_work() as session:
        record_submission(session, bot.deps.config, period="2026-09", department="east-county",
                          user="U0EAST", answers={"sales": "Collected 97%", "team": "Two hires"},
                          figures={})
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    buttons = {b["block_id"]: b["elements"][0] for b in view["blocks"]
               if b["type"] == "actions" and b["block_id"].startswith("lasttext:")}
    assert sorted(buttons) == ["lasttext:sales", "lasttext:team"]
    assert buttons["lasttext:team"]["text"]["text"] == "Use last month's text"
    before = len(bot.slack.ok_calls("views.update"))
    bot.driver.block_action("U0EAST", LAST_TEXT_ACTION, "team", container="view", view=view)
    sent = bot.slack.wait_for("views.update", before + 1)[-1].params["view"]
    assert check_view(sent) == []
    updated = bot.slack.view(view["id"])  # as Slack shows it: kept inputs keep their typing
    assert updated is not None
    assert inputs(updated)["section:team"]["element"]["initial_value"] == "Two hires"
    assert "initial_value" not in inputs(updated)["section:sales"]["element"]


def test_figures_imported_for_the_month_fill_the_form_and_a_draft_wins_over_them(
        bot: Bot) -> None:
    seed_figures(bot.deps, "kpi,department,month,value\nrevenue,east-county,2026-10,2390000\n"
                           "arrears_recovery,east-county,2026-10,98.5\n")
    open_october(bot)
    view = open_form(bot, "U0EAST", "east-county")
    fields = inputs(view)
    assert fields["kpi:revenue"]["element"]["initial_value"] == "2390000"
    assert fields["kpi:arrears_recovery"]["element"]["initial_value"] == "98.5"
    assert "already imported" in text_of({"blocks": view["blocks"]})
    # A draft where the manager cleared one and changed the other wins over the import.
    with bot.deps.unit_of_work() as session:
        save_draft(session, bot.deps.config, period="2026-10", department="east-county",
                   user="U0EAST", values={"kpi:revenue": "2,400,000", "kpi:arrears_recovery": None})
    fields = inputs(open_form(bot, "U0EAST", "east-county"))
    assert fields["kpi:revenue"]["element"]["initial_value"] == "2,400,000"
    assert "initial_value" not in fields["kpi:arrears_recovery"]["element"]
