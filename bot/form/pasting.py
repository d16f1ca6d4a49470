"""The "Paste figures" box: two columns copied from a spreadsheet fill the KPI inputs, and the
form comes back pre-filled for review instead of being stored (SPEC 5.3). A bad row, or one
that disagrees with a figure typed in the form, is named under the box and nothing changes."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks.common import clip
from bot.blocks.modal import busy_view, next_version, notice_view
from bot.budget import within
from bot.deps import Deps
from bot.form.handlers import form_view, keep_draft
from bot.ids import PASTE_BLOCK, FormRef
from summaries.checkins.forms import KPI, field_id
from summaries.checkins.submissions import read_draft
from summaries.i18n import _, ngettext
from summaries.imports.figurerows import FigureRow, read_figure_rows, rows_from_text
from summaries.numberwords import input_text, parse_figure

log = logging.getLogger(__name__)
MAX_ERROR = 2000  # characters under the box: the first problems, each naming its row


def answer_paste(deps: Deps, ack: Ack, client: WebClient, view: dict[str, Any], ref: FormRef,
                 user: str, typed: dict[str, str | None], text: str) -> None:
    """Acknowledge a step submitted with something pasted: the problems under the box, or the
    same step again with the figures filled in (a placeholder first if that is slow)."""
    attempt = within(deps.executor, deps.ack_budget,
                     lambda: take_paste(deps, ref, user, typed, text, next_version(view)))
    if attempt.in_time:
        ack(**attempt.result())
        return
    ack(response_action="update", view=busy_view(_("Reading your figures\u2026")))
    try:
        answer = attempt.result()
    except Exception:
        log.exception("reading pasted figures failed")
        answer = {"view": notice_view(_("Monthly check-in"), _(
            "We could not read the pasted figures just now; your typing is in your draft."))}
    client.views_update(view_id=view["id"], view=answer.get("view") or form_view(
        deps, ref.period, ref.department, user, ref.step, notes=list(answer["errors"].values())))


def take_paste(deps: Deps, ref: FormRef, user: str, typed: dict[str, str | None],
               text: str, version: int = 1) -> dict[str, Any]:
    """The acknowledgement for pasted ``text``: errors under the box, or the step again with
    the pasted figures in their inputs (kept in the draft with everything typed)."""
    config, locale = deps.config, deps.locale
    rows = rows_from_text(text)
    found = read_figure_rows(config, ref.department, rows, locale)
    problems = [str(p) for p in found.problems]
    if not rows:
        problems.append(_("no rows: paste two columns, the KPI's name or key and its value"))
    with deps.read_only() as session:
        current = {**read_draft(session, period=ref.period, department=ref.department),
                   **typed}
    if not problems:
        problems = _conflicts(deps, ref.department, rows, current)
    if problems:
        return {"response_action": "errors",
                "errors": {PASTE_BLOCK: clip("; ".join(problems), MAX_ERROR)}}
    filled = {field_id(KPI, key): input_text(value, locale)
              for key, value in found.values.items()}
    keep_draft(deps, ref, user, {**typed, **filled})
    note = ngettext("Filled in {n} figure from what you pasted. Check them, then press {button} "
                    "again.", "Filled in {n} figures from what you pasted. Check them, then "
                    "press {button} again.", len(filled),
                    button=_("Submit") if ref.last_step else _("Next"))
    return {"response_action": "update",
            "view": form_view(deps, ref.period, ref.department, user, ref.step, notes=[note],
                              version=version)}  # new ids: Slack shows the new values


def _conflicts(deps: Deps, department: str, rows: list[FigureRow],
               current: dict[str, Any]) -> list[str]:
    """Rows whose figure differs from one already typed for the same KPI: the typed one is
    not overwritten silently (an empty input takes the pasted figure)."""
    found = []
    for row in rows:
        single = read_figure_rows(deps.config, department, [row], deps.locale)
        for key, value in single.values.items():
            typed = current.get(field_id(KPI, key))
            if isinstance(typed, str) and typed.strip() and _read(deps, key, typed) != value:
                name = deps.config.kpi_by_key[key].name
                found.append(_("row {row}: {name} is {pasted} here but {typed} in the form; "
                               "clear one of them", row=row[0], name=name, pasted=row[2],
                               typed=typed.strip()))
    return found


def _read(deps: Deps, key: str, text: str) -> Decimal | None:
    try:
        return parse_figure(text, deps.locale, percent=deps.config.kpi_by_key[key].is_percent)
    except ValueError:
        return None
