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
from summaries.periods import Month

# An ask in the header or a list is shortened past this many characters (the thread and the
# full-text view show all of it).
SHORT_ASK = 280
CUT_NOTE = "(shortened)"


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


def state_text(ask: Ask, locale: str = "en", timezone: str = "UTC",
               person: Callable[[str], str] = plain) -> str:
    """"open", "acknowledged by X", "assigned to X", "decided by X on Dec 4", "declined by X
    on Dec 4", "withdrawn"."""
    last = _last(ask, {AskAction.ACKNOWLEDGE, AskAction.REPLY, AskAction.ASSIGN,
                       AskAction.DECIDE, AskAction.DECLINE})
    if ask.state is AskState.ASSIGNED and ask.assignee:
        return f"assigned to {person(ask.assignee)}"
    if ask.state in (AskState.DECIDED, AskState.DECLINED) and last is not None:
        day = format_day(last.at.astimezone(ZoneInfo(timezone)), locale)
        return f"{ask.state} by {person(last.by)} on {day}"
    if ask.state is AskState.ACKNOWLEDGED and last is not None:
        return f"acknowledged by {person(last.by)}"
    return str(ask.state)


def age_text(ask: Ask, month: Month) -> str:
    """How long it has waited, in months: "raised this month", "waiting 1 month", "waiting 2
    months"."""
    months = ask.age(month)
    if months <= 0:
        return "raised this month"
    return f"waiting {months} month{'s' if months != 1 else ''}"


def answer_text(ask: Ask, locale: str = "en", timezone: str = "UTC",
                person: Callable[[str], str] = plain) -> str | None:
    """The latest reply or decision: "Reply from X (Nov 30): ...", or None."""
    answer = ask.answer
    if answer is None or not answer.text:
        return None
    day = format_day(answer.at.astimezone(ZoneInfo(timezone)), locale)
    label = {AskAction.DECIDE: "Decision from", AskAction.DECLINE: "Declined by"}.get(
        answer.action, "Reply from")
    return f"{label} {person(answer.by)} ({day}): {answer.text}"


def update_text(ask: Ask, locale: str = "en", timezone: str = "UTC") -> str | None:
    """The manager's latest update: "Update (Nov 28): ...", or None."""
    update = ask.update
    if update is None or not update.text:
        return None
    day = format_day(update.at.astimezone(ZoneInfo(timezone)), locale)
    return f"Update ({day}): {update.text}"


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
        groups.append(CarriedGroup(raised, f"Still open from {name} ({len(found)})",
                                   tuple(found)))
    return groups


def ask_note(ask: Ask, month: Month, locale: str = "en", timezone: str = "UTC",
             person: Callable[[str], str] = plain, *, said: bool = True) -> str:
    """Where an ask stands in one line: "waiting 2 months, acknowledged by X. Reply from X
    (Nov 30): .... Update (Dec 1): ..." (the age only for an earlier month's ask; the last
    reply and update unless ``said`` is false: the digest's header leaves them to the
    thread)."""
    parts = [state_text(ask, locale, timezone, person)]
    if ask.age(month) > 0:  # an earlier month's: how long, and where it stands if not open
        parts = [age_text(ask, month), *(p for p in parts if p != AskState.OPEN)]
    words = [t for t in (answer_text(ask, locale, timezone, person),
                         update_text(ask, locale, timezone)) if t] if said else []
    return _sentences([", ".join(parts), *words])


def _sentences(parts: Sequence[str]) -> str:
    """``parts`` one after the other, a full stop between them where one does not end in
    its own (a reply's words keep their punctuation; none is doubled)."""
    text = ""
    for part in parts:
        if text:
            text += " " if text.endswith((".", "!", "?", "\u3002", "\uff01", "\uff1f")) \
                else ". "
        text += part
    return text
