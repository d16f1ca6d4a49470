"""A flag's sentence in the reader's language, worded from the facts it keeps (SPEC 4.1, 11).

Pure: a flag and the configuration in, words out. The KPI's, department's and section's names
are the configuration's at display time (those the flag kept when the key has left it);
figures are in the unit and places of their day, written the organization's way, or the
reader's inside :func:`summaries.i18n.speaking`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from summaries.config.schema import Config
from summaries.dates import format_month
from summaries.engine.flags import FlagSpec
from summaries.formatting import format_figure, format_number, format_ratio
from summaries.i18n import _, current, ngettext, pgettext
from summaries.periods import Month


class FlagFacts:
    """What one flag keeps, read back as words: its names, its figures and its month."""

    def __init__(self, flag: FlagSpec, config: Config | None = None) -> None:
        self.flag = flag
        self.params: Mapping[str, str] = flag.params
        self.config = config
        self.locale = config.organization.locale if config is not None else "en"

    def has(self, *keys: str) -> bool:
        return all(key in self.params for key in keys)

    def decimal(self, key: str) -> Decimal:
        return Decimal(self.params[key])

    @property
    def unit(self) -> str:
        return self.params.get("unit", "")

    @property
    def decimals(self) -> int:
        return int(self.params.get("decimals") or 0)

    @property
    def percent(self) -> bool:
        """Figures of a % KPI: their gaps and changes are points."""
        return self.unit.strip() == "%"

    def kpi_name(self, key: str | None = None) -> str:
        key = self.flag.kpi if key is None else key
        kpi = self.config.kpi_by_key.get(key) if self.config is not None else None
        if kpi is not None:
            return kpi.name
        kept = self.params.get("kpi_name") if key == self.flag.kpi else None
        return kept or self.params.get(f"name.{key}") or key

    def department_name(self) -> str:
        key = self.flag.department
        found = self.config.department_by_key.get(key) if self.config is not None else None
        return found.name if found is not None else self.params.get("department_name", key)

    def section_title(self) -> str:
        key = self.params.get("section", "")
        found = self.config.section_by_key.get(key) if self.config is not None else None
        return found.title if found is not None else self.params.get("section_title", key)

    def figure(self, key: str) -> str:
        return format_figure(self.decimal(key), self.unit, self.decimals, self.locale)

    def ratio(self, key: str) -> str:
        return format_ratio(self.decimal(key), self.locale)

    def points(self, value: Decimal, decimals: int) -> str:
        return points_text(value, decimals, self.locale)

    def by(self, key: str = "by", *, least: int = 0) -> str:
        """A gap or a change: points for a % KPI (at least ``least`` places), else a share."""
        if self.percent:
            return self.points(self.decimal(key), max(self.decimals, least))
        return self.ratio(key)

    def month(self, key: str = "month") -> str:
        return month_words(self.params[key], self.locale)


def points_text(value: Decimal, decimals: int, locale: str) -> str:
    """Percentage points: ``6.25 points``, 6.25个百分点."""
    return _("{number} points", number=format_number(value, decimals, locale))


def month_words(key: str, locale: str) -> str:
    """A month inside a flag's sentence. English keeps the ``2026-10`` its sentences have
    always had (their words must not change); other languages write the month their way."""
    if current() == "en":
        return key
    try:
        return format_month(Month.parse(key), locale)
    except ValueError:
        return key


def name_list(names: list[str]) -> str:
    """Names one after another: ``Orders, Customers``; 订单数、客户数."""
    return pgettext("between names in a list", ", ").join(names)


def flag_text(flag: FlagSpec, config: Config | None = None) -> str:
    """The flag as one plain sentence (not escaped: a raised line is the manager's own text)
    in the reader's language. A flag stored as words that could not be read back into facts
    is shown as it was written."""
    wording = _WORDINGS.get(flag.rule)
    if flag.sentence is not None and (not flag.params or wording is None):
        return flag.sentence
    if wording is None:
        return flag.rule
    return wording(FlagFacts(flag, config))


def _missing(facts: FlagFacts) -> str:
    return _("{department} has not submitted its summary for {month}.",
             department=facts.department_name(), month=facts.month())


def _late(facts: FlagFacts) -> str:
    return _("{department} submitted its summary for {month} after the close.",
             department=facts.department_name(), month=facts.month())


def _below_target(facts: FlagFacts) -> str:
    values = {"kpi": facts.kpi_name(), "actual": facts.figure("actual"),
              "target": facts.figure("target"), "by": facts.by(least=1)}
    if facts.params.get("side") == "above":
        return _("{kpi} {actual} is {by} above the {target} target.", **values)
    return _("{kpi} {actual} is {by} below the {target} target.", **values)


def _off_pace(facts: FlagFacts) -> str:
    kpi = facts.kpi_name()
    accumulate = facts.params.get("accumulate")
    if accumulate == "sum":
        return _("{kpi} year to date is {ytd} of the annual plan, against {due} due by "
                 "{month}.", kpi=kpi, ytd=facts.ratio("ytd_share"),
                 due=facts.ratio("pace_share"), month=facts.month())
    ytd, plan = facts.figure("ytd"), facts.figure("plan")
    if accumulate == "mean":
        return _("{kpi} averages {ytd} this year, against a plan of {plan}.",
                 kpi=kpi, ytd=ytd, plan=plan)
    return _("{kpi} stands at {ytd} this year, against a plan of {plan}.",
             kpi=kpi, ytd=ytd, plan=plan)


def _threshold(facts: FlagFacts) -> str:
    kpi, actual, bound = facts.kpi_name(), facts.figure("actual"), facts.figure("bound")
    if facts.params.get("limit") == "max":
        return _("{kpi} {actual} is above the {limit} control limit.",
                 kpi=kpi, actual=actual, limit=bound)
    return _("{kpi} {actual} is below the {floor} floor.", kpi=kpi, actual=actual, floor=bound)


def _change(facts: FlagFacts) -> str:
    values = {"kpi": facts.kpi_name(), "by": facts.by(), "before": facts.figure("before"),
              "actual": facts.figure("actual")}
    down = facts.params.get("direction") == "down"
    if facts.flag.rule == "mom_change":
        if down:
            return _("{kpi} fell {by} from last month ({before} \u2192 {actual}).", **values)
        return _("{kpi} rose {by} from last month ({before} \u2192 {actual}).", **values)
    if down:
        return _("{kpi} fell {by} from the same month last year ({before} \u2192 {actual}).",
                 **values)
    return _("{kpi} rose {by} from the same month last year ({before} \u2192 {actual}).",
             **values)


def _streak(facts: FlagFacts) -> str:
    return ngettext("{kpi} has been red for {n} month in a row.",
                    "{kpi} has been red for {n} months in a row.",
                    int(facts.params["months"]), kpi=facts.kpi_name())


def _no_value(facts: FlagFacts) -> str:
    kpi = facts.kpi_name()
    names = missing_names(facts)
    if names is None:
        return _("{kpi} could not be calculated: its formula divides by zero.", kpi=kpi)
    return _("{kpi} could not be calculated: no value for {names}.", kpi=kpi, names=names)


def missing_names(facts: FlagFacts) -> str | None:
    """The inputs a formula lacked, by name; None when it had them all (it divided by 0)."""
    if facts.params.get("missing"):
        return name_list([facts.kpi_name(key) for key in facts.params["missing"].split(",")])
    return facts.params.get("missing_names") or None


def _raised(facts: FlagFacts) -> str:
    return _("{title}: {text}", title=facts.section_title(), text=facts.params.get("text", ""))


_WORDINGS: dict[str, Callable[[FlagFacts], str]] = {
    "missing": _missing, "late": _late, "below_target": _below_target, "off_pace": _off_pace,
    "threshold": _threshold, "mom_change": _change, "yoy_change": _change, "streak": _streak,
    "no_value": _no_value, "raised": _raised,
}
