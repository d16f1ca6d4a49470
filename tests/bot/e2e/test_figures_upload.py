"""Figures sent as a spreadsheet by direct message (issue 20), through the real HTTP app: the
file is read and checked, kept in the draft for review, and stored only when submitted."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.ids import OPEN_ACTION, open_value
from bot.uploads.download import MAX_BYTES
from summaries.checkins.submissions import read_draft
from summaries.config.loader import parse_config
from summaries.store.models import Department, Figure, Kpi
from tests.slackstandin import check_message, dm_channel, latest_view
from tests.support.botkit import Bot, drain, sample_text
from tests.support.flows import EAST_VALUES, PERIOD, inputs, open_october, submit


def xlsx(rows: list[list[object]], formats: dict[str, str]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for ref, number_format in formats.items():
        sheet[ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def send_file(bot: Bot, user: str, filename: str, data: bytes,
              channel: str | None = None) -> dict[str, Any]:
    """``user`` shares a file with the bot; the bot's last DM to them once it is done."""
    before = len(bot.slack.messages(dm_channel(user)))
    file_id = bot.slack.share_file(user, filename, data, channel)
    reply = bot.driver.event({"type": "file_shared", "file_id": file_id, "user_id": user,
                              "channel_id": channel or dm_channel(user),
                              "file": {"id": file_id}})
    assert reply.status == 200, reply.body
    drain(bot)
    messages = bot.slack.messages(dm_channel(user))
    if len(messages) == before:
        return {}
    assert check_message(messages[-1]) == []
    return messages[-1]


def figures(session_maker: sessionmaker[Session], department: str) -> dict[str, Decimal]:
    with session_maker() as session:
        return dict(session.execute(
            select(Kpi.key, Figure.value).join(Kpi).join(Department)
            .where(Department.key == department)).tuples().all())


def draft(session_maker: sessionmaker[Session], department: str) -> dict[str, Any]:
    with session_maker() as session:
        return read_draft(session, period=PERIOD, department=department)


def test_an_xlsx_prefills_the_draft_and_nothing_is_stored_until_submit(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    data = xlsx([["KPI", "Value"], ["Business income", 2450000.0],
                 ["arrears_recovery", 0.975]], {"B3": "0.0%"})
    message = send_file(bot, "U0EAST", "october.xlsx", data)
    assert "2 figures for East County Company, October 2026, are in your draft" in message["text"]
    button = message["blocks"][0]["accessory"]
    assert (button["action_id"], button["value"]) == (OPEN_ACTION,
                                                      open_value(PERIOD, "east-county"))
    assert button["text"]["text"] == "Review and submit"
    assert draft(session_maker, "east-county") == {"kpi:revenue": "2450000",
                                                    "kpi:arrears_recovery": "97.5"}
    assert figures(session_maker, "east-county") == {}

    opened = len(bot.slack.ok_calls("views.open"))
    reply = bot.driver.block_action("U0EAST", OPEN_ACTION, button["value"])
    assert reply.status == 200, reply.body
    bot.slack.wait_for("views.open", opened + 1)
    fields = inputs(latest_view(bot.slack, "U0EAST"))
    assert fields["kpi:revenue"]["element"]["initial_value"] == "2450000"
    assert fields["kpi:arrears_recovery"]["element"]["initial_value"] == "97.5"

    sections = {k: v for k, v in EAST_VALUES.items() if k.startswith("section:")}
    submit(bot, "U0EAST", latest_view(bot.slack, "U0EAST"),
           {**sections, "kpi:revenue": "2450000", "kpi:arrears_recovery": "97.5"})
    drain(bot)
    assert figures(session_maker, "east-county") == {"revenue": Decimal(2450000),
                                                      "arrears_recovery": Decimal("97.5")}


def test_a_csv_with_a_bad_row_is_answered_with_the_row_and_nothing_is_kept(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    data = "\ufeffkpi,value\nrevenue,\"2,450,000\"\n\narrears_recovery,lots\n".encode()
    message = send_file(bot, "U0EAST", "october.csv", data)
    assert "1 row to fix for East County Company; nothing was kept" in message["text"]
    shown = "\n".join(b["text"]["text"] for b in message["blocks"] if "text" in b)
    assert "row 4: Arrears recovery rate: not a number: 'lots'" in shown
    assert "button" not in str(message["blocks"])
    assert draft(session_maker, "east-county") == {}
    assert figures(session_maker, "east-county") == {}


def test_a_file_from_someone_without_a_department_is_refused_politely(bot: Bot) -> None:
    open_october(bot)
    message = send_file(bot, "U0STRANGER", "figures.csv", b"revenue,1\n")
    assert "you manage no department" in message["text"]
    assert bot.slack.calls_to("files.info") == []
    assert bot.slack.calls_to("download") == []


def test_an_oversize_file_is_refused_without_downloading_it(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    data = b"revenue,1\n" + b" " * MAX_BYTES
    message = send_file(bot, "U0EAST", "huge.csv", data)
    assert "huge.csv is larger than 1 MB" in message["text"]
    assert bot.slack.calls_to("download") == []
    assert draft(session_maker, "east-county") == {}


def test_another_kind_of_file_is_refused_with_what_to_send(bot: Bot) -> None:
    open_october(bot)
    message = send_file(bot, "U0EAST", "figures.pdf", b"%PDF-1.4")
    assert "I can only read XLSX and CSV files" in message["text"]
    assert bot.slack.calls_to("download") == []


def test_a_file_shared_outside_the_dm_and_a_redelivery_are_left_alone(
        bot: Bot, session_maker: sessionmaker[Session]) -> None:
    open_october(bot)
    assert send_file(bot, "U0EAST", "october.csv", b"revenue,1\n", channel="C0LEAD") == {}
    file_id = bot.slack.share_file("U0EAST", "october.csv", b"revenue,2450000\n")
    event = {"type": "file_shared", "file_id": file_id, "user_id": "U0EAST",
             "channel_id": dm_channel("U0EAST")}
    for retry in (None, 1):
        assert bot.driver.event(event, event_id="EvSAME", retry_num=retry).status == 200
        drain(bot)
    assert len(bot.slack.calls_to("download")) == 1
    assert draft(session_maker, "east-county") == {"kpi:revenue": "2450000"}


def test_a_manager_of_two_departments_names_one_in_the_files_name(
        make_bot: Callable[..., Bot], session_maker: sessionmaker[Session]) -> None:
    bot = make_bot(parse_config(sample_text(**{"manager: U0WEST": "manager: U0EAST"})))
    open_october(bot)
    message = send_file(bot, "U0EAST", "figures.csv", b"revenue,2450000\n")
    assert "You manage several departments" in message["text"]
    assert "West County Company (west-county.xlsx)" in message["text"]
    assert draft(session_maker, "east-county") == draft(session_maker, "west-county") == {}

    message = send_file(bot, "U0EAST", "West-County 2026-10.csv", b"revenue,2100000\n")
    assert "1 figure for West County Company, October 2026, is in your draft" in message["text"]
    assert draft(session_maker, "west-county") == {"kpi:revenue": "2100000"}
    assert draft(session_maker, "east-county") == {}
