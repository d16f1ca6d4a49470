"""A month's export holds its asks of leadership (SPEC 5.2) and their history: CSV files beside
the KPI rows and sheets of the XLSX, with text guarded against formula injection."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from summaries.access import viewer
from summaries.checkins.asks import act_on_ask, find_asks
from summaries.checkins.submissions import record_submission
from summaries.config.schema import Config
from summaries.digest.export import (
    ASK_COLUMNS,
    ASK_HISTORY_COLUMNS,
    export_asks,
    export_files,
)
from summaries.digest.load import load_digest
from summaries.engine.asks import AskAction
from summaries.periods import Month

pytestmark = pytest.mark.usefixtures("catalog")
HYPERLINK = '=HYPERLINK("http://evil.example","click me")'
SEPTEMBER = datetime(2026, 9, 29, 2, 0, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 30, 2, 0, tzinfo=UTC)
MANAGERS = {"key-accounts": "U0KA", "east-county": "U0EAST", "west-county": "U0WEST"}


def submit(db: Session, config: Config, department: str, problems: str, period: str,
           at: datetime) -> None:
    record_submission(db, config, period=period, department=department,
                      user=MANAGERS[department],
                      answers={"sales": "On plan.", "problems": problems}, figures={}, now=at)


def act(db: Session, config: Config, text: str, action: AskAction, user: str = "U0CEO",
        words: str | None = None, at: datetime = OCTOBER) -> int:
    [ask] = [a for a in find_asks(db, config, viewer(config, "U0OPS"), live_only=False)
             if a.text == text]
    assert ask.id is not None
    assert act_on_ask(db, config, ask_id=ask.id, user=user, action=action, now=at,
                      text=words).changed
    return ask.id


@pytest.fixture
def october(db: Session, config: Config) -> dict[str, int]:
    """September: Key Accounts asks for towers (still open) and a car (declined). October:
    East asks HYPERLINK (replied to with a formula) and for installers (decided), West for a
    fair it then withdraws. November: an ask that is no October business."""
    submit(db, config, "key-accounts", "Budget for two towers\nA company car", "2026-09",
           SEPTEMBER)
    submit(db, config, "east-county", f"{HYPERLINK}\nTwo more installers", "2026-10", OCTOBER)
    submit(db, config, "west-county", "Budget for the fair", "2026-10", OCTOBER)
    submit(db, config, "west-county", "A November wish", "2026-11",
           OCTOBER + timedelta(days=30))
    ids = {"car": act(db, config, "A company car", AskAction.DECLINE, words="Not this year")}
    ids["link"] = act(db, config, HYPERLINK, AskAction.REPLY, words="-1 from me; =SUM(A1)")
    ids["installers"] = act(db, config, "Two more installers", AskAction.DECIDE,
                            words="Approved", at=OCTOBER + timedelta(hours=1))
    ids["fair"] = act(db, config, "Budget for the fair", AskAction.WITHDRAW, user="U0WEST")
    db.flush()
    return ids


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_the_month_holds_its_asks_in_every_state_and_earlier_open_ones(
        db: Session, config: Config, october: dict[str, int]) -> None:
    found = export_asks(db, config, Month(2026, 10))
    assert [(a.period, a.text, str(a.state)) for a in found] == [
        ("2026-09", "Budget for two towers", "open"),
        ("2026-10", HYPERLINK, "acknowledged"),
        ("2026-10", "Two more installers", "decided"),
        ("2026-10", "Budget for the fair", "withdrawn")]


def test_csv_has_an_asks_file_and_a_history_file_guarded_against_formulas(
        db: Session, config: Config, october: dict[str, int]) -> None:
    month = Month(2026, 10)
    digest = load_digest(db, config, month, closed=None)
    files = dict(export_files(digest, "csv", "oct", asks=export_asks(db, config, month)))
    assert files["oct-asks.csv"].startswith(b"\xef\xbb\xbf" + ",".join(ASK_COLUMNS).encode())
    rows = {r["id"]: r for r in read_csv(files["oct-asks.csv"])}
    link = rows[str(october["link"])]
    assert (link["period"], link["department"], link["section"], link["state"]) == (
        "2026-10", "east-county", "Problems and requests", "acknowledged")
    assert link["text"] == "'" + HYPERLINK
    assert link["last_reply"] == "'-1 from me; =SUM(A1)"
    assert (link["raised_by"], link["raised_at"]) == ("U0EAST", "2026-10-30T02:00:00+00:00")
    assert (link["last_action"], link["last_by"]) == ("reply", "U0CEO")
    installers = rows[str(october["installers"])]
    assert (installers["state"], installers["last_reply"], installers["last_at"]) == (
        "decided", "Approved", "2026-10-30T03:00:00+00:00")
    fair = rows[str(october["fair"])]
    assert (fair["state"], fair["last_action"], fair["last_by"], fair["last_reply"]) == (
        "withdrawn", "withdraw", "U0WEST", "")
    assert str(october["car"]) not in rows  # September's, and no longer open
    history = read_csv(files["oct-ask-history.csv"])
    assert list(history[0]) == list(ASK_HISTORY_COLUMNS)
    steps = [(h["action"], h["from"], h["to"], h["by"], h["text"]) for h in history
             if h["ask_id"] == str(october["link"])]
    assert steps == [("raise", "", "open", "U0EAST", "'" + HYPERLINK),
                     ("reply", "open", "acknowledged", "U0CEO", "'-1 from me; =SUM(A1)")]
    assert len(history) == 1 + 2 + 2 + 2  # towers; link, installers and fair twice each


def test_xlsx_has_asks_and_ask_history_sheets_with_formulas_kept_as_text(
        db: Session, config: Config, october: dict[str, int]) -> None:
    month = Month(2026, 10)
    digest = load_digest(db, config, month, closed=None)
    [(_, content)] = export_files(digest, "xlsx", "oct", asks=export_asks(db, config, month))
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["KPIs", "Sections", "Asks", "Ask history", "Revisions"]
    sheet = book["Asks"]
    assert [c.value for c in sheet[1]] == list(ASK_COLUMNS)
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    link = rows[october["link"]]
    assert link[0].data_type == "n"  # the id is a number
    text, reply = link[ASK_COLUMNS.index("text")], link[ASK_COLUMNS.index("last_reply")]
    assert (text.value, text.data_type, text.quotePrefix) == (HYPERLINK, "s", True)
    assert (reply.value, reply.quotePrefix) == ("-1 from me; =SUM(A1)", True)
    history = book["Ask history"]
    assert [c.value for c in history[1]] == list(ASK_HISTORY_COLUMNS)
    texts = [c for row in history.iter_rows(min_row=2) for c in row if c.value == HYPERLINK]
    assert len(texts) == 1
    assert texts[0].quotePrefix


def test_without_asks_given_the_digests_own_are_exported(
        db: Session, config: Config, october: dict[str, int]) -> None:
    digest = load_digest(db, config, Month(2026, 10), closed=None)
    rows = read_csv(dict(export_files(digest, "csv", "oct"))["oct-asks.csv"])
    assert {r["text"] for r in rows} == {"Budget for two towers", "'" + HYPERLINK,
                                         "Two more installers"}  # the withdrawn one is not
