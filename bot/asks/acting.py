"""Acting on an ask of leadership, and what follows a change (SPEC 5.2).

The domain decides whether the person may act and whether anything changes (a double click,
a retried request changes nothing). A change then reaches everyone through the outbox, each
message keyed by the change's event so it goes once: the digest's header and the department's
reply updated in place, the manager told of the outcome, an assignee handed the ask.
"""

from __future__ import annotations

import logging

from bot.blocks.asks import assigned_message, outcome_message
from bot.cycle.refreshing import refresh_digests
from bot.dedupe import first_time
from bot.deps import Deps
from bot.outbox.delivery import Outgoing, deliver, enqueue
from bot.people import reader_of
from summaries.checkins.asks import GONE, AskOutcome, act_on_ask, read_ask
from summaries.dates import format_month
from summaries.engine.asks import Ask, AskAction, Event
from summaries.errors import DomainError
from summaries.i18n import _, speaking
from summaries.periods import Month

log = logging.getLogger(__name__)


def act(deps: Deps, *, ask_id: int, user: str, action: AskAction, text: str | None = None,
        assignee: str | None = None, once: str | None = None) -> AskOutcome:
    """``user`` does ``action``, in one transaction. ``once`` (a submitted view's id) makes a
    view act once however often it is submitted: a second "reply only" would otherwise be a
    second reply. A refused or invalid submission keeps no trace, so it can be sent again."""
    now = deps.clock()
    with deps.unit_of_work() as session:
        if once is not None and not first_time(session, f"ask-view:{once}", now):
            found = read_ask(session, deps.config, ask_id)
            if found is None:
                raise DomainError(_(GONE))
            log.info("view %s was submitted again; acted on ask %s once", once, ask_id)
            return AskOutcome(found, False)
        return act_on_ask(session, deps.config, ask_id=ask_id, user=user, action=action,
                          now=now, text=text, assignee=assignee)


def find_ask(deps: Deps, ask_id: int) -> Ask:
    """The ask as it stands now; DomainError when it is gone."""
    with deps.read_only() as session:
        found = read_ask(session, deps.config, ask_id)
    if found is None:
        raise DomainError(_(GONE))
    return found


def department_name(deps: Deps, ask: Ask) -> str:
    spec = deps.config.department_by_key.get(ask.department)
    return spec.name if spec is not None else ask.department


def month_name(deps: Deps, ask: Ask) -> str:
    return format_month(Month.parse(ask.period), deps.locale) if ask.period else ""


def after_change(deps: Deps, outcome: AskOutcome) -> None:
    """Tell the people concerned and update the digest. The change is stored already, so a
    failure here is logged, not shown to the person who acted: what could not be sent stays
    in the outbox for the next pass."""
    if not outcome.changed or outcome.event_id is None or not outcome.ask.history:
        return
    ask, event = outcome.ask, outcome.ask.history[-1]
    try:
        with deps.unit_of_work() as session:
            keys = enqueue(session, messages_for(deps, ask, event, outcome.event_id))
        deliver(deps, keys)
    except Exception:
        log.exception("telling people of a change to ask %s failed", ask.id)
    try:
        refresh_digests(deps, ask, f"ask{outcome.event_id}")
    except Exception:
        log.exception("updating the digest after a change to ask %s failed", ask.id)


def messages_for(deps: Deps, ask: Ask, event: Event, event_id: int) -> list[Outgoing]:
    """The manager's DM of the outcome, and the assignee's DM of the ask (nobody is told of
    what they did themselves)."""
    spec = deps.config.department_by_key.get(ask.department)
    manager = spec.manager if spec is not None else None
    name = department_name(deps, ask)
    out: list[Outgoing] = []
    if manager and manager != event.by:
        key = ":".join(("ask-outcome", str(ask.id), str(event_id), manager))
        with speaking(reader_of(deps, manager)):  # each told in their own language
            message = outcome_message(ask, event, name, month_name(deps, ask))
        out.append(_dm(key, "ask_outcome", manager, message, ask))
    assignee = event.assignee
    if event.action is AskAction.ASSIGN and assignee and assignee != event.by:
        key = ":".join(("ask-assigned", str(ask.id), str(event_id), assignee))
        with speaking(reader_of(deps, assignee)):
            message = assigned_message(ask, event, name, month_name(deps, ask), manager or "")
        out.append(_dm(key, "ask_assigned", assignee, message, ask))
    return out


def _dm(key: str, kind: str, user: str, payload: dict[str, object], ask: Ask) -> Outgoing:
    return Outgoing(key, kind, user, {**payload, "channel": user}, period_key=ask.period,
                    department_key=ask.department)
