"""A month read with the departments' kept results is the month evaluated whole, change after
change: figures corrected, added and removed (of a department that moved, too), targets, a
limit for everyone, a summary, the month's close. On SQLite and PostgreSQL (the run's database,
holding a copy of the demo's)."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from summaries.checkins.keptmonth import Keeping, keep_results
from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.digest.load import load_month
from summaries.engine.problems import earlier_problems
from summaries.periods import Month
from summaries.store.db import make_engine, read_only
from summaries.store.flags import stored_flags
from summaries.store.models import Kpi, Target
from summaries.store.tables import Base

OCTOBER = Month(2026, 10)
WORKED_OUT = {"input_stamps", "department_stamps", "kept_results", "stored_renderings"}
MOVED = "north-county"  # under key accounts until June, in this test's organization


@pytest.fixture
def demo_copy(demo_folder: Path, session_maker: sessionmaker[Session]
              ) -> sessionmaker[Session]:
    """The run's database holding the demo's rows (its ids, its sequences moved past them)."""
    source = make_engine(f"sqlite:///{demo_folder / 'demo.db'}")
    target = session_maker.kw["bind"]
    try:
        with source.connect() as reading, target.begin() as writing:
            for table in Base.metadata.sorted_tables:
                if table.name in WORKED_OUT:
                    continue
                rows = [dict(row._mapping) for row in reading.execute(table.select())]
                if rows:
                    writing.execute(table.insert(), rows)
                if writing.dialect.name == "postgresql" and "id" in table.c and rows:
                    writing.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))"))
    finally:
        source.dispose()
    return session_maker


@pytest.fixture
def moved_config(demo_folder: Path) -> Config:
    """The demo's organization with north county under key accounts until June."""
    source = (demo_folder / "checkin.yaml").read_text(encoding="utf-8")
    before = "  - key: north-county\n    name: North County Company\n    parent: marketing\n"
    assert before in source
    return parse_config(source.replace(before, before.replace(
        "parent: marketing", "parent: {2026-07: marketing, 2025-01: key-accounts}")))


CELLS: dict[str, tuple[str, str | None]] = {}  # the last kept read's cells and their print


def kept_read(sessions: sessionmaker[Session], config: Config) -> tuple[str, int, int]:
    """The month as a digest reads it (kept results reused, the fresh ones kept after); how
    many departments were reused and evaluated. A department whose cells hold anything else
    than at the read before (a rank too) has another print of them."""
    keeping = Keeping("code-1")
    with read_only(sessions) as session:
        month = load_month(session, config, OCTOBER, closed=None, keeping=keeping)
    keep_results(sessions, keeping)
    for result in month[0].departments:
        cells, before = repr(result.cells), CELLS.get(result.key)
        assert result.cells_print is not None
        if before is not None and before[0] != cells:
            assert before[1] != result.cells_print, result.key
        CELLS[result.key] = cells, result.cells_print
    return repr(month), keeping.reused, len(keeping.rows)


def whole_read(sessions: sessionmaker[Session], config: Config) -> str:
    with sessions() as session:
        return repr(load_month(session, config, OCTOBER, closed=None))


def run(sql: str, **values: object) -> Callable[[Session], None]:
    def change(session: Session) -> None:
        session.execute(text(sql), values)
    return change


def figure_of(department: str, month: str, kpi: str) -> str:
    return (f"SELECT f.id FROM figures f JOIN departments d ON d.id = f.department_id "
            f"JOIN periods p ON p.id = f.period_id JOIN kpis k ON k.id = f.kpi_id "
            f"WHERE d.key = '{department}' AND p.key = '{month}' AND k.key = '{kpi}'")


CHANGES: list[tuple[str, Callable[[Session], None], set[str] | None]] = [
    ("a corrected figure", run(f"UPDATE figures SET value = value * 3 + 1 WHERE id = "
                               f"({figure_of('east-county', '2026-10', 'revenue')})"),
     {"east-county", "marketing"}),
    ("a moved department's figure of March", run(
        f"UPDATE figures SET value = value + 1000 WHERE id = "
        f"({figure_of(MOVED, '2026-03', 'revenue')})"),
     {MOVED, "marketing", "key-accounts"}),
    ("a removed figure", run(f"DELETE FROM figures WHERE id = "
                             f"({figure_of('west-county', '2026-10', 'fixed_lines')})"),
     {"west-county", "marketing"}),
    ("a changed target", run(
        "UPDATE targets SET value = value * 2 WHERE department_id = "
        "(SELECT id FROM departments WHERE key = 'west-county') AND kind = 'monthly'"),
     {"west-county", "marketing"}),
    ("a limit for every department", lambda session: session.add(Target(
        kind="max", kpi_id=session.scalar(select(Kpi.id).where(Kpi.key == "churn_rate")),
        value=Decimal("1.5"), source="import")), None),
    ("a section answered again", run(
        "UPDATE section_answers SET text = 'Rewritten.' WHERE submission_id IN (SELECT s.id "
        "FROM submissions s JOIN departments d ON d.id = s.department_id JOIN periods p ON "
        "p.id = s.period_id WHERE d.key = 'customer-service' AND p.key = '2026-10')"),
     {"customer-service"}),
    ("the month closed", run("UPDATE periods SET state = 'closed' WHERE key = '2026-10'"), None),
]


def test_a_month_read_with_kept_results_is_the_month_evaluated_whole(
        demo_copy: sessionmaker[Session], moved_config: Config) -> None:
    CELLS.clear()
    present = len(moved_config.departments_in(str(OCTOBER)))
    found, reused, evaluated = kept_read(demo_copy, moved_config)
    assert (found, reused, evaluated) == (whole_read(demo_copy, moved_config), 0, present)
    found, reused, evaluated = kept_read(demo_copy, moved_config)
    assert (found, reused, evaluated) == (whole_read(demo_copy, moved_config), present, 0)
    for what, change, anew in CHANGES:
        with demo_copy.begin() as session:
            change(session)
        found, reused, evaluated = kept_read(demo_copy, moved_config)
        assert found == whole_read(demo_copy, moved_config), what
        expected = present if anew is None else len(anew)
        assert (evaluated, reused) == (expected, present - expected), what


def test_another_configuration_or_code_evaluates_anew(
        demo_copy: sessionmaker[Session], moved_config: Config, demo_config: Config) -> None:
    present = len(demo_config.departments_in(str(OCTOBER)))
    kept_read(demo_copy, moved_config)
    found, reused, _ = kept_read(demo_copy, demo_config)
    assert (found, reused) == (whole_read(demo_copy, demo_config), 0)
    keeping = Keeping("code-2")
    with read_only(demo_copy) as session:
        load_month(session, demo_config, OCTOBER, closed=None, keeping=keeping)
    assert (keeping.reused, len(keeping.rows)) == (0, present)


def test_a_result_row_written_by_hand_builds_nothing_else(
        demo_copy: sessionmaker[Session], demo_config: Config) -> None:
    kept_read(demo_copy, demo_config)
    forged = b"cos\nsystem\n(S'echo forged'\ntR."  # os.system("echo forged") when unpickled
    with demo_copy.begin() as session:
        session.execute(sa.text("UPDATE kept_results SET body = :body"), {"body": forged})
    with pytest.raises(pickle.UnpicklingError, match=r"does not hold os\.system"):
        kept_read(demo_copy, demo_config)


def test_a_closed_months_problems_read_from_its_problem_flags_alone_are_the_same(
        demo_copy: sessionmaker[Session]) -> None:
    """The digest reads only the flags that make problems of the month before (a month holds
    thousands of flags): the same problems as from all of them."""
    with demo_copy() as session:
        every = stored_flags(session, "2026-10")
        problems = stored_flags(session, "2026-10", problems=True)
    assert every is not None
    assert problems is not None
    assert len(problems) < len(every)
    assert earlier_problems(problems) == earlier_problems(every)
