"""A manager sends the bot an XLSX or CSV file of figures in its direct message (Slack's
``file_shared`` event): the bot reads and checks every row and, when all are good, keeps the
figures in the month's draft, so the form opens pre-filled for review. Nothing is submitted
here: the manager still presses Submit, as for anything else in the form.

``file_shared`` needs only ``files:read`` (also what downloading needs), where ``message.im``
would deliver every message typed to the bot as well.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.notices import answer
from bot.uploads.download import MAX_BYTES, DownloadFailed, SharedFile, download, file_info
from bot.uploads.replies import FORMAT_HINT, kept_reply, plain_reply, problems_reply
from summaries.access import viewer
from summaries.checkins.cycle import current_period, fillable_period
from summaries.checkins.forms import KPI, field_id
from summaries.checkins.submissions import save_draft
from summaries.config.schema import Config
from summaries.errors import DomainError
from summaries.i18n import N_, _
from summaries.imports.figurerows import (
    FigureRow,
    read_figure_rows,
    rows_from_csv,
    rows_from_xlsx,
)
from summaries.numberwords import input_text
from summaries.textfold import fold

log = logging.getLogger(__name__)
READERS: dict[str, Callable[[bytes], list[FigureRow]]] = {
    "xlsx": rows_from_xlsx, "csv": rows_from_csv}
NO_DEPARTMENT = N_("Thanks for the file, but you manage no department in the monthly "
                   "check-in, so there is no summary to put figures in.")
MAX_MB = MAX_BYTES // 1024 // 1024


def handle_file_shared(deps: Deps, event: dict[str, Any], client: WebClient) -> None:
    """Answer a file shared in a direct message with the bot; ignore files shared elsewhere."""
    user, file_id = event.get("user_id"), event.get("file_id")
    channel = str(event.get("channel_id") or "")
    if not (isinstance(user, str) and isinstance(file_id, str) and channel.startswith("D")):
        return

    def reply(message: dict[str, Any]) -> None:
        answer(client, deps.settings.slack_api_url, {"user_id": user}, message)

    try:
        reply(_read_and_keep(deps, client, user, file_id))
    except DomainError as exc:
        reply(plain_reply(str(exc)))


def _read_and_keep(deps: Deps, client: WebClient, user: str, file_id: str) -> dict[str, Any]:
    """The reply to ``user``'s file, after keeping its figures in the draft if all are good."""
    config = deps.config
    managed = viewer(config, user).managed
    if not managed:
        return plain_reply(_(NO_DEPARTMENT))
    shared = _shared_file(client, file_id)
    rows = _rows(deps, shared)
    department = pick_department(config, managed, shared.name, rows, deps.locale)
    name = config.department_by_key[department].name
    with deps.unit_of_work() as session:
        now = deps.clock()
        period = current_period(session, config, now)
        if period is None:
            raise DomainError(_("No monthly check-in is open now; send the file again once "
                                "it opens."))
        fillable_period(session, config, period.month, now, department)
        found = read_figure_rows(config, department, rows, deps.locale)
        if found.problems:
            return problems_reply(shared.name, name, found.problems)
        if not found.values:
            raise DomainError(_("{file} has no figures in it. {hint}", file=shared.name,
                                hint=_(FORMAT_HINT)))
        # As the form shows a stored figure, so it reads back as the same value.
        shown = {key: input_text(value, deps.locale) for key, value in found.values.items()}
        save_draft(session, config, period=period.key, department=department, user=user,
                   values={field_id(KPI, key): text for key, text in shown.items()},
                   merge=True, now=now)
    log.info("kept %d figures from a file in %s's draft of %s", len(shown), department,
             period.key)
    return kept_reply(config, shared.name, period.key, department, found.values, shown)


def _shared_file(client: WebClient, file_id: str) -> SharedFile:
    try:
        shared = file_info(client, file_id)
    except SlackApiError as exc:
        log.warning("files.info %s failed: %s", file_id, exc.response.get("error"))
        raise DomainError(_("Slack would not let me read that file; please send it "
                            "again.")) from None
    if shared.kind not in READERS:
        raise DomainError(_("I can only read XLSX and CSV files. {hint}", hint=_(FORMAT_HINT)))
    if shared.size > MAX_BYTES:
        raise DomainError(_("{file} is larger than {size} MB; a month's figures fit in far "
                            "less. Send only the two columns.", file=shared.name, size=MAX_MB))
    return shared


def _rows(deps: Deps, shared: SharedFile) -> list[FigureRow]:
    try:
        data = download(shared, deps.client.token or "", deps.settings.slack_api_url)
    except DownloadFailed as exc:
        log.warning("downloading %s failed: %s", shared.id, exc)
        raise DomainError(_("I could not download {file}; please send it again (at most "
                            "{size} MB).", file=shared.name, size=MAX_MB)) from None
    try:
        rows = READERS[shared.kind](data)
    except ValueError:
        raise DomainError(_("{file} is not a readable {kind} file. {hint}", file=shared.name,
                            kind=shared.kind.upper(), hint=_(FORMAT_HINT))) from None
    if not rows:
        raise DomainError(_("{file} has no rows. {hint}", file=shared.name,
                            hint=_(FORMAT_HINT)))
    return rows


def pick_department(config: Config, managed: Sequence[str], filename: str,
                    rows: Sequence[FigureRow], locale: str) -> str:
    """The department a file's figures are for, among those its sender manages: the only one;
    else the one the file's name names (``east-county.xlsx``); else the only one every row fits.
    Otherwise DomainError asking for the department in the file's name."""
    if len(managed) == 1:
        return managed[0]
    folded = fold(filename)
    named = [k for k in managed if fold(k) in folded
             or fold(config.department_by_key[k].name) in folded]
    if len(named) == 1:
        return named[0]
    fitting = [k for k in managed if not read_figure_rows(config, k, rows, locale).problems]
    if len(fitting) == 1:
        return fitting[0]
    choices = ", ".join(_("{name} ({file})", name=config.department_by_key[k].name,
                          file=k + ".xlsx") for k in managed)
    raise DomainError(_("You manage several departments; put the department's key in the "
                        "file's name and send it again: {choices}.", choices=choices))
