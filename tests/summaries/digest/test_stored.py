"""A rendered digest is read back while nothing it was made from changed, and only then."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from summaries.config.schema import Config
from summaries.digest import stored
from summaries.digest.model import Digest
from summaries.digest.render import render_markdown
from summaries.digest.stored import read_rendering
from summaries.i18n import speaking
from summaries.periods import Month
from summaries.store.renderings import Rendering

OCTOBER = Month(2026, 10)


class Renderer:
    """Markdown, counting how often the digest was worked out and rendered."""

    def __init__(self, keep: bool = True) -> None:
        self.calls = 0
        self.keep = keep

    def __call__(self, digest: Digest) -> tuple[Rendering, bool]:
        self.calls += 1
        return Rendering(render_markdown(digest)), self.keep


def read(demo_sessions: sessionmaker[Session], config: Config, render: Renderer,
         detail: str = "") -> str:
    return read_rendering(demo_sessions, config, OCTOBER, "md", render, code="code-1",
                          detail=detail).text


def test_a_second_read_of_an_unchanged_month_is_the_kept_rendering(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    render = Renderer()
    first = read(demo_sessions, demo_config, render)
    assert read(demo_sessions, demo_config, render) == first
    assert render.calls == 1
    with demo_sessions() as session:
        kept = session.execute(text("SELECT form, body FROM stored_renderings")).all()
    assert kept == [("md", first)]


def test_a_changed_figure_renders_the_digest_anew_with_the_new_number(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    render = Renderer()
    first = read(demo_sessions, demo_config, render)
    with demo_sessions.begin() as session:  # as a correction or an import would, in any writer
        session.execute(text("UPDATE figures SET value = value * 3 WHERE id IN "
                             "(SELECT f.id FROM figures f JOIN periods p ON p.id = f.period_id "
                             "WHERE p.key = '2026-10')"))
    second = read(demo_sessions, demo_config, render)
    assert render.calls == 2
    assert second != first
    assert read(demo_sessions, demo_config, render) == second
    assert render.calls == 2


def test_another_configuration_language_code_or_chart_is_another_rendering(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    render = Renderer()
    read(demo_sessions, demo_config, render)
    renamed = replace(demo_config, organization=demo_config.organization.model_copy(
        update={"name": "Another name"}))
    assert "Another name" in read(demo_sessions, renamed, render)
    assert render.calls == 2
    with speaking("zh_Hans"):
        read(demo_sessions, renamed, render)
    assert render.calls == 3
    read_rendering(demo_sessions, renamed, OCTOBER, "md", render, code="code-2")
    assert render.calls == 4
    read(demo_sessions, renamed, render, detail="chart.png")
    assert render.calls == 5


def test_a_rendering_not_worth_keeping_is_made_at_every_read(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    render = Renderer(keep=False)
    read(demo_sessions, demo_config, render)
    read(demo_sessions, demo_config, render)
    assert render.calls == 2


def test_a_database_that_refuses_to_keep_it_still_gets_the_digest_read(
        demo_sessions: sessionmaker[Session], demo_config: Config,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise OperationalError("INSERT", {}, Exception("attempt to write a readonly database"))

    monkeypatch.setattr(stored, "keep_rendering", refuse)
    render = Renderer()
    first = read(demo_sessions, demo_config, render)
    assert read(demo_sessions, demo_config, render) == first
    assert render.calls == 2
