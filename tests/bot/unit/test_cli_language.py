"""The command line's language (SPEC 11): the organization's once the configuration loads; the
environment's before that (``--help``, a broken configuration), where a catalogue ships."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli.language import environment_locale
from bot.cli.main import main
from bot.cli.shown import Shown
from summaries.i18n import _, speaking
from tests.support.paths import DATA

ROOT = Path(__file__).resolve().parents[3]
CHINESE_CONFIG = ROOT / "summaries" / "example" / "zh" / "checkin.yaml"
ENGLISH_CONFIG = ROOT / "summaries" / "example" / "checkin.yaml"


@pytest.mark.parametrize(("environ", "locale"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),  # LC_ALL wins
    ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en_GB"),
    ({"LC_ALL": "", "LANG": "zh_SG.GB2312"}, "zh_SG"),  # empty is unset
    ({"LANG": "zh_TW.UTF-8"}, None),  # Traditional Chinese: no catalogue yet
    ({"LANG": "de_DE.UTF-8@euro"}, None),
    ({"LANG": "C.UTF-8"}, None),
    ({"LANG": "POSIX"}, None),
    ({}, None),
])
def test_the_environment_names_a_language_where_a_catalogue_ships(
        environ: dict[str, str], locale: str | None) -> None:
    assert environment_locale(environ) == locale


def test_a_command_speaks_the_organization_s_language_once_its_configuration_loads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///nowhere-to-be-found.db")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("organization: [not, a, mapping]\n", encoding="utf-8")
    # Until it loads, whoever runs the command reads its errors in their own language.
    assert main(["config", "check", "--config", str(broken)]) != 0
    assert re.search(r"[\u4e00-\u9fff]", capsys.readouterr().err)
    assert main(["config", "check", "--config", str(tmp_path / "missing.yaml")]) != 0
    chinese = capsys.readouterr().err
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert main(["config", "check", "--config", str(tmp_path / "missing.yaml")]) != 0
    english = capsys.readouterr().err
    assert re.search(r"[\u4e00-\u9fff]", chinese)
    assert not re.search(r"[\u4e00-\u9fff]", english)
    # The language a command loaded does not stay with the process.
    assert _("Problems") == "Problems"


def test_help_is_in_the_environment_s_language(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    with pytest.raises(SystemExit):
        main(["--help"])
    chinese = capsys.readouterr().out
    assert chinese.startswith("用法：checkin")
    assert "管理数据库" in chinese  # db's help
    assert "显示本帮助信息并退出" in chinese  # argparse's own words too
    with pytest.raises(SystemExit):
        main(["demo", "--locale", "fr"])
    assert "无效的选项：'fr'" in capsys.readouterr().err
    monkeypatch.setenv("LANG", "C.UTF-8")
    with pytest.raises(SystemExit):
        main(["--help"])
    english = capsys.readouterr().out
    assert english.startswith("usage: checkin")
    assert "manage the database" in english
    assert "show this help message and exit" in english


def test_a_checked_configuration_speaks_its_organization_s_language(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///nowhere-to-be-found.db")
    assert main(["config", "check", "--config", str(CHINESE_CONFIG)]) == 0
    assert capsys.readouterr().out.startswith(
        f"{CHINESE_CONFIG}：校验通过：8个部门、11项指标、12个栏目、12项目标")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["config", "check", "--config", str(DATA / "checkin.yaml")]) == 0
    assert "OK: 5 departments, 9 KPIs, 8 sections, 6 targets" in capsys.readouterr().out


def test_a_value_shows_as_code_in_english_and_in_words_where_a_translation_asks() -> None:
    month = Shown("2026-10", "2026年10月")
    assert f"{month}" == str(month) == "2026-10"
    assert f"{month:words}" == "2026年10月"
    assert f"{month:>9}" == "  2026-10"
    with speaking("zh"):
        assert _("{event} (some messages not delivered)",
                 event=month) == "2026-10（部分消息未送达）"
