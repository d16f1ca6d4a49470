"""Corrections after close (SPEC 4.2): a figure fixed by an import updates the posted digest
in place, marked corrected, and never posts a second one."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

import bot.cycle.refreshing as refreshing
from bot.cli.main import main
from bot.cycle.closing import close_period
from summaries.checkins.keptmonth import Keeping
from summaries.store.db import make_engine
from tests.support.botkit import TOKEN, Bot, drain
from tests.support.flows import EAST_VALUES, open_form, open_october, submit
from tests.support.paths import DATA

from .test_digest_cycle import CLOSE_MOMENT, LEADERS, OCTOBER, leadership, text_of


def closed_with_east(bot: Bot) -> None:
    """October with East County's summary in, closed: its digest posted."""
    open_october(bot)
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"), EAST_VALUES)
    drain(bot)  # East's confirmation is out before the close
    bot.clock.now = CLOSE_MOMENT
    assert close_period(bot.deps, OCTOBER).ok


def commands_on(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    """``checkin`` commands run in this test work on the bot's database and Slack."""
    for name, value in {"DATABASE_URL": bot.deps.settings.database_url,
                        "CHECKIN_CONFIG": str(DATA / "checkin.yaml"),
                        "SLACK_API_URL": bot.slack.api_url, "SLACK_BOT_TOKEN": TOKEN}.items():
        monkeypatch.setenv(name, value)
    # The test database is made from the models, not by migrations: open it as it is.
    monkeypatch.setattr("bot.bootstrap.open_database",
                        lambda settings: make_engine(settings.database_url))


def test_a_figure_import_after_the_close_corrects_the_posted_digest_in_place(
        bot: Bot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    closed_with_east(bot)
    header, thread = leadership(bot)
    posted = len(bot.slack.messages(LEADERS))
    commands_on(bot, monkeypatch)
    fix = tmp_path / "fix.csv"
    fix.write_text("kpi,department,month,value\nrevenue,east-county,2026-10,2390000\n",
                   encoding="utf-8")
    capsys.readouterr()
    assert main(["figures", "import", str(fix), "--dry-run"]) == 0
    assert "would correct the posted 2026-10 digest (east-county)" in capsys.readouterr().out
    assert bot.slack.calls_to("chat.update") == []
    assert main(["figures", "import", str(fix)]) == 0
    assert "corrects the posted 2026-10 digest (east-county)" in capsys.readouterr().out
    updates = bot.slack.calls_to("chat.update")
    assert {u.params["ts"] for u in updates} >= {header["ts"]}
    assert len(bot.slack.messages(LEADERS)) == posted  # updated in place, nothing new
    header, thread = leadership(bot)
    assert "Corrected on" in text_of(header)
    # East's reply, in as many messages as it takes: the mark opens it, the figures follow.
    east = [text_of(m) for m in thread if str(m.get("text", "")).startswith("East County")]
    assert "Corrected on" in east[0]
    assert "2,390,000" in "".join(east)
    assert "revised" in "".join(east)  # the figure changed after it was submitted: who, when
    assert "by import:fix.csv" in "".join(east)


def test_an_import_correcting_several_departments_reads_the_month_once_and_updates_the_header_once(
        bot: Bot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    closed_with_east(bot)
    header, thread = leadership(bot)
    replied = {str(m.get("text", "")).split(":")[0] for m in thread}
    assert "East County Company" in replied
    assert "West County Company" not in replied
    commands_on(bot, monkeypatch)
    reads: list[str] = []
    load = refreshing.load_digest

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(str(args[2]))
        return load(*args, **kwargs)

    monkeypatch.setattr(refreshing, "load_digest", counted)
    fix = tmp_path / "fix.csv"
    fix.write_text("kpi,department,month,value\n"
                   "revenue,east-county,2026-10,2390000\n"
                   "revenue,west-county,2026-10,1234567\n"
                   "arrears_recovery,west-county,2026-10,97.5\n", encoding="utf-8")
    assert main(["figures", "import", str(fix)]) == 0
    assert reads == ["2026-10"]  # one read of the month for both departments
    updates = bot.slack.calls_to("chat.update")
    assert [u.params["ts"] for u in updates].count(header["ts"]) == 1  # the header, once
    header, after = leadership(bot)  # still one digest: East's reply updated in place, and
    new = [m for m in after if m["ts"] not in {t["ts"] for t in thread}]  # West's is new
    assert [str(m.get("text", "")).split(":")[0] for m in new] == ["West County Company"]
    thread = after
    assert "Corrected on" in text_of(header)
    replies = {name: "".join(text_of(m) for m in thread
                             if str(m.get("text", "")).startswith(name))
               for name in ("East County", "West County", "Key Account")}
    assert "2,390,000" in replies["East County"]
    assert "Corrected on" in replies["East County"]
    assert "1,234,567" in replies["West County"]
    assert "97.5" in replies["West County"]
    assert "Corrected on" not in replies["Key Account"]  # not corrected, not touched
    # The same import again changes nothing: no second update of anything.
    before = len(bot.slack.calls_to("chat.update"))
    assert main(["figures", "import", str(fix)]) == 0
    assert len(bot.slack.calls_to("chat.update")) == before


def test_a_late_summary_updates_the_digest_on_the_worker_pool_not_the_listener_thread(
        bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    open_october(bot)
    bot.clock.now = CLOSE_MOMENT
    assert close_period(bot.deps, OCTOBER).ok
    header, _thread = leadership(bot)
    threads: list[str] = []
    refresh = refreshing.refresh_digest

    def recorded(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return refresh(*args, **kwargs)

    monkeypatch.setattr(refreshing, "refresh_digest", recorded)
    submit(bot, "U0EAST", open_form(bot, "U0EAST", "east-county"), EAST_VALUES)  # late
    [update] = bot.slack.wait_for("chat.update")
    assert update.params["ts"] == header["ts"]
    drain(bot)
    assert len(threads) == 1
    assert threads[0].startswith("checkin_")  # the worker pool's, not "checkin-listener_"


def test_a_correction_after_the_close_evaluates_only_the_departments_it_touched(
        bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The close keeps every department's result; the update a correction makes evaluates
    the corrected department and its parent again, and reuses the rest."""
    kept: list[tuple[int, list[str]]] = []
    keep = refreshing.keep_results

    def recorded(sessions: Any, keeping: Keeping) -> None:
        kept.append((keeping.reused, sorted(row.department for row in keeping.rows)))
        keep(sessions, keeping)

    monkeypatch.setattr(refreshing, "keep_results", recorded)
    closed_with_east(bot)
    with bot.deps.unit_of_work() as session:
        session.execute(text(
            "UPDATE figures SET value = 2390000 WHERE department_id = (SELECT id FROM "
            "departments WHERE key = 'east-county') AND kpi_id = (SELECT id FROM kpis WHERE "
            "key = 'revenue') AND period_id = (SELECT id FROM periods WHERE key = '2026-10')"))
    assert refreshing.refresh_digest(bot.deps, "2026-10", "east-county").ok
    present = len(bot.deps.config.departments_in("2026-10"))
    assert kept == [(present - 2, ["east-county", "marketing"])]
    _, thread = leadership(bot)
    assert "2,390,000" in "".join(text_of(m) for m in thread
                                  if str(m.get("text", "")).startswith("East County"))
