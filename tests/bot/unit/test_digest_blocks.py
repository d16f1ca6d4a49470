"""The digest in Block Kit: within Slack's limits for any size of organization, nothing cut,
user text escaped."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from bot.blocks.common import MAX_MESSAGE_CHARS, block_chars, escape
from bot.blocks.digest import chart_filename, chart_title, department_messages, header_messages
from summaries.config.loader import parse_config
from summaries.config.schema import Config
from summaries.digest.askwords import short_text
from summaries.digest.header import header_view
from summaries.digest.model import Digest, compile_digest
from summaries.periods import Month
from tests.slackstandin import check_message
from tests.support.enginekit import OCT, Data

PING = "<!channel>"
CONTINUED = re.compile(r"\*[^*]+\* \(continued\)")


def organization(size: int) -> Config:
    """``size`` departments in groups of ten under a parent, with names that need escaping."""
    departments = [{"key": f"d{i:04d}", "name": f"Department {i} <R&D>", "manager": f"U{i:05d}",
                    "kpis": ["revenue", "churn", "per_head"],
                    **({"parent": f"d{i - i % 10:04d}"} if i % 10 else {})}
                   for i in range(size)]
    return parse_config(yaml.safe_dump({
        "organization": {"name": "Big & <Small> Co", "leadership_channel": "C0LEAD"},
        "sections": [{"key": "sales", "title": "Sales & collection"},
                     {"key": "market", "title": "Market"},
                     {"key": "problems", "title": "Problems", "raise": True},
                     {"key": "plan", "title": "Plan"}],
        "kpis": [{"key": "revenue", "name": "Revenue & fees", "unit": "EUR", "headline": True},
                 {"key": "staff", "name": "Staff", "unit": "people", "accumulate": "last"},
                 {"key": "churn", "name": "Churn", "unit": "%", "decimals": 1,
                  "better": "lower", "accumulate": "mean"},
                 {"key": "per_head", "name": "Revenue per head", "unit": "EUR",
                  "formula": "revenue / staff"}],
        "departments": departments,
    }), "big.yaml")


def long_text(seed: int, size: int = 2950) -> str:
    """A section answer near the form's 3,000-character limit, with mentions and ampersands."""
    words = f"Q{seed} pipeline & renewals {PING} <@U123> grew; "
    lines, line = [], ""
    while sum(map(len, lines)) + len(line) < size:
        line += words
        if len(line) > 400:
            lines.append(line)
            line = ""
    return "\n".join([*lines, line])[:size]


def digest_of(size: int) -> Digest:
    """Most departments submit long answers and raise many problems; every fifth is missing,
    with an imported figure; one raises a single problem longer than a section allows."""
    config = organization(size)
    data = Data()
    for i, spec in enumerate(config.departments):
        if spec.parent is None and config.children_of(spec.key):
            continue  # parents show their children's roll-up
        source = "imported" if i % 5 == 4 else "submitted"
        data.series(spec.key, "revenue", "2025-10", [100 + i % 7] * 12)
        data.figure(spec.key, "revenue", "2026-10", 60 + i % 50, source=source)
        data.figure(spec.key, "churn", "2026-10", "4.5", source=source)
        data.target("monthly", "revenue", 100, dept=spec.key, month="2026-10")
    data.target("max", "churn", 3)
    for i, spec in enumerate(config.departments):
        if i % 5 == 4:
            continue
        problems = "\n".join(f"Problem {n} of {spec.name}: {PING} needs & gets help"
                             for n in range(12))
        if i == 1:
            problems += "\n" + "& " * 1470
        data.submitted(spec.key, "late" if i % 7 == 3 else "submitted", sales=long_text(i),
                       market=long_text(i + 1), plan=long_text(i + 2), problems=problems)
    return compile_digest(config, data.evaluate(config, OCT, closed=True))


def texts(payload: dict[str, Any], kind: str = "mrkdwn") -> list[str]:
    """The fallback, then every text object of ``kind`` the payload's blocks carry."""
    found = [payload["text"]]
    for block in payload["blocks"]:
        for key in ("text", "fields", "elements"):
            value = block.get(key)
            items = value if isinstance(value, list) else [value] if value else []
            found += [item["text"] for item in items
                      if isinstance(item, dict) and item.get("type") == kind]
        if kind == "mrkdwn":  # a table's cells, a row a line (plain text: shown as written)
            found += [" | ".join(cell["text"] for cell in row) for row in block.get("rows", ())]
    return found


def joined(payloads: list[dict[str, Any]]) -> str:
    """The payloads' block texts end to end without whitespace (texts split there) or the
    titles repeated where a list continues in the next message."""
    found = (t for p in payloads for t in texts(p)[1:]
             if not CONTINUED.fullmatch(t) and not t.startswith(":thread: Continued"))
    return bare("".join(found))


def bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_valid(payloads: list[dict[str, Any]]) -> None:
    for payload in payloads:
        assert check_message(payload) == []
        assert "channel" not in payload
        assert "thread_ts" not in payload
        assert sum(block_chars(b) for b in payload["blocks"]) <= MAX_MESSAGE_CHARS
        for text in texts(payload):  # what Slack parses: the fallback and mrkdwn
            assert PING not in text
            assert re.search(r"<(?!@U\d|!date\^)", text) is None, text  # only our own tokens


@pytest.fixture(scope="module", params=[1, 50, 500])
def digest(request: pytest.FixtureRequest) -> Digest:
    return digest_of(request.param)


def test_header_fits_slack_and_carries_the_metadata_once(digest: Digest) -> None:
    messages = header_messages(digest)
    assert_valid(messages)
    assert messages[0]["metadata"] == {"event_type": "checkin_digest",
                                       "event_payload": {"period": "2026-10"}}
    assert all("metadata" not in m for m in messages[1:])
    assert messages[0]["blocks"][0]["text"]["text"] == \
        "October 2026 check-in digest \u00b7 Big & <Small> Co"  # plain text: shown as written
    assert f"*{digest.submitted} of {digest.total} departments submitted" in \
        messages[0]["blocks"][1]["text"]["text"]
    continued = [t for t in texts(messages[0]) if "Continued in the thread" in t]
    assert bool(continued) == (len(messages) > 1)


def test_header_keeps_every_ask_every_red_problem_and_names_who_is_missing(digest: Digest
                                                                          ) -> None:
    messages = header_messages(digest)
    everything = joined(messages)
    names = {d.key: d.name for d in digest.departments}
    assert digest.asks
    for ask in digest.asks:  # a long one shortened at a word (whole in the thread)
        shown = escape(short_text(ask.text)[0])
        assert bare(f"*{escape(names[ask.department])}*: {shown}") in everything
    reds = header_view(digest).problems
    assert len(reds) == sum(1 for p in digest.problems if p.severity == "red"
                            and p.restates is None)
    listed = everything.split("*Redproblems")[1]
    for line in reds:  # each red problem once, after the asks
        assert listed.count(bare(f"\u2022 *{escape(line.department)}*: {escape(line.text)}")) \
            == sum(1 for other in reds if other == line)
    for department in digest.missing:
        assert bare(escape(department.name)) in everything.split("notsubmitted:")[-1]


def test_a_large_header_continues_in_order_with_each_list_named() -> None:
    digest = digest_of(500)
    messages = header_messages(digest)
    assert len(messages) > 2
    assert texts(messages[0])[-1] == (
        ":thread: Continued in the thread: the rest of the asks of leadership "
        f"({len(digest.asks)} in all); the problems ({len(digest.problems)} in all); "
        "the counts of the other problems.")
    assert messages[1]["text"] == f"October 2026 check-in digest, continued (1 of " \
                                  f"{len(messages) - 1})"
    assert texts(messages[1])[1] == "*Asks of leadership* (continued)"
    lines = [line for m in messages for t in texts(m)[1:] for line in t.splitlines()]
    title = next(n for n, line in enumerate(lines) if line.startswith("*Red problems"))
    asks = [n for n, line in enumerate(lines[:title]) if line.startswith("\u2022 *Department")]
    reds = [line for line in lines[title:] if line.startswith("\u2022 *Department")]
    assert len(asks) == len(digest.asks)  # the asks first, then the red problems
    assert len(reds) == len(header_view(digest).problems)
    assert "not submitted:" in lines[-1]


def test_every_department_reply_fits_and_keeps_its_whole_text(digest: Digest) -> None:
    for department in digest.departments:
        replies = department_messages(digest, department.key)
        if department.status == "missing" and not department.imported:
            assert replies == []
            continue
        assert_valid(replies)
        everything = joined(replies)
        for title, text in department.written:
            assert bare(f"*{escape(title)}*") in everything
            assert bare(escape(text)) in everything
        for ask in department.asks:  # the raised section's lines, listed as asks
            assert bare(f"\u2022 {escape(ask.text)}") in everything
        assert {f.kpi for f in department.flags if f.kpi} == {p.kpi for p in department.problems}
        kpis = {row.kpi.name for row in department.rows}
        rows = [t for r in replies for t in texts(r)
                if t.split(" | ")[0].removesuffix(" (imported)") in kpis]
        assert len(rows) == len(department.rows)  # the KPI table: a row each


def test_a_department_reply_shows_every_column_and_marks_late_and_imported() -> None:
    digest = digest_of(50)
    late = department_messages(digest, "d0003")
    assert late[0]["blocks"][0]["text"]["text"] == \
        "Department 3 <R&D> \u00b7 October 2026 (late)"
    row = next(t for t in texts(late[0]) if t.startswith("Revenue & fees |"))
    assert row == ("Revenue & fees | 63 EUR | 100 EUR | 63.0% | \u221238.8% | \u221238.8% | "
                   "990 EUR | red")
    missing = department_messages(digest, "d0004")
    assert bare("No summary submitted") in joined(missing)
    assert bare("Revenue & fees (imported) | 64 EUR") in joined(missing)
    assert len(department_messages(digest_of(500), "d0001")) > 1  # long texts: several parts


def test_the_chart_is_named_after_the_period() -> None:
    digest = digest_of(1)
    assert chart_filename(digest) == "checkin-trend-2026-10.png"
    assert chart_title(digest) == "Big & <Small> Co \u00b7 headline KPIs, October 2026"
    assert digest.period == Month(2026, 10)
