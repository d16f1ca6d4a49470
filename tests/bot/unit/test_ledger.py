"""The step ledger: one process claims a step of a period, finishes it once, retries a failure."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from functools import partial

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.bootstrap import build_deps, make_client
from bot.cycle.ledger import claim_step, finish_step, owner_id, record_manual
from bot.deps import Deps
from bot.settings import Settings
from summaries.config.schema import Config
from summaries.store.db import make_engine
from summaries.store.infra import StepRun
from summaries.store.tables import Base
from tests.support.botkit import Clock

LEASE = timedelta(minutes=30)
PERIOD = "2026-10"


def make_deps(engine: sa.Engine, config: Config, clock: Clock | None = None) -> Deps:
    """Dependencies on ``engine`` with a settable clock; no Slack is called here."""
    settings = Settings(database_url=str(engine.url), slack_api_url="http://127.0.0.1:9/api/",
                        slack_bot_token="xoxb-test", slack_signing_secret="secret")
    return build_deps(settings, config, engine, make_client(settings, retries=False),
                      clock=clock or Clock(), workers=1)


@pytest.fixture
def deps(engine: sa.Engine, session_maker: sessionmaker[Session],
         config: Config) -> Iterator[Deps]:
    made = make_deps(engine, config)
    yield made
    made.executor.shutdown()


def row(deps: Deps, step: str = "open", period: str = PERIOD) -> StepRun | None:
    with deps.unit_of_work() as session:
        return session.scalars(select(StepRun).where(
            StepRun.step == step, StepRun.period_key == period)).first()


def later(deps: Deps, delta: timedelta) -> None:
    clock = deps.clock
    assert isinstance(clock, Clock)
    clock.now += delta


def test_owner_id_names_host_and_process_and_stays_the_same() -> None:
    host, pid, token = owner_id().rsplit(":", 2)
    assert host == socket.gethostname()[:150]
    assert pid == str(os.getpid())
    assert len(token) == 8
    assert owner_id() == owner_id()


def test_a_claim_inserts_a_running_row_with_its_lease(deps: Deps) -> None:
    assert claim_step(deps, "open", PERIOD, "a", LEASE)
    found = row(deps)
    assert found is not None
    assert (found.state, found.owner) == ("running", "a")
    assert found.lease_until == deps.clock() + LEASE
    assert found.started_at == deps.clock()
    assert found.finished_at is None
    # Another step, or the same step of another period, is a separate claim.
    assert claim_step(deps, "remind1", PERIOD, "b", LEASE)
    assert claim_step(deps, "open", "2026-11", "b", LEASE)


def test_a_running_claim_is_taken_over_only_after_its_lease(deps: Deps) -> None:
    assert claim_step(deps, "open", PERIOD, "a", LEASE)
    assert not claim_step(deps, "open", PERIOD, "b", LEASE)
    later(deps, LEASE - timedelta(seconds=1))
    assert not claim_step(deps, "open", PERIOD, "b", LEASE)
    later(deps, timedelta(seconds=2))
    assert claim_step(deps, "open", PERIOD, "b", LEASE)
    assert not claim_step(deps, "open", PERIOD, "c", LEASE)
    found = row(deps)
    assert found is not None
    assert (found.state, found.owner) == ("running", "b")
    assert found.lease_until == deps.clock() + LEASE
    # The first owner came back: its result no longer counts, the taker's does.
    assert not finish_step(deps, "open", PERIOD, "a", True, None)
    assert row(deps).state == "running"  # type: ignore[union-attr]
    assert finish_step(deps, "open", PERIOD, "b", True, None)
    assert row(deps).state == "done"  # type: ignore[union-attr]


def test_a_done_step_is_never_claimed_again(deps: Deps) -> None:
    assert claim_step(deps, "open", PERIOD, "a", LEASE)
    later(deps, timedelta(minutes=1))
    assert finish_step(deps, "open", PERIOD, "a", True, None)
    found = row(deps)
    assert found is not None
    assert (found.state, found.finished_at, found.error) == ("done", deps.clock(), None)
    later(deps, timedelta(days=40))
    assert not claim_step(deps, "open", PERIOD, "a", LEASE)
    assert not claim_step(deps, "open", PERIOD, "b", LEASE)


def test_a_failed_step_keeps_its_error_and_is_claimed_by_the_next_pass(deps: Deps) -> None:
    assert claim_step(deps, "open", PERIOD, "a", LEASE)
    assert finish_step(deps, "open", PERIOD, "a", False, "prompt:2026-10:east: ratelimited")
    found = row(deps)
    assert found is not None
    assert (found.state, found.error) == ("failed", "prompt:2026-10:east: ratelimited")
    assert claim_step(deps, "open", PERIOD, "b", LEASE)  # at once: no lease to wait for
    found = row(deps)
    assert found is not None
    assert (found.state, found.owner, found.error, found.finished_at) == (
        "running", "b", None, None)


def test_a_long_error_is_clipped(deps: Deps) -> None:
    assert claim_step(deps, "open", PERIOD, "a", LEASE)
    finish_step(deps, "open", PERIOD, "a", False, "x" * 10_000)
    assert len(row(deps).error or "") == 2000  # type: ignore[union-attr]


def test_a_hand_run_marks_the_step_done_so_the_scheduler_skips_it(deps: Deps) -> None:
    record_manual(deps, "open", PERIOD, True, None)
    found = row(deps)
    assert found is not None
    assert found.state == "done"
    assert found.owner == f"manual:{owner_id()}"
    assert not claim_step(deps, "open", PERIOD, "scheduler", LEASE)


def test_a_successful_hand_run_finishes_a_failed_or_running_step(deps: Deps) -> None:
    assert claim_step(deps, "open", PERIOD, "a", LEASE)
    finish_step(deps, "open", PERIOD, "a", False, "boom")
    record_manual(deps, "open", PERIOD, True, None)
    assert (row(deps).state, row(deps).error) == ("done", None)  # type: ignore[union-attr]

    assert claim_step(deps, "remind1", PERIOD, "a", LEASE)
    record_manual(deps, "remind1", PERIOD, True, None)
    assert row(deps, "remind1").state == "done"  # type: ignore[union-attr]
    assert not finish_step(deps, "remind1", PERIOD, "a", False, "late failure")
    assert row(deps, "remind1").state == "done"  # type: ignore[union-attr]


def test_a_failed_hand_run_never_undoes_a_finished_or_running_step(deps: Deps) -> None:
    record_manual(deps, "open", PERIOD, False, "channel_not_found")
    assert (row(deps).state, row(deps).error) == (  # type: ignore[union-attr]
        "failed", "channel_not_found")
    assert claim_step(deps, "open", PERIOD, "scheduler", LEASE)  # the scheduler retries it
    record_manual(deps, "open", PERIOD, False, "again")
    assert row(deps).state == "running"  # type: ignore[union-attr]
    finish_step(deps, "open", PERIOD, "scheduler", True, None)
    record_manual(deps, "open", PERIOD, False, "again")
    assert (row(deps).state, row(deps).error) == ("done", None)  # type: ignore[union-attr]


def race(claimers: list[Callable[[], bool]]) -> list[bool]:
    """Start every claimer at the same moment; their answers, in order."""
    barrier = threading.Barrier(len(claimers))
    results: list[bool | BaseException] = [False] * len(claimers)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = claimers[index]()
        except BaseException as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(claimers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    return [bool(r) for r in results]


def test_threads_claiming_one_step_at_once_have_one_winner(deps: Deps) -> None:
    for round_ in range(5):
        step = f"remind{round_ + 1}"
        won = race([partial(claim_step, deps, step, PERIOD, f"t{i}", LEASE) for i in range(6)])
        assert won.count(True) == 1, won
        winner = f"t{won.index(True)}"
        assert row(deps, step).owner == winner  # type: ignore[union-attr]
        finish_step(deps, step, PERIOD, winner, False, "retry me")
        won = race([partial(claim_step, deps, step, PERIOD, f"u{i}", LEASE) for i in range(6)])
        assert won.count(True) == 1, won


def test_two_engines_on_postgresql_claim_one_step_once(postgres_url: str,
                                                        config: Config) -> None:
    engines = [make_engine(postgres_url, poolclass=sa.pool.NullPool) for _ in range(2)]
    Base.metadata.create_all(engines[0])
    both = [make_deps(engine, config) for engine in engines]
    try:
        for round_ in range(10):
            step = f"remind{round_ + 1}"
            won = race([partial(claim_step, d, step, PERIOD, f"p{i}", LEASE)
                        for i, d in enumerate(both)])
            assert won.count(True) == 1, won
            winner = won.index(True)
            finish_step(both[winner], step, PERIOD, f"p{winner}", False, "retry me")
            # Taking over a failed row: again exactly one of the two.
            won = race([partial(claim_step, d, step, PERIOD, f"q{i}", LEASE)
                        for i, d in enumerate(both)])
            assert won.count(True) == 1, won
        with engines[0].connect() as conn:
            assert conn.execute(sa.text("select count(*) from step_runs")).scalar_one() == 10
    finally:
        for made in both:
            made.executor.shutdown()
        for engine in engines:
            engine.dispose()
