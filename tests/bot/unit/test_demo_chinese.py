"""``checkin demo --locale zh``: the Chinese example run whole, and everything a Chinese reader
sees (the printout, the digest as Markdown and as a page, every Slack message) in Chinese."""

from __future__ import annotations

import json
import os
import re
import subprocess
import warnings
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.orm import Session

from tests.bot.unit.test_demo import checkin_command

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "summaries" / "example"
# Words a Chinese reader meets as they are: the currency's code, product and format names
# with no Chinese name of their own.
ALLOWED = frozenset({"CNY", "Slack", "Block", "Kit", "Builder", "SQLite", "Markdown", "CSV",
                     "README"})
# What a reader sees as code, not words: links, paths and file names, commands to type, Slack
# ids and mentions, emoji codes.
CODE = re.compile(
    r"https?://\S+|\]\(<[^>]*>\)|`[^`]*`|<[@#!][^>|]*(?:\|[^>]*)?>|:[a-z0-9_+-]+:"
    r"|[A-Za-z0-9_.-]*/[A-Za-z0-9_./-]*|[A-Za-z0-9_-]+\.(?:yaml|csv|md|html|json|png|db|xlsx)"
    r"|(?<![A-Za-z0-9])[UWC]0[A-Z0-9]+(?![A-Za-z0-9])")
WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The Chinese demo, run by the console script as a new user would, in an English
    environment (``--locale`` decides): its folder, printout and standard error."""
    where = tmp_path_factory.mktemp("demo-zh")
    env = {**os.environ, "LANG": "C.UTF-8", "CHECKIN_CONFIG": str(where / "missing.yaml")}
    env.pop("LC_ALL", None)
    done = subprocess.run([*checkin_command(), "demo", "--locale", "zh", "--output", "zh"],
                          cwd=where, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    return where / "zh", done.stdout, done.stderr


def english_words(text: str) -> set[str]:
    """The words of letters a reader sees in ``text``, code aside, that are not allowed."""
    return {w for w in WORD.findall(CODE.sub(" ", text)) if w not in ALLOWED}


class _Visible(HTMLParser):
    """The text of a page a reader sees: no markup, styles or scripts; alt and title texts."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._hidden += 1
        self.texts += [value for name, value in attrs if name in ("alt", "title") and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.texts.append(data)


def visible_html(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return "\n".join(parser.texts)


def block_texts(value: Any) -> list[str]:
    """Every text of Block Kit a reader sees: text objects, alt texts, placeholders, a
    message's notification text."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("text", "alt_text", "title", "initial_comment") and isinstance(item, str):
                found.append(item)
            elif key not in ("value", "action_id", "block_id", "url", "metadata"):
                found += block_texts(item)
    elif isinstance(value, list):
        for item in value:
            found += block_texts(item)
    return found


def seen_texts(folder: Path, printout: str) -> dict[str, str]:
    """What a reader sees, by where they see it."""
    texts = {"the printout": "\n".join(line for line in printout.splitlines()
                                       if not line.startswith("      "))}  # commands to type
    texts["digest.md"] = (folder / "digest.md").read_text(encoding="utf-8")
    texts["asks.md"] = (folder / "asks.md").read_text(encoding="utf-8")
    texts["digest.html"] = visible_html((folder / "digest.html").read_text(encoding="utf-8"))
    for path in sorted((folder / "slack").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        texts[path.relative_to(folder).as_posix()] = "\n".join(block_texts(data))
    return texts


def test_a_chinese_reader_meets_no_english_word(demo: tuple[Path, str, str]) -> None:
    folder, printout, _ = demo
    where: dict[str, set[str]] = defaultdict(set)
    for name, text in seen_texts(folder, printout).items():
        for word in english_words(text):
            where[word].add(name)
    report = [f"{word}: {', '.join(sorted(names)[:4])}"
              + (f" and {len(names) - 4} more" if len(names) > 4 else "")
              for word, names in sorted(where.items())]
    assert not where, f"{len(where)} English words:\n" + "\n".join(report)


def test_the_printout_tells_the_demo_in_chinese(demo: tuple[Path, str, str]) -> None:
    _, printout, stderr = demo
    assert printout.startswith("演示：北田电信城区分公司，2026年10月")
    assert "历史数据：2025年10月至2026年9月从CSV文件导入" in printout
    steps = re.findall(r"\d{2}:\d{2}  2026年10月(汇报开启|第1次提醒|第2次提醒|汇报截止)", printout)
    assert steps == ["汇报开启", "第1次提醒", "第2次提醒", "汇报截止"]
    assert printout.count("提交了工作总结") == 7
    assert "大客户部提交了工作总结" in printout  # departments by name, never by key
    assert "key-accounts" not in printout
    assert "U0CEO批复：客户服务中心，“受光缆中断影响的用户要求赔偿" in printout
    assert "已交7份" in printout
    assert "missing from font" not in stderr
    assert "Traceback" not in stderr


def test_the_chinese_example_shares_the_english_one_s_keys() -> None:
    english = yaml.safe_load((EXAMPLE / "checkin.yaml").read_text(encoding="utf-8"))
    chinese = yaml.safe_load((EXAMPLE / "zh" / "checkin.yaml").read_text(encoding="utf-8"))
    for block in ("sections", "kpis", "departments"):
        assert [i["key"] for i in chinese[block]] == [i["key"] for i in english[block]], block
    for block in ("schedule", "targets", "rules", "away"):
        assert chinese[block] == english[block], block
    assert chinese["organization"]["locale"] == "zh"
    assert chinese["organization"]["compact_units"] == "cn"
    for month in ("2026-09", "2026-10"):
        en, zh = (yaml.safe_load((folder / f"answers-{month}.yaml").read_text(encoding="utf-8"))
                  for folder in (EXAMPLE, EXAMPLE / "zh"))
        assert {k: set(v["sections"]) for k, v in zh["departments"].items()} == {
            k: set(v["sections"]) for k, v in en["departments"].items()}
        assert not [text for entry in zh["departments"].values()
                    for text in entry["sections"].values() if english_words(text)]


def test_the_chinese_trend_chart_misses_no_glyph(demo: tuple[Path, str, str],
                                                caplog: pytest.LogCaptureFixture) -> None:
    from tests.summaries.digest.test_chart_fonts import glyph_warnings, needs_cjk_font

    needs_cjk_font()
    from bot.blocks.digest import chart_title
    from summaries.config.loader import load_config
    from summaries.digest import charts
    from summaries.digest.load import load_digest
    from summaries.store.db import make_engine

    folder, _, _ = demo
    engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
    try:
        with Session(engine) as session:
            digest = load_digest(session, load_config(folder / "checkin.yaml"), "2026-10")
    finally:
        engine.dispose()
    assert digest.trend is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = charts.trend_png(digest.trend, digest.locale, chart_title(digest))
    assert png.startswith(b"\x89PNG")
    assert glyph_warnings(caught) == []
    assert not [r for r in caplog.records if "font" in r.getMessage().lower()]
