"""The demo's files: the digest as Markdown and HTML, every Slack message as Block Kit JSON
ready for Slack's Block Kit Builder, and the PNG charts exactly as they were uploaded."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.cli.demo.offline import OfflineWorkspace, Sent
from bot.deps import Deps
from summaries.digest.model import Digest
from summaries.i18n import _, ngettext
from summaries.store.infra import OutboxMessage


@dataclass(frozen=True)
class Written:
    """A file the demo wrote (relative to its folder) and what it is."""

    path: str
    what: str


def write_outputs(deps: Deps, folder: Path, workspace: OfflineWorkspace, digest: Digest,
                  answers: list[tuple[str, dict[str, Any]]]) -> list[Written]:
    """Write every file of the demo into ``folder``; return them in the order to list."""
    labels = _outbox_labels(deps)
    channel = deps.config.organization.leadership_channel
    written: list[Written] = []
    charts = [s for s in workspace.sent if s.file is not None]
    for sent in charts:
        name = f"charts/{sent.payload.get('filename') or f'chart-{sent.ts}.png'}"
        _write(folder / name, sent.file or b"")
    posted_chart = next((s for s in charts if s.channel == channel and s.payload.get("filename")),
                        None)
    digest_chart = f"charts/{posted_chart.payload['filename']}" if posted_chart else None
    written += _digest_texts(folder, digest, digest_chart,
                             posted_chart.file if posted_chart else None)
    posted = [s for s in workspace.in_channel(channel) if s.file is None]
    _builder_files(folder / "slack" / "digest", posted, labels)
    written.append(Written("slack/digest/", ngettext(
        "the digest's {n} message in the leadership channel, header first",
        "the digest's {n} messages in the leadership channel, header first", len(posted))))
    dms = [s for s in workspace.sent if s.file is None and s.channel != channel]
    for department, messages in _by_department(dms, labels).items():
        _builder_files(folder / "slack" / "managers" / department, messages, labels)
    written.append(Written("slack/managers/", ngettext(
        "{n} direct message: each department's prompt, reminders and confirmation",
        "{n} direct messages: each department's prompt, reminders and confirmation",
        len(dms))))
    for n, (question, message) in enumerate(answers, 1):
        _write_json(folder / "slack" / "kpi" / f"{n:02d}-{_slug(question)}.json",
                    {"blocks": message.get("blocks", [])})
    if answers:
        written.append(Written("slack/kpi/", ngettext(
            "{n} /kpi answer, as the person asking sees it",
            "{n} /kpi answers, as the person asking sees them", len(answers))))
    _write_json(folder / "slack" / "messages.json", [_as_posted(s) for s in workspace.sent])
    written.append(Written("slack/messages.json", _(
        "every message and file as Slack received it (channel, thread, text, metadata)")))
    written += [Written(f"charts/{s.payload['filename']}", _chart_what(s, channel))
                for s in charts if s.payload.get("filename")]
    return written


def _digest_texts(folder: Path, digest: Digest, chart: str | None, png: bytes | None
                  ) -> list[Written]:
    """The digest as Markdown linking ``chart`` and as a page embedding ``png`` (the chart as
    posted; drawn here if it was not)."""
    from bot.blocks.digest import chart_title
    from summaries.digest.render import render_html, render_markdown
    from summaries.digest.render.html import draw_chart

    (folder / "digest.md").write_text(render_markdown(digest, chart=chart), encoding="utf-8")
    problem = None
    if not png:
        png, problem = draw_chart(digest, chart_title(digest))
    (folder / "digest.html").write_text(render_html(digest, chart=png, chart_problem=problem),
                                        encoding="utf-8")
    return [Written("digest.md", _("the leadership digest as Markdown")),
            Written("digest.html", _("the same digest as a web page (open it in a browser)"))]


def _builder_files(folder: Path, messages: list[Sent],
                   labels: dict[tuple[str, str], tuple[str, str | None]]) -> None:
    """One ``{"blocks": [...]}`` file per message, the shape the Block Kit Builder takes."""
    seen: Counter[str] = Counter()
    for n, sent in enumerate(messages, 1):
        kind, department = labels.get((sent.channel, sent.ts), ("message", None))
        event = (sent.payload.get("metadata") or {}).get("event_type")
        label = "header" if event == "checkin_digest" else (
            department if kind == "digest" and department else kind)
        seen[label] += 1
        if seen[label] > 1:
            label = f"{label}-{seen[label]}"
        _write_json(folder / f"{n:02d}-{label}.json", {"blocks": sent.payload.get("blocks", [])})


def _by_department(messages: list[Sent], labels: dict[tuple[str, str], tuple[str, str | None]]
                   ) -> dict[str, list[Sent]]:
    found: dict[str, list[Sent]] = {}
    for sent in messages:
        department = labels.get((sent.channel, sent.ts), ("", None))[1] or "other"
        found.setdefault(department, []).append(sent)
    return found


def _outbox_labels(deps: Deps) -> dict[tuple[str, str], tuple[str, str | None]]:
    """Each sent message's kind and department, from the outbox row that posted it (not the
    later ones that updated it in place)."""
    with deps.unit_of_work() as session:
        rows = session.execute(select(
            OutboxMessage.slack_channel, OutboxMessage.slack_ts, OutboxMessage.kind,
            OutboxMessage.department_key).where(OutboxMessage.slack_ts.is_not(None))
            .order_by(OutboxMessage.id)).all()
    found: dict[tuple[str, str], tuple[str, str | None]] = {}
    for channel, ts, kind, department in rows:
        found.setdefault((str(channel), str(ts)), (kind, department))
    return found


def _as_posted(sent: Sent) -> dict[str, Any]:
    shown: dict[str, Any] = {"method": sent.method, "channel": sent.channel, "ts": sent.ts}
    if sent.thread_ts:
        shown["thread_ts"] = sent.thread_ts
    if sent.updates:
        shown["updates"] = sent.updates
    payload = {k: v for k, v in sent.payload.items() if k not in ("channel", "thread_ts", "ts")}
    return {**shown, **payload}


def _chart_what(sent: Sent, channel: str) -> str:
    if sent.channel == channel:
        return _("the digest's trend chart of the headline KPIs, as posted in its thread")
    return _("a /kpi trend chart, as sent to the person asking by direct message")


def _slug(text: str) -> str:
    """A file name's part for ``text``: its words (any script) joined by dashes."""
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-") or "list"


def _write_json(path: Path, data: Any) -> None:
    _write(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
