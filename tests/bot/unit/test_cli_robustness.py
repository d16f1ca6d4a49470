"""The command line with bad output paths and databases: one line and an exit status, never a
traceback, and never a write through a link."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.settings import Settings
from tests.support.clikit import seed_october
from tests.support.paths import DATA

FIGURES = "kpi,department,month,value\nrevenue,east-county,2026-09,2000000\n"


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite file with October in DATABASE_URL and the sample configuration in
    CHECKIN_CONFIG; the working folder is a fresh one inside ``tmp_path``."""
    path = tmp_path / "checkin.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("CHECKIN_CONFIG", str(DATA / "checkin.yaml"))
    assert main(["db", "upgrade"]) == 0
    seed_october(f"sqlite:///{path}", tmp_path, FIGURES, DATA / "checkin.yaml",
                 {"sales": "Fine."})
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return path


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_an_export_never_writes_through_a_link(
        seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = Path.cwd() / "precious.txt"
    target.write_text("keep")
    (Path.cwd() / "out.csv").symlink_to(target)
    assert main(["export", "--period", "2026-10", "--output", "out.csv"]) == 2
    assert "is a symbolic link" in one_line(capsys.readouterr().err)
    assert target.read_text() == "keep"
    # The sections file beside it follows the same rule, and nothing is half written.
    (Path.cwd() / "out.csv").unlink()
    (Path.cwd() / "out-sections.csv").symlink_to(target)
    assert main(["export", "--period", "2026-10", "--output", "out.csv"]) == 2
    assert "out-sections.csv: is a symbolic link" in one_line(capsys.readouterr().err)
    assert target.read_text() == "keep"
    assert not (Path.cwd() / "out.csv").exists()


@pytest.mark.parametrize("command", ["export", "digest"])
def test_a_folder_or_a_missing_folder_is_named_in_one_line(
        seeded: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    (Path.cwd() / "a-folder").mkdir()
    assert main([command, "--period", "2026-10", "--output", "a-folder"]) == 2
    assert "is a folder" in one_line(capsys.readouterr().err)
    assert main([command, "--period", "2026-10", "--output", "nowhere/x.md"]) == 2
    assert "the folder nowhere does not exist" in one_line(capsys.readouterr().err)
    assert sorted(p.name for p in Path.cwd().iterdir() if p.suffix in (".md", ".csv")) == []


def test_an_existing_file_is_replaced_whole(
        seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (Path.cwd() / "d.md").write_text("old")
    assert main(["digest", "--period", "2026-10", "--output", "d.md"]) == 0
    assert (Path.cwd() / "d.md").read_text().startswith("# October 2026")
    assert not list(Path.cwd().glob(".*.part"))


@pytest.mark.parametrize(("url", "message"), [
    ("not-a-url", "DATABASE_URL: not a database URL"),
    ("mysql://root@localhost/checkin", "DATABASE_URL: unsupported database 'mysql'"),
    ("sqlite:/relative.db", "DATABASE_URL: not a database URL"),
    ("sqlite://relative.db", "DATABASE_URL: a SQLite URL has three slashes"),
])
def test_a_malformed_database_url_is_named(
        url: str, message: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CHECKIN_CONFIG", str(DATA / "checkin.yaml"))
    for command in (["db", "upgrade"], ["digest", "--period", "2026-10"]):
        assert main(command) == 2
        line = one_line(capsys.readouterr().err)
        assert message in line
        assert "root@" not in line


def test_postgres_urls_are_read_as_postgresql_through_psycopg() -> None:
    for scheme in ("postgres", "postgresql", "postgresql+psycopg"):
        settings = Settings.from_env({"DATABASE_URL": f"{scheme}://u:pw@db:5432/checkin"})
        assert settings.database_url == "postgresql+psycopg://u:pw@db:5432/checkin"


def test_a_database_that_turns_read_only_ends_in_one_line_without_sql(
        seeded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///file:{seeded}?mode=ro&uri=true")
    csv = Path.cwd() / "f.csv"
    csv.write_text("kpi,department,month,value\nrevenue,east-county,2026-08,5\n")
    done = subprocess.run([sys.executable, "-m", "bot", "figures", "import", str(csv)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line == "checkin: database error: attempt to write a readonly database"
