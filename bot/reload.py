"""Re-read the configuration file while serving (SPEC 4.2): when it changes, or on SIGHUP.
A file that passes the checks is synced into the database and put in force for the next
request and step; one that does not is refused, its problems logged, the old one kept."""

from __future__ import annotations

import logging
import os
import signal
import threading
from pathlib import Path

from bot.bootstrap import sync_configuration
from bot.deps import Deps
from summaries.config.loader import load_config
from summaries.errors import InputError

log = logging.getLogger(__name__)
WATCH_SECONDS = 2.0


class ConfigReloader:
    """Watches the configuration file of a running bot."""

    def __init__(self, deps: Deps, path: str | Path, interval: float = WATCH_SECONDS) -> None:
        self.deps, self.path, self.interval = deps, Path(path), interval
        self._seen = self._stamp()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def _stamp(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        return found.st_mtime_ns, found.st_size

    def check(self) -> bool:
        """Re-read the file if it changed since it was last read; True if a new one is in
        force."""
        stamp = self._stamp()
        if stamp is None or stamp == self._seen:
            return False
        return self.reload()

    def reload(self) -> bool:
        """Read the file now; put it in force if it passes the checks."""
        with self._lock:
            self._seen = self._stamp()
            try:
                config = load_config(self.path)
            except InputError as exc:
                log.error("configuration %s refused; the one in force stays:\n%s",
                          self.path, exc)
                return False
            try:
                sync_configuration(self.deps.engine, config)
            except Exception:
                log.exception("configuration %s could not be stored; the one in force stays",
                              self.path)
                return False
            self.deps.live.replace(config)
            log.info("configuration %s reloaded: %d departments, %d KPIs", self.path,
                     len(config.departments), len(config.kpis))
            return True

    def start(self) -> None:
        """Watch the file in the background, and re-read it on SIGHUP (main thread only)."""
        self._thread = threading.Thread(target=self._watch, name="checkin-config",
                                        daemon=True)
        self._thread.start()
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, lambda _signum, _frame: self._reload_soon())

    def _reload_soon(self) -> None:
        # A signal handler must not wait on locks the interrupted code may hold.
        threading.Thread(target=self.reload, name="checkin-config-hup", daemon=True).start()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # the watcher must outlive one bad read
                log.exception("checking the configuration file failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
