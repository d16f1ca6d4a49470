"""Work done one key at a time on a pool, what is asked meanwhile gathered into the next run.

A change that sets off costly work (a late summary updating the month's posted digest reads
and evaluates the whole month) asks for it here instead of doing it on the thread that took
the change. The first request for a key starts a run on the pool; requests for the same key
that arrive while it runs wait, and the run takes them all together when it is done, so a
burst of changes costs two runs, not one per change, and runs of one key never overlap: the
last run reads after every change it was asked about.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Executor
from typing import Any

log = logging.getLogger(__name__)

Work = Callable[[list[Any]], None]


class Gathered:
    """The keys running, and what waits for each (its items, in the order first asked)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[Hashable, tuple[Work, dict[Hashable, None]]] = {}
        self._running: set[Hashable] = set()
        self._idle = threading.Condition(self._lock)

    def request(self, pool: Executor, key: Hashable, item: Hashable, work: Work) -> None:
        """Have ``work`` done for ``item`` under ``key``: now on ``pool`` if nothing runs for
        ``key``, else with whatever else is asked before the running work ends."""
        with self._lock:
            _, items = self._waiting.setdefault(key, (work, {}))
            items[item] = None
            if key in self._running:
                return
            self._running.add(key)
        try:
            pool.submit(self._run, key)
        except RuntimeError:  # the pool is shut down: the process is stopping
            with self._lock:
                self._running.discard(key)
                self._waiting.pop(key, None)
                self._idle.notify_all()
            log.warning("not done, the process is stopping: %s", key)

    def _run(self, key: Hashable) -> None:
        while True:
            with self._lock:
                found = self._waiting.pop(key, None)
                if found is None:
                    self._running.discard(key)
                    self._idle.notify_all()
                    return
            work, items = found
            try:
                work(list(items))
            except Exception:  # the next request for the key tries again
                log.exception("gathered work for %s failed", key)

    def wait(self, timeout: float | None = None) -> bool:
        """Until nothing runs or waits (True), or ``timeout`` seconds pass (False)."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._running, timeout)
