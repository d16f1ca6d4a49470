from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.cli.main import main
from summaries.store.db import make_engine
from summaries.store.migrate import current_revision, head_revision
from tests.support.db import fresh_database
from tests.support.paths import DATA

SAMPLE = (DATA / "checkin.yaml").read_text(encoding="utf-8")


LOG_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ")


def write_config(tmp_path: Path, replacements: dict[str, str]) -> Path:
    text = SAMPLE
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "northfield.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_config_check_accepts_the_sample_and_summarises(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "check", "--config", str(DATA / "checkin.yaml")]) == 0
    out = capsys.readouterr().out
    assert "OK: 5 departments, 9 KPIs, 8 sections, 6 targets" in out


def test_config_check_reports_five_mistakes_on_five_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path, {
        "timezone: Asia/Shanghai": "timezone: Asia/Atlantis",
        "better: lower, accumulate: mean, min: 0, max: 100}":
            "better: lowest, accumulate: mean, min: 0, max: 100}",
        'formula: "revenue / customers"': 'formula: "revenue / clients"',
        "parent: marketing, manager: U0WEST": "parent: sales, manager: U0WEST",
        "month: 2026-10, target: 2}": "month: 2026-13, target: 2}",
    })
    monkeypatch.chdir(tmp_path)
    status = main(["--config", "northfield.yaml", "config", "check"])
    errors = capsys.readouterr().err.splitlines()
    assert status == 2
    assert errors == [
        f"northfield.yaml:{line_of(path, 'Asia/Atlantis')}: organization.timezone: "
        "unknown time zone 'Asia/Atlantis'",
        f"northfield.yaml:{line_of(path, 'lowest')}: kpis[5].better: "
        "must be one of higher, lower, none",
        f"northfield.yaml:{line_of(path, 'clients')}: kpis[7].formula: "
        "unknown KPI 'clients' in formula",
        f"northfield.yaml:{line_of(path, 'parent: sales')}: departments[3].parent: "
        "unknown department 'sales'",
        f"northfield.yaml:{line_of(path, '2026-13')}: targets[5].month: "
        "'2026-13' is not a month (YYYY-MM)",
    ]


def test_config_check_on_a_missing_file_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["config", "check", "--config", str(missing)]) == 2
    assert capsys.readouterr().err.strip() == f"{missing}:1: file not found"


def test_db_upgrade_creates_the_schema_then_does_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with fresh_database(tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        assert main(["db", "upgrade"]) == 0
        assert main(["db", "upgrade"]) == 0
        out = capsys.readouterr().out.splitlines()
        head = head_revision()
        assert out == [f"database upgraded from empty to revision {head}",
                       f"database already at revision {head}"]
        engine = make_engine(url, poolclass=sa.pool.NullPool)
        assert current_revision(engine) == head
        assert "figures" in sa.inspect(engine).get_table_names()
        engine.dispose()


def test_db_upgrade_on_an_unreachable_database_fails_cleanly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert main(["db", "upgrade"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("checkin: database upgrade failed:")
    assert "Traceback" not in err


ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "summaries" / "example"

GOOD_TARGETS = """kpi,department,month,target,stretch
revenue,key-accounts,2026-10,5200000,5600000
revenue,east-county,2026-11,2450000,
fixed_lines,key-accounts,2026-10,520,
"""


def count_targets(url: str) -> int:
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        total = conn.execute(sa.text("select count(*) from targets where source = 'csv'"))
        value = int(total.scalar_one())
    engine.dispose()
    return value


def test_a_bad_row_rejects_the_whole_file_then_the_fixed_file_imports_once(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = GOOD_TARGETS.replace("2450000", "ninety")
    Path("targets.csv").write_text(bad, encoding="utf-8")
    capsys.readouterr()
    assert main(["targets", "import", "targets.csv"]) == 2
    # Log lines of an earlier test's bot, still finishing in the background, may land in the
    # same stderr: the command's own output is what is checked.
    assert [line for line in capsys.readouterr().err.splitlines()
            if not LOG_LINE.match(line)] == ["targets.csv:3: target: not a number: 'ninety'"]
    assert count_targets(database) == 0

    Path("targets.csv").write_text(GOOD_TARGETS, encoding="utf-8")
    assert main(["targets", "import", "targets.csv", "--dry-run"]) == 0
    assert "targets.csv: 3 rows, 3 would change" in capsys.readouterr().out
    assert count_targets(database) == 0

    assert main(["targets", "import", "targets.csv"]) == 0
    assert "3 rows, 3 changed" in capsys.readouterr().out
    assert count_targets(database) == 3
    assert main(["targets", "import", "targets.csv"]) == 0
    assert "3 rows, 0 changed, 3 unchanged" in capsys.readouterr().out
    assert count_targets(database) == 3


def test_import_before_db_upgrade_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with fresh_database(tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        path = tmp_path / "targets.csv"
        path.write_text(GOOD_TARGETS, encoding="utf-8")
        status = main(["--config", str(DATA / "checkin.yaml"), "targets", "import", str(path)])
    assert status == 2
    assert "run `checkin db upgrade` first" in capsys.readouterr().err


def test_the_examples_check_and_import_cleanly(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHECKIN_CONFIG", str(EXAMPLES / "checkin.yaml"))
    assert main(["config", "check"]) == 0
    for noun, name in [("targets", "targets.csv"), ("targets", "plans.csv"),
                       ("figures", "figures.csv")]:
        assert main([noun, "import", str(EXAMPLES / "history" / name)]) == 0, name
    out = capsys.readouterr().out
    assert "0 changed" not in out
    # thirteen months of history, so month-over-month and year-over-year have data at once
    engine = make_engine(database, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        months = conn.execute(sa.text(
            "select distinct p.key from figures f join periods p on p.id = f.period_id "
            "order by p.key")).scalars().all()
    engine.dispose()
    assert months[0] == "2025-10"
    assert months[-1] == "2026-10"
    assert len(months) == 13


def test_db_upgrade_accepts_a_plain_postgresql_url(
    postgres_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    monkeypatch.setenv("DATABASE_URL", plain)
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.startswith("database upgraded from empty")


def test_dry_run_lists_each_change_row_by_row(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "targets.csv"
    path.write_text(GOOD_TARGETS, encoding="utf-8")
    capsys.readouterr()
    assert main(["targets", "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("  line 2: target revenue key-accounts 2026-10: "
                      "new 5200000 stretch 5600000")
    assert len(out) == 4
    assert count_targets(database) == 0
