"""The configuration's ``organization:`` block: who we are, how we write, who may see what."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from summaries.config.fields import MAX_UNIT, ChannelId, Title, UserId


class Organization(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: Title
    timezone: str = "UTC"
    # Numbers, dates and, where a catalogue ships (en, zh), the words (SPEC 11).
    locale: Literal["en", "de", "fr", "es", "zh", "ja"] = "en"
    # Large amounts in headlines and charts: the locale's own short form (auto), or 万 and 亿
    # whatever the language (cn), or K, M and B whatever the language (western).
    compact_units: Literal["auto", "cn", "western"] = "auto"
    currency: Annotated[str, Field(max_length=MAX_UNIT)] = ""
    fiscal_year_start: int = Field(1, ge=1, le=12)
    leadership_channel: ChannelId
    leaders: list[UserId] = []
    admins: list[UserId] = []
