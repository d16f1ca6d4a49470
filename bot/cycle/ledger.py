"""The step ledger: one row per (step, period), claimed with a lease so a step runs once.

The unique constraint on (step, period) decides between two processes inserting at once; a
conditional UPDATE decides between two processes taking over a failed or abandoned row.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.deps import Deps
from bot.outbox.process import owner_id
from summaries.store.infra import StepRun, StepState

log = logging.getLogger(__name__)
START = "start"  # not a step: the period the scheduler began with

# Error texts are for people reading the ledger, not for storing whole tracebacks.
MAX_ERROR = 2000
def claim_step(deps: Deps, step: str, period: str, owner: str, lease: timedelta) -> bool:
    """Claim ``step`` of ``period`` for ``owner``; False if it is done or another holds it."""
    now = deps.clock()
    running: dict[str, Any] = {"state": StepState.RUNNING, "owner": owner,
                               "lease_until": now + lease, "started_at": now,
                               "finished_at": None, "error": None}
    with deps.unit_of_work() as session:
        if _insert(session, step, period, running):
            return True
        # A failed row waits for the next pass; a running row whose lease ran out lost its
        # process. Only one of several takers matches the WHERE clause once the first commits.
        takeable = or_(StepRun.state == StepState.FAILED,
                       and_(StepRun.state == StepState.RUNNING, StepRun.lease_until < now))
        return _update(session, step, period, takeable, running)


def finish_step(deps: Deps, step: str, period: str, owner: str, report_ok: bool,
                error: str | None) -> bool:
    """Mark ``owner``'s claim done (or failed, for the next pass); False if it was taken over."""
    values = {"state": StepState.DONE if report_ok else StepState.FAILED,
              "finished_at": deps.clock(), "error": _clip(error)}
    with deps.unit_of_work() as session:
        # After a lease ran out another process owns the row, and its result is the one to keep.
        mine = and_(StepRun.owner == owner, StepRun.state == StepState.RUNNING)
        finished = _update(session, step, period, mine, values)
    if not finished:
        log.warning("step %s of %s was taken over before %s finished it", step, period, owner)
    return finished


def record_manual(deps: Deps, step: str, period: str, ok: bool, error: str | None) -> None:
    """Record a step an admin ran by hand, so the scheduler does not repeat it.

    The hand run itself always runs, whatever the ledger says (steps are idempotent); this only
    records its outcome. A success marks the row done; a failure is recorded only where the
    ledger has no row or a failed one, so it never undoes a finished or running step.
    """
    now = deps.clock()
    values: dict[str, Any] = {"state": StepState.DONE if ok else StepState.FAILED,
                              "owner": f"manual:{owner_id()}", "lease_until": now,
                              "finished_at": now, "error": _clip(error)}
    replaceable: ColumnElement[bool] = true() if ok else StepRun.state == StepState.FAILED
    with deps.unit_of_work() as session:
        if _update(session, step, period, replaceable, values):
            return
        if not _insert(session, step, period, {**values, "started_at": now}) and ok:
            _update(session, step, period, true(), values)  # inserted meanwhile by another


def first_recorded(deps: Deps) -> str | None:
    """The earliest period the ledger has a step of (the scheduler's start included)."""
    with deps.read_only() as session:
        return session.scalar(select(func.min(StepRun.period_key)))


def record_start(deps: Deps, period: str) -> None:
    """Keep the period a fresh install starts with, so later passes start from it too."""
    now = deps.clock()
    with deps.unit_of_work() as session:
        _insert(session, START, period, {"state": StepState.DONE, "owner": owner_id(),
                                         "lease_until": now, "started_at": now,
                                         "finished_at": now})


def steps_run(deps: Deps, period: str) -> list[str]:
    """The names of ``period``'s steps the ledger has (running, done or failed)."""
    with deps.read_only() as session:
        return list(session.scalars(select(StepRun.step).where(StepRun.period_key == period)))


def _insert(session: Session, step: str, period: str, values: dict[str, Any]) -> bool:
    """Add the row; False if (step, period) is already in the ledger."""
    try:
        with session.begin_nested():
            session.add(StepRun(step=step, period_key=period, **values))
    except IntegrityError:
        return False
    return True


def _update(session: Session, step: str, period: str, condition: ColumnElement[bool],
            values: dict[str, Any]) -> bool:
    """Update the row where ``condition`` holds; whether it did."""
    result = session.execute(
        update(StepRun)
        .where(StepRun.step == step, StepRun.period_key == period, condition)
        .values(**values)
        .execution_options(synchronize_session=False))
    return getattr(result, "rowcount", 0) == 1


def _clip(error: str | None) -> str | None:
    return error[:MAX_ERROR] if error else None

