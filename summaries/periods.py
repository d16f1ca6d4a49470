"""Months as periods (``YYYY-MM``) and fiscal years."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PERIOD = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; ``str(Month(2026, 10))`` is ``2026-10``."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM``; raise ValueError with a plain message otherwise."""
        found = _PERIOD.match(text.strip())
        if not found:
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def shift(self, months: int) -> Month:
        """The month ``months`` later (earlier if negative)."""
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def previous(self) -> Month:
        return self.shift(-1)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def fiscal_year(self, start_month: int) -> int:
        """The calendar year in which this month's fiscal year starts."""
        return self.year if self.month >= start_month else self.year - 1

    def fiscal_index(self, start_month: int) -> int:
        """1 for the fiscal year's first month ... 12 for its last."""
        return (self.month - start_month) % 12 + 1


def months_between(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last`` inclusive."""
    count = (last.year * 12 + last.month) - (first.year * 12 + first.month)
    return [first.shift(i) for i in range(count + 1)]
