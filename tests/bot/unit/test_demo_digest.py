"""The example organization's October digest read as a leader would (SPEC 5.1): a header of
at most 2,000 characters besides the asks still open from earlier months, asks first, one
line per red problem, and every fact of the engine's flags still readable in the thread."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from bot.blocks.digest import department_messages, header_messages
from bot.cli.main import main
from summaries.config.loader import load_config
from summaries.digest.load import load_digest
from summaries.digest.model import Digest
from summaries.engine.flagwords import flag_text
from summaries.store.db import make_engine
from tests.slackstandin import check_message

HEADER_BUDGET = 2000
# The asks still open from earlier months (SPEC 5.2), each with its age and state, are a
# list of their own on top of the 30-second header (the example carries three from September).
CARRIED_BUDGET = 600
MAX_HEADER_PROBLEMS = 15
EMOJI = re.compile(r":[a-z0-9_+-]+:")


@pytest.fixture(scope="module")
def october(tmp_path_factory: pytest.TempPathFactory) -> Digest:
    folder = tmp_path_factory.mktemp("demo") / "demo"
    assert main(["demo", "--output", str(folder)]) == 0
    config = load_config(str(folder / "checkin.yaml"))
    engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
    try:
        with Session(engine) as session:
            return load_digest(session, config, "2026-10")
    finally:
        engine.dispose()


def texts(message: dict[str, object]) -> list[str]:
    """The text a reader sees in each block, in order (tables cell by cell)."""
    found: list[str] = []
    for block in message["blocks"]:  # type: ignore[attr-defined]
        text = block.get("text")
        if isinstance(text, dict):
            found.append(text["text"])
        found += [e["text"] for e in block.get("elements", ()) if isinstance(e, dict)
                  and isinstance(e.get("text"), str)]
        found += [" | ".join(c["text"] for c in row) for row in block.get("rows", ())]
    return found


def seen(text: str) -> str:
    """As Slack shows it: an emoji code is one picture, emphasis marks are not shown."""
    return EMOJI.sub("\u25cf", text).replace("*", "").replace("_", "")


def test_the_header_reads_in_thirty_seconds(october: Digest) -> None:
    messages = header_messages(october)
    assert len(messages) == 1
    check_message(messages[0])
    lines = texts(messages[0])
    body = "\n".join(lines)
    carried = body[body.index("*Still open from September (3)*"):body.index("*Red problems")]
    assert len(seen(carried)) <= CARRIED_BUDGET, len(seen(carried))
    assert len(seen(body)) - len(seen(carried)) <= HEADER_BUDGET, len(seen(body))
    asks = body.index("Asks of leadership (5)")
    reds = body.index("Red problems (6)")
    assert body.index("Headline KPIs") < asks < reds
    problem_lines = [line for line in body[reds:].splitlines() if line.startswith("\u2022 *")]
    assert 0 < len(problem_lines) <= MAX_HEADER_PROBLEMS
    for line in problem_lines:
        assert line.endswith(("_new_", "_worse_", "_recurring_")), line
    cells = {(p.department, p.kpi) for p in october.problems if p.severity == "red"
             and p.restates is None}
    assert len(cells) == len(problem_lines)  # one line per department and KPI, none twice
    # The headline: the organization's target and attainment, contributors, projection.
    assert "10,592,160 CNY of 10,810,000 target (98.0%)" in body
    assert "Gap \u2212218K: North County Company \u2212239K, Key Account Division \u2212207K, " \
           "East County Company +251K, others \u221224K" in body
    assert "year-end at this pace \u2248 126.1M of 127.7M (\u22121.61M)" in body
    counts = lines[-1]
    assert re.search(r"\d+ amber, \d+ minor in the thread", counts), counts
    assert re.search(r"\d+ problems? still open from September, \d+ resolved", counts), counts
    assert "not submitted: Safety and Environment Office (2 reminders)" in counts


def numbers(message: str) -> list[str]:
    """The figures a flag's sentence states (a date like 2026-10 is not one)."""
    message = re.sub(r"\b\d{4}-\d{2}\b", "", message)
    return re.findall(r"\d[\d,]*(?:\.\d+)?%?", message)


def test_every_fact_of_the_flags_is_in_the_thread(october: Digest) -> None:
    assert october.flags  # the engine's flags, as stored for the month
    replies = {d.key: "\n".join(t for m in department_messages(october, d.key)
                                for t in texts(m))
               for d in october.departments}
    for message in (m for d in october.departments for m in department_messages(october, d.key)):
        check_message(message)
    for _, flag in october.flags:
        reply = replies[flag.department]
        message = flag_text(flag)
        if flag.rule == "raised":
            assert message.split(": ", 1)[1] in reply.replace("&amp;", "&"), flag
            continue
        for figure in numbers(message):
            assert figure in reply, (figure, message)


def test_header_all_lists_every_problem(october: Digest) -> None:
    from dataclasses import replace

    from summaries.config.rules import DigestRules

    every = replace(october, rules=DigestRules(header="all"))
    body = "\n".join(t for m in header_messages(every) for t in texts(m))
    shown = [p for p in october.problems if p.restates is None]
    assert f"Problems ({len(shown)})" in body
    assert body.count("_(minor)_") == sum(1 for p in shown if p.minor)
    top = replace(october, rules=DigestRules(top=3))
    body = "\n".join(t for m in header_messages(top) for t in texts(m))
    assert "3 more in the thread" in body
