"""The configuration's ``away:`` entries: a manager's leave and who acts for them (SPEC 5.3)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from summaries.config.fields import UserId, field_error
from summaries.i18n import _


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Away(_Strict):
    """One entry of ``away:``: a manager away from ``from`` to ``until`` (the organization's
    days, both included), whose prompts and reminders go to ``deputy`` meanwhile (SPEC 5.3)."""

    manager: UserId
    deputy: UserId
    from_: date = Field(alias="from")
    until: date

    @model_validator(mode="after")
    def _sensible(self) -> Away:
        if self.until < self.from_:
            raise field_error("until", _("comes before from ({day})", day=self.from_))
        if self.deputy == self.manager:
            raise field_error("deputy", _("a manager cannot be their own deputy"))
        return self
