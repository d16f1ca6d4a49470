"""Who this process is, so claims in the database (outbox rows, ledger steps) name their owner,
and a claim left by a process that has died on this host can be recognised."""

from __future__ import annotations

import os
import secrets
import socket

# Told apart from other processes on the same host (and from a restarted one with the same pid).
_PROCESS_TOKEN = secrets.token_hex(4)


def owner_id() -> str:
    """This process as ``hostname:pid:random``."""
    return f"{socket.gethostname()[:150]}:{os.getpid()}:{_PROCESS_TOKEN}"


def owner_gone(owner: str | None) -> bool:
    """Whether ``owner`` was a process on this host that no longer runs."""
    if not owner or owner == owner_id():
        return False
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname()[:150] or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return True  # an earlier life of this process (same pid after a container restart)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    return False
