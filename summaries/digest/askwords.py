"""Asks of leadership worded for a reader (SPEC 5.2): where each stands, how old it is, and a
long ask shortened at a word with a note that it was. Plain text, not escaped; each medium
escapes it and names people its own way (``person``: a Slack mention, or the id in a file)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_date

from summaries.dates import format_day
from summaries.engine.asks import Ask, AskAction, AskState, Event
from summaries.formatting import babel_locale
from summaries.i18n import N_, _, ngettext, pgettext
from summaries.periods import Month

# An ask in the header or a list is shortened past this many characters (the thread and the
# full-text view show all of it).
SHORT_ASK = 280
CUT_NOTE = N_("(shortened)")  # English: shown as _(CUT_NOTE)


def plain(user: str) -> str:
    return user


def short_text(text: str, limit: int = SHORT_ASK) -> tuple[str, bool]:
    """``text`` cut at the last word that fits in ``limit`` characters, with an ellipsis;
    and whether it was cut. A single word longer than the limit is cut inside it."""
    if len(text) <= limit:
        return text, False
    head = text[:limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:.") + "\u2026", True


def state_word(state: AskState | str) -> str:
    """An ask's state as a word: "open", "acknowledged", ... "withdrawn"."""
    words: dict[str, str] = {AskState.OPEN: pgettext("ask state", "open"),
             AskState.ACKNOWLEDGED: pgettext("ask state", "acknowledged"),
             AskState.ASSIGNED: pgettext("ask state", "assigned"),
             AskState.DECIDED: pgettext("ask state", "decided"),
             AskState.DECLINED: pgettext("ask state", "declined"),
             AskState.WITHDRAWN: pgettext("ask state", "withdrawn")}
    return words.get(state, str(state))


def state_text(ask: Ask, locale: str = "en", timezone: str = "UTC",
               person: Callable[[str], str] = plain) -> str:
    """"open", "acknowledged by X", "assigned to X", "decided by X on Dec 4", "declined by X
    on Dec 4", "withdrawn"."""
    last = _last(ask, {AskAction.ACKNOWLEDGE, AskAction.REPLY, AskAction.ASSIGN,
                       AskAction.DECIDE, AskAction.DECLINE})
    if ask.state is AskState.ASSIGNED and ask.assignee:
        return _("assigned to {person}", person=person(ask.assignee))
    if ask.state in (AskState.DECIDED, AskState.DECLINED) and last is not None:
        day = format_day(last.at.astimezone(ZoneInfo(timezone)), locale)
        if ask.state is AskState.DECIDED:
            return _("decided by {person} on {day}", person=person(last.by), day=day)
        return _("declined by {person} on {day}", person=person(last.by), day=day)
    if ask.state is AskState.ACKNOWLEDGED and last is not None:
        return _("acknowledged by {person}", person=person(last.by))
    return state_word(ask.state)


def age_text(ask: Ask, month: Month) -> str:
    """How long it has waited, in months: "raised this month", "waiting 1 month", "waiting 2
    months"."""
    months = ask.age(month)
    if months <= 0:
        return _("raised this month")
    return ngettext("waiting {n} month", "waiting {n} months", months)


def answer_text(ask: Ask, locale: str = "en", timezone: str = "UTC",
                person: Callable[[str], str] = plain) -> str | None:
    """The latest reply or decision: "Reply from X (Nov 30): ...", or None."""
    answer = ask.answer
    if answer is None or not answer.text:
        return None
    day = format_day(answer.at.astimezone(ZoneInfo(timezone)), locale)
    values = {"person": person(answer.by), "day": day, "text": answer.text}
    if answer.action is AskAction.DECIDE:
        return _("Decision from {person} ({day}): {text}", **values)
    if answer.action is AskAction.DECLINE:
        return _("Declined by {person} ({day}): {text}", **values)
    return _("Reply from {person} ({day}): {text}", **values)


def update_text(ask: Ask, locale: str = "en", timezone: str = "UTC") -> str | None:
    """The manager's latest update: "Update (Nov 28): ...", or None."""
    update = ask.update
    if update is None or not update.text:
        return None
    day = format_day(update.at.astimezone(ZoneInfo(timezone)), locale)
    return _("Update ({day}): {text}", day=day, text=update.text)


def _last(ask: Ask, actions: set[AskAction]) -> Event | None:
    return next((e for e in reversed(ask.history) if e.action in actions), None)


@dataclass(frozen=True)
class CarriedGroup:
    """Asks still open from one earlier month: "Still open from September (2)"."""

    month: Month
    title: str
    asks: tuple[Ask, ...]


def carried_groups(asks: Sequence[Ask], month: Month, locale: str = "en"
                   ) -> list[CarriedGroup]:
    """Earlier months' open asks by the month they were raised in, oldest first."""
    by_month: dict[str, list[Ask]] = {}
    for ask in asks:
        by_month.setdefault(ask.period or str(month), []).append(ask)
    groups = []
    for key in sorted(by_month):
        raised = Month.parse(key)
        name = format_date(raised.first_day(), "LLLL" if raised.year == month.year
                           else "LLLL y", locale=babel_locale(locale))
        found = by_month[key]
        groups.append(CarriedGroup(raised, _("Still open from {month} ({count})", month=name,
                                             count=len(found)), tuple(found)))
    return groups


def ask_note(ask: Ask, month: Month, locale: str = "en", timezone: str = "UTC",
             person: Callable[[str], str] = plain, *, said: bool = True) -> str:
    """Where an ask stands in one line: "waiting 2 months, acknowledged by X. Reply from X
    (Nov 30): .... Update (Dec 1): ..." (the age only for an earlier month's ask; the last
    reply and update unless ``said`` is false: the digest's header leaves them to the
    thread)."""
    parts = [state_text(ask, locale, timezone, person)]
    if ask.age(month) > 0:  # an earlier month's: how long, and where it stands if not open
        parts = [age_text(ask, month), *(parts if ask.state is not AskState.OPEN else [])]
    words = [t for t in (answer_text(ask, locale, timezone, person),
                         update_text(ask, locale, timezone)) if t] if said else []
    return _sentences([pgettext("clause separator", ", ").join(parts), *words])


def _sentences(parts: Sequence[str]) -> str:
    """``parts`` one after the other, a full stop between them where one does not end in
    its own (a reply's words keep their punctuation; none is doubled), a space after a stop
    that needs one."""
    text = ""
    for part in parts:
        if text:
            if text.endswith(("\u3002", "\uff01", "\uff1f")):  # full width: no space
                pass
            elif text.endswith((".", "!", "?")):
                text += " "
            else:
                text += pgettext("between two sentences", ". ")
        text += part
    return text
