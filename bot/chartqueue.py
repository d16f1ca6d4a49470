"""Charts drawn one at a time by a worker thread of their own, fed by a bounded queue.

Drawing a chart costs most of a second of CPU. On the threads that answer Slack it would hold
them from acknowledging others; with no bound, one person could queue work for minutes. So a
chart is offered to this queue and, when the queue is full, skipped (the caller says so).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)
Job = Callable[[], None]


class ChartQueue:
    """One worker running jobs in turn; at most ``size`` jobs wait while it works on one."""

    def __init__(self, size: int, name: str = "charts") -> None:
        self._jobs: queue.Queue[Job | None] = queue.Queue(maxsize=size)
        self._name = name
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    def offer(self, job: Job) -> bool:
        """Queue ``job`` for the worker; False (and nothing queued) when the queue is full."""
        self._start()
        try:
            self._jobs.put_nowait(job)
        except queue.Full:
            return False
        return True

    def wait_idle(self) -> None:
        """Wait until every job offered so far has run."""
        self._jobs.join()

    def stop(self) -> None:
        """Let the worker finish the jobs queued, then end it."""
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            self._jobs.put(None)
            worker.join()

    def _start(self) -> None:
        # Started on the first chart, so processes that draw none keep no thread for it.
        with self._lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name=self._name,
                                                daemon=True)
                self._worker.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                job()
            except Exception:
                log.exception("a chart job failed")
            finally:
                self._jobs.task_done()
