"""`checkin config check` warns about a department whose stored history begins after the
organization's while the file gives it no `from` (SPEC 4.2): the months before would roll up
waiting for it. The warning names the file, the department's line and the field."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import main
from summaries.config.checks import history_warnings
from summaries.config.loader import parse_config
from summaries.config.yamlsource import load_yaml
from summaries.periods import Month, this_month
from tests.support.paths import DATA

SAMPLE = (DATA / "checkin.yaml").read_text(encoding="utf-8")
WEST = "  - {key: west-county, name: West County Company,"


def history(first: dict[str, str], last: str = "2026-10") -> str:
    """A month of revenue for each department from its first month to ``last``."""
    rows = ["kpi,department,month,value"]
    for department, start in first.items():
        month = Month.parse(start)
        while month <= Month.parse(last):
            rows.append(f"revenue,{department},{month},1000000")
            month = month.shift(1)
    return "\n".join(rows) + "\n"


def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
          text: str) -> tuple[Path, list[str]]:
    path = tmp_path / "checkin.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("CHECKIN_CONFIG", str(path))
    capsys.readouterr()
    assert main(["config", "check"]) == 0  # warnings, not errors
    return path, [line for line in capsys.readouterr().out.splitlines() if "warning" in line]


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_a_department_whose_history_begins_late_without_from_is_named_at_its_line(
        database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    figures = tmp_path / "history.csv"
    figures.write_text(history({"key-accounts": "2025-10", "east-county": "2025-10",
                                "west-county": "2026-09"}), encoding="utf-8")
    assert main(["figures", "import", str(figures)]) == 0
    path, warnings = check(tmp_path, monkeypatch, capsys, SAMPLE)
    assert warnings == [
        f"warning: {path}:{line_of(SAMPLE, WEST)}: departments[3].from: west-county has stored "
        "figures or summaries from 2026-09 only (the organization's go back to 2025-10), and "
        "no from: the months before 2026-09 roll up waiting for it; add `from: 2026-09` if it "
        "began then"]
    dated = SAMPLE.replace(WEST, WEST + " from: 2026-09,")
    assert check(tmp_path, monkeypatch, capsys, dated)[1] == []


def test_this_months_figures_are_not_history_and_no_database_is_no_warning(
        database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert check(tmp_path, monkeypatch, capsys, SAMPLE)[1] == []  # nothing stored yet
    now = this_month(datetime.now(UTC), "Asia/Shanghai")
    figures = tmp_path / "history.csv"
    figures.write_text(history({"key-accounts": "2025-10", "west-county": str(now)},
                               last=str(now)), encoding="utf-8")
    assert main(["figures", "import", str(figures)]) == 0
    # West's only figure is this month's: being filled in, not history to compare.
    assert check(tmp_path, monkeypatch, capsys, SAMPLE)[1] == []


TREE = """\
organization: {name: Co, timezone: UTC, leadership_channel: C0LEAD}
sections: [{key: notes, title: Notes}]
kpis: [{key: revenue, name: Revenue}]
departments:
  - {key: north, name: North, manager: U01, kpis: [revenue]}
  - {key: n1, name: North One, parent: north, manager: U02, kpis: [revenue]}
  - key: n2
    name: North Two
    parent: north
    manager: U03
    kpis: [revenue]
  - {key: south, name: South, manager: U04, kpis: [revenue], from: 2026-06}
"""


def test_a_parent_counts_from_its_first_department_and_unknown_keys_are_left_out() -> None:
    config = parse_config(TREE, "tree.yaml")
    _, lines = load_yaml(TREE, "tree.yaml")
    first = {"n1": "2025-01", "n2": "2026-03", "south": "2026-06", "gone": "2024-01"}
    assert [str(p) for p in history_warnings(config, lines, first)] == [
        "tree.yaml:7: departments[2].from: n2 has stored figures or summaries from 2026-03 "
        "only (the organization's go back to 2025-01), and no from: the months before "
        "2026-03 roll up waiting for it; add `from: 2026-03` if it began then"]
    # North has none of its own: it begins with n1, as the organization does. South is dated.
    assert history_warnings(config, lines, {}) == []
    assert history_warnings(config, lines, {"n2": "2026-03"}) == []  # nothing earlier
