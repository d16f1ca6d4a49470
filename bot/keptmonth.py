"""The latest month kept for ``/kpi``, read again off the request threads when the data moves on.

A lookup reads the input stamp (one row) and the latest month with figures; when the month kept
was read under that stamp and the configuration in force, the answer comes from it
(:class:`summaries.lookup.kept.KeptMonth`). Otherwise the lookup reads what it needs itself, as
it always did, and a thread of its own reads the month anew for the lookups after it: one at a
time, so a burst of changes costs one read each time it settles, not one per lookup.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.orm import Session, sessionmaker

from summaries.config.schema import Config
from summaries.lookup.kept import KeptMonth, stamp_now
from summaries.periods import Month
from summaries.store.db import read_only

log = logging.getLogger(__name__)


class KeptLookups:
    """The month kept for lookups, and the one read of it under way (if any)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._kept: KeptMonth | None = None
        self._lock = threading.Lock()
        self._reading: threading.Thread | None = None

    def for_lookup(self, session: Session, sessions: sessionmaker[Session], config: Config,
                   latest: Month) -> KeptMonth | None:
        """The kept month if it is ``latest`` as the database and ``config`` have it now;
        else None, and a read of it started unless one is under way."""
        if not self.enabled:
            return None
        stamp = stamp_now(session)
        kept = self._kept
        if kept is not None and kept.current(stamp, config, latest):
            return kept
        if stamp is not None:
            self._start(sessions, config, latest)
        return None

    def holding(self, session: Session, config: Config, month: Month) -> KeptMonth | None:
        """The kept month if it is ``month`` and still current; nothing is started."""
        kept = self._kept
        if not self.enabled or kept is None or kept.month != month:
            return None
        return kept if kept.current(stamp_now(session), config, month) else None

    def _start(self, sessions: sessionmaker[Session], config: Config, month: Month) -> None:
        with self._lock:
            if self._reading is not None and self._reading.is_alive():
                return  # the lookups after it see whether it is current, and start another
            self._reading = threading.Thread(target=self._read, args=(sessions, config, month),
                                             name="checkin-kept-month", daemon=True)
            self._reading.start()

    def _read(self, sessions: sessionmaker[Session], config: Config, month: Month) -> None:
        began = time.perf_counter()
        try:
            with read_only(sessions) as session:
                kept = KeptMonth.read(session, config, month)
            if kept is not None:
                kept.prepare(config)
                self._kept = kept
                log.info("kept %s for /kpi (input stamp %d) in %.0f ms", month, kept.stamp,
                         (time.perf_counter() - began) * 1000)
        except Exception:  # the lookups go on reading for themselves
            log.exception("could not keep %s for /kpi", month)

    def wait(self, timeout: float | None = None) -> None:
        """Until the read under way (if any) is done: for tests and orderly shutdowns."""
        reading = self._reading
        if reading is not None:
            reading.join(timeout)
