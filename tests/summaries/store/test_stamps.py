"""The input stamp moves on every change to what a digest reads, and only then."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import delete, text, update
from sqlalchemy.orm import Session, sessionmaker

from summaries.store.catalog import Catalog
from summaries.store.db import make_engine
from summaries.store.infra import OutboxMessage
from summaries.store.migrate import upgrade
from summaries.store.models import Figure, Period
from summaries.store.stamps import STAMPED, input_stamp, install
from tests.support.db import fresh_database, triggers_on


@pytest.fixture
def seeded(session_maker: sessionmaker[Session], catalog: Catalog) -> Catalog:
    """The catalog stored, and the stamp's row back (the fixtures empty every table)."""
    with session_maker.begin() as session:
        install(session.connection())
    return catalog


def stamp(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        found = input_stamp(session)
    assert found is not None
    return found


def a_figure(session: Session, catalog: Catalog) -> Figure:
    period = Period(key="2026-09")
    session.add(period)
    session.flush()
    figure = Figure(period_id=period.id, department_id=catalog.department_ids["east-county"],
                    kpi_id=catalog.kpi_ids["revenue"], value=Decimal(100))
    session.add(figure)
    return figure


def test_inserting_updating_and_deleting_figures_each_move_the_stamp(
        session_maker: sessionmaker[Session], seeded: Catalog) -> None:
    seen = [stamp(session_maker)]
    with session_maker.begin() as session:
        figure = a_figure(session, seeded)
        session.flush()
        figure_id = figure.id
    seen.append(stamp(session_maker))
    with session_maker.begin() as session:
        session.execute(update(Figure).where(Figure.id == figure_id).values(value=Decimal(7)))
    seen.append(stamp(session_maker))
    with session_maker.begin() as session:
        session.execute(delete(Figure).where(Figure.id == figure_id))
    seen.append(stamp(session_maker))
    assert seen == sorted(set(seen)), seen  # rose at every step


def test_a_transaction_that_is_rolled_back_leaves_the_stamp(
        session_maker: sessionmaker[Session], seeded: Catalog) -> None:
    before = stamp(session_maker)
    with session_maker() as session:
        a_figure(session, seeded)
        session.flush()
        session.rollback()
    assert stamp(session_maker) == before


def test_reminders_in_the_outbox_move_it_and_other_messages_do_not(
        session_maker: sessionmaker[Session], seeded: Catalog) -> None:
    before = stamp(session_maker)
    with session_maker.begin() as session:
        session.add(OutboxMessage(key="k1", kind="digest", recipient="C1", payload={}))
    assert stamp(session_maker) == before
    with session_maker.begin() as session:
        session.execute(update(OutboxMessage).values(state="sent"))
    assert stamp(session_maker) == before
    with session_maker.begin() as session:
        session.add(OutboxMessage(key="k2", kind="reminder", period_key="2026-09",
                                  department_key="east", recipient="U1", payload={}))
    assert stamp(session_maker) > before
    moved = stamp(session_maker)
    with session_maker.begin() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.key == "k2")
                        .values(state="sent"))
    assert stamp(session_maker) > moved


def test_a_database_without_the_stamps_row_keeps_nothing(
        session_maker: sessionmaker[Session], seeded: Catalog) -> None:
    with session_maker.begin() as session:
        session.execute(text("DELETE FROM input_stamps"))
    with session_maker() as session:
        assert input_stamp(session) is None


def test_a_migrated_database_carries_a_trigger_on_every_stamped_table(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as url:
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        try:
            upgrade(engine)
            with engine.begin() as connection:
                before = connection.execute(text("SELECT n FROM input_stamps")).scalar_one()
                for table in STAMPED:  # an UPDATE that changes no row fires no row trigger
                    assert triggers_on(connection, table, "stamp_"), table
            assert before == 0
        finally:
            engine.dispose()

