"""The configuration's ``rules``: how figures are judged, and how the digest shows problems."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from summaries.config.fields import Percent, parse_percent
from summaries.i18n import _

MAX_TOP = 50  # more lines than this is no longer a header a leader reads in 30 seconds


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DigestRules(_Strict):
    """What the digest's header lists: the red problems and the asks (``reds_and_asks``, the
    default) or every problem (``all``); ``top`` caps the problem lines (the rest are counted)."""

    header: Literal["reds_and_asks", "all"] = "reds_and_asks"
    top: int | None = Field(None, ge=1, le=MAX_TOP)


class Rules(_Strict):
    tolerance: Percent = Decimal(5)
    mom_change: Percent = Decimal(20)
    yoy_change: Percent = Decimal(15)
    streak_months: int = Field(3, ge=2, le=24)
    pacing_grace_months: int = Field(2, ge=0, le=11)
    # An amber miss smaller than this (relative; points for % KPIs) is minor (SPEC 4.1).
    materiality: Percent = Decimal(2)
    digest: DigestRules = DigestRules()
    # A typed figure more than this many times last month's, or less than 1/this of it, is
    # confirmed by the manager before it is stored (SPEC 5.3): typos cost a digest, not a click.
    plausibility: Decimal = Decimal(3)

    _percents = field_validator("tolerance", "mom_change", "yoy_change", "materiality",
                                mode="before")(parse_percent)

    @field_validator("plausibility", mode="after")
    @classmethod
    def _more_than_once(cls, value: Decimal) -> Decimal:
        if not value.is_finite() or value <= 1:
            raise ValueError(_("must be a number greater than 1 (3 asks again about a "
                               "figure more than 3\u00d7 or less than a third of last "
                               "month's)"))
        return value
