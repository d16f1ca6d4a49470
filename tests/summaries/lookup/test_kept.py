"""A lookup answered from the kept month is the lookup answered by its own reads, and the kept
month stops being used the moment what it was read from changes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from summaries.access import viewer
from summaries.config.schema import Config
from summaries.lookup.answer import KpiAnswer, answer_query
from summaries.lookup.kept import KeptMonth, stamp_now
from summaries.lookup.query import LookupProblem, parse_query
from summaries.periods import Month
from summaries.store.db import read_only

OCTOBER = Month(2026, 10)


def kept_month(demo_sessions: sessionmaker[Session], config: Config, month: Month = OCTOBER
               ) -> KeptMonth:
    with read_only(demo_sessions) as session:
        kept = KeptMonth.read(session, config, month)
    assert kept is not None
    kept.prepare(config)
    return kept


def every_lookup(config: Config) -> Iterator[tuple[str, str]]:
    """(user, text) for each person with a role and each form a month's lookup takes."""
    people = [*config.organization.leaders, *config.organization.admins,
              *sorted({d.manager for d in config.departments})]
    for user in people:
        who = viewer(config, user)
        for kpi in config.kpis:
            yield user, kpi.key
            yield user, f"{kpi.key} ytd"
            for department in sorted(who.visible):
                yield user, f"{kpi.key} {department}"
                yield user, f"{kpi.key} {department} ytd"
                yield user, f"{kpi.key} {department} 2026-10"


def test_every_lookup_of_the_kept_month_answers_as_its_own_reads_do(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    kept = kept_month(demo_sessions, demo_config)
    compared = 0
    with read_only(demo_sessions) as session:
        for user, typed in every_lookup(demo_config):
            who = viewer(demo_config, user)
            try:
                query = parse_query(demo_config, who, typed, OCTOBER)
            except LookupProblem:
                continue  # a department that does not report the KPI
            own = answer_query(session, demo_config, who, query, OCTOBER)
            assert isinstance(own, KpiAnswer)
            assert answer_query(session, demo_config, who, query, OCTOBER, kept=kept) == own, \
                (user, typed)
            compared += 1
    assert compared > 500
    again = kept.cell(demo_config, "*", demo_config.kpis[0])
    again.rank = 99  # a caller placing its copy leaves the kept cell as it was
    assert kept.cell(demo_config, "*", demo_config.kpis[0]).rank is None


def test_a_lookup_of_another_month_or_a_trend_reads_for_itself(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    kept = kept_month(demo_sessions, demo_config, Month(2026, 9))
    who = viewer(demo_config, demo_config.organization.leaders[0])
    with read_only(demo_sessions) as session:
        for typed in ("revenue", "revenue trend"):
            query = parse_query(demo_config, who, typed, OCTOBER)
            assert answer_query(session, demo_config, who, query, OCTOBER, kept=kept) == \
                answer_query(session, demo_config, who, query, OCTOBER)


def test_the_kept_month_is_current_until_a_figure_or_the_configuration_changes(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    kept = kept_month(demo_sessions, demo_config)
    with read_only(demo_sessions) as session:
        assert kept.current(stamp_now(session), demo_config, OCTOBER)
        assert not kept.current(stamp_now(session), demo_config, Month(2026, 9))
        renamed = replace(demo_config, organization=demo_config.organization.model_copy(
            update={"name": "Renamed"}))
        assert not kept.current(stamp_now(session), renamed, OCTOBER)
    with demo_sessions.begin() as session:
        session.execute(text("UPDATE figures SET value = value + 1 WHERE id = "
                             "(SELECT min(id) FROM figures)"))
    with read_only(demo_sessions) as session:
        assert not kept.current(stamp_now(session), demo_config, OCTOBER)


def test_a_parent_without_a_target_of_its_own_shows_its_childrens_as_the_digest_does(
        demo_sessions: sessionmaker[Session], demo_config: Config) -> None:
    from summaries.checkins.evaluation import evaluate_period

    who = viewer(demo_config, demo_config.organization.leaders[0])
    with read_only(demo_sessions) as session:
        report = evaluate_period(session, demo_config, OCTOBER, closed=None)
        query = parse_query(demo_config, who, "revenue", OCTOBER)
        answer = answer_query(session, demo_config, who, query, OCTOBER)
    assert isinstance(answer, KpiAnswer)
    marketing = next(row.cell for row in answer.rows if row.key == "marketing")
    result = report.department("marketing")
    assert result is not None
    in_digest = next(cell for cell in result.cells if cell.kpi == "revenue")
    assert marketing.target == in_digest.target == 5_610_000
    assert marketing.attainment == in_digest.attainment
