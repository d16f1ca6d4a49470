"""The configuration (SPEC section 3): its entries' schema and the one frozen ``Config``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from summaries.config.away import Away
from summaries.config.fields import (
    MAX_HINT,
    MAX_UNIT,
    Key,
    Name,
    Percent,
    Title,
    UserId,
    field_error,
    parse_percent,
)
from summaries.config.organization import Organization
from summaries.config.rules import Rules
from summaries.config.timing import Month, Schedule
from summaries.config.tree import reachable
from summaries.formulas import Formula, parse_formula
from summaries.i18n import _


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Section(_Strict):
    key: Key
    title: Title
    hint: Annotated[str, Field(max_length=MAX_HINT)] | None = None
    required: bool = False
    raises: bool = Field(False, alias="raise")


class Kpi(_Strict):
    key: Key
    name: Name
    unit: Annotated[str, Field(max_length=MAX_UNIT)] = ""
    decimals: int = Field(0, ge=0, le=6)
    better: Literal["higher", "lower", "none"] = "higher"
    accumulate: Literal["sum", "mean", "last"] = "sum"
    min: Decimal | None = None
    max: Decimal | None = None
    tolerance: Percent | None = None
    # A miss smaller than this, in the KPI's unit, is minor (SPEC 4.1); overrides the rule.
    materiality: Decimal | None = Field(None, ge=0)
    formula: str | None = None
    headline: bool = False
    required: bool = False  # every department typing it in must give a figure

    _tolerance = field_validator("tolerance", mode="before")(parse_percent)

    @field_validator("formula")
    @classmethod
    def _formula_parses(cls, value: str | None) -> str | None:
        if value is not None:
            parse_formula(value)  # FormulaError is a ValueError: pydantic reports it here
        return value

    @model_validator(mode="after")
    def _bounds_ordered(self) -> Kpi:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise field_error("max", _("min is greater than max"))
        return self

    @property
    def input_decimals(self) -> int | None:
        """The decimal places a typed or imported figure may have: ``decimals`` when the file
        sets it (then ``12.345`` is refused for ``decimals: 0``), else any the column holds."""
        return self.decimals if "decimals" in self.model_fields_set else None

    @property
    def is_percent(self) -> bool:
        """Percent KPIs compare against targets in points, not relative gaps."""
        return self.unit.strip() == "%"

    @cached_property
    def parsed_formula(self) -> Formula | None:
        return parse_formula(self.formula) if self.formula else None


class Department(_Strict):
    key: Key
    name: Name
    # The parent department; dated, {YYYY-MM: key, ...}, for one that moved (the latest month
    # in force wins; before the first, the first applies).
    parent: Key | dict[Month, Key] | None = None
    manager: UserId
    sections: list[Key] | None = None
    kpis: list[Key] = []
    # A parent's figures for the KPIs its children carry are their roll-up; ``true`` (or a list
    # of KPI keys) says it reports its own instead.
    own_figures: bool | list[Key] = False
    required: list[Key] = []  # KPIs this department must give a figure for
    # Its life (SPEC 4.2): prompted, rolled up and expected only from ``from`` to ``until``.
    from_: Month | None = Field(None, alias="from")
    until: Month | None = None

    @model_validator(mode="after")
    def _life_in_order(self) -> Department:
        if self.from_ is not None and self.until is not None and self.until < self.from_:
            raise field_error("until", _("comes before from ({start})", start=self.from_))
        return self

    @property
    def parent_key(self) -> str | None:
        """The parent in force now (the latest of a dated parent)."""
        return self.parent_in("9999-12")

    def parent_in(self, month: str) -> str | None:
        """The parent in force in ``month``."""
        if not isinstance(self.parent, dict):
            return self.parent
        return self.parent[max([m for m in self.parent if m <= month] or [min(self.parent)])]

    def active_in(self, month: str) -> bool:
        """Whether the department exists in ``month`` (``YYYY-MM``)."""
        return (self.from_ is None or self.from_ <= month) and (
            self.until is None or month <= self.until)


class TargetSpec(_Strict):
    """One entry of ``targets:``: a monthly target, an annual plan, or a limit/floor."""

    kpi: Key
    department: Key | None = None
    month: Month | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    target: Decimal | None = None
    stretch: Decimal | None = None
    annual: Decimal | None = None
    phasing: list[Annotated[Decimal, Field(ge=0)]] | None = None
    max: Decimal | None = None
    min: Decimal | None = None
    from_: Month | None = Field(None, alias="from")

    @field_validator("phasing")
    @classmethod
    def _twelve_weights(cls, value: list[Decimal] | None) -> list[Decimal] | None:
        if value is not None:
            if len(value) != 12:
                raise ValueError(_("needs twelve weights, one per month of the fiscal year, "
                                   "not {count}", count=len(value)))
            if sum(value) <= 0:
                raise ValueError(_("needs weights that add up to more than zero"))
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> TargetSpec:
        if self.month is not None and self.year is not None:
            raise ValueError(_("names both month and year; a monthly target takes month, "
                               "an annual plan takes year"))
        # The keys that belong to one kind first, so the message names the stray key.
        if self.stretch is not None and self.target is None:
            raise field_error("stretch", _("stretch goes with a monthly target"))
        if self.phasing is not None and self.annual is None:
            raise field_error("phasing", _("phasing goes with an annual plan"))
        kinds = [self.target is not None, self.annual is not None,
                 self.max is not None or self.min is not None]
        if sum(kinds) != 1:
            raise ValueError(_("give exactly one of: target (with month), annual (with year), "
                               "max or min"))
        if self.target is not None and self.month is None:
            raise field_error("month", _("a monthly target needs month: YYYY-MM"))
        if self.annual is not None and self.year is None:
            raise field_error("year", _("an annual plan needs year"))
        if self.department is None and self.kind != "limit":
            # Only control limits and floors apply to every department (SPEC sections 3, 10).
            raise field_error("department", _("a monthly target needs a department")
                              if self.kind == "monthly" else _("an annual plan needs a department"))
        if self.from_ is not None and self.kind == "monthly":
            raise field_error("from", _("from goes with an annual plan (the month a revision "
                                        "takes effect), a control limit (max) or a floor (min)"))
        if self.kind == "limit" and (self.month is not None or self.year is not None):
            raise field_error("month" if self.month is not None else "year", _(
                "a control limit or floor takes from: YYYY-MM, not month or year"))
        return self

    @property
    def kind(self) -> Literal["monthly", "annual", "limit"]:
        if self.target is not None:
            return "monthly"
        return "annual" if self.annual is not None else "limit"


@dataclass(frozen=True)
class Config:
    """A validated configuration, with lookups by key."""

    source: str
    organization: Organization
    schedule: Schedule
    sections: tuple[Section, ...]
    kpis: tuple[Kpi, ...]
    departments: tuple[Department, ...]
    targets: tuple[TargetSpec, ...]
    rules: Rules
    away: tuple[Away, ...] = ()
    kpi_by_key: dict[str, Kpi] = field(init=False, repr=False)
    department_by_key: dict[str, Department] = field(init=False, repr=False)
    section_by_key: dict[str, Section] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kpi_by_key", {k.key: k for k in self.kpis})
        object.__setattr__(self, "department_by_key", {d.key: d for d in self.departments})
        object.__setattr__(self, "section_by_key", {s.key: s for s in self.sections})

    @cached_property
    def fingerprint(self) -> str:
        """A digest of all the configuration says: what was made from it is kept under it."""
        return hashlib.sha256(repr(self).encode()).hexdigest()

    def sections_of(self, department: Department) -> list[Section]:
        """The template sections a department fills in, in template order."""
        if department.sections is None:
            return list(self.sections)
        wanted = set(department.sections)
        return [s for s in self.sections if s.key in wanted]

    def kpis_of(self, department: Department) -> list[Kpi]:
        """The KPIs a department reports or derives, in the department's order."""
        return [self.kpi_by_key[k] for k in department.kpis]

    def children_of(self, key: str) -> list[Department]:
        return list(self._children.get(key, ()))

    @cached_property
    def _children(self) -> dict[str, tuple[Department, ...]]:
        """Each department's children in configuration order, worked out once."""
        found: dict[str, list[Department]] = {}
        for dept in self.departments:
            if dept.parent_key is not None:
                found.setdefault(dept.parent_key, []).append(dept)
        return {key: tuple(children) for key, children in found.items()}

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.organization.admins

    def is_leader(self, user_id: str) -> bool:
        return user_id in self.organization.leaders or self.is_admin(user_id)

    def departments_in(self, month: str) -> list[Department]:
        """The departments that exist in ``month``, in configuration order."""
        return [d for d in self.departments if d.active_in(month)]

    def headline_kpis(self) -> list[Kpi]:
        """KPIs marked ``headline``; without any, the first three."""
        marked = [k for k in self.kpis if k.headline]
        return marked or list(self.kpis[:3])

    @cached_property
    def _carried_below(self) -> dict[str, frozenset[str]]:
        """For each department, the KPIs listed by any department below it."""
        found: dict[str, frozenset[str]] = {}
        for dept in self.departments:
            below = self.descendants(dept.key) - {dept.key}
            found[dept.key] = frozenset(k for d in below for k in self.department_by_key[d].kpis)
        return found

    def from_children(self, department: Department) -> frozenset[str]:
        """The KPIs whose figures ``department`` takes from the departments below it (SPEC 4):
        those they carry, unless its ``own_figures`` says it reports them itself."""
        own = department.own_figures
        if own is True:
            return frozenset()
        carried = self._carried_below.get(department.key, frozenset())
        return frozenset(k for k in department.kpis
                         if k in carried and not (isinstance(own, list) and k in own))

    def required_kpis(self, department: Department) -> frozenset[str]:
        """The KPIs ``department`` must give a figure for: marked ``required`` on the KPI or
        in the department's ``required`` list, among those it types in."""
        rolled = self.from_children(department)
        return frozenset(k.key for k in self.kpis_of(department)
                         if (k.required or k.key in department.required)
                         and not k.formula and k.key not in rolled)

    def descendants(self, key: str) -> set[str]:
        """A department and every department below it."""
        return reachable(self._child_keys, [key])

    @cached_property
    def _child_keys(self) -> dict[str, tuple[str, ...]]:
        return {key: tuple(c.key for c in kids) for key, kids in self._children.items()}
