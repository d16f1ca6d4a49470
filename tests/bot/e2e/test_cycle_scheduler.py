"""The scheduler's wiring: APScheduler jobs at the cycle's moments, one leader, ``serve``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bot import bootstrap
from bot.cli import serve
from bot.cli.main import build_parser, main
from bot.cycle.scheduler import LEADER_JOB, PLAN_JOB, RECONCILE_JOB, AdvisoryLock, CycleScheduler
from bot.deps import Deps
from summaries.config.schema import Config
from summaries.store.db import make_engine
from summaries.store.tables import Base
from tests.bot.e2e.test_scheduler import PERIOD, SHANGHAI, at, posts
from tests.bot.unit.test_ledger import make_deps
from tests.support.botkit import Bot, Clock

# --- the APScheduler wiring ---------------------------------------------------------------


class Standby:
    """A leader lock another process holds, until ``free`` is set."""

    def __init__(self) -> None:
        self.free = False
        self.held = False

    def acquire(self) -> bool:
        self.held = self.free
        return self.held

    def release(self) -> None:
        self.held = False


def test_jobs_are_planned_at_each_future_moment_of_the_cycle(bot: Bot) -> None:
    at(bot, 2026, 10, 30, 10, 0)
    cycle = CycleScheduler(bot.deps)
    cycle.start(paused=True)
    try:
        planned = {job.id: job for job in cycle.scheduler.get_jobs()}
        moments = {job_id: job.next_run_time for job_id, job in planned.items()
                   if job_id not in (RECONCILE_JOB, LEADER_JOB, PLAN_JOB)}
        assert moments == {
            "checkin:2026-10:remind1": datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI),
            "checkin:2026-10:remind2": datetime(2026, 11, 4, 10, 0, tzinfo=SHANGHAI),
            "checkin:2026-10:close": datetime(2026, 11, 4, 18, 0, tzinfo=SHANGHAI),
            "checkin:2026-11:open": datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI),
            "checkin:2026-11:remind1": datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI),
            "checkin:2026-11:remind2": datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI),
            "checkin:2026-11:close": datetime(2026, 12, 3, 18, 0, tzinfo=SHANGHAI),
        }
        for job_id in moments:
            job = planned[job_id]
            assert (job.coalesce, job.max_instances) == (True, 1)
            assert job.misfire_grace_time == 3600
            assert job.func == cycle.tick
        assert planned[RECONCILE_JOB].trigger.interval == timedelta(hours=1)
        # Run at once on start: its first run is not an hour away.
        first = planned[RECONCILE_JOB].next_run_time
        assert first <= datetime.now(UTC) + timedelta(seconds=5)
        assert planned[LEADER_JOB].trigger.interval == timedelta(minutes=1)
        assert str(planned[PLAN_JOB].trigger.timezone) == "Asia/Shanghai"
        assert str(cycle.scheduler.timezone) == "Asia/Shanghai"
        assert cycle.is_leader  # SQLite, or the only process on PostgreSQL

        # The daily re-plan picks up December's cycle once November comes.
        at(bot, 2026, 11, 20, 0, 5)
        assert cycle.plan() == [
            "checkin:2026-11:open", "checkin:2026-11:remind1", "checkin:2026-11:remind2",
            "checkin:2026-11:close", "checkin:2026-12:open", "checkin:2026-12:remind1",
            "checkin:2026-12:remind2", "checkin:2026-12:close"]
    finally:
        cycle.stop()
    assert not cycle.scheduler.running
    assert posts(bot) == 0  # paused: nothing ran


def test_a_process_that_does_not_lead_runs_nothing_until_it_leads(bot: Bot) -> None:
    lock = Standby()
    cycle = CycleScheduler(bot.deps, lock=lock)
    at(bot, 2026, 10, 30, 9, 30)
    assert not cycle.is_leader
    assert cycle.tick() == []
    assert not cycle.campaign()
    assert posts(bot) == 0
    lock.free = True
    assert cycle.campaign()
    assert cycle.is_leader
    assert cycle.tick() == [("open", PERIOD, True)]
    assert posts(bot) == 5


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def pg_deps(postgres_url: str, config: Config) -> Iterator[list[Deps]]:
    """Two processes' dependencies on one PostgreSQL database, each with its own engine."""
    engines = [make_engine(postgres_url) for _ in range(3)]
    Base.metadata.create_all(engines[0])
    # Between September's late window and October's opening: reconcile has nothing to run.
    made = [make_deps(engine, config, Clock(datetime(2026, 10, 26, 2, 0, tzinfo=UTC)))
            for engine in engines]
    yield made
    for deps in made:
        deps.close()


def test_on_postgresql_one_scheduler_leads_and_a_standby_takes_over(
        pg_deps: list[Deps]) -> None:
    first, second = (CycleScheduler(d, leader_retry=0.05) for d in pg_deps[:2])
    first.start()
    second.start()
    try:
        assert [first.is_leader, second.is_leader] == [True, False]
        assert not AdvisoryLock(pg_deps[2].engine).acquire()
        time.sleep(0.2)  # a few retries: the standby still does not lead
        assert not second.is_leader

        first.stop()
        assert not first.is_leader
        assert wait_until(lambda: second.is_leader)
        assert not AdvisoryLock(pg_deps[2].engine).acquire()
    finally:
        first.stop()
        second.stop()
    third = AdvisoryLock(pg_deps[2].engine)
    assert third.acquire()
    third.release()


# --- checkin serve ------------------------------------------------------------------------


def test_serve_parses_no_scheduler() -> None:
    parser = build_parser()
    assert parser.parse_args(["serve"]).no_scheduler is False
    assert parser.parse_args(["serve", "--no-scheduler", "--port", "3001"]).no_scheduler is True


@pytest.mark.parametrize(("argv", "scheduler"), [
    (["serve"], True), (["serve", "--no-scheduler"], False)])
def test_serve_passes_the_scheduler_choice_on(
        argv: list[str], scheduler: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setattr(serve, "run", lambda settings, **kwargs: seen.update(kwargs))
    assert main(argv) == 0
    assert seen["scheduler"] is scheduler


@pytest.mark.parametrize("scheduler", [True, False])
def test_serve_starts_the_scheduler_and_stops_it_on_shutdown(
        scheduler: bool, monkeypatch: pytest.MonkeyPatch, engine: sa.Engine,
        session_maker: sessionmaker[Session], config: Config) -> None:
    events: list[str] = []

    class Recorder:
        def __init__(self, deps: Deps) -> None:
            events.append("created")

        def start(self) -> None:
            events.append("start")

        def stop(self) -> None:
            events.append("stop")

    def serve_forever(*args: Any) -> None:
        events.append("serving")
        raise KeyboardInterrupt

    own = make_engine(engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr(bootstrap, "start", lambda settings: make_deps(own, config))
    monkeypatch.setattr("bot.cycle.scheduler.CycleScheduler", Recorder)
    monkeypatch.setattr("bot.server.serve_forever", serve_forever)
    with pytest.raises(KeyboardInterrupt):
        serve.run(serve.Settings(), host="127.0.0.1", port=0, socket_mode=False,
                  scheduler=scheduler)
    assert events == (["created", "start", "serving", "stop"] if scheduler else ["serving"])
