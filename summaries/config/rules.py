"""The configuration's ``rules``: how figures are judged, and how the digest shows problems."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from summaries.config.fields import Percent, parse_percent

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

    _percents = field_validator("tolerance", "mom_change", "yoy_change", "materiality",
                                mode="before")(parse_percent)
