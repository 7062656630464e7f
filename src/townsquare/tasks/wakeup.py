"""How the intent engine's bridge waits between its reads of the app database.

On PostgreSQL the bridge ``LISTEN``s: triggers (migration ``0013_intents_notify``) ``NOTIFY``
``CHANNEL`` with the schema's name when there is work for it (an intent written or set
watching, a pause/resume/cancel requested, an inbox answer, an event while an intent watches),
so an idle worker sleeps in ``select`` and wakes at once. A read every ``idle_s`` all the same
catches anything a lost notification (a dropped connection) would miss. On SQLite, which has no
notifications, the wait grows from ``busy_s`` to ``idle_s`` while the reads find nothing and
starts again at ``busy_s`` when one finds work.
"""

from __future__ import annotations

import logging
import select
import socket
from typing import Any

from sqlalchemy import Engine

log = logging.getLogger(__name__)

# The triggers of migration 0013_intents_notify notify this channel, the schema's name as payload.
CHANNEL = "townsquare_intents"


def next_wait(current: float, *, did_work: bool, busy_s: float, idle_s: float) -> float:
    """The wait after a read: ``busy_s`` when it found work, else twice the last, at most
    ``idle_s``."""
    return busy_s if did_work else min(idle_s, max(busy_s, current * 2))


class WorkSignal:
    """Waits for work: a notification (PostgreSQL), the stop, or the current interval."""

    def __init__(self, engine: Engine, *, busy_s: float, idle_s: float) -> None:
        self.engine, self.busy_s, self.idle_s = engine, busy_s, idle_s
        self.interval = busy_s
        self._connection: Any = None  # the psycopg connection that listens, while it does
        self._schema = ""
        self._stop_r, self._stop_w = socket.socketpair()

    @property
    def listening(self) -> bool:
        return self._connection is not None

    def listen(self) -> None:
        """Starts listening, on PostgreSQL; a failure leaves the timed reads (tried again at the
        next wait)."""
        if self.engine.dialect.name != "postgresql" or self.listening:
            return
        try:
            raw = self.engine.raw_connection()
            connection: Any = raw.driver_connection
            raw.detach()  # its own session for good, outside the pool
            connection.autocommit = True
            self._schema = str(connection.execute("SELECT current_schema()").fetchone()[0])
            connection.execute(f"LISTEN {CHANNEL}")
            self._connection = connection
        except Exception:
            log.warning("intent engine cannot LISTEN; reads every %s s", self.idle_s, exc_info=True)

    def wait(self, *, did_work: bool) -> bool:
        """Blocks until there may be work; False once stopped."""
        self.interval = next_wait(
            self.interval, did_work=did_work, busy_s=self.busy_s, idle_s=self.idle_s
        )
        self.listen()
        timeout = self.idle_s if self.listening else self.interval
        sources = [self._stop_r] + ([self._connection] if self.listening else [])
        while True:
            ready, _, _ = select.select(sources, [], [], timeout)
            if self._stop_r in ready:
                return False
            if not ready or self._notified():
                return True

    def _notified(self) -> bool:
        """Whether a pending notification is for this schema (others share the database)."""
        try:
            payloads = [n.payload for n in self._connection.notifies(timeout=0)]
        except Exception:
            log.warning("intent engine lost its LISTEN connection; reconnecting")
            self._close_connection()
            return True
        return self._schema in payloads

    def stop(self) -> None:
        self._stop_w.send(b"x")

    def close(self) -> None:
        self._close_connection()
        self._stop_r.close()
        self._stop_w.close()

    def _close_connection(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
