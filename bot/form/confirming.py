"""Store the form, or ask first about figures far from last month's (SPEC 5.3).

The check runs in the submission's own unit of work, so a figure is judged against what is
stored at that moment; when it asks, nothing is stored and the typing goes into the draft,
where "Back" finds it.
"""

from __future__ import annotations

from typing import Any

from bot.blocks.plausible import plausible_view
from bot.deps import Deps
from bot.form.handlers import Stored, keep_draft, store_form
from bot.ids import FormRef
from summaries.checkins.plausible import Unconfirmed


def store_or_confirm(deps: Deps, ref: FormRef, user: str, typed: dict[str, str | None],
                     confirmed: str | None = None) -> Stored | dict[str, Any]:
    """The stored form, or the confirmation view to show instead (everything typed kept as
    the draft). ``confirmed``: the mark of a confirmation the manager gave."""
    try:
        return store_form(deps, ref, user, typed, confirmed)
    except Unconfirmed as asked:
        if typed:
            keep_draft(deps, ref, user, typed)
        return plausible_view(ref, asked.found, asked.mark, deps.config.rules.plausibility,
                              deps.locale)
