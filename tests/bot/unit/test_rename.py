"""Renamed keys (SPEC 4.2): `config check` warns about stored data the file no longer names,
and `checkin rename` moves it, all or nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli.main import main
from summaries.config.loader import parse_config
from summaries.store.catalog import sync_config
from summaries.store.db import make_engine, session_factory, unit_of_work
from summaries.store.models import Department, Figure, Flag, Kpi, Revision, Target
from summaries.store.rename import held, rename
from tests.support.importkit import FIGURES_OK
from tests.support.paths import DATA

SAMPLE = (DATA / "checkin.yaml").read_text(encoding="utf-8")
RENAMED = re.sub(r"\brevenue\b", "income", SAMPLE)


def use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    path = tmp_path / "checkin.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("CHECKIN_CONFIG", str(path))


def test_config_check_warns_and_rename_moves_the_history(
        database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "figures.csv").write_text(FIGURES_OK, encoding="utf-8")
    assert main(["figures", "import", str(tmp_path / "figures.csv")]) == 0
    use(tmp_path, monkeypatch, RENAMED)
    capsys.readouterr()
    assert main(["config", "check"]) == 0
    warnings = [line for line in capsys.readouterr().out.splitlines() if "warning" in line]
    assert warnings == [
        "warning: stored data for the kpi 'revenue', which the configuration no longer has: "
        "1 figure, 2 targets, 1 revision (after renaming it: `checkin rename kpi revenue NEW`)"]
    assert main(["rename", "kpi", "revenue", "income", "--dry-run"]) == 0
    assert capsys.readouterr().out.strip() == (
        "kpi revenue -> income: would move 1 figure, 2 targets, 1 revision")
    assert main(["rename", "kpi", "revenue", "income"]) == 0
    assert capsys.readouterr().out.strip() == (
        "kpi revenue -> income: moved 1 figure, 2 targets, 1 revision")
    assert main(["config", "check"]) == 0
    assert "warning" not in capsys.readouterr().out
    engine = make_engine(database)
    with session_factory(engine)() as session:
        kpi = session.scalars(select(Kpi).where(Kpi.key == "income")).one()
        assert session.scalars(select(Figure.value).where(Figure.kpi_id == kpi.id)).all() == [
            2400000]
        fields = session.scalars(select(Revision.field)).all()
        assert "kpi:income" in fields
        assert "kpi:revenue" not in fields
    engine.dispose()


def test_rename_refuses_a_new_key_that_holds_data_and_a_key_the_file_lacks(
        database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "figures.csv").write_text(FIGURES_OK, encoding="utf-8")
    assert main(["figures", "import", str(tmp_path / "figures.csv")]) == 0
    assert main(["rename", "department", "east-county", "west-county"]) == 2
    assert "the configuration still has the department 'east-county'" in capsys.readouterr().err
    assert main(["rename", "kpi", "revenue", "income"]) == 2
    assert "the configuration has no kpi 'income'" in capsys.readouterr().err
    # East County became "east" in the file, and "east" was given a figure of its own already.
    use(tmp_path, monkeypatch, re.sub(r"\beast-county\b", "east", SAMPLE))
    (tmp_path / "east.csv").write_text("kpi,department,month,value\n"
                                       "revenue,east,2026-08,100\n", encoding="utf-8")
    assert main(["figures", "import", str(tmp_path / "east.csv")]) == 0
    capsys.readouterr()
    assert main(["rename", "department", "east-county", "east"]) == 2
    assert capsys.readouterr().err.strip() == (
        "checkin: the department 'east' already holds data (1 figure, 1 revision); nothing "
        "was moved")


def snapshot(session: object) -> dict[str, list[tuple[object, ...]]]:
    from sqlalchemy.orm import Session
    assert isinstance(session, Session)
    return {
        "departments": sorted(session.execute(select(Department.id, Department.key,
                                                     Department.parent_key)).tuples().all()),
        "kpis": sorted(session.execute(select(Kpi.id, Kpi.key)).tuples().all()),
        "figures": sorted(session.execute(select(Figure.id, Figure.department_id,
                                                 Figure.kpi_id, Figure.value)).tuples().all()),
        "targets": sorted(session.execute(select(Target.id, Target.kpi_id,
                                                 Target.department_id)).tuples().all()),
        "revisions": sorted(session.execute(select(Revision.id, Revision.field,
                                                   Revision.department_id)).tuples().all()),
        "flags": sorted(session.execute(select(Flag.id, Flag.kpi_key)).tuples().all()),
    }


@pytest.mark.parametrize(("kind", "old", "new", "text"), [
    ("kpi", "revenue", "income", RENAMED),
    ("department", "marketing", "sales", SAMPLE.replace("marketing", "sales")),
])
def test_renaming_and_renaming_back_restores_every_row(
        database: str, tmp_path: Path, kind: str, old: str, new: str, text: str) -> None:
    (tmp_path / "figures.csv").write_text(FIGURES_OK, encoding="utf-8")
    assert main(["figures", "import", str(tmp_path / "figures.csv")]) == 0
    before_config, after_config = parse_config(SAMPLE), parse_config(text)
    factory = session_factory(make_engine(database))
    with unit_of_work(factory) as session:
        before = snapshot(session)
        sync_config(session, after_config)  # the running bot sees the new file first
        rename(session, after_config, kind, old, new)  # type: ignore[arg-type]
        assert held(session, kind, old).total == 0  # type: ignore[arg-type]
        rename(session, before_config, kind, new, old)  # type: ignore[arg-type]
        sync_config(session, before_config)
        after = snapshot(session)
    assert {k: v for k, v in after.items() if k not in ("departments", "kpis")} == {
        k: v for k, v in before.items() if k not in ("departments", "kpis")}
    assert [r[1:] for r in after[kind + "s"] if r[1] == old] == [
        r[1:] for r in before[kind + "s"] if r[1] == old]
