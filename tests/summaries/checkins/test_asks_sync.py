"""Asks raised, edited and withdrawn as the section changes; the digest's, the forms' and the
look-ups' reads; the backfill of summaries stored before asks were. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from summaries.access import viewer
from summaries.checkins.asks import act_on_ask, backfill_asks, digest_asks, find_asks, open_asks
from summaries.checkins.submissions import record_submission
from summaries.config.schema import Config
from summaries.engine.asks import Ask, AskAction, AskState, replay
from summaries.errors import PermissionDenied
from summaries.periods import Month
from summaries.store.figures import get_or_create_period
from summaries.store.models import AskRow, Department, SectionAnswer, Submission

pytestmark = pytest.mark.usefixtures("catalog")
A, S = AskAction, AskState
T0 = datetime(2026, 10, 29, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)
LEADER, ADMIN, MANAGER = "U0CEO", "U0OPS", "U0KA"


def submit(db: Session, config: Config, problems: str, *, user: str = MANAGER,
           period: str = "2026-10", department: str = "key-accounts", at: datetime = T0,
           sales: str = "On plan.") -> None:
    answers = {"problems": problems} | ({"sales": sales} if department != "safety" else {})
    record_submission(db, config, period=period, department=department, user=user,
                      answers=answers, figures={}, now=at)


def asks(db: Session, config: Config, period: str | None = "2026-10",
         department: str | None = None) -> list[Ask]:
    db.expire_all()
    found = find_asks(db, config, viewer(config, ADMIN), live_only=False, period=period,
                      department=department)
    for ask in found:
        assert replay(ask.history) == (ask.state, ask.assignee)
    return found


def by_text(found: list[Ask]) -> dict[str, Ask]:
    return {a.text: a for a in found}


def act(db: Session, config: Config, ask: Ask, action: AskAction, user: str = LEADER,
        text: str | None = None, assignee: str | None = None) -> None:
    assert ask.id is not None
    act_on_ask(db, config, ask_id=ask.id, user=user, action=action, now=T0, text=text,
               assignee=assignee)


def test_each_line_raises_an_open_ask(db: Session, config: Config) -> None:
    submit(db, config, "- Budget for two towers\n\n* 需要更多宽带营销人员\n- Budget for two towers")
    found = asks(db, config)
    assert [(a.text, a.state, a.department, a.period, a.section) for a in found] == [
        ("Budget for two towers", S.OPEN, "key-accounts", "2026-10", "Problems and requests"),
        ("需要更多宽带营销人员", S.OPEN, "key-accounts", "2026-10", "Problems and requests")]
    for ask in found:
        assert [(e.action, e.by, e.at, e.before, e.after, e.text) for e in ask.history] == [
            (A.RAISE, MANAGER, T0, None, S.OPEN, ask.text)]


def test_other_sections_raise_nothing(db: Session, config: Config) -> None:
    submit(db, config, "", sales="- We need a budget")
    assert asks(db, config) == []


def test_a_new_line_raises_a_new_ask_and_keeps_the_others(db: Session, config: Config) -> None:
    submit(db, config, "A\nB")
    first = by_text(asks(db, config))
    submit(db, config, "New\nA\nB", at=T1)
    found = asks(db, config)
    assert [a.text for a in found] == ["New", "A", "B"]  # in the lines' order
    again = by_text(found)
    assert all(again[t].id == first[t].id and len(again[t].history) == 1 for t in "AB")


def test_an_edited_line_edits_its_open_ask(db: Session, config: Config) -> None:
    submit(db, config, "A\nB")
    before = by_text(asks(db, config))
    submit(db, config, "A\nB, by Friday", at=T1)
    found = asks(db, config)
    assert [(a.id, a.text, a.state) for a in found] == [
        (before["A"].id, "A", S.OPEN), (before["B"].id, "B, by Friday", S.OPEN)]
    edit = found[1].history[-1]
    assert (edit.action, edit.by, edit.at, edit.before, edit.after, edit.text) == (
        A.EDIT, MANAGER, T1, S.OPEN, S.OPEN, "B, by Friday")


def test_an_admin_edits_for_the_manager(db: Session, config: Config) -> None:
    submit(db, config, "A")
    submit(db, config, "A2", user=ADMIN, at=T1)
    (found,) = asks(db, config)
    assert (found.text, found.history[-1].action, found.history[-1].by) == ("A2", A.EDIT, ADMIN)


def test_a_removed_line_withdraws_its_ask(db: Session, config: Config) -> None:
    submit(db, config, "A\nB\nC")
    submit(db, config, "A\nC", at=T1)
    found = by_text(asks(db, config))
    assert found["B"].state is S.WITHDRAWN
    assert found["A"].state is found["C"].state is S.OPEN
    last = found["B"].history[-1]
    assert (last.action, last.by, last.at, last.before, last.text) == (
        A.WITHDRAW, MANAGER, T1, S.OPEN, None)
    submit(db, config, "", at=T1)
    assert {a.state for a in asks(db, config)} == {S.WITHDRAWN}


def test_an_acted_on_ask_is_untouched_by_edits_and_removal(db: Session, config: Config) -> None:
    submit(db, config, "A\nB")
    act(db, config, by_text(asks(db, config))["A"], A.ACKNOWLEDGE)
    before = by_text(asks(db, config))["A"]
    submit(db, config, "A, edited\nB", at=T1)
    found = by_text(asks(db, config))
    assert found["A"] == before
    assert found["A"].history == before.history
    assert found["A, edited"].state is S.OPEN
    assert len(found["A, edited"].history) == 1
    submit(db, config, "B", at=T1 + timedelta(hours=1))
    found = by_text(asks(db, config))
    assert found["A"] == before
    assert found["A"].history == before.history
    assert found["A, edited"].state is S.WITHDRAWN


@pytest.mark.parametrize("ending", [A.DECIDE, A.WITHDRAW])
def test_an_ended_asks_line_is_not_raised_again(db: Session, config: Config,
                                                 ending: AskAction) -> None:
    submit(db, config, "A\nB")
    act(db, config, by_text(asks(db, config))["A"], ending, user=ADMIN)
    submit(db, config, "A\nB2", at=T1)  # another line edited, A kept as it was
    found = asks(db, config)
    assert [(a.text, a.state, len(a.history)) for a in found] == [
        ("A", {A.DECIDE: S.DECIDED, A.WITHDRAW: S.WITHDRAWN}[ending], 2),
        ("B2", S.OPEN, 2)]


def test_digest_and_forms_pick_their_asks(db: Session, config: Config) -> None:
    submit(db, config, "Aug open\nAug decided", period="2026-08", at=T0 - timedelta(days=60))
    submit(db, config, "Sep acknowledged\nSep withdrawn\nSep assigned", period="2026-09",
           at=T0 - timedelta(days=30))
    submit(db, config, "Oct open\nOct withdrawn\nOct decided")
    submit(db, config, "Safety Sep", period="2026-09", department="safety", user="U0SAFE")
    everything = by_text(asks(db, config, period=None))
    for text, action in (("Aug decided", A.DECIDE), ("Sep acknowledged", A.ACKNOWLEDGE),
                         ("Oct decided", A.DECIDE)):
        act(db, config, everything[text], action)
    for text in ("Sep withdrawn", "Oct withdrawn"):
        act(db, config, everything[text], A.WITHDRAW, user=MANAGER)
    act(db, config, everything["Sep assigned"], A.ASSIGN, assignee="U0CFO")
    db.commit()
    board = digest_asks(db, config, Month(2026, 10))
    assert [a.text for a in board.raised] == ["Oct open", "Oct decided"]
    assert [(a.text, a.age(Month(2026, 10))) for a in board.carried] == [
        ("Aug open", 2), ("Sep acknowledged", 1), ("Sep assigned", 1), ("Safety Sep", 1)]
    assert [a.text for a in board.carried_by("safety")] == ["Safety Sep"]
    assert [a.text for a in open_asks(db, config, "key-accounts", Month(2026, 10))] == [
        "Aug open", "Sep acknowledged", "Sep assigned"]
    assert [a.text for a in open_asks(db, config, "key-accounts", Month(2026, 9))] == [
        "Aug open"]
    assert open_asks(db, config, "marketing", Month(2026, 10)) == []
    september = digest_asks(db, config, Month(2026, 9))
    assert [a.text for a in september.raised] == ["Sep acknowledged", "Sep assigned",
                                                  "Safety Sep"]
    assert [a.text for a in september.carried] == ["Aug open"]


def test_who_finds_which_asks(db: Session, config: Config) -> None:
    submit(db, config, "KA ask")
    submit(db, config, "Safety ask", department="safety", user="U0SAFE")
    act(db, config, asks(db, config, department="safety")[0], A.DECIDE)
    newer = [a.text for a in find_asks(db, config, viewer(config, LEADER), live_only=False)]
    assert sorted(newer) == ["KA ask", "Safety ask"]
    assert [a.text for a in find_asks(db, config, viewer(config, LEADER))] == ["KA ask"]
    assert [a.text for a in find_asks(db, config, viewer(config, MANAGER))] == ["KA ask"]
    assert find_asks(db, config, viewer(config, "U0SAFE")) == []
    assert find_asks(db, config, viewer(config, "U0NOBODY"), live_only=False) == []
    with pytest.raises(PermissionDenied):
        find_asks(db, config, viewer(config, MANAGER), department="safety")


def old_summary(db: Session, key: str, period: str, status: str, problems: str,
                by: str | None = MANAGER) -> None:
    """A summary stored the way it was before asks existed: answers, and no asks."""
    department = db.scalars(select(Department).where(Department.key == key)).one()
    submission = Submission(period_id=get_or_create_period(db, period).id,
                            department_id=department.id, status=status, submitted_by=by,
                            submitted_at=T0 if by else None, created_at=T0 - timedelta(days=1))
    submission.answers = [SectionAnswer(section_key="problems", text=problems),
                          SectionAnswer(section_key="plan", text="- not an ask")]
    db.add(submission)
    db.flush()


def test_backfill_raises_old_answers_exactly_once(db: Session, config: Config) -> None:
    old_summary(db, "key-accounts", "2026-08", "submitted", "- Old A\n- Old B")
    old_summary(db, "safety", "2026-08", "late", "Late ask", by=None)
    old_summary(db, "marketing", "2026-08", "draft", "Draft ask")
    submit(db, config, "Synced ask", period="2026-09")
    db.commit()
    assert backfill_asks(db, config) == 3
    db.commit()
    found = asks(db, config, period=None)
    assert sorted(a.text for a in found) == ["Late ask", "Old A", "Old B", "Synced ask"]
    raised = {a.text: a.history[0] for a in found}
    assert (raised["Old A"].by, raised["Old A"].at) == (MANAGER, T0)
    assert (raised["Late ask"].by, raised["Late ask"].at) == ("U0SAFE", T0 - timedelta(days=1))
    assert backfill_asks(db, config) == 0
    assert db.scalar(select(func.count()).select_from(AskRow)) == 4
