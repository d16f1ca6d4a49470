"""``checkin asks``: the asks of leadership as CSV or Markdown, chosen by month, state and
department, guarded against formula injection; bad flags are one line and exit 2."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.cli.main import main
from summaries.access import viewer
from summaries.checkins.asks import act_on_ask, find_asks
from summaries.checkins.submissions import record_submission
from summaries.config.loader import load_config
from summaries.digest.export import ASK_COLUMNS
from summaries.engine.asks import AskAction
from summaries.store.catalog import sync_config
from summaries.store.db import make_engine
from tests.support.paths import DATA

HYPERLINK = '=HYPERLINK("http://evil.example","click me")'
AT = datetime(2026, 10, 30, 2, 0, tzinfo=UTC)


@pytest.fixture
def asks(database: str) -> str:
    """September: West asks for a van (open). October: East asks HYPERLINK (open) and for
    installers (decided, 'Approved'), West for a | pipe (withdrawn)."""
    config = load_config(DATA / "checkin.yaml")
    engine = make_engine(database, poolclass=sa.pool.NullPool)
    with Session(engine) as session:
        sync_config(session, config)
        for department, user, period, problems in (
                ("west-county", "U0WEST", "2026-09", "A second service van"),
                ("east-county", "U0EAST", "2026-10", f"{HYPERLINK}\nTwo more installers"),
                ("west-county", "U0WEST", "2026-10", "A | pipe <b>")):
            record_submission(session, config, period=period, department=department,
                              user=user, answers={"sales": "Steady.", "problems": problems},
                              figures={}, now=AT)
        every = {a.text: a.id for a in find_asks(session, config, viewer(config, "U0OPS"),
                                                  live_only=False)}
        for text, user, action, words in (("Two more installers", "U0CEO", AskAction.DECIDE,
                                           "Approved"),
                                          ("A | pipe <b>", "U0WEST", AskAction.WITHDRAW, None)):
            ask_id = every[text]
            assert ask_id is not None
            act_on_ask(session, config, ask_id=ask_id, user=user, action=action, now=AT,
                       text=words)
        session.commit()
    engine.dispose()
    return database


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(["asks", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_csv_lists_the_live_asks_by_default_with_formulas_guarded(
        asks: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "asks.csv"
    status, out, err = run(capsys, "--output", str(output))
    assert (status, out, err) == (0, "", f"wrote {output} (2 asks)\n")
    content = output.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf" + ",".join(ASK_COLUMNS).encode() + b"\r\n")
    rows = csv_rows(content.decode("utf-8-sig"))
    assert [(r["period"], r["department"], r["text"], r["state"]) for r in rows] == [
        ("2026-10", "east-county", "'" + HYPERLINK, "open"),
        ("2026-09", "west-county", "A second service van", "open")]
    assert (rows[0]["section"], rows[0]["raised_by"], rows[0]["raised_at"]) == (
        "Problems and requests", "U0EAST", "2026-10-30T02:00:00+00:00")


@pytest.mark.parametrize(("states", "texts"), [
    (["--state", "all"], {"'" + HYPERLINK, "Two more installers", "A | pipe <b>",
                          "A second service van"}),
    (["--state", "decided,withdrawn"], {"Two more installers", "A | pipe <b>"}),
    (["--state", "decided", "--state", "OPEN"], {"Two more installers", "'" + HYPERLINK,
                                                 "A second service van"}),
    (["--state", "all", "--period", "2026-09"], {"A second service van"}),
    (["--state", "live", "--department", "East County"], {"'" + HYPERLINK}),
    (["--department", "west-county", "--period", "2026-10"], set()),
])
def test_state_period_and_department_choose_the_asks(
        asks: str, capsys: pytest.CaptureFixture[str], states: list[str],
        texts: set[str]) -> None:
    status, out, _ = run(capsys, "--format", "csv", *states)
    assert status == 0
    assert {r["text"] for r in csv_rows(out)} == texts


def test_a_decided_ask_carries_its_decision_and_last_change(
        asks: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--format", "csv", "--state", "decided")
    [row] = csv_rows(out)
    assert (row["state"], row["last_action"], row["last_by"], row["last_reply"]) == (
        "decided", "decide", "U0CEO", "Approved")


def test_markdown_is_a_table_with_user_text_escaped(
        asks: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "--state", "all")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("# Asks of leadership: ")
    assert "| id | month | department | section | ask | state | last reply |" in lines
    [pipe] = [line for line in lines if "pipe" in line]
    assert "A \\| pipe \\<b\\>" in pipe
    assert "| withdrawn |" in pipe
    [decided] = [line for line in lines if "installers" in line]
    assert "decided by U0CEO on Oct 30" in decided
    assert "Decision from U0CEO (Oct 30): Approved" in decided
    assert "| 2026-09 | West County Company |" in out
    status, out, _ = run(capsys, "--period", "2026-08")
    assert (status, out.splitlines()[-1]) == (0, "No asks match.")


@pytest.mark.parametrize(("argv", "message"), [
    (["--state", "maybe"], "checkin: --state: unknown state 'maybe'; use open, acknowledged, "
                           "assigned, decided, declined, withdrawn, live, all"),
    (["--state", "open,"], "checkin: --state: unknown state ''; use open, acknowledged, "
                           "assigned, decided, declined, withdrawn, live, all"),
    (["--period", "2026-13"], "checkin: not a month (YYYY-MM): '2026-13'"),
    (["--department", "nowhere"], "checkin: --department: Which department? Choose from: "),
])
def test_bad_flags_are_one_line_and_exit_2(
        asks: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_an_unknown_format_and_an_unwritable_output_exit_2(
        asks: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["asks", "--format", "xlsx"])
    assert exited.value.code == 2
    assert "invalid choice: 'xlsx'" in capsys.readouterr().err
    output = tmp_path / "missing" / "asks.csv"
    status, out, err = run(capsys, "--output", str(output))
    assert (status, out) == (2, "")
    assert err == f"checkin: {output}: the folder {output.parent} does not exist\n"
