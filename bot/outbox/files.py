"""Send files to a person's direct message with the bot, through the outbox (v2 upload flow)."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from bot.outbox.delivery import DeliveryReport, Outgoing, deliver, enqueue
from bot.outbox.landed import conversation_id
from bot.outbox.sender import Sender
from bot.outbox.sending import UPLOAD


@dataclass(frozen=True)
class DmFile:
    """One file to send: its name, its title in Slack (how a retry recognises it) and bytes."""

    filename: str
    title: str
    content: bytes


def send_files(deps: Sender, user: str, key: str, kind: str, files: list[DmFile], *,
               period: str | None = None, department: str | None = None,
               comment: str | None = None) -> DeliveryReport:
    """Upload ``files`` into the DM with ``user``; ``key`` makes the outbox rows unique, so the
    same request sends them once. ``comment`` goes with the first file."""
    channel = conversation_id(deps, user)  # files are shared to a conversation id, not a user
    outgoing = []
    for n, item in enumerate(files):
        payload = {"channel": channel, "filename": item.filename, "title": item.title,
                   "content_b64": base64.b64encode(item.content).decode("ascii")}
        if n == 0 and comment:
            payload["text"] = comment
        outgoing.append(Outgoing(f"{key}:{n}", kind, user, payload, method=UPLOAD,
                                 period_key=period, department_key=department))
    with deps.unit_of_work() as session:
        keys = enqueue(session, outgoing)
    return deliver(deps, keys)
