"""Back-dates what a session inserts, so that a month of history can be written in seconds.

The event log is append-only (the database refuses UPDATE), so a row's time cannot be fixed
after the service has inserted it. Instead, a ``before_flush`` hook stamps every new row that has
no timestamp yet with the clock's time, before the INSERT is issued.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

_STAMPED_COLUMNS = ("created_at", "updated_at", "last_message_at")


class SimulatedClock:
    """The time that new rows get; move ``now`` forward before each action."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def stamp(self, session: Session, _flush: UOWTransaction, _instances: object) -> None:
        for row in session.new:
            columns = inspect(row).mapper.columns
            for name in _STAMPED_COLUMNS:
                if name in columns and getattr(row, name) is None:
                    setattr(row, name, self.now)


@contextmanager
def simulated_clock(session: Session, now: datetime) -> Iterator[SimulatedClock]:
    """Stamps rows inserted through ``session`` with the clock's time while the block runs."""
    clock = SimulatedClock(now)
    event.listen(session, "before_flush", clock.stamp)
    try:
        yield clock
    finally:
        event.remove(session, "before_flush", clock.stamp)
