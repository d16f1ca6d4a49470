"""A department's stamp moves with every change to its inputs, and only its own; everyone's
moves with a target for every department and with the departments, KPIs and months."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import delete, update
from sqlalchemy.orm import Session, sessionmaker

from summaries.store.catalog import Catalog
from summaries.store.db import make_engine
from summaries.store.deptstamps import EVERYONE, TRACKED, read_department_stamps
from summaries.store.kept import KEPT_MONTHS, KeptResult, KeptRow, keep_rows
from summaries.store.migrate import upgrade
from summaries.store.models import Figure, Period, SectionAnswer, Submission, Target
from tests.support.db import fresh_database, triggers_on

EAST, WEST = "east-county", "west-county"


def moved_by(sessions: sessionmaker[Session], catalog: Catalog,
             change: Callable[[Session], object]) -> set[str]:
    """The departments (``*``: everyone) whose stamp ``change``, committed, moved."""
    names = {i: k for k, i in catalog.department_ids.items()} | {EVERYONE: "*"}
    with sessions() as session:
        before = read_department_stamps(session)
    with sessions.begin() as session:
        change(session)
    with sessions() as session:
        after = read_department_stamps(session)
    return {names[i] for i, n in after.items() if before.get(i, 0) != n}


def test_figures_move_their_own_department_only(session_maker: sessionmaker[Session],
                                                catalog: Catalog) -> None:
    east, west = catalog.department_ids[EAST], catalog.department_ids[WEST]
    revenue = catalog.kpi_ids["revenue"]
    with session_maker.begin() as session:
        period = Period(key="2026-09")
        session.add(period)
        session.flush()
        period_id = period.id

    def add(session: Session) -> None:
        session.add_all([Figure(period_id=period_id, department_id=east, kpi_id=revenue,
                                value=Decimal(100))])

    assert moved_by(session_maker, catalog, add) == {EAST}
    assert moved_by(session_maker, catalog, lambda s: s.execute(
        update(Figure).values(value=Decimal(7)))) == {EAST}
    assert moved_by(session_maker, catalog, lambda s: s.execute(
        update(Figure).values(department_id=west))) == {EAST, WEST}  # left one, joined one
    assert moved_by(session_maker, catalog, lambda s: s.execute(delete(Figure))) == {WEST}


def test_summaries_and_their_answers_move_their_department(
        session_maker: sessionmaker[Session], catalog: Catalog) -> None:
    east = catalog.department_ids[EAST]
    with session_maker.begin() as session:
        period = Period(key="2026-09")
        session.add(period)
        session.flush()
        submission = Submission(period_id=period.id, department_id=east)
        session.add(submission)
        session.flush()
        submission_id = submission.id
    assert moved_by(session_maker, catalog, lambda s: s.add(SectionAnswer(
        submission_id=submission_id, section_key="sales", text="Up."))) == {EAST}
    assert moved_by(session_maker, catalog, lambda s: s.execute(
        update(SectionAnswer).values(text="Down."))) == {EAST}
    assert moved_by(session_maker, catalog, lambda s: s.execute(
        update(Submission).values(status="submitted"))) == {EAST}


def test_targets_move_theirs_and_one_for_everyone_moves_everyone(
        session_maker: sessionmaker[Session], catalog: Catalog) -> None:
    churn = catalog.kpi_ids["churn_rate"]
    assert moved_by(session_maker, catalog, lambda s: s.add(Target(
        kind="monthly", kpi_id=churn, department_id=catalog.department_ids[WEST],
        month="2026-09", value=Decimal(2)))) == {WEST}
    assert moved_by(session_maker, catalog, lambda s: s.add(Target(
        kind="max", kpi_id=churn, value=Decimal(3)))) == {"*"}
    assert moved_by(session_maker, catalog, lambda s: s.execute(
        update(Period).values(state="closed"))) == set()  # no month yet: no row changed
    assert moved_by(session_maker, catalog, lambda s: s.add(Period(key="2026-10"))) == {"*"}


def test_a_transaction_rolled_back_moves_nothing(session_maker: sessionmaker[Session],
                                                 catalog: Catalog) -> None:
    with session_maker() as session:
        before = read_department_stamps(session)
        session.add(Period(key="2026-09"))
        session.flush()
        session.rollback()
    with session_maker() as session:
        assert read_department_stamps(session) == before


def test_results_are_kept_for_a_few_months_only(session_maker: sessionmaker[Session]) -> None:
    months = [f"2026-{m:02d}" for m in range(1, KEPT_MONTHS + 3)]
    for month in months:
        with session_maker.begin() as session:
            keep_rows(session, month, "k", [KeptRow("east", 1, 1, b"x"),
                                            KeptRow("west", 1, 1, b"y")])
    with session_maker.begin() as session:  # a department again: replaced, not added
        keep_rows(session, months[-1], "k", [KeptRow("east", 2, 1, b"z")])
        kept = session.execute(sa.select(KeptResult.period_key, KeptResult.department,
                                          KeptResult.stamp)).tuples().all()
    assert sorted(kept) == sorted(
        [(m, d, 1) for m in months[-KEPT_MONTHS:] for d in ("east", "west")
         if (m, d) != (months[-1], "east")] + [(months[-1], "east", 2)])


def test_a_migrated_database_carries_the_triggers_on_every_tracked_table(
        tmp_path: Path) -> None:
    with fresh_database(tmp_path) as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        try:
            upgrade(engine)
            with engine.begin() as connection:
                for table in TRACKED:
                    assert len(triggers_on(connection, table, "dept_stamp_")) == 3, table
        finally:
            engine.dispose()

