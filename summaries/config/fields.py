"""The configuration's field types and limits, and the parsers its entries share."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field
from pydantic_core import PydanticCustomError

from summaries.i18n import _

KEY_PATTERN = r"^[a-z0-9_-]+$"
USER_ID_PATTERN = r"^[UW][A-Z0-9]{2,}$"
CHANNEL_ID_PATTERN = r"^[CGD][A-Z0-9]{2,}$"
# The error type of a whole-entry check that belongs to one field; ctx["field"] names it.
FIELD_ERROR = "config_field"
# What Slack's surfaces hold decides these: a department's name goes into a 150-character
# header after the month and into 75-character buttons and options; a key into block ids and
# button values; a unit after every figure. Long enough for real names in any script.
MAX_KEY = 64
MAX_NAME = 80
MAX_TITLE = 100
MAX_HINT = 500
MAX_UNIT = 20
Key = Annotated[str, Field(pattern=KEY_PATTERN, max_length=MAX_KEY)]
UserId = Annotated[str, Field(pattern=USER_ID_PATTERN)]
ChannelId = Annotated[str, Field(pattern=CHANNEL_ID_PATTERN)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
Title = Annotated[str, Field(min_length=1, max_length=MAX_TITLE)]


def field_error(field: str, message: str) -> PydanticCustomError:
    """A problem found by a whole-entry check that belongs to one of the entry's fields."""
    return PydanticCustomError(FIELD_ERROR, message, {"field": field})


def parse_percent(value: object) -> object:
    """Accept ``5%`` or ``5`` (both five percent, or five points for % KPIs)."""
    if isinstance(value, str):
        text = value.strip().removesuffix("%").strip()
        try:
            return Decimal(text)
        except ArithmeticError:
            raise ValueError(_("must be a percentage such as 5%, not {value}",
                               value=repr(value))) from None
    return value


Percent = Annotated[Decimal, Field(ge=0)]
