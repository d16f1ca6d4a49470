"""flags keep their facts (params) instead of an English sentence, worded when read

Revision ID: 0010
Revises: 0009

The sentences stored so far are read back into facts, so a past month reads in any language.
Self-contained on purpose: the shapes below are those the code wrote before this revision
(English words; numbers grouped with ``,`` and a ``.`` decimal point, as en, zh and ja write
them), and must not follow later code. A sentence that does not read back (a database whose
organization wrote numbers another way, a name that hides the shape) keeps its words in
``message``, NULL ``params``, and is shown as written.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

NUM = r"[-\u2212]?\d{1,3}(?:,\d{3})*(?:\.\d+)?"
RATIO = r"[-\u2212]?\d{1,3}(?:,\d{3})*\.\d%"  # a share: always one decimal
MONTH = r"\d{4}-\d{2}"
BY = rf"(?P<by>{NUM})(?P<by_unit> points|%)"
NAME = "(?P<name>.+?)"
# Numbers as de, fr and es write them (10,4 %, 2.150.000, 2 150 000): such a database's
# sentences with figures are kept as words rather than misread.
FOREIGN = re.compile(r"\d[\s\u00a0\u202f]%|\d,\d{1,2}(?!\d)|\d\.\d{3}\.\d"
                     r"|\d[\u00a0\u202f]\d{3}")
WITH_FIGURES = frozenset({"below_target", "off_pace", "threshold", "mom_change", "yoy_change"})
PAIRS = ("actual", "target", "ytd", "plan", "bound", "before")


def _figure(group: str, first: bool = False) -> str:
    """A figure with its unit (``3.40%``, ``2,150,000 CNY``, ``800``); every figure of one
    sentence has the first one's unit."""
    unit = r"(?P<unit>(?:%| \S.*?)?)" if first else "(?P=unit)"
    return rf"(?P<{group}>{NUM}){unit}"


SHAPES: dict[str, tuple[str, ...]] = {
    "below_target": (rf"{NAME} {_figure('actual', True)} is {BY} (?P<side>above|below) the "
                     rf"{_figure('target')} target\.",),
    "off_pace": (rf"{NAME} year to date is (?P<ytd_share>{RATIO}) of the annual plan, against "
                 rf"(?P<pace_share>{RATIO}) due by (?P<month>{MONTH})\.",
                 rf"{NAME} (?P<word>averages|stands at) {_figure('ytd', True)} this year, "
                 rf"against a plan of {_figure('plan')}\."),
    "threshold": (rf"{NAME} {_figure('actual', True)} is (?P<side>above) the "
                  rf"{_figure('bound')} control limit\.",
                  rf"{NAME} {_figure('actual', True)} is (?P<side>below) the "
                  rf"{_figure('bound')} floor\."),
    "mom_change": (rf"{NAME} (?P<verb>fell|rose) {BY} from last month "
                   rf"\({_figure('before', True)} \u2192 {_figure('actual')}\)\.",),
    "yoy_change": (rf"{NAME} (?P<verb>fell|rose) {BY} from the same month last year "
                   rf"\({_figure('before', True)} \u2192 {_figure('actual')}\)\.",),
    "streak": (rf"{NAME} has been red for (?P<months>\d+) months in a row\.",),
    "no_value": (rf"{NAME} could not be calculated: no value for (?P<names>.+)\.",
                 rf"{NAME} could not be calculated: its formula divides by zero\."),
    "missing": (rf"{NAME} has not submitted its summary for (?P<month>{MONTH})\.",),
    "late": (rf"{NAME} submitted its summary for (?P<month>{MONTH}) after the close\.",),
}


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("\u2212", "-").removesuffix("%"))


def _places(text: str) -> int:
    digits = text.removesuffix("%")
    return len(digits.partition(".")[2])


def _match(rule: str, message: str, known: str | None) -> re.Match[str] | None:
    """The sentence read by one of its rule's shapes: the name as the database knows it
    first, then any name."""
    names = [f"(?P<name>{re.escape(known)})"] if known else []
    for shape in SHAPES.get(rule, ()):
        for name in [*names, NAME]:
            found = re.fullmatch(shape.replace(NAME, name), message, flags=re.S)
            if found is not None:
                return found
    return None


def read_sentence(rule: str, message: str, subject: str = "", *, known: str | None = None,
                  kpi_keys: Mapping[str, str] | None = None) -> dict[str, str] | None:
    """The facts a stored sentence says, as ``FlagSpec.params`` keeps them, or None where it
    does not read back. ``known`` is the KPI's (or the department's) name as stored, tried
    first; ``kpi_keys`` the stored KPIs' keys by name (a missing input's)."""
    if rule == "raised":
        return _raised(message, subject)
    found = _match(rule, message, known)
    if found is None:
        return None
    got = {k: v for k, v in found.groupdict().items() if v is not None}
    if rule in ("missing", "late"):
        return {"department_name": got["name"], "month": got["month"]}
    params = {"kpi_name": got["name"]}
    if rule in WITH_FIGURES and not _figures(rule, got, params):
        return None
    if rule == "streak":
        params["months"] = got["months"]
    elif rule == "no_value" and "names" in got:
        params.update(_missing_inputs(got["names"], kpi_keys or {}))
    return params


def _figures(rule: str, got: dict[str, str], params: dict[str, str]) -> bool:
    """Read the sentence's figures into ``params``; False where they do not agree with each
    other as one KPI's (same places, a share's one decimal, points only for a % KPI)."""
    figures = [got[key] for key in PAIRS if key in got]
    places = {_places(text) for text in figures}
    if len(places) > 1:
        return False
    unit = got.get("unit", "").removeprefix(" ")
    decimals = places.pop() if places else 0
    params.update(unit=unit, decimals=str(decimals))
    params.update((key, str(_number(got[key]))) for key in PAIRS if key in got)
    if "by" in got:
        points = got["by_unit"] == " points"
        if points != (unit == "%"):
            return False
        least = max(decimals, 1) if rule == "below_target" else decimals
        if _places(got["by"]) != (least if points else 1):
            return False
        by = _number(got["by"])
        params["by"] = str(by if points else by.scaleb(-2))
    if rule == "below_target":
        params["side"] = got["side"]
    elif rule == "threshold":
        params.update(limit="max" if got["side"] == "above" else "min")
    elif rule in ("mom_change", "yoy_change"):
        params["direction"] = "down" if got["verb"] == "fell" else "up"
    elif "month" in got:
        params.update(accumulate="sum", month=got["month"],
                      ytd_share=str(_number(got["ytd_share"]).scaleb(-2)),
                      pace_share=str(_number(got["pace_share"]).scaleb(-2)))
    else:
        params["accumulate"] = "mean" if got["word"] == "averages" else "last"
    return True


def _missing_inputs(names: str, kpi_keys: Mapping[str, str]) -> dict[str, str]:
    """The inputs by key where every name is a stored KPI's; else the names as written."""
    parts = names.split(", ")
    if all(part in kpi_keys for part in parts):
        keys = [kpi_keys[part] for part in parts]
        return {"missing": ",".join(keys), **{f"name.{k}": p for k, p in zip(keys, parts,
                                                                               strict=True)}}
    return {"missing_names": names}


def _raised(message: str, subject: str) -> dict[str, str] | None:
    """``<section title>: <line>``, split where the line's hash in the subject says."""
    key, _colon, digest = subject.partition(":")
    start = message.find(": ")
    while start >= 0:
        text = message[start + 2:]
        if hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16] == digest:
            return {"section": key, "section_title": message[:start], "text": text}
        start = message.find(": ", start + 1)
    return None


def convert(rows: Iterable[Mapping[Any, Any]], kpi_names: Mapping[str, str]
            ) -> list[dict[str, object]]:
    """``params`` for each stored flag whose sentence reads back (rows: id, kpi_key, rule,
    subject, message, department)."""
    rows = list(rows)
    foreign = any(FOREIGN.search(r["message"] or "") for r in rows
                  if r["rule"] in WITH_FIGURES)
    kpi_keys = {name: key for key, name in kpi_names.items()}
    found: list[dict[str, object]] = []
    for row in rows:
        if not row["message"] or (foreign and row["rule"] in WITH_FIGURES):
            continue
        known = row["department"] if row["rule"] in ("missing", "late") else kpi_names.get(
            row["kpi_key"])
        params = read_sentence(row["rule"], row["message"], row["subject"] or "",
                               known=known, kpi_keys=kpi_keys)
        if params is not None:
            found.append({"flag_id": row["id"], "flag_params": params})
    return found


def _tables() -> tuple[sa.TableClause, sa.TableClause, sa.TableClause]:
    flags = sa.table("flags", sa.column("id", sa.Integer()), sa.column("department_id"),
                     sa.column("kpi_key"), sa.column("rule"), sa.column("subject"),
                     sa.column("message", sa.Text()),
                     sa.column("params", sa.JSON(none_as_null=True)))
    departments = sa.table("departments", sa.column("id"), sa.column("name"))
    kpis = sa.table("kpis", sa.column("key"), sa.column("name"))
    return flags, departments, kpis


def upgrade() -> None:
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.add_column(sa.Column("params", sa.JSON(none_as_null=True), nullable=True))
        batch_op.alter_column("message", existing_type=sa.Text(), nullable=True)
    if op.get_context().as_sql:
        return  # offline: nothing to read
    bind = op.get_bind()
    flags, departments, kpis = _tables()
    kpi_names = dict(bind.execute(sa.select(kpis.c.key, kpis.c.name)).tuples().all())
    rows = bind.execute(
        sa.select(flags.c.id, flags.c.kpi_key, flags.c.rule, flags.c.subject, flags.c.message,
                  departments.c.name.label("department"))
        .join(departments, departments.c.id == flags.c.department_id)).mappings().all()
    found = convert(rows, kpi_names)
    update = (sa.update(flags).where(flags.c.id == sa.bindparam("flag_id"))
              .values(params=sa.bindparam("flag_params", type_=sa.JSON(none_as_null=True))))
    for start in range(0, len(found), 1000):
        bind.execute(update, found[start:start + 1000])


def downgrade() -> None:
    # Flags stored since this revision have facts and no sentence: the old code shows their
    # name and rule (a raised line its title and words). The sentences kept are as they were.
    if not op.get_context().as_sql:
        bind = op.get_bind()
        flags, _departments, _kpis = _tables()
        rows = bind.execute(sa.select(flags.c.id, flags.c.kpi_key, flags.c.rule,
                                      flags.c.params).where(flags.c.message.is_(None))).all()
        words = [{"flag_id": row.id, "words": _plain(row.rule, row.kpi_key, row.params or {})}
                 for row in rows]
        if words:
            bind.execute(sa.update(flags).where(flags.c.id == sa.bindparam("flag_id"))
                         .values(message=sa.bindparam("words")), words)
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.alter_column("message", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("params")


def _plain(rule: str, kpi: str, params: Mapping[str, str]) -> str:
    if rule == "raised":
        return f"{params.get('section_title', '')}: {params.get('text', '')}"
    name = params.get("kpi_name") or params.get("department_name") or kpi
    return f"{name}: {rule}"
