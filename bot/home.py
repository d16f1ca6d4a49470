"""Build and publish a person's App Home."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks.home import HomeScreen, home_view
from bot.blocks.kpis import slack_date
from bot.deps import Deps
from summaries.access import viewer
from summaries.checkins.asks import find_asks
from summaries.checkins.cycle import PeriodInfo, current_period
from summaries.checkins.forms import department_statuses, ensure_fillable, kpi_history
from summaries.checkins.skipping import skip_reasons
from summaries.errors import DomainError
from summaries.i18n import _
from summaries.periods import Month, months_between

HISTORY_MONTHS = 3
log = logging.getLogger(__name__)


def deadline(deps: Deps, month: Month, period: PeriodInfo,
             reopened: datetime | None = None) -> str:
    """When the summary is due: the close, or the end of late submissions once closed (or of
    an admin's reopening, if later)."""
    due, late = period.deadline(deps.moments(month).close_at,
                                deps.config.schedule.late_until_days, reopened)
    when = slack_date(due, deps.locale)
    return _("{when} (late)", when=when) if late else when


def home_screen(deps: Deps, user: str) -> HomeScreen:
    """What ``user`` sees: their departments, and everyone's status for leaders and admins;
    the open asks of leadership they may see (everyone's for leaders and admins), oldest
    first, since the longest waiting need answers first."""
    config = deps.config
    who = viewer(config, user)
    managed_keys = [d.key for d in config.departments if d.manager == user]
    now = deps.clock()
    today = now.astimezone(ZoneInfo(config.organization.timezone)).date()
    month: Month | None = None
    due: str | None = None
    fillable = False
    with deps.unit_of_work() as session:
        period = current_period(session, config, now)
        if period is not None:
            month = Month.parse(period.key)
            due = deadline(deps, month, period)
            try:
                ensure_fillable(session, config, month, now)
                fillable = True
            except DomainError:
                fillable = False
        shown = month or Month.of(today).shift(-1)
        statuses = department_statuses(session, config, shown)
        history = (kpi_history(session, config, managed_keys, shown, HISTORY_MONTHS)
                   if managed_keys else {})
        asks = find_asks(session, config, who) if who.role is not None else []
        skipped = skip_reasons(session, shown)
    return HomeScreen(
        period=month, fillable=fillable, deadline=due,
        next_open=None if month is not None else _next_open(deps, now, Month.of(today)),
        managed=[s for s in statuses if s.department.key in managed_keys],
        everyone=statuses if config.is_leader(user) else None,
        history=history, months=months_between(shown.shift(1 - HISTORY_MONTHS), shown),
        asks=sorted(asks, key=lambda a: a.period or ""), today=Month.of(today),
        skipped=skipped)


def _next_open(deps: Deps, now: datetime, month: Month) -> str:
    moments = deps.moments(month)
    if moments.open_at < now:
        moments = deps.moments(month.shift(1))
    return slack_date(moments.open_at, deps.locale)


def refresh_home(deps: Deps, user: str) -> None:
    """Republish ``user``'s App Home after a change; a failure only costs freshness."""
    try:
        publish_home(deps, user)
    except Exception:
        log.warning("could not refresh the App Home of %s", user, exc_info=True)


def publish_home(deps: Deps, user: str) -> dict[str, Any]:
    """Publish ``user``'s App Home and return the view sent."""
    view = home_view(home_screen(deps, user), deps.config)
    deps.client.views_publish(user_id=user, view=view)
    return view
