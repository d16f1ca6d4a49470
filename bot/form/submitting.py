"""The check-in modal's submissions (a step or the whole form) and closes (kept as a draft)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks.modal import busy_view, input_fields, notice_view, restore_view
from bot.blocks.plausible import confirmed_mark
from bot.budget import Attempt, within
from bot.deps import Deps
from bot.form.confirming import store_or_confirm
from bot.form.handlers import confirm, form_view, keep_draft
from bot.form.pasting import answer_paste
from bot.form.state import check_values, locate_step, read_paste, read_state
from bot.home import refresh_home
from bot.ids import FormRef
from summaries.checkins.forms import form_fields
from summaries.checkins.submissions import SubmissionResult, authorize_department
from summaries.engine.asks import Ask
from summaries.errors import DomainError, PermissionDenied, ValidationFailed
from summaries.i18n import N_, _
from summaries.periods import Month

log = logging.getLogger(__name__)
TRY_AGAIN = N_("We could not save this just now. Everything you typed is still here: "
               "press the button again in a moment.")
OUT_OF_DATE = N_("This form is out of date. Nothing was saved from it: please open the "
                 "check-in again from your direct messages.")
SAVED = N_("Saved. Your confirmation, with your figures against target, arrives in a "
           "direct message.")
TITLE = N_("Monthly check-in")


def close_form(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    """Keep what was typed as a draft. It is written before the acknowledgement when the
    database is quick, so a process that stops right after still has it; a slow save finishes
    after the ack."""
    attempt = within(deps.executor, deps.ack_budget, lambda: handle_closed(deps, body))
    ack()
    attempt.result()


def handle_submit(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Check the step, then keep it (and show the next step) or store the whole form."""
    view, user = body["view"], body["user"]["id"]
    typed = read_state(view)
    fields = input_fields(view)
    try:
        claimed = FormRef.loads(view.get("private_metadata", ""))
        with deps.read_only() as session:  # a deputy may while their manager is away
            spec = authorize_department(deps.config, claimed.department, user, session,
                                        deps.clock())
        Month.parse(claimed.period)
    except PermissionDenied as exc:
        ack(response_action="update", view=notice_view(_(TITLE), str(exc)))
        return
    except (ValueError, DomainError):
        claimed = None
    # The step is read from the inputs the view holds, never from what its metadata claims.
    ref = claimed and locate_step(claimed, form_fields(deps.config, spec), fields)
    if ref is None:
        log.info("a check-in form that matches no step of today's form was submitted")
        ack(response_action="update", view=notice_view(_(TITLE), _(OUT_OF_DATE)))
        return
    pasted = read_paste(view)
    if pasted is not None:  # fill the figures in and show them for review, store nothing
        answer_paste(deps, ack, client, view, ref, user, typed, pasted)
        return
    checked = check_values(deps.config, ref.department, typed, fields)
    if checked.errors:
        ack(response_action="errors", errors=checked.errors)
        return
    attempt: Attempt[Any]
    if ref.last_step:
        attempt = within(deps.executor, deps.ack_budget,
                         lambda: store_or_confirm(deps, ref, user, typed))
    else:
        attempt = within(deps.executor, deps.ack_budget,
                         lambda: _next_step(deps, ref, user, typed))
    _acknowledge(deps, ack, client, body, ref, typed, fields, attempt)


def handle_confirmed(deps: Deps, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """"Submit anyway" on the confirmation of implausible figures: store the form from the
    draft, if the figures to confirm are still exactly those shown (else ask again)."""
    view, user = body["view"], body["user"]["id"]
    try:
        ref = FormRef.loads(view.get("private_metadata", ""))
    except ValueError:
        ack(response_action="update", view=notice_view(_(TITLE), _(OUT_OF_DATE)))
        return
    mark = confirmed_mark(view.get("private_metadata", ""))
    attempt: Attempt[Any] = within(deps.executor, deps.ack_budget,
                                   lambda: store_or_confirm(deps, ref, user, {}, mark))
    _acknowledge(deps, ack, client, body, ref, {}, [], attempt)


def _acknowledge(deps: Deps, ack: Ack, client: WebClient, body: dict[str, Any], ref: FormRef,
                 typed: dict[str, str | None], fields: list[str], attempt: Attempt[Any]) -> None:
    """Answer the submission with what the work gave: the stored form closes (then the DM and
    App Home follow), a view (the next step, figures to confirm) replaces it, a failure is
    said under a field; a placeholder first when the work outlives the acknowledgement."""
    if not attempt.in_time:
        ack(response_action="update", view=busy_view(_("Saving\u2026")))
        _finish_late(deps, client, body, ref, typed, attempt)
        return
    try:
        outcome = attempt.result()
    except Exception as exc:
        ack(**_refusal(body["view"], typed, fields, exc))
        return
    if isinstance(outcome, SubmissionResult):
        ack()
        after_store(deps, ref, body["user"]["id"], outcome)
    else:  # the next step, or the figures to confirm first
        ack(response_action="update", view=outcome)


def after_store(deps: Deps, ref: FormRef, user: str, result: SubmissionResult) -> None:
    """Confirm by DM and refresh App Home; the summary is saved, so a failure here is only
    logged (an undelivered confirmation stays in the outbox)."""
    try:
        confirm(deps, ref, user, result)
    except Exception:
        log.exception("confirming %s %s to %s failed", ref.department, ref.period, user)
    if result.after_close and (result.first_submission or result.changed_fields):
        from bot.cycle.refreshing import update_digest  # the digest's modules load when needed

        update_digest(deps, ref.period, ref.department)  # off this thread, gathered
    for carried in getattr(result, "carried", ()):
        if carried.withdrawn or carried.updated:  # posted digests showing it follow suit
            _refresh_ask(deps, carried.ask)
    refresh_home(deps, user)


def _refresh_ask(deps: Deps, ask: Ask) -> None:
    from bot.cycle.refreshing import refresh_digests

    try:
        refresh_digests(deps, ask, f"carry{ask.id}.{len(ask.history)}")
    except Exception:
        log.exception("updating the digests that show ask %s failed", ask.id)


def _next_step(deps: Deps, ref: FormRef, user: str,
               typed: dict[str, str | None]) -> dict[str, object]:
    keep_draft(deps, ref, user, typed)
    return form_view(deps, ref.period, ref.department, user, ref.step + 1)


def _refusal(view: dict[str, Any], typed: dict[str, str | None], fields: list[str],
             exc: Exception) -> dict[str, Any]:
    """The acknowledgement that keeps the form open and says what went wrong, under a field."""
    if isinstance(exc, ValidationFailed):
        here = {f: m for f, m in exc.errors.items() if f in fields}
        if here:
            return {"response_action": "errors", "errors": here}
        problems = "; ".join(exc.errors.values())
        return {"response_action": "update",
                "view": restore_view(view, typed, _("Please fix another step: {problems}",
                                                    problems=problems))}
    if isinstance(exc, DomainError):
        message = str(exc)
    else:
        log.error("saving a check-in failed", exc_info=exc)
        message = _(TRY_AGAIN)
    if fields:
        return {"response_action": "errors", "errors": {fields[0]: message}}
    return {"response_action": "update", "view": notice_view(_(TITLE), message)}


def _finish_late(deps: Deps, client: WebClient, body: dict[str, Any], ref: FormRef,
                 typed: dict[str, str | None], attempt: Attempt[Any]) -> None:
    """The work outlived the acknowledgement: replace the placeholder when it is done."""
    view, user = body["view"], body["user"]["id"]
    try:
        outcome = attempt.result()
    except Exception as exc:
        if not isinstance(exc, DomainError):
            log.error("saving a check-in failed", exc_info=exc)
        message = str(exc) if isinstance(exc, DomainError) else _(TRY_AGAIN)
        client.views_update(view_id=view["id"], view=restore_view(view, typed, message))
        return
    if isinstance(outcome, SubmissionResult):
        client.views_update(view_id=view["id"], view=notice_view(_(TITLE), _(SAVED)))
        after_store(deps, ref, user, outcome)
    else:
        client.views_update(view_id=view["id"], view=outcome)


def handle_closed(deps: Deps, body: dict[str, Any]) -> None:
    """Keep what was typed as the draft the next open starts from."""
    view, user = body["view"], body["user"]["id"]
    try:
        ref = FormRef.loads(view.get("private_metadata", ""))
    except ValueError:
        return
    typed = read_state(view)
    if typed:
        keep_draft(deps, ref, user, typed)
