"""The cycle on a clock: run the steps whose moment has passed, once, from one process.

``reconcile`` is the whole of the scheduling logic: it looks at the clock, the ledger and the
periods, and runs what is due. APScheduler only decides *when* to call it (at start, hourly and at
each exact moment), so a bot that was down catches up on its next call.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import (  # type: ignore[import-untyped]
    BackgroundScheduler,
)
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]
from apscheduler.triggers.date import DateTrigger  # type: ignore[import-untyped]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]
from sqlalchemy import Connection, Engine, text

from bot.cycle import steps as jobs
from bot.cycle.ledger import claim_step, finish_step
from bot.cycle.start import first_month
from bot.cycle.steps import Step
from bot.cycle.timetable import recipients_due, timetable
from bot.deps import Deps
from bot.outbox.delivery import deliver
from bot.outbox.process import owner_id
from summaries.checkins.cycle import period_state
from summaries.periods import Month, this_month

log = logging.getLogger(__name__)

# Long enough for a step that paces thousands of posts; if the process dies mid-step, another
# takes over after this (the outbox still stops any message going out twice).
STEP_LEASE = timedelta(minutes=30)
# One constant for every replica of this application ("checkin" in ASCII).
LEADER_LOCK_KEY = 0x636865636B696E
RECONCILE_JOB, LEADER_JOB, PLAN_JOB = "checkin:reconcile", "checkin:leader", "checkin:plan"


def live_months(deps: Deps, now: datetime) -> list[Month]:
    """The periods whose cycle may still be running: last month and this month (local time)."""
    this = this_month(now, deps.config.organization.timezone)
    return [this.previous(), this]


def due_steps(deps: Deps, now: datetime) -> list[tuple[Step, Month]]:
    """The steps whose moment has passed, in time order, stale reminders left out."""
    found: list[tuple[datetime, Step, Month]] = []
    first = first_month(deps, now)
    for month in (m for m in live_months(deps, now) if m >= first):
        try:
            moments = deps.moments(month)
            planned = timetable(deps, month)
        except ValueError:  # a holiday calendar with no business day left: say so, go on
            log.exception("cannot work out %s's cycle", month)
            continue
        if now >= moments.late_until:
            continue  # the period is finished
        for moment, step in planned:
            if moment > now or (step.kind == "remind" and now >= moments.close_at):
                continue  # not yet; or a reminder after the deadline, which is noise
            found.append((moment, step, month))
    return [(step, month) for _, step, month in sorted(found, key=lambda item: item[0])]


def reconcile(deps: Deps, now: datetime | None = None) -> list[tuple[str, str, bool]]:
    """Run each due step not yet done, then retry the outbox; return (step, period, ok) run."""
    now = now or deps.clock()
    owner = owner_id()
    ran: list[tuple[str, str, bool]] = []
    for step, month in due_steps(deps, now):
        try:
            ok = _run_claimed(deps, step, month, owner, now)
        except Exception:  # one step's failure must not stop the others
            log.exception("step %s of %s could not be run", step, month)
            continue
        if ok is not None:
            ran.append((step, str(month), ok))
    try:
        deliver(deps)
    except Exception:
        log.exception("retrying the outbox failed")
    return ran


def _run_claimed(deps: Deps, step: Step, month: Month, owner: str,
                 now: datetime) -> bool | None:
    """Claim and run one step; None when it is not to run (skipped, done, or held elsewhere)."""
    state = _period_state(deps, month)
    if step.kind == "remind" and state != "open":
        log.info("%s of %s skipped: the period is %s", step, month, state)
        return None
    if (step.kind, state) in (("open", "closed"), ("close", "pending")):
        return None  # closed by hand before its time, or never opened: nothing to post
    if not claim_step(deps, step, str(month), owner, STEP_LEASE):
        return None
    try:
        report = jobs.run_step(deps, step, month, recipients_due(deps, month, step, now))
        ok, error = report.ok, "; ".join(f"{k}: {v}" for k, v in report.failed.items())
        log.info("%s %s: %d sent, %d not delivered", step, month, len(report.sent),
                 len(report.failed))
    except Exception as exc:
        log.exception("step %s of %s failed", step, month)
        ok, error = False, f"{type(exc).__name__}: {exc}"
    finish_step(deps, step, str(month), owner, ok, error or None)
    return ok


def _period_state(deps: Deps, month: Month) -> str:
    with deps.read_only() as session:
        return period_state(session, month)


class LeaderLock(Protocol):
    """Who schedules: ``acquire`` tries once (and checks a held lock still stands)."""

    @property
    def held(self) -> bool: ...

    def acquire(self) -> bool: ...

    def release(self) -> None: ...


class SoleLeader:
    """SQLite: one process owns the database file, so it always schedules."""

    held = True

    def acquire(self) -> bool:
        """Lead (always)."""
        return True

    def release(self) -> None:
        """Nothing to release."""


class AdvisoryLock:
    """PostgreSQL: a session-level advisory lock held on a dedicated connection."""

    def __init__(self, engine: Engine, key: int = LEADER_LOCK_KEY) -> None:
        self.engine, self.key = engine, key
        self._connection: Connection | None = None
        self._guard = threading.Lock()

    @property
    def held(self) -> bool:
        return self._connection is not None

    def acquire(self) -> bool:
        """Take the lock if it is free; if held, check its connection is still alive."""
        with self._guard:
            if self._connection is not None:
                try:
                    self._connection.execute(text("SELECT 1"))
                    return True
                except Exception:  # the server dropped the session, and the lock with it
                    log.warning("the scheduler lock's connection was lost")
                    self._drop()
            connection: Connection | None = None
            try:
                # Autocommit: the connection lives as long as the process, never idle in a
                # transaction.
                connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                         {"key": self.key}).scalar_one()
            except Exception as exc:
                log.warning("could not try the scheduler lock: %s", type(exc).__name__)
                got = False
            if got and connection is not None:
                self._connection = connection
                return True
            if connection is not None:
                connection.close()
            return False

    def release(self) -> None:
        """Let another process lead."""
        with self._guard:
            if self._connection is None:
                return
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                         {"key": self.key})
            except Exception:
                log.warning("unlocking the scheduler lock failed; closing its connection")
            self._drop()

    def _drop(self) -> None:
        # Invalidated, not returned to the pool: closing the session surely frees the lock.
        if self._connection is not None:
            self._connection.invalidate()
            self._connection.close()
        self._connection = None


def leader_lock(engine: Engine) -> LeaderLock:
    """The lock that picks the one scheduling process for this database."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    return SoleLeader()


class CycleScheduler:
    """Reconcile at start, hourly and at each of the cycle's moments, while leading."""

    def __init__(self, deps: Deps, *, leader_retry: float = 60.0,
                 every: timedelta = timedelta(hours=1), misfire_grace: int = 3600,
                 lock: LeaderLock | None = None) -> None:
        self.deps = deps
        self.zone = ZoneInfo(deps.config.organization.timezone)
        self.leader_retry = leader_retry
        self.every = every
        self.lock = lock or leader_lock(deps.engine)
        # A moment's job may fire while the hourly one is still running a step: take turns.
        self._reconciling = threading.Lock()
        self.scheduler = BackgroundScheduler(timezone=self.zone, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": misfire_grace})

    @property
    def is_leader(self) -> bool:
        return self.lock.held

    def start(self, *, paused: bool = False) -> None:
        """Try to lead, then schedule; ``paused`` plans the jobs without running any."""
        self._announce(self.lock.acquire())
        self.scheduler.start(paused=paused)
        now = datetime.now(self.zone)
        self.scheduler.add_job(self.tick, IntervalTrigger(seconds=self.every.total_seconds()),
                               id=RECONCILE_JOB, next_run_time=now, replace_existing=True)
        self.scheduler.add_job(self.campaign, IntervalTrigger(seconds=self.leader_retry),
                               id=LEADER_JOB, replace_existing=True)
        self.scheduler.add_job(self.plan, CronTrigger(hour=0, minute=5, timezone=self.zone),
                               id=PLAN_JOB, replace_existing=True)
        self.plan()

    def plan(self) -> list[str]:
        """Add a job at each future moment of last, this and next month's cycles; their ids."""
        now = self.deps.clock()
        this = live_months(self.deps, now)[1]
        planned: list[str] = []
        # Last month's close falls in this month; next month's moments may be due before the
        # daily re-plan runs again (an open on the 1st, say).
        for month in (this.previous(), this, this.shift(1)):
            try:
                steps = timetable(self.deps, month)
            except ValueError:
                log.exception("cannot plan %s's cycle", month)
                continue
            for moment, step in steps:
                if moment <= now:
                    continue
                job_id = f"checkin:{month}:{step}"
                self.scheduler.add_job(self.tick, DateTrigger(run_date=moment), id=job_id,
                                       replace_existing=True)
                planned.append(job_id)
        return planned

    def tick(self) -> list[tuple[str, str, bool]]:
        """Reconcile if this process leads; otherwise do nothing."""
        if not self.is_leader:
            return []
        with self._reconciling:
            return reconcile(self.deps)

    def campaign(self) -> bool:
        """Try to lead (a standby takes over once the leader is gone); whether this one leads."""
        was = self.is_leader
        leads = self.lock.acquire()
        if leads != was:
            self._announce(leads)
        if leads and not was and self.scheduler.running:
            # Catch up at once rather than at the next hourly run.
            self.scheduler.modify_job(RECONCILE_JOB, next_run_time=datetime.now(self.zone))
        return leads

    def stop(self) -> None:
        """Stop scheduling without waiting for a running step, and let another process lead."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.lock.release()

    def _announce(self, leads: bool) -> None:
        if leads:
            log.info("scheduler: %s leads and runs the cycle's steps", owner_id())
        else:
            log.info("scheduler: %s stands by (another process leads); trying every %gs",
                     owner_id(), self.leader_retry)
