"""A new rendering reuses the departments' parts a change left as they were, and only those."""

from __future__ import annotations

import gc
import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from summaries.config.schema import Config
from summaries.digest import header
from summaries.digest.load import load_digest
from summaries.digest.model import DepartmentDigest, Digest
from summaries.digest.render import render_html, render_markdown
from summaries.digest.render.parts import (
    Parts,
    chart_of,
    lines_of,
    parts_of,
    printed,
    reusing,
)
from summaries.digest.stored import read_rendering
from summaries.engine.asks import AskState
from summaries.engine.cell import Cell
from summaries.engine.problems import Problem
from summaries.i18n import speaking
from summaries.periods import Month
from summaries.store.renderings import Rendering

OCTOBER = Month(2026, 10)
REUSED = "departments' parts reused"


RENDER: dict[str, Callable[[Digest], str]] = {"md": render_markdown, "html": render_html}


def read(sessions: sessionmaker[Session], config: Config, form: str = "md") -> str:
    return read_rendering(sessions, config, OCTOBER, form,
                          lambda digest: (Rendering(RENDER[form](digest)), True),
                          code="code-1").text


def fresh(sessions: sessionmaker[Session], config: Config, form: str = "md") -> str:
    """The digest rendered from scratch, nothing reused."""
    with sessions() as session:
        return RENDER[form](load_digest(session, config, OCTOBER, closed=None))


def reuse_logged(caplog: pytest.LogCaptureFixture) -> list[tuple[int, int]]:
    found = [re.search(r"(\d+) of (\d+) " + REUSED, r.getMessage())
             for r in caplog.records]
    caplog.clear()
    return [(int(m[1]), int(m[2])) for m in found if m]


def correct_one_figure(sessions: sessionmaker[Session]) -> str:
    """Triple one department's first figure of October, as a correction would; its key."""
    with sessions.begin() as session:
        figure_id, department = session.execute(text(
            "SELECT f.id, d.key FROM figures f JOIN periods p ON p.id = f.period_id "
            "JOIN departments d ON d.id = f.department_id WHERE p.key = '2026-10' "
            "ORDER BY d.key DESC, f.id LIMIT 1")).one()
        session.execute(text("UPDATE figures SET value = value * 3 + 1 WHERE id = :id"),
                        {"id": figure_id})
    return str(department)


@pytest.mark.parametrize("form", ["md", "html"])
def test_a_corrected_figure_renders_only_the_parts_it_changed(
        demo_sessions: sessionmaker[Session], demo_config: Config,
        caplog: pytest.LogCaptureFixture, form: str) -> None:
    caplog.set_level(logging.DEBUG, logger="summaries.digest.stored")
    first = read(demo_sessions, demo_config, form)
    [(reused, parts)] = reuse_logged(caplog)
    assert reused == 0
    assert parts > 3
    correct_one_figure(demo_sessions)
    second = read(demo_sessions, demo_config, form)
    assert second != first
    assert second == fresh(demo_sessions, demo_config, form)  # the same as from scratch
    [(reused, parts_now)] = reuse_logged(caplog)
    assert parts_now == parts
    assert 0 < reused < parts  # the department and its parents anew, the others reused


@pytest.mark.parametrize("form", ["md", "html"])
def test_a_corrected_figure_words_again_only_the_header_lines_it_changed(
        demo_sessions: sessionmaker[Session], demo_config: Config,
        monkeypatch: pytest.MonkeyPatch, form: str) -> None:
    worded: list[str] = []
    word = header.problem_text

    def counted(problem: Problem, *args: Any, **kwargs: Any) -> str:
        if kwargs.get("short"):
            worded.append(problem.department)
        return word(problem, *args, **kwargs)

    monkeypatch.setattr(header, "problem_text", counted)
    read(demo_sessions, demo_config, form)
    first = list(worded)
    assert len(first) > 3
    worded.clear()
    department = correct_one_figure(demo_sessions)
    second = read(demo_sessions, demo_config, form)
    again = list(worded)
    assert len(again) < len(first)  # the lines whose problem did not change, as they were
    assert set(again) <= {department, *demo_parents(demo_config, department)}
    assert second == fresh(demo_sessions, demo_config, form)


def demo_parents(config: Config, key: str) -> list[str]:
    spec = config.department_by_key[key]
    return [] if spec.parent_key is None else [spec.parent_key,
                                               *demo_parents(config, spec.parent_key)]


def test_a_change_in_another_language_or_configuration_reuses_nothing(
        demo_sessions: sessionmaker[Session], demo_config: Config,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="summaries.digest.stored")
    read(demo_sessions, demo_config)
    with speaking("zh_Hans"):
        chinese = read(demo_sessions, demo_config)
        assert chinese == fresh(demo_sessions, demo_config)
    renamed = replace(demo_config, organization=demo_config.organization.model_copy(
        update={"name": "Another name"}))
    read(demo_sessions, renamed)
    assert [reused for reused, _ in reuse_logged(caplog)] == [0, 0, 0]


def test_a_part_is_made_anew_when_anything_it_shows_changes(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    with demo_sessions() as session:
        digest = load_digest(session, demo_config, OCTOBER, closed=None)
    asked = next(d for d in digest.departments if d.asks)
    ask = asked.asks[0]
    decided = replace(ask, history=(*ask.history, replace(ask.history[-1], text="Approved")))
    same = printed(asked)
    assert printed(replace(asked)) == same
    changes = [replace(asked, asks=(decided, *asked.asks[1:])),  # history is compare=False
               replace(asked, asks=(replace(ask, state=AskState.DECLINED), *asked.asks[1:])),
               replace(asked, reminders=asked.reminders + 1),
               replace(asked, sections=[(t, s + ".") for t, s in asked.sections]),
               replace(asked, rows=[replace(asked.rows[0], cell=replace(
                   asked.rows[0].cell, target=Decimal(1))), *asked.rows[1:]])]
    assert all(printed(changed) != same for changed in changes)
    troubled = next(d for d in digest.departments if d.problems)
    problem = troubled.problems[0]
    # A problem's impact only orders the problems (the order is in the print).
    assert printed(replace(troubled, problems=(replace(problem, impact=Decimal("0.5")),
                                               *troubled.problems[1:]))) == printed(troubled)
    assert printed(replace(troubled, problems=(replace(problem, since="worse"),
                                               *troubled.problems[1:]))) != printed(troubled)


def test_a_departments_cells_print_stands_for_its_cells_in_its_parts_print(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    """A department read back from its kept result carries a print of its cells (their kept
    values and ranks: tests/summaries/checkins/test_kept_month.py shows it moves with any of
    them); its part's print takes that print instead of every cell's values."""
    with demo_sessions() as session:
        digest = load_digest(session, demo_config, OCTOBER, closed=None)
    plain = next(d for d in digest.departments if d.problems)

    def part_print(department: DepartmentDigest) -> str:
        parts = Parts("context", {})
        parts.part(department, "names", "md", lambda: "text")
        return parts.made[0][0]

    kept = replace(plain, cells_print="cells one")
    first = part_print(kept)
    assert part_print(replace(plain, cells_print="cells two")) != first
    plain_before = part_print(plain)
    cell = kept.rows[0].cell
    was, cell.actual = cell.actual, Decimal(123456789)
    try:
        assert part_print(kept) == first  # its values are what the cells' print stands for
        assert part_print(plain) != plain_before  # without one, every value is printed
    finally:
        cell.actual = was
    assert part_print(plain) == plain_before


PRINTS = """
import sys
from summaries.config.loader import load_config
from summaries.digest.load import load_digest
from summaries.digest.render.parts import printed
from summaries.periods import Month
from summaries.store.db import make_engine, session_factory
config = load_config(sys.argv[1])
with session_factory(make_engine(sys.argv[2]))() as session:
    digest = load_digest(session, config, Month(2026, 10), closed=None)
print(" ".join(printed(d) for d in digest.departments))
"""


def test_prints_are_the_same_in_every_process(demo_folder: os.PathLike[str]) -> None:
    """Parts are reused by a later process: a print must not depend on the process's hash
    seed (the order of a set) or on where objects sit in memory."""
    found = set()
    for seed in ("1", "2"):
        found.add(subprocess.run(
            [sys.executable, "-c", PRINTS, f"{demo_folder}/checkin.yaml",
             f"sqlite:///{demo_folder}/demo.db"], check=True, capture_output=True, text=True,
            env={**os.environ, "PYTHONHASHSEED": seed}).stdout)
    assert len(found) == 1
    assert len(found.pop().split()) > 3


def test_places_that_cannot_be_read_or_found_reuse_nothing() -> None:
    parts = Parts("context", {})
    assert parts.index("anything") is None  # nothing made, nothing to place
    parts.made.append(("print", "a part"))
    assert parts.index("a body without it") is None
    places = parts.index("before a part after")
    assert parts_of("context", "before a part after", places) == {"print": "a part"}
    assert parts_of("another", "before a part after", places) == {}
    parts.lines_made["line print"] = "East: 10% below target"
    places = parts.index("before a part after")
    assert lines_of("context", places) == {"line print": "East: 10% below target"}
    assert lines_of("another", places) == {}
    for broken in ("not json", "[1, 2]", '{"context": "context"}', None,
                   '{"context": "context", "lines": [1]}',
                   '{"context": "context", "lines": {"k": 1}}'):
        assert parts_of("context", "body", broken) == {}
        assert chart_of("context", broken, b"png") is None
        assert lines_of("context", broken) == {}


def test_a_chart_is_reused_while_drawn_from_the_same() -> None:
    """Its print is kept in the places (also without a part); a rendering in the same context
    takes the PNG kept beside it instead of drawing, one in another context draws."""
    calls: list[str] = []

    def draw() -> bytes:
        calls.append("drawn")
        return b"png"

    first = Parts("context", {})
    assert first.chart(("trend", "title"), draw) == b"png"
    places = first.index("a body")
    assert places is not None
    kept = chart_of("context", places, b"png")
    assert kept is not None
    assert chart_of("another", places, b"png") is None
    assert chart_of("context", places, None) is None  # no PNG kept: nothing to take
    same = Parts("context", {}, kept)
    assert same.chart(("trend", "title"), draw) == b"png"
    assert (calls, same.chart_reused, same.chart_made) == (["drawn"], True, kept)
    other = Parts("context", {}, kept)
    assert other.chart(("another trend", "title"), draw) == b"png"
    assert (calls, other.chart_reused) == (["drawn", "drawn"], False)
    nothing = Parts("context", {}, kept)
    assert nothing.chart(("no trend", "title"), lambda: None) is None
    assert nothing.index("a body") is None  # no chart drawn, no part: nothing kept


@pytest.mark.parametrize("form", ["md", "html"])
def test_inside_reusing_a_kept_part_stands_in_for_rendering(
        demo_sessions: sessionmaker[Session], demo_config: Config, form: str) -> None:
    """What makes the reuse exact: a part is taken as kept, never re-derived (and in HTML
    not escaped again)."""
    with demo_sessions() as session:
        digest = load_digest(session, demo_config, OCTOBER, closed=None)
    with reusing(Parts("c", {})) as first:
        body = RENDER[form](digest)
    marked = {key: f"<kept {key}>" for key, _ in first.made}
    with reusing(Parts("c", marked)) as second:
        again = RENDER[form](digest)
    assert second.reused == len(first.made)
    assert all(f"<kept {key}>" in again for key, _ in first.made)
    assert again.split("<kept")[0] == body.split(first.made[0][1])[0]  # the header as it was


def test_a_print_leaves_nothing_for_the_garbage_collector(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    """A pickler that its dispatch table referred back to would keep everything it pickled
    alive until a collection: at 500 departments, 300,000 objects and a fifth of a second."""
    with demo_sessions() as session:
        digest = load_digest(session, demo_config, OCTOBER, closed=None)
    parts = Parts("c", {})
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for department in digest.departments:
            parts.part(department, "names", "md", lambda: "text")
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


def test_a_cell_prints_every_value_exactly() -> None:
    """Cells print as the text of their values: equal numbers written differently, a number
    and its text, and a missing value and a zero all print apart."""
    cell = Cell("d", "k", "2026-10", Decimal("1.0"), "submitted", coverage=(1, 2))
    prints = {printed(cell)}
    for changed in (replace(cell, actual=Decimal("1.00")), replace(cell, actual=None),
                    replace(cell, actual=Decimal(0)), replace(cell, source="1.0"),
                    replace(cell, coverage=(2, 1)), replace(cell, rank=1),
                    replace(cell, status="red")):
        prints.add(printed(changed))
    assert len(prints) == 8
    assert printed(replace(cell)) == printed(cell)
