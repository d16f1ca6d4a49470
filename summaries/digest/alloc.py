"""Build a digest without the cyclic garbage collector walking it again and again.

Reading and compiling a month at scale allocates about a million small objects (figures,
cells, rows, their texts) that all live until the digest is written. Each allocation burst
makes the collector traverse everything alive in the older generations: profiled at 500
departments, a quarter of the whole digest command, growing faster than the organization.
None of these objects form cycles that need collecting while the digest is built, so the
collector pauses for the duration and resumes (and catches up) after.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from summaries.formatting import remembering

_lock = threading.Lock()
_holders = 0  # builds under way (the bot may build two digests at once, on two threads)
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause automatic garbage collection inside the block (nested and concurrent blocks
    resume it once the last ends, and only if it ran before the first began)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()


@contextmanager
def building() -> Iterator[None]:
    """What building a digest runs under: the collector paused, and every number's text
    formatted once (:func:`summaries.formatting.remembering`)."""
    with collector_paused(), remembering():
        yield
