"""The digest in every format speaks the organization's language (SPEC 11): the example's
October for an organization with ``locale: zh`` reads in Chinese in Markdown, HTML, Slack,
the XLSX export and the trend chart, with no English word but the organization's own; in
English nothing changes."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

from matplotlib.text import Text
from openpyxl import load_workbook

from bot.blocks.asks import header_ask_blocks, reply_ask_blocks
from bot.blocks.digest import chart_title, department_messages, header_messages
from summaries.digest.export import export_files
from summaries.digest.header import AskLine, header_view
from summaries.digest.model import Digest
from summaries.digest.render import render_html, render_markdown
from summaries.digest.rows import KPI_COLUMNS
from summaries.i18n import speaking
from tests.summaries.digest.conftest import own_words
from tests.summaries.digest.test_chart_fonts import glyph_warnings, needs_cjk_font
from tests.support.english import english_words

CJK = re.compile(r"[\u4e00-\u9fff]")


def slack_texts(messages: list[dict[str, object]]) -> Iterator[str]:
    """Every text of the payloads a reader sees: fallbacks, blocks, table cells, buttons."""
    def walk(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    yield value
                elif key != "metadata":
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)
    return walk(messages)


def every_message(digest: Digest) -> list[dict[str, object]]:
    return [*header_messages(digest),
            *(m for d in digest.departments for m in department_messages(digest, d.key))]


def ask_words(digest: Digest) -> set[str]:
    """The words of the asks' own blocks (their buttons and lines, bot.blocks.asks): checked
    where those are built, not here."""
    view = header_view(digest)
    blocks = [*header_ask_blocks(list(view.asks), digest.period, digest.locale, "UTC"),
              *(b for _title, lines in view.carried
                for b in header_ask_blocks(list(lines), digest.period, digest.locale, "UTC")),
              *(b for d in digest.departments for b in reply_ask_blocks(
                  d.asks, d.carried, digest.period, digest.locale, "UTC"))]
    return set(english_words("\n".join(slack_texts(blocks))))


def test_markdown_reads_in_chinese(chinese_digest: Digest, demo_folder: Path) -> None:
    text = render_markdown(chinese_digest, chart="trend.png")
    assert english_words(text, own_words(demo_folder)) == []
    assert text.startswith("# 2026年10月管理层月报简报 · Northfield Telecom, City Branch\n")
    for words in ("**8个部门中7个已提交**", "## 核心指标", "| 指标 | 实际 | 目标 | 完成率 | 环比 |",
                  "## 请示事项（5）", "## 红灯问题（6）", "- **红灯** · ", "*恶化*",
                  "## 未提交（1）", "| 月份 |", "个百分点", "完成年度计划",
                  "九月提出、尚未办结（3）", "已等待1个月"):
        assert words in text, words
    assert " pts" not in text


def test_the_page_reads_in_chinese(chinese_digest: Digest, demo_folder: Path) -> None:
    page = render_html(chinese_digest)
    assert '<html lang="zh-Hans">' in page
    assert english_words(page, own_words(demo_folder)) == []
    for words in ('<h2 id="contents-title">目录</h2>', "返回目录", 'aria-label="核心指标逐月数据"',
                  "本页未附图表；下表数据与图一致。", '<span class="severity red">红灯</span>',
                  '<span class="badge amber">黄灯</span>'):
        assert words in page, words


def test_slack_reads_in_chinese(chinese_digest: Digest, demo_folder: Path) -> None:
    texts = "\n".join(slack_texts(every_message(chinese_digest)))
    assert english_words(texts, own_words(demo_folder), ask_words(chinese_digest)) == []
    for words in ("2026年10月管理层月报简报", "*核心指标*", "*红灯问题（6）*", "_恶化_", "*数据*",
                  "状态", "其余问题："):
        assert words in texts, words


def test_a_reader_of_another_language_gets_the_digest_in_theirs(
        chinese_digest: Digest, english_digest: Digest) -> None:
    with speaking("en"):  # an English reader of a Chinese organization's digest
        english = render_markdown(chinese_digest)
        slack = "\n".join(slack_texts(header_messages(chinese_digest)))
    assert not CJK.search(english.split("\n", 1)[0])
    assert english.startswith("# October 2026 check-in digest")
    assert "Red problems (6)" in slack
    with speaking("zh-CN"):
        assert render_markdown(english_digest).startswith("# 2026年10月管理层月报简报")
    assert render_markdown(chinese_digest).startswith("# 2026年10月")  # memo per language


def test_english_is_as_it_was(english_digest: Digest) -> None:
    text = render_markdown(english_digest)
    assert not CJK.search(text)
    for words in ("# October 2026 check-in digest · Northfield Telecom, City Branch",
                  "**7 of 8 departments submitted**", "| KPI | Actual | Target | Attainment |",
                  "## Asks of leadership (5)", "## Red problems (6)", "+1.64 pts",
                  "### Still open from September (3)", "waiting 1 month"):
        assert words in text, words
    assert '<html lang="en">' in render_html(english_digest)


def test_the_spreadsheet_reads_in_chinese_and_the_csv_stays_as_documented(
        chinese_digest: Digest) -> None:
    [(_name, content)] = export_files(chinese_digest, "xlsx", "oct")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["指标", "工作总结", "请示事项", "请示事项记录", "更正记录"]
    header = [c.value for c in book["指标"][1]]
    assert header[:7] == ["月份", "部门代码", "部门", "指标代码", "指标", "单位", "实际"]
    statuses = {row[KPI_COLUMNS.index("status")].value for row in book["指标"].iter_rows(min_row=2)}
    assert statuses <= {"红灯", "黄灯", "绿灯", None}
    states = {row[5].value for row in book["请示事项"].iter_rows(min_row=2)}
    assert states <= {"待批复", "已知悉", "已交办", "已批复", "未同意", "已撤回"}
    files = dict(export_files(chinese_digest, "csv", "oct"))
    first = files["oct.csv"].decode("utf-8-sig").splitlines()
    assert first[0] == ",".join(KPI_COLUMNS)  # the CSV is an interface: its words stay
    assert not CJK.search(files["oct.csv"].decode("utf-8-sig").replace(
        chinese_digest.organization, ""))


def test_the_chart_reads_in_chinese_and_misses_no_glyph(chinese_digest: Digest) -> None:
    from summaries.digest import charts

    needs_cjk_font()
    assert chinese_digest.trend is not None
    title = chart_title(chinese_digest)
    assert title == ("Northfield Telecom, City Branch · 核心指标，2025年11月至2026年10月")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = charts.trend_figure(chinese_digest.trend, chinese_digest.locale, title)
        png = charts.trend_png(chinese_digest.trend, chinese_digest.locale, title)
    assert png.startswith(b"\x89PNG")
    assert glyph_warnings(caught) == []
    drawn = [t.get_text() for t in figure.findobj(Text) if t.get_text().strip()]
    legend = figure.axes[0].get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["实际", "目标", "去年同期"]
    assert "10月" in drawn
    assert any(label.endswith("万") for label in drawn)
    assert english_words("\n".join(drawn), [*(s.kpi.name for s in chinese_digest.trend.series),
                                            *(s.kpi.unit for s in chinese_digest.trend.series),
                                            chinese_digest.organization]) == []


def test_a_digest_line_lists_asks_in_the_readers_words(chinese_digest: Digest) -> None:
    view = header_view(chinese_digest)
    assert all(isinstance(line, AskLine) for line in view.asks)
    assert view.counts.startswith("其余问题：黄灯")
    assert "九月的问题仍有" in view.counts
