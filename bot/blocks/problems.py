"""Problems, asks and headline KPIs as mrkdwn lines: the digest's header and each department's
reply word them the same way (plain text from ``summaries.digest.header``, escaped here)."""

from __future__ import annotations

from bot.blocks.asks import reply_ask_blocks
from bot.blocks.common import SEVERITY_EMOJI, Block, context, escape, section, sections
from bot.blocks.kpis import status_mark
from summaries.digest.header import HeadlineLine, ProblemLine, department_lines
from summaries.digest.model import DepartmentDigest, Digest
from summaries.digest.voice import since_word
from summaries.i18n import _, pgettext


def headline_line(line: HeadlineLine) -> str:
    """``🔴 *Business income* 10,592,160 CNY of 10,810,000 CNY target (98.0%)`` and its
    notes (contributors, year to date and projection) indented below."""
    notes = "".join(f"\n      {escape(note)}" for note in line.notes)
    return (f"{status_mark(line.row.cell)} *{escape(line.row.kpi.name)}* "
            f"{escape(line.figure)}{notes}")


def problem_line(line: ProblemLine, department: bool = True, severity: bool = True) -> str:
    """A problem on one mrkdwn line: severity (a bullet instead where the list's title says
    it), department, its facts, since last month."""
    mark = SEVERITY_EMOJI.get(line.severity, "") if severity else "\u2022"
    colon = pgettext("after a label", ": ")
    where = f"*{escape(line.department)}*{colon}" if department else ""
    since = f" _{since_word(line.since)}_" if line.since else ""
    minor = " _" + _("(minor)") + "_" if line.minor else ""
    return f"{mark} {where}{escape(line.text)}{since}{minor}"


def reply_problems(digest: Digest, department: DepartmentDigest) -> list[Block]:
    """What a department's reply opens with: its problems (minor ones too), its asks (those
    still open from earlier months too, with the controls leaders act with), and the notes
    that explain them (a parent's gaps by department, its rank among its siblings)."""
    lines, notes = department_lines(digest, department)
    blocks: list[Block] = []
    if lines:
        blocks += [section(_("*Problems* ({count})", count=len(lines))),
                   *sections(problem_line(line, department=False) for line in lines)]
    blocks += reply_ask_blocks(department.asks, department.carried, digest.period,
                               digest.locale, digest.timezone)
    blocks += [context(escape(note)) for note in notes]
    return blocks
